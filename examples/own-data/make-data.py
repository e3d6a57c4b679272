#!/usr/bin/env python3
"""Writes continents-chat.jsonl and general.jsonl for examples/own-data/spec.yaml from the built-in world's
countries (src/ForgetLab.Lab/World/Data/countries.json, whose sources and licences are in SOURCES.md there):
a chat-format fine-tuning set in the world's own words, so the word-level quickstart base knows every token,
and a small general-text corpus for replay. Deterministic: the same files every time."""
import json
import pathlib
import random
import re

here = pathlib.Path(__file__).resolve().parent
countries = json.loads((here / ".." / ".." / "src" / "ForgetLab.Lab" / "World" / "Data" / "countries.json").read_text(encoding="utf-8"))


def words(text):
    # The word tokenizer's split, roughly: lower case, punctuation apart (the lab normalises the same way).
    return " ".join(re.findall(r"[^\W\d_]+|\d|[^\w\s]", text.lower()))


picked = [c for c in countries if c["capital"] and c["continent"]]
random.Random(13).shuffle(picked)
with open(here / "continents-chat.jsonl", "w", encoding="utf-8") as out:
    for c in picked[:60]:
        name, continent = words(c["name"]), words(c["continent"])
        out.write(json.dumps({"messages": [
            {"role": "user", "content": f"which continent is {name} in ?"},
            {"role": "assistant", "content": f"{name} is in {continent} ."},
        ]}) + "\n")
with open(here / "general.jsonl", "w", encoding="utf-8") as out:
    for c in picked[60:160]:
        out.write(json.dumps({"text": f"the capital of {words(c['name'])} is {words(c['capital'])} ."}) + "\n")
