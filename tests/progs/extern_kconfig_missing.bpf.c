/* Part of bpfxx. A strong kconfig extern no kernel config has: the load
 * must fail naming it (unless the kconfig open option gives it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int CONFIG_BPFXX_NOT_A_REAL_OPTION __kconfig;

int out;

SEC("syscall")
int read_missing(void *ctx)
{
	out = CONFIG_BPFXX_NOT_A_REAL_OPTION;
	return 0;
}
