/* Part of bpfxx. Kernel symbols: a typeless ksym (an address from
 * /proc/kallsyms), kfuncs called with their kernel BTF ids, and weak ones the kernel does not have, skipped
 * through bpf_ksym_exists(). No CO-RE: only pointers are compared. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct;

extern const void _stext __ksym;
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpfxx_no_such_kfunc(int x) __ksym __weak;
extern const void bpfxx_no_such_symbol __ksym __weak;
extern const int bpfxx_no_such_var __ksym __weak;

int pid_in;
__u64 stext_addr;
__u64 missing_addr = 1;
int missing_var_exists = -1;
int found = -1;
int is_current = -1;
int weak_kfunc_exists = -1;

SEC("syscall")
int use_ksyms(void *ctx)
{
	struct task_struct *t;

	stext_addr = (__u64)&_stext;
	missing_addr = (__u64)&bpfxx_no_such_symbol;
	missing_var_exists = bpf_ksym_exists(&bpfxx_no_such_var);

	t = bpf_task_from_pid(pid_in);
	found = t != 0;
	if (t) {
		is_current = t == (struct task_struct *)bpf_get_current_task_btf();
		bpf_task_release(t);
	}
	weak_kfunc_exists = bpf_ksym_exists(bpfxx_no_such_kfunc);
	if (bpf_ksym_exists(bpfxx_no_such_kfunc))
		bpfxx_no_such_kfunc(1);
	return 0;
}
