#!/bin/sh
# The seed's thread benchmark: forkjoin on an MPPA-256 cluster creates and
# joins n threads (n = 1..17) REPS times; instructions and host time per
# create+join pair. Run through the board as a user would (crtool run,
# wait, logs).
#
# Writes forkjoin.csv and forkjoin.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/forkjoin.csv
if [ "$EXP_QUICK" = 1 ]; then reps=2; else reps=200; fi
exp_board_start mppa256
exp_progress "forkjoin, $reps repetitions"
pid=$($C run --node "$exp_first" "$G/apps/forkjoin.elf" --reps "$reps")
$C wait --json "$pid" >"$exp_tmp/wait"
[ "$(exp_jfield status <"$exp_tmp/wait")" = 0 ] || exp_fail "forkjoin failed: $(cat "$exp_tmp/wait")"
$C logs --stderr "$pid" >"$exp_tmp/out" 2>&1
exp_board_stop
exp_progress_done
echo "threads,insns_per_pair,host_ns_per_pair" >"$csv"
awk '$1 ~ /^[0-9]+$/ && NF == 3 { print $1 "," $2 "," $3 }' "$exp_tmp/out" >>"$csv"
[ "$(wc -l <"$csv")" -gt 1 ] || exp_fail "no figures in forkjoin's output: $(cat "$exp_tmp/out")"

exp_plot "$EXP_OUT/forkjoin.png" <<END
set title "Thread create+join on an MPPA-256 cluster (forkjoin, $reps repetitions)"
set xlabel "threads created and joined at once (n)"
set ylabel "guest instructions per create+join pair"
set y2label "host time per pair (ns)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics 1
plot '$csv' every ::1 using 1:2 with linespoints title "instructions", \
     '$csv' every ::1 using 1:3 axes x1y2 with linespoints title "host ns"
END
echo "forkjoin: $csv, $EXP_OUT/forkjoin.png"
