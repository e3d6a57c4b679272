#!/usr/bin/env python3
"""Compares two ForgetLab report.json files field by field (a lab run against the same grid on the platform).

usage: tools/reports/compare.py A/report.json B/report.json [--show N]

Runs are matched by name, suites by name, checkpoints by step. Fields that name where a report came from rather than
what it measured are skipped: the spec name, creation time, the base's model name and hash (the lab keys a base by its
spec hash, the platform by tenant and model name), wall-clock times (each run's `time`, each checkpoint's
`training_seconds` and `evaluation_seconds`), and `data` (file locations). Every other
leaf is compared exactly; numbers also by their largest absolute difference. Prints one line per part of the report
(base, each run) with the number of differing fields, then the first N differences (default 20). Exit status 0 when
the two agree everywhere, 1 when some field differs, 2 on bad input.
"""
import json
import sys

SKIPPED = {("spec_name",), ("created_utc",), ("data",), ("base", "model"), ("base", "model_hash")}
SKIPPED_IN_RUN = {"time"}
SKIPPED_IN_CHECKPOINT = {"training_seconds", "evaluation_seconds"}


def keyed(items, key):
    return {item[key]: item for item in items} if all(isinstance(i, dict) and key in i for i in items) else None


def walk(a, b, path, out):
    """Appends (path, a, b) for every differing leaf, and records numeric differences."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if len(path) == 2 and path[0] == "runs" and k in SKIPPED_IN_RUN:
                continue
            if len(path) == 4 and path[2] == "checkpoints" and k in SKIPPED_IN_CHECKPOINT:
                continue
            if tuple(path + [k]) in SKIPPED:
                continue
            if k not in a or k not in b:
                out.append((path + [k], a.get(k, "<absent>"), b.get(k, "<absent>")))
            else:
                walk(a[k], b[k], path + [k], out)
        return
    if isinstance(a, list) and isinstance(b, list):
        for key in ("name", "suite", "step"):
            ka, kb = keyed(a, key), keyed(b, key)
            if ka is not None and kb is not None and a:
                for k in sorted(set(ka) | set(kb), key=str):
                    if k not in ka or k not in kb:
                        out.append((path + [str(k)], ka.get(k, "<absent>"), kb.get(k, "<absent>")))
                    else:
                        walk(ka[k], kb[k], path + [str(k)], out)
                return
        if any(isinstance(x, str) for x in a + b):  # item ids (lost, gained): one field, compared whole
            COMPARED[0] += 1
            if a != b:
                out.append((path, a, b))
            return
        if len(a) != len(b):
            out.append((path + ["<length>"], len(a), len(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, path + [str(i)], out)
        return
    COMPARED[0] += 1
    if a != b:
        out.append((path, a, b))


COMPARED = [0]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    show = 20
    if "--show" in argv:
        show = int(argv[argv.index("--show") + 1])
        args.remove(str(show))
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        reports = [json.load(open(p, encoding="utf-8")) for p in args]
    except (OSError, json.JSONDecodeError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    a, b = reports
    total = 0
    compared = 0
    for part, x, y in [("base", a.get("base"), b.get("base"))] + [
        (name, run, (keyed(b.get("runs", []), "name") or {}).get(name)) for name, run in (keyed(a.get("runs", []), "name") or {}).items()
    ] + [("frontier", a.get("frontier"), b.get("frontier")), ("seed_groups", a.get("seed_groups"), b.get("seed_groups"))]:
        diffs = []
        path = ["base"] if part == "base" else ([part] if part in ("frontier", "seed_groups") else ["runs", part])
        if y is None and x is not None:
            diffs.append((path, "present", "<absent>"))
        else:
            walk(x, y, path, diffs)
        numeric = [abs(p - q) for _, p, q in diffs if isinstance(p, (int, float)) and isinstance(q, (int, float)) and not isinstance(p, bool)]
        largest = max(numeric, default=0)
        print(f"{part}: {len(diffs)} fields differ" + (f" (largest numeric difference {largest:.6g})" if numeric else ""))
        total += len(diffs)
        for p, u, v in diffs[: max(0, show - compared)]:
            print(f"  {'.'.join(p)}: {json.dumps(u)[:80]} vs {json.dumps(v)[:80]}")
        compared += min(len(diffs), max(0, show - compared))
    extra = set((keyed(b.get("runs", []), "name") or {})) - set((keyed(a.get("runs", []), "name") or {}))
    for name in sorted(extra):
        print(f"{name}: only in {args[1]}")
        total += 1
    print(f"{'agree' if total == 0 else 'differ'}: {total} of {COMPARED[0]} fields differ")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
