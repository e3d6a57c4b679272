#!/usr/bin/env python3
"""Writes the candidate data targets the rl-vs-sft learnability probe measures (tools/rl-evidence/passrate-*.yaml),
as prompt/completion JSONL under examples/rl-suites/, in the built-in world's own phrasings and normalisation
(src/ForgetLab.Lab/World/Phrasings.cs, WordSplitter: lower case, punctuation and every digit its own token), so the
base reads them as it read pre-training. Facts come from the world's data files; nothing is typed by hand.

    python3 tools/rl-evidence/make-targets.py       # from the repository root

- sums: "a + b =" -> "a+b ." with addends drawn as the world draws them (Skills.NextAddends: 2 or 3 digits, even odds).
  The base was pre-trained on such sums (all but a hashed eighth), digit by digit, and gets 1.5% of the held-out ones.
- sums2: the same with both addends of 2 digits (the easier half of the world's sums).
- element_numbers: "q : what is the atomic number of X ? a :" -> "N ." for the world's 118 elements (pre-trained facts).
"""
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "examples" / "rl-suites"
DATA = ROOT / "src" / "ForgetLab.Lab" / "World" / "Data"


def norm(text):
    """WordSplitter.Words joined by spaces (ASCII subset: the element names and sums here are ASCII)."""
    return " ".join(re.findall(r"[a-z]+|[^\sa-z]", text.lower()))


def write(name, rows):
    with open(OUT / f"{name}.jsonl", "w", encoding="utf-8") as f:
        for prompt, completion in rows:
            f.write(json.dumps({"prompt": norm(prompt), "completion": " " + norm(completion)}) + "\n")
    print(f"{name}: {len(rows)} lines")


def main():
    rnd = random.Random(14)
    seen, sums = set(), []
    while len(sums) < 240:
        a, b = [rnd.randrange(10, 100) if rnd.randrange(2) == 0 else rnd.randrange(100, 1000) for _ in range(2)]
        if (a, b) not in seen:
            seen.add((a, b))
            sums.append((f"{a} + {b} =", f"{a + b} ."))
    write("target_sums", sums)
    seen, sums2 = set(), []
    while len(sums2) < 240:
        a, b = rnd.randrange(10, 100), rnd.randrange(10, 100)
        if (a, b) not in seen:
            seen.add((a, b))
            sums2.append((f"{a} + {b} =", f"{a + b} ."))
    write("target_sums2", sums2)
    elements = json.loads((DATA / "elements.json").read_text(encoding="utf-8"))
    write("target_element_numbers", [(f"q : what is the atomic number of {e['name']} ? a :", f"{e['number']} .") for e in elements])


if __name__ == "__main__":
    main()
