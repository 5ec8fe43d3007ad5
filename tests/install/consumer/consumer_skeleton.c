/* A downstream application built with the installed bpfxx_add_skeleton():
 * sets a read-only global, loads, runs the program three times through
 * BPF_PROG_TEST_RUN and reads the globals the program updated. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>

#include "counter.skel.h"

int main(void)
{
	char packet[64] = {0};
	struct counter *skel = counter__open();
	int ok;

	if (!skel)
		return 1;
	skel->rodata->step = 5;
	if (counter__load(skel)) {
		counter__destroy(skel);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet, .data_size_in = sizeof(packet));

		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.count_packets), &run) ||
		    run.retval != 2 /* XDP_PASS */) {
			counter__destroy(skel);
			return 1;
		}
	}
	printf("runs %llu total %llu\n", (unsigned long long)skel->bss->runs,
	       (unsigned long long)skel->data->total);
	ok = skel->bss->runs == 3 && skel->data->total == 115;
	counter__destroy(skel);
	return ok ? 0 : 1;
}
