/* Part of bpfxx. Application over the generated skeleton of
 * skelgen_names.bpf.o: a custom section whose name the kernel cuts to 15
 * characters, ".rodata.data" beside ".data", and ".data.a-b" beside
 * ".data.a_b". Each section's typed struct reaches the program before
 * load, and the program's writes come back through the mapped memory. */
#include "app_util.h"
#include "skelgen_names.skel.h"

#include <string.h>

int main(void)
{
	struct bpf_map_info info;
	__u32 info_len = sizeof(info);
	struct skelgen_names *skel;
	struct bpf_map *counters;
	int fds;

	skip_unless_root();
	fds = count_fds();

	skel = skelgen_names__open();
	CHECK(skel);
	counters = skel->maps.data_my_counters_long;
	CHECK(counters);
	/* The full section name, as libbpf reports it, and found by it. */
	CHECK(strcmp(bpf_map__name(counters), ".data.my_counters_long") == 0);
	CHECK(bpf_object__find_map_by_name(skel->obj, ".data.my_counters_long") == counters);
	CHECK(strcmp(bpf_map__name(skel->maps.data_a_b), ".data.a-b") == 0);
	CHECK(strcmp(bpf_map__name(skel->maps.data_a_b_2), ".data.a_b") == 0);

	/* Initial values, each from its own section. */
	CHECK(skel->data_my_counters_long->counter == 5);
	CHECK(skel->data->plain_in == 7);
	CHECK(skel->rodata_data->ro_in == 11);
	CHECK(skel->data_a_b->dash_in == 1);
	CHECK(skel->data_a_b_2->under_in == 2);

	skel->data_my_counters_long->counter = 40;
	skel->data->plain_in = 3;
	skel->rodata_data->ro_in = 4;
	skel->data_a_b->dash_in = 5;
	skel->data_a_b_2->under_in = 6;

	CHECK(skelgen_names__load(skel) == 0);
	/* The kernel holds the cut name; the user-visible one stays whole. */
	memset(&info, 0, sizeof(info));
	CHECK(bpf_map_get_info_by_fd(bpf_map__fd(counters), &info, &info_len) == 0);
	CHECK(strcmp(info.name, ".data.my_counte") == 0);
	CHECK(strcmp(bpf_map__name(counters), ".data.my_counters_long") == 0);

	CHECK(test_run(skel->progs.run) == 0);
	CHECK(skel->data_my_counters_long->counter == 41);
	CHECK(skel->bss->plain_out == 3 + 4);
	CHECK(skel->data_a_b->dash_out == 50);
	CHECK(skel->data_a_b_2->under_out == 600);

	/* A write after load, through the mapped custom section. */
	skel->data_my_counters_long->counter = 100;
	CHECK(test_run(skel->progs.run) == 0);
	CHECK(skel->data_my_counters_long->counter == 101);

	skelgen_names__destroy(skel);
	CHECK(count_fds() == fds);
	printf("skelgen_app_names: ok\n");
	return 0;
}
