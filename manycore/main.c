/*
 * main.c - the `manycore` command: the emulated board.
 *
 *   manycore run [OPTIONS] FILE.elf [ARGS...]
 *
 * boots one cluster in-process, runs one guest to its end and exits with
 * the guest's status. Exit statuses are listed in usage() and docs/cli.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/physmem.h"
#include "kernel/frame.h"
#include "kernel/kparams.h"
#include "kernel/proc.h"
#include "kernel/vm.h"

/* Exit statuses of `manycore run` besides the guest's own 0-255. */
enum {
	EXIT_LIMIT = 124,    /* --max-instructions reached */
	EXIT_USAGE = 125,    /* bad command line, or manycore itself failed */
	EXIT_NOEXEC = 126,   /* the guest cannot be loaded */
	EXIT_NOFILE = 127,   /* the guest file cannot be read */
	EXIT_SIGNAL = 128,   /* + signal number when the guest faults */
};

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: manycore run [OPTIONS] FILE.elf [ARGS...]\n"
		"\n"
		"Boots one emulated cluster, runs the rv32imac guest FILE.elf with ARGS\n"
		"and exits with its status. Guest stdout and stderr go to manycore's.\n"
		"\n"
		"options:\n"
		"  --max-instructions N  stop the guest after N instructions retired\n"
		"  --stats               print instructions, time and MIPS on stderr\n"
		"  --memory SIZE         cluster memory (default 64M; suffixes K, M)\n"
		"  --stack SIZE          main stack size (default 256K)\n"
		"  --quantum N           instructions per scheduling quantum (default %u)\n"
		"  -h, --help            this text\n"
		"\n"
		"exit status: the guest's (0-255) when it exits; 124 instruction limit\n"
		"reached; 125 usage or internal error; 126 the guest cannot be loaded;\n"
		"127 FILE cannot be read; 128+N the guest faulted, N as the signal a\n"
		"Linux process would get: 132 illegal instruction, 133 breakpoint,\n"
		"135 misaligned access, 139 page or access fault.\n",
		KQUANTUM_DEFAULT);
}

/* Parses a size with an optional K/M/G suffix; 0 on error. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	return *end ? 0 : v;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int e = S_ISREG(st.st_mode) ? errno : EISDIR;
		close(fd);
		return -e;
	}
	if ((uint64_t)st.st_size > KELF_MAX) {
		close(fd);
		return -EFBIG;
	}
	*buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			free(*buf);
			close(fd);
			return -e;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return 0;
}

static int fault_signal(enum hart_cause c)
{
	switch (c) {
	case HART_CAUSE_ILLEGAL: return 4;      /* SIGILL */
	case HART_CAUSE_BREAKPOINT: return 5;   /* SIGTRAP */
	case HART_CAUSE_FETCH_MISALIGNED:
	case HART_CAUSE_LOAD_MISALIGNED:
	case HART_CAUSE_STORE_MISALIGNED: return 7; /* SIGBUS */
	default: return 11;                     /* SIGSEGV */
	}
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_run(int argc, char **argv)
{
	uint64_t max_insns = 0, memory = KMEM_DEFAULT, stack = KSTACK_DEFAULT, quantum = KQUANTUM_DEFAULT;
	int stats = 0, i, rc, status;
	const char *file;
	struct physmem *pm = NULL;
	struct frames *fa = NULL;
	struct proc *p = NULL;
	struct proc_opts opts = { 0, 0, 1, 2 };
	uint8_t *img = NULL;
	size_t len = 0;
	char err[256];
	double t0, t1;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "--stats")) {
			stats = 1;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else if (!v) {
			fprintf(stderr, "manycore run: %s needs a value (try --help)\n", o);
			return EXIT_USAGE;
		} else if (!strcmp(o, "--max-instructions")) {
			max_insns = parse_size(v);
			if (!max_insns)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--memory")) {
			memory = parse_size(v);
			if (memory < 1024 * 1024 || memory > 0x80000000ull || memory % 4096)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--stack")) {
			stack = parse_size(v);
			if (!stack || stack > 0x40000000ull || stack % 4096)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--quantum")) {
			quantum = parse_size(v);
			if (!quantum || quantum > 0xffffffffull)
				goto bad_value;
			i++;
		} else {
			fprintf(stderr, "manycore run: unknown option '%s' (try --help)\n", o);
			return EXIT_USAGE;
		}
		continue;
bad_value:
		fprintf(stderr, "manycore run: invalid value '%s' for %s (try --help)\n", v, o);
		return EXIT_USAGE;
	}
	if (i >= argc) {
		fprintf(stderr, "manycore run: no guest program given (try --help)\n");
		return EXIT_USAGE;
	}
	file = argv[i];
	rc = read_file(file, &img, &len);
	if (rc) {
		fprintf(stderr, "manycore run: cannot read %s: %s\n", file, strerror(-rc));
		return EXIT_NOFILE;
	}
	pm = physmem_new((uint32_t)memory);
	fa = pm ? frames_new(pm) : NULL;
	if (!fa) {
		fprintf(stderr, "manycore run: cannot allocate %" PRIu64 " bytes of cluster memory\n",
			memory);
		status = EXIT_USAGE;
		goto out;
	}
	opts.stack_size = (uint32_t)stack;
	rc = proc_spawn(fa, img, len, argv + i, environ, &opts, &p, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "manycore run: %s: %s\n", file, err);
		status = rc == -EINVAL ? EXIT_USAGE : EXIT_NOEXEC;
		goto out;
	}
	free(img);
	img = NULL;

	t0 = now_seconds();
	proc_run(p, (uint32_t)quantum, max_insns);
	t1 = now_seconds();

	switch (p->state) {
	case PROC_EXITED:
		status = p->status;
		break;
	case PROC_LIMIT:
		fprintf(stderr, "manycore run: %s: stopped after %" PRIu64
			" instructions (--max-instructions), pc 0x%08x\n", file, p->hart.instret,
			p->hart.pc);
		status = EXIT_LIMIT;
		break;
	default:
		fprintf(stderr, "manycore run: %s: %s at pc 0x%08x", file,
			hart_cause_name(p->trap.cause), p->trap.pc);
		if (p->trap.cause == HART_CAUSE_ILLEGAL)
			fprintf(stderr, " (encoding 0x%08x)", p->trap.tval);
		else if (p->trap.cause != HART_CAUSE_BREAKPOINT)
			fprintf(stderr, ", address 0x%08x", p->trap.tval);
		fprintf(stderr, " after %" PRIu64 " instructions\n", p->hart.instret);
		status = EXIT_SIGNAL + fault_signal(p->trap.cause);
		break;
	}
	if (stats) {
		struct mmu_stats ms;
		double secs = t1 - t0;
		mmu_get_stats(vm_mmu(p->vm), &ms);
		fprintf(stderr,
			"manycore: instructions %" PRIu64 ", host time %.3f s, %.1f MIPS\n"
			"manycore: kernel calls %" PRIu64 ", pages mapped %u, page walks %" PRIu64
			", blocks decoded %" PRIu64 ", code flushes %" PRIu64 "\n",
			p->hart.instret, secs, secs > 0 ? (double)p->hart.instret / secs / 1e6 : 0.0,
			p->syscalls, vm_pages(p->vm), ms.walks, ms.blocks_built, ms.code_flushes);
	}
out:
	free(img);
	proc_free(p);
	frames_free(fa);
	physmem_free(pm);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "manycore: unknown command '%s' (try --help)\n", argv[1]);
	return EXIT_USAGE;
}
