#!/bin/bash
# Interleaved old (main 3688db4 Core) vs new (branch pool Core) scheduler benchmark, same bench code.
out=${OUT:-/tmp/pool-bench}; mkdir -p $out
for round in 1 2; do
  for which in new old; do
    if [ $which = new ]; then dll=/work/pool/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll; else dll=/tmp/pool-old/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll; fi
    { echo "load before: $(cat /proc/loadavg)"; date -u; dotnet $dll throughput; echo "load after: $(cat /proc/loadavg)"; } > $out/$which-$round.txt 2>&1
  done
done
