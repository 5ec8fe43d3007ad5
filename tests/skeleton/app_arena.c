/* Part of bpfxx. Application over the generated skeleton of
 * skelgen_arena.bpf.o: arena globals typed in skel->arena, set before
 * load, changed by the program, changed again by user space after load. */
#include "app_util.h"
#include "skelgen_arena.skel.h"

int main(void)
{
	struct skelgen_arena *skel;
	int fds;

	skip_unless_root();
	fds = count_fds();

	skel = skelgen_arena__open();
	CHECK(skel);
	CHECK(skel->arena);
	CHECK(skel->arena->flag == 1);
	CHECK(skel->arena->big == 1000);
	CHECK(skel->arena->counters[3] == 4);
	skel->arena->big = 5000;

	/* The layout was checked above without a kernel; loading needs arena
	 * maps, which some kernels (or their configuration) refuse. */
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_ARENA, NULL) != 1) {
		skelgen_arena__destroy(skel);
		CHECK(count_fds() == fds);
		printf("SKIP: the kernel has no BPF arena maps (libbpf_probe_bpf_map_type said no)\n");
		return SKIP_CODE;
	}
	CHECK(skelgen_arena__load(skel) == 0);
	CHECK(skel->arena->big == 5000);
	CHECK(test_run(skel->progs.bump) == 0);
	CHECK(skel->arena->flag == 2);
	CHECK(skel->arena->big == 5001);
	CHECK(skel->bss->sum == 2 + 5001 + 2 + 3 + 4 + 5);

	skel->arena->counters[0] = 100;
	CHECK(test_run(skel->progs.bump) == 0);
	CHECK(skel->bss->sum == 3 + 5002 + 101 + 4 + 5 + 6);

	skelgen_arena__destroy(skel);
	CHECK(count_fds() == fds);
	printf("PASS: skelgen_arena\n");
	return 0;
}
