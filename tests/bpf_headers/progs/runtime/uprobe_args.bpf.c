/* Part of bpfxx. Runtime test program (run once uprobe attach exists):
 * PT_REGS_* and BPF_UPROBE / BPF_URETPROBE argument access.
 *
 * The test binary defines, with noinline and external linkage,
 *     long bpfxx_uprobe_target(int a, long b, const char *c, unsigned short d,
 *                              long e, long f);
 * returning a + b + d + e + f, attaches both programs to it (filtered on
 * target_pid), calls it with (7, -123456789012, "bpfxx", 0xbeef, 5, 6) and
 * expects the recorded arguments, the string "bpfxx" in str, and ret equal
 * to the sum. raw_* hold the same arguments read with PT_REGS_PARMn.
 * Built with vmlinux.h register names (BPFXX_TEST_FAKE_VMLINUX until the
 * project's vmlinux.h exists) so PT_REGS_PARM2_CORE relocates. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int target_pid = 0;

int a, hits, ret_hits;
long b, e, f, ret;
unsigned short d;
char str[8];
unsigned long raw_a, raw_b, raw_f, ip;

static __always_inline int ours(void)
{
	return (int)(bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("uprobe")
int BPF_UPROBE(target_entry, int a_, long b_, const char *c_, unsigned short d_, long e_, long f_)
{
	if (!ours())
		return 0;
	a = a_;
	b = b_;
	d = d_;
	e = e_;
	f = f_;
	bpf_probe_read_user_str(str, sizeof(str), c_);
	raw_a = PT_REGS_PARM1(ctx);
	raw_b = PT_REGS_PARM2_CORE(ctx);
	raw_f = PT_REGS_PARM6(ctx);
	ip = PT_REGS_IP(ctx);
	hits++;
	return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(target_exit, long rc)
{
	if (!ours())
		return 0;
	ret = rc;
	ret_hits++;
	return 0;
}
