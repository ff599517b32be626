#!/bin/sh
# Migration against the rate at which the process writes its memory:
# pre-copy's weak spot. dirtier (256 KiB, 64 pages, on an MPPA-256
# cluster) writes R pages every 100,000 instructions (every 250 us at the
# chip's 400 MHz), R from 0 to all 64; moved while it runs, in each mode (pre-copy with
# its default of at most 8 rounds); medians of EXP_REPS moves. For
# pre-copy, the rounds it took and the pages it sent in all of them.
#
# Writes dirty-rate.csv and dirty-rate.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/dirty-rate.csv
echo "rate_pages,mode,moves,downtime_us,downtime_p25_us,downtime_p75_us,total_us,rounds,pages,model_ms" >"$csv"
if [ "$EXP_QUICK" = 1 ]; then rates="0 64"; else rates="0 1 2 4 8 16 32 64"; fi
kib=256
exp_board_start mppa256
for rate in $rates; do
	for mode in stop-copy pre-copy post-copy; do
		pid=$($C run --node "$exp_first" "$G/apps/dirtier.elf" "$kib" "$rate" 100000000)
		# its memory all written once: about 14 instructions a word
		exp_wait_insns "$pid" $((kib * 256 * 14 + 1000000))
		exp_moves "$pid" "$mode" "$EXP_REPS" "$rate pages a step, $mode" downtime_us total_us \
			rounds pages model_ms
		exp_end "$pid"
		echo "$rate,$mode,$EXP_REPS,$(exp_quart 1),$(exp_med 2),$(exp_med 3),$(exp_med 4),\
$(exp_med 5)" >>"$csv"
	done
done
exp_board_stop
exp_progress_done

exp_split_modes "$csv"
exp_plot "$EXP_OUT/dirty-rate.png" <<END
set multiplot layout 1,2 title "Migration against the write rate (mppa256, dirtier 256 KiB): medians, quartiles"
set xlabel "pages written every 100,000 instructions"
set logscale x 2
set xrange [0.5:128]
set ylabel "downtime (us)"
set logscale y
set key top left
plot '$exp_tmp/stop-copy.csv' using (\$1 > 0 ? \$1 : 0.7):4:5:6 with yerrorlines title "stop-copy", \
     '$exp_tmp/pre-copy.csv' using (\$1 > 0 ? \$1 : 0.7):4:5:6 with yerrorlines title "pre-copy", \
     '$exp_tmp/post-copy.csv' using (\$1 > 0 ? \$1 : 0.7):4:5:6 with yerrorlines title "post-copy"
unset logscale y
set ylabel "pre-copy: pages sent, all rounds"
set y2label "pre-copy: rounds"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
plot '$exp_tmp/pre-copy.csv' using (\$1 > 0 ? \$1 : 0.7):9 with linespoints title "pages sent", \
     '$exp_tmp/pre-copy.csv' using (\$1 > 0 ? \$1 : 0.7):8 axes x1y2 with linespoints title "rounds"
unset multiplot
END
echo "dirty-rate: $csv, $EXP_OUT/dirty-rate.png (rate 0 drawn at 0.7)"
