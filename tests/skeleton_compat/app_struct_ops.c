/* Skeleton compatibility: skel_struct_ops.skel.h (bpftool) drives a TCP
 * congestion control written as struct_ops. bpftool 7.1 knows no
 * .struct_ops.link and writes no map link slot, so skeleton attach leaves
 * the map to the application (a warning says so) and the application
 * registers it with bpf_map__attach_struct_ops(), as applications of that
 * era did. The algorithm is renamed before load (its name is global) and
 * seen to run through the .bss pointer. */
#include "compat_util.h"
#include "skel_struct_ops.skel.h"

#include <stdlib.h>

#define NAME "skeleton_compat.struct_ops"

/* The map's shadow: the object's own struct tcp_congestion_ops. */
struct cc_shadow {
	void *ssthresh, *cong_avoid, *undo_cwnd, *init;
	char name[16];
};

static int rename_cc(struct bpf_map *map, const char *name)
{
	size_t size = 0;
	struct cc_shadow *shadow = (struct cc_shadow *)bpf_map__initial_value(map, &size);

	if (!shadow || size < sizeof(*shadow))
		return -1;
	memset(shadow->name, 0, sizeof(shadow->name));
	snprintf(shadow->name, sizeof(shadow->name), "%s", name);
	return 0;
}

int main(void)
{
	struct skel_struct_ops *skel;
	struct bpf_link *link = NULL;
	struct bpf_map *link_map;
	char plain[16], linked[16];
	int fds_before, rc;

	rc = compat_start(NAME);
	if (rc)
		return rc;
	fds_before = compat_count_fds();
	snprintf(plain, sizeof(plain), "skc%d", (int)getpid() % 1000000);
	snprintf(linked, sizeof(linked), "skd%d", (int)getpid() % 1000000);

	skel = skel_struct_ops__open();
	if (!skel) {
		fprintf(stderr, "open failed: %s\n", strerror(errno));
		return 1;
	}
	CHECK(skel->maps.cc_plain != NULL, "struct_ops map found");
	CHECK(rename_cc(skel->maps.cc_plain, plain) == 0, "shadow of cc_plain");
	/* Not in a bpftool 7.1 skeleton, but in the object. */
	link_map = bpf_object__find_map_by_name(skel->obj, "cc_link");
	CHECK(link_map != NULL && rename_cc(link_map, linked) == 0, "shadow of cc_link");

	rc = skel_struct_ops__load(skel);
	CHECK(rc == 0, "load: %d", rc);
	if (rc)
		goto out;
	rc = skel_struct_ops__attach(skel);
	CHECK(rc == 0, "attach: %d", rc);
	CHECK(!compat_cc_available(plain), "an old skeleton has no slot for the map's link");
	link = bpf_map__attach_struct_ops(skel->maps.cc_plain);
	CHECK(link != NULL, "bpf_map__attach_struct_ops: %s", strerror(errno));
	CHECK(compat_cc_available(plain), "%s registered", plain);
	CHECK(compat_tcp_transfer(plain) == 4096, "transfer with %s", plain);
	CHECK(skel->bss->init_calls > 0, "init_calls %llu", (unsigned long long)skel->bss->init_calls);
	bpf_link__destroy(link);
	CHECK(!compat_cc_available(plain), "%s unregistered", plain);
out:
	skel_struct_ops__destroy(skel);
	CHECK(compat_count_fds() == fds_before, "fds: %d before, %d after", fds_before, compat_count_fds());
	return compat_finish(NAME);
}
