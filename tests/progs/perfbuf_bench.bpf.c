/* Part of bpfxx. Perf buffer benchmark program: sendN() writes ctl.count
 * (at most 1024) samples of N bytes with bpf_perf_event_output() to the
 * current CPU's buffer; the benchmark times only the user-space side. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct scratch {
	__u64 w[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct control {
	__u64 count;
	__u64 next_seq;
	__u64 failures;
};

struct control ctl;

#define SENDER(N)                                                           \
	SEC("raw_tp/sys_enter")                                                 \
	int send##N(void *ctx)                                                  \
	{                                                                       \
		__u32 zero = 0;                                                     \
		struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);       \
		__u64 n = ctl.count;                                                \
		if (!s)                                                             \
			return 1;                                                       \
		for (int i = 0; i < 1024; i++) {                                    \
			if (i >= n)                                                     \
				break;                                                      \
			s->w[0] = ctl.next_seq++;                                       \
			s->w[1] = N;                                                    \
			if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, s, N)) \
				ctl.failures++;                                             \
		}                                                                   \
		return 0;                                                           \
	}

SENDER(16)
SENDER(64)
SENDER(512)
