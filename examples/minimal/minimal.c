// The smallest skeleton application: load minimal.bpf.c, let it count this
// process's write(2) calls to standard output, read the count from its
// global variable.
#include <stdio.h>
#include <unistd.h>

#include "minimal.skel.h"

int main(void)
{
	struct minimal *skel = minimal__open();

	if (!skel)
		return 1;
	skel->rodata->my_pid = getpid();
	if (minimal__load(skel) || minimal__attach(skel)) {
		minimal__destroy(skel);
		return 1;
	}
	for (int i = 0; i < 3; i++)
		if (write(STDOUT_FILENO, ".", 1) != 1)
			break;
	printf("\nthe BPF program counted %ld write() calls\n", skel->bss->writes);
	minimal__destroy(skel);
	return 0;
}
