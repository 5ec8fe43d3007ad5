/* Part of bpfxx. The golden skeleton's object: skelgen_golden.bpf.o is
 * committed next to this file so that the golden headers do not change
 * with the compiler. Rebuild it only on purpose:
 *   clang-19 -target bpf -g -O2 -I include -I include/bpf/uapi \
 *     -idirafter /usr/include/x86_64-linux-gnu \
 *     -c tests/skeleton/golden/skelgen_golden.bpf.c \
 *     -o tests/skeleton/golden/skelgen_golden.bpf.o
 * then rebuild the target skeleton_golden_update. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct golden_point {
	int x;
	int y;
};

const volatile __u32 limit = 3;
char tag = 'g';
__u64 total = 5;
struct golden_point origin = { 1, 2 };
__u32 counter;
__u32 extra SEC(".data.extra") = 9;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} values SEC(".maps");

SEC("syscall")
int count(void *ctx)
{
	__u32 key = 0;
	__u64 v = total + origin.x;

	if (counter < limit)
		counter++;
	extra += tag;
	bpf_map_update_elem(&values, &key, &v, BPF_ANY);
	return 0;
}
