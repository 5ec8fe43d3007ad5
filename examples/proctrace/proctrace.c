// proctrace: prints the programs executed and the files opened on this
// machine, for a few seconds or until Ctrl-C, as
//   EXEC <pid> <comm> <filename>
//   OPEN <pid> <comm> <path>
// The BPF side (proctrace.bpf.c) sends the events through a ring buffer;
// proctrace.skel.h, generated at build time by `bpfxx gen skeleton`, opens,
// loads and attaches it. Needs root (or CAP_BPF + CAP_PERFMON).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "proctrace.h"
#include "proctrace.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct proctrace_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	// An empty path: its page was not mapped yet, and a tracepoint program
	// may not fault it in.
	printf("%s %d %s %s\n", e->kind == PROCTRACE_EXEC ? "EXEC" : "OPEN", e->pid, e->comm,
	       e->path[0] ? e->path : "?");
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: proctrace [-d SECONDS] [-p PID] [-h]\n"
		     "  -d SECONDS  stop after this long (default 5; 0: until Ctrl-C)\n"
		     "  -p PID      trace only this process\n"
		     "  -h          show this help\n");
}

int main(int argc, char **argv)
{
	struct proctrace *skel = NULL;
	struct ring_buffer *rb = NULL;
	double seconds = 5, deadline;
	int pid = 0, opt, err;

	while ((opt = getopt(argc, argv, "d:p:h")) != -1) {
		switch (opt) {
		case 'd':
			seconds = atof(optarg);
			break;
		case 'p':
			pid = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0); // one line at a time, also into pipes

	// Open, set the read-only configuration, then load: rodata is frozen
	// at load time.
	skel = proctrace__open();
	if (!skel) {
		fprintf(stderr, "proctrace: opening the BPF object failed: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->target_pid = pid;
	err = proctrace__load(skel);
	if (!err)
		err = proctrace__attach(skel);
	if (err) {
		fprintf(stderr, "proctrace: loading or attaching failed: %s\n", strerror(-err));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "proctrace: ring buffer: %s\n", strerror(errno));
		goto out;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (seconds > 0)
		fprintf(stderr, "proctrace: tracing execs and opens for %g s\n", seconds);
	else
		fprintf(stderr, "proctrace: tracing execs and opens; Ctrl-C to stop\n");
	deadline = now() + seconds;
	while (!stop && (seconds <= 0 || now() < deadline)) {
		err = ring_buffer__poll(rb, 100 /* ms */);
		if (err == -EINTR) // a signal: the loop condition sees stop
			continue;
		if (err < 0) {
			fprintf(stderr, "proctrace: polling the ring buffer: %s\n", strerror(-err));
			goto out;
		}
	}
	err = ring_buffer__consume(rb); // what arrived after the last poll
	if (err > 0)
		err = 0;
out:
	ring_buffer__free(rb);
	proctrace__destroy(skel);
	return err ? 1 : 0;
}
