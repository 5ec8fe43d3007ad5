// Skeleton compatibility, C++: skel_many.skel.h (bpftool) through its C++
// members (skel_many::open(), load(), attach(), destroy()). Seven programs
// and eight maps: three programs attach (two tracepoints, a raw
// tracepoint) and count this process's syscalls into `counts`; the xdp,
// socket, target-less uprobe and not-loaded programs are skipped; every
// map is found and created; no fd is left after destroy.
#include "compat_util.h"
#include "skel_many.skel.h"

#define NAME "skeleton_compat.many"

int main()
{
	if (int rc = compat_start(NAME))
		return rc;
	const int fds_before = compat_count_fds();
	skel_many *skel = skel_many::open();
	if (!skel) {
		fprintf(stderr, "open failed: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->target_tgid = static_cast<unsigned>(getpid());
	int rc = skel_many::load(skel);
	CHECK(rc == 0, "load: %d", rc);
	if (rc == 0) {
		struct bpf_map *maps[] = {skel->maps.by_tgid, skel->maps.counts, skel->maps.lru, skel->maps.percpu,
					  skel->maps.events, skel->maps.jumps, skel->maps.rodata, skel->maps.bss};
		for (struct bpf_map *m : maps)
			CHECK(m != nullptr && bpf_map__fd(m) >= 0, "map created");
		rc = skel_many::attach(skel);
		CHECK(rc == 0, "attach: %d", rc);
		CHECK(skel->links.tp_getpgid && skel->links.tp_getppid && skel->links.raw_enter, "three links");
		CHECK(!skel->links.not_loaded && !skel->links.uprobe_no_target && !skel->links.xdp_count &&
			      !skel->links.sock_filter,
		      "the rest skipped");
		for (int i = 0; i < 2; i++) {
			(void)getpgid(0);
			(void)getppid();
		}
		for (__u32 slot = 0; slot < 3; slot++) {
			__u64 v = 0;
			CHECK(bpf_map__lookup_elem(skel->maps.counts, &slot, sizeof(slot), &v, sizeof(v), 0) == 0,
			      "lookup slot %u", slot);
			CHECK(v >= 2, "slot %u counted %llu", slot, static_cast<unsigned long long>(v));
		}
		CHECK(compat_test_run(skel->progs.xdp_count) == 0, "test run");
		CHECK(skel->bss->xdp_runs == 1, "xdp_runs %llu", static_cast<unsigned long long>(skel->bss->xdp_runs));
	}
	skel_many::destroy(skel);
	CHECK(compat_count_fds() == fds_before, "fds: %d before, %d after", fds_before, compat_count_fds());
	return compat_finish(NAME);
}
