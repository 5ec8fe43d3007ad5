/* Part of bpfxx. Skeleton generator test: data sections whose names are
 * hard to map to identifiers and maps.
 *  - ".data.my_counters_long" is longer than the kernel's 15-character
 *    map names: bpf_map__name() reports the whole section name, and the
 *    skeleton must find the map by it;
 *  - ".rodata.data" contains ".data" but is a .rodata.* section, beside a
 *    real .data: each gets its own identifier and its own DATASEC;
 *  - ".data.a-b" and ".data.a_b" clean to the same identifier.
 * run() copies each input to an output in the same section, so a test
 * sees every section reach the program and come back. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int counter SEC(".data.my_counters_long") = 5;

/* .data (and .bss) */
int plain_in = 7;
int plain_out;

/* .rodata.data */
const volatile int ro_in SEC(".rodata.data") = 11;

/* Two sections that clean to the same identifier. */
int dash_in SEC(".data.a-b") = 1;
int dash_out SEC(".data.a-b");
long long under_in SEC(".data.a_b") = 2;
long long under_out SEC(".data.a_b");

SEC("syscall")
int run(void *ctx)
{
	counter += 1;
	plain_out = plain_in + ro_in;
	dash_out = dash_in * 10;
	under_out = under_in * 100;
	return 0;
}
