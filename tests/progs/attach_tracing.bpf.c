/* Part of bpfxx. Programs of the tracing attach tests
 * (tests/kernel/link_tracing_test.cpp): each counts the events it sees
 * from the test's own process, and keeps the BPF cookie it was given. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by the test before load: only events of this process count. */
int target_pid = 0;

__u64 tp_hits = 0;
__u64 tp_cookie = 0;
__u64 raw_hits = 0;
__u64 raw_cookie_hits = 0;
__u64 raw_cookie = 0;
__u64 btf_hits = 0;
__u64 perf_hits = 0;
__u64 perf_cookie = 0;

static __always_inline int ours(void)
{
	return (int)(bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	if (ours()) {
		__sync_fetch_and_add(&tp_hits, 1);
		tp_cookie = bpf_get_attach_cookie(ctx);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&raw_hits, 1);
	return 0;
}

/* Loaded only where raw tracepoints take cookies (6.10+). */
SEC("?raw_tp")
int on_sys_enter_cookie(void *ctx)
{
	if (ours()) {
		__sync_fetch_and_add(&raw_cookie_hits, 1);
		raw_cookie = bpf_get_attach_cookie(ctx);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int on_sys_enter_btf(__u64 *ctx)
{
	if (ours())
		__sync_fetch_and_add(&btf_hits, 1);
	return 0;
}

SEC("perf_event")
int on_cpu_clock(void *ctx)
{
	__sync_fetch_and_add(&perf_hits, 1);
	perf_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}

/* A bare section: nothing to auto-attach to. */
SEC("raw_tp")
int no_target(void *ctx)
{
	return 0;
}

/* Kernel types of the task iterator, only the members used (CO-RE moves
 * the accesses to where the running kernel has them). */
struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));
struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* Prints "<pid>\n" for every task that leads its thread group. */
SEC("iter/task")
int list_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	__u64 args[1];

	if (!task || task->pid != task->tgid)
		return 0;
	static const char fmt[] = "%llu\n";

	args[0] = task->tgid;
	bpf_seq_printf(seq, fmt, sizeof(fmt), args, sizeof(args));
	return 0;
}
