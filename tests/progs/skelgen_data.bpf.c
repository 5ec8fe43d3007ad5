/* Part of bpfxx. Skeleton generator test: every kind of data section,
 * layouts that need explicit padding, names that are C++ keywords or
 * clash with generated members, and a raw tracepoint to attach.
 *
 * on_enter counts the syscalls of the process whose tgid user space put
 * in .rodata, and copies inputs from .bss/.data/custom sections to
 * outputs, so a test sees values travel both ways through the skeleton. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "skelgen_types.h"

char LICENSE[] SEC("license") = "GPL";

/* .rodata */
const volatile __u32 target_tgid = 0;
const volatile enum skelgen_mode mode = SKELGEN_OFF;
const volatile char ro_tag[5] = "abcd";

/* .data: a char then an 8-byte value (4 bytes of padding on 64-bit
 * hosts, but explicit so 32-bit hosts agree), arrays, a struct. */
char small = 'x';
__u64 wide = 0x1122334455667788ULL;
__u16 shorts[3] = { 1, 2, 3 };
struct skelgen_pair pair = { .first = 10, .second = 20 };
int data_out = -1;

/* .bss: keyword names, an anonymous struct, a static (not exposed). */
__u64 hits;
__u32 template;
__u32 bss_out;
struct {
	int a;
	char b;
} anon_pair;
static __u32 hidden_counter;

/* Custom sections. */
__u32 custom_in SEC(".data.custom") = 0x3333;
__u32 custom_out SEC(".data.custom");
const volatile __u64 custom_ro SEC(".rodata.limits") = 0x4444;

/* kconfig */
extern int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
int seen_version;

/* A map whose name is a C++ keyword and one that clashes with .bss. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} class SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 4);
} bss SEC(".maps");

SEC("raw_tp/sys_enter")
int on_enter(void *ctx)
{
	__u32 key = 0;
	__u64 *slot;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&hits, 1);
	hidden_counter++;
	bss_out = template + 1;
	data_out = (int)pair.first + shorts[2] + (mode == SKELGEN_ON ? 100 : 0);
	custom_out = custom_in + 1 + (__u32)custom_ro;
	seen_version = LINUX_KERNEL_VERSION != 0 && CONFIG_HZ >= 0;
	anon_pair.a = small;
	slot = bpf_map_lookup_elem(&class, &key);
	if (slot)
		*slot = wide;
	return 0;
}

/* A program named like a C++ keyword, loaded but not attached anywhere. */
SEC("syscall")
int new(void *ctx)
{
	return ro_tag[0];
}
