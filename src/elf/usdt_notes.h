// USDT probes of an ELF executable or shared library, as the SystemTap SDT
// notes (<sys/sdt.h>, section .note.stapsdt) describe them, turned into
// what a uprobe needs: file offsets of the probe and of its semaphore.
//
// Each note (owner "stapsdt", type 3) holds three addresses (probe pc, the
// link-time address of .stapsdt.base, semaphore or 0) and three strings
// (provider, name, argument specs). Addresses are corrected by the distance
// .stapsdt.base moved after linking (prelink), then mapped to file offsets
// through the PT_LOAD program headers. Pure functions over bytes.
#pragma once

#include "elf/elf_reader.h"

#include <bpfxx/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::elf {

// One note, as stored.
struct UsdtNote {
  std::string provider;
  std::string name;
  std::string args;  // "" when the probe has none
  uint64_t pc = 0;
  uint64_t base = 0;       // .stapsdt.base at link time; 0 if not recorded
  uint64_t semaphore = 0;  // address of the semaphore; 0 if none
};

// Every USDT note of elf, in file order; an empty vector when the file has
// no .note.stapsdt section. A malformed note is an EINVAL naming the file.
Result<std::vector<UsdtNote>> usdt_notes(const Reader& elf);

// One PT_LOAD program header.
struct LoadSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;
  bool exec = false;
};

// The PT_LOAD segments of elf (checked to lie inside the file's program
// header table).
Result<std::vector<LoadSegment>> load_segments(const Reader& elf);

// A probe site, ready for a uprobe.
struct UsdtLocation {
  std::string args;
  uint64_t vaddr = 0;        // probe address after the prelink correction
  uint64_t file_offset = 0;  // what the uprobe is placed at
  uint64_t sema_offset = 0;  // file offset of the semaphore; 0 if none
};

// The sites of provider:name in elf (one per inlined or repeated probe
// macro). ENOENT when there is none; ESRCH when an address lies in no
// loaded segment, or a probe in a non-executable one, or a semaphore in an
// executable one.
Result<std::vector<UsdtLocation>> usdt_locations(const Reader& elf, std::string_view provider,
                                                 std::string_view name);

}  // namespace bpfxx::elf
