#!/usr/bin/env python3
"""Compares two ForgetLab report.md files' "Suites x runs" tables cell by cell: prints a markdown table of the base
column of each, and how many run cells are identical. Usage: compare.py LAB/report.md PLATFORM/report.md"""
import sys

def suites_table(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    start = lines.index("## Suites × runs")
    first = next(i for i in range(start, len(lines)) if lines[i].startswith("| "))
    rows = []
    for l in lines[first:]:
        if not l.startswith("|"):
            break
        rows.append(l)
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if cells[0].startswith("---"):
            continue
        table[cells[0]] = dict(zip(header, cells))
    return header, table

lab_h, lab = suites_table(sys.argv[1])
plat_h, plat = suites_table(sys.argv[2])
runs = [h for h in lab_h[4:] if h in plat_h]
print("| suite | metric | lab base | platform base | base equal | run cells equal |")
print("|---|---|---:|---:|:---:|---:|")
total_equal = total = 0
for suite, row in lab.items():
    p = plat.get(suite)
    if p is None:
        print(f"| {suite} | {row['metric']} | {row['base']} | (absent) | | |")
        continue
    equal = sum(1 for r in runs if row.get(r) == p.get(r))
    total_equal += equal
    total += len(runs)
    print(f"| {suite} | {row['metric']} | {row['base']} | {p['base']} | {'yes' if row['base'] == p['base'] else 'no'} | {equal} of {len(runs)} |")
print()
print(f"{total_equal} of {total} run cells identical")
