// CO-RE reads of a member the kernel does not have, not guarded: the
// loader poisons them and the verifier rejects the reachable call, which
// the load failure then names (program, function, source line, relocation).
// One read is in the program itself, one in a subprogram of .text.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	long bpfxx_no_such_member;
	int bpfxx_missing_in_sub;
} __attribute__((preserve_access_index));

long out_value;

SEC("syscall")
int read_missing(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	out_value = BPF_CORE_READ(t, bpfxx_no_such_member);
	return 0;
}

static __attribute__((noinline)) int read_in_sub(struct task_struct *t)
{
	return BPF_CORE_READ(t, bpfxx_missing_in_sub);
}

SEC("syscall")
int read_missing_in_subprog(void *ctx)
{
	out_value = read_in_sub((struct task_struct *)bpf_get_current_task());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
