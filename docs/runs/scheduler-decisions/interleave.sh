#!/bin/bash
# Interleaved old (main's Core and bench) vs new (branch sched: PoolIndex, indexed Decide and Plan) scheduler benchmark.
# The old build is main's tree as it was when the branch was measured:
#   git archive main | tar -x -C /tmp/sched-old && (cd /tmp/sched-old && dotnet build bench/ForgetLab.Bench.Scheduler -c Release)
# The new bench also times the indexed decision (its rows start "indexed"); the old one cannot (no PoolIndex there).
# Run in its own autogroup: setsid bash -c 'echo -15 > /proc/self/autogroup; exec ./interleave.sh'
# Then: ./tables.py > tables.md (the tables in docs/benchmarks.md are copied from it).
out=${OUT:-$(dirname "$0")}; mkdir -p "$out"
new=/work/sched/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll
old=/tmp/sched-old/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll
for round in 1 2; do
  for which in new old; do
    if [ $which = new ]; then dll=$new; else dll=$old; fi
    { echo "load before: $(cat /proc/loadavg)"; date -u; dotnet $dll throughput; echo "load after: $(cat /proc/loadavg)"; } > "$out/$which-$round.txt" 2>&1
  done
done
