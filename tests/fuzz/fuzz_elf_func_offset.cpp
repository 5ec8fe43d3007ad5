// libFuzzer target of the uprobe function-offset resolver
// (src/elf/func_offset.h): arbitrary bytes as an ELF file, whose symbol
// tables, PLT relocations and sections are looked up for a few names, and
// as an /etc/ld.so.cache. Any answer is fine; a crash, a hang or a read
// outside the input is not.
#include "elf/elf_reader.h"
#include "elf/func_offset.h"

#include <bpf/libbpf.h>

#include <cstddef>
#include <cstdint>
#include <cstdarg>
#include <span>

namespace {

int silent(enum libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (libbpf_set_print(silent), true);
  static_cast<void>(quiet);
  const std::span<const uint8_t> bytes(data, size);
  static_cast<void>(bpfxx::elf::ld_so_cache_lookup(bytes, "libc.so.6"));
  auto elf = bpfxx::elf::Reader::open(bytes, "fuzz");
  if (!elf) return 0;
  for (const char* name : {"main", "malloc", "malloc@GLIBC_2.2.5", "a"}) {
    static_cast<void>(bpfxx::elf::func_file_offset(*elf, name));
  }
  static_cast<void>(bpfxx::elf::func_file_offsets_matching(*elf, "*a*"));
  static_cast<void>(bpfxx::elf::address_to_file_offset(*elf, 0x1000));
  return 0;
}
