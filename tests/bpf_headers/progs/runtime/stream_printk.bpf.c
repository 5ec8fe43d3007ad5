/* Part of bpfxx. Runtime test program (run once the object loader exists):
 * bpf_stream_printk() from several program types.
 *
 * User space loads the object, runs each program with BPF_PROG_TEST_RUN
 * (or, for stream_tp, attaches it and makes a system call with target_pid
 * set to its own tgid), then reads the program's BPF_STDOUT stream with
 * bpf_prog_stream_read(). Expected: where *_ret is 0 the stream holds
 * "bpfxx stream <tag> <magic>\n"; where it is negative (6.18 has been seen
 * returning -ENOMEM) the stream is empty and the test reports the kernel's
 * error. stderr_ret/stderr text likewise for BPF_STDERR. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define STREAM_MAGIC 0x5eed

int syscall_ret = 1, tc_ret = 1, xdp_ret = 1, tp_ret = 1, stderr_ret = 1;
const volatile int target_pid = 0;

SEC("syscall")
int stream_syscall(void *ctx)
{
	syscall_ret = bpf_stream_printk(BPF_STDOUT, "bpfxx stream %s %d\n", "syscall", STREAM_MAGIC);
	stderr_ret = bpf_stream_printk(BPF_STDERR, "bpfxx stderr %d %d %d %d\n", 1, 2, 3, 4);
	return 0;
}

SEC("tc")
int stream_tc(struct __sk_buff *skb)
{
	tc_ret = bpf_stream_printk(BPF_STDOUT, "bpfxx stream %s %d\n", "tc", STREAM_MAGIC);
	return 0;
}

SEC("xdp")
int stream_xdp(struct xdp_md *ctx)
{
	xdp_ret = bpf_stream_printk(BPF_STDOUT, "bpfxx stream %s %d\n", "xdp", STREAM_MAGIC);
	return XDP_PASS;
}

SEC("raw_tp/sys_enter")
int stream_tp(void *ctx)
{
	if ((int)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	tp_ret = bpf_stream_printk(BPF_STDOUT, "bpfxx stream %s %d\n", "tp", STREAM_MAGIC);
	return 0;
}
