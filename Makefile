# crtool: checkpoint/restore and live migration for Nanvix-style manycores.
#
#   make          build the host tools and the guest programs
#   make demo     install what is missing, build, run the main job
#   make test     install what is missing, build, run the whole test suite
#   make bench    run the benchmarks; figures in build/bench/results.csv
#   make experiments  the scripted experiments: CSV and plots in build/experiments
#   make fuzz     run the libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make soak     1,000 operations on a loaded 20-cluster board; soak.* figures
#   make tsan     the board suite against a ThreadSanitizer build
#   make install  binaries, libcrtool, header, pkg-config, Python module, man pages,
#                 bash completion, nanvix-cc (PREFIX, DESTDIR)
#   make clean    remove build/
#
# The pieces live in mk/*.mk, one per concern.

.DEFAULT_GOAL := all
# Keep the guests' object files: they are intermediates of chained rules.
.SECONDARY:

include mk/config.mk
include mk/host.mk
include mk/lib.mk
include mk/guest.mk
include mk/test.mk
include mk/bench.mk
include mk/fuzz.mk
include mk/experiments.mk

.PHONY: all deps demo clean

all: host guests

# Installs missing Debian packages (as root) or says what to run.
deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

clean:
	rm -rf $(BUILD)
