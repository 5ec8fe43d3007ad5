// The ELF reader: sections, symbols and relocation tables of real objects
// and of small objects built here in both byte orders.
#include "elf/elf_reader.h"
#include "object/object.h"
#include "object_test_util.h"

#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace elf = bpfxx::elf;
using bpfxx::test::find_shdr;
using bpfxx::test::prog_bytes;
using bpfxx::test::shdr_off;
using bpfxx::test::wr;

namespace {

// A minimal relocatable ELF64 in either byte order: null section,
// .shstrtab, .text (2 instructions), .symtab, .strtab and .rela.text (two
// entries), for checking that both byte orders read the same.
std::vector<uint8_t> tiny_elf(bool big) {
  std::vector<uint8_t> b(64, 0);
  auto put = [&](size_t off, size_t n, uint64_t v) {
    if (b.size() < off + n) b.resize(off + n, 0);
    for (size_t i = 0; i < n; i++) b[off + (big ? n - 1 - i : i)] = static_cast<uint8_t>(v >> (8 * i));
  };
  auto append = [&](const std::string& s) {
    size_t off = b.size();
    b.insert(b.end(), s.begin(), s.end());
    return off;
  };
  b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F', b[4] = 2, b[5] = big ? 2 : 1, b[6] = 1;
  put(16, 2, 1);    // ET_REL
  put(18, 2, 247);  // EM_BPF
  const std::string shstr("\0.shstrtab\0.text\0.symtab\0.strtab\0.rela.text\0", 44);
  const size_t shstr_off = append(shstr);
  const size_t text_off = b.size();
  b.resize(text_off + 16, 0);
  b[text_off] = 0x85;                    // call, src_reg BPF_PSEUDO_CALL, imm -1:
  b[text_off + 1] = big ? 0x01 : 0x10;   // register nibbles swap places in big endian
  put(text_off + 4, 4, 0xffffffffu);
  const std::string str("\0fn\0", 4);
  const size_t str_off = append(str);
  while (b.size() % 8) b.push_back(0);
  const size_t sym_off = b.size();
  b.resize(sym_off + 48, 0);
  put(sym_off + 24, 4, 1);               // name "fn"
  b[sym_off + 24 + 4] = (1 << 4) | 2;    // GLOBAL FUNC
  put(sym_off + 24 + 6, 2, 2);           // .text
  put(sym_off + 24 + 16, 8, 16);         // size
  const size_t rela_off = b.size();
  b.resize(rela_off + 48, 0);
  put(rela_off, 8, 0);
  put(rela_off + 8, 8, (uint64_t{1} << 32) | 10);
  put(rela_off + 16, 8, static_cast<uint64_t>(-8));
  put(rela_off + 24, 8, 8);
  put(rela_off + 32, 8, (uint64_t{1} << 32) | 1);
  put(rela_off + 40, 8, 24);
  const size_t shoff = b.size();
  b.resize(shoff + 6 * 64, 0);
  auto sh = [&](int i, uint32_t name, uint32_t type, uint64_t flags, uint64_t off, uint64_t size,
                uint32_t link, uint32_t info, uint64_t entsize) {
    const size_t h = shoff + static_cast<size_t>(i) * 64;
    put(h, 4, name), put(h + 4, 4, type), put(h + 8, 8, flags), put(h + 24, 8, off);
    put(h + 32, 8, size), put(h + 40, 4, link), put(h + 44, 4, info), put(h + 56, 8, entsize);
  };
  sh(1, 1, elf::kShtStrtab, 0, shstr_off, shstr.size(), 0, 0, 0);
  sh(2, 11, elf::kShtProgbits, elf::kShfAlloc | elf::kShfExecinstr, text_off, 16, 0, 0, 0);
  sh(3, 17, elf::kShtSymtab, 0, sym_off, 48, 4, 1, 24);
  sh(4, 25, elf::kShtStrtab, 0, str_off, str.size(), 0, 0, 0);
  sh(5, 33, elf::kShtRela, 0, rela_off, 48, 3, 2, 24);
  put(40, 8, shoff);
  put(52, 2, 64);
  put(58, 2, 64);
  put(60, 2, 6);
  put(62, 2, 1);
  return b;
}

TEST(ElfReader, RelocationsOfRealObject) {
  std::vector<uint8_t> bytes = prog_bytes("object_progs");
  auto r = elf::Reader::open(bytes, "object_progs");
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->machine(), elf::kEmBpf);
  EXPECT_EQ(r->type(), elf::kEtRel);
  const elf::Section* rel = r->find_section(".relxdp");
  ASSERT_NE(rel, nullptr);
  auto relos = r->relocations(*rel);
  ASSERT_TRUE(relos.ok());
  ASSERT_EQ(relos->size(), 3u);
  // xdp_one: call at 0 (R_BPF_64_32) and ld_imm64 of `limit` at 0x20
  // (R_BPF_64_64).
  EXPECT_EQ((*relos)[0].offset, 0u);
  EXPECT_EQ((*relos)[0].type, 10u);
  EXPECT_EQ((*relos)[1].offset, 0x20u);
  EXPECT_EQ((*relos)[1].type, 1u);
  auto sym = r->symbol((*relos)[1].sym);
  ASSERT_TRUE(sym.ok());
  EXPECT_EQ(sym->name, "limit");
  EXPECT_EQ(r->section(sym->shndx)->name, ".rodata");
  // Not a relocation table.
  EXPECT_FALSE(r->relocations(*r->find_section("xdp")).ok());
}

TEST(ElfReader, RelocationTableBadSize) {
  std::vector<uint8_t> bytes = prog_bytes("object_progs");
  const int idx = find_shdr(bytes, ".relxdp");
  wr(bytes, shdr_off(bytes, idx) + 32, 8, 0x31);
  auto r = elf::Reader::open(bytes, "object_progs");
  ASSERT_TRUE(r.ok());
  auto relos = r->relocations(*r->find_section(".relxdp"));
  EXPECT_FALSE(relos.ok());
  EXPECT_EQ(relos.error(), EINVAL);
  // Entries past the end of the file.
  bytes = prog_bytes("object_progs");
  wr(bytes, shdr_off(bytes, idx) + 24, 8, bytes.size() - 16);
  wr(bytes, shdr_off(bytes, idx) + 32, 8, 0x30);
  auto r2 = elf::Reader::open(bytes, "object_progs");
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->relocations(*r2->find_section(".relxdp")).ok());
}

TEST(ElfReader, BothByteOrdersReadAlike) {
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = tiny_elf(big);
    auto r = elf::Reader::open(bytes, big ? "big" : "little");
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->little_endian(), !big);
    EXPECT_EQ(r->machine(), elf::kEmBpf);
    ASSERT_EQ(r->sections().size(), 6u);
    EXPECT_EQ(r->sections()[5].name, ".rela.text");
    ASSERT_EQ(r->symbol_count(), 2u);
    auto fn = r->symbol(1);
    ASSERT_TRUE(fn.ok());
    EXPECT_EQ(fn->name, "fn");
    EXPECT_EQ(fn->type(), elf::kSttFunc);
    EXPECT_EQ(fn->bind(), elf::kStbGlobal);
    EXPECT_EQ(fn->shndx, 2);
    EXPECT_EQ(fn->size, 16u);
    auto relos = r->relocations(r->sections()[5]);
    ASSERT_TRUE(relos.ok());
    ASSERT_EQ(relos->size(), 2u);
    EXPECT_EQ((*relos)[0].type, 10u);
    EXPECT_EQ((*relos)[0].sym, 1u);
    EXPECT_EQ((*relos)[0].addend, -8);
    EXPECT_EQ((*relos)[1].offset, 8u);
    EXPECT_EQ((*relos)[1].addend, 24);
  }
}

TEST(ElfReader, BigEndianObjectOpens) {
  // The object layer accepts the other byte order (like libbpf, for tools
  // that only inspect objects) and hands out host-order instructions.
  std::vector<uint8_t> bytes = tiny_elf(true);
  // Keep only the first relocation (the second points at a non-call).
  const size_t shoff = bytes.size() - 6 * 64;
  bytes[shoff + 5 * 64 + 32 + 7] = 24;
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
  ASSERT_NE(obj, nullptr) << errno;
  ASSERT_EQ(obj->programs.size(), 1u);
  const bpf_program& fn = *obj->programs[0];
  EXPECT_TRUE(fn.is_subprog);
  ASSERT_EQ(fn.insns.size(), 2u);
  EXPECT_EQ(fn.insns[0].code, 0x85);
  EXPECT_EQ(fn.insns[0].src_reg, BPF_PSEUDO_CALL);
  EXPECT_EQ(fn.insns[0].dst_reg, 0);
  EXPECT_EQ(fn.insns[0].imm, -1);
  ASSERT_EQ(fn.relos.size(), 1u);
  EXPECT_EQ(fn.relos[0].kind, bpfxx::object::RelocKind::kCall);
  bpf_object__close(obj);
}

}  // namespace
