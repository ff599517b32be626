#!/bin/sh
# Downtime and total time of a migration against the process's size, in
# each mode: memhog (its memory written once, then read over and over) of
# 64 KiB to 64 MiB on the default profile (224 MiB of user memory a
# cluster), moved while it runs; medians of EXP_REPS moves (the moves of
# 16 MiB and more: at most 5).
#
# Writes size-sweep.csv and size-sweep.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/size-sweep.csv
echo "size_kib,mode,moves,downtime_us,downtime_p25_us,downtime_p75_us,total_us,total_p25_us,total_p75_us,pages,model_ms" >"$csv"
if [ "$EXP_QUICK" = 1 ]; then sizes="64 256"; else sizes="64 256 1024 4096 16384 65536"; fi
exp_board_start default
for kib in $sizes; do
	reps=$EXP_REPS
	[ "$kib" -lt 16384 ] || [ "$reps" -le 5 ] || reps=5
	for mode in stop-copy pre-copy post-copy; do
		pid=$(exp_memhog "$kib" "$exp_first") # moved once all of its memory is written
		exp_moves "$pid" "$mode" "$reps" "$kib KiB $mode" downtime_us total_us pages model_ms
		exp_end "$pid"
		echo "$kib,$mode,$reps,$(exp_quart 1),$(exp_quart 2),$(exp_med 3),$(exp_med 4)" >>"$csv"
	done
done
exp_board_stop
exp_progress_done

exp_split_modes "$csv"
exp_plot "$EXP_OUT/size-sweep.png" <<END
set multiplot layout 1,2 title "Migration against process size (default profile, memhog): medians, quartiles"
set logscale xy
set xlabel "process size (KiB)"
set ylabel "downtime (us)"
set key top left
plot '$exp_tmp/stop-copy.csv' using 1:4:5:6 with yerrorlines title "stop-copy", \
     '$exp_tmp/pre-copy.csv' using 1:4:5:6 with yerrorlines title "pre-copy", \
     '$exp_tmp/post-copy.csv' using 1:4:5:6 with yerrorlines title "post-copy"
set ylabel "total time (us)"
plot '$exp_tmp/stop-copy.csv' using 1:7:8:9 with yerrorlines title "stop-copy", \
     '$exp_tmp/pre-copy.csv' using 1:7:8:9 with yerrorlines title "pre-copy", \
     '$exp_tmp/post-copy.csv' using 1:7:8:9 with yerrorlines title "post-copy"
unset multiplot
END
echo "size-sweep: $csv, $EXP_OUT/size-sweep.png"
