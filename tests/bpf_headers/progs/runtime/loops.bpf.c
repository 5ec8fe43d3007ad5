/* Part of bpfxx. Runtime test program: the loop macros of bpf_helpers.h
 * must produce code the verifier accepts and that terminates.
 *
 * loops: BPF_PROG_TEST_RUN; expect for_sum == 0+1+...+7 == 28 (bpf_for),
 * repeat_count == 3 (bpf_repeat), each_sum == 0+1+2+3 == 6 (bpf_for_each),
 * may_goto_done == 1 (the can_loop / cond_break / cond_break_label loops end
 * when the kernel's loop budget is spent) and spins > 0. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int for_sum, repeat_count, each_sum, may_goto_done;
__u64 spins;

SEC("syscall")
int loops(void *ctx)
{
	int i, arr[8] = {};
	int *v;
	__u64 n = 0;

	bpf_for(i, 0, 8)
		arr[i] = i;
	bpf_for(i, 0, 8)
		for_sum += arr[i];
	bpf_repeat(3)
		repeat_count++;
	bpf_for_each(num, v, 0, 4)
		each_sum += *v;

	while (can_loop)
		n++;
	for (;;) {
		cond_break;
		n++;
	}
	for (;;) {
		cond_break_label(out);
		n++;
	}
out:
	spins = n;
	may_goto_done = 1;
	return 0;
}
