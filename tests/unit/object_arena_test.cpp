// Arena globals at open (no kernel): `.addr_space.1` tied to the object's
// arena map, its bytes as the map's initial value, its place in the arena
// (libbpf 1.8: the last pages), and the clear errors of bad objects.
#include <bpf/libbpf.h>

#include "object/arena.h"
#include "object/map_data.h"
#include "object/object.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

using bpfxx::object::RelocKind;
using bpfxx::test::ObjectPtr;
using bpfxx::test::prog_bytes;
using bpfxx::test::prog_path;

namespace {

// Offset of a global inside its section, from the ELF symbol table.
size_t sym_value(const std::vector<uint8_t>& elf, const char* name) {
  const size_t sym = bpfxx::test::find_sym(elf, name);
  EXPECT_NE(sym, 0u) << name;
  return sym == 0 ? 0 : bpfxx::test::rd(elf, sym + 8, 8);
}

TEST(ObjectArenaOpen, GlobalsBelongToTheArenaMap) {
  ObjectPtr obj(bpf_object__open(prog_path("arena_globals").c_str()));
  ASSERT_NE(obj, nullptr) << std::strerror(errno);
  bpf_map* arena = bpf_object__find_map_by_name(obj.get(), "arena");
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(bpf_map__type(arena), BPF_MAP_TYPE_ARENA);
  EXPECT_EQ(bpf_object__find_map_by_name(obj.get(), "arena_gl.addr_space.1"), nullptr)
      << "the arena section must not become an internal map";
  EXPECT_EQ(bpfxx::object::arena_map(*obj), arena);

  // Every arena relocation points at the arena map.
  size_t arena_relos = 0;
  for (const auto& p : obj->programs)
    for (const auto& r : p->relos)
      if (r.kind == RelocKind::kArena) {
        arena_relos++;
        EXPECT_EQ(r.map_idx, obj->arena_map_idx);
      }
  EXPECT_GT(arena_relos, 0u);

  // Before load: the private copy of the section, the values C gave.
  const std::vector<uint8_t> elf = prog_bytes("arena_globals");
  size_t size = 0;
  const auto* data = static_cast<const uint8_t*>(bpf_map__initial_value(arena, &size));
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(size, 32u);  // int counter (padded to 8) + u64 triple[3]
  int counter = 0;
  std::memcpy(&counter, data + sym_value(elf, "counter"), sizeof counter);
  EXPECT_EQ(counter, 42);
  uint64_t triple[3] = {};
  std::memcpy(triple, data + sym_value(elf, "triple"), sizeof triple);
  EXPECT_EQ(triple[0], 7u);
  EXPECT_EQ(triple[1], 8u);
  EXPECT_EQ(triple[2], 9u);
}

TEST(ObjectArenaOpen, GlobalsSitInTheLastPagesAndFollowMaxEntries) {
  ObjectPtr obj(bpf_object__open(prog_path("arena_globals").c_str()));
  ASSERT_NE(obj, nullptr) << std::strerror(errno);
  bpf_map* arena = bpf_object__find_map_by_name(obj.get(), "arena");
  ASSERT_NE(arena, nullptr);
  const uint64_t page = bpfxx::object::page_size();
  auto off = bpfxx::object::arena_globals_offset(*arena);
  ASSERT_TRUE(off) << off.message();
  EXPECT_EQ(*off, 3 * page);  // 4 pages, 32 bytes of globals in the last one
  ASSERT_EQ(bpf_map__set_max_entries(arena, 8), 0);
  off = bpfxx::object::arena_globals_offset(*arena);
  ASSERT_TRUE(off) << off.message();
  EXPECT_EQ(*off, 7 * page);
  // One page is the least the globals need: without it, a clear error.
  ASSERT_EQ(bpf_map__set_max_entries(arena, 0), 0);
  bpfxx::test::CapturePrint cap;
  off = bpfxx::object::arena_globals_offset(*arena);
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error(), E2BIG);
  EXPECT_NE(cap.text().find("too small for its 32 bytes of __arena globals"), std::string::npos) << cap.text();
}

TEST(ObjectArenaOpen, SetInitialValueBeforeLoad) {
  ObjectPtr obj(bpf_object__open(prog_path("arena_globals").c_str()));
  ASSERT_NE(obj, nullptr) << std::strerror(errno);
  bpf_map* arena = bpf_object__find_map_by_name(obj.get(), "arena");
  ASSERT_NE(arena, nullptr);
  std::vector<uint8_t> bytes(32, 0xab);
  {
    bpfxx::test::CapturePrint cap;
    errno = 0;
    EXPECT_EQ(bpf_map__set_initial_value(arena, bytes.data(), 16), -EINVAL);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("16 bytes given"), std::string::npos) << cap.text();
  }
  ASSERT_EQ(bpf_map__set_initial_value(arena, bytes.data(), bytes.size()), 0);
  size_t size = 0;
  const void* data = bpf_map__initial_value(arena, &size);
  ASSERT_NE(data, nullptr);
  ASSERT_EQ(size, bytes.size());
  EXPECT_EQ(std::memcmp(data, bytes.data(), size), 0);
}

struct BadCase {
  const char* prog;
  int err;
  std::vector<std::string> says;
};

class ObjectArenaOpenBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(ObjectArenaOpenBad, OpenFailsClearly) {
  const BadCase& c = GetParam();
  const bpfxx::test::OpenOutcome out = bpfxx::test::try_open(prog_bytes(c.prog));
  EXPECT_EQ(out.obj, nullptr);
  EXPECT_EQ(out.err, c.err) << std::strerror(out.err);
  for (const std::string& s : c.says) EXPECT_NE(out.log.find(s), std::string::npos) << out.log;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ObjectArenaOpenBad,
    ::testing::Values(BadCase{"arena_bad_nomap", ENOENT,
                              {"bad_obj", ".addr_space.1", "need a BPF_MAP_TYPE_ARENA map"}},
                      BadCase{"arena_bad_two", EINVAL, {"bad_obj", "only one arena map", "'arena_one'", "'arena_two'"}},
                      BadCase{"arena_bad_big", E2BIG, {"bad_obj", "20480 bytes", "do not fit", "'arena'"}}));

// The section's size patched to 1 MiB (as NOBITS, so no file bytes are
// needed): open refuses it against the 4-page arena.
TEST(ObjectArenaOpen, ArenaSectionSizePatchedLargerThanArena) {
  std::vector<uint8_t> b = prog_bytes("arena_globals");
  const int sec = bpfxx::test::find_shdr(b, ".addr_space.1");
  ASSERT_GT(sec, 0);
  // NOBITS of 1 MiB: no file bytes needed, far more than 4 pages.
  bpfxx::test::wr(b, bpfxx::test::shdr_off(b, static_cast<size_t>(sec)) + 4, 4, 8 /* SHT_NOBITS */);
  bpfxx::test::wr(b, bpfxx::test::shdr_off(b, static_cast<size_t>(sec)) + 32, 8, 1u << 20);
  const bpfxx::test::OpenOutcome out = bpfxx::test::try_open(b);
  EXPECT_EQ(out.obj, nullptr);
  EXPECT_EQ(out.err, E2BIG) << out.log;
  EXPECT_NE(out.log.find("1048576 bytes of __arena globals do not fit"), std::string::npos) << out.log;
}

}  // namespace
