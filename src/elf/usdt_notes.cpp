#include "elf/usdt_notes.h"

#include <cstdio>
#include <cstring>

namespace bpfxx::elf {
namespace {

constexpr uint32_t kShtNote = 7;
constexpr uint32_t kNtStapsdt = 3;
constexpr std::string_view kNoteOwner = "stapsdt";
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1;
constexpr size_t kPhdrSize = 56;  // Elf64_Phdr
constexpr size_t kAddrCount = 3;  // pc, base, semaphore

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// The NUL-terminated string at *pos of desc, advancing *pos past it.
bool take_string(std::span<const uint8_t> desc, size_t* pos, std::string* out) {
  if (*pos >= desc.size()) return false;
  const void* end = std::memchr(desc.data() + *pos, 0, desc.size() - *pos);
  if (end == nullptr) return false;
  const size_t len = static_cast<const uint8_t*>(end) - (desc.data() + *pos);
  out->assign(reinterpret_cast<const char*>(desc.data() + *pos), len);
  *pos += len + 1;
  return true;
}

const LoadSegment* segment_of(const std::vector<LoadSegment>& segs, uint64_t addr) {
  for (const LoadSegment& s : segs) {
    if (addr >= s.vaddr && addr - s.vaddr < s.memsz) return &s;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<UsdtNote>> usdt_notes(const Reader& elf) {
  std::vector<UsdtNote> notes;
  const Section* sec = elf.find_section(".note.stapsdt");
  if (sec == nullptr) return notes;
  const std::string where = elf.name() + ": .note.stapsdt";
  if (sec->type != kShtNote) return fail(EINVAL, where + " is not a note section");
  auto data = elf.data(*sec);
  if (!data) return data.failure();
  // Name and descriptor are padded to 4 bytes (8 in sections aligned so).
  const uint64_t pad = sec->addralign == 8 ? 8 : 4;
  const std::span<const uint8_t> bytes = *data;
  uint64_t off = 0;
  while (off < bytes.size()) {
    const std::string at = where + " at offset " + std::to_string(off);
    if (bytes.size() - off < 12) return fail(EINVAL, at + ": truncated note header");
    const uint32_t namesz = elf.u32(bytes.data() + off);
    const uint32_t descsz = elf.u32(bytes.data() + off + 4);
    const uint32_t type = elf.u32(bytes.data() + off + 8);
    const uint64_t name_off = off + 12;
    const uint64_t desc_off = name_off + align_up(namesz, pad);
    const uint64_t next = desc_off + align_up(descsz, pad);
    // The last note's padding may be cut off by the section's end.
    if (desc_off > bytes.size() || descsz > bytes.size() - desc_off) {
      return fail(EINVAL, at + ": name or descriptor runs past the section");
    }
    off = next;
    const std::string_view owner(reinterpret_cast<const char*>(bytes.data() + name_off),
                                 namesz > 0 ? namesz - 1 : 0);
    if (type != kNtStapsdt || namesz == 0 || owner != kNoteOwner || bytes[name_off + namesz - 1] != 0) {
      continue;  // another tool's note
    }
    const std::span<const uint8_t> desc = bytes.subspan(desc_off, descsz);
    if (desc.size() < kAddrCount * 8 + 3) {
      return fail(EINVAL, at + ": descriptor of " + std::to_string(descsz) + " bytes is too short");
    }
    UsdtNote n;
    n.pc = elf.u64(desc.data());
    n.base = elf.u64(desc.data() + 8);
    n.semaphore = elf.u64(desc.data() + 16);
    size_t pos = kAddrCount * 8;
    if (!take_string(desc, &pos, &n.provider)) return fail(EINVAL, at + ": provider is not NUL-terminated");
    if (!take_string(desc, &pos, &n.name) || n.name.empty()) {
      return fail(EINVAL, at + ": probe name is missing or not NUL-terminated");
    }
    if (!take_string(desc, &pos, &n.args)) {
      return fail(EINVAL, at + ": argument string of " + n.provider + ":" + n.name + " is missing");
    }
    // Some generators write ":" for "no arguments".
    if (n.args == ":") n.args.clear();
    notes.push_back(std::move(n));
  }
  return notes;
}

Result<std::vector<LoadSegment>> load_segments(const Reader& elf) {
  const std::span<const uint8_t> file = elf.bytes();
  if (file.size() < 64) return fail(EINVAL, elf.name() + ": truncated ELF header");
  const uint64_t phoff = elf.u64(file.data() + 32);
  const uint16_t phentsize = elf.u16(file.data() + 54);
  const uint16_t phnum = elf.u16(file.data() + 56);
  std::vector<LoadSegment> segs;
  if (phnum == 0) return segs;
  if (phentsize < kPhdrSize) {
    return fail(EINVAL, elf.name() + ": program header entries of " + std::to_string(phentsize) + " bytes");
  }
  if (phoff > file.size() || static_cast<uint64_t>(phnum) * phentsize > file.size() - phoff) {
    return fail(EINVAL, elf.name() + ": program header table lies outside the file");
  }
  for (uint16_t i = 0; i < phnum; i++) {
    const uint8_t* p = file.data() + phoff + static_cast<uint64_t>(i) * phentsize;
    if (elf.u32(p) != kPtLoad) continue;
    LoadSegment s;
    s.exec = (elf.u32(p + 4) & kPfX) != 0;
    s.offset = elf.u64(p + 8);
    s.vaddr = elf.u64(p + 16);
    s.memsz = elf.u64(p + 40);
    segs.push_back(s);
  }
  return segs;
}

Result<std::vector<UsdtLocation>> usdt_locations(const Reader& elf, std::string_view provider,
                                                 std::string_view name) {
  auto notes = usdt_notes(elf);
  if (!notes) return notes.failure();
  const std::string probe = std::string(provider) + ":" + std::string(name);
  if (elf.find_section(".note.stapsdt") == nullptr) {
    return fail(ENOENT, elf.name() + " has no USDT probes (no .note.stapsdt section), so none named " + probe);
  }
  auto segs = load_segments(elf);
  if (!segs) return segs.failure();
  const Section* base_sec = elf.find_section(".stapsdt.base");
  std::vector<UsdtLocation> out;
  for (const UsdtNote& n : *notes) {
    if (n.provider != provider || n.name != name) continue;
    UsdtLocation loc;
    loc.args = n.args;
    // Prelink moves sections but leaves the notes: shift by how far
    // .stapsdt.base moved.
    loc.vaddr = n.pc;
    if (base_sec != nullptr && n.base != 0) loc.vaddr += base_sec->addr - n.base;
    const LoadSegment* seg = segment_of(*segs, loc.vaddr);
    if (seg == nullptr) {
      return fail(ESRCH, elf.name() + ": USDT " + probe + " at " + hex(loc.vaddr) + " lies in no loaded segment");
    }
    if (!seg->exec) {
      return fail(ESRCH, elf.name() + ": USDT " + probe + " at " + hex(loc.vaddr) +
                             " lies in a segment that is not executable");
    }
    loc.file_offset = loc.vaddr - seg->vaddr + seg->offset;
    if (n.semaphore != 0) {
      const LoadSegment* sseg = segment_of(*segs, n.semaphore);
      if (sseg == nullptr || sseg->exec) {
        return fail(ESRCH, elf.name() + ": the semaphore of USDT " + probe + " at " + hex(n.semaphore) +
                               (sseg == nullptr ? " lies in no loaded segment" : " lies in an executable segment"));
      }
      loc.sema_offset = n.semaphore - sseg->vaddr + sseg->offset;
    }
    out.push_back(std::move(loc));
  }
  if (out.empty()) return fail(ENOENT, elf.name() + " has no USDT probe " + probe);
  return out;
}

}  // namespace bpfxx::elf
