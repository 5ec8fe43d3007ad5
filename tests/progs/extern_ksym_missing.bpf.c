/* Part of bpfxx. A strong kfunc the kernel does not have: the load must
 * fail naming it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpfxx_no_such_kfunc(int x) __ksym;

int out;

SEC("syscall")
int call_missing(void *ctx)
{
	out = bpfxx_no_such_kfunc(1);
	return 0;
}
