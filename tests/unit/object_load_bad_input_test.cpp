// Bad input that reaches past the ELF checks: relocations whose symbols
// name no map or data, and BTF that lies about sizes. Each gives a
// specific error naming what was wrong, or is ignored with a warning;
// never a crash (run under ASan too). No kernel: open-phase checks, and
// the load phase's BTF fix-up (no kernel calls) behind a fake kernel.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "fake_kernel.h"
#include "object/load.h"
#include "object/object.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kFormat = LIBBPF_ERRNO__FORMAT;
constexpr int kReloc = LIBBPF_ERRNO__RELOC;

// ---- ELF helpers -----------------------------------------------------------

// Index of symbol `name` in .symtab.
uint32_t sym_index(const std::vector<uint8_t>& b, const std::string& name) {
  const size_t st_off = rd(b, shdr_off(b, static_cast<size_t>(find_shdr(b, ".symtab"))) + 24, 8);
  const size_t at = find_sym(b, name);
  EXPECT_NE(at, 0u) << name;
  return static_cast<uint32_t>((at - st_off) / 24);
}

// File offset of the relocation in `rel_sec` whose symbol is `sym_name`.
size_t find_relo(const std::vector<uint8_t>& b, const std::string& rel_sec, const std::string& sym_name) {
  const int rel = find_shdr(b, rel_sec);
  EXPECT_GT(rel, 0) << rel_sec;
  const size_t off = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 24, 8);
  const size_t size = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 32, 8);
  const uint32_t want = sym_index(b, sym_name);
  for (size_t p = off; p + 16 <= off + size; p += 16)
    if (rd(b, p + 12, 4) == want) return p;
  ADD_FAILURE() << "no relocation of " << sym_name << " in " << rel_sec;
  return 0;
}

// Which entry of the relocation section `at` is (its "relo #N").
size_t relo_number(const std::vector<uint8_t>& b, const std::string& rel_sec, size_t at) {
  return (at - rd(b, shdr_off(b, static_cast<size_t>(find_shdr(b, rel_sec))) + 24, 8)) / 16;
}

// ---- BTF helpers -----------------------------------------------------------

// The .BTF section of a little-endian object: where its types and strings
// are in the file, and a walk over its types (sizes of each kind's trailer
// are facts of the BTF format).
struct BtfLayout {
  size_t types = 0, types_end = 0, strs = 0;

  explicit BtfLayout(const std::vector<uint8_t>& b) {
    const int sec = find_shdr(b, ".BTF");
    EXPECT_GT(sec, 0);
    const size_t base = rd(b, shdr_off(b, static_cast<size_t>(sec)) + 24, 8);
    const size_t hdr_len = rd(b, base + 4, 4);
    types = base + hdr_len + rd(b, base + 8, 4);
    types_end = types + rd(b, base + 12, 4);
    strs = base + hdr_len + rd(b, base + 16, 4);
  }

  static size_t trailer(uint32_t kind, uint32_t vlen) {
    switch (kind) {
      case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: return 4;
      case BTF_KIND_ARRAY: return 12;
      case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64: return 12 * vlen;
      case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO: return 8 * vlen;
      default: return 0;
    }
  }

  // File offset of the type named `name` of `kind` (its btf_type header).
  size_t find(const std::vector<uint8_t>& b, const std::string& name, uint32_t kind) const {
    for (size_t p = types; p + 12 <= types_end;) {
      const uint32_t info = static_cast<uint32_t>(rd(b, p + 4, 4));
      const uint32_t k = (info >> 24) & 0x1f, vlen = info & 0xffff;
      const char* n = reinterpret_cast<const char*>(b.data() + strs + rd(b, p, 4));
      if (k == kind && name == n) return p;
      p += 12 + trailer(k, vlen);
    }
    ADD_FAILURE() << "no BTF type " << name;
    return 0;
  }
};

// A test program's bytes, to patch, and the file offset of its BTF type
// `name` of `kind` (the type's header); 0 when there is no such type.
struct BtfTypeToPatch {
  std::vector<uint8_t> bytes;
  size_t type;
};
BtfTypeToPatch btf_type_to_patch(const char* prog, const std::string& name, uint32_t kind) {
  std::vector<uint8_t> b = prog_bytes(prog);
  const size_t type = BtfLayout(b).find(b, name, kind);
  return {std::move(b), type};
}

// ---- relocations whose symbols name no map or data -----------------------

// object_maps with its relocation in rel_sec against the symbol `from`
// pointed at the symbol `to` instead.
std::vector<uint8_t> object_maps_relocated(const std::string& rel_sec, const std::string& from, const std::string& to) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, rel_sec, from);
  wr(b, relo + 12, 4, sym_index(b, to));
  return b;
}

TEST(ObjectLoadBadInput, ProgramReferencesMissingMap) {
  // use_maps' reference to typed_hash is redirected to a symbol placed
  // inside .maps where no map starts (LICENSE moved to offset 4).
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, ".reltc", "typed_hash");
  const size_t lic = find_sym(b, "LICENSE");
  ASSERT_NE(lic, 0u);
  wr(b, lic + 6, 2, static_cast<uint64_t>(find_shdr(b, ".maps")));  // st_shndx
  wr(b, lic + 8, 8, 4);                                             // st_value
  wr(b, relo + 12, 4, sym_index(b, "LICENSE"));
  EXPECT_TRUE(open_fails(b, kReloc,
                         {"section 'tc': relo #" + std::to_string(relo_number(b, ".reltc", relo)) +
                          ": no map at offset 4 of .maps ('LICENSE')"}));
}

TEST(ObjectLoadBadInput, ProgramReferencesMapPastTheEndOfMaps) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, ".reltc", "bloom");
  const size_t lic = find_sym(b, "LICENSE");
  wr(b, lic + 6, 2, static_cast<uint64_t>(find_shdr(b, ".maps")));
  wr(b, lic + 8, 8, 1 << 20);
  wr(b, relo + 12, 4, sym_index(b, "LICENSE"));
  EXPECT_TRUE(open_fails(b, kReloc, {"no map at offset 1048576 of .maps ('LICENSE')"}));
}

TEST(ObjectLoadBadInput, ProgramReferencesSectionHoldingNoData) {
  // The reference to data_var now names LICENSE, whose section "license"
  // is neither a map nor global data.
  const std::vector<uint8_t> b = object_maps_relocated(".reltc", "data_var", "LICENSE");
  EXPECT_TRUE(
      open_fails(b, kReloc, {"reference to 'LICENSE' in section 'license', which holds no map or global data"}));
}

TEST(ObjectLoadBadInput, GlobalVariableOutsideItsSection) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t sym = find_sym(b, "data_var");
  ASSERT_NE(sym, 0u);
  wr(b, sym + 8, 8, 1 << 20);  // st_value far past .data's 8 bytes
  EXPECT_TRUE(open_fails(b, kReloc, {"symbol 'data_var' lies outside its section"}));
}

TEST(ObjectLoadBadInput, UndefinedSymbolThatIsNoExtern) {
  // A local undefined symbol cannot be an extern: nothing can resolve it.
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, ".reltc", "sized_array");
  const size_t lic = find_sym(b, "LICENSE");
  wr(b, lic + 4, 1, (0 /*STB_LOCAL*/ << 4) | 1 /*STT_OBJECT*/);
  wr(b, lic + 6, 2, 0);  // SHN_UNDEF
  wr(b, relo + 12, 4, sym_index(b, "LICENSE"));
  EXPECT_TRUE(open_fails(b, kReloc, {"undefined symbol 'LICENSE' is not an extern"}));
}

TEST(ObjectLoadBadInput, SymbolInReservedSectionIndex) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, ".reltc", "rodata_var");
  const size_t lic = find_sym(b, "LICENSE");
  wr(b, lic + 6, 2, 0xfff1);  // SHN_ABS
  wr(b, relo + 12, 4, sym_index(b, "LICENSE"));
  EXPECT_TRUE(open_fails(b, kReloc, {"symbol 'LICENSE' has unsupported section index 0xfff1"}));
}

TEST(ObjectLoadBadInput, RelocationBetweenPrograms) {
  // xdp_one shrunk to its first instruction: its later references (relo
  // #1 on) now lie in no program of the section.
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  ASSERT_GT(rel, 0);
  const size_t r1 = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 24, 8) + 16;
  const uint64_t insn = rd(b, r1, 8) / 8;
  ASSERT_GT(insn, 0u);
  const size_t sym = find_sym(b, "xdp_one");
  ASSERT_EQ(rd(b, sym + 8, 8), 0u);  // xdp_one starts the section
  ASSERT_GT(rd(b, sym + 16, 8), insn * 8);
  wr(b, sym + 16, 8, 8);
  EXPECT_TRUE(open_fails(b, kReloc,
                         {"section 'xdp': relo #1: no program contains instruction #" + std::to_string(insn)}));
}

TEST(ObjectLoadBadInput, RelocationSectionSizeNotWholeEntries) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  ASSERT_GT(rel, 0);
  wr(b, shdr_off(b, static_cast<size_t>(rel)) + 32, 8, 17);  // sh_size
  EXPECT_TRUE(open_fails(b, EINVAL, {"relocation section .relxdp: size 17 is not a multiple of 16"}));
}

TEST(ObjectLoadBadInput, MapInMapSlotNamingANonMap) {
  // outer's static slot 0 (inner_a) now names a symbol outside .maps.
  const std::vector<uint8_t> b = object_maps_relocated(".rel.maps", "inner_a", "data_var");
  EXPECT_TRUE(open_fails(b, kReloc, {".maps relo #0: 'data_var' is not a map"}));
}

TEST(ObjectLoadBadInput, ProgArraySlotNamingANonProgram) {
  const std::vector<uint8_t> b = object_maps_relocated(".rel.maps", "tail_target", "bloom");
  EXPECT_TRUE(open_fails(b, kReloc, {"'bloom' is not a program"}));
}

TEST(ObjectLoadBadInput, MapsRelocationOutsideAnyMap) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t relo = find_relo(b, ".rel.maps", "inner_b");
  wr(b, relo, 8, 1 << 20);  // r_offset past every map of .maps
  EXPECT_TRUE(open_fails(b, kReloc, {"no map at offset 1048576"}));
}

// ---- BTF that lies about sizes ----------------------------------------------

TEST(ObjectLoadBadInput, BtfHeaderLongerThanSection) {
  // Type and string lengths past the section: the BTF is dropped with a
  // warning; an object with BTF-defined maps then cannot open.
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t base = rd(b, shdr_off(b, static_cast<size_t>(find_shdr(b, ".BTF"))) + 24, 8);
  wr(b, base + 12, 4, 0x7fffff00);  // type_len
  OpenOutcome o = try_open(b);
  EXPECT_EQ(o.obj, nullptr);
  EXPECT_EQ(o.err, kFormat) << o.log;
  EXPECT_NE(o.log.find("bad_obj: .BTF could not be parsed"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find(".maps section needs BTF, but the object has none"), std::string::npos) << o.log;

  // Without .maps, the object opens; the warning says BTF was dropped.
  std::vector<uint8_t> p = prog_bytes("object_progs");
  const size_t pbase = rd(p, shdr_off(p, static_cast<size_t>(find_shdr(p, ".BTF"))) + 24, 8);
  wr(p, pbase + 20, 4, 0x7fffff00);  // str_len
  OpenOutcome q = try_open(p);
  EXPECT_NE(q.obj, nullptr) << q.log;
  EXPECT_NE(q.log.find("continuing without BTF"), std::string::npos) << q.log;
  EXPECT_EQ(bpf_object__btf(q.obj.get()), nullptr);
}

TEST(ObjectLoadBadInput, MapsDatasecEntriesOverflow) {
  // .maps DATASEC entries whose offset + size wrap around: the BTF is
  // refused, naming the entry, and the maps cannot be read without it.
  auto [b, ds] = btf_type_to_patch("object_maps", ".maps", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  wr(b, ds + 12 + 4, 4, 0xffffff00u);  // entry 0: offset
  wr(b, ds + 12 + 8, 4, 0xffffffffu);  // entry 0: size
  EXPECT_TRUE(open_fails(b, kFormat,
                         {"(datasec): entry 0 offset 4294967040 + size 4294967295 overflows",
                          "bad_obj: .maps section needs BTF, but the object has none"}));
}

TEST(ObjectLoadBadInput, MapsDatasecEntriesLieButSymbolsDecide) {
  // Offsets and sizes of the .maps DATASEC entries are wrong but do not
  // overflow (clang leaves the DATASEC's own size 0, so they cannot be
  // checked against it): the ELF symbols place the maps, which open intact.
  auto [b, ds] = btf_type_to_patch("object_maps", ".maps", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  ASSERT_EQ(rd(b, ds + 8, 4), 0u);
  const uint32_t vlen = static_cast<uint32_t>(rd(b, ds + 4, 4)) & 0xffff;
  ASSERT_GT(vlen, 0u);
  for (uint32_t i = 0; i < vlen; i++) {
    wr(b, ds + 12 + 12 * i + 4, 4, 0x100000 + 8 * i);  // offset
    wr(b, ds + 12 + 12 * i + 8, 4, 3);                 // size
  }
  OpenOutcome o = try_open(b);
  ASSERT_NE(o.obj, nullptr) << o.log;
  const bpf_map* m = bpf_object__find_map_by_name(o.obj.get(), "sized_array");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(bpf_map__value_size(m), 24u);
  EXPECT_EQ(bpf_map__max_entries(m), 3u);
  EXPECT_EQ(o.obj->find_map("sized_array")->sec_offset, rd(b, find_sym(b, "sized_array") + 8, 8));
}

TEST(ObjectLoadBadInput, MapKeyStructSmallerThanItsMembers) {
  // struct key_t { __u32 a; __u64 b; } claims 4 bytes: its member b lies
  // past its end. The BTF is refused, naming the type and member; the
  // maps cannot be read without it.
  auto [b, t] = btf_type_to_patch("object_maps", "key_t", BTF_KIND_STRUCT);
  ASSERT_NE(t, 0u);
  ASSERT_EQ(rd(b, t + 8, 4), 16u);
  wr(b, t + 8, 4, 4);
  EXPECT_TRUE(open_fails(b, kFormat,
                         {"(struct): member 1 (bit offset 64",
                          "lies outside the 4-byte type",
                          ".maps section needs BTF"}));
}

TEST(ObjectLoadBadInput, DatasecSmallerThanItsVariables) {
  // .data's DATASEC claims 1 byte; data_var (8 bytes) cannot fit.
  auto [b, ds] = btf_type_to_patch("object_maps", ".data", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  wr(b, ds + 8, 4, 1);
  EXPECT_TRUE(open_fails(b, kFormat,
                         {"(datasec): entry 0 (offset 0, size 8) lies outside the 1-byte section",
                          ".BTF could not be parsed (-22), continuing without BTF"}));
}

TEST(ObjectLoadBadInput, DatasecLieInObjectWithoutMapsDropsBtf) {
  // Without BTF-defined maps the object does not need its BTF: a lying
  // DATASEC costs the BTF (with a warning), not the object.
  auto [b, ds] = btf_type_to_patch("object_progs", ".data", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  wr(b, ds + 8, 4, 1);
  OpenOutcome o = try_open(b);
  ASSERT_NE(o.obj, nullptr) << o.log;
  EXPECT_NE(o.log.find("lies outside the 1-byte section"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find("continuing without BTF"), std::string::npos) << o.log;
  EXPECT_EQ(bpf_object__btf(o.obj.get()), nullptr);
  const bpf_map* data = bpf_object__find_map_by_name(o.obj.get(), ".data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(bpf_map__btf_value_type_id(data), 0u);
}

TEST(ObjectLoadBadInput, MapKeyTypeOfAbsurdSize) {
  // The map's key type claims 4 GiB - 1 bytes: open keeps the size the
  // BTF gives (the kernel refuses it at create, as with libbpf); nothing
  // overflows on the way.
  auto [b, t] = btf_type_to_patch("object_maps", "key_t", BTF_KIND_STRUCT);
  ASSERT_NE(t, 0u);
  wr(b, t + 8, 4, 0xffffffffu);
  OpenOutcome o = try_open(b);
  ASSERT_NE(o.obj, nullptr) << o.log;
  const bpf_map* m = bpf_object__find_map_by_name(o.obj.get(), "typed_hash");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(bpf_map__key_size(m), 0xffffffffu);
}

// The load phase's BTF fix-up runs without a kernel: a fake one proves it
// makes no call.
class BtfFixupLies : public ::testing::Test {
 protected:
  FakeKernel fake_;
  ScopedKernel scoped_{&fake_};
};

TEST_F(BtfFixupLies, DatasecLargerThanItsSection) {
  // .data's DATASEC claims 4096 bytes for an 8-byte section: the map must
  // not be created with a value type the kernel would refuse; open drops
  // the map's BTF with a warning naming it.
  auto [b, ds] = btf_type_to_patch("object_maps", ".data", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  wr(b, ds + 8, 4, 4096);
  OpenOutcome o = try_open(b);
  ASSERT_NE(o.obj, nullptr) << o.log;
  bpf_map* data = bpf_object__find_map_by_name(o.obj.get(), ".data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(bpf_map__btf_value_type_id(data), 0u);
  EXPECT_NE(o.log.find(std::string("map '") + bpf_map__name(data) + "'"), std::string::npos) << o.log;
  EXPECT_TRUE(fake_.calls.empty());
}

TEST_F(BtfFixupLies, DatasecVariableOffsetsComeFromTheSymbols) {
  // clang's DATASEC (size 0) with a wrong variable offset: the fix-up
  // takes offsets from the ELF symbols, so the lie is corrected.
  auto [b, ds] = btf_type_to_patch("object_maps", ".data", BTF_KIND_DATASEC);
  ASSERT_NE(ds, 0u);
  ASSERT_EQ(rd(b, ds + 8, 4), 0u);
  wr(b, ds + 12 + 4, 4, 0x1000);  // entry 0 (data_var): offset
  OpenOutcome o = try_open(b);
  ASSERT_NE(o.obj, nullptr) << o.log;
  CapturePrint cap;
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o.obj).ok()) << cap.text();
  const btf* bt = bpf_object__btf(o.obj.get());
  const int id = btf__find_by_name_kind(bt, ".data", BTF_KIND_DATASEC);
  ASSERT_GT(id, 0);
  const btf_type* t = btf__type_by_id(bt, static_cast<uint32_t>(id));
  EXPECT_EQ(t->size, 8u);
  EXPECT_EQ(btf_var_secinfos(t)[0].offset, 0u);
  EXPECT_TRUE(fake_.calls.empty());
}

// Linking (no kernel calls) with made-up map fds, as if create_maps had
// run, except for hash_0; the fake kernel swallows their close. The
// benchmark's object has many maps and no externs.
class LinkWithMissingMap : public BtfFixupLies {
 protected:
  void SetUp() override {
    bytes_ = prog_bytes("bench_many");
    obj_.reset(bpf_object__open_mem(bytes_.data(), bytes_.size(), nullptr));
    ASSERT_NE(obj_, nullptr);
    int fd = 1000;
    for (auto& m : obj_->maps)
      if (m->name != "hash_0") m->fd = fd++;
  }
  std::vector<uint8_t> bytes_;
  ObjectPtr obj_;
};

TEST_F(LinkWithMissingMap, ReferencedMapThatWasNotCreated) {
  CapturePrint cap;
  auto r = bpfxx::object::link_programs(*obj_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), kReloc);
  EXPECT_NE(cap.text().find("map 'hash_0' was not created"), std::string::npos) << cap.text();
  EXPECT_NE(r.message().find("hash_0"), std::string::npos) << r.message();
}

TEST_F(LinkWithMissingMap, MapTurnedOffByTheUserIsPoisonedNotAnError) {
  // autocreate off: the reference becomes a call the verifier reports only
  // if it is reachable, as libbpf does.
  ASSERT_EQ(bpf_map__set_autocreate(obj_->find_map("hash_0"), false), 0);
  CapturePrint cap;
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_).ok()) << cap.text();
  const bpf_program* p = bpf_object__find_program_by_name(obj_.get(), "xdp_0");
  ASSERT_NE(p, nullptr);
  int poisoned = 0;
  for (size_t i = 0; i < bpf_program__insn_cnt(p); i++) {
    const bpf_insn& in = bpf_program__insns(p)[i];
    poisoned += in.code == (BPF_JMP | BPF_CALL) && in.imm >= bpfxx::object::kPoisonedMapCall;
  }
  EXPECT_GT(poisoned, 0);
}

}  // namespace
}  // namespace bpfxx::test
