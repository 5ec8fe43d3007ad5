/* Part of bpfxx. What the skeleton applications share (C and C++): a
 * check macro that reports the line, the root check (exit 77 = skipped),
 * an fd count for the leak check, and a test run of a program. */
#ifndef SKELGEN_APP_UTIL_H
#define SKELGEN_APP_UTIL_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SKIP_CODE 77

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
			exit(1);                                                 \
		}                                                                \
	} while (0)

static inline void skip_unless_root(void)
{
	if (geteuid() != 0) {
		printf("SKIP: loading BPF programs needs root\n");
		exit(SKIP_CODE);
	}
}

static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* Runs prog once through BPF_PROG_TEST_RUN; returns its return value, or
 * -1 when the run itself failed. */
static inline long test_run(const struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	return err ? -1 : (long)opts.retval;
}

#endif
