// SPDX-License-Identifier: GPL-2.0
// proctrace's BPF side: reports every program executed and every file
// opened through openat(2) as a struct proctrace_event in a ring buffer.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "proctrace.h"

// Set by user space before load (through the skeleton's rodata); 0 traces
// every process. Being read-only, the verifier prunes the unused branch.
const volatile int target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

// The current process's id when it is to be traced, else 0.
static __always_inline int traced_pid(void)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	return target_pid && pid != target_pid ? 0 : pid;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct proctrace_event *e;
	int pid = traced_pid();

	if (!pid)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0; // ring full: user space is behind, drop the event
	e->kind = PROCTRACE_EXEC;
	e->pid = pid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	// The low 16 bits of __data_loc_filename locate the string in the record.
	bpf_probe_read_kernel_str(e->path, sizeof(e->path),
				  (void *)ctx + (ctx->__data_loc_filename & 0xffff));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct trace_event_raw_sys_enter *ctx)
{
	struct proctrace_event *e;
	int pid = traced_pid();

	if (!pid)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->kind = PROCTRACE_OPEN;
	e->pid = pid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	// openat(dfd, filename, flags, mode): the path is a user pointer.
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const char *)ctx->args[1]);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
