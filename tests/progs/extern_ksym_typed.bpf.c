/* Part of bpfxx. A typed ksym: the per-CPU kernel variable bpf_prog_active,
 * found in vmlinux BTF and passed to the kernel as a BTF id. (The kernel
 * then needs its address in kallsyms, which only CONFIG_KALLSYMS_ALL
 * kernels list.) */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const int bpf_prog_active __ksym;

int prog_active = -1;

SEC("syscall")
int read_typed(void *ctx)
{
	const int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	prog_active = *active;
	return 0;
}
