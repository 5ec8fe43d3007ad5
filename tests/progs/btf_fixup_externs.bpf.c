/* Part of bpfxx. BTF fix-up test program: extern sections.
 *
 * .kconfig and .ksyms have no ELF section; clang emits their DATASECs with
 * size 0, extern VARs and, for kfuncs, extern FUNCs, none of which the
 * kernel accepts. The loader lays .kconfig out and rewrites .ksyms in the
 * BTF it uploads. Opened and uploaded only (never loaded). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct;

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern unsigned long long CONFIG_HZ __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig __weak;

extern const void bpf_prog_active __ksym;
extern const int bpf_typed_ksym __ksym __weak;
extern struct task_struct *bpf_task_acquire(struct task_struct *) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

__u64 out;

SEC("tp_btf/sched_switch")
int externs_prog(__u64 *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx[1];

	out = LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + CONFIG_HZ + CONFIG_DEFAULT_HOSTNAME[1] +
	      (__u64)&bpf_prog_active + bpf_typed_ksym;
	if (bpf_task_acquire) {
		t = bpf_task_acquire(t);
		if (t)
			bpf_task_release(t);
	}
	return 0;
}
