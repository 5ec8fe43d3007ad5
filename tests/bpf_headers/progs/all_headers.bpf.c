/* Part of bpfxx. Compile test: every BPF-side header in one program, built
 * both against our uapi headers and in vmlinux.h mode
 * (-DBPFXX_TEST_FAKE_VMLINUX: __VMLINUX_H__ defined, kernel register names,
 * BPF_STDOUT from the kernel's enum, PAGE_SIZE from __PAGE_SIZE). */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_helper_defs.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

long all_seen[4];

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(all_kprobe, void *a, long b)
{
	all_seen[0] = (long)a + b + PT_REGS_PARM2_CORE(ctx) + bpf_ntohl(PT_REGS_RC(ctx));
	all_seen[1] = bpf_stream_printk(BPF_STDOUT, "%ld\n", b);
	all_seen[2] = PAGE_SIZE + NUMA_NO_NODE;
	return 0;
}

SEC("usdt")
int BPF_USDT(all_usdt, long x)
{
	all_seen[3] = x + BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), pid);
	return 0;
}
