/* LIBBPF_OPTS from C: zero, one and several fields; sz set, rest zero. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>

static int all_zero_after(const void *p, size_t from, size_t to)
{
	const unsigned char *b = (const unsigned char *)p;
	for (size_t i = from; i < to; i++)
		if (b[i])
			return 0;
	return 1;
}

int main(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, none);
	LIBBPF_OPTS(bpf_map_create_opts, one, .map_flags = 1);
	LIBBPF_OPTS(bpf_prog_load_opts, three, .log_level = 2, .log_size = 64, .prog_flags = 4);

	if (none.sz != sizeof(none) || !all_zero_after(&none, sizeof(size_t), sizeof(none)))
		return puts("none: wrong"), 1;
	if (one.sz != sizeof(one) || one.map_flags != 1 || one.btf_fd || one.numa_node)
		return puts("one: wrong"), 1;
	if (three.sz != sizeof(three) || three.log_level != 2 || three.log_size != 64 ||
	    three.prog_flags != 4 || three.log_buf || three.attempts)
		return puts("three: wrong"), 1;
	LIBBPF_OPTS_RESET(one, .numa_node = 3);
	if (one.sz != sizeof(one) || one.map_flags != 0 || one.numa_node != 3)
		return puts("reset: wrong"), 1;
	puts("LIBBPF_OPTS ok");
	return 0;
}
