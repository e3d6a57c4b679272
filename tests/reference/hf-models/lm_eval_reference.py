"""lm-evaluation-harness's scoring and transformers' greedy generation for the tiny folders, written from their
published code (lm-eval 0.4.10+: lm_eval/api/model.py TemplateLM._encode_pair and loglikelihood,
lm_eval/models/huggingface.py HFLM.tok_encode, _loglikelihood_tokens, loglikelihood_rolling, prefix_token_id;
lm_eval/utils.py get_rolling_token_windows, make_disjoint_window; transformers' LlamaTokenizer (legacy) over
SentencePiece and GenerationMixin's greedy search), not from ForgetLab's C#. One request at a time, no batching,
no KV cache, so nothing here shares a shortcut with what it checks.
"""
import json
import os

import sentencepiece
import torch
import torch.nn.functional as F


class LlamaStyleTokenizer:
    """The tokenizer transformers' AutoTokenizer makes of a tokenizer.model (LlamaTokenizerFast, legacy): encode is
    SentencePiece's (dummy prefix, byte fallback) with BOS first when add_bos_token (default true) and EOS last when
    add_eos_token (default false); bos/eos/unk are its special tokens."""

    def __init__(self, folder):
        self.sp = sentencepiece.SentencePieceProcessor(model_file=os.path.join(folder, "tokenizer.model"))
        config = {}
        path = os.path.join(folder, "tokenizer_config.json")
        if os.path.exists(path):
            with open(path) as f:
                config = json.load(f)
        self.add_bos_token = config.get("add_bos_token", True)
        self.add_eos_token = config.get("add_eos_token", False)
        self.bos_token_id, self.eos_token_id, self.unk_token_id = self.sp.bos_id(), self.sp.eos_id(), self.sp.unk_id()
        self.bos_token = self.sp.id_to_piece(self.bos_token_id)
        self.all_special_ids = {self.bos_token_id, self.eos_token_id, self.unk_token_id}

    def encode(self, text, add_special_tokens=True):
        ids = self.sp.encode(text)
        if add_special_tokens:
            ids = ([self.bos_token_id] if self.add_bos_token else []) + ids + ([self.eos_token_id] if self.add_eos_token else [])
        return ids

    def decode(self, ids, skip_special_tokens=False):
        """As AutoTokenizer's fast LlamaTokenizerFast decodes: special tokens as their text (or left out), the rest
        through the converted decoder: Replace("▁", " "), ByteFallback (a run of <0xXX> pieces that is not valid
        UTF-8 becomes one U+FFFD per byte), Fuse, Strip one leading space."""
        if isinstance(ids, int):
            ids = [ids]
        out, run = [], []
        for i in ids:
            if i in self.all_special_ids:
                if run:
                    out.append(self._decode_run(run))
                    run = []
                if not skip_special_tokens:
                    out.append(self.sp.id_to_piece(i))
            else:
                run.append(i)
        if run:
            out.append(self._decode_run(run))
        return "".join(out)

    def _decode_run(self, ids):
        text, pending = [], []

        def flush():
            if pending:
                try:
                    text.append(bytes(pending).decode("utf-8"))
                except UnicodeDecodeError:
                    text.append("\ufffd" * len(pending))
                pending.clear()

        for i in ids:
            piece = self.sp.id_to_piece(i)
            if len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">"):
                pending.append(int(piece[3:5], 16))
            else:
                flush()
                text.append(piece.replace("\u2581", " "))
        flush()
        fused = "".join(text)
        return fused[1:] if fused.startswith(" ") else fused


class HFLM:
    """The parts of lm-eval's HFLM that decide what is scored, with its defaults (add_bos_token None)."""

    def __init__(self, model, tokenizer, max_length):
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.add_bos_token = None

    @property
    def prefix_token_id(self):
        if self.tokenizer.bos_token_id is not None:
            return self.tokenizer.bos_token_id
        return self.tokenizer.eos_token_id

    def tok_encode(self, string, add_special_tokens=None):
        kwargs = {}
        if add_special_tokens is not None:
            kwargs = {"add_special_tokens": add_special_tokens}
        elif self.add_bos_token is not None:
            kwargs = {"add_special_tokens": self.add_bos_token}
        if add_special_tokens is None and string.startswith(self.tokenizer.decode(self.prefix_token_id)):
            kwargs["add_special_tokens"] = False
        return self.tokenizer.encode(string, **kwargs)

    def _encode_pair(self, context, continuation):
        n_spaces = len(context) - len(context.rstrip())
        if n_spaces > 0:
            continuation = context[-n_spaces:] + continuation
            context = context[:-n_spaces]
        whole_enc = self.tok_encode(context + continuation)
        context_enc = self.tok_encode(context)
        return context_enc, whole_enc[len(context_enc):]

    def encode_request(self, context, continuation):
        if context == "":
            continuation_enc = self.tok_encode(continuation, add_special_tokens=False)
            if self.prefix_token_id != continuation_enc[0]:
                return [self.prefix_token_id], continuation_enc
            return continuation_enc[:1], continuation_enc[1:]
        return self._encode_pair(context, continuation)

    def loglikelihood_tokens(self, context_enc, continuation_enc):
        """One request of _loglikelihood_tokens; also the smallest top-1/top-2 margin at the scored positions."""
        inp = torch.tensor((context_enc + continuation_enc)[-(self.max_length + 1):][:-1], dtype=torch.long)
        with torch.no_grad():
            logits = F.log_softmax(self.model(inp.unsqueeze(0)), dim=-1)[0]
        contlen, inplen = len(continuation_enc), inp.shape[0]
        logits = logits[inplen - contlen:inplen].unsqueeze(0)
        greedy_tokens = logits.argmax(dim=-1)
        cont_toks = torch.tensor(continuation_enc, dtype=torch.long).unsqueeze(0)
        max_equal = bool((greedy_tokens == cont_toks).all())
        top = torch.topk(logits[0], 2, dim=-1).values
        margin = float((top[:, 0] - top[:, 1]).min())
        picked = torch.gather(logits, 2, cont_toks.unsqueeze(-1)).squeeze(-1)
        return float(picked.sum()), max_equal, margin

    def loglikelihood(self, context, continuation):
        return self.loglikelihood_tokens(*self.encode_request(context, continuation))

    def loglikelihood_rolling(self, string):
        token_list = self.tok_encode(string)
        total, count = 0.0, 0
        for context, pred in map(make_disjoint_window, get_rolling_token_windows(token_list, self.prefix_token_id, self.max_length, 1)):
            total += self.loglikelihood_tokens(context, pred)[0]
            count += len(pred)
        return total, count


def get_rolling_token_windows(token_list, prefix_token, max_seq_len, context_len):
    assert 1 <= context_len <= max_seq_len
    if not token_list:
        return
    pred_len = max_seq_len - context_len + 1
    predicted = 0
    first_seq_len = min(max_seq_len, len(token_list))
    yield [prefix_token] + token_list[: first_seq_len - 1], token_list[:first_seq_len]
    predicted += first_seq_len
    while predicted < len(token_list):
        window_pred_len = min(len(token_list) - predicted, pred_len)
        window_end = predicted + window_pred_len
        yield (token_list[window_end - max_seq_len - 1: window_end - 1], token_list[window_end - window_pred_len: window_end])
        predicted += window_pred_len


def make_disjoint_window(pair):
    a, b = pair
    return a[: len(a) - (len(b) - 1)], b


def generation_eos_ids(folder):
    """transformers' generation config: generation_config.json's eos_token_id, else config.json's."""
    path = os.path.join(folder, "generation_config.json")
    source = path if os.path.exists(path) else os.path.join(folder, "config.json")
    with open(source) as f:
        eos = json.load(f).get("eos_token_id")
    return [] if eos is None else [eos] if isinstance(eos, int) else list(eos)


def generate(model, tokenizer, folder, prompt, max_new_tokens):
    """generate(**tokenizer(prompt), do_sample=False, max_new_tokens=N) then decode(new, skip_special_tokens=True):
    a row stops after the first eos_token_id it produces. Also the smallest top-1/top-2 margin of the path."""
    ids = tokenizer.encode(prompt)
    eos = set(generation_eos_ids(folder))
    new, margin = [], float("inf")
    for _ in range(max_new_tokens):
        with torch.no_grad():
            logits = model(torch.tensor([ids + new]))[0, -1]
        top = torch.topk(logits, 2).values
        margin = min(margin, float(top[0] - top[1]))
        token = int(torch.argmax(logits))
        new.append(token)
        if token in eos:
            break
    return new, tokenizer.decode(new, skip_special_tokens=True), margin
