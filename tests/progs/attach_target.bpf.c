/* Part of bpfxx. Attach target test program: one program per kind of BTF
 * attach target. The tests resolve each program's target (the BTF id the
 * kernel load needs) without loading them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx) { return 0; }

SEC("iter/task")
int each_task(void *ctx) { return 0; }

SEC("fentry/do_unlinkat")
int on_unlink(__u64 *ctx) { return 0; }

SEC("fexit/vmlinux:do_unlinkat")
int on_unlink_exit(__u64 *ctx) { return 0; }

SEC("lsm/file_open")
int on_file_open(__u64 *ctx) { return 0; }

SEC("tp_btf/bpfxx_no_such_tracepoint")
int on_missing(__u64 *ctx) { return 0; }

SEC("fentry/bpfxx_no_such_module:do_unlinkat")
int on_missing_module(__u64 *ctx) { return 0; }

SEC("fentry")
int unnamed_target(__u64 *ctx) { return 0; }

SEC("fentry.multi/do_unlink*")
int on_unlinks(__u64 *ctx) { return 0; }

SEC("freplace/target_fn")
int replacement(void *ctx) { return 0; }
