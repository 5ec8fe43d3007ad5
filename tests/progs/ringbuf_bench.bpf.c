/* Part of bpfxx. Ring buffer benchmark program: emitN() writes ctl.count
 * records of N bytes (seq, then filler) into a 4 MiB ring through
 * bpf_loop; the benchmark then times only the user-space consumption. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} rb SEC(".maps");

struct control {
	__u64 count;
	__u64 next_seq;
	__u64 failures;
};

struct control ctl;

#define EMITTER(N)                                                  \
	static long emit_one_##N(__u64 index, void *unused)             \
	{                                                               \
		__u64 *p = bpf_ringbuf_reserve(&rb, N, 0);                  \
		if (!p) {                                                   \
			ctl.failures++;                                         \
			return 1;                                               \
		}                                                           \
		p[0] = ctl.next_seq++;                                      \
		p[1] = N;                                                   \
		bpf_ringbuf_submit(p, BPF_RB_NO_WAKEUP);                    \
		return 0;                                                   \
	}                                                               \
	SEC("raw_tp/sys_enter")                                         \
	int emit##N(void *ctx)                                          \
	{                                                               \
		bpf_loop(ctl.count, emit_one_##N, NULL, 0);                 \
		return 0;                                                   \
	}

EMITTER(16)
EMITTER(64)
EMITTER(512)
