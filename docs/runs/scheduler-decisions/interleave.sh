#!/bin/bash
# Interleaved old (main 3688db4 Core) vs new (branch pool Core) scheduler benchmark, same bench code.
# The old build is this branch's bench/ForgetLab.Bench.Scheduler on main 3688db4's tree:
#   git archive 3688db4 | tar -x -C /tmp/pool-old && rm -rf /tmp/pool-old/bench/ForgetLab.Bench.Scheduler \
#     && cp -r bench/ForgetLab.Bench.Scheduler /tmp/pool-old/bench/ && (cd /tmp/pool-old && dotnet build bench/ForgetLab.Bench.Scheduler -c Release)
# Run in its own autogroup: setsid bash -c 'echo -15 > /proc/self/autogroup; exec nice -n -15 ./interleave.sh'
out=${OUT:-/tmp/pool-bench}; mkdir -p $out
for round in 1 2; do
  for which in new old; do
    if [ $which = new ]; then dll=/work/pool/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll; else dll=/tmp/pool-old/bench/ForgetLab.Bench.Scheduler/bin/Release/net10.0/ForgetLab.Bench.Scheduler.dll; fi
    { echo "load before: $(cat /proc/loadavg)"; date -u; dotnet $dll throughput; echo "load after: $(cat /proc/loadavg)"; } > $out/$which-$round.txt 2>&1
  done
done
