// SPDX-License-Identifier: GPL-2.0
// Counts one process's write(2) calls to its standard output in a global
// variable.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile int my_pid = 0; // set by user space before load
long writes = 0;               // read by user space through the skeleton

SEC("tracepoint/syscalls/sys_enter_write")
int count_writes(struct trace_event_raw_sys_enter *ctx)
{
	// write(fd, buf, count): args[0] is the file descriptor.
	if ((int)(bpf_get_current_pid_tgid() >> 32) == my_pid && ctx->args[0] == 1)
		__sync_fetch_and_add(&writes, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
