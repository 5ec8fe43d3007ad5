/* Part of bpfxx. The object the load benchmark opens and loads: many
 * programs and many maps, kept to what Debian's libbpf 1.1 also loads.
 *
 * 64 programs (24 XDP, 20 socket filters, 20 tc) each call two of eight
 * groups of static subprograms plus one per-type subprogram, so every
 * program gets several subprograms appended at load. 32 BTF-defined maps
 * (hash, array, LRU, per-CPU array, ring buffers, queue, LPM trie, an
 * array-of-maps with two maps of its inner type, a program array) plus
 * .data, .rodata and .bss are referenced from the code.
 *
 * The array-of-maps has no static `values`: filling a map-in-map slot
 * makes the kernel wait for an RCU grace period (4 to 28 ms each here),
 * which would drown the libraries' own time in noise. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* ---- maps --------------------------------------------------------------- */

#define HASH_MAP(n)                                                           \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_HASH);                              \
		__type(key, __u32);                                           \
		__type(value, __u64);                                         \
		__uint(max_entries, 64);                                      \
	} hash_##n SEC(".maps");

#define ARRAY_MAP(n)                                                          \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_ARRAY);                             \
		__type(key, __u32);                                           \
		__type(value, __u64);                                         \
		__uint(max_entries, 16);                                      \
	} array_##n SEC(".maps");

#define LRU_MAP(n)                                                            \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                          \
		__type(key, __u32);                                           \
		__type(value, __u32);                                         \
		__uint(max_entries, 128);                                     \
	} lru_##n SEC(".maps");

#define PERCPU_MAP(n)                                                         \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                      \
		__type(key, __u32);                                           \
		__type(value, __u64);                                         \
		__uint(max_entries, 8);                                       \
	} pcpu_##n SEC(".maps");

HASH_MAP(0) HASH_MAP(1) HASH_MAP(2) HASH_MAP(3)
HASH_MAP(4) HASH_MAP(5) HASH_MAP(6) HASH_MAP(7)
ARRAY_MAP(0) ARRAY_MAP(1) ARRAY_MAP(2) ARRAY_MAP(3)
ARRAY_MAP(4) ARRAY_MAP(5) ARRAY_MAP(6) ARRAY_MAP(7)
LRU_MAP(0) LRU_MAP(1) LRU_MAP(2) LRU_MAP(3)
PERCPU_MAP(0) PERCPU_MAP(1) PERCPU_MAP(2) PERCPU_MAP(3)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events_a SEC(".maps"), events_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, __u32);
	__uint(max_entries, 32);
} pending SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct lpm_key);
	__type(value, __u32);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

struct inner_t {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_t);
} outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

/* ---- global data -------------------------------------------------------- */

__u64 hits[64];                                            /* .bss */
__u64 seeds[8] = { 3, 5, 7, 11, 13, 17, 19, 23 };           /* .data */
__u32 enabled = 1;                                         /* .data */
const volatile __u64 limit = 100;                          /* .rodata */
const volatile __u32 weights[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }; /* .rodata */

/* ---- subprograms -------------------------------------------------------- */

/* Group k: count the key in hash_k and an LRU map, mix in array_k, a
 * per-CPU array and the globals. */
#define GROUP(k, other)                                                       \
	static __noinline __u64 bump_##k(__u32 key)                           \
	{                                                                     \
		__u64 one = 1, *v = bpf_map_lookup_elem(&hash_##k, &key);     \
		__u32 seen = key;                                             \
		bpf_map_update_elem(&lru_##other, &key, &seen, BPF_ANY);      \
		if (v) {                                                      \
			__sync_fetch_and_add(v, 1);                           \
			return *v;                                            \
		}                                                             \
		bpf_map_update_elem(&hash_##k, &key, &one, BPF_ANY);          \
		return 0;                                                     \
	}                                                                     \
	static __noinline __u64 mix_##k(__u32 key)                            \
	{                                                                     \
		__u32 slot = key & 7;                                         \
		__u64 *a = bpf_map_lookup_elem(&array_##k, &slot);            \
		__u64 *p = bpf_map_lookup_elem(&pcpu_##other, &slot);         \
		__u64 r = seeds[k] * weights[k];                              \
		if (a)                                                        \
			r += *a;                                              \
		if (p)                                                        \
			*p += r;                                              \
		return enabled ? r : 0;                                       \
	}

GROUP(0, 0) GROUP(1, 1) GROUP(2, 2) GROUP(3, 3)
GROUP(4, 0) GROUP(5, 1) GROUP(6, 2) GROUP(7, 3)

static __noinline int inner_lookup(__u32 key)
{
	__u32 which = key & 1, slot = key & 3;
	void *inner = bpf_map_lookup_elem(&outer, &which);
	__u64 *v;

	if (!inner)
		return 0;
	v = bpf_map_lookup_elem(inner, &slot);
	return v ? (int)*v : 0;
}

static __noinline int emit(__u32 key, int second)
{
	__u64 rec = key;

	if (second)
		return bpf_ringbuf_output(&events_b, &rec, sizeof(rec), 0);
	return bpf_ringbuf_output(&events_a, &rec, sizeof(rec), 0);
}

static __noinline int route(__u32 addr)
{
	struct lpm_key k = { .prefixlen = 32, .addr = addr };
	__u32 *v = bpf_map_lookup_elem(&routes, &k);

	bpf_map_push_elem(&pending, &addr, BPF_EXIST);
	return v ? (int)*v : 0;
}

/* ---- programs ----------------------------------------------------------- */

#define XDP_PROG(n, k)                                                        \
	SEC("xdp")                                                            \
	int xdp_##n(struct xdp_md *ctx)                                       \
	{                                                                     \
		__u32 key = ctx->ingress_ifindex + n;                         \
		__u64 r = bump_##k(key) + mix_##k(key) + inner_lookup(key);   \
		hits[n] += r;                                                 \
		return r > limit ? XDP_DROP : XDP_PASS;                       \
	}

#define SOCK_PROG(n, k)                                                       \
	SEC("socket")                                                         \
	int sock_##n(struct __sk_buff *skb)                                   \
	{                                                                     \
		__u32 key = skb->len + n;                                     \
		__u64 r = bump_##k(key) + mix_##k(key);                       \
		emit(key, n & 1);                                             \
		hits[24 + n] += r;                                            \
		return r > limit ? 0 : skb->len;                              \
	}

#define TC_PROG(n, k)                                                         \
	SEC("tc")                                                             \
	int tc_##n(struct __sk_buff *skb)                                     \
	{                                                                     \
		__u32 key = skb->ifindex + n;                                 \
		__u64 r = bump_##k(key) + mix_##k(key) + route(key);          \
		hits[44 + n] += r;                                            \
		if (r == 12345)                                               \
			bpf_tail_call(skb, &jumps, n & 3);                    \
		return r > limit ? 2 /* TC_ACT_SHOT */ : 0 /* TC_ACT_OK */;   \
	}

XDP_PROG(0, 0) XDP_PROG(1, 1) XDP_PROG(2, 2) XDP_PROG(3, 3)
XDP_PROG(4, 4) XDP_PROG(5, 5) XDP_PROG(6, 6) XDP_PROG(7, 7)
XDP_PROG(8, 0) XDP_PROG(9, 1) XDP_PROG(10, 2) XDP_PROG(11, 3)
XDP_PROG(12, 4) XDP_PROG(13, 5) XDP_PROG(14, 6) XDP_PROG(15, 7)
XDP_PROG(16, 0) XDP_PROG(17, 1) XDP_PROG(18, 2) XDP_PROG(19, 3)
XDP_PROG(20, 4) XDP_PROG(21, 5) XDP_PROG(22, 6) XDP_PROG(23, 7)

SOCK_PROG(0, 0) SOCK_PROG(1, 1) SOCK_PROG(2, 2) SOCK_PROG(3, 3)
SOCK_PROG(4, 4) SOCK_PROG(5, 5) SOCK_PROG(6, 6) SOCK_PROG(7, 7)
SOCK_PROG(8, 0) SOCK_PROG(9, 1) SOCK_PROG(10, 2) SOCK_PROG(11, 3)
SOCK_PROG(12, 4) SOCK_PROG(13, 5) SOCK_PROG(14, 6) SOCK_PROG(15, 7)
SOCK_PROG(16, 0) SOCK_PROG(17, 1) SOCK_PROG(18, 2) SOCK_PROG(19, 3)

TC_PROG(0, 0) TC_PROG(1, 1) TC_PROG(2, 2) TC_PROG(3, 3)
TC_PROG(4, 4) TC_PROG(5, 5) TC_PROG(6, 6) TC_PROG(7, 7)
TC_PROG(8, 0) TC_PROG(9, 1) TC_PROG(10, 2) TC_PROG(11, 3)
TC_PROG(12, 4) TC_PROG(13, 5) TC_PROG(14, 6) TC_PROG(15, 7)
TC_PROG(16, 0) TC_PROG(17, 1) TC_PROG(18, 2) TC_PROG(19, 3)
