// Part of bpfxx. Application (C++) over the generated skeleton of
// skelgen_many.bpf.o: twelve programs and nine maps, some named like C++
// keywords; every program runs once and leaves its mark in its map.
#include "app_util.h"
#include "skelgen_many.skel.h"

int main() {
  skip_unless_root();
  const int fds = count_fds();

  skelgen_many* skel = skelgen_many::open_and_load();
  CHECK(skel != nullptr);
  CHECK(skel->maps.events != nullptr);
  struct bpf_program* progs[] = {
      skel->progs.prog_0,
      skel->progs.prog_1,
      skel->progs.prog_2,
      skel->progs.prog_3,
      skel->progs.prog_4,
      skel->progs.prog_5,
      skel->progs.prog_6,
      skel->progs.prog_7,
      skel->progs.prog_8,
      skel->progs.private_,
      skel->progs.this_,
      skel->progs.typename_,
  };
  for (int i = 0; i < 12; i++) {
    CHECK(test_run(progs[i]) == i + 1);
    CHECK(skel->bss->runs[i] == 1);
  }
  struct bpf_map* maps[] = {
      skel->maps.m_hash,
      skel->maps.m_array,
      skel->maps.m_percpu,
      skel->maps.m_lru,
      skel->maps.m_pcpu_hash,
      skel->maps.delete_,
      skel->maps.operator_,
      skel->maps.m_last,
  };
  for (int m = 0; m < 8; m++) {
    if (bpf_map__type(maps[m]) == BPF_MAP_TYPE_PERCPU_ARRAY || bpf_map__type(maps[m]) == BPF_MAP_TYPE_PERCPU_HASH)
      continue;
    __u32 key = 0;
    __u64 value = 0;
    CHECK(bpf_map__lookup_elem(maps[m], &key, sizeof(key), &value, sizeof(value), 0) == 0);
    // The last of the programs that write map m: prog m + 8 for m < 4.
    CHECK(value == (__u64)(m < 4 ? m + 9 : m + 1));
  }
  CHECK(skelgen_many::attach(skel) == 0);  // nothing auto-attaches: still fine
  skelgen_many::destroy(skel);
  CHECK(count_fds() == fds);
  printf("PASS: skelgen_many\n");
  return 0;
}
