// .BTF.ext parsing: the three record kinds, both byte orders, and every
// malformation class; and the ELF reader with btf__parse_elf() over a
// hand-built ELF64 file in either byte order.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/ext.h"
#include "elf/elf_reader.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::vector<uint32_t> ext_words() {
  // header (32 bytes), then func_info, line_info, core_relo subsections.
  std::vector<uint32_t> func = {8, /*sec*/ 1, 2, /*rec*/ 0, 3, 16, 4};
  std::vector<uint32_t> line = {16, 1, 1, 0, 5, 6, (10u << 10) | 2};
  std::vector<uint32_t> core = {16, 1, 1, 8, 3, 7, 0};
  std::vector<uint32_t> w;
  w.push_back(0x0001eb9f);  // magic, version 1, flags 0 (little-endian view)
  w.push_back(32);
  const uint32_t f_off = 0, f_len = static_cast<uint32_t>(func.size() * 4);
  const uint32_t l_off = f_len, l_len = static_cast<uint32_t>(line.size() * 4);
  const uint32_t c_off = l_off + l_len, c_len = static_cast<uint32_t>(core.size() * 4);
  w.insert(w.end(), {f_off, f_len, l_off, l_len, c_off, c_len});
  w.insert(w.end(), func.begin(), func.end());
  w.insert(w.end(), line.begin(), line.end());
  w.insert(w.end(), core.begin(), core.end());
  return w;
}

std::vector<uint8_t> as_bytes(const std::vector<uint32_t>& w, bool swap = false) {
  std::vector<uint8_t> out(w.size() * 4);
  for (size_t i = 0; i < w.size(); i++) {
    uint32_t v = swap ? __builtin_bswap32(w[i]) : w[i];
    std::memcpy(out.data() + i * 4, &v, 4);
  }
  if (swap) {
    // The first word is magic (u16) + two bytes: fix its layout.
    const uint16_t m = __builtin_bswap16(BTF_MAGIC);
    std::memcpy(out.data(), &m, 2);
    out[2] = 1;
    out[3] = 0;
  }
  return out;
}

TEST(BtfExt, ParsesAllRecordKinds) {
  auto bytes = as_bytes(ext_words());
  struct btf_ext* ext = btf_ext__new(bytes.data(), static_cast<__u32>(bytes.size()));
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->func_info().rec_size, 8u);
  ASSERT_EQ(ext->func_info().sections.size(), 1u);
  EXPECT_EQ(ext->func_info().sections[0].num, 2u);
  EXPECT_EQ(ext->func_info().record<uint32_t>(ext->func_info().sections[0], 1)[1], 4u);
  ASSERT_EQ(ext->line_info().sections.size(), 1u);
  ASSERT_EQ(ext->core_relo().sections.size(), 1u);
  const auto* relo = ext->core_relo().record<bpfxx::btf::CoreRelo>(ext->core_relo().sections[0], 0);
  EXPECT_EQ(relo->insn_off, 8u);
  EXPECT_EQ(relo->type_id, 3u);
  EXPECT_EQ(relo->access_str_off, 7u);
  __u32 size = 0;
  const void* raw = btf_ext__raw_data(ext, &size);
  ASSERT_EQ(size, bytes.size());
  EXPECT_EQ(std::memcmp(raw, bytes.data(), size), 0);
  btf_ext__free(ext);
}

TEST(BtfExt, BigEndianRoundTrip) {
  auto le = as_bytes(ext_words());
  auto be = as_bytes(ext_words(), true);
  struct btf_ext* ext = btf_ext__new(be.data(), static_cast<__u32>(be.size()));
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(btf_ext__endianness(ext), BTF_BIG_ENDIAN);
  EXPECT_EQ(ext->func_info().sections[0].num, 2u);
  __u32 size = 0;
  const void* raw = btf_ext__raw_data(ext, &size);
  ASSERT_EQ(size, be.size());
  EXPECT_EQ(std::memcmp(raw, be.data(), size), 0);
  ASSERT_EQ(btf_ext__set_endianness(ext, BTF_LITTLE_ENDIAN), 0);
  raw = btf_ext__raw_data(ext, &size);
  EXPECT_EQ(std::memcmp(raw, le.data(), size), 0);
  btf_ext__free(ext);
}

struct Bad {
  const char* what;
  size_t word;
  uint32_t value;
};

TEST(BtfExt, MalformationsAreRejected) {
  const Bad cases[] = {
      {"bad magic", 0, 0x0001abcd},
      {"header length beyond data", 1, 4096},
      {"header length too small", 1, 8},
      {"func_info outside data", 3, 4000},
      {"func record size too small", 8, 4},
      {"func record size not multiple of 4", 8, 10},
      {"section with no records", 10, 0},
      {"records past the end", 10, 1000},
      {"line record size too small", 15, 8},
      {"core_relo subsection misaligned", 6, 2},
  };
  for (const Bad& c : cases) {
    auto w = ext_words();
    w[c.word] = c.value;
    auto bytes = as_bytes(w);
    errno = 0;
    struct btf_ext* ext = btf_ext__new(bytes.data(), static_cast<__u32>(bytes.size()));
    EXPECT_EQ(ext, nullptr) << c.what;
    EXPECT_NE(errno, 0) << c.what;
    btf_ext__free(ext);
  }
  uint8_t tiny[4] = {0x9f, 0xeb, 1, 0};
  EXPECT_EQ(btf_ext__new(tiny, sizeof tiny), nullptr);
  EXPECT_EQ(btf_ext__new(nullptr, 10), nullptr);
}

// ---- ELF ------------------------------------------------------------------

// Writes a minimal ELF64 relocatable file with .BTF, .BTF.ext, .strtab and
// .symtab in the requested byte order.
std::vector<uint8_t> make_elf(const std::vector<uint8_t>& btf, const std::vector<uint8_t>& ext,
                              bool big_endian) {
  const bool swap = big_endian;
  auto put16 = [&](std::vector<uint8_t>& v, size_t off, uint16_t x) {
    if (swap) x = __builtin_bswap16(x);
    std::memcpy(v.data() + off, &x, 2);
  };
  auto put32 = [&](std::vector<uint8_t>& v, size_t off, uint32_t x) {
    if (swap) x = __builtin_bswap32(x);
    std::memcpy(v.data() + off, &x, 4);
  };
  auto put64 = [&](std::vector<uint8_t>& v, size_t off, uint64_t x) {
    if (swap) x = __builtin_bswap64(x);
    std::memcpy(v.data() + off, &x, 8);
  };
  const std::string shstr = std::string("\0.BTF\0.BTF.ext\0.shstrtab\0.strtab\0.symtab\0", 41);
  const std::string strtab = std::string("\0sym\0", 5);
  std::vector<uint8_t> sym(48, 0);  // null symbol + "sym"
  put32(sym, 24, 1);
  sym[24 + 4] = 0x11;  // GLOBAL OBJECT
  put16(sym, 24 + 6, 1);
  put64(sym, 24 + 8, 0x10);
  put64(sym, 24 + 16, 4);

  std::vector<uint8_t> out(64);
  struct Sec {
    uint32_t name, type, link;
    std::vector<uint8_t> data;
    uint64_t off = 0;
  };
  std::vector<Sec> secs = {
      {0, 0, 0, {}},
      {1, 1, 0, btf},
      {6, 1, 0, ext},
      {15, 3, 0, std::vector<uint8_t>(shstr.begin(), shstr.end())},
      {25, 3, 0, std::vector<uint8_t>(strtab.begin(), strtab.end())},
      {33, 2, 4, sym},
  };
  for (auto& s : secs) {
    while (out.size() % 8) out.push_back(0);
    s.off = out.size();
    out.insert(out.end(), s.data.begin(), s.data.end());
  }
  while (out.size() % 8) out.push_back(0);
  const uint64_t shoff = out.size();
  out.resize(out.size() + secs.size() * 64, 0);
  for (size_t i = 0; i < secs.size(); i++) {
    const size_t h = shoff + i * 64;
    put32(out, h, secs[i].name);
    put32(out, h + 4, secs[i].type);
    put64(out, h + 24, secs[i].off);
    put64(out, h + 32, secs[i].data.size());
    put32(out, h + 40, secs[i].link);
    put64(out, h + 56, secs[i].type == 2 ? 24 : 0);
  }
  out[0] = 0x7f; out[1] = 'E'; out[2] = 'L'; out[3] = 'F';
  out[4] = 2;                     // ELFCLASS64
  out[5] = big_endian ? 2 : 1;    // data encoding
  out[6] = 1;                     // version
  put16(out, 16, 1);              // ET_REL
  put16(out, 18, 247);            // EM_BPF
  put32(out, 20, 1);
  put64(out, 40, shoff);
  put16(out, 52, 64);
  put16(out, 58, 64);
  put16(out, 60, static_cast<uint16_t>(secs.size()));
  put16(out, 62, 3);
  return out;
}

std::vector<uint8_t> tiny_btf(bool big_endian) {
  struct btf* b = btf__new_empty();
  btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  btf__add_struct(b, "elf_s", 4);
  btf__add_field(b, "a", 1, 0, 0);
  btf__set_endianness(b, big_endian ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN);
  __u32 size;
  const auto* p = static_cast<const uint8_t*>(btf__raw_data(b, &size));
  std::vector<uint8_t> v(p, p + size);
  btf__free(b);
  return v;
}

std::string write_temp(const std::vector<uint8_t>& bytes) {
  char path[] = "/tmp/bpfxx_btf_elf_XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  return path;
}

class ElfBtf : public testing::TestWithParam<bool> {};

TEST_P(ElfBtf, ParseElfReadsBtfAndExt) {
  const bool be = GetParam();
  auto elf = make_elf(tiny_btf(be), as_bytes(ext_words(), be), be);
  auto reader = bpfxx::elf::Reader::open(elf, "test.o");
  ASSERT_TRUE(reader.ok()) << reader.message();
  EXPECT_EQ(reader->machine(), 247);
  ASSERT_NE(reader->find_section(".BTF.ext"), nullptr);
  ASSERT_EQ(reader->symbol_count(), 2u);
  auto sym = reader->symbol(1);
  ASSERT_TRUE(sym.ok());
  EXPECT_EQ(sym->name, "sym");
  EXPECT_EQ(sym->value, 0x10u);
  EXPECT_EQ(sym->shndx, 1);

  std::string path = write_temp(elf);
  struct btf_ext* ext = nullptr;
  struct btf* btf = btf__parse_elf(path.c_str(), &ext);
  ASSERT_NE(btf, nullptr);
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(btf__endianness(btf), be ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN);
  EXPECT_EQ(btf__find_by_name_kind(btf, "elf_s", BTF_KIND_STRUCT), 2);
  EXPECT_EQ(ext->func_info().sections.size(), 1u);
  btf_ext__free(ext);
  btf__free(btf);
  // btf__parse() detects ELF too.
  btf = btf__parse(path.c_str(), nullptr);
  ASSERT_NE(btf, nullptr);
  btf__free(btf);
  unlink(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(ByteOrder, ElfBtf, testing::Values(false, true));

TEST(ElfReader, MalformedFilesAreRejected) {
  auto good = make_elf(tiny_btf(false), as_bytes(ext_words()), false);
  struct Case {
    const char* what;
    size_t off;
    uint8_t byte;
  } cases[] = {
      {"not ELF", 1, 'X'},
      {"ELF32", 4, 1},
      {"bad data encoding", 5, 9},
      {"section header size", 58, 32},
      {"name table index", 62, 40},
  };
  for (const Case& c : cases) {
    auto bad = good;
    bad[c.off] = c.byte;
    EXPECT_FALSE(bpfxx::elf::Reader::open(bad, "bad.o").ok()) << c.what;
  }
  auto truncated = good;
  truncated.resize(good.size() - 10);  // cuts the section headers
  EXPECT_FALSE(bpfxx::elf::Reader::open(truncated, "cut.o").ok());
  // A section whose data lies outside the file.
  auto r = bpfxx::elf::Reader::open(good, "ok.o");
  ASSERT_TRUE(r.ok());
  bpfxx::elf::Section s = *r->find_section(".BTF");
  s.offset = good.size();
  s.size = 100;
  EXPECT_FALSE(r->data(s).ok());
  // No .BTF section: ENODATA from btf__parse_elf.
  std::string path = write_temp(std::vector<uint8_t>(good.begin(), good.begin() + 64));
  EXPECT_EQ(btf__parse_elf(path.c_str(), nullptr), nullptr);
  unlink(path.c_str());
}

}  // namespace
