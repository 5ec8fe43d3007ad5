/* Part of bpfxx. Must NOT compile: PT_REGS_* without a target architecture
 * (no -D__TARGET_ARCH_*) is an error that names the problem. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

long value;

SEC("kprobe/do_nanosleep")
int no_arch(struct pt_regs *ctx)
{
	value = PT_REGS_PARM1(ctx);
	return 0;
}
