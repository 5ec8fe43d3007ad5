// Shared helpers of the object tests: the test programs' bytes, a print
// callback that captures messages, and ELF patching for corruption tests.
#pragma once

#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace bpfxx::test {

inline std::string prog_path(const char* name) {
  return std::string(BPFXX_TEST_PROGS_DIR) + "/" + name + ".bpf.o";
}

inline std::vector<uint8_t> prog_bytes(const char* name) {
  std::ifstream f(prog_path(name), std::ios::binary);
  EXPECT_TRUE(f.good()) << prog_path(name);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

struct ObjectDeleter {
  void operator()(bpf_object* o) const noexcept { bpf_object__close(o); }
};
using ObjectPtr = std::unique_ptr<bpf_object, ObjectDeleter>;

// Captures every message of the print callback for the scope.
class CapturePrint {
 public:
  CapturePrint() { prev_ = libbpf_set_print(&CapturePrint::cb); text().clear(); }
  ~CapturePrint() { libbpf_set_print(prev_); }
  static std::string& text() {
    static std::string t;
    return t;
  }

 private:
  static int cb(enum libbpf_print_level, const char* fmt, va_list ap) {
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    text() += buf;
    return 0;
  }
  libbpf_print_fn_t prev_;
};

// What opening some (usually corrupted) bytes gave: the object or the
// errno, and everything the print callback said meanwhile.
struct OpenOutcome {
  ObjectPtr obj;
  int err;
  std::string log;
};

inline OpenOutcome try_open(const std::vector<uint8_t>& b) {
  CapturePrint cap;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "bad_obj");
  errno = 0;
  ObjectPtr obj(bpf_object__open_mem(b.data(), b.size(), &opts));
  const int err = obj ? 0 : errno;
  return OpenOutcome{std::move(obj), err, cap.text()};
}

// Whether opening b fails with err (an errno or LIBBPF_ERRNO__* code) and a
// message holding each of `words`; the failure says which part did not hold
// and shows everything printed.
inline testing::AssertionResult open_fails(const std::vector<uint8_t>& b, int err,
                                           std::initializer_list<std::string> words) {
  OpenOutcome o = try_open(b);
  if (o.obj) return testing::AssertionFailure() << "the open succeeded; printed:\n" << o.log;
  if (o.err != err)
    return testing::AssertionFailure() << "the open failed with " << o.err << ", not " << err << "; printed:\n"
                                       << o.log;
  for (const std::string& w : words)
    if (o.log.find(w) == std::string::npos)
      return testing::AssertionFailure() << "no message holds \"" << w << "\"; printed:\n" << o.log;
  return testing::AssertionSuccess();
}

// Little-endian ELF64 field access for patching test objects.
inline uint64_t rd(const std::vector<uint8_t>& b, size_t off, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v |= static_cast<uint64_t>(b.at(off + i)) << (8 * i);
  return v;
}
inline void wr(std::vector<uint8_t>& b, size_t off, size_t n, uint64_t v) {
  for (size_t i = 0; i < n; i++) b.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
}

// Offset of section header idx; index of the section named name (-1).
inline size_t shdr_off(const std::vector<uint8_t>& b, size_t idx) { return rd(b, 40, 8) + idx * 64; }
inline int find_shdr(const std::vector<uint8_t>& b, const std::string& name) {
  const size_t shnum = rd(b, 60, 2), shstrndx = rd(b, 62, 2);
  const size_t strs = rd(b, shdr_off(b, shstrndx) + 24, 8);
  for (size_t i = 0; i < shnum; i++) {
    const size_t name_off = rd(b, shdr_off(b, i), 4);
    if (name == reinterpret_cast<const char*>(b.data() + strs + name_off)) return static_cast<int>(i);
  }
  return -1;
}
// File offset of symbol `name` in .symtab, or 0.
inline size_t find_sym(const std::vector<uint8_t>& b, const std::string& name) {
  const int st = find_shdr(b, ".symtab");
  const size_t off = rd(b, shdr_off(b, st) + 24, 8), size = rd(b, shdr_off(b, st) + 32, 8);
  const size_t link = rd(b, shdr_off(b, st) + 40, 4);
  const size_t strs = rd(b, shdr_off(b, link) + 24, 8);
  for (size_t p = off; p + 24 <= off + size; p += 24) {
    if (name == reinterpret_cast<const char*>(b.data() + strs + rd(b, p, 4))) return p;
  }
  return 0;
}

}  // namespace bpfxx::test
