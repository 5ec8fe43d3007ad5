// CO-RE reads of the running task, with kernel types defined locally (no
// vmlinux.h): only the members used, in any order, at any offset; the
// loader moves every access to where the kernel has the member.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	char comm[16];
	int tgid;
	struct task_struct *real_parent;
	int pid;
} __attribute__((preserve_access_index));

// A flavor of the same kernel type, with a member no kernel has.
struct task_struct___fake {
	int pid;
	long bpfxx_no_such_member;
} __attribute__((preserve_access_index));

// Matches the kernel's task_struct (type_matches: names, sizes and
// signedness agree; the kernel's char is unsigned, so comm is left out).
struct task_struct___m {
	int pid;
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct bpfxx_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
};

enum pid_type___probe {
	PIDTYPE_SID___probe = 100,
	PIDTYPE_BPFXX_NONE___probe = 101,
};

int out_pid;
int out_tgid;
int out_ppid;
int out_gppid;
char out_comm[16];
int out_has_pid;
int out_has_fake;
int out_fake_pid_exists;
int out_type_exists;
int out_type_missing;
unsigned int out_task_size;
int out_pidtype_sid;
int out_sid_probe;
int out_none_exists;
int out_none_value;
int out_comm_size;
int out_comm_offset;
int out_matches;
int out_fake_matches;

int out_sub_tgid;

// A subprogram (.text): its relocations are applied to its own
// instructions before linking copies them into the caller.
static __attribute__((noinline)) int sub_tgid(struct task_struct *t)
{
	return BPF_CORE_READ(t, tgid);
}

SEC("syscall")
int read_task(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	out_pid = BPF_CORE_READ(t, pid);
	out_sub_tgid = sub_tgid(t);
	out_tgid = BPF_CORE_READ(t, tgid);
	out_ppid = BPF_CORE_READ(t, real_parent, tgid);
	out_gppid = BPF_CORE_READ(t, real_parent, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&out_comm, t, comm);

	out_has_pid = bpf_core_field_exists(t->pid);
	out_has_fake = bpf_core_field_exists(((struct task_struct___fake *)t)->bpfxx_no_such_member);
	out_fake_pid_exists = bpf_core_field_exists(((struct task_struct___fake *)t)->pid);
	out_type_exists = bpf_core_type_exists(struct task_struct);
	out_type_missing = bpf_core_type_exists(struct bpfxx_no_such_type);
	out_task_size = bpf_core_type_size(struct task_struct);
	out_pidtype_sid = bpf_core_enum_value(enum pid_type, PIDTYPE_SID);
	out_sid_probe = bpf_core_enum_value(enum pid_type___probe, PIDTYPE_SID___probe);
	out_none_exists = bpf_core_enum_value_exists(enum pid_type___probe, PIDTYPE_BPFXX_NONE___probe);
	out_comm_size = bpf_core_field_size(t->comm);
	out_comm_offset = bpf_core_field_offset(t->comm);
	out_matches = bpf_core_type_matches(struct task_struct___m);
	out_fake_matches = bpf_core_type_matches(struct task_struct___fake);
	// Guarded by an existence check: the read of the missing member is
	// poisoned but unreachable, so the program still verifies.
	if (bpf_core_field_exists(((struct task_struct___fake *)t)->bpfxx_no_such_member))
		out_none_value = BPF_CORE_READ((struct task_struct___fake *)t, bpfxx_no_such_member);
	else
		out_none_value = -1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

int direct_pid;
int direct_tgid;

// Direct loads through a BTF pointer: the relocations sit on the load
// instructions themselves (offset rewritten in place).
SEC("syscall")
int read_task_direct(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	direct_pid = t->pid;
	direct_tgid = t->real_parent->tgid;
	return 0;
}
