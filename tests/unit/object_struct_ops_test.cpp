// struct_ops maps at open (no kernel): one map per variable of the
// struct_ops sections, with the definition libbpf gives it, the shadow
// data behind bpf_map__initial_value() holding the programs the source
// assigned, and clear errors for relocations that name no struct_ops
// program.
#include "object_test_util.h"

#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

namespace bpfxx::test {
namespace {

// The object's own layout of tcp_congestion_ops___bpfxx (struct_ops_cc).
struct CcShadow {
  bpf_program* ssthresh;
  bpf_program* cong_avoid;
  bpf_program* undo_cwnd;
  bpf_program* init;
  char name[16];
  unsigned long not_in_kernel;
};

ObjectPtr open_obj(const char* name) {
  ObjectPtr obj(bpf_object__open_file(prog_path(name).c_str(), nullptr));
  EXPECT_TRUE(obj) << prog_path(name) << ": " << std::strerror(errno);
  return obj;
}

TEST(ObjectStructOps, OneMapPerVariable) {
  ObjectPtr obj = open_obj("struct_ops_cc");
  ASSERT_TRUE(obj);
  bpf_map* link = bpf_object__find_map_by_name(obj.get(), "cc_link");
  bpf_map* plain = bpf_object__find_map_by_name(obj.get(), "cc_plain");
  ASSERT_NE(link, nullptr);
  ASSERT_NE(plain, nullptr);
  for (bpf_map* m : {link, plain}) {
    EXPECT_EQ(bpf_map__type(m), BPF_MAP_TYPE_STRUCT_OPS);
    EXPECT_EQ(bpf_map__key_size(m), 4u);
    EXPECT_EQ(bpf_map__max_entries(m), 1u);
    EXPECT_EQ(bpf_map__value_size(m), sizeof(CcShadow)) << "the local struct's size until load";
    EXPECT_FALSE(bpf_map__is_internal(m));
    EXPECT_TRUE(bpf_map__autocreate(m));
  }
  EXPECT_EQ(bpf_map__map_flags(link), static_cast<__u32>(BPF_F_LINK));
  EXPECT_EQ(bpf_map__map_flags(plain), 0u);
}

TEST(ObjectStructOps, ShadowHoldsTheAssignedPrograms) {
  ObjectPtr obj = open_obj("struct_ops_cc");
  ASSERT_TRUE(obj);
  for (const char* map_name : {"cc_link", "cc_plain"}) {
    size_t size = 0;
    const auto* sh = static_cast<const CcShadow*>(
        bpf_map__initial_value(bpf_object__find_map_by_name(obj.get(), map_name), &size));
    ASSERT_NE(sh, nullptr) << map_name;
    ASSERT_EQ(size, sizeof(CcShadow));
    EXPECT_EQ(sh->ssthresh, bpf_object__find_program_by_name(obj.get(), "bpfxx_ssthresh"));
    EXPECT_EQ(sh->cong_avoid, bpf_object__find_program_by_name(obj.get(), "bpfxx_cong_avoid"));
    EXPECT_EQ(sh->undo_cwnd, bpf_object__find_program_by_name(obj.get(), "bpfxx_undo_cwnd"));
    EXPECT_EQ(sh->init, bpf_object__find_program_by_name(obj.get(), "bpfxx_init"));
    EXPECT_EQ(sh->not_in_kernel, 0u);
  }
  const auto* sh = static_cast<const CcShadow*>(
      bpf_map__initial_value(bpf_object__find_map_by_name(obj.get(), "cc_plain"), nullptr));
  EXPECT_STREQ(sh->name, "bpfxx_cc_plain");
  // The struct_ops programs are of their type from open on.
  EXPECT_EQ(bpf_program__type(sh->init), BPF_PROG_TYPE_STRUCT_OPS);
  // bpf_map__set_initial_value() is for global data only.
  CcShadow copy = *sh;
  EXPECT_EQ(bpf_map__set_initial_value(bpf_object__find_map_by_name(obj.get(), "cc_plain"), &copy, sizeof copy),
            -EINVAL);
}

TEST(ObjectStructOps, SecondVariableOfASectionAtItsOwnOffset) {
  ObjectPtr obj = open_obj("struct_ops_update");
  ASSERT_TRUE(obj);
  struct Shadow {
    bpf_program* ssthresh;
    bpf_program* cong_avoid;
    bpf_program* undo_cwnd;
    bpf_program* init;
    char name[16];
  };
  const auto* a = static_cast<const Shadow*>(
      bpf_map__initial_value(bpf_object__find_map_by_name(obj.get(), "ca_a"), nullptr));
  const auto* b = static_cast<const Shadow*>(
      bpf_map__initial_value(bpf_object__find_map_by_name(obj.get(), "ca_b"), nullptr));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->init, bpf_object__find_program_by_name(obj.get(), "a_init"));
  EXPECT_EQ(b->init, bpf_object__find_program_by_name(obj.get(), "b_init"));
  EXPECT_EQ(a->ssthresh, b->ssthresh);
  EXPECT_STREQ(a->name, "bpfxx_cc_up");
  EXPECT_STREQ(b->name, "bpfxx_cc_up");
}

TEST(ObjectStructOps, MemberSetToAProgramOfAnotherTypeIsAnError) {
  std::vector<uint8_t> b = prog_bytes("struct_ops_cc");
  const int rel = find_shdr(b, ".rel.struct_ops.link");
  const int symtab = find_shdr(b, ".symtab");
  ASSERT_GT(rel, 0);
  ASSERT_GT(symtab, 0);
  const size_t sym = find_sym(b, "bpfxx_not_struct_ops");
  ASSERT_NE(sym, 0u);
  const uint64_t sym_idx = (sym - rd(b, shdr_off(b, static_cast<size_t>(symtab)) + 24, 8)) / 24;
  // The first relocation of .struct_ops.link now names the socket program.
  const size_t entry = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 24, 8);
  wr(b, entry + 8, 8, (sym_idx << 32) | (rd(b, entry + 8, 8) & 0xffffffffu));
  OpenOutcome out = try_open(b);
  EXPECT_FALSE(out.obj);
  EXPECT_EQ(out.err, EINVAL);
  EXPECT_NE(out.log.find("bpfxx_not_struct_ops"), std::string::npos) << out.log;
  EXPECT_NE(out.log.find("not a struct_ops program"), std::string::npos) << out.log;
}

TEST(ObjectStructOps, RelocationOutsideEveryVariableIsAnError) {
  std::vector<uint8_t> b = prog_bytes("struct_ops_cc");
  const int rel = find_shdr(b, ".rel.struct_ops");
  ASSERT_GT(rel, 0);
  const size_t entry = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 24, 8);
  wr(b, entry, 8, 1u << 20);  // r_offset far beyond the section
  OpenOutcome out = try_open(b);
  EXPECT_FALSE(out.obj);
  EXPECT_EQ(out.err, EINVAL);
  EXPECT_NE(out.log.find("in no struct_ops variable"), std::string::npos) << out.log;
}

}  // namespace
}  // namespace bpfxx::test
