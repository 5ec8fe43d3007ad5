/* Helpers of the skeleton compatibility applications: a check macro that
 * reports and counts failures, the process's open fd count, a test run of
 * an XDP program, a loopback TCP connection with a chosen congestion
 * control, and the root check. C (gnu11) and C++ alike. */
#ifndef BPFXX_SKELETON_COMPAT_UTIL_H
#define BPFXX_SKELETON_COMPAT_UTIL_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The exit code ctest treats as a skip (SKIP_RETURN_CODE). */
#define COMPAT_SKIP 77

static int compat_failures;

#define CHECK(cond, ...)                                                   \
	do {                                                                   \
		if (!(cond)) {                                                     \
			compat_failures++;                                             \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
		}                                                                  \
	} while (0)

/* Library messages go to stderr with a prefix, so a failing run shows
 * what the library said. */
static inline int compat_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fputs("  [lib] ", stderr);
	return vfprintf(stderr, fmt, ap);
}

/* Skips without root; installs the print callback. Returns 0 to go on. */
static inline int compat_start(const char *name)
{
	if (geteuid() != 0) {
		printf("%s: skipped: loading BPF programs needs root\n", name);
		return COMPAT_SKIP;
	}
	libbpf_set_print(compat_print);
	return 0;
}

static inline int compat_count_fds(void)
{
	int n = 0;
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;

	if (!dir)
		return -1;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1; /* the directory's own fd */
}

/* One BPF_PROG_TEST_RUN of an XDP program over a zeroed packet. */
static inline int compat_test_run(const struct bpf_program *prog)
{
	unsigned char pkt[64];
	LIBBPF_OPTS(bpf_test_run_opts, run);

	memset(pkt, 0, sizeof(pkt));
	run.data_in = pkt;
	run.data_size_in = sizeof(pkt);
	run.repeat = 1;
	return bpf_prog_test_run_opts(bpf_program__fd(prog), &run);
}

/* Connects over loopback with congestion control cc and sends a little:
 * returns the bytes the server read, or -1. */
static inline long compat_tcp_transfer(const char *cc)
{
	struct sockaddr_in addr;
	socklen_t alen = sizeof(addr);
	char buf[4096];
	long got = -1;
	int lsn, cli, srv = -1;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lsn < 0 || cli < 0)
		goto out;
	if (bind(lsn, (struct sockaddr *)&addr, sizeof(addr)) || listen(lsn, 1) ||
	    getsockname(lsn, (struct sockaddr *)&addr, &alen))
		goto out;
	if (setsockopt(cli, IPPROTO_TCP, TCP_CONGESTION, cc, (socklen_t)strlen(cc))) {
		fprintf(stderr, "setsockopt(TCP_CONGESTION, %s): %s\n", cc, strerror(errno));
		goto out;
	}
	if (connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
		goto out;
	srv = accept(lsn, NULL, NULL);
	if (srv < 0)
		goto out;
	memset(buf, 'x', sizeof(buf));
	if (write(cli, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		goto out;
	shutdown(cli, SHUT_WR);
	got = 0;
	for (;;) {
		ssize_t n = read(srv, buf, sizeof(buf));

		if (n <= 0)
			break;
		got += n;
	}
out:
	if (srv >= 0)
		close(srv);
	if (cli >= 0)
		close(cli);
	if (lsn >= 0)
		close(lsn);
	return got;
}

/* Whether name is an available TCP congestion control right now. */
static inline int compat_cc_available(const char *name)
{
	char word[64];
	int found = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_congestion_control", "re");

	if (!f)
		return 0;
	while (fscanf(f, "%63s", word) == 1)
		if (strcmp(word, name) == 0)
			found = 1;
	fclose(f);
	return found;
}

static inline int compat_finish(const char *name)
{
	if (compat_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, compat_failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

#endif
