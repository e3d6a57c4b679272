#!/usr/bin/env python3
"""Markdown tables for docs/benchmarks.md from the interleaved outputs beside this script (new-1, old-1, new-2, old-2)."""
import os, re

here = os.path.dirname(os.path.abspath(__file__))

def read(name):
    text = open(os.path.join(here, name)).read()
    load = lambda which: re.search(rf'load {which}: (\S+)', text).group(1)
    sections = {}
    for title, body in re.findall(r'^## (.+?)\n\n(.*?)(?=^## |\Z)', text, re.S | re.M):
        rows = dict(re.findall(r'^\| (.+?) \| (.+?) \|$', body, re.M))
        sections[title] = rows
    return load('before'), load('after'), sections

def row(sections, mix, measure):
    for title, rows in sections.items():
        if title.startswith(mix) and 'new policy' in title and measure in rows:
            return rows[measure]
    return '—'

def today(sections):
    for title, rows in sections.items():
        if title.startswith('1-device') and 'new policy' not in title:
            for k, v in rows.items():
                if k.startswith('single-device re-placement') and 'decisions/s' in k:
                    return v
    return '—'

print('| round | Core | load average (1 min) before → after | 1-device: Decide per call | 1-device: Plan per call | 1-device: decisions/s (lists) | 1-device: indexed decisions/s | 1-device: indexed µs per decision | mixed: Choose per call | mixed: indexed decisions/s | today\'s Decide-only re-placement: decisions/s |')
print('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for name in ['new-1.txt', 'old-1.txt', 'new-2.txt', 'old-2.txt']:
    before, after, s = read(name)
    which, rnd = name[:-4].split('-')
    print(f"| {rnd} | {which} | {before} → {after} | {row(s, '1-device', 'FairSharePolicy.Decide: time per call')} | {row(s, '1-device', 'PreemptionPolicy.Plan: time per call')} | "
          f"{row(s, '1-device', 'single-device decision (all three): decisions/s')} | {row(s, '1-device', 'indexed single-device decision (all three, index updates and undo included): decisions/s')} | "
          f"{row(s, '1-device', 'indexed single-device decision: time per decision')} | {row(s, 'mixed', 'GangReservations.Choose: time per call')} | "
          f"{row(s, 'mixed', 'indexed single-device decision (all three, index updates and undo included): decisions/s')} | {today(s)} |")
