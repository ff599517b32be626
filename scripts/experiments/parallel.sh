#!/bin/sh
# The seed's parallel table: 1 to 8 migrations at once, each of a
# computing seedapp (one thread, the seed's 343 KiB) to its own cluster,
# stop-copy: wall time from the first `crtool migrate` until the last
# returns, and each move's downtime; medians of EXP_REPS rounds.
#
# Writes parallel.csv and parallel.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/parallel.csv
echo "migrations,rounds,total_ms,total_p25_ms,total_p75_ms,downtime_us" >"$csv"
if [ "$EXP_QUICK" = 1 ]; then counts="1 2"; else counts="1 2 3 4 5 6 7 8"; fi
exp_board_start mppa256
pids=
for k in 0 1 2 3 4 5 6 7; do
	pids="$pids $($C run --node $((exp_first + k)) "$G/apps/seedapp.elf" --rounds 100000000)"
done
sleep 0.2
round=0
for n in $counts; do
	: >"$exp_tmp/totals"
	: >"$exp_tmp/downs"
	r=0
	while [ $r -lt "$EXP_REPS" ]; do
		exp_progress "$n at once: round $((r + 1)) of $EXP_REPS"
		# the first n processes, each to a cluster of its own, there and back
		i=0
		jobs_=
		t0=$(exp_now_us)
		for pid in $pids; do
			[ $i -lt "$n" ] || break
			to=$((exp_first + 8 + i))
			[ $((round % 2)) = 0 ] || to=$((exp_first + i))
			$C migrate -p "$pid" --to "$to" --json >"$exp_tmp/m.$i" &
			jobs_="$jobs_ $!"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		wait $jobs_ || true # (not the board's)
		t1=$(exp_now_us)
		i=0
		while [ $i -lt "$n" ]; do
			down=$(exp_jfield downtime_us <"$exp_tmp/m.$i")
			[ -n "$down" ] || exp_fail "a migration of $n at once failed: $(cat "$exp_tmp/m.$i")"
			echo "$down" >>"$exp_tmp/downs"
			i=$((i + 1))
		done
		# the others stay where they were: move them too, so all are on
		# the same side for the next round
		i=0
		for pid in $pids; do
			if [ $i -ge "$n" ]; then
				to=$((exp_first + 8 + i))
				[ $((round % 2)) = 0 ] || to=$((exp_first + i))
				$C migrate -p "$pid" --to "$to" >/dev/null
			fi
			i=$((i + 1))
		done
		round=$((round + 1))
		echo "$(((t1 - t0)))" | awk '{ print $1 / 1000 }' >>"$exp_tmp/totals"
		r=$((r + 1))
	done
	set -- $(exp_stats <"$exp_tmp/totals")
	echo "$n,$EXP_REPS,$1,$2,$3,$(exp_stats <"$exp_tmp/downs" | cut -d' ' -f1)" >>"$csv"
done
for pid in $pids; do $C kill "$pid" >/dev/null; done
exp_board_stop
exp_progress_done

exp_plot "$EXP_OUT/parallel.png" <<END
set title "Migrations at once (mppa256, seedapp 343 KiB, stop-copy): medians of $EXP_REPS rounds"
set xlabel "migrations started together"
set ylabel "time until the last returns (ms)"
set y2label "downtime of each (us)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics 1
plot '$csv' every ::1 using 1:3:4:5 with yerrorlines title "wall time, all of them", \
     '$csv' every ::1 using 1:6 axes x1y2 with linespoints title "median downtime of one"
END
echo "parallel: $csv, $EXP_OUT/parallel.png"
