// struct_ops maps loaded into the running kernel: a tcp_congestion_ops
// written in BPF is registered, selected with setsockopt(TCP_CONGESTION)
// on a loopback connection and seen to run (its callbacks count in
// globals); plain and link maps; the shadow data of
// bpf_map__initial_value(); autoload following autocreate; and the clean
// errors of bpf_program__assoc_struct_ops(). On a kernel without struct_ops
// BPF links, tests that need only the plain map leave the link map out
// (autocreate off); those that need a link check the load error and skip.
#include "object_support.h"
#include "struct_ops_support.h"

#include "sys/features.h"

namespace bpfxx::test {
namespace {

using bpfxx::sys::Feature;

constexpr const char* kObj = "struct_ops_cc";

__u64 counter(bpf_object* obj, const char* name) {
  static const std::vector<uint8_t> elf = prog_bytes(kObj);
  return read_from_map<__u64>(obj, find_global(elf, name));
}

bpf_map* must_find_map(bpf_object* obj, const char* name) {
  bpf_map* map = bpf_object__find_map_by_name(obj, name);
  EXPECT_NE(map, nullptr) << "expected a map named '" << name << "'";
  return map;
}

// Leaves the .struct_ops.link map out of the load when the kernel cannot
// create it; returns the struct_ops map the test should use.
const char* usable_map(bpf_object* obj) {
  if (kernel_has_struct_ops_links()) return "cc_link";
  EXPECT_EQ(bpf_map__set_autocreate(must_find_map(obj, "cc_link"), false), 0);
  return "cc_plain";
}

TEST(StructOpsCc, LinkMapRegisteredSelectedAndRun) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_map* map = must_find_map(obj.get(), "cc_link");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(bpf_map__type(map), BPF_MAP_TYPE_STRUCT_OPS);
  EXPECT_EQ(bpf_map__map_flags(map), static_cast<__u32>(BPF_F_LINK));
  if (!kernel_has_struct_ops_links()) {
    expect_link_map_refused(kObj, "cc_link");
    GTEST_SKIP() << kNoStructOpsLinks;
  }
  {
    FullPrintCapture cap;
    ASSERT_EQ(bpf_object__load(obj.get()), 0) << cap.text();
    // The member the kernel lacks was zero: skipped, and said so.
    EXPECT_NE(cap.text().find("bpfxx_not_in_kernel"), std::string::npos) << cap.text();
  }
  // The kernel's value type sized the map.
  EXPECT_GT(bpf_map__value_size(map), 100u);
  // Programs carry the kernel struct and the member index.
  bpf_program* ca = must_find_program(obj.get(), "bpfxx_cong_avoid");
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(bpf_program__expected_attach_type(ca), 1) << "cong_avoid is member #1 of tcp_congestion_ops";
  EXPECT_GE(bpf_program__fd(ca), 0);
  // The unused "?struct_ops" program stayed unloaded.
  EXPECT_LT(bpf_program__fd(must_find_program(obj.get(), "bpfxx_init_alt")), 0);

  ASSERT_FALSE(cc_available("bpfxx_cc")) << "left over from an earlier run?";
  LinkPtr link(bpf_map__attach_struct_ops(map));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_GE(bpf_link__fd(link.get()), 0);
  EXPECT_NE(bpf_link__fd(link.get()), bpf_map__fd(map)) << "a .struct_ops.link map gets a BPF link";
  EXPECT_EQ(link_info(bpf_link__fd(link.get())).type, BPF_LINK_TYPE_STRUCT_OPS);
  EXPECT_TRUE(cc_available("bpfxx_cc"));

  const long bytes = tcp_transfer("bpfxx_cc");
  EXPECT_EQ(bytes, 4l << 20);
  EXPECT_EQ(counter(obj.get(), "init_calls"), 1u) << "init runs once, for the client socket";
  EXPECT_GT(counter(obj.get(), "cong_avoid_calls"), 0u);

  ASSERT_EQ(bpf_link__destroy(link.release()), 0);
  EXPECT_FALSE(cc_available("bpfxx_cc")) << "destroying the link unregisters the algorithm";
}

TEST(StructOpsCc, PlainMapRegisteredByUpdateAndUnregisteredByDetach) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_map* map = must_find_map(obj.get(), "cc_plain");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(bpf_map__map_flags(map), 0u);
  usable_map(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  LinkPtr link(bpf_map__attach_struct_ops(map));
  ASSERT_TRUE(link) << std::strerror(errno);
  // No BPF link of its own: its fd is (a duplicate of) the map's.
  EXPECT_EQ(map_id(bpf_link__fd(link.get())), map_id(bpf_map__fd(map)));
  EXPECT_TRUE(cc_available("bpfxx_cc_plain"));
  EXPECT_EQ(tcp_transfer("bpfxx_cc_plain", 1u << 20), 1l << 20);
  EXPECT_EQ(counter(obj.get(), "init_calls"), 1u);
  // Closing the object first does not stop the link from unregistering.
  obj.reset();
  EXPECT_TRUE(cc_available("bpfxx_cc_plain"));
  EXPECT_EQ(bpf_link__destroy(link.release()), 0);
  EXPECT_FALSE(cc_available("bpfxx_cc_plain"));
}

TEST(StructOpsCc, ShadowDataSwapsProgramAndName) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  // Either map serves; the other one is left out.
  const bool links = kernel_has_struct_ops_links();
  bpf_map* map = must_find_map(obj.get(), links ? "cc_link" : "cc_plain");
  bpf_map* other = must_find_map(obj.get(), links ? "cc_plain" : "cc_link");
  ASSERT_NE(map, nullptr);
  ASSERT_NE(other, nullptr);
  // The shadow, in the object's layout: ssthresh, cong_avoid, undo_cwnd,
  // init (pointers), then name[16].
  struct Shadow {
    bpf_program* ssthresh;
    bpf_program* cong_avoid;
    bpf_program* undo_cwnd;
    bpf_program* init;
    char name[16];
    unsigned long not_in_kernel;
  };
  size_t size = 0;
  auto* sh = static_cast<Shadow*>(bpf_map__initial_value(map, &size));
  ASSERT_NE(sh, nullptr);
  ASSERT_EQ(size, sizeof(Shadow));
  EXPECT_EQ(sh->init, must_find_program(obj.get(), "bpfxx_init"));
  EXPECT_EQ(sh->ssthresh, must_find_program(obj.get(), "bpfxx_ssthresh"));
  EXPECT_STREQ(sh->name, links ? "bpfxx_cc" : "bpfxx_cc_plain");
  sh->init = must_find_program(obj.get(), "bpfxx_init_alt");
  std::snprintf(sh->name, sizeof sh->name, "bpfxx_cc_sh");
  // Keep the other map out of it: its programs follow (bpfxx_init, used
  // by it alone now, is not loaded).
  ASSERT_EQ(bpf_map__set_autocreate(other, false), 0);
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  EXPECT_GE(bpf_program__fd(must_find_program(obj.get(), "bpfxx_init_alt")), 0);
  EXPECT_LT(bpf_program__fd(must_find_program(obj.get(), "bpfxx_init")), 0);

  LinkPtr link(bpf_map__attach_struct_ops(map));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_TRUE(cc_available("bpfxx_cc_sh"));
  EXPECT_FALSE(cc_available(links ? "bpfxx_cc" : "bpfxx_cc_plain"));
  EXPECT_EQ(tcp_transfer("bpfxx_cc_sh", 1u << 20), 1l << 20);
  EXPECT_EQ(counter(obj.get(), "init_alt_calls"), 1u);
  EXPECT_EQ(counter(obj.get(), "init_calls"), 0u);
  link.reset();
  EXPECT_FALSE(cc_available("bpfxx_cc_sh"));
}

// A program replaced in every map that declared it serves nothing: it is
// not loaded, and the load does not fail over it (libbpf's rule).
TEST(StructOpsCc, ProgramReplacedEverywhereIsNotLoaded) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_program* alt = must_find_program(obj.get(), "bpfxx_init_alt");
  for (const char* name : {"cc_link", "cc_plain"}) {
    size_t size = 0;
    auto* slots = static_cast<bpf_program**>(bpf_map__initial_value(must_find_map(obj.get(), name), &size));
    ASSERT_NE(slots, nullptr);
    ASSERT_GE(size, 4 * sizeof(bpf_program*));
    ASSERT_EQ(slots[3], must_find_program(obj.get(), "bpfxx_init")) << name;
    slots[3] = alt;  // init
  }
  // Without struct_ops links the .struct_ops.link map cannot be created;
  // bpfxx_init then stays declared by an uncreated map only.
  if (!kernel_has_struct_ops_links()) {
    ASSERT_EQ(bpf_map__set_autocreate(must_find_map(obj.get(), "cc_link"), false), 0);
  }
  FullPrintCapture cap;
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << cap.text();
  EXPECT_GE(bpf_program__fd(alt), 0);
  EXPECT_LT(bpf_program__fd(must_find_program(obj.get(), "bpfxx_init")), 0);
  EXPECT_GE(bpf_program__fd(must_find_program(obj.get(), "bpfxx_ssthresh")), 0);
}

TEST(StructOpsCc, MapsNotCreatedLeaveTheirProgramsUnloaded) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  ASSERT_EQ(bpf_map__set_autocreate(must_find_map(obj.get(), "cc_link"), false), 0);
  ASSERT_EQ(bpf_map__set_autocreate(must_find_map(obj.get(), "cc_plain"), false), 0);
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  for (const char* name : {"bpfxx_init", "bpfxx_ssthresh", "bpfxx_cong_avoid", "bpfxx_undo_cwnd"})
    EXPECT_LT(bpf_program__fd(must_find_program(obj.get(), name)), 0) << name;
  EXPECT_GE(bpf_program__fd(must_find_program(obj.get(), "bpfxx_not_struct_ops")), 0);
  // Not created: no registering it.
  errno = 0;
  EXPECT_EQ(bpf_map__attach_struct_ops(must_find_map(obj.get(), "cc_link")), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST(StructOpsCc, AttachRefusesOtherMapsAndUnloadedObjects) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_map* map = must_find_map(obj.get(), "cc_link");
  errno = 0;
  EXPECT_EQ(bpf_map__attach_struct_ops(map), nullptr) << "not loaded yet";
  EXPECT_EQ(errno, EINVAL);
  usable_map(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  bpf_map* bss = data_map(obj.get(), ".bss");
  ASSERT_NE(bss, nullptr);
  FullPrintCapture cap;
  errno = 0;
  EXPECT_EQ(bpf_map__attach_struct_ops(bss), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("not a struct_ops map"), std::string::npos) << cap.text();
}

TEST(StructOpsCc, MistakesAreNamed) {
  BPFXX_REQUIRE_ROOT();
  {
    ObjectPtr obj = open_prog_object("struct_ops_bad");
    ASSERT_TRUE(obj);
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__load(obj.get()), -ENOTSUP);
    EXPECT_NE(cap.text().find("struct_ops map 'cc_short': member 'name' has 8 bytes, the kernel's has 16"),
              std::string::npos)
        << cap.text();
  }
  {
    ObjectPtr obj = open_prog_object("struct_ops_bad");
    ASSERT_TRUE(obj);
    ASSERT_EQ(bpf_map__set_autocreate(bpf_object__find_map_by_name(obj.get(), "cc_short"), false), 0);
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__load(obj.get()), -EINVAL);
    EXPECT_NE(cap.text().find("prog 'orphan': struct_ops program used by no struct_ops map"), std::string::npos)
        << cap.text();
  }
  {
    ObjectPtr obj = open_prog_object("struct_ops_bad");
    ASSERT_TRUE(obj);
    ASSERT_EQ(bpf_map__set_autocreate(bpf_object__find_map_by_name(obj.get(), "cc_short"), false), 0);
    ASSERT_EQ(bpf_program__set_autoload(must_find_program(obj.get(), "orphan"), false), 0);
    EXPECT_EQ(bpf_object__load(obj.get()), 0);
    EXPECT_LT(bpf_program__fd(must_find_program(obj.get(), "short_ssthresh")), 0);
  }
}

// ---- bpf_program__assoc_struct_ops ----------------------------------------

std::string feature_reason(Feature f) {
  const char* d = bpfxx::sys::feature_description(f);
  return std::string("kernel lacks ") + (d != nullptr ? d : bpfxx::sys::feature_name(f));
}

TEST(StructOpsAssoc, RefusalsBeforeAnySyscall) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_program* plain = must_find_program(obj.get(), "bpfxx_not_struct_ops");
  bpf_program* st = must_find_program(obj.get(), "bpfxx_ssthresh");
  bpf_map* map = must_find_map(obj.get(), usable_map(obj.get()));
  // Nothing loaded yet.
  BPFXX_EXPECT_ERR(bpf_program__assoc_struct_ops(plain, map, nullptr), EINVAL);
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  FullPrintCapture cap;
  BPFXX_EXPECT_ERR(bpf_program__assoc_struct_ops(st, map, nullptr), EINVAL);
  EXPECT_NE(cap.text().find("a struct_ops program cannot be associated"), std::string::npos) << cap.text();
  BPFXX_EXPECT_ERR(bpf_program__assoc_struct_ops(plain, data_map(obj.get(), ".bss"), nullptr), EINVAL);
  EXPECT_NE(cap.text().find("not a struct_ops map"), std::string::npos) << cap.text();
}

TEST(StructOpsAssoc, KernelWithoutTheCommandSaysSo) {
  BPFXX_REQUIRE_ROOT();
  if (bpfxx::sys::has_feature(Feature::AssocStructOps))
    GTEST_SKIP() << "this kernel has BPF_PROG_ASSOC_STRUCT_OPS (see StructOpsAssoc.Associates)";
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  const char* map_name = usable_map(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  FullPrintCapture cap;
  BPFXX_EXPECT_ERR(bpf_program__assoc_struct_ops(must_find_program(obj.get(), "bpfxx_not_struct_ops"),
                                                 must_find_map(obj.get(), map_name), nullptr),
                   EOPNOTSUPP);
  EXPECT_NE(cap.text().find("has no BPF_PROG_ASSOC_STRUCT_OPS"), std::string::npos) << cap.text();
}

TEST(StructOpsAssoc, Associates) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(Feature::AssocStructOps)) GTEST_SKIP() << feature_reason(Feature::AssocStructOps);
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  bpf_program* plain = must_find_program(obj.get(), "bpfxx_not_struct_ops");
  EXPECT_EQ(bpf_program__assoc_struct_ops(plain, must_find_map(obj.get(), "cc_link"), nullptr), 0)
      << std::strerror(errno);
  // Once associated, a program keeps its map (the seed's rule).
  errno = 0;
  EXPECT_LT(bpf_program__assoc_struct_ops(plain, must_find_map(obj.get(), "cc_plain"), nullptr), 0);
}

}  // namespace
}  // namespace bpfxx::test
