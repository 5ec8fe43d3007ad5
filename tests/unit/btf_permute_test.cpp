// btf__permute(): types put in a new order with every reference following
// them (in the types, over a base BTF, and in a .BTF.ext's function info
// and CO-RE relocations), and every bad map refused with EINVAL, leaving
// the BTF as it was.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include "btf/ext.h"
#include "object_test_util.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

using BtfPtr = std::unique_ptr<struct btf, decltype(&btf__free)>;

std::vector<uint8_t> raw_bytes(const struct btf* b) {
  __u32 size = 0;
  const auto* p = static_cast<const uint8_t*>(btf__raw_data(b, &size));
  return {p, p + size};
}

// [1] int, [2] int *, [3] struct s { int a; struct s *next; }, [4] struct s *
BtfPtr four_types() {
  BtfPtr b(btf__new_empty(), btf__free);
  EXPECT_EQ(btf__add_int(b.get(), "int", 4, BTF_INT_SIGNED), 1);
  EXPECT_EQ(btf__add_ptr(b.get(), 1), 2);
  EXPECT_EQ(btf__add_struct(b.get(), "s", 16), 3);
  EXPECT_EQ(btf__add_field(b.get(), "a", 1, 0, 0), 0);
  EXPECT_EQ(btf__add_field(b.get(), "next", 4, 64, 0), 0);
  EXPECT_EQ(btf__add_ptr(b.get(), 3), 4);
  return b;
}

TEST(BtfPermute, TypesMoveAndReferencesFollow) {
  BtfPtr b = four_types();
  __u32 id_map[] = {4, 3, 2, 1};  // old 1 -> 4, old 2 -> 3, ...
  ASSERT_EQ(btf__permute(b.get(), id_map, 4, nullptr), 0);
  ASSERT_EQ(btf__type_cnt(b.get()), 5u);
  const struct btf_type* t4 = btf__type_by_id(b.get(), 4);
  EXPECT_TRUE(btf_is_int(t4));
  EXPECT_STREQ(btf__name_by_offset(b.get(), t4->name_off), "int");
  const struct btf_type* t3 = btf__type_by_id(b.get(), 3);
  ASSERT_TRUE(btf_is_ptr(t3));
  EXPECT_EQ(t3->type, 4u);
  const struct btf_type* t2 = btf__type_by_id(b.get(), 2);
  ASSERT_TRUE(btf_is_struct(t2));
  ASSERT_EQ(btf_vlen(t2), 2);
  EXPECT_EQ(btf_members(t2)[0].type, 4u);
  EXPECT_EQ(btf_members(t2)[1].type, 1u);
  EXPECT_STREQ(btf__name_by_offset(b.get(), btf_members(t2)[1].name_off), "next");
  const struct btf_type* t1 = btf__type_by_id(b.get(), 1);
  ASSERT_TRUE(btf_is_ptr(t1));
  EXPECT_EQ(t1->type, 2u);
  // The name index and the serialized form follow too.
  EXPECT_EQ(btf__find_by_name_kind(b.get(), "s", BTF_KIND_STRUCT), 2);
  EXPECT_EQ(btf__find_by_name(b.get(), "int"), 4);
  EXPECT_EQ(btf__resolve_size(b.get(), 2), 16);
  const std::vector<uint8_t> raw = raw_bytes(b.get());
  BtfPtr again(btf__new(raw.data(), static_cast<__u32>(raw.size())), btf__free);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(btf__find_by_name_kind(again.get(), "s", BTF_KIND_STRUCT), 2);
  EXPECT_EQ(btf__type_by_id(again.get(), 1)->type, 2u);
}

TEST(BtfPermute, IdentityChangesNothing) {
  BtfPtr b = four_types();
  const std::vector<uint8_t> before = raw_bytes(b.get());
  __u32 id_map[] = {1, 2, 3, 4};
  ASSERT_EQ(btf__permute(b.get(), id_map, 4, nullptr), 0);
  EXPECT_EQ(raw_bytes(b.get()), before);
}

TEST(BtfPermute, BadMapsAreRefusedAndChangeNothing) {
  BtfPtr b = four_types();
  const std::vector<uint8_t> before = raw_bytes(b.get());
  struct Case {
    const char* what;
    std::vector<__u32> map;
    const char* message;
  };
  const Case cases[] = {
      {"too few ids", {1, 2, 3}, "3 ids given for 4 types"},
      {"too many ids", {1, 2, 3, 4, 5}, "5 ids given for 4 types"},
      {"id 0 (void)", {0, 2, 3, 4}, "mapped to 0, outside 1..4"},
      {"id past the end", {1, 2, 3, 5}, "mapped to 5, outside 1..4"},
      {"an id twice", {1, 2, 2, 4}, "types [2] and [3] both mapped to 2"},
  };
  for (const Case& c : cases) {
    bpfxx::test::CapturePrint capture;
    errno = 0;
    std::vector<__u32> map = c.map;
    EXPECT_EQ(btf__permute(b.get(), map.data(), static_cast<__u32>(map.size()), nullptr), -EINVAL) << c.what;
    EXPECT_EQ(errno, EINVAL) << c.what;
    EXPECT_NE(capture.text().find(c.message), std::string::npos) << c.what << ": " << capture.text();
    EXPECT_EQ(raw_bytes(b.get()), before) << c.what;
  }
  EXPECT_EQ(btf__permute(nullptr, nullptr, 0, nullptr), -EINVAL);
  EXPECT_EQ(btf__permute(b.get(), nullptr, 4, nullptr), -EINVAL);
}

TEST(BtfPermute, ReferencePastTheLastTypeIsRefused) {
  BtfPtr b(btf__new_empty(), btf__free);
  ASSERT_EQ(btf__add_ptr(b.get(), 7), 1);  // refers to a type never added
  ASSERT_EQ(btf__add_int(b.get(), "int", 4, 0), 2);
  const std::vector<uint8_t> before = raw_bytes(b.get());
  __u32 id_map[] = {2, 1};
  bpfxx::test::CapturePrint capture;
  EXPECT_EQ(btf__permute(b.get(), id_map, 2, nullptr), -EINVAL);
  EXPECT_NE(capture.text().find("type [1] refers to a type id past the last one"), std::string::npos)
      << capture.text();
  EXPECT_EQ(raw_bytes(b.get()), before);
}

TEST(BtfPermute, SplitBtfMovesOnlyItsOwnTypes) {
  BtfPtr base(btf__new_empty(), btf__free);
  ASSERT_EQ(btf__add_int(base.get(), "int", 4, BTF_INT_SIGNED), 1);
  BtfPtr split(btf__new_empty_split(base.get()), btf__free);
  ASSERT_EQ(btf__add_ptr(split.get(), 1), 2);  // int *
  ASSERT_EQ(btf__add_ptr(split.get(), 2), 3);  // int **
  ASSERT_EQ(btf__add_typedef(split.get(), "pp", 3), 4);
  __u32 id_map[] = {4, 2, 3};  // [2] -> 4, [3] -> 2, [4] -> 3
  ASSERT_EQ(btf__permute(split.get(), id_map, 3, nullptr), 0);
  EXPECT_EQ(btf__type_by_id(split.get(), 4)->type, 1u);  // int *: still the base's int
  EXPECT_EQ(btf__type_by_id(split.get(), 2)->type, 4u);  // int **
  EXPECT_EQ(btf__type_by_id(split.get(), 3)->type, 2u);  // pp
  EXPECT_EQ(btf__find_by_name_kind(split.get(), "pp", BTF_KIND_TYPEDEF), 3);
  EXPECT_TRUE(btf_is_int(btf__type_by_id(split.get(), 1)));
  // The base's ids cannot be targets.
  bpfxx::test::CapturePrint capture;
  __u32 into_base[] = {1, 2, 3};
  EXPECT_EQ(btf__permute(split.get(), into_base, 3, nullptr), -EINVAL);
  EXPECT_NE(capture.text().find("type [2] mapped to 1, outside 2..4"), std::string::npos) << capture.text();
}

// Names of what each function info and CO-RE relocation record points at.
std::vector<std::string> ext_targets(const struct btf* b, const struct btf_ext* ext) {
  std::vector<std::string> names;
  for (const bpfxx::btf::ExtInfo* info : {&ext->func_info(), &ext->core_relo()})
    for (const bpfxx::btf::ExtSection& sec : info->sections)
      for (uint32_t i = 0; i < sec.num; i++) {
        uint32_t id;
        std::memcpy(&id, sec.records + size_t{i} * info->rec_size + sizeof(uint32_t), sizeof(id));
        const struct btf_type* t = btf__type_by_id(b, id);
        names.push_back(t == nullptr ? "?" : std::to_string(btf_kind(t)) + ":" + btf__name_by_offset(b, t->name_off));
      }
  return names;
}

TEST(BtfPermute, BtfExtTypeIdsFollow) {
  for (const char* obj : {"load_subprogs", "core_task"}) {
    SCOPED_TRACE(obj);
    struct btf_ext* ext = nullptr;
    BtfPtr b(btf__parse_elf(bpfxx::test::prog_path(obj).c_str(), &ext), btf__free);
    ASSERT_NE(b, nullptr);
    ASSERT_NE(ext, nullptr);
    const std::vector<std::string> before = ext_targets(b.get(), ext);
    ASSERT_FALSE(before.empty());
    // Reverse the order of every type.
    const __u32 n = btf__type_cnt(b.get()) - 1;
    std::vector<__u32> id_map(n);
    for (__u32 i = 0; i < n; i++) id_map[i] = n - i;
    LIBBPF_OPTS(btf_permute_opts, opts, .btf_ext = ext);
    ASSERT_EQ(btf__permute(b.get(), id_map.data(), n, &opts), 0);
    EXPECT_EQ(ext_targets(b.get(), ext), before);
    // The serialized .BTF.ext carries the new ids too.
    __u32 size = 0;
    const void* raw = btf_ext__raw_data(ext, &size);
    struct btf_ext* reparsed = btf_ext__new(static_cast<const __u8*>(raw), size);
    ASSERT_NE(reparsed, nullptr);
    EXPECT_EQ(ext_targets(b.get(), reparsed), before);
    btf_ext__free(reparsed);
    btf_ext__free(ext);
  }
}

}  // namespace
