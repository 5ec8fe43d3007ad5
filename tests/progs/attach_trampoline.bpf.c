/* Part of bpfxx. BPF-trampoline programs of the tracing attach tests
 * (tests/kernel/link_tracing_test.cpp): fentry/fexit on the getpgid
 * syscall, fmod_ret replacing the result of the kernel's test hook
 * bpf_modify_return_test, lsm denying file opens. The
 * test loads one program at a time (autoload), and only where trampolines
 * are allowed; elsewhere it checks the load error. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int target_pid = 0;
__u64 fentry_hits = 0;
__u64 fexit_hits = 0;
__s64 fexit_ret = 0;
int deny_open = 0;
__u64 modify_hits = 0;
__u64 modify_arg = 0;
__u64 lsm_denials = 0;
__u64 fmod_denials = 0;

static __always_inline int ours(void)
{
	return (int)(bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("fentry/__x64_sys_getpgid")
int on_getpgid_entry(__u64 *ctx)
{
	if (ours())
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

/* fexit sees the arguments, then the return value. */
SEC("fexit/__x64_sys_getpgid")
int on_getpgid_exit(__u64 *ctx)
{
	if (ours()) {
		__sync_fetch_and_add(&fexit_hits, 1);
		fexit_ret = (__s64)ctx[1];
	}
	return 0;
}

/* The kernel allows fmod_ret only on functions open to error injection
 * (syscall wrappers are not). bpf_modify_return_test(int a, int *b) is one:
 * BPF_PROG_TEST_RUN of this program calls it with a == 1, and a non-zero
 * return here skips its body and becomes its result. */
SEC("fmod_ret/bpf_modify_return_test")
int on_modify_return_test(__u64 *ctx)
{
	if (!ours())
		return 0;
	__sync_fetch_and_add(&modify_hits, 1);
	modify_arg = ctx[0];
	return 4242;
}

/* fmod_ret is always allowed on security_* hooks, error injection or not:
 * a non-zero return skips the hook and fails the open. */
SEC("fmod_ret/security_file_open")
long on_security_file_open(__u64 *ctx)
{
	if (deny_open && ours()) {
		__sync_fetch_and_add(&fmod_denials, 1);
		return -1; /* -EPERM */
	}
	return 0;
}

/* The verifier wants the return value provably in [-4095, 0]. A branch-free
 * "-(cond)" is a scalar it cannot bound, and an int -1 may be materialised
 * as the 64-bit 0xffffffff; a long return and a branch (kept by the
 * counter) give it a plain -1. */
SEC("lsm/file_open")
long on_file_open(__u64 *ctx)
{
	if (deny_open && ours()) {
		__sync_fetch_and_add(&lsm_denials, 1);
		return -1; /* -EPERM */
	}
	return 0;
}
