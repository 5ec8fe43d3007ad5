/* Part of bpfxx. Application over the generated skeleton of
 * skelgen_data.bpf.o (every data section, keyword names) and its
 * subskeleton: globals set before load reach the program, the program's
 * writes come back, writes after load go through the mapped sections. */
#include "app_util.h"
#include "skelgen_types.h"
#include "skelgen_data.skel.h"
#include "skelgen_data_sub.subskel.h"

#include <string.h>

static void make_syscalls(void)
{
	for (int i = 0; i < 5; i++)
		(void)getppid();
}

int main(void)
{
	struct skelgen_data *skel;
	struct skelgen_data_sub *sub;
	__u64 value = 0, hits;
	__u32 key = 0;
	int fds;

	skip_unless_root();
	fds = count_fds();

	skel = skelgen_data__open();
	CHECK(skel);
	/* Initial values from the object, through each typed section. */
	CHECK(skel->data->small == 'x');
	CHECK(skel->data->wide == 0x1122334455667788ULL);
	CHECK(skel->data->shorts[2] == 3);
	CHECK(skel->data->pair.first == 10 && skel->data->pair.second == 20);
	CHECK(skel->rodata->target_tgid == 0);
	CHECK(memcmp((const char *)skel->rodata->ro_tag, "abcd", 5) == 0);
	CHECK(skel->data_custom->custom_in == 0x3333);
	CHECK(skel->rodata_limits->custom_ro == 0x4444);
	CHECK(skel->bss->hits == 0);
	CHECK(skel->maps.class_ && skel->maps.bss && skel->progs.new_);

	/* Inputs set before load. */
	skel->rodata->target_tgid = (__u32)getpid();
	skel->rodata->mode = SKELGEN_ON;
	skel->data_custom->custom_in = 0x100;
	skel->rodata_limits->custom_ro = 5;
	skel->bss->template_ = 41;
	skel->data->pair.first = 20;

	CHECK(skelgen_data__load(skel) == 0);
	CHECK(skel->kconfig->LINUX_KERNEL_VERSION != 0);
	CHECK(skel->rodata->target_tgid == (__u32)getpid());

	/* Subskeleton over the loaded object: the same variables. */
	sub = skelgen_data_sub__open(skel->obj);
	CHECK(sub);
	CHECK(sub->bss.hits == &skel->bss->hits);
	CHECK(sub->data.wide == &skel->data->wide);
	CHECK(*sub->data_custom.custom_in == 0x100);
	CHECK(sub->maps.class_ == skel->maps.class_);
	CHECK(sub->progs.on_enter == skel->progs.on_enter);
	*sub->bss.template_ = 99;
	CHECK(skel->bss->template_ == 99);
	skelgen_data_sub__destroy(sub);
	skel->bss->template_ = 41;

	CHECK(skelgen_data__attach(skel) == 0);
	CHECK(skel->links.on_enter != NULL);
	CHECK(skel->links.new_ == NULL); /* syscall programs do not auto-attach */

	/* A write after load, through the mapped .data. */
	skel->data->wide = 77;
	make_syscalls();
	CHECK(skel->bss->hits > 0);
	CHECK(skel->bss->bss_out == 42);
	CHECK(skel->data->data_out == 20 + 3 + 100);
	CHECK(skel->data_custom->custom_out == 0x100 + 1 + 5);
	CHECK(skel->bss->seen_version == 1);
	CHECK(skel->bss->anon_pair.a == 'x');
	CHECK(bpf_map__lookup_elem(skel->maps.class_, &key, sizeof(key), &value, sizeof(value), 0) == 0);
	CHECK(value == 77);

	skelgen_data__detach(skel);
	CHECK(skel->links.on_enter == NULL);
	hits = skel->bss->hits;
	make_syscalls();
	CHECK(skel->bss->hits == hits);

	CHECK(test_run(skel->progs.new_) == 'a');

	skelgen_data__destroy(skel);
	CHECK(count_fds() == fds);
	printf("PASS: skelgen_data\n");
	return 0;
}
