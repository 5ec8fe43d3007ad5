/* Part of bpfxx. A USDT program built against the older, compact spec
 * layout (16-byte arguments, 208-byte __bpf_usdt_spec: the layout of
 * libbpf <= 1.6's header), declared here instead of <bpf/usdt.bpf.h>, so
 * tests/kernel/link_usdt_test.cpp can check the loader fills in the layout
 * the object was built with. Reads REG, CONST, REG_DEREF and SIB
 * arguments. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

int target_pid = 0;

struct compact_arg {
	__u64 val_off;
	__u32 type_bits; /* type 0-7, index register offset 8-19, scale shift 20-23 */
	short reg_off;
	_Bool arg_signed;
	char arg_bitshift;
};

struct compact_spec {
	struct compact_arg args[12];
	__u64 usdt_cookie;
	short arg_cnt;
};

_Static_assert(sizeof(struct compact_spec) == 208, "compact layout");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, struct compact_spec);
} __bpf_usdt_specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps");

#define SEEN_ARGS 4
__u64 hits = 0;
long cookie = 0;
long arg_cnt = 0;
long vals[SEEN_ARGS];
long errs[SEEN_ARGS];

static __always_inline int read_arg(struct pt_regs *ctx, struct compact_spec *spec, int n, long *res)
{
	struct compact_arg *a = &spec->args[n];
	unsigned long val = 0, idx = 0;
	unsigned int type = a->type_bits & 0xff;
	unsigned int idx_off = (a->type_bits >> 8) & 0xfff;
	unsigned int scale = (a->type_bits >> 20) & 0xf;
	int err;

	if (type == 0) {
		val = a->val_off;
	} else if (type <= 3) {
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + a->reg_off);
		if (err)
			return err;
		if (type == 3) {
			err = bpf_probe_read_kernel(&idx, sizeof(idx), (void *)ctx + idx_off);
			if (err)
				return err;
			val += idx << scale;
		}
		if (type >= 2) {
			err = bpf_probe_read_user(&val, sizeof(val), (void *)(val + a->val_off));
			if (err)
				return err;
		}
	} else {
		return -22;
	}
	val <<= a->arg_bitshift;
	if (a->arg_signed)
		val = (unsigned long)((long)val >> a->arg_bitshift);
	else
		val >>= a->arg_bitshift;
	*res = (long)val;
	return 0;
}

SEC("usdt")
int on_usdt_compact(struct pt_regs *ctx)
{
	int id = bpf_get_attach_cookie(ctx);
	struct compact_spec *spec;
	int i;

	if (target_pid != 0 && (int)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	spec = bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
	if (!spec)
		return 0;
	__sync_fetch_and_add(&hits, 1);
	cookie = spec->usdt_cookie;
	arg_cnt = spec->arg_cnt;
	for (i = 0; i < SEEN_ARGS; i++) {
		long v = 0;

		errs[i] = i < spec->arg_cnt ? read_arg(ctx, spec, i, &v) : -2;
		vals[i] = v;
	}
	return 0;
}
