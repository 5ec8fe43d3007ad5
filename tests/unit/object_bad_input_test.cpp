// Malformed objects: each gives NULL, errno and a message naming the
// object and the problem; never a crash (run under ASan too).
#include <bpf/libbpf.h>

#include "object_test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kFormat = LIBBPF_ERRNO__FORMAT;
constexpr int kReloc = LIBBPF_ERRNO__RELOC;

class BadObject : public ::testing::TestWithParam<const char*> {};

TEST_P(BadObject, TruncatedAtEveryLength) {
  const std::vector<uint8_t> full = prog_bytes(GetParam());
  ASSERT_FALSE(full.empty());
  libbpf_print_fn_t prev = libbpf_set_print(nullptr);
  for (size_t len = 1; len < full.size(); len++) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<long>(len));
    errno = 0;
    bpf_object* obj = bpf_object__open_mem(cut.data(), cut.size(), nullptr);
    // The section headers come last: no prefix of the file is an object.
    EXPECT_EQ(obj, nullptr) << "length " << len;
    EXPECT_NE(errno, 0) << "length " << len;
    bpf_object__close(obj);
  }
  libbpf_set_print(prev);
}

TEST_P(BadObject, EveryByteFlipped) {
  // Not an exactness check: every single-byte corruption must open or fail
  // cleanly (ASan watches the reads).
  const std::vector<uint8_t> full = prog_bytes(GetParam());
  libbpf_print_fn_t prev = libbpf_set_print(nullptr);
  for (size_t i = 0; i < full.size(); i++) {
    std::vector<uint8_t> b = full;
    b[i] ^= 0xff;
    errno = 0;
    bpf_object* obj = bpf_object__open_mem(b.data(), b.size(), nullptr);
    if (obj == nullptr) {
      EXPECT_NE(errno, 0) << "byte " << i;
    }
    bpf_object__close(obj);
  }
  libbpf_set_print(prev);
}

INSTANTIATE_TEST_SUITE_P(Objects, BadObject, ::testing::Values("object_progs", "object_maps", "object_sections"));

TEST(ObjectBadInput, WrongMachine) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  wr(b, 18, 2, 62);  // EM_X86_64
  EXPECT_TRUE(open_fails(b, kFormat, {"bad_obj: not a BPF object (e_machine 62)"}));
}

TEST(ObjectBadInput, WrongType) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  wr(b, 16, 2, 2);  // ET_EXEC
  EXPECT_TRUE(open_fails(b, kFormat, {"not a relocatable ELF object"}));
}

TEST(ObjectBadInput, WrongClass) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  b[4] = 1;  // ELFCLASS32
  EXPECT_TRUE(open_fails(b, EOPNOTSUPP, {"only 64-bit ELF is supported"}));
}

TEST(ObjectBadInput, WrongEndianness) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  b[5] = 0;
  EXPECT_TRUE(open_fails(b, EINVAL, {"unknown ELF data encoding"}));
  // Read as big-endian, the little-endian header's fields are nonsense.
  b[5] = 2;
  OpenOutcome o = try_open(b);
  EXPECT_FALSE(o.obj);
  EXPECT_NE(o.err, 0);
}

TEST(ObjectBadInput, NotElf) {
  std::vector<uint8_t> b(100, 'x');
  EXPECT_TRUE(open_fails(b, kFormat, {"not an ELF file"}));
}

TEST(ObjectBadInput, BadSectionNameTableIndex) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  wr(b, 62, 2, 200);
  EXPECT_TRUE(open_fails(b, EINVAL, {"section name table index 200 out of range"}));
}

TEST(ObjectBadInput, SectionDataOutsideFile) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int xdp = find_shdr(b, "xdp");
  ASSERT_GT(xdp, 0);
  wr(b, shdr_off(b, xdp) + 24, 8, b.size() - 8);  // offset near the end, size 208
  EXPECT_TRUE(open_fails(b, kFormat, {"section 'xdp' lies outside the file"}));
}

TEST(ObjectBadInput, RelocationTargetsMissingSection) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  ASSERT_GT(rel, 0);
  wr(b, shdr_off(b, rel) + 44, 4, 300);  // sh_info
  EXPECT_TRUE(open_fails(b, kFormat, {"relocation section '.relxdp' targets section 300, which does not exist"}));
}

TEST(ObjectBadInput, RelocationOutsideSection) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  const size_t off = rd(b, shdr_off(b, rel) + 24, 8);
  wr(b, off, 8, 0x10000);  // r_offset of the first entry
  EXPECT_TRUE(open_fails(b, kFormat, {"section 'xdp': relo #0: offset 65536 is outside the section's instructions"}));
  b = prog_bytes("object_progs");
  wr(b, off, 8, 4);  // inside, but not on an instruction boundary
  EXPECT_TRUE(open_fails(b, kFormat, {"relo #0: offset 4"}));
}

TEST(ObjectBadInput, RelocationBadSymbol) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  const size_t off = rd(b, shdr_off(b, rel) + 24, 8);
  wr(b, off + 12, 4, 100000);  // symbol index (high half of r_info)
  EXPECT_TRUE(open_fails(b, kFormat, {"relo #0: bad symbol index 100000"}));
}

TEST(ObjectBadInput, RelocationSymbolBadSectionIndex) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  // .rodata's section symbol or `limit` is what xdp_one's ld_imm64 uses:
  // point every symbol of section .rodata at a section that does not exist.
  const int ro = find_shdr(b, ".rodata");
  const int st = find_shdr(b, ".symtab");
  const size_t off = rd(b, shdr_off(b, st) + 24, 8), size = rd(b, shdr_off(b, st) + 32, 8);
  for (size_t p = off; p + 24 <= off + size; p += 24)
    if (rd(b, p + 6, 2) == static_cast<uint64_t>(ro)) wr(b, p + 6, 2, 0x7000);
  EXPECT_TRUE(open_fails(b, kFormat, {"has bad section index 28672"}));
}

TEST(ObjectBadInput, RelocationOnWrongInstruction) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int rel = find_shdr(b, ".relxdp");
  const size_t off = rd(b, shdr_off(b, rel) + 24, 8);
  wr(b, off, 8, 8);  // xdp_one's second instruction is a mov, not a call or ld_imm64
  OpenOutcome o = try_open(b);
  EXPECT_FALSE(o.obj);
  EXPECT_EQ(o.err, kReloc) << o.log;
  EXPECT_NE(o.log.find("cannot be relocated"), std::string::npos) << o.log;
}

TEST(ObjectBadInput, ProgramCrossesSectionEnd) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const size_t sym = find_sym(b, "xdp_two");
  ASSERT_NE(sym, 0u);
  wr(b, sym + 16, 8, 4096);  // st_size
  EXPECT_TRUE(open_fails(b, kFormat, {"program 'xdp_two' crosses the section's end"}));
}

TEST(ObjectBadInput, MapVariableOutsideSection) {
  std::vector<uint8_t> b = prog_bytes("object_maps");
  const size_t sym = find_sym(b, "bloom");
  ASSERT_NE(sym, 0u);
  wr(b, sym + 8, 8, 1 << 20);  // st_value
  EXPECT_TRUE(open_fails(b, kFormat, {"map 'bloom' in bad_obj: variable lies outside the .maps section"}));
}

TEST(ObjectBadInput, VersionSectionSize) {
  std::vector<uint8_t> b = prog_bytes("object_progs");
  const int lic = find_shdr(b, "license");
  ASSERT_GT(lic, 0);
  // Rename "license" to "version" (same length): its 4 bytes "GPL\0" are a
  // valid version, so shrink it to 3.
  const size_t shstr = rd(b, shdr_off(b, rd(b, 62, 2)) + 24, 8);
  memcpy(b.data() + shstr + rd(b, shdr_off(b, lic), 4), "version", 7);
  wr(b, shdr_off(b, lic) + 32, 8, 3);
  EXPECT_TRUE(open_fails(b, kFormat, {"section 'version' has size 3, not 4"}));
}

}  // namespace
}  // namespace bpfxx::test
