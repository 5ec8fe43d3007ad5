/* An application built against Debian's libbpf (its headers, -lbpf), run
 * with libbpf.so.1 pointing at libbpfxx: proves our versioned symbols
 * satisfy a real libbpf binary. Prints the library version it got and, as
 * root, round-trips a value through a map. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	printf("library %s (%u.%u)\n", libbpf_version_string(), libbpf_major_version(),
	       libbpf_minor_version());
	if (libbpf_minor_version() != 8) {
		fprintf(stderr, "resolved against the wrong library\n");
		return 1;
	}
	if (geteuid() != 0)
		return 0;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abi_app", 4, 8, 1, NULL);
	if (fd < 0) {
		fprintf(stderr, "bpf_map_create: %d\n", fd);
		return 1;
	}
	unsigned int key = 0;
	unsigned long long in = 0x1122334455667788ULL, out = 0;
	if (bpf_map_update_elem(fd, &key, &in, BPF_ANY) || bpf_map_lookup_elem(fd, &key, &out) ||
	    out != in) {
		fprintf(stderr, "map round trip failed\n");
		return 1;
	}
	close(fd);
	printf("map round trip ok\n");
	return 0;
}
