/* Part of bpfxx. kconfig externs of every value kind, copied into globals
 * by a test-run syscall program so user space can compare them with the
 * kernel's config, uname and the kconfig open option. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern char CONFIG_BPF_JIT_ALWAYS_ON_CHAR __kconfig __weak;
extern int CONFIG_HZ __kconfig;
extern unsigned long long CONFIG_NR_CPUS __kconfig;
extern short CONFIG_BPFXX_SHORT __kconfig __weak;
extern long long CONFIG_BPFXX_NEGATIVE __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPFXX_MODULE __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern int CONFIG_BPFXX_SURELY_MISSING __kconfig __weak;

__u32 kernel_version;
int has_cookie = -1;
int has_wrapper = -1;
int bpf_syscall = -1;
int bpf_jit = -1;
int jit_char = -1;
int hz;
__u64 nr_cpus;
int short_val;
long long negative_val;
int module_val = -1;
char hostname[16];
int missing = -1;

SEC("syscall")
int read_kconfig(void *ctx)
{
	kernel_version = LINUX_KERNEL_VERSION;
	has_cookie = LINUX_HAS_BPF_COOKIE;
	has_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	bpf_jit = CONFIG_BPF_JIT;
	jit_char = CONFIG_BPF_JIT_ALWAYS_ON_CHAR;
	hz = CONFIG_HZ;
	nr_cpus = CONFIG_NR_CPUS;
	short_val = CONFIG_BPFXX_SHORT;
	negative_val = CONFIG_BPFXX_NEGATIVE;
	module_val = CONFIG_BPFXX_MODULE;
	__builtin_memcpy(hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(hostname));
	missing = CONFIG_BPFXX_SURELY_MISSING;
	return 0;
}
