#!/usr/bin/python3
"""An independent reading of an lm-evaluation-harness task YAML, written from lm-eval 0.4.10's own source
(lm_eval/utils.py load_yaml_config and apply_template, lm_eval/config/task.py TaskConfig and FewshotConfig,
lm_eval/api/task.py ConfigurableTask, lm_eval/api/samplers.py ContextSampler and FirstNSampler,
lm_eval/api/metrics.py exact_match_hf_evaluate, lm_eval/filters/extraction.py RegexFilter), not from ForgetLab's
C#. lm-eval itself is not installable here (no `datasets`), so its code paths are followed line by line on
Debian's python3-yaml, python3-jinja2, python3-numpy and python3-pandas (`datasets` reads CSV with pandas).

    lm_eval_reference.py TASK.yaml [--outputs OUTPUTS.jsonl] [--seed 1234]

prints one JSON object: for every evaluated document its context, continuations or `until`, the positions of its
few-shot examples in the few-shot split, the gold index or references, and the metrics lm-eval computes from a
fake model's answers. The fake model's log-likelihood of (context, continuation) is
-(((sum of the code points of the continuation) * 7 + len(context)) % 101) / 10, greedy when above -2;
its generations come from OUTPUTS.jsonl ({"doc_id", "generation"}).
"""
import argparse
import ast
import json
import os
import random
import re
import string
import sys

import jinja2
import numpy as np
import yaml


# lm_eval/utils.py ------------------------------------------------------------------------------------------
def refuse_function(loader, node):
    raise ValueError("!function is Python code")


def load_yaml_config(yaml_path):
    loader = yaml.CLoader if yaml.__with_libyaml__ else yaml.FullLoader
    yaml.add_constructor("!function", refuse_function, Loader=loader)
    with open(yaml_path, "rb") as file:
        yaml_config = yaml.load(file, Loader=loader)
    yaml_dir = os.path.dirname(yaml_path)
    if "include" in yaml_config:
        include_path = yaml_config["include"]
        del yaml_config["include"]
        if isinstance(include_path, str):
            include_path = [include_path]
        include_path.reverse()
        final_yaml_config = {}
        for path in include_path:
            if not os.path.isfile(path):
                path = os.path.join(yaml_dir, path)
            final_yaml_config.update(load_yaml_config(path))
        final_yaml_config.update(yaml_config)
        return final_yaml_config
    return yaml_config


def regex_replace(string, pattern, repl, count: int = 0):
    return re.sub(pattern, repl, string, count=count)


env = jinja2.Environment(loader=jinja2.BaseLoader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
env.filters["regex_replace"] = regex_replace


def apply_template(template, doc):
    return env.from_string(template).render(**doc)


# the data: datasets' json and csv builders, as far as these files need --------------------------------------
def load_split(fmt, paths):
    docs = []
    for path in paths:
        if fmt == "json":
            with open(path, encoding="utf-8") as f:
                docs += [json.loads(line) for line in f if line.strip()]
        else:
            import pandas as pd
            frame = pd.read_csv(path)
            for record in frame.to_dict("records"):
                docs.append({k: (v.item() if isinstance(v, np.generic) else v) for k, v in record.items()})
    return docs


# lm_eval/api/samplers.py -----------------------------------------------------------------------------------
class ContextSampler:
    def __init__(self, df, rnd=None):
        self.rnd = random.Random(rnd)
        self.df = df or []

    def sample(self, n, eval_doc=None):
        if n == 0:
            return []
        res = (
            self.rnd.sample(self.fewshot_docs(), n)
            if not eval_doc
            else self.rm_eval_doc(eval_doc, self.rnd.sample(self.fewshot_docs(), n + 1), n)
        )
        assert len(res) == n
        return res

    def set_rnd(self, rnd):
        self.rnd = random.Random(rnd)

    def fewshot_docs(self):
        return list(self.df)

    @staticmethod
    def rm_eval_doc(doc, _iter, n=None):
        return [x for x in _iter if x != doc] if n is None else [x for x in _iter if x != doc][:n]


class FirstNSampler(ContextSampler):
    def sample(self, n, eval_doc=None):
        assert n <= len(self.df)
        return self.df[:n]


# lm_eval/config/task.py + lm_eval/api/task.py --------------------------------------------------------------
class Task:
    def __init__(self, yaml_path, seed):
        c = load_yaml_config(yaml_path)
        self.c = c
        self.output_type = c.get("output_type", "generate_until")
        self.target_delimiter = c.get("target_delimiter", " ")
        self.fewshot_delimiter = c.get("fewshot_delimiter", "\n\n")
        gk = c.get("generation_kwargs")
        if gk is not None:
            if "until" not in gk:
                gk["until"] = [self.fewshot_delimiter]
        elif self.output_type == "generate_until":
            gk = {"temperature": 0.0, "do_sample": False, "max_gen_toks": 256, "until": [self.fewshot_delimiter]}
        self.generation_kwargs = gk
        fs = dict(c.get("fewshot_config") or {})
        self.fs = {
            "split": c.get("fewshot_split"),
            "fewshot_delimiter": self.fewshot_delimiter,
            "target_delimiter": self.target_delimiter,
            "doc_to_text": c.get("doc_to_text"),
            "doc_to_choice": c.get("doc_to_choice"),
            "doc_to_target": c.get("doc_to_target"),
            **fs,
            "split": c.get("fewshot_split"),
        }
        self.fs.setdefault("sampler", "default")
        data_files = c["dataset_kwargs"]["data_files"]
        if not isinstance(data_files, dict):
            data_files = {"train": data_files}
        base = os.path.dirname(os.path.abspath(yaml_path))
        self.dataset = {}
        for split, paths in data_files.items():
            paths = [paths] if isinstance(paths, str) else paths
            self.dataset[split] = load_split(c["dataset_path"], [os.path.join(base, p) for p in paths])
        self.test_split = c.get("test_split")
        self.validation_split = c.get("validation_split")
        self.training_split = c.get("training_split")
        self.eval_docs = self.dataset[self.test_split] if self.test_split else self.dataset[self.validation_split]
        self.features = list(self.eval_docs[0].keys())
        if self.fs["split"] is not None:
            self._fewshot_docs = self.dataset[self.fs["split"]]
        elif self.training_split is not None:
            self._fewshot_docs = self.dataset[self.training_split]
        elif self.validation_split is not None:
            self._fewshot_docs = self.dataset[self.validation_split]
        else:
            self._fewshot_docs = self.dataset[self.test_split]
        sampler_cls = {"default": ContextSampler, "first_n": FirstNSampler}[self.fs["sampler"]]
        self.sampler = sampler_cls(list(self._fewshot_docs), rnd=None)
        self.sampler.set_rnd(seed)  # evaluator.py: task_obj.set_fewshot_seed(seed=fewshot_random_seed)
        metric_list = c.get("metric_list")
        if metric_list is None:
            metric_list = [{"metric": m} for m in {
                "loglikelihood": ["perplexity", "acc"],
                "loglikelihood_rolling": ["word_perplexity", "byte_perplexity", "bits_per_byte"],
                "multiple_choice": ["acc", "acc_norm"],
                "generate_until": ["exact_match"]}[self.output_type]]
        self.metrics = {m["metric"]: {k: v for k, v in m.items() if k not in ["metric", "aggregation", "higher_is_better", "hf_evaluate"]} for m in metric_list}
        self.filters = []
        for f in c.get("filter_list") or [{"name": "none", "filter": [{"function": "take_first"}]}]:
            self.filters.append((f["name"], [(step["function"], {k: v for k, v in step.items() if k != "function"}) for step in f["filter"]]))
        test_target = self.doc_to_target(self.eval_docs[0])
        self.multiple_target = len(test_target) if isinstance(test_target, list) else 0

    def doc_to_text(self, doc, doc_to_text=None):
        doc_to_text = doc_to_text if doc_to_text is not None else self.c.get("doc_to_text")
        if isinstance(doc_to_text, int):
            return doc_to_text
        if doc_to_text in self.features:
            return doc[doc_to_text]
        text_string = apply_template(doc_to_text, doc)
        if text_string.isdigit() and self.c.get("doc_to_choice") is not None:
            return ast.literal_eval(text_string)
        return text_string

    def doc_to_target(self, doc, doc_to_target=None):
        doc_to_target = doc_to_target if doc_to_target is not None else self.c.get("doc_to_target")
        if isinstance(doc_to_target, int):
            return doc_to_target
        elif isinstance(doc_to_target, str):
            if doc_to_target in self.features:
                return doc[doc_to_target]
            target_string = apply_template(doc_to_target, doc)
            if target_string.isdigit() and self.c.get("doc_to_choice") is not None:
                return ast.literal_eval(target_string)
            elif len(target_string) >= 2 and target_string[0] == "[" and target_string[-1] == "]":
                try:
                    return ast.literal_eval(target_string)
                except (SyntaxError, ValueError):
                    return target_string
            return target_string
        elif isinstance(doc_to_target, list):
            return doc_to_target
        raise TypeError

    def doc_to_choice(self, doc, doc_to_choice=None):
        doc_to_choice = doc_to_choice if doc_to_choice is not None else self.c.get("doc_to_choice")
        if isinstance(doc_to_choice, str):
            if doc_to_choice in self.features:
                return doc[doc_to_choice]
            return ast.literal_eval(apply_template(doc_to_choice, doc))
        elif isinstance(doc_to_choice, list):
            return doc_to_choice
        elif isinstance(doc_to_choice, dict):
            return list(doc_to_choice.values())
        raise TypeError

    def resolve_field(self, doc, field=None):
        if field:
            return doc[field] if field in doc else apply_template(field, doc)

    @staticmethod
    def build_qa_turn(q, c=None, a=None, tgt_delim=" ", few_delim="\n\n"):
        # lm_eval/api/task.py build_qa_turn without gen_prefix, rendered with Message.to_text()
        assert isinstance(q, str)
        has_answer = a is not None and a != ""
        text = q + (tgt_delim if has_answer else "")
        if has_answer:
            answer_text = c[a] if (c and isinstance(a, int)) else a[0] if isinstance(a, list) else a
            assert isinstance(answer_text, str)
            text += answer_text + few_delim
        return text

    def fewshot_context(self, doc, num_fewshot):
        description = self.resolve_field(doc, self.c.get("description", "")) or ""
        text = description
        positions = []
        if num_fewshot > 0:
            shots = self.sampler.sample(n=num_fewshot, eval_doc=doc if self.fs["split"] == self.test_split else None)
            for fs_doc in shots:
                positions.append(next(i for i, d in enumerate(self._fewshot_docs) if d is fs_doc))
                q = self.doc_to_text(fs_doc, self.fs["doc_to_text"])
                c = self.doc_to_choice(fs_doc, self.fs["doc_to_choice"]) if self.fs["doc_to_choice"] else None
                a = self.doc_to_target(fs_doc, self.fs["doc_to_target"])
                text += self.build_qa_turn(q, c, a, self.fs["target_delimiter"], self.fs["fewshot_delimiter"])
        text += self.build_qa_turn(self.doc_to_text(doc), tgt_delim=self.target_delimiter, few_delim="")
        return text, positions


def exact_match_hf_evaluate(predictions, references, regexes_to_ignore=None, ignore_case=False, ignore_punctuation=False, ignore_numbers=False):
    if regexes_to_ignore is not None:
        for s in regexes_to_ignore:
            predictions = np.array([re.sub(s, "", x) for x in predictions])
            references = np.array([re.sub(s, "", x) for x in references])
    else:
        predictions = np.asarray(predictions)
        references = np.asarray(references)
    if ignore_case:
        predictions = np.char.lower(predictions)
        references = np.char.lower(references)
    if ignore_punctuation:
        repl_table = string.punctuation.maketrans("", "", string.punctuation)
        predictions = np.char.translate(predictions, table=repl_table)
        references = np.char.translate(references, table=repl_table)
    if ignore_numbers:
        repl_table = string.digits.maketrans("", "", string.digits)
        predictions = np.char.translate(predictions, table=repl_table)
        references = np.char.translate(references, table=repl_table)
    return {"exact_match": np.mean(predictions == references)}


def regex_filter(resp, regex_pattern=r"#### (\-?[0-9\.\,]+)", group_select=0, fallback="[invalid]"):
    regex = re.compile(regex_pattern)
    match = regex.findall(resp)
    if match:
        match = match[group_select]
        if isinstance(match, tuple):
            match = [m for m in match if m]
            match = match[0] if match else fallback
        match = match.strip()
    else:
        match = fallback
    return match


def fake_loglikelihood(context, continuation):
    ll = -(((sum(ord(ch) for ch in continuation) * 7) + len(context)) % 101) / 10
    return ll, ll > -2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("yaml")
    parser.add_argument("--outputs")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    task = Task(args.yaml, args.seed)
    outputs = {}
    if args.outputs:
        with open(args.outputs, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    outputs[row["doc_id"]] = row["generation"]
    num_fewshot = task.c.get("num_fewshot") or 0
    result = {"task": task.c["task"], "version": str((task.c.get("metadata") or {}).get("version", "")), "docs": []}
    for doc_id, doc in enumerate(task.eval_docs):
        ctx, positions = task.fewshot_context(doc, num_fewshot)
        row = {"doc_id": doc_id, "context": ctx, "fewshot": positions}
        if task.output_type == "multiple_choice":
            choices = task.doc_to_choice(doc)
            row["choices"] = choices
            row["continuations"] = [f"{task.target_delimiter}{cont}" for cont in choices]
            lls, is_greedy = zip(*[fake_loglikelihood(ctx, cont) for cont in row["continuations"]])
            completion_len = np.array([float(len(i)) for i in choices])
            pred = np.argmax(lls)
            pred_norm = np.argmax(lls / completion_len)
            gold = task.doc_to_target(doc)
            if isinstance(gold, list):
                gold = [i if i < len(choices) else -100 for i in gold]
            elif isinstance(gold, int):
                gold = gold if gold < len(choices) else -100
            elif isinstance(gold, str):
                gold = choices.index(gold) if gold in choices else -100
            row["gold"] = gold if isinstance(gold, list) else [gold]
            if task.multiple_target:
                acc, acc_norm = (1.0 if pred in gold else 0.0), (1.0 if pred_norm in gold else 0.0)
                em = int(any(is_greedy[i] if i != -100 else 0 for i in gold))
            else:
                acc, acc_norm = (1.0 if pred == gold else 0.0), (1.0 if pred_norm == gold else 0.0)
                em = int(is_greedy[gold]) if gold != -100 else 0
            row["scores"] = {k: v for k, v in {"acc": acc, "acc_norm": acc_norm, "exact_match": float(em)}.items() if k in task.metrics}
        elif task.output_type == "generate_until":
            until = task.generation_kwargs["until"]
            row["until"] = [until] if isinstance(until, str) else until
            gold = task.doc_to_target(doc)
            if task.c.get("doc_to_choice") is not None:
                gold = task.doc_to_choice(doc)[gold]
            elif task.multiple_target:
                gold = list(gold)
            elif type(gold) is not str:
                gold = str(gold)
            row["references"] = gold if isinstance(gold, list) else [gold]
            if doc_id in outputs:
                row["scores"], row["filtered"] = {}, {}
                for name, steps in task.filters:
                    result_text = outputs[doc_id]
                    for function, kwargs in steps:
                        if function == "regex":
                            result_text = regex_filter(result_text, **kwargs)
                    row["filtered"][name] = result_text
                    for metric, kwargs in task.metrics.items():
                        if task.multiple_target:
                            score = exact_match_hf_evaluate(references=gold, predictions=[result_text] * len(gold), **kwargs)["exact_match"]
                            score = 1.0 if score > 0.0 else 0.0
                        else:
                            score = exact_match_hf_evaluate(references=[gold], predictions=[result_text], **kwargs)["exact_match"]
                        row["scores"][f"{metric},{name}"] = float(score)
        elif task.output_type == "loglikelihood":
            target = task.doc_to_target(doc)
            row["continuations"] = [target]
            ll, is_greedy = fake_loglikelihood(ctx, target)
            row["scores"] = {k: v for k, v in {"perplexity": ll, "acc": int(is_greedy)}.items() if k in task.metrics}
        else:
            target = task.doc_to_target(doc)
            row["continuations"] = [target]
            ll, _ = fake_loglikelihood("", target)
            counts = {"word_perplexity": len(re.split(r"\s+", target)), "byte_perplexity": len(target.encode("utf-8")), "bits_per_byte": len(target.encode("utf-8"))}
            row["scores"] = {k: [ll, counts[k]] for k in task.metrics}
        result["docs"].append(row)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
