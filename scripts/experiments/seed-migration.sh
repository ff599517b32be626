#!/bin/sh
# The seed's migration table: seedapp (the seed's application, --size 200
# so that every configuration fits an MPPA-256 cluster's 512 KiB) with 1
# or 16 threads and 0 or 32 extra pages written every round, moved while
# it computes, in each mode. Per configuration and mode: downtime and
# total time (host), the NoC model's time, medians of EXP_REPS moves with
# the quartiles; beside them the seed's figures on the real chip.
#
# Writes seed-migration.csv and seed-migration.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/seed-migration.csv
echo "config,mode,threads,pages,moves,downtime_us,downtime_p25_us,downtime_p75_us,total_us,model_ms,seed_ms" >"$csv"
if [ "$EXP_QUICK" = 1 ]; then configs="1:0:19.6 16:32:101.6"; else
	configs="1:0:19.6 1:32:36.3 16:0:83.5 16:32:101.6"; fi
exp_board_start mppa256
for cfg in $configs; do
	IFS=: read -r t p seed <<-END
	$cfg
	END
	for mode in stop-copy pre-copy post-copy; do
		pid=$($C run --node "$exp_first" "$G/apps/seedapp.elf" --threads "$t" --pages "$p" --size 200 \
			--rounds 100000000)
		sleep 0.2
		exp_moves "$pid" "$mode" "$EXP_REPS" "t${t}p$p $mode" downtime_us total_us model_ms
		$C kill "$pid" >/dev/null
		echo "t${t}p$p,$mode,$t,$p,$EXP_REPS,$(exp_quart 1),$(exp_med 2),$(exp_med 3),$seed" \
			>>"$csv"
	done
done
exp_board_stop
exp_progress_done

# One cluster of bars a configuration, a bar a mode, quartiles as error
# bars; log scale, the seed's whole-migration figure as a fourth bar.
exp_split_modes "$csv"
exp_plot "$EXP_OUT/seed-migration.png" <<END
set title "Migration of the seed's application (mppa256, seedapp --size 200): medians of $EXP_REPS moves"
set ylabel "time (ms, log scale)"
set xlabel "configuration (threads, extra pages)"
set logscale y
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics nomirror
plot '$exp_tmp/stop-copy.csv' using (\$6/1000):(\$7/1000):(\$8/1000):xtic(1) title "stop-copy downtime", \
     '$exp_tmp/pre-copy.csv' using (\$6/1000):(\$7/1000):(\$8/1000) title "pre-copy downtime", \
     '$exp_tmp/post-copy.csv' using (\$6/1000):(\$7/1000):(\$8/1000) title "post-copy downtime", \
     '$exp_tmp/stop-copy.csv' using (\$9/1000):(\$9/1000):(\$9/1000) title "stop-copy total (host)", \
     '$exp_tmp/stop-copy.csv' using 10:10:10 title "stop-copy, NoC model", \
     '$exp_tmp/stop-copy.csv' using 11:11:11 title "the seed, real chip (whole migration)"
END
echo "seed-migration: $csv, $EXP_OUT/seed-migration.png"
