# lib.sh - what the experiments share (sourced, not run). Each experiment
# drives a board only through crtool's public commands and their --json
# output, as a user's script would, and writes a CSV and a PNG plot
# (gnuplot) to $EXP_OUT.
#
# Environment: EXP_OUT (default build/experiments), EXP_QUICK=1 (tiny
# sizes, one repetition: what `make test` runs), EXP_REPS (repetitions
# where an experiment repeats; default 11, 1 when quick).
set -eu
cd "$(dirname "$0")/../.."
M=${MANYCORE:-build/bin/manycore}
C=${CRTOOL:-build/bin/crtool}
G=${GUEST_DIR:-build/guest}
EXP_OUT=${EXP_OUT:-build/experiments}
EXP_QUICK=${EXP_QUICK:-0}
if [ "$EXP_QUICK" = 1 ]; then EXP_REPS=${EXP_REPS:-1}; else EXP_REPS=${EXP_REPS:-11}; fi
mkdir -p "$EXP_OUT"
exp_tmp=$(mktemp -d)
exp_board=
# Leave nothing running, whatever happens.
exp_cleanup() {
	if [ -n "$exp_board" ]; then
		kill "$exp_board" 2>/dev/null || true
		wait "$exp_board" 2>/dev/null || true
	fi
	rm -rf "$exp_tmp"
}
trap exp_cleanup EXIT
exp_fail() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}
command -v gnuplot >/dev/null || exp_fail "gnuplot is missing (scripts/install-deps installs it)"

# Starts a board of profile $1 for crtool (CRTOOL_BOARD); $exp_first is
# its first compute node (4 on default, 8 on mppa256), where processes go.
exp_board_start() {
	export CRTOOL_BOARD=$exp_tmp/board.sock
	$M serve --profile "$1" --socket "$CRTOOL_BOARD" >"$exp_tmp/serve.out" 2>&1 &
	exp_board=$!
	for _ in $(seq 200); do
		if [ -S "$CRTOOL_BOARD" ]; then
			exp_first=$($C stats | awk '$2 == "compute" { print $1; exit }')
			return 0
		fi
		sleep 0.05
	done
	exp_fail "the board did not start: $(cat "$exp_tmp/serve.out")"
}
exp_board_stop() {
	$C shutdown >/dev/null 2>&1 || true
	wait "$exp_board" 2>/dev/null || true
	exp_board=
	rm -f "$CRTOOL_BOARD"
}

# Waits until process $1 has retired $2 instructions (crtool ps --json);
# fails if it ends first.
exp_wait_insns() {
	while :; do
		$C ps --json | grep -A14 "\"pid\": $1," >"$exp_tmp/ps"
		grep -q '"state": "running"' "$exp_tmp/ps" ||
			exp_fail "pid $1 ended early: $($C logs "$1" 2>&1 | tail -2)"
		grep -o '"instructions": [0-9]*' "$exp_tmp/ps" | head -1 |
			awk -v want="$2" '{ exit !($2 >= want) }' && return 0
		sleep 0.05
	done
}

# Ends process $1 and waits until it has (its memory is free again).
exp_end() {
	$C kill "$1" >/dev/null
	$C wait "$1" >/dev/null || true
}

# Starts memhog of $1 KiB on node $2 and prints its pid once all of its
# memory is written: writing a word and checking it take 27 instructions
# (`manycore run --stats memhog.elf KiB 1`), so 30 a word is past the
# writing.
exp_memhog() {
	exp_hog=$($C run --node "$2" "$G/apps/memhog.elf" "$1" 100000000)
	exp_wait_insns "$exp_hog" $(($1 * 256 * 30))
	echo "$exp_hog"
}

# Moves process $1 $3 times in mode $2, to the five compute nodes after
# the first in turn (5..9 on default, 9..13 on mppa256; the
# progress line names it $4), and writes $exp_tmp/moves: a line a move,
# the migrate --json fields named after $4, in that order.
exp_moves() {
	mv_pid=$1 mv_mode=$2 mv_reps=$3 mv_label=$4
	shift 4
	: >"$exp_tmp/moves"
	mv_k=0
	while [ $mv_k -lt "$mv_reps" ]; do
		mv_to=$((exp_first + 1 + mv_k % 5))
		exp_progress "$mv_label: move $((mv_k + 1)) of $mv_reps"
		$C migrate -p "$mv_pid" --to "$mv_to" --mode "$mv_mode" --json >"$exp_tmp/m" ||
			exp_fail "crtool migrate -p $mv_pid --to $mv_to --mode $mv_mode failed"
		mv_line=
		for mv_f in "$@"; do mv_line="$mv_line $(exp_jfield "$mv_f" <"$exp_tmp/m")"; done
		echo "$mv_line" >>"$exp_tmp/moves"
		mv_k=$((mv_k + 1))
	done
}

# Host wall time in us.
exp_now_us() { echo $(($(date +%s%N) / 1000)); }

# The figure $1 of the JSON on stdin, the first (crtool --json
# gives times in ns, docs/json.md): KEY_us and KEY_ms read KEY_ns in
# those units.
exp_jfield() {
	case $1 in
	*_us) set -- "${1%_us}_ns" 1e3 ;;
	*_ms) set -- "${1%_ms}_ns" 1e6 ;;
	*) set -- "$1" 1 ;;
	esac
	grep -o "\"$1\": [0-9.e+-]*" | head -1 | awk -v d="$2" '{ if (d == 1) print $2; else printf "%.3f\n", $2 / d }'
}

# Median, 25th and 75th percentiles of the numbers on stdin, one a line:
# "MED P25 P75" (nearest rank).
exp_stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = v[int((NR + 1) / 2)]
			q1 = v[int((NR - 1) / 4) + 1]
			q3 = v[NR - int((NR - 1) / 4)]
			print m, q1, q3
		}'
}

# Of column $1 of $exp_tmp/moves (or file $2): the median; "MED,P25,P75".
exp_med() { awk "{ print \$$1 }" "${2:-$exp_tmp/moves}" | exp_stats | cut -d' ' -f1; }
exp_quart() { awk "{ print \$$1 }" "${2:-$exp_tmp/moves}" | exp_stats | tr ' ' ','; }

# Splits CSV $1 by its mode column into $exp_tmp/MODE.csv (for the plots).
exp_split_modes() {
	for m in stop-copy pre-copy post-copy; do grep ",$m," "$1" >"$exp_tmp/$m.csv" || true; done
}

# Progress on a terminal (stderr), nothing when it is piped.
exp_progress() {
	[ -t 2 ] && printf '\r\033[K%s: %s' "$(basename "$0" .sh)" "$*" >&2 || true
}
exp_progress_done() {
	[ -t 2 ] && printf '\r\033[K' >&2 || true
}

# Runs gnuplot on the script on stdin, writing PNG $1 (800x500).
exp_plot() {
	{
		echo "set terminal pngcairo size 800,500 font 'sans,10'"
		echo "set output '$1'"
		echo "set datafile separator ','"
		echo "set key top left"
		echo "set grid"
		cat
	} | gnuplot || exp_fail "gnuplot could not draw $1"
}
