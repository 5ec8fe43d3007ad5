// Robustness of the BTF layer against hostile or unusual input: VAR/DATASEC loops,
// forward type references while building, strings aliasing the object's
// own bytes, out-of-memory at the C ABI, ELF pointer size, files read
// rather than mapped, the sanitizer's record walk and vlen limits, pointer
// dumps after a pointer-size change, align_of on nested structs, unknown
// kinds in btf_dump, and btf_ext raw data from several threads.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/btf.h"
#include "btf/ext.h"
#include "btf/load.h"
#include "capi/errors.h"

#include "log_capture.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;
struct DumpDeleter {
  void operator()(struct btf_dump* d) const { btf_dump__free(d); }
};
using DumpPtr = std::unique_ptr<struct btf_dump, DumpDeleter>;

struct Blob {
  std::vector<uint32_t> types;
  std::string strs = std::string(1, '\0');
  uint32_t str(const char* s) {
    uint32_t off = static_cast<uint32_t>(strs.size());
    strs += s;
    strs.push_back('\0');
    return off;
  }
  static uint32_t info(uint32_t kind, uint32_t vlen, bool kflag = false) {
    return (kflag ? 0x80000000u : 0) | (kind << 24) | vlen;
  }
  void words(std::initializer_list<uint32_t> w) { types.insert(types.end(), w); }
  std::vector<uint8_t> bytes() const {
    btf_header h{};
    h.magic = BTF_MAGIC;
    h.version = BTF_VERSION;
    h.hdr_len = 24;
    h.type_len = static_cast<uint32_t>(types.size() * 4);
    h.str_off = h.type_len;
    h.str_len = static_cast<uint32_t>(strs.size());
    std::vector<uint8_t> out(24 + h.type_len + h.str_len);
    std::memcpy(out.data(), &h, 24);
    std::memcpy(out.data() + 24, types.data(), h.type_len);
    std::memcpy(out.data() + 24 + h.type_len, strs.data(), h.str_len);
    return out;
  }
};


void sink(void*, const char*, va_list) {}

class BtfRobustness : public testing::Test {
 protected:
  bpfxx::test::LogCapture capture_;
  std::string& log_ = capture_.text;
};

BtfPtr parse(const Blob& b) {
  auto raw = b.bytes();
  return BtfPtr(btf__new(raw.data(), static_cast<__u32>(raw.size())));
}

// ---- 1. VAR <-> DATASEC loop ------------------------------------------------

TEST_F(BtfRobustness, VarOfNonDataTypeIsRejected) {
  // [1] DATASEC ".d" { [2] }, [2] VAR "v" of type [1].
  Blob b;
  b.words({b.str(".d"), Blob::info(BTF_KIND_DATASEC, 1), 8, 2, 0, 8});
  b.words({b.str("v"), Blob::info(BTF_KIND_VAR, 0), 1, BTF_VAR_GLOBAL_ALLOCATED});
  errno = 0;
  EXPECT_EQ(parse(b), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(log_.find("variable of type [1]"), std::string::npos) << log_;

  // Also a VAR of a FUNC_PROTO and of a VAR.
  Blob c;
  c.words({c.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});             // 1
  c.words({0, Blob::info(BTF_KIND_FUNC_PROTO, 0), 1});                      // 2
  c.words({c.str("v"), Blob::info(BTF_KIND_VAR, 0), 2, 0});                 // 3
  EXPECT_EQ(parse(c), nullptr);
  Blob d;
  d.words({d.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});              // 1
  d.words({d.str("v"), Blob::info(BTF_KIND_VAR, 0), 1, 0});                 // 2
  d.words({d.str("w"), Blob::info(BTF_KIND_VAR, 0), 2, 0});                 // 3
  EXPECT_EQ(parse(d), nullptr);
  // A VAR of a typedef'd int stays fine.
  Blob e;
  e.words({e.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});              // 1
  e.words({e.str("t"), Blob::info(BTF_KIND_TYPEDEF, 0), 1});                // 2
  e.words({e.str("v"), Blob::info(BTF_KIND_VAR, 0), 2, 0});                 // 3
  EXPECT_NE(parse(e), nullptr);
}

TEST_F(BtfRobustness, DumpOfBuiltVarDatasecLoopStopsWithError) {
  // The builder does not validate kinds: build the loop in memory.
  BtfPtr b(btf__new_empty());
  ASSERT_EQ(btf__add_datasec(b.get(), ".d", 8), 1);
  ASSERT_EQ(btf__add_datasec_var_info(b.get(), 2, 0, 8), 0);
  ASSERT_EQ(btf__add_var(b.get(), "v", BTF_VAR_GLOBAL_ALLOCATED, 1), 2);
  DumpPtr d(btf_dump__new(b.get(), sink, nullptr, nullptr));
  ASSERT_NE(d, nullptr);
  std::vector<uint8_t> data(8, 1);
  LIBBPF_OPTS(btf_dump_type_data_opts, o);
  EXPECT_LT(btf_dump__dump_type_data(d.get(), 1, data.data(), data.size(), &o), 0);
}

// ---- 2. forward references while building -----------------------------------

TEST_F(BtfRobustness, AddAcceptsForwardTypeIds) {
  BtfPtr b(btf__new_empty());
  const int s = btf__add_struct(b.get(), "list", 8);
  ASSERT_EQ(s, 1);
  EXPECT_EQ(btf__add_field(b.get(), "next", s + 1, 0, 0), 0);  // the pointer comes next
  EXPECT_EQ(btf__add_ptr(b.get(), s), 2);
  // The finished list round-trips through raw data.
  __u32 sz = 0;
  const void* raw = btf__raw_data(b.get(), &sz);
  ASSERT_NE(raw, nullptr);
  BtfPtr back(btf__new(raw, sz));
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(btf__resolve_size(back.get(), 1), 8);

  // Only the range is checked.
  EXPECT_EQ(btf__add_ptr(b.get(), -1), -EINVAL);
  const int dangling = btf__add_typedef(b.get(), "later", 100);
  EXPECT_EQ(dangling, 3);
  EXPECT_EQ(btf__add_array(b.get(), 200, 300, 4), 4);
  EXPECT_EQ(btf__add_func_proto(b.get(), 400), 5);
  EXPECT_EQ(btf__add_func_param(b.get(), "p", 500), 0);
  EXPECT_EQ(btf__add_var(b.get(), "v", 0, 600), 6);
  EXPECT_EQ(btf__add_decl_tag(b.get(), "tag", 700, -1), 7);
  // Queries on dangling ids fail cleanly.
  EXPECT_EQ(btf__type_by_id(b.get(), 100), nullptr);
  EXPECT_LT(btf__resolve_size(b.get(), 3), 0);
  EXPECT_LT(btf__resolve_type(b.get(), 3), 0);
  EXPECT_LE(btf__align_of(b.get(), 3), 0);
  EXPECT_LT(btf__resolve_size(b.get(), 4), 0);
  EXPECT_EQ(btf__find_by_name(b.get(), "later"), 3);
  // A dumper refuses the object; raw data does not re-parse.
  errno = 0;
  EXPECT_EQ(btf_dump__new(b.get(), sink, nullptr, nullptr), nullptr);
  raw = btf__raw_data(b.get(), &sz);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(btf__new(raw, sz), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

// ---- 3. strings that alias the object's own bytes ---------------------------

Blob one_int() {
  Blob bl;
  uint32_t n = bl.str("some_fairly_long_type_name_xxxxxxxxxxxxxxxxxxxxxxxx");
  bl.words({n, Blob::info(BTF_KIND_INT, 0), 4, 32});
  return bl;
}

TEST_F(BtfRobustness, AddStrOfOwnStringBeforeFirstModification) {
  Blob bl = one_int();
  BtfPtr b = parse(bl);
  ASSERT_NE(b, nullptr);
  const char* s = btf__name_by_offset(b.get(), 1);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(btf__add_str(b.get(), s), 1);  // deduplicated, read safely
  // A suffix of an own string is a new string; after the switch to the
  // owned form too (the strings may move when they grow).
  const char* s2 = btf__name_by_offset(b.get(), 1);
  int off = btf__add_str(b.get(), s2 + 5);
  ASSERT_GT(off, 1);
  EXPECT_STREQ(btf__name_by_offset(b.get(), static_cast<__u32>(off)),
               "fairly_long_type_name_xxxxxxxxxxxxxxxxxxxxxxxx");
  for (int i = 0; i < 200; i++) {
    const char* cur = btf__name_by_offset(b.get(), 1);
    std::string want = std::string(cur + 1) + std::to_string(i);
    ASSERT_GT(btf__add_str(b.get(), want.c_str()), 0);
    const char* again = btf__name_by_offset(b.get(), 1);
    ASSERT_GT(btf__add_str(b.get(), again + 2), 0);
  }
}

TEST_F(BtfRobustness, AddTypeFromSameObjectBeforeFirstModification) {
  Blob bl = one_int();
  BtfPtr b = parse(bl);
  ASSERT_NE(b, nullptr);
  const btf_type* t = btf__type_by_id(b.get(), 1);
  EXPECT_EQ(btf__add_type(b.get(), b.get(), t), 2);
  const btf_type* t2 = btf__type_by_id(b.get(), 2);
  ASSERT_NE(t2, nullptr);
  EXPECT_STREQ(btf__name_by_offset(b.get(), t2->name_off),
               "some_fairly_long_type_name_xxxxxxxxxxxxxxxxxxxxxxxx");
  EXPECT_EQ(btf__add_btf(b.get(), b.get()), 3);
  EXPECT_EQ(btf__type_cnt(b.get()), 5u);
}

// ---- 4. out of memory at the C ABI -----------------------------------------

TEST_F(BtfRobustness, GuardsTurnBadAllocIntoEnomem) {
  errno = 0;
  EXPECT_EQ(bpfxx::capi::guard([]() -> int { throw std::bad_alloc(); }), -ENOMEM);
  EXPECT_EQ(errno, ENOMEM);
  errno = 0;
  EXPECT_EQ(bpfxx::capi::guard_ptr<struct btf>([]() -> struct btf* { throw std::bad_alloc(); }),
            nullptr);
  EXPECT_EQ(errno, ENOMEM);
  errno = 0;
  EXPECT_EQ(bpfxx::capi::guard_value<size_t>(0, []() -> size_t { throw std::bad_alloc(); }), 0u);
  EXPECT_EQ(errno, ENOMEM);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BPFXX_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BPFXX_TEST_SANITIZED 1
#endif
#endif

TEST_F(BtfRobustness, ParseUnderAddressSpaceLimitFailsWithEnomem) {
#ifdef BPFXX_TEST_SANITIZED
  GTEST_SKIP() << "address space limits do not work under sanitizers";
#else
  Blob bl;
  bl.types.reserve(4000000 * 3);
  for (int i = 0; i < 4000000; i++) bl.words({0, Blob::info(BTF_KIND_PTR, 0), 0});
  auto raw = bl.bytes();  // ~48 MB of types
  bl.types.clear();
  bl.types.shrink_to_fit();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Room for what is mapped already plus a little, not for a copy.
    long vm_kb = 0;
    if (FILE* f = std::fopen("/proc/self/status", "r")) {
      char line[256];
      while (std::fgets(line, sizeof line, f) != nullptr)
        if (std::sscanf(line, "VmSize: %ld kB", &vm_kb) == 1) break;
      std::fclose(f);
    }
    struct rlimit rl {};
    getrlimit(RLIMIT_AS, &rl);
    rl.rlim_cur = static_cast<rlim_t>(vm_kb) * 1024 + (16u << 20);
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(3);
    errno = 0;
    struct btf* b = btf__new(raw.data(), static_cast<__u32>(raw.size()));
    if (b != nullptr) _exit(2);  // enough memory after all: inconclusive
    _exit(errno == ENOMEM ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child died (signal " << WTERMSIG(status) << ")";
  EXPECT_NE(WEXITSTATUS(status), 1);
  EXPECT_NE(WEXITSTATUS(status), 3);
#endif
}

// ---- 5. pointer size of ELF BTF ---------------------------------------------

TEST_F(BtfRobustness, ElfBtfHasPointerSize8) {
  // A minimal ELF64 with a .BTF section holding one int.
  Blob bl;
  bl.words({bl.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  auto btf_bytes = bl.bytes();
  const char shstr[] = "\0.shstrtab\0.BTF\0";
  // Layout: ehdr (64) | .BTF | shstrtab | section headers (3 x 64).
  std::vector<uint8_t> elf(64);
  const size_t btf_off = elf.size();
  elf.insert(elf.end(), btf_bytes.begin(), btf_bytes.end());
  while (elf.size() % 8) elf.push_back(0);
  const size_t shstr_off = elf.size();
  elf.insert(elf.end(), shstr, shstr + sizeof shstr);
  while (elf.size() % 8) elf.push_back(0);
  const size_t sh_off = elf.size();
  elf.resize(sh_off + 3 * 64);
  uint8_t* e = elf.data();
  e[0] = 0x7f;
  e[1] = 'E';
  e[2] = 'L';
  e[3] = 'F';
  e[4] = 2;  // ELFCLASS64
  e[5] = 1;  // little endian
  e[6] = 1;  // EV_CURRENT
  auto put16 = [&](size_t off, uint16_t v) { std::memcpy(e + off, &v, 2); };
  auto put32 = [&](size_t off, uint32_t v) { std::memcpy(e + off, &v, 4); };
  auto put64 = [&](size_t off, uint64_t v) { std::memcpy(e + off, &v, 8); };
  put16(16, 1);    // ET_REL
  put16(18, 247);  // EM_BPF
  put32(20, 1);
  put64(40, sh_off);
  put16(52, 64);
  put16(58, 64);
  put16(60, 3);
  put16(62, 1);  // shstrndx
  // [1] .shstrtab
  size_t sh = sh_off + 64;
  put32(sh + 0, 1);
  put32(sh + 4, 3);  // SHT_STRTAB
  put64(sh + 24, shstr_off);
  put64(sh + 32, sizeof shstr);
  put64(sh + 48, 1);
  // [2] .BTF
  sh += 64;
  put32(sh + 0, 11);
  put32(sh + 4, 1);  // SHT_PROGBITS
  put64(sh + 24, btf_off);
  put64(sh + 32, btf_bytes.size());
  put64(sh + 48, 4);
  char path[] = "/tmp/bpfxx_btf_review_elf_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, elf.data(), elf.size()), static_cast<ssize_t>(elf.size()));
  close(fd);
  BtfPtr b(btf__parse_elf(path, nullptr));
  unlink(path);
  ASSERT_NE(b, nullptr) << log_;
  EXPECT_EQ(btf__pointer_size(b.get()), 8u);
}

// ---- 6. regular files are read, not mapped ----------------------------------

TEST_F(BtfRobustness, TruncatingTheFileAfterParseIsHarmless) {
  Blob bl;
  for (int i = 0; i < 2000; i++) {
    char nm[32];
    std::snprintf(nm, sizeof nm, "t%d", i);
    bl.words({bl.str(nm), Blob::info(BTF_KIND_INT, 0), 4, 32});
  }
  auto raw = bl.bytes();
  char path[] = "/tmp/bpfxx_btf_review_raw_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, raw.data(), raw.size()), static_cast<ssize_t>(raw.size()));
  close(fd);
  BtfPtr b(btf__parse_raw(path));
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(truncate(path, 0), 0);  // rewritten in place by someone else
  EXPECT_EQ(btf__find_by_name(b.get(), "t1999"), 2000);
  unlink(path);
}

// ---- 7. sanitizer walk, unsizable kinds, vlen limits -----------------------

TEST_F(BtfRobustness, AddTypeRejectsKindTheDestinationCannotSize) {
  // A source with a layout section describing kind 20 (12 bytes per entry).
  std::vector<btf_layout> lay(21);
  lay[20].info_sz = 0;
  lay[20].elem_sz = 12;
  Blob bl;
  // [1] kind 20, vlen 1; the 12 payload bytes look like a DATASEC header.
  bl.words({0, Blob::info(20, 1), 0, 0, Blob::info(BTF_KIND_DATASEC, 1000), 0});
  btf_header h{};
  h.magic = BTF_MAGIC;
  h.version = 1;
  h.hdr_len = sizeof(btf_header);
  h.layout_off = 0;
  h.layout_len = static_cast<uint32_t>(lay.size() * sizeof(btf_layout));
  h.type_off = h.layout_len;
  h.type_len = static_cast<uint32_t>(bl.types.size() * 4);
  h.str_off = h.type_off + h.type_len;
  h.str_len = static_cast<uint32_t>(bl.strs.size());
  std::vector<uint8_t> raw(h.hdr_len + h.str_off + h.str_len);
  std::memcpy(raw.data(), &h, sizeof h);
  std::memcpy(raw.data() + h.hdr_len, lay.data(), h.layout_len);
  std::memcpy(raw.data() + h.hdr_len + h.type_off, bl.types.data(), h.type_len);
  std::memcpy(raw.data() + h.hdr_len + h.str_off, bl.strs.data(), bl.strs.size());
  BtfPtr src(btf__new(raw.data(), static_cast<__u32>(raw.size())));
  ASSERT_NE(src, nullptr) << log_;
  BtfPtr dst(btf__new_empty());
  EXPECT_EQ(btf__add_type(dst.get(), src.get(), btf__type_by_id(src.get(), 1)), -EINVAL);
  EXPECT_EQ(btf__add_btf(dst.get(), src.get()), -EINVAL);
  EXPECT_EQ(btf__type_cnt(dst.get()), 1u);
  ASSERT_EQ(btf__add_int(dst.get(), "int", 4, 0), 1);
  bpfxx::btf::SanitizeNeeds n{};
  n.datasec = true;
  auto out = bpfxx::btf::sanitize(*dst, n);
  EXPECT_GT(out.size(), 0u);
  // A destination with the same layout takes the record; the sanitizer
  // walks it by its real size.
  LIBBPF_OPTS(btf_new_opts, opts, .add_layout = true);
  BtfPtr dst2(btf__new_empty_opts(&opts));
  ASSERT_NE(dst2, nullptr);
  if (btf__add_type(dst2.get(), src.get(), btf__type_by_id(src.get(), 1)) == 1) {
    ASSERT_EQ(btf__add_var(dst2.get(), "v", 0, 0), -EINVAL);  // names need a type
    ASSERT_EQ(btf__add_int(dst2.get(), "int", 4, 0), 2);
    ASSERT_EQ(btf__add_var(dst2.get(), "v", 0, 2), 3);
    auto out2 = bpfxx::btf::sanitize(*dst2, n);
    EXPECT_GT(out2.size(), 0u);
  }
}

TEST_F(BtfRobustness, VlenBeyond16BitsIsE2big) {
  BtfPtr b(btf__new_empty());
  ASSERT_EQ(btf__add_int(b.get(), "int", 4, 0), 1);
  ASSERT_EQ(btf__add_enum(b.get(), "e", 4), 2);
  for (int i = 0; i < 0xffff; i++) {
    char nm[16];
    std::snprintf(nm, sizeof nm, "E%d", i);
    ASSERT_EQ(btf__add_enum_value(b.get(), nm, i), 0) << i;
  }
  EXPECT_EQ(btf__add_enum_value(b.get(), "ONE_TOO_MANY", 1), -E2BIG);
  ASSERT_EQ(btf__add_func_proto(b.get(), 1), 3);
  for (int i = 0; i < 0xffff; i++) ASSERT_EQ(btf__add_func_param(b.get(), nullptr, 1), 0);
  EXPECT_EQ(btf__add_func_param(b.get(), nullptr, 1), -E2BIG);
  const btf_type* t = btf__type_by_id(b.get(), 3);
  EXPECT_EQ(btf_vlen(t), 0xffff);
}

// ---- 8. pointer dump after a pointer-size change ----------------------------

TEST_F(BtfRobustness, PointerDumpAfterPointerSizeChangeStaysInBounds) {
  BtfPtr b(btf__new_empty());
  const int i = btf__add_int(b.get(), "int", 4, BTF_INT_SIGNED);
  const int p = btf__add_ptr(b.get(), i);
  DumpPtr d(btf_dump__new(b.get(), sink, nullptr, nullptr));
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(btf__set_pointer_size(b.get(), 4), 0);
  std::unique_ptr<uint8_t[]> data(new uint8_t[4]);
  std::memset(data.get(), 0x11, 4);
  LIBBPF_OPTS(btf_dump_type_data_opts, o);
  const int r = btf_dump__dump_type_data(d.get(), static_cast<__u32>(p), data.get(), 4, &o);
  EXPECT_TRUE(r == 4 || r == -E2BIG) << r;
}

// ---- 9. align_of on nested structs ------------------------------------------

TEST_F(BtfRobustness, AlignOfNestedStructsIsLinear) {
  // [1] int; [k+1] struct S_k { S_{k-1} a; S_{k-1} b; }: 2^30 paths.
  const int n = 30;
  Blob bl;
  bl.words({bl.str("int"), Blob::info(BTF_KIND_INT, 0), 4, (1u << 24) | 32});
  for (int k = 1; k <= n; k++) {
    char nm[16];
    std::snprintf(nm, sizeof nm, "S%d", k);
    const uint32_t prev = static_cast<uint32_t>(k);
    bl.words({bl.str(nm), Blob::info(BTF_KIND_STRUCT, 2), 8, bl.str("a"), prev, 0, bl.str("b"), prev, 0});
  }
  BtfPtr b = parse(bl);
  ASSERT_NE(b, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(btf__align_of(b.get(), n + 1), 4);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

// ---- 10. unknown kinds in btf_dump ------------------------------------------

TEST_F(BtfRobustness, DumperSkipsUnknownKindsUntilReferenced) {
  std::vector<btf_layout> lay(21);
  lay[20].info_sz = 0;
  lay[20].elem_sz = 0;
  Blob bl;
  bl.words({bl.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});   // 1
  bl.words({bl.str("x"), Blob::info(20, 0), 0});                    // 2: unknown kind
  bl.words({0, Blob::info(BTF_KIND_PTR, 0), 2});                    // 3 -> unknown
  btf_header h{};
  h.magic = BTF_MAGIC;
  h.version = 1;
  h.hdr_len = sizeof(btf_header);
  h.layout_len = static_cast<uint32_t>(lay.size() * sizeof(btf_layout));
  h.type_off = h.layout_len;
  h.type_len = static_cast<uint32_t>(bl.types.size() * 4);
  h.str_off = h.type_off + h.type_len;
  h.str_len = static_cast<uint32_t>(bl.strs.size());
  std::vector<uint8_t> raw(h.hdr_len + h.str_off + h.str_len);
  std::memcpy(raw.data(), &h, sizeof h);
  std::memcpy(raw.data() + h.hdr_len, lay.data(), h.layout_len);
  std::memcpy(raw.data() + h.hdr_len + h.type_off, bl.types.data(), h.type_len);
  std::memcpy(raw.data() + h.hdr_len + h.str_off, bl.strs.data(), bl.strs.size());
  BtfPtr b(btf__new(raw.data(), static_cast<__u32>(raw.size())));
  ASSERT_NE(b, nullptr) << log_;
  DumpPtr d(btf_dump__new(b.get(), sink, nullptr, nullptr));
  ASSERT_NE(d, nullptr) << log_;
  EXPECT_EQ(btf_dump__dump_type(d.get(), 1), 0);
  EXPECT_LT(btf_dump__dump_type(d.get(), 2), 0);
  EXPECT_LT(btf_dump__dump_type(d.get(), 3), 0);
}

// ---- 11. btf_ext raw data from several threads ------------------------------

TEST_F(BtfRobustness, ExtRawDataInOtherByteOrderFromThreads) {
  // An empty .BTF.ext: header only (32 bytes, all sections empty).
  const uint32_t words[8] = {0x0001eb9f, 32, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> bytes(sizeof words);
  std::memcpy(bytes.data(), words, sizeof words);
  struct btf_ext* ext = btf_ext__new(bytes.data(), static_cast<__u32>(bytes.size()));
  ASSERT_NE(ext, nullptr) << log_;
  ASSERT_EQ(btf_ext__set_endianness(ext, BTF_BIG_ENDIAN), 0);
  std::vector<const void*> got(8);
  std::vector<std::thread> th;
  for (size_t i = 0; i < got.size(); i++)
    th.emplace_back([&, i] {
      __u32 sz = 0;
      got[i] = btf_ext__raw_data(ext, &sz);
    });
  for (auto& t : th) t.join();
  for (const void* p : got) EXPECT_EQ(p, got[0]);
  const auto* b0 = static_cast<const uint8_t*>(got[0]);
  EXPECT_EQ(b0[0], 0xeb);
  EXPECT_EQ(b0[1], 0x9f);
  btf_ext__free(ext);
}

}  // namespace
