#!/bin/bash
# The scheduler simulation behind docs/benchmarks.md's "Scheduler simulation" tables, rerun after the reclaim/class rule
# (a guarantee reclaim takes only runs of the reclaiming run's class). Run from the repository root, in its own autogroup:
#   setsid bash -c 'echo -15 > /proc/self/autogroup; exec docs/runs/scheduler-simulation/run.sh'
# Writes simulate.txt here (load average before and after beside the output) and the plot; then
#   docs/runs/scheduler-simulation/paste.py   # replaces the tables in docs/benchmarks.md with those of simulate.txt
out=$(dirname "$0")
dll=bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll
{ echo "load before: $(cat /proc/loadavg)"; date -u; dotnet "$dll" simulate --days 7 --plot docs/plots/scheduler-waits.svg; echo "load after: $(cat /proc/loadavg)"; date -u; } > "$out/simulate.txt" 2>&1
