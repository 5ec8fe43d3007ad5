// SPDX-License-Identifier: GPL-2.0
// A downstream BPF program built with the installed bpfxx_add_bpf_object():
// counts its runs in a global and adds a read-only step to another.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u64 step = 1;
__u64 runs;
__u64 total = 100; // in .data

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	runs++;
	total += step;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
