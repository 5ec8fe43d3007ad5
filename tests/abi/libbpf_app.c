/* An application built against Debian's libbpf (its headers, -lbpf), run
 * with libbpf.so.1 pointing at libbpfxx: proves our versioned symbols
 * satisfy a real libbpf binary. Prints the library version it got and, as
 * root, round-trips a value through a map and, given an object (argv[1],
 * tests/progs/object_progs.bpf.o), opens it with libbpf 1.1's smaller
 * bpf_object_open_opts, sets a .rodata value, loads it and runs a program
 * whose result depends on that value. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* xdp_one returns XDP_DROP when static_helper(1) (= 3) exceeds the .rodata
 * value `limit` (7 in the object), XDP_PASS otherwise. */
static int run_xdp_one(struct bpf_object *obj, unsigned int *retval)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_one");
	unsigned char pkt[64] = {0};
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1);

	if (!prog || bpf_prog_test_run_opts(bpf_program__fd(prog), &run))
		return -1;
	*retval = run.retval;
	return 0;
}

static int load_object(const char *path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "abi_obj");
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	struct bpf_program *prog;
	struct bpf_map *rodata;
	unsigned int retval = 0;
	size_t size = 0;
	int *limit;
	int ok = 0;

	if (!obj) {
		fprintf(stderr, "bpf_object__open_file(%s) failed\n", path);
		return 1;
	}
	if (strcmp(bpf_object__name(obj), "abi_obj") != 0) {
		fprintf(stderr, "object name from the options was not taken\n");
		goto out;
	}
	/* Only the XDP programs: fentry cannot load here, the unknown section never. */
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, bpf_program__type(prog) == BPF_PROG_TYPE_XDP);
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	limit = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	if (!limit || size < sizeof(*limit) || *limit != 7) {
		fprintf(stderr, ".rodata initial value not found\n");
		goto out;
	}
	*limit = 1;
	if (bpf_object__load(obj)) {
		fprintf(stderr, "bpf_object__load failed\n");
		goto out;
	}
	if (run_xdp_one(obj, &retval) || retval != XDP_DROP) {
		fprintf(stderr, "xdp_one returned %u, wanted XDP_DROP\n", retval);
		goto out;
	}
	printf("object load ok\n");
	ok = 1;
out:
	bpf_object__close(obj);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
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
	return argc > 1 ? load_object(argv[1]) : 0;
}
