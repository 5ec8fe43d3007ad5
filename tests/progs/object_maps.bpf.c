/* Part of bpfxx. Object-open test program: BTF-defined maps with every
 * attribute, map-in-map and program-array static initialisation, global
 * data sections, and externs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct key_t {
	__u32 a;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct key_t);
	__type(value, __u64);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(numa_node, 0);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(max_entries, 3);
} sized_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 64);
	__uint(map_extra, 5);
} bloom SEC(".maps");

struct inner_t {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_t);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

int tail_target(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

int bss_var;
__u64 data_var = 0x1122334455667788ULL;
const volatile __u32 rodata_var = 42;
int custom_data SEC(".data.custom") = 5;
const volatile char custom_ro[4] SEC(".rodata.custom") = "abc";

extern int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_NOT_THERE __kconfig __weak;

SEC("tc")
int tail_target(void *ctx)
{
	return 0;
}

SEC("tc")
int use_maps(void *ctx)
{
	struct key_t k = { .a = 1, .b = 2 };
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&typed_hash, &k);
	void *a = bpf_map_lookup_elem(&sized_array, &zero);
	void *in = bpf_map_lookup_elem(&outer, &zero);

	if (v && a && in)
		bss_var += *v + data_var + rodata_var + custom_data + custom_ro[0];
	bpf_tail_call(ctx, &jumps, 1);
	return LINUX_KERNEL_VERSION + CONFIG_NOT_THERE + (int)bpf_map_peek_elem(&bloom, &zero);
}
