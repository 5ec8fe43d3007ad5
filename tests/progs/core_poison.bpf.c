// A CO-RE read of a member the kernel does not have, not guarded: the
// loader poisons it and the verifier rejects the reachable call.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	long bpfxx_no_such_member;
} __attribute__((preserve_access_index));

long out_value;

SEC("syscall")
int read_missing(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	out_value = BPF_CORE_READ(t, bpfxx_no_such_member);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
