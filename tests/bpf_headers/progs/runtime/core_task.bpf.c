/* Part of bpfxx. Runtime test program (run once the object loader exists):
 * BPF_CORE_READ chains and bitfield macros against the running kernel.
 *
 * task_probe: set target_pid (rodata) to the test's tgid, attach (a raw
 *   tracepoint, so no tracefs is needed) and make a system call; expect
 *   pid == gettid(), tgid == getpid(), comm == the thread's name
 *   (prctl PR_GET_NAME), parent_tgid == getppid(), leader_pid == getpid(),
 *   comm_ret == strlen(comm) + 1 and task_seen == 1.
 * skb_probe: BPF_PROG_TEST_RUN with a packet of N bytes; expect skb_len ==
 *   ctx_len == N and pkt_type == PACKET_HOST (0) as set by test_run.
 * bitfield_write: BPF_PROG_TEST_RUN; expect insn.dst_reg == 5, insn.src_reg
 *   == 10 (byte 1 of insn is 0xa5 on little-endian), the other bytes 0, and
 *   dst_readback == 5, src_readback == 10. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int target_pid = 0;

int task_seen, pid, tgid, parent_tgid, leader_pid;
long comm_ret;
char comm[16];

SEC("raw_tp/sys_enter")
int task_probe(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (BPF_CORE_READ(task, tgid) != target_pid)
		return 0;
	pid = BPF_CORE_READ(task, pid);
	tgid = BPF_CORE_READ(task, tgid);
	parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	leader_pid = BPF_CORE_READ(task, group_leader, pid);
	comm_ret = BPF_CORE_READ_STR_INTO(&comm, task, comm);
	task_seen = 1;
	return 0;
}

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

__u32 skb_len, ctx_len;
__u64 pkt_type;

SEC("tc")
int skb_probe(struct __sk_buff *ctx)
{
	struct sk_buff *skb = bpf_cast_to_kern_ctx(ctx);

	ctx_len = ctx->len;
	skb_len = BPF_CORE_READ(skb, len);
	pkt_type = BPF_CORE_READ_BITFIELD(skb, pkt_type);
	return 0; /* TC_ACT_OK */
}

/*
 * CO-RE bitfield relocations resolve against kernel BTF, so the written
 * object mirrors a kernel type: struct bpf_insn (uapi, stable layout) under
 * a local ___flavour name; the program writes its own global copy.
 */
struct bpf_insn___local {
	__u8 code;
	__u8 dst_reg : 4;
	__u8 src_reg : 4;
	__s16 off;
	__s32 imm;
} __attribute__((preserve_access_index));

struct bpf_insn___local insn;
__u64 dst_readback, src_readback;

SEC("syscall")
int bitfield_write(void *ctx)
{
	struct bpf_insn___local *p = &insn;

	BPF_CORE_WRITE_BITFIELD(p, dst_reg, 5);
	BPF_CORE_WRITE_BITFIELD(p, src_reg, 10);
	dst_readback = BPF_CORE_READ_BITFIELD(p, dst_reg);
	src_readback = BPF_CORE_READ_BITFIELD(p, src_reg);
	return 0;
}
