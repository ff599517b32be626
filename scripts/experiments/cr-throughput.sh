#!/bin/sh
# Checkpoint and restore throughput against the process's size: memhog of
# 1 to 64 MiB (quick: 256 KiB and 1 MiB) on the default profile, dumped
# with `crtool dump --leave-running --json` raw and with zstd, each
# restored as a second copy (`crtool restore --new-pid --json`); medians of EXP_REPS
# (at most 3 from 16 MiB on). Beside them the ceilings: a plain write and
# fsync of the same page bytes (dd), and a memcpy of 64 MiB (imgbench,
# when `make bench` has built it); and the image sizes, raw and zstd.
#
# Writes cr-throughput.csv and cr-throughput.png to EXP_OUT.
. "$(dirname "$0")/lib.sh"

csv=$EXP_OUT/cr-throughput.csv
echo "size_kib,reps,bytes_raw,dump_mbps,dump_zstd_mbps,restore_mbps,restore_zstd_mbps,disk_write_mbps,memcpy_mbps,image_bytes,image_zstd_bytes" >"$csv"
if [ "$EXP_QUICK" = 1 ]; then sizes="256 1024"; else sizes="1024 4096 16384 65536"; fi
memcpy=nan
imgbench=build/bench/imgbench
if [ -x "$imgbench" ] && [ "$EXP_QUICK" != 1 ]; then
	# imgbench says MiB/s
	memcpy=$("$imgbench" "$G" "$exp_tmp/ib" 2>/dev/null |
		awk -F, '$1 == "images.memcpy.mbps" { printf "%.0f", $2 * 1.048576 }')
	[ -n "$memcpy" ] || memcpy=nan
fi
# Restores set $1 as a second copy on the node after the first compute node, ends it, and prints how
# long the restore took (ms).
restore_ms() {
	$C restore -D "$1" --new-pid --node $((exp_first + 1)) --json >"$exp_tmp/j" ||
		exp_fail "crtool restore of $1 failed"
	exp_end "$(exp_jfield pid <"$exp_tmp/j")"
	exp_jfield total_ms <"$exp_tmp/j"
}
exp_board_start default
for kib in $sizes; do
	reps=$EXP_REPS
	[ "$kib" -lt 16384 ] || [ "$reps" -le 3 ] || reps=3
	hog=$(exp_memhog "$kib" "$exp_first")
	: >"$exp_tmp/runs"
	r=0
	while [ $r -lt "$reps" ]; do
		exp_progress "$kib KiB: round $((r + 1)) of $reps"
		d=$exp_tmp/d$kib.$r
		$C dump -p "$hog" -D "$d.raw" --leave-running --json >"$exp_tmp/j" ||
			exp_fail "crtool dump of $kib KiB failed"
		raw_ms=$(exp_jfield total_ms <"$exp_tmp/j")
		bytes=$(exp_jfield bytes_raw <"$exp_tmp/j")
		t0=$(exp_now_us)
		dd if="$d.raw/pages.img" of="$exp_tmp/ceiling" bs=4M conv=fsync 2>/dev/null
		t1=$(exp_now_us)
		$C dump -p "$hog" -D "$d.zstd" --leave-running --compress --json >"$exp_tmp/j" ||
			exp_fail "crtool dump --compress of $kib KiB failed"
		z_ms=$(exp_jfield total_ms <"$exp_tmp/j")
		r_ms=$(restore_ms "$d.raw")
		rz_ms=$(restore_ms "$d.zstd")
		pbytes=$(wc -c <"$d.raw/pages.img")
		echo "$bytes $raw_ms $z_ms $r_ms $((t1 - t0)) $pbytes $(du -sb "$d.raw" | cut -f1) \
$(du -sb "$d.zstd" | cut -f1) $rz_ms" >>"$exp_tmp/runs"
		rm -rf "$d.raw" "$d.zstd" "$exp_tmp/ceiling"
		r=$((r + 1))
	done
	exp_end "$hog"
	exp_med_runs() { exp_med "$1" "$exp_tmp/runs"; }
	bytes=$(exp_med_runs 1)
	rate() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / ms / 1000 }'; }
	echo "$kib,$reps,$bytes,$(rate "$bytes" "$(exp_med_runs 2)"),$(rate "$bytes" "$(exp_med_runs 3)"),\
$(rate "$bytes" "$(exp_med_runs 4)"),$(rate "$bytes" "$(exp_med_runs 9)"),$(rate "$(exp_med_runs 6)" "$(awk -v us="$(exp_med_runs 5)" 'BEGIN { print us / 1000 }')"),\
$memcpy,$(exp_med_runs 7),$(exp_med_runs 8)" >>"$csv"
done
exp_board_stop
exp_progress_done

exp_plot "$EXP_OUT/cr-throughput.png" <<END
set multiplot layout 1,2 title "Checkpoint/restore against process size (default profile, memhog): medians"
set logscale x
set xlabel "process size (KiB)"
set ylabel "throughput (MB/s)"
set key top left
plot '$csv' every ::1 using 1:4 with linespoints title "dump, raw", \
     '$csv' every ::1 using 1:5 with linespoints title "dump, zstd", \
     '$csv' every ::1 using 1:6 with linespoints title "restore, raw", \
     '$csv' every ::1 using 1:7 with linespoints title "restore, zstd", \
     '$csv' every ::1 using 1:8 with linespoints dt 2 title "ceiling: write + fsync", \
     '$csv' every ::1 using 1:9 with linespoints dt 3 title "ceiling: memcpy"
set logscale y
set ylabel "image size (bytes)"
plot '$csv' every ::1 using 1:10 with linespoints title "raw", \
     '$csv' every ::1 using 1:11 with linespoints title "zstd"
unset multiplot
END
echo "cr-throughput: $csv, $EXP_OUT/cr-throughput.png"
