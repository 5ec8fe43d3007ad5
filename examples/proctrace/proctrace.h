/* The record proctrace.bpf.c sends to user space through the ring buffer. */
#ifndef PROCTRACE_H
#define PROCTRACE_H

#define PROCTRACE_COMM_LEN 16
#define PROCTRACE_PATH_LEN 256

enum proctrace_kind {
	PROCTRACE_EXEC = 1,
	PROCTRACE_OPEN = 2,
};

struct proctrace_event {
	int kind; /* enum proctrace_kind */
	int pid;  /* process id (the thread group's) */
	char comm[PROCTRACE_COMM_LEN];
	char path[PROCTRACE_PATH_LEN]; /* executed file or opened path */
};

#endif
