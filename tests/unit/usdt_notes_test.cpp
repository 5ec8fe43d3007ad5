// The USDT note parser: notes of small ELF files built here (prelink
// correction, file offsets through the program headers, semaphores, every
// kind of malformed note) and of this test binary's own <sys/sdt.h> probe;
// and the /proc/<pid>/maps lookup used without BPF cookies.
#include <sys/sdt.h>

#include "elf/usdt_notes.h"
#include "link/usdt.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace elf = bpfxx::elf;

extern "C" __attribute__((noinline)) int bpfxx_unit_usdt_site(int v) {
  DTRACE_PROBE1(bpfxx_unit, site, v);
  return v + 1;
}

namespace {

// One note of .note.stapsdt (owner, type and descriptor as given).
std::string note(const std::string& owner, uint32_t type, const std::string& desc, uint32_t namesz_override = 0) {
  std::string out;
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; i++) out.push_back(static_cast<char>(v >> (8 * i)));
  };
  const uint32_t namesz = namesz_override != 0 ? namesz_override : static_cast<uint32_t>(owner.size() + 1);
  u32(namesz);
  u32(static_cast<uint32_t>(desc.size()));
  u32(type);
  out += owner;
  out.push_back('\0');
  while (out.size() % 4) out.push_back('\0');
  out += desc;
  while (out.size() % 4) out.push_back('\0');
  return out;
}

std::string addrs(uint64_t pc, uint64_t base, uint64_t sema) {
  std::string d;
  for (uint64_t v : {pc, base, sema}) {
    for (int i = 0; i < 8; i++) d.push_back(static_cast<char>(v >> (8 * i)));
  }
  return d;
}

std::string stapsdt(uint64_t pc, uint64_t base, uint64_t sema, const std::string& provider, const std::string& name,
                    const std::string& args) {
  return note("stapsdt", 3, addrs(pc, base, sema) + provider + '\0' + name + '\0' + args + '\0');
}

struct ElfSpec {
  std::string notes;
  uint32_t notes_type = 7;  // SHT_NOTE
  bool with_notes = true;
  uint64_t base_addr = 0x2004;  // .stapsdt.base sh_addr; 0: no such section
  bool bad_phdrs = false;
};

// A little-endian ELF64 shared object with two PT_LOAD segments:
// r-x at vaddr 0x1000 (file 0x1000, 0x1000 bytes) and rw- at vaddr 0x4000
// (file 0x3000, 0x100 bytes); sections .shstrtab, .note.stapsdt and
// .stapsdt.base.
std::vector<uint8_t> build_elf(const ElfSpec& spec) {
  std::vector<uint8_t> b(0x200, 0);
  auto put = [&](size_t off, size_t n, uint64_t v) {
    if (b.size() < off + n) b.resize(off + n, 0);
    for (size_t i = 0; i < n; i++) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F', b[4] = 2, b[5] = 1, b[6] = 1;
  put(16, 2, 3);   // ET_DYN
  put(18, 2, 62);  // EM_X86_64
  // Program headers at 64.
  put(32, 8, spec.bad_phdrs ? 0xfffffff0 : 64);
  put(54, 2, 56);
  put(56, 2, 2);
  auto phdr = [&](int i, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t size) {
    const size_t p = 64 + static_cast<size_t>(i) * 56;
    put(p, 4, 1), put(p + 4, 4, flags), put(p + 8, 8, off), put(p + 16, 8, vaddr), put(p + 24, 8, vaddr);
    put(p + 32, 8, size), put(p + 40, 8, size), put(p + 48, 8, 0x1000);
  };
  phdr(0, 5, 0x1000, 0x1000, 0x1000);  // R+X
  phdr(1, 6, 0x3000, 0x4000, 0x100);   // R+W
  const std::string shstr("\0.shstrtab\0.note.stapsdt\0.stapsdt.base\0", 39);
  const size_t shstr_off = b.size();
  b.insert(b.end(), shstr.begin(), shstr.end());
  const size_t notes_off = b.size();
  b.insert(b.end(), spec.notes.begin(), spec.notes.end());
  while (b.size() % 8) b.push_back(0);
  const size_t shoff = b.size();
  const int shnum = 4;
  b.resize(shoff + shnum * 64, 0);
  auto sh = [&](int i, uint32_t name, uint32_t type, uint64_t flags, uint64_t addr, uint64_t off, uint64_t size,
                uint64_t align) {
    const size_t h = shoff + static_cast<size_t>(i) * 64;
    put(h, 4, name), put(h + 4, 4, type), put(h + 8, 8, flags), put(h + 16, 8, addr), put(h + 24, 8, off);
    put(h + 32, 8, size), put(h + 48, 8, align);
  };
  sh(1, 1, 3, 0, 0, shstr_off, shstr.size(), 1);
  if (spec.with_notes) sh(2, 11, spec.notes_type, 0, 0, notes_off, spec.notes.size(), 4);
  if (spec.base_addr != 0) sh(3, 25, 1, 2, spec.base_addr, 0x1000 + (spec.base_addr - 0x1000), 1, 1);
  put(40, 8, shoff);
  put(52, 2, 64);
  put(58, 2, 64);
  put(60, 2, shnum);
  put(62, 2, 1);
  // The file covers both segments.
  if (b.size() < 0x3100) b.resize(0x3100, 0);
  return b;
}

bpfxx::Result<elf::Reader> open(const std::vector<uint8_t>& b) { return elf::Reader::open(b, "test.so"); }

TEST(UsdtNotes, ParsesEveryStapsdtNoteAndSkipsOthers) {
  ElfSpec s;
  s.notes = stapsdt(0x1100, 0x2004, 0x4010, "prov", "one", "-4@%eax 8@$5") + note("GNU", 1, "abcd") +
            stapsdt(0x1200, 0x2004, 0, "prov", "two", "") + note("stapsdt", 2, addrs(1, 2, 3) + "a\0b\0c\0");
  const auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok()) << r.message();
  auto notes = elf::usdt_notes(*r);
  ASSERT_TRUE(notes.ok()) << notes.message();
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].provider, "prov");
  EXPECT_EQ((*notes)[0].name, "one");
  EXPECT_EQ((*notes)[0].args, "-4@%eax 8@$5");
  EXPECT_EQ((*notes)[0].pc, 0x1100u);
  EXPECT_EQ((*notes)[0].base, 0x2004u);
  EXPECT_EQ((*notes)[0].semaphore, 0x4010u);
  EXPECT_EQ((*notes)[1].name, "two");
  EXPECT_EQ((*notes)[1].args, "");
  EXPECT_EQ((*notes)[1].semaphore, 0u);
}

TEST(UsdtNotes, LocationsAreFileOffsetsWithSemaphores) {
  ElfSpec s;
  s.notes = stapsdt(0x1100, 0x2004, 0x4010, "prov", "p", "-4@%eax") + stapsdt(0x1180, 0x2004, 0x4010, "prov", "p",
                                                                              "8@%rdi") +
            stapsdt(0x1200, 0x2004, 0, "prov", "other", "");
  const auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok());
  auto locs = elf::usdt_locations(*r, "prov", "p");
  ASSERT_TRUE(locs.ok()) << locs.message();
  ASSERT_EQ(locs->size(), 2u);
  EXPECT_EQ((*locs)[0].vaddr, 0x1100u);
  EXPECT_EQ((*locs)[0].file_offset, 0x1100u);
  EXPECT_EQ((*locs)[0].sema_offset, 0x3010u) << "vaddr 0x4010 in the segment at 0x4000 / file 0x3000";
  EXPECT_EQ((*locs)[0].args, "-4@%eax");
  EXPECT_EQ((*locs)[1].file_offset, 0x1180u);
  auto other = elf::usdt_locations(*r, "prov", "other");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)[0].sema_offset, 0u);
}

TEST(UsdtNotes, PrelinkShiftFollowsStapsdtBase) {
  ElfSpec s;
  // Linked with .stapsdt.base at 0x2004; it now sits at 0x2104.
  s.base_addr = 0x2104;
  s.notes = stapsdt(0x1100, 0x2004, 0, "prov", "p", "");
  auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok());
  auto locs = elf::usdt_locations(*r, "prov", "p");
  ASSERT_TRUE(locs.ok()) << locs.message();
  EXPECT_EQ((*locs)[0].vaddr, 0x1200u);
  EXPECT_EQ((*locs)[0].file_offset, 0x1200u);
  // No .stapsdt.base: no correction.
  s.base_addr = 0;
  b = build_elf(s);
  r = open(b);
  ASSERT_TRUE(r.ok());
  locs = elf::usdt_locations(*r, "prov", "p");
  ASSERT_TRUE(locs.ok());
  EXPECT_EQ((*locs)[0].vaddr, 0x1100u);
}

TEST(UsdtNotes, MissingProbeOrSection) {
  ElfSpec s;
  s.notes = stapsdt(0x1100, 0x2004, 0, "prov", "p", "");
  auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok());
  auto none = elf::usdt_locations(*r, "prov", "q");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error(), ENOENT);
  EXPECT_NE(none.message().find("has no USDT probe prov:q"), std::string::npos) << none.message();
  s.with_notes = false;
  b = build_elf(s);
  r = open(b);
  ASSERT_TRUE(r.ok());
  auto notes = elf::usdt_notes(*r);
  ASSERT_TRUE(notes.ok());
  EXPECT_TRUE(notes->empty());
  auto locs = elf::usdt_locations(*r, "prov", "p");
  ASSERT_FALSE(locs.ok());
  EXPECT_EQ(locs.error(), ENOENT);
  EXPECT_NE(locs.message().find("no .note.stapsdt section"), std::string::npos) << locs.message();
}

struct BadNote {
  const char* what;
  std::string notes;
  const char* message;
};

TEST(UsdtNotes, MalformedNotesAreErrors) {
  std::string unterminated_args = note("stapsdt", 3, addrs(0x1100, 0, 0) + std::string("p\0n\0", 4) + "abc");
  const BadNote cases[] = {
      {"truncated header", std::string("\x08\0\0\0\x20\0\0", 7), "truncated note header"},
      {"descriptor past the end", note("stapsdt", 3, addrs(1, 2, 3) + "p\0n\0a\0").substr(0, 30),
       "runs past the section"},
      {"short descriptor", note("stapsdt", 3, "abc"), "is too short"},
      {"provider not terminated", note("stapsdt", 3, addrs(1, 2, 3) + "abc"), "provider is not NUL-terminated"},
      {"empty name", note("stapsdt", 3, addrs(1, 2, 3) + std::string("p\0\0a\0", 5)), "probe name is missing"},
      {"no argument string", note("stapsdt", 3, addrs(1, 2, 3) + std::string("p\0n\0", 4)),
       "argument string of p:n is missing"},
      {"argument string not terminated", unterminated_args, "argument string of p:n is missing"},
      {"huge namesz", note("stapsdt", 3, addrs(1, 2, 3) + std::string("p\0n\0\0", 5), 0xfffffff0u),
       "runs past the section"},
  };
  for (const BadNote& c : cases) {
    ElfSpec s;
    s.notes = c.notes;
    const auto b = build_elf(s);
    auto r = open(b);
    ASSERT_TRUE(r.ok()) << c.what;
    auto notes = elf::usdt_notes(*r);
    ASSERT_FALSE(notes.ok()) << c.what;
    EXPECT_EQ(notes.error(), EINVAL) << c.what;
    EXPECT_NE(notes.message().find(c.message), std::string::npos) << c.what << ": " << notes.message();
    EXPECT_NE(notes.message().find("test.so: .note.stapsdt"), std::string::npos) << notes.message();
  }
  ElfSpec s;
  s.notes_type = 1;  // PROGBITS
  s.notes = stapsdt(0x1100, 0, 0, "p", "n", "");
  const auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok());
  auto notes = elf::usdt_notes(*r);
  ASSERT_FALSE(notes.ok());
  EXPECT_NE(notes.message().find("not a note section"), std::string::npos) << notes.message();
}

TEST(UsdtNotes, AddressesOutsideTheRightSegments) {
  struct Case {
    uint64_t pc, sema;
    const char* message;
  } cases[] = {
      {0x9000, 0, "lies in no loaded segment"},
      {0x4008, 0, "not executable"},
      {0x1100, 0x1200, "lies in an executable segment"},
      {0x1100, 0x8000, "lies in no loaded segment"},
  };
  for (const Case& c : cases) {
    ElfSpec s;
    s.notes = stapsdt(c.pc, 0, c.sema, "p", "n", "");
    const auto b = build_elf(s);
    auto r = open(b);
    ASSERT_TRUE(r.ok());
    auto locs = elf::usdt_locations(*r, "p", "n");
    ASSERT_FALSE(locs.ok()) << c.message;
    EXPECT_EQ(locs.error(), ESRCH);
    EXPECT_NE(locs.message().find(c.message), std::string::npos) << locs.message();
  }
  ElfSpec s;
  s.bad_phdrs = true;
  s.notes = stapsdt(0x1100, 0, 0, "p", "n", "");
  const auto b = build_elf(s);
  auto r = open(b);
  ASSERT_TRUE(r.ok());
  auto locs = elf::usdt_locations(*r, "p", "n");
  ASSERT_FALSE(locs.ok());
  EXPECT_EQ(locs.error(), EINVAL);
  EXPECT_NE(locs.message().find("program header table lies outside the file"), std::string::npos)
      << locs.message();
}

TEST(UsdtNotes, ThisBinarysOwnProbe) {
  std::ifstream in("/proc/self/exe", std::ios::binary | std::ios::ate);
  std::vector<uint8_t> bytes(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(in.good());
  auto r = elf::Reader::open(bytes, "self");
  ASSERT_TRUE(r.ok()) << r.message();
  auto locs = elf::usdt_locations(*r, "bpfxx_unit", "site");
  ASSERT_TRUE(locs.ok()) << locs.message();
  ASSERT_EQ(locs->size(), 1u);
  EXPECT_FALSE((*locs)[0].args.empty());
  EXPECT_EQ((*locs)[0].sema_offset, 0u);
  // The probe's address lies inside the function that holds it.
  const auto fn = reinterpret_cast<uintptr_t>(&bpfxx_unit_usdt_site);
  std::ifstream maps("/proc/self/maps");
  const std::string text((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  ASSERT_GT(n, 0);
  auto at = bpfxx::link::usdt_runtime_address(text, std::string(exe, static_cast<size_t>(n)), (*locs)[0].file_offset);
  ASSERT_TRUE(at.ok()) << at.message();
  EXPECT_GE(*at, fn);
  EXPECT_LT(*at, fn + 64);
  EXPECT_EQ(bpfxx_unit_usdt_site(1), 2);
}

TEST(UsdtRuntimeAddress, FromProcMaps) {
  const std::string maps =
      "55d000000000-55d000001000 r--p 00000000 08:01 42 /usr/bin/app\n"
      "55d000001000-55d000003000 r-xp 00001000 08:01 42 /usr/bin/app\n"
      "7f0000000000-7f0000002000 r-xp 00002000 08:01 43 /lib/libx.so\n"
      "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n"
      "garbage line\n";
  auto a = bpfxx::link::usdt_runtime_address(maps, "/usr/bin/app", 0x1234);
  ASSERT_TRUE(a.ok()) << a.message();
  EXPECT_EQ(*a, 0x55d000001234u);
  auto l = bpfxx::link::usdt_runtime_address(maps, "/lib/libx.so", 0x2010);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, 0x7f0000000010u);
  auto missing = bpfxx::link::usdt_runtime_address(maps, "/lib/libx.so", 0x5000);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), ESRCH);
  EXPECT_FALSE(bpfxx::link::usdt_runtime_address(maps, "/usr/bin/ap", 0x1234).ok());
  EXPECT_FALSE(bpfxx::link::usdt_runtime_address("", "/usr/bin/app", 0).ok());
}

}  // namespace
