// ELF64 reader: header, section headers, names, data spans, symbols.
#include "elf/elf_reader.h"

#include "base/log.h"

#include <bit>
#include <cstring>

namespace bpfxx::elf {
namespace {

constexpr size_t kEhdrSize = 64;
constexpr size_t kShdrSize = 64;
constexpr size_t kSymSize = 24;
constexpr size_t kRelSize = 16;
constexpr size_t kRelaSize = 24;
constexpr uint8_t kClass64 = 2;
constexpr uint8_t kDataLsb = 1;
constexpr uint8_t kDataMsb = 2;
constexpr uint16_t kShnXindex = 0xffff;

bool in_file(std::span<const uint8_t> b, uint64_t off, uint64_t len) {
  return off <= b.size() && len <= b.size() - off;
}

}  // namespace

bool Reader::is_elf(std::span<const uint8_t> bytes) noexcept {
  return bytes.size() >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' &&
         bytes[3] == 'F';
}

uint16_t Reader::u16(const uint8_t* p) const noexcept {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return swapped_ ? __builtin_bswap16(v) : v;
}
uint32_t Reader::u32(const uint8_t* p) const noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swapped_ ? __builtin_bswap32(v) : v;
}
uint64_t Reader::u64(const uint8_t* p) const noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return swapped_ ? __builtin_bswap64(v) : v;
}

Result<Reader> Reader::open(std::span<const uint8_t> bytes, std::string name) {
  Reader r;
  r.name_ = std::move(name);
  r.bytes_ = bytes;
  const char* who = r.name_.c_str();
  if (!is_elf(bytes) || bytes.size() < kEhdrSize) {
    BPFXX_WARN("elf: %s: not an ELF file\n", who);
    return fail(ENOEXEC, r.name_ + ": not an ELF file");
  }
  if (bytes[4] != kClass64) {
    BPFXX_WARN("elf: %s: only 64-bit ELF is supported\n", who);
    return fail(EOPNOTSUPP, r.name_ + ": not ELF64");
  }
  if (bytes[5] != kDataLsb && bytes[5] != kDataMsb) {
    BPFXX_WARN("elf: %s: unknown ELF data encoding %u\n", who, bytes[5]);
    return fail(EINVAL, r.name_ + ": bad ELF data encoding");
  }
  r.le_ = bytes[5] == kDataLsb;
  r.swapped_ = r.le_ != (std::endian::native == std::endian::little);
  const uint8_t* h = bytes.data();
  r.e_type_ = r.u16(h + 16);
  r.e_machine_ = r.u16(h + 18);
  r.e_flags_ = r.u32(h + 48);
  const uint64_t shoff = r.u64(h + 40);
  const uint16_t shentsize = r.u16(h + 58);
  uint64_t shnum = r.u16(h + 60);
  uint32_t shstrndx = r.u16(h + 62);
  if (shoff == 0) return r;  // no sections
  if (shentsize != kShdrSize) {
    BPFXX_WARN("elf: %s: section header size %u, expected %zu\n", who, shentsize, kShdrSize);
    return fail(EINVAL, r.name_ + ": bad section header size");
  }
  if (!in_file(bytes, shoff, kShdrSize)) {
    BPFXX_WARN("elf: %s: section headers lie outside the file\n", who);
    return fail(EINVAL, r.name_ + ": section headers out of bounds");
  }
  // Extended numbering: counts too large for the header live in section 0.
  if (shnum == 0) shnum = r.u64(h + shoff + 32);
  if (shstrndx == kShnXindex) shstrndx = r.u32(h + shoff + 40);
  if (shnum > (bytes.size() - shoff) / kShdrSize) {
    BPFXX_WARN("elf: %s: %llu section headers do not fit in the file\n", who,
               static_cast<unsigned long long>(shnum));
    return fail(EINVAL, r.name_ + ": section headers out of bounds");
  }
  r.sections_.resize(shnum);
  for (uint64_t i = 0; i < shnum; i++) {
    const uint8_t* s = h + shoff + i * kShdrSize;
    Section& sec = r.sections_[i];
    sec.index = static_cast<uint32_t>(i);
    sec.type = r.u32(s + 4);
    sec.flags = r.u64(s + 8);
    sec.addr = r.u64(s + 16);
    sec.offset = r.u64(s + 24);
    sec.size = r.u64(s + 32);
    sec.link = r.u32(s + 40);
    sec.info = r.u32(s + 44);
    sec.addralign = r.u64(s + 48);
    sec.entsize = r.u64(s + 56);
  }
  if (shstrndx >= shnum) {
    BPFXX_WARN("elf: %s: section name table index %u out of range\n", who, shstrndx);
    return fail(EINVAL, r.name_ + ": bad section name table index");
  }
  const Section& names = r.sections_[shstrndx];
  if (names.type == kShtNobits || !in_file(bytes, names.offset, names.size)) {
    BPFXX_WARN("elf: %s: section name table lies outside the file\n", who);
    return fail(EINVAL, r.name_ + ": section name table out of bounds");
  }
  const char* strtab = reinterpret_cast<const char*>(h + names.offset);
  for (uint64_t i = 0; i < shnum; i++) {
    const uint8_t* s = h + shoff + i * kShdrSize;
    const uint32_t name_off = r.u32(s);
    if (i == 0 && name_off == 0) continue;
    if (name_off >= names.size) {
      BPFXX_WARN("elf: %s: section %llu: name offset %u outside the name table\n", who,
                 static_cast<unsigned long long>(i), name_off);
      return fail(EINVAL, r.name_ + ": bad section name offset");
    }
    const void* end = std::memchr(strtab + name_off, 0, names.size - name_off);
    if (end == nullptr) {
      BPFXX_WARN("elf: %s: section %llu: name is not NUL-terminated\n", who,
                 static_cast<unsigned long long>(i));
      return fail(EINVAL, r.name_ + ": bad section name");
    }
    r.sections_[i].name =
        std::string_view(strtab + name_off, static_cast<const char*>(end) - (strtab + name_off));
  }
  for (const Section& s : r.sections_) {
    if (s.type == kShtSymtab && s.index != 0) {
      r.symtab_idx_ = s.index;
      break;
    }
  }
  if (const Section* symtab = r.symtab()) {
    const Section* strs = r.section(symtab->link);
    if (strs == nullptr || strs->type != kShtStrtab || !in_file(bytes, strs->offset, strs->size) ||
        !in_file(bytes, symtab->offset, symtab->size)) {
      BPFXX_WARN("elf: %s: symbol table or its string table is malformed\n", who);
      return fail(EINVAL, r.name_ + ": bad symbol table");
    }
    r.symstr_ = bytes.subspan(strs->offset, strs->size);
  }
  return r;
}

const Section* Reader::section(size_t index) const noexcept {
  return index < sections_.size() ? &sections_[index] : nullptr;
}

const Section* Reader::find_section(std::string_view name) const noexcept {
  for (const Section& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<std::span<const uint8_t>> Reader::data(const Section& s) const {
  if (s.type == kShtNobits) return std::span<const uint8_t>();
  if (!in_file(bytes_, s.offset, s.size)) {
    BPFXX_WARN("elf: %s: section %u (%.*s) lies outside the file\n", name_.c_str(), s.index,
               static_cast<int>(s.name.size()), s.name.data());
    return fail(EINVAL, name_ + ": section " + std::string(s.name) + " out of bounds");
  }
  return bytes_.subspan(s.offset, s.size);
}

size_t Reader::symbol_count() const noexcept {
  return symtab() == nullptr ? 0 : symtab()->size / kSymSize;
}

Result<Symbol> Reader::symbol(size_t index) const {
  if (index >= symbol_count()) return fail(EINVAL, name_ + ": symbol index out of range");
  const uint8_t* p = bytes_.data() + symtab()->offset + index * kSymSize;
  Symbol sym;
  const uint32_t name_off = u32(p);
  sym.info = p[4];
  sym.other = p[5];
  sym.shndx = u16(p + 6);
  sym.value = u64(p + 8);
  sym.size = u64(p + 16);
  if (name_off != 0) {
    if (name_off >= symstr_.size()) {
      BPFXX_WARN("elf: %s: symbol %zu: name offset %u outside the string table\n", name_.c_str(),
                 index, name_off);
      return fail(EINVAL, name_ + ": bad symbol name offset");
    }
    const char* s = reinterpret_cast<const char*>(symstr_.data()) + name_off;
    const void* end = std::memchr(s, 0, symstr_.size() - name_off);
    if (end == nullptr) return fail(EINVAL, name_ + ": symbol name not terminated");
    sym.name = std::string_view(s, static_cast<const char*>(end) - s);
  }
  return sym;
}

Result<std::vector<Relocation>> Reader::relocations(const Section& s) const {
  const char* who = name_.c_str();
  const std::string sec(s.name);
  if (s.type != kShtRel && s.type != kShtRela) {
    BPFXX_WARN("elf: %s: section %u (%s) is not a relocation table\n", who, s.index, sec.c_str());
    return fail(EINVAL, name_ + ": section " + sec + " is not a relocation table");
  }
  const size_t ent = s.type == kShtRela ? kRelaSize : kRelSize;
  if (s.size % ent != 0) {
    BPFXX_WARN("elf: %s: relocation section %s: size %llu is not a multiple of %zu\n", who,
               sec.c_str(), static_cast<unsigned long long>(s.size), ent);
    return fail(EINVAL, name_ + ": relocation section " + sec + " has a bad size");
  }
  Result<std::span<const uint8_t>> bytes = data(s);
  if (!bytes) return bytes.failure();
  std::vector<Relocation> out(bytes->size() / ent);
  for (size_t i = 0; i < out.size(); i++) {
    const uint8_t* p = bytes->data() + i * ent;
    const uint64_t info = u64(p + 8);
    out[i].offset = u64(p);
    out[i].sym = static_cast<uint32_t>(info >> 32);
    out[i].type = static_cast<uint32_t>(info & 0xffffffffu);
    if (s.type == kShtRela) out[i].addend = static_cast<int64_t>(u64(p + 16));
  }
  return out;
}

}  // namespace bpfxx::elf
