/* Part of bpfxx. Skeleton runtime test program: one global of every data
 * section a skeleton exposes (.bss, .data, .rodata, .kconfig and the
 * custom .data.foo / .rodata.bar sections).
 *
 * compute (test-run) combines values user space set before load and
 * writes the result, the kernel version from .kconfig and a counter to
 * .bss; on_getpgid (a tracepoint that skeleton attach attaches) counts
 * getpgid() calls of the process named in .rodata. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig;

const volatile __u32 ro_factor = 2;
const volatile __u32 target_tgid = 0;
__u32 data_add = 5;
__u64 data_runs = 100;
__u32 bss_result;
__u32 bss_hits;
__u32 bss_kver;
__u32 bss_hz;
__u32 foo_val SEC(".data.foo") = 7;
const volatile __u32 bar_val SEC(".rodata.bar") = 11;

SEC("xdp")
int compute(struct xdp_md *ctx)
{
	bss_result = ro_factor * data_add + foo_val + bar_val;
	bss_kver = LINUX_KERNEL_VERSION;
	bss_hz = CONFIG_HZ;
	data_runs++;
	foo_val++;
	return XDP_PASS;
}

SEC("tp/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&bss_hits, 1);
	return 0;
}
