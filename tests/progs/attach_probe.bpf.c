/* Part of bpfxx. Programs of the probe attach tests
 * (tests/kernel/link_probe_test.cpp, link_uprobe_test.cpp): uprobes on a
 * function of the test binary and of libc, kprobes, ksyscall and
 * kprobe.multi. Each counts the hits of the test's own process and keeps
 * what it saw (argument, return value, cookie). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* x86-64 registers as a probe program sees them (the layout of the
 * kernel's struct pt_regs); only the argument and return registers are
 * read. */
struct probe_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

int target_pid = 0;

__u64 up_hits = 0;
__u64 up_arg = 0;
__u64 up_cookie = 0;
__u64 uret_hits = 0;
__u64 uret_value = 0;
__u64 libc_hits = 0;
__u64 multi_hits = 0;
__u64 multi_cookie_sum = 0;
__u64 k_hits = 0;
__u64 kret_hits = 0;
__u64 ksys_hits = 0;
__u64 kmulti_hits = 0;

static __always_inline int ours(void)
{
	return (int)(bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("uprobe")
int on_target_entry(struct probe_regs *regs)
{
	if (ours()) {
		__sync_fetch_and_add(&up_hits, 1);
		up_arg = regs->di;
		up_cookie = bpf_get_attach_cookie(regs);
	}
	return 0;
}

SEC("uretprobe")
int on_target_return(struct probe_regs *regs)
{
	if (ours()) {
		__sync_fetch_and_add(&uret_hits, 1);
		uret_value = regs->ax;
	}
	return 0;
}

/* Auto-attached: a libc function found by library name. */
SEC("uprobe/libc.so.6:getpid")
int on_libc_getpid(struct probe_regs *regs)
{
	if (ours())
		__sync_fetch_and_add(&libc_hits, 1);
	return 0;
}

SEC("uprobe.multi")
int on_multi(struct probe_regs *regs)
{
	if (ours()) {
		__sync_fetch_and_add(&multi_hits, 1);
		__sync_fetch_and_add(&multi_cookie_sum, bpf_get_attach_cookie(regs));
	}
	return 0;
}

SEC("kprobe/do_sys_openat2")
int on_openat(struct probe_regs *regs)
{
	if (ours())
		__sync_fetch_and_add(&k_hits, 1);
	return 0;
}

SEC("kretprobe/do_sys_openat2")
int on_openat_ret(struct probe_regs *regs)
{
	if (ours())
		__sync_fetch_and_add(&kret_hits, 1);
	return 0;
}

SEC("ksyscall/getppid")
int on_getppid(struct probe_regs *regs)
{
	if (ours())
		__sync_fetch_and_add(&ksys_hits, 1);
	return 0;
}

SEC("kprobe.multi/do_sys_openat*")
int on_openat_multi(struct probe_regs *regs)
{
	if (ours())
		__sync_fetch_and_add(&kmulti_hits, 1);
	return 0;
}
