// .rodata is held by every program of its object: bound to those that do
// not refer to it (so tools find an object's read-only data, e.g. bpftool's
// metadata, through any program), and held by reference by the others.
#include "object_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace bpfxx::test;

std::vector<__u32> map_ids_of(const bpf_program* prog) {
  std::vector<__u32> ids(16);
  bpf_prog_info info{};
  info.nr_map_ids = static_cast<__u32>(ids.size());
  info.map_ids = reinterpret_cast<__u64>(ids.data());
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0);
  ids.resize(std::min<size_t>(info.nr_map_ids, ids.size()));
  return ids;
}

__u32 map_id_of(const bpf_map* map) {
  bpf_map_info info{};
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_map_get_info_by_fd(bpf_map__fd(map), &info, &len), 0);
  return info.id;
}

TEST(ObjectRodataBinding, EveryProgramHoldsRodata) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("object_progs");
  ASSERT_TRUE(obj);
  bpf_program* p;
  bpf_object__for_each_program(p, obj.get())
      bpf_program__set_autoload(p, bpf_program__type(p) == BPF_PROG_TYPE_XDP);
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  const bpf_map* rodata = bpf_object__find_map_by_name(obj.get(), ".rodata");
  ASSERT_NE(rodata, nullptr);
  const __u32 id = map_id_of(rodata);
  // xdp_one reads `limit` (.rodata); xdp_two does not refer to .rodata.
  for (const char* name : {"xdp_one", "xdp_two"}) {
    const std::vector<__u32> ids = map_ids_of(must_find_program(obj.get(), name));
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << name;
  }
}

}  // namespace
