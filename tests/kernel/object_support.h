// Shared helpers of the object-load kernel tests: where the test programs
// are, a print capture that keeps whole messages (verifier logs run to
// hundreds of KiB), test runs, and access to a program's global variables
// located through the ELF symbol table, independently of the loader.
#pragma once

#include "bpf_test_util.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

// prog_path(), prog_bytes(), ObjectPtr and the ELF field readers, shared
// with the unit tests (BPFXX_TEST_PROGS_DIR is defined for both).
#include "../unit/object_test_util.h"

namespace bpfxx::test {

// Captures every message of the print callback, whole, for the scope.
class FullPrintCapture {
 public:
  FullPrintCapture() {
    text().clear();
    prev_ = libbpf_set_print(&FullPrintCapture::cb);
  }
  ~FullPrintCapture() { libbpf_set_print(prev_); }
  FullPrintCapture(const FullPrintCapture&) = delete;
  FullPrintCapture& operator=(const FullPrintCapture&) = delete;

  static std::string& text() {
    static std::string t;
    return t;
  }

 private:
  static int cb(enum libbpf_print_level, const char* fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0) return 0;
    std::string msg(static_cast<size_t>(n) + 1, '\0');
    vsnprintf(msg.data(), msg.size(), fmt, ap);
    msg.resize(static_cast<size_t>(n));
    text() += msg;
    return 0;
  }
  libbpf_print_fn_t prev_;
};

// Owns a bpf_link: destroys it (detaching it unless disconnected) at scope end.
struct LinkDeleter {
  void operator()(bpf_link* l) const noexcept { bpf_link__destroy(l); }
};
using LinkPtr = std::unique_ptr<bpf_link, LinkDeleter>;

// Opens tests/progs/<name>.bpf.o; fails the test (returning null) when the
// open fails.
inline ObjectPtr open_prog_object(const char* name, const bpf_object_open_opts* opts = nullptr) {
  bpf_object* obj = bpf_object__open_file(prog_path(name).c_str(), opts);
  EXPECT_NE(obj, nullptr) << "opening " << prog_path(name) << ": " << std::strerror(errno);
  return ObjectPtr(obj);
}

// Opens tests/progs/<name>.bpf.o with every program's autoload off, for
// tests where the maps are what is checked.
inline ObjectPtr open_maps_only(const char* name, const bpf_object_open_opts* opts = nullptr) {
  ObjectPtr obj = open_prog_object(name, opts);
  if (obj) {
    bpf_program* p;
    bpf_object__for_each_program(p, obj.get()) bpf_program__set_autoload(p, false);
  }
  return obj;
}

// The kernel's id of the map (or program) behind fd; 0, with a failure
// recorded, when the kernel does not describe it.
inline __u32 map_id_of_fd(int fd) {
  bpf_map_info info{};
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_map_get_info_by_fd(fd, &info, &len), 0) << "map fd " << fd;
  return info.id;
}
inline __u32 prog_id_of_fd(int fd) {
  bpf_prog_info info{};
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_prog_get_info_by_fd(fd, &info, &len), 0) << "program fd " << fd;
  return info.id;
}

inline bpf_program* must_find_program(bpf_object* obj, const char* name) {
  bpf_program* prog = bpf_object__find_program_by_name(obj, name);
  EXPECT_NE(prog, nullptr) << "expected a program named '" << name << "'";
  return prog;
}

// One BPF_PROG_TEST_RUN of prog over a 64-byte packet (enough for XDP and
// for an skb's Ethernet header). Returns the syscall's result; the
// program's return value goes to *retval.
inline int test_run(const bpf_program* prog, __u32* retval) {
  std::vector<__u8> pkt(64, 0);
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = pkt.data();
  opts.data_size_in = static_cast<__u32>(pkt.size());
  opts.repeat = 1;
  opts.retval = 0xdeadbeef;
  int fd = bpf_program__fd(prog);
  if (fd < 0) return fd;
  int err = bpf_prog_test_run_opts(fd, &opts);
  *retval = opts.retval;
  return err;
}

// A global variable of the program: the section it lives in, its offset
// and size there, read from the object file's symbol table (so the test
// does not depend on the loader's BTF fixups to find it).
struct GlobalVar {
  std::string section;
  size_t offset = 0;
  size_t size = 0;
};

inline GlobalVar find_global(const std::vector<uint8_t>& elf, const char* name) {
  GlobalVar var;
  const size_t sym = find_sym(elf, name);
  EXPECT_NE(sym, 0u) << "expected a symbol named '" << name << "'";
  if (sym == 0) return var;
  var.offset = rd(elf, sym + 8, 8);
  var.size = rd(elf, sym + 16, 8);
  const size_t shndx = rd(elf, sym + 6, 2);
  const size_t shstrndx = rd(elf, 62, 2);
  const size_t strs = rd(elf, shdr_off(elf, shstrndx) + 24, 8);
  var.section = reinterpret_cast<const char*>(elf.data() + strs + rd(elf, shdr_off(elf, shndx), 4));
  return var;
}

// The map of a global data section: libbpf names it after the section
// itself for custom sections (".data.custom") and <object prefix>.<kind>
// for .data, .rodata and .bss ("load_glo.bss"). Matched here by name so
// the lookup does not depend on bpf_object__find_map_by_name's aliasing.
inline bpf_map* data_map(bpf_object* obj, const std::string& section) {
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, obj) {
    const std::string name = bpf_map__name(map);
    if (name == section) return map;
    if (name.size() > section.size() &&
        name.compare(name.size() - section.size(), section.size(), section) == 0 &&
        name.find('.') == name.size() - section.size())
      return map;
  }
  ADD_FAILURE() << "expected a map for section '" << section << "'";
  return nullptr;
}

// Reads a global through bpf_map__initial_value(): the object's memory
// before load, the map's live mapping after.
template <typename T>
T read_initial(bpf_object* obj, const GlobalVar& var) {
  T value{};
  bpf_map* map = data_map(obj, var.section);
  if (map == nullptr) return value;
  size_t size = 0;
  const void* data = bpf_map__initial_value(map, &size);
  EXPECT_NE(data, nullptr) << "bpf_map__initial_value(" << bpf_map__name(map) << ")";
  EXPECT_GE(size, var.offset + sizeof(T)) << "map " << bpf_map__name(map) << " too small";
  if (data == nullptr || size < var.offset + sizeof(T)) return value;
  std::memcpy(&value, static_cast<const char*>(data) + var.offset, sizeof(T));
  return value;
}

// Writes a global through bpf_map__initial_value()'s pointer.
template <typename T>
void write_initial(bpf_object* obj, const GlobalVar& var, T value) {
  bpf_map* map = data_map(obj, var.section);
  if (map == nullptr) return;
  size_t size = 0;
  void* data = bpf_map__initial_value(map, &size);
  ASSERT_NE(data, nullptr) << "bpf_map__initial_value(" << bpf_map__name(map) << ")";
  ASSERT_GE(size, var.offset + sizeof(T)) << "map " << bpf_map__name(map) << " too small";
  std::memcpy(static_cast<char*>(data) + var.offset, &value, sizeof(T));
}

// Reads a global from the kernel map with BPF_MAP_LOOKUP_ELEM on key 0.
template <typename T>
T read_from_map(bpf_object* obj, const GlobalVar& var) {
  T value{};
  bpf_map* map = data_map(obj, var.section);
  if (map == nullptr) return value;
  std::vector<char> whole(bpf_map__value_size(map));
  const __u32 zero = 0;
  int err = bpf_map_lookup_elem(bpf_map__fd(map), &zero, whole.data());
  EXPECT_EQ(err, 0) << "bpf_map_lookup_elem(" << bpf_map__name(map) << "): " << std::strerror(-err);
  if (err != 0 || whole.size() < var.offset + sizeof(T)) return value;
  std::memcpy(&value, whole.data() + var.offset, sizeof(T));
  return value;
}

}  // namespace bpfxx::test
