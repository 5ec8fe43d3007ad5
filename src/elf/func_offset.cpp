#include "elf/func_offset.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace bpfxx::elf {
namespace {

constexpr uint32_t kShtDynsym = 11;
constexpr uint8_t kSttGnuIfunc = 10;
constexpr size_t kSymSize = 24;
constexpr uint16_t kEmAarch64 = 183;

// One symbol table (.symtab or .dynsym), read entry by entry with checks.
class SymbolTable {
 public:
  static Result<SymbolTable> open(const Reader& elf, const Section& table) {
    const Section* strs = elf.section(table.link);
    if (strs == nullptr || strs->type != kShtStrtab) {
      return fail(EINVAL, elf.name() + ": " + std::string(table.name) + " has no string table");
    }
    auto syms = elf.data(table);
    if (!syms) return syms.failure();
    auto names = elf.data(*strs);
    if (!names) return names.failure();
    return SymbolTable(elf, *syms, *names);
  }
  size_t size() const noexcept { return syms_.size() / kSymSize; }
  // The symbol; its name is empty when the name offset is bad.
  Symbol at(size_t i) const noexcept {
    const uint8_t* p = syms_.data() + i * kSymSize;
    Symbol s;
    const uint32_t name_off = elf_->u32(p);
    s.info = p[4];
    s.other = p[5];
    s.shndx = elf_->u16(p + 6);
    s.value = elf_->u64(p + 8);
    s.size = elf_->u64(p + 16);
    if (name_off != 0 && name_off < names_.size()) {
      const char* str = reinterpret_cast<const char*>(names_.data()) + name_off;
      const void* end = std::memchr(str, 0, names_.size() - name_off);
      if (end != nullptr) s.name = std::string_view(str, static_cast<const char*>(end) - str);
    }
    return s;
  }

 private:
  SymbolTable(const Reader& elf, std::span<const uint8_t> syms, std::span<const uint8_t> names)
      : elf_(&elf), syms_(syms), names_(names) {}
  const Reader* elf_;
  std::span<const uint8_t> syms_;
  std::span<const uint8_t> names_;
};

bool is_func(const Symbol& s) { return s.type() == kSttFunc || s.type() == kSttGnuIfunc; }

// "name", "name@V" and "name@@V" against a query with or without a version.
bool name_matches(std::string_view sym, std::string_view query) {
  const size_t at = query.find('@');
  if (at == std::string_view::npos) {
    const size_t sym_at = sym.find('@');
    return sym.substr(0, sym_at) == query;
  }
  // Versioned query: compare the base and the version, '@' or '@@' alike.
  auto strip = [](std::string_view s) {
    const size_t a = s.find('@');
    if (a == std::string_view::npos) return std::make_pair(s, std::string_view());
    std::string_view ver = s.substr(a + 1);
    if (!ver.empty() && ver.front() == '@') ver.remove_prefix(1);
    return std::make_pair(s.substr(0, a), ver);
  };
  return strip(sym) == strip(query);
}

const Section* find_typed(const Reader& elf, uint32_t type) {
  for (const Section& s : elf.sections()) {
    if (s.type == type && s.index != 0) return &s;
  }
  return nullptr;
}

// The address of the PLT stub that calls undefined dynamic symbol dynsym_idx.
Result<uint64_t> plt_stub_address(const Reader& elf, const Section& dynsym, uint32_t dynsym_idx) {
  const Section* rela_plt = elf.find_section(".rela.plt");
  if (rela_plt == nullptr || rela_plt->link != dynsym.index) return fail(ENOENT, "no .rela.plt");
  auto relos = elf.relocations(*rela_plt);
  if (!relos) return relos.failure();
  const Section* plt_sec = elf.find_section(".plt.sec");
  const Section* plt = elf.find_section(".plt");
  for (size_t j = 0; j < relos->size(); j++) {
    if ((*relos)[j].sym != dynsym_idx) continue;
    // With IBT/BTI the stubs are in .plt.sec, one per slot; otherwise in
    // .plt after its header (one entry, two on arm64).
    if (plt_sec != nullptr) {
      const uint64_t ent = plt_sec->entsize != 0 ? plt_sec->entsize : 16;
      return plt_sec->addr + j * ent;
    }
    if (plt == nullptr) return fail(ENOENT, "no .plt");
    const uint64_t ent = plt->entsize != 0 ? plt->entsize : 16;
    const uint64_t header = elf.machine() == kEmAarch64 ? 32 : ent;
    return plt->addr + header + j * ent;
  }
  return fail(ENOENT, "no PLT slot");
}

struct Found {
  bool any = false;
  uint64_t addr = 0;
  uint8_t bind = 0;
  bool ambiguous = false;
};

void consider(Found& f, const Symbol& s) {
  if (!f.any) {
    f = Found{true, s.value, s.bind(), false};
    return;
  }
  if (f.addr == s.value) return;
  // A global definition overrides a weak one; two of a kind are ambiguous.
  if (f.bind == kStbWeak && s.bind() == kStbGlobal) {
    f.addr = s.value;
    f.bind = s.bind();
    f.ambiguous = false;
  } else if (!(s.bind() == kStbWeak && f.bind == kStbGlobal)) {
    f.ambiguous = true;
  }
}

}  // namespace

Result<uint64_t> address_to_file_offset(const Reader& elf, uint64_t addr) {
  for (const Section& s : elf.sections()) {
    if ((s.flags & kShfAlloc) == 0 || s.type == kShtNobits || s.index == 0) continue;
    if (addr >= s.addr && addr - s.addr < s.size) return addr - s.addr + s.offset;
  }
  return fail(ENOENT, elf.name() + ": no section holds address 0x" + [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(addr));
    return std::string(buf);
  }());
}

Result<uint64_t> func_file_offset(const Reader& elf, std::string_view name) {
  if (name.empty()) return fail(EINVAL, elf.name() + ": empty function name");
  const Section* dynsym = find_typed(elf, kShtDynsym);
  for (const Section* table : {elf.symtab(), dynsym}) {
    if (table == nullptr) continue;
    auto syms = SymbolTable::open(elf, *table);
    if (!syms) return syms.failure();
    Found found;
    for (size_t i = 1; i < syms->size(); i++) {
      const Symbol s = syms->at(i);
      if (!is_func(s) || s.shndx == kShnUndef || !name_matches(s.name, name)) continue;
      consider(found, s);
    }
    if (found.ambiguous) {
      return fail(EINVAL, elf.name() + ": function '" + std::string(name) +
                              "' is defined more than once at different addresses");
    }
    if (found.any) return address_to_file_offset(elf, found.addr);
  }
  // Not defined here: an executable calling a library function has a PLT
  // stub for it, which a uprobe can hit.
  if (dynsym != nullptr) {
    auto syms = SymbolTable::open(elf, *dynsym);
    if (!syms) return syms.failure();
    for (size_t i = 1; i < syms->size(); i++) {
      const Symbol s = syms->at(i);
      if (s.shndx != kShnUndef || !name_matches(s.name, name)) continue;
      auto stub = plt_stub_address(elf, *dynsym, static_cast<uint32_t>(i));
      if (stub) return address_to_file_offset(elf, *stub);
    }
  }
  return fail(ENOENT, elf.name() + ": no function '" + std::string(name) + "'");
}

Result<std::vector<FuncOffset>> func_file_offsets_matching(const Reader& elf, std::string_view pattern) {
  auto glob = [](std::string_view p, std::string_view t) {
    size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
      if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
        pi++;
        ti++;
      } else if (pi < p.size() && p[pi] == '*') {
        star = pi++;
        mark = ti;
      } else if (star != std::string_view::npos) {
        pi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.size() && p[pi] == '*') pi++;
    return pi == p.size();
  };
  std::vector<FuncOffset> out;
  const Section* dynsym = find_typed(elf, kShtDynsym);
  for (const Section* table : {elf.symtab(), dynsym}) {
    if (table == nullptr) continue;
    auto syms = SymbolTable::open(elf, *table);
    if (!syms) return syms.failure();
    for (size_t i = 1; i < syms->size(); i++) {
      const Symbol s = syms->at(i);
      if (!is_func(s) || s.shndx == kShnUndef || s.name.empty()) continue;
      const std::string_view base = s.name.substr(0, s.name.find('@'));
      if (!glob(pattern, base)) continue;
      auto off = address_to_file_offset(elf, s.value);
      if (!off) continue;
      out.push_back(FuncOffset{std::string(base), *off});
    }
    if (!out.empty()) break;  // .symtab is complete when present
  }
  std::sort(out.begin(), out.end(), [](const FuncOffset& a, const FuncOffset& b) { return a.name < b.name; });
  out.erase(std::unique(out.begin(), out.end(), [](const FuncOffset& a, const FuncOffset& b) { return a.name == b.name; }),
            out.end());
  return out;
}

Result<std::string> ld_so_cache_lookup(std::span<const uint8_t> cache, std::string_view soname) {
  // glibc's format: an optional old-format part ("ld.so-1.7.0", a count,
  // 12-byte entries), then "glibc-ld.so.cache1.1", a 48-byte header and
  // 24-byte entries whose string offsets count from that header.
  constexpr std::string_view kOld = "ld.so-1.7.0";
  constexpr std::string_view kNew = "glibc-ld.so.cache1.1";
  auto u32 = [&](size_t off) {
    uint32_t v;
    std::memcpy(&v, cache.data() + off, 4);
    return v;
  };
  size_t base = 0;
  if (cache.size() >= 16 && std::memcmp(cache.data(), kOld.data(), kOld.size()) == 0) {
    const uint64_t n = u32(12);
    base = 16 + n * 12;
    base = (base + 7) & ~size_t{7};
  }
  if (base > cache.size() || cache.size() - base < 48 ||
      std::memcmp(cache.data() + base, kNew.data(), kNew.size()) != 0) {
    return fail(EINVAL, "ld.so.cache: unknown format");
  }
  const uint64_t nlibs = u32(base + 20);
  if (nlibs > (cache.size() - base - 48) / 24) return fail(EINVAL, "ld.so.cache: truncated");
#if defined(__x86_64__)
  constexpr uint32_t kArchFlags = 0x0303;
#elif defined(__aarch64__)
  constexpr uint32_t kArchFlags = 0x0a03;
#else
  constexpr uint32_t kArchFlags = 0;
#endif
  auto str = [&](uint32_t off) -> std::string_view {
    const size_t at = base + off;
    if (at >= cache.size()) return {};
    const void* end = std::memchr(cache.data() + at, 0, cache.size() - at);
    if (end == nullptr) return {};
    return std::string_view(reinterpret_cast<const char*>(cache.data() + at),
                            static_cast<const uint8_t*>(end) - (cache.data() + at));
  };
  for (uint64_t i = 0; i < nlibs; i++) {
    const size_t e = base + 48 + i * 24;
    const uint32_t flags = u32(e);
    if (str(u32(e + 4)) != soname) continue;
    const std::string_view path = str(u32(e + 8));
    if (path.empty()) continue;
    // A library of another architecture is no answer on this one.
    if (kArchFlags == 0 || (flags & 0xffff) == kArchFlags) return std::string(path);
  }
  return fail(ENOENT, "ld.so.cache has no '" + std::string(soname) + "'");
}

}  // namespace bpfxx::elf
