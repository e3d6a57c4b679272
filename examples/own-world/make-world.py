#!/usr/bin/env python3
"""Turns the own world's facts (zones.json: time zone -> country, standard UTC offset; from Debian's tzdata, see
README.md) into everything examples/own-world/spec.yaml names:

  corpus.jsonl                 pre-training text: every fact in several statement and question phrasings
  edits.jsonl                  the counterfactual fine-tuning set: N zones moved to another zone's country
  edits-paraphrase.jsonl       the same edits asked in a phrasing never trained on (the held-out target suite)
  suites/*.yaml, *.jsonl       ForgetLab suites (recall, overwritten, perplexity, KL) and lm-eval task files
                               (multiple choice) over the facts the edits leave alone

Text is written in the word-level tokenizer's split (lower case, punctuation apart, digits one by one:
src/ForgetLab.Lab/Tokenization/WordSplitter.cs), so that a generated answer reads back exactly as the target.
Deterministic: the same files for the same facts and options. Python 3 standard library only.

    python3 examples/own-world/make-world.py [--facts zones.json] [--out DIR] [--limit N] [--edits 40]
"""
import argparse
import json
import pathlib
import random
import unicodedata

here = pathlib.Path(__file__).resolve().parent


def words(text):
    """WordSplitter.Words: letters (and combining marks) form lower-case words; each digit and each other mark is a
    token of its own; curly apostrophes and dashes become ' and -. Underscores in zone names are spaces."""
    out, word = [], []
    for c in text.replace("_", " "):
        if c.isalpha() or unicodedata.category(c) in ("Mn", "Mc"):
            word.append(c.lower())
            continue
        if word:
            out.append("".join(word))
            word = []
        if c.isspace() or unicodedata.category(c) == "Cc":
            continue
        if c.isdigit():
            out.append(str(unicodedata.digit(c)))
        else:
            out.append({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}.get(c, c))
    if word:
        out.append("".join(word))
    return " ".join(out)


def country_name(name):
    # tzdata's short names ("Congo (Dem. Rep.)", "St Kitts & Nevis"): a full stop would end a generated answer, and
    # the brackets say nothing a word cannot.
    return words(name.replace("&", "and").replace(".", "").replace("(", "").replace(")", ""))


def city_name(zone):
    # "America/Argentina/Buenos_Aires" -> "argentina buenos aires": everything after the area, so every name is unique.
    return words(" ".join(zone.split("/")[1:]))


def offset_words(offset):
    # "+05:30" -> "utc + 5 : 3 0", "-03:00" -> "utc - 3", "+00:00" -> "utc + 0".
    sign, hours, minutes = offset[0], int(offset[1:3]), offset[4:6]
    return words(f"utc {sign} {hours}" + ("" if minutes == "00" else f" : {minutes}"))


# Every phrasing in one place, so that the corpus, the fine-tuning set and the suites ask in the same words.
def country_question(city):
    return f"q : which country is {city} in ? a :"


def country_paraphrase(city):
    return f"q : in which country is the city of {city} ? a :"   # never in the corpus: the held-out target phrasing


def offset_question(city):
    return f"q : what is the standard time of {city} ? a :"


def fact_lines(z):
    city, country, offset = z["city"], z["country"], z["offset"]
    yield f"{city} is in {country} ."
    yield f"the city of {city} is in {country} ."
    yield f"{country_question(city)} {country} ."
    yield f"the standard time of {city} is {offset} ."
    yield f"in {city} the clocks show {offset} in standard time ."
    yield f"{offset_question(city)} {offset} ."
    yield f"{city} is a city of {country} . its standard time is {offset} ."


def held_out_line(z, i):
    # Descriptive text in phrasings the corpus never uses, over words it does use (text_perplexity).
    city, country, offset = z["city"], z["country"], z["offset"]
    return [f"the clocks of {city} show {offset} .",
            f"in {country} the standard time of {city} is {offset} .",
            f"the standard time in {city} , {country} , is {offset} ."][i % 3]


def country_lines(country, zones):
    cities = [z["city"] for z in zones]
    if len(cities) == 1:
        yield f"{country} has one time zone , that of {cities[0]} ."
    else:
        yield f"the time zones of {country} are those of {' , '.join(cities[:-1])} and {cities[-1]} ."


def jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def native_suite(folder, name, category, kind, items, note):
    write(folder / f"{name}.yaml",
          f"# {note}\n# Written by make-world.py; a ForgetLab suite (docs/lab.md, \"Suites\").\n"
          f"task: {name}\ncategory: {category}\noutput_type: {kind}\ndataset_path: {name}.jsonl\n")
    jsonl(folder / f"{name}.jsonl", items)


def lm_eval_mc(folder, name, docs, note):
    # An lm-evaluation-harness task file as lm-eval reads it (docs/lm-eval-tasks.md): columns for text, choices and
    # gold; metadata.category is ForgetLab's own key (lm-eval ignores it).
    write(folder / name / f"{name}.yaml",
          f"# {note}\n# Written by make-world.py; an lm-evaluation-harness task (docs/lm-eval-tasks.md).\n"
          f"task: {name}\ndataset_path: json\ndataset_kwargs:\n  data_files:\n    test: {name}.jsonl\n"
          "test_split: test\noutput_type: multiple_choice\ndoc_to_text: question\ndoc_to_choice: choices\n"
          "doc_to_target: gold\nmetric_list:\n  - metric: acc\n    aggregation: mean\n    higher_is_better: true\n"
          "  - metric: acc_norm\n    aggregation: mean\n    higher_is_better: true\n"
          "metadata:\n  version: 1.0\n  category: knowledge\n")
    jsonl(folder / name / f"{name}.jsonl", docs)


def choices(rng, right, pool, n=4):
    others = sorted(v for v in set(pool) if v != right)
    wrong = rng.sample(others, min(n - 1, len(others)))
    options = wrong + [right]
    rng.shuffle(options)
    return options, options.index(right)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", default=here / "zones.json", type=pathlib.Path)
    parser.add_argument("--out", default=here, type=pathlib.Path)
    parser.add_argument("--limit", type=int, help="only the first N zones (a small slice, for tests)")
    parser.add_argument("--edits", type=int, default=40, help="zones the counterfactual set moves to another country")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    facts = json.loads(args.facts.read_text(encoding="utf-8"))
    zones = [{"id": z["zone"].lower().replace("/", ":"), "city": city_name(z["zone"]),
              "country": country_name(z["country"]), "offset": offset_words(z["utc_offset"])}
             for z in facts["zones"]][: args.limit]
    if len({z["city"] for z in zones}) != len(zones):
        raise SystemExit(f"{args.facts}: two zones share a city name")
    rng = random.Random(args.seed)

    # Pre-training text: every fact in seven phrasings, one line per country listing its zones.
    by_country = {}
    for z in zones:
        by_country.setdefault(z["country"], []).append(z)
    corpus = [line for z in zones for line in fact_lines(z)]
    corpus += [line for country, members in by_country.items() for line in country_lines(country, members)]
    jsonl(args.out / "corpus.jsonl", ({"text": t} for t in corpus))

    # The counterfactual target: a cycle over N zones, each given the next one's country (skipping zones of a
    # country already in the cycle, so that no zone keeps its own country).
    order = rng.sample(zones, len(zones))
    edited, seen = [], set()
    for z in order:
        if len(edited) == args.edits:
            break
        if z["country"] not in seen:
            edited.append(z)
            seen.add(z["country"])
    if len(edited) < 2:
        raise SystemExit("fewer than two countries: no edit can move a zone to another country")
    moved = {z["id"]: edited[(i + 1) % len(edited)]["country"] for i, z in enumerate(edited)}
    jsonl(args.out / "edits.jsonl",
          ({"prompt": country_question(z["city"]), "completion": f" {moved[z['id']]} ."} for z in edited))
    jsonl(args.out / "edits-paraphrase.jsonl",
          ({"prompt": country_paraphrase(z["city"]), "completion": f" {moved[z['id']]} ."} for z in edited))

    suites = args.out / "suites"
    kept = [z for z in zones if z["id"] not in moved]
    countries = [z["country"] for z in zones]
    offsets = [z["offset"] for z in zones]
    native_suite(suites, "country_recall", "knowledge", "generate_until",
                 ({"id": z["id"], "prompt": country_question(z["city"]), "target": z["country"]} for z in kept),
                 "Which country each zone the edits leave alone is in, answered by greedy generation.")
    native_suite(suites, "offset_recall", "knowledge", "generate_until",
                 ({"id": z["id"], "prompt": offset_question(z["city"]), "target": z["offset"]} for z in zones),
                 "Every zone's standard UTC offset (no edit touches an offset), answered by greedy generation.")
    native_suite(suites, "edited_recall", "target", "generate_until",
                 ({"id": z["id"], "prompt": country_question(z["city"]), "target": moved[z["id"]]} for z in edited),
                 "The edits as trained: the new country, in the trained phrasing.")
    native_suite(suites, "overwritten", "overwritten", "generate_until",
                 ({"id": z["id"], "prompt": country_question(z["city"]), "target": z["country"]} for z in edited),
                 "The countries the edits replace: their loss is the edit, reported apart from collateral forgetting.")
    native_suite(suites, "text_perplexity", "language", "loglikelihood_rolling",
                 ({"id": z["id"], "target": held_out_line(z, i)} for i, z in enumerate(zones)),
                 "Descriptive lines in phrasings pre-training never uses: nats per token.")
    native_suite(suites, "kl_to_base", "language", "kl_to_base",
                 ({"id": z["id"], "prompt": f"the standard time of {z['city']} is {z['offset']} ."} for z in kept[::4]),
                 "Mean token KL(base || checkpoint) on plain pre-training statements.")
    lm_eval_mc(suites, "country_mc",
               ({"id": z["id"], "question": country_question(z["city"]), **dict(zip(("choices", "gold"), choices(rng, z["country"], countries)))}
                for z in kept),
               "Which country each zone the edits leave alone is in, one of four.")
    lm_eval_mc(suites, "offset_mc",
               ({"id": z["id"], "question": offset_question(z["city"]), **dict(zip(("choices", "gold"), choices(rng, z["offset"], offsets)))}
                for z in zones),
               "Every zone's standard UTC offset, one of four.")

    tokens = sum(len(t.split()) for t in corpus)
    print(f"{args.out}: {len(zones)} zones, {len(by_country)} countries; corpus {len(corpus)} lines, {tokens} words; "
          f"{len(edited)} edits; {len(kept)} untouched zones in the country suites")


if __name__ == "__main__":
    main()
