/* Part of bpfxx. Ring buffer test program: each run emits ctl.per_run
 * records through bpf_loop, numbered by a global sequence. Sizes vary:
 * fixed-size reservations (some discarded: seq % 5 == 3) and
 * bpf_ringbuf_output() copies of any byte length between 16 and 511. Each
 * record is { seq, size | kind << 32, pattern words... } truncated to its
 * size, so user space can check order and content. emit_two writes small
 * records alternately to ring_a and ring_b for the several-rings test. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ring_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8192);
} ring_b SEC(".maps");

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
	__u64 per_run;   /* records to emit per run */
	__u64 next_seq;  /* next sequence number */
	__u64 failures;  /* reservations or outputs that failed */
	__u64 committed; /* records submitted */
	__u64 discarded; /* records discarded */
};

struct control ctl;

#define PATTERN(seq, i) ((seq) * 0x9E3779B97F4A7C15ULL + (i))

#define EMIT_FIXED(N, kind)                                                  \
	do {                                                                     \
		__u64 *p = bpf_ringbuf_reserve(&rb, N, 0);                           \
		if (!p) {                                                            \
			ctl.failures++;                                                  \
			return 1;                                                        \
		}                                                                    \
		p[0] = seq;                                                          \
		p[1] = (__u64)(N) | ((__u64)(kind) << 32);                           \
		for (int j = 2; j < (N) / 8; j++)                                    \
			p[j] = PATTERN(seq, j - 2);                                      \
		if (seq % 5 == 3) {                                                  \
			bpf_ringbuf_discard(p, 0);                                       \
			ctl.discarded++;                                                 \
		} else {                                                             \
			bpf_ringbuf_submit(p, 0);                                        \
			ctl.committed++;                                                 \
		}                                                                    \
	} while (0)

static long emit_one(__u64 index, void *unused)
{
	__u64 seq = ctl.next_seq++;

	switch (seq % 6) {
	case 0:
		EMIT_FIXED(16, 1);
		return 0;
	case 1:
		EMIT_FIXED(48, 1);
		return 0;
	case 2:
		EMIT_FIXED(136, 1);
		return 0;
	case 3:
		EMIT_FIXED(392, 1);
		return 0;
	default: {
		__u32 zero = 0;
		struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
		__u64 size;

		if (!s)
			return 1;
		/* any byte length from 16 to 511: records end off the 8-byte grid */
		size = ((seq * 13) & 511) | 16;
		s->w[0] = seq;
		s->w[1] = size | (2ULL << 32);
		for (int j = 2; j < 64; j++)
			s->w[j] = PATTERN(seq, j - 2);
		if (seq % 5 == 3) {
			/* output cannot discard: skip the number instead */
			ctl.discarded++;
			return 0;
		}
		if (bpf_ringbuf_output(&rb, s, size, 0)) {
			ctl.failures++;
			return 1;
		}
		ctl.committed++;
		return 0;
	}
	}
}

SEC("raw_tp/sys_enter")
int emit(void *ctx)
{
	bpf_loop(ctl.per_run, emit_one, NULL, 0);
	return 0;
}

static long emit_pair(__u64 index, void *unused)
{
	__u64 seq = ctl.next_seq++;
	__u64 *p = bpf_ringbuf_reserve((seq & 1) ? (void *)&ring_b : (void *)&ring_a, 16, 0);

	if (!p) {
		ctl.failures++;
		return 1;
	}
	p[0] = seq;
	p[1] = PATTERN(seq, 0);
	bpf_ringbuf_submit(p, 0);
	ctl.committed++;
	return 0;
}

SEC("raw_tp/sys_enter")
int emit_two(void *ctx)
{
	bpf_loop(ctl.per_run, emit_pair, NULL, 0);
	return 0;
}
