/* Part of bpfxx. Extern test program: weak externs written for other
 * kernels and loaders.
 *
 * Two flavors of a kfunc declare the prototypes it may have; only the one
 * matching the running kernel resolves (bpf_ksym_exists() picks it), the
 * other stays unresolved instead of failing the load. LINUX_HAS_FOO is a
 * LINUX_* value no loader knows: weak, it reads 0. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct;
extern struct task_struct *bpf_task_from_pid___right(int pid) __ksym __weak;
extern struct task_struct *bpf_task_from_pid___wrong(int pid, int extra) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int LINUX_HAS_FOO __kconfig __weak;
/* Only the last ___flavor is dropped from a kfunc's name: this one is
 * looked up as "bpf_task_from_pid___a", which no kernel has. */
extern struct task_struct *bpf_task_from_pid___a___b(int pid) __ksym __weak;
/* Variables are looked up by their whole name (flavors are for kfuncs):
 * "bpf_prog_active___flavored" is not the kernel's bpf_prog_active. */
extern const int bpf_prog_active___flavored __ksym __weak;

int has_foo = -1;
int right_exists = -1;
int wrong_exists = -1;
int found_self = -1;
int two_flavors_exists = -1;
int flavored_var_exists = -1;

SEC("syscall")
int pick_flavor(void *ctx)
{
	struct task_struct *t = 0;

	has_foo = LINUX_HAS_FOO;
	right_exists = bpf_ksym_exists(bpf_task_from_pid___right);
	wrong_exists = bpf_ksym_exists(bpf_task_from_pid___wrong);
	two_flavors_exists = bpf_ksym_exists(bpf_task_from_pid___a___b);
	flavored_var_exists = bpf_ksym_exists(&bpf_prog_active___flavored);
	if (bpf_ksym_exists(bpf_task_from_pid___right))
		t = bpf_task_from_pid___right(bpf_get_current_pid_tgid() >> 32);
	else if (bpf_ksym_exists(bpf_task_from_pid___wrong))
		t = bpf_task_from_pid___wrong(bpf_get_current_pid_tgid() >> 32, 0);
	found_self = t != 0;
	if (t)
		bpf_task_release(t);
	return 0;
}
