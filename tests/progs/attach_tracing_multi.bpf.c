/* Part of bpfxx. Multi-function BTF tracing programs of the tracing_multi
 * attach tests (tests/kernel/link_tracing_multi_test.cpp): fentry.multi and
 * fexit.multi on the kernel's test hooks bpf_fentry_test1..10, which
 * BPF_PROG_TEST_RUN of a tracing program calls. Each counts its hits and
 * sums the BPF cookies it saw. Like fentry they need BPF trampolines (and
 * a kernel with tracing multi links). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 entry_hits = 0;
__u64 entry_cookie_sum = 0;
__u64 exit_hits = 0;

/* Checked at load against bpf_fentry_test1; attached by pattern or ids. */
SEC("fentry.multi/bpf_fentry_test1")
int on_entry(__u64 *ctx)
{
	__sync_fetch_and_add(&entry_hits, 1);
	__sync_fetch_and_add(&entry_cookie_sum, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("fexit.multi/bpf_fentry_test1")
int on_exit(__u64 *ctx)
{
	__sync_fetch_and_add(&exit_hits, 1);
	return 0;
}
