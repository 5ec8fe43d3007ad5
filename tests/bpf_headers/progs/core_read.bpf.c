/* Part of bpfxx. Compile test: every macro of bpf_core_read.h. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* A nine-level pointer chain for the nine-accessor form of BPF_CORE_READ. */
struct hop8 { int value; char name[8]; } __attribute__((preserve_access_index));
struct hop7 { struct hop8 *next; } __attribute__((preserve_access_index));
struct hop6 { struct hop7 *next; } __attribute__((preserve_access_index));
struct hop5 { struct hop6 *next; } __attribute__((preserve_access_index));
struct hop4 { struct hop5 *next; } __attribute__((preserve_access_index));
struct hop3 { struct hop4 *next; } __attribute__((preserve_access_index));
struct hop2 { struct hop3 *next; } __attribute__((preserve_access_index));
struct hop1 { struct hop2 *next; } __attribute__((preserve_access_index));
struct hop0 { struct hop1 *next; struct { int inner; } nested; } __attribute__((preserve_access_index));

/* a local view of a kernel type, for type matching */
struct task_struct___local {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

enum pid_type___local { PIDTYPE_TGID___local = 1 };

__u64 results[32];
char comm[16];
char name[8];

SEC("raw_tp/sys_enter")
int core_reads(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct hop0 *h = (struct hop0 *)ctx;
	struct sk_buff *skb = (struct sk_buff *)ctx;
	int pid = 0, n = 0;

	/* chains of 1 to 9 accessors */
	results[n++] = BPF_CORE_READ(task, pid);
	results[n++] = BPF_CORE_READ(task, real_parent, tgid);
	results[n++] = BPF_CORE_READ(task, real_parent, group_leader, pid);
	results[n++] = BPF_CORE_READ(task, group_leader, mm, owner, thread_pid, level);
	results[n++] = BPF_CORE_READ(h, nested.inner);
	results[n++] = BPF_CORE_READ(h, next, next, next, next, next, next, next, next, value);

	/* the _INTO forms */
	BPF_CORE_READ_INTO(&pid, task, real_parent, pid);
	results[n++] = pid;
	BPF_CORE_READ_STR_INTO(&comm, task, group_leader, comm);
	BPF_CORE_READ_STR_INTO(&comm, task, comm);
	BPF_PROBE_READ_INTO(&pid, task, parent, tgid);
	BPF_PROBE_READ_STR_INTO(&name, h, next, next, next, next, next, next, next, next, name);
	results[n++] = pid;
	results[n++] = BPF_PROBE_READ(task, parent, pid);

	/* user-memory variants */
	results[n++] = BPF_CORE_READ_USER(h, next, next, next) ? 1 : 0;
	results[n++] = BPF_PROBE_READ_USER(h, nested.inner);
	BPF_CORE_READ_USER_INTO(&pid, h, nested.inner);
	BPF_PROBE_READ_USER_INTO(&pid, h, next, next, next, next, next, next, next, next, value);
	BPF_CORE_READ_USER_STR_INTO(&name, h, next, next, next, next, next, next, next, next, name);
	BPF_PROBE_READ_USER_STR_INTO(&name, h, next, next, next, next, next, next, next, next, name);
	results[n++] = pid;

	/* plain relocatable reads */
	bpf_core_read(&pid, sizeof(pid), &task->tgid);
	bpf_core_read_str(comm, sizeof(comm), &task->comm);
	bpf_core_read_user(&pid, sizeof(pid), &h->nested.inner);
	bpf_core_read_user_str(name, sizeof(name), &h->next->next->next->next->next->next->next->next->name);
	results[n++] = pid;

	/* bitfields */
	results[n++] = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	results[n++] = BPF_CORE_READ_BITFIELD_PROBED(skb, ignore_df);

	/* field relocations, both spellings */
	results[n++] = bpf_core_field_exists(task->thread_pid);
	results[n++] = bpf_core_field_exists(struct task_struct, flags);
	results[n++] = bpf_core_field_size(task->comm);
	results[n++] = bpf_core_field_size(struct sk_buff, len);
	results[n++] = bpf_core_field_offset(task->tgid);
	results[n++] = bpf_core_field_offset(struct task_struct, comm);

	/* type and enum relocations */
	results[n++] = bpf_core_type_exists(struct task_struct);
	results[n++] = bpf_core_type_size(struct task_struct);
#if __clang_major__ >= 15
	results[n++] = bpf_core_type_matches(struct task_struct___local);
#endif
	results[n++] = bpf_core_type_id_local(struct task_struct);
	results[n++] = bpf_core_type_id_kernel(struct task_struct);
	results[n++] = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID);
	results[n++] = bpf_core_enum_value(enum pid_type___local, PIDTYPE_TGID___local);
	return 0;
}

/* direct-access forms need a context the verifier lets us dereference */
SEC("tp_btf/sched_switch")
int core_direct(__u64 *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct sk_buff *skb = (struct sk_buff *)ctx[2];
	struct task_struct *ro;

	results[0] = BPF_CORE_READ_BITFIELD(skb, pkt_type);
	results[1] = BPF_CORE_READ_BITFIELD(skb, dst_pending_confirm);
	ro = bpf_core_cast(prev, struct task_struct);
	results[2] = ro->pid;
	return 0;
}

/* writing bitfields: a program-owned copy of a kernel type (struct bpf_insn) */
struct bpf_insn___local {
	__u8 code;
	__u8 dst_reg : 4;
	__u8 src_reg : 4;
	__s16 off;
	__s32 imm;
} __attribute__((preserve_access_index));

struct bpf_insn___local insn_copy;

SEC("syscall")
int core_write(void *ctx)
{
	struct bpf_insn___local *p = &insn_copy;

	BPF_CORE_WRITE_BITFIELD(p, dst_reg, 5);
	BPF_CORE_WRITE_BITFIELD(p, src_reg, 10);
	results[3] = BPF_CORE_READ_BITFIELD(p, src_reg);
	return 0;
}
