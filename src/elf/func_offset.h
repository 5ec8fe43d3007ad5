// Where a function lives in an ELF executable or shared library, as a file
// offset (what uprobes take), and where a shared library lives according to
// the dynamic loader's cache. Pure functions over bytes: no file access.
#pragma once

#include "elf/elf_reader.h"

#include <bpfxx/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::elf {

// The file offset of function `name` in elf: its definition in .symtab,
// else .dynsym (STT_FUNC or STT_GNU_IFUNC; a global definition wins over a
// weak one; several definitions at different addresses are ambiguous,
// EINVAL). A name may carry a symbol version ("malloc@GLIBC_2.2.5"), which
// must then match; without one, versioned names match too. When the file
// only references the function (an executable calling a library), its PLT
// stub is used. ENOENT when the function is nowhere.
Result<uint64_t> func_file_offset(const Reader& elf, std::string_view name);

// Every defined function whose name matches the glob pattern ('*', '?'),
// with its file offset (for uprobe.multi); names sorted, one offset each.
struct FuncOffset {
  std::string name;
  uint64_t offset;
};
Result<std::vector<FuncOffset>> func_file_offsets_matching(const Reader& elf, std::string_view pattern);

// The file offset of virtual address addr (through the allocated section
// holding it); ENOENT when no section holds it.
Result<uint64_t> address_to_file_offset(const Reader& elf, uint64_t addr);

// The path /etc/ld.so.cache gives for a library soname ("libc.so.6"), for
// this machine's architecture where the cache says; ENOENT if absent,
// EINVAL for a cache it cannot read.
Result<std::string> ld_so_cache_lookup(std::span<const uint8_t> cache, std::string_view soname);

}  // namespace bpfxx::elf
