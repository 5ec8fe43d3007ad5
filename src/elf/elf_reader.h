// The project's ELF64 reader: zero-copy, bounds-checked, either byte order.
//
// A Reader views bytes it does not own (keep them alive as long as the
// Reader and anything taken from it). Every offset and size in the file is
// checked on open (section headers, section names) or on access (section
// data, symbols); malformed input yields an error naming the file and the
// section, never a crash. Multi-byte values are returned in host order;
// section contents are handed back raw, as they are in the file.
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::elf {

// ELF constants we use (facts of the ELF format).
inline constexpr uint32_t kShtNull = 0;
inline constexpr uint32_t kShtProgbits = 1;
inline constexpr uint32_t kShtSymtab = 2;
inline constexpr uint32_t kShtStrtab = 3;
inline constexpr uint32_t kShtRela = 4;
inline constexpr uint32_t kShtNobits = 8;
inline constexpr uint32_t kShtRel = 9;

inline constexpr uint64_t kShfWrite = 0x1;
inline constexpr uint64_t kShfAlloc = 0x2;
inline constexpr uint64_t kShfExecinstr = 0x4;

inline constexpr uint16_t kEtRel = 1;
inline constexpr uint16_t kEmBpf = 247;

// Special section indices of symbols.
inline constexpr uint16_t kShnUndef = 0;
inline constexpr uint16_t kShnLoreserve = 0xff00;
inline constexpr uint16_t kShnAbs = 0xfff1;
inline constexpr uint16_t kShnCommon = 0xfff2;

// Symbol types, bindings and visibilities.
inline constexpr uint8_t kSttNotype = 0;
inline constexpr uint8_t kSttObject = 1;
inline constexpr uint8_t kSttFunc = 2;
inline constexpr uint8_t kSttSection = 3;
inline constexpr uint8_t kStbLocal = 0;
inline constexpr uint8_t kStbGlobal = 1;
inline constexpr uint8_t kStbWeak = 2;
inline constexpr uint8_t kStvDefault = 0;
inline constexpr uint8_t kStvHidden = 2;

struct Section {
  uint32_t index = 0;
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t addralign = 0;
  uint64_t entsize = 0;
};

struct Symbol {
  std::string_view name;
  uint8_t info = 0;
  uint8_t other = 0;
  uint16_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;

  uint8_t bind() const noexcept { return info >> 4; }
  uint8_t type() const noexcept { return info & 0xf; }
  uint8_t visibility() const noexcept { return other & 0x3; }
};

// One entry of a SHT_REL or SHT_RELA table (addend is 0 for SHT_REL).
struct Relocation {
  uint64_t offset = 0;  // in the section the table applies to (sh_info)
  uint32_t sym = 0;     // index into the table's symbol table (sh_link)
  uint32_t type = 0;    // machine-specific relocation type
  int64_t addend = 0;
};

class Reader {
 public:
  // Parses the ELF header and section headers of bytes. name is used in
  // messages (a path, or "memory").
  static Result<Reader> open(std::span<const uint8_t> bytes, std::string name);
  // Whether bytes start with the ELF magic.
  static bool is_elf(std::span<const uint8_t> bytes) noexcept;

  bool little_endian() const noexcept { return le_; }
  // Whether the file's byte order differs from the host's.
  bool swapped() const noexcept { return swapped_; }
  uint16_t type() const noexcept { return e_type_; }
  uint16_t machine() const noexcept { return e_machine_; }
  uint32_t flags() const noexcept { return e_flags_; }
  const std::string& name() const noexcept { return name_; }
  std::span<const uint8_t> bytes() const noexcept { return bytes_; }

  const std::vector<Section>& sections() const noexcept { return sections_; }
  // nullptr when out of range.
  const Section* section(size_t index) const noexcept;
  // First section with that name; nullptr if none.
  const Section* find_section(std::string_view name) const noexcept;
  // The bytes of a section (empty for SHT_NOBITS); fails when they lie
  // outside the file.
  Result<std::span<const uint8_t>> data(const Section& s) const;

  // The symbol table (SHT_SYMTAB), if any.
  const Section* symtab() const noexcept { return symtab_idx_ != 0 ? &sections_[symtab_idx_] : nullptr; }
  size_t symbol_count() const noexcept;
  Result<Symbol> symbol(size_t index) const;

  // The entries of a SHT_REL or SHT_RELA section. Fails when the section
  // is of another type, its size is not a whole number of entries or its
  // bytes lie outside the file. Symbol indices are not checked here.
  Result<std::vector<Relocation>> relocations(const Section& s) const;

  // Host-order loads from file bytes in the file's byte order.
  uint16_t u16(const uint8_t* p) const noexcept;
  uint32_t u32(const uint8_t* p) const noexcept;
  uint64_t u64(const uint8_t* p) const noexcept;

 private:
  Reader() = default;
  std::string name_;
  std::span<const uint8_t> bytes_;
  bool le_ = true;
  bool swapped_ = false;
  uint16_t e_type_ = 0;
  uint16_t e_machine_ = 0;
  uint32_t e_flags_ = 0;
  std::vector<Section> sections_;
  size_t symtab_idx_ = 0;  // 0: none (section 0 is never a symbol table)
  std::span<const uint8_t> symstr_;
};

}  // namespace bpfxx::elf
