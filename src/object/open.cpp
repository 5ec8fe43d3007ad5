// Opening an object: ELF sections -> programs, maps, externs and recorded
// relocations. No kernel calls; every index and offset is checked.
#include "base/log.h"
#include "elf/elf_reader.h"
#include "object/arena.h"
#include "object/btf_maps.h"
#include "object/data_maps.h"
#include "object/load.h"
#include "object/object.h"
#include "object/struct_ops.h"
#include "sys/kernel.h"

#include <algorithm>
#include <cstring>

namespace bpfxx::object {
namespace {

constexpr int kFormat = LIBBPF_ERRNO__FORMAT;
constexpr int kReloc = LIBBPF_ERRNO__RELOC;
constexpr size_t kInsnSize = sizeof(bpf_insn);
constexpr uint8_t kLdImm64 = BPF_LD | BPF_IMM | BPF_DW;
constexpr uint8_t kCallInsn = BPF_JMP | BPF_CALL;

std::string sv(std::string_view s) { return std::string(s); }

// A failure with a message through the print callback, naming the object.
Failure bad(const bpf_object& obj, int err, const std::string& what) {
  BPFXX_WARN("elf: %s: %s\n", obj.name.c_str(), what.c_str());
  return fail(err, obj.name + ": " + what);
}

class Opener {
 public:
  Opener(bpf_object& obj, const elf::Reader& elf) : obj_(obj), elf_(elf) {}

  Result<void> run() {
    if (auto r = check_header(); !r) return r;
    if (auto r = scan_sections(); !r) return r;
    if (auto r = parse_btf(); !r) return r;
    if (auto r = add_programs(); !r) return r;
    if (auto r = parse_btf_maps(obj_, elf_); !r) return r;
    if (auto r = add_data_maps(obj_, elf_); !r) return r;
    if (auto r = parse_struct_ops(obj_, elf_, struct_ops_relos_); !r) return r;
    if (auto r = collect_externs(); !r) return r;
    if (auto r = collect_relocations(); !r) return r;
    if (auto r = setup_arena(obj_, elf_); !r) return r;
    // Last, so that the checks above name what is wrong first; the layout
    // it fixes (and hidden globals made static) decides data maps' BTF and
    // whether they are mmapable.
    if (auto r = finalize_btf(obj_); !r) return r;
    settle_data_maps(obj_);
    return {};
  }

 private:
  Result<void> check_header() {
    if (elf_.type() != elf::kEtRel)
      return bad(obj_, kFormat, "not a relocatable ELF object (e_type " +
                                    std::to_string(elf_.type()) + ")");
    // Old LLVM left e_machine as EM_NONE.
    if (elf_.machine() != elf::kEmBpf && elf_.machine() != 0)
      return bad(obj_, kFormat, "not a BPF object (e_machine " + std::to_string(elf_.machine()) + ")");
    if (elf_.symtab() == nullptr) return bad(obj_, kFormat, "no symbol table");
    if (elf_.symtab()->entsize != 0 && elf_.symtab()->entsize != 24)
      return bad(obj_, kFormat, "symbol table entry size " + std::to_string(elf_.symtab()->entsize));
    return {};
  }

  Result<void> scan_sections() {
    for (const elf::Section& s : elf_.sections()) {
      if (s.index == 0) continue;
      const std::string name = sv(s.name);
      Result<std::span<const uint8_t>> d = elf_.data(s);
      if (!d) return bad(obj_, kFormat, "section '" + name + "' lies outside the file");
      if (s.name == "license") {
        const auto* p = reinterpret_cast<const char*>(d->data());
        obj_.license.assign(p, strnlen(p, d->size()));
      } else if (s.name == "version") {
        if (d->size() != 4)
          return bad(obj_, kFormat, "section 'version' has size " + std::to_string(d->size()) + ", not 4");
        obj_.kversion = elf_.u32(d->data());
      } else if (s.name == "maps") {
        return bad(obj_, EOPNOTSUPP,
                   "legacy map definitions are not supported; use BTF-defined maps in .maps");
      } else if (s.name == ".maps") {
        obj_.maps_shndx = s.index;
      } else if (s.name == ".BTF") {
        btf_sec_ = &s;
      } else if (s.name == ".BTF.ext") {
        btf_ext_sec_ = &s;
      } else if (s.type == elf::kShtProgbits && (s.flags & elf::kShfExecinstr) != 0) {
        if (s.size % kInsnSize != 0)
          return bad(obj_, kFormat, "section '" + name + "': size " + std::to_string(s.size) +
                                        " is not a whole number of instructions");
        if (s.name == ".text") obj_.text_shndx = s.index;
        prog_secs_.push_back(&s);
      } else if (s.type == elf::kShtRel || s.type == elf::kShtRela) {
        if (s.link != elf_.symtab()->index)
          return bad(obj_, kFormat, "relocation section '" + name + "' does not use the symbol table");
        const elf::Section* target = elf_.section(s.info);
        if (target == nullptr)
          return bad(obj_, kFormat, "relocation section '" + name + "' targets section " +
                                        std::to_string(s.info) + ", which does not exist");
        if (target->type == elf::kShtProgbits && (target->flags & elf::kShfExecinstr) != 0)
          prog_relos_.push_back(&s);
        else if (target->name == ".maps")
          maps_relos_.push_back(&s);
        else if (is_struct_ops_section(target->name))
          struct_ops_relos_.push_back(&s);
        // Others (.BTF, .BTF.ext, debug info, data) need nothing at open.
      } else {
        switch (classify_data_section(s)) {
          case DataSecKind::kStructOps: obj_.struct_ops_shndx.push_back(s.index); break;
          case DataSecKind::kArena: obj_.arena_shndx = s.index; break;
          default: break;
        }
      }
    }
    return {};
  }

  Result<void> parse_btf() {
    if (btf_sec_ == nullptr) return {};
    Result<std::span<const uint8_t>> d = elf_.data(*btf_sec_);
    if (!d) return d.failure();
    if (d->size() > UINT32_MAX) return bad(obj_, kFormat, ".BTF is too large");
    ::btf* b = btf__new(d->data(), static_cast<uint32_t>(d->size()));
    if (b == nullptr) {
      // Like libbpf: an object may work without BTF (no .maps, no CO-RE).
      BPFXX_WARN("elf: %s: .BTF could not be parsed (%d), continuing without BTF\n",
                 obj_.name.c_str(), -errno);
      return {};
    }
    obj_.btf_data.reset(b);
    if (btf_ext_sec_ != nullptr) {
      Result<std::span<const uint8_t>> e = elf_.data(*btf_ext_sec_);
      if (!e) return e.failure();
      if (e->size() <= UINT32_MAX) {
        btf_ext* x = btf_ext__new(e->data(), static_cast<uint32_t>(e->size()));
        if (x == nullptr)
          BPFXX_WARN("elf: %s: .BTF.ext could not be parsed (%d), ignoring it\n",
                     obj_.name.c_str(), -errno);
        obj_.btf_ext_data.reset(x);
      }
    }
    return {};
  }

  Result<void> add_programs() {
    const size_t nsyms = elf_.symbol_count();
    for (const elf::Section* s : prog_secs_) {
      const std::string sec_name = sv(s->name);
      Result<std::span<const uint8_t>> d = elf_.data(*s);
      if (!d) return d.failure();
      for (size_t i = 1; i < nsyms; i++) {
        Result<elf::Symbol> sym = elf_.symbol(i);
        if (!sym) return sym.failure();
        if (sym->shndx != s->index || sym->type() != elf::kSttFunc) continue;
        const std::string name = sv(sym->name);
        if (name.empty()) return bad(obj_, kFormat, "section '" + sec_name + "': unnamed function");
        if (sym->value % kInsnSize != 0 || sym->size % kInsnSize != 0 || sym->size == 0)
          return bad(obj_, kFormat, "section '" + sec_name + "': program '" + name +
                                        "' is not a whole number of instructions");
        if (sym->value > s->size || sym->size > s->size - sym->value)
          return bad(obj_, kFormat, "section '" + sec_name + "': program '" + name +
                                        "' crosses the section's end");
        const bool in_text = s->index == obj_.text_shndx;
        if (!in_text && sym->bind() == elf::kStbLocal)
          return bad(obj_, EOPNOTSUPP, "section '" + sec_name + "': program '" + name +
                                           "' is static, which is not supported");
        auto prog = std::make_unique<bpf_program>();
        prog->obj = &obj_;
        prog->name = name;
        prog->elf_sec_name = sec_name;
        prog->sec_name = sec_name;
        // SEC("?type"): a program loaded only when asked for.
        if (!in_text && sec_name.size() > 1 && sec_name[0] == '?') {
          prog->sec_name.erase(0, 1);
          prog->autoload = false;
        }
        prog->sec_idx = s->index;
        prog->sec_insn_off = static_cast<uint32_t>(sym->value / kInsnSize);
        prog->is_subprog = in_text;
        // A __hidden global is not visible outside the object: its BTF FUNC
        // is turned static at load (static functions already are).
        prog->mark_btf_static = sym->visibility() == elf::kStvHidden && sym->bind() != elf::kStbLocal;
        copy_insns(*prog, d->subspan(sym->value, sym->size));
        for (const auto& other : obj_.programs) {
          if (other->sec_idx == prog->sec_idx &&
              prog->sec_insn_off < other->sec_insn_off + other->insns.size() &&
              other->sec_insn_off < prog->sec_insn_off + prog->insns.size())
            return bad(obj_, kFormat, "section '" + sec_name + "': programs '" + other->name +
                                          "' and '" + name + "' overlap");
          if (other->name == name && !other->is_subprog && !prog->is_subprog)
            return bad(obj_, kFormat, "two programs named '" + name + "'");
        }
        obj_.programs.push_back(std::move(prog));
      }
    }
    std::stable_sort(obj_.programs.begin(), obj_.programs.end(), [](const auto& a, const auto& b) {
      return a->sec_idx != b->sec_idx ? a->sec_idx < b->sec_idx : a->sec_insn_off < b->sec_insn_off;
    });
    for (auto& p : obj_.programs) {
      if (p->is_subprog) continue;
      if (auto r = init_type(*p); !r) return r;
    }
    return {};
  }

  // Instructions in host order: the two register nibbles trade places and
  // the 16- and 32-bit fields are byte-swapped in an object of the other
  // byte order.
  void copy_insns(bpf_program& prog, std::span<const uint8_t> raw) {
    prog.insns.resize(raw.size() / kInsnSize);
    std::memcpy(prog.insns.data(), raw.data(), raw.size());
    if (!elf_.swapped()) return;
    for (bpf_insn& in : prog.insns) {
      const uint8_t dst = in.dst_reg, src = in.src_reg;
      in.dst_reg = src;
      in.src_reg = dst;
      in.off = static_cast<int16_t>(__builtin_bswap16(static_cast<uint16_t>(in.off)));
      in.imm = static_cast<int32_t>(__builtin_bswap32(static_cast<uint32_t>(in.imm)));
    }
  }

  Result<void> init_type(bpf_program& prog) {
    const SectionDef* def = find_section_def(prog.sec_name);
    if (def == nullptr) {
      BPFXX_DEBUG("prog '%s': unrecognized ELF section name '%s'\n", prog.name.c_str(),
                  prog.sec_name.c_str());
      return {};
    }
    prog.sec_def = def;
    prog.type = def->prog_type;
    prog.expected_attach_type = def->expected_attach_type;
    prog.sleepable = def->has(kSleepable);
    if (def->prog_setup_fn != nullptr) {
      const int err = def->prog_setup_fn(&prog, def->cookie);
      if (err < 0) {
        BPFXX_WARN("prog '%s': the custom handler's setup failed: %d\n", prog.name.c_str(), err);
        return fail(-err, obj_.name + ": prog '" + prog.name + "': setup failed");
      }
    }
    return {};
  }

  Result<void> collect_externs() {
    const size_t nsyms = elf_.symbol_count();
    for (size_t i = 1; i < nsyms; i++) {
      Result<elf::Symbol> sym = elf_.symbol(i);
      if (!sym) return sym.failure();
      if (sym->shndx != elf::kShnUndef || sym->name.empty()) continue;
      if (sym->bind() != elf::kStbGlobal && sym->bind() != elf::kStbWeak) continue;
      Extern ext;
      ext.name = sv(sym->name);
      ext.sym_idx = static_cast<uint32_t>(i);
      ext.is_weak = sym->bind() == elf::kStbWeak;
      if (obj_.btf_data) classify_extern(ext);
      if (ext.kind == ExternKind::kKconfig) obj_.has_kconfig_externs = true;
      obj_.externs.push_back(std::move(ext));
    }
    return {};
  }

  // Finds the extern's BTF and the data section (.kconfig or .ksyms) that
  // lists it.
  void classify_extern(Extern& ext) {
    const ::btf* b = obj_.btf_data.get();
    const uint32_t n = btf__type_cnt(b);
    for (uint32_t id = 1; id < n; id++) {
      const btf_type* t = btf__type_by_id(b, id);
      if (t == nullptr || !btf_is_datasec(t)) continue;
      const char* dname = btf__name_by_offset(b, t->name_off);
      if (dname == nullptr) continue;
      const bool kconfig = std::strcmp(dname, ".kconfig") == 0;
      if (!kconfig && std::strcmp(dname, ".ksyms") != 0) continue;
      const btf_var_secinfo* vsi = btf_var_secinfos(t);
      for (uint16_t k = 0; k < btf_vlen(t); k++) {
        const btf_type* v = btf__type_by_id(b, vsi[k].type);
        if (v == nullptr) continue;
        const char* vname = btf__name_by_offset(b, v->name_off);
        if (vname == nullptr || ext.name != vname) continue;
        ext.btf_id = vsi[k].type;
        ext.kind = kconfig ? ExternKind::kKconfig
                           : (btf_kind(v) == BTF_KIND_FUNC ? ExternKind::kKsymFunc
                                                            : ExternKind::kKsymVar);
        return;
      }
    }
  }

  Result<void> collect_relocations() {
    for (const elf::Section* rs : maps_relos_) {
      if (auto r = parse_map_init_relos(obj_, elf_, *rs); !r) return r;
    }
    for (const elf::Section* rs : prog_relos_) {
      if (auto r = prog_relocations(*rs); !r) return r;
    }
    return {};
  }

  Result<void> prog_relocations(const elf::Section& rs) {
    const elf::Section& target = *elf_.section(rs.info);
    const std::string tname = sv(target.name);
    Result<std::vector<elf::Relocation>> relos = elf_.relocations(rs);
    if (!relos) return relos.failure();
    for (size_t i = 0; i < relos->size(); i++) {
      const elf::Relocation& r = (*relos)[i];
      auto relo_bad = [&](int err, const std::string& what) {
        return bad(obj_, err, "section '" + tname + "': relo #" + std::to_string(i) + ": " + what);
      };
      if (r.offset % kInsnSize != 0 || r.offset >= target.size)
        return relo_bad(kFormat, "offset " + std::to_string(r.offset) + " is outside the section's instructions");
      Result<elf::Symbol> sym = elf_.symbol(r.sym);
      if (!sym) return relo_bad(kFormat, "bad symbol index " + std::to_string(r.sym));
      const uint32_t insn_abs = static_cast<uint32_t>(r.offset / kInsnSize);
      bpf_program* prog = obj_.program_at(target.index, insn_abs);
      if (prog == nullptr)
        return relo_bad(kReloc, "no program contains instruction #" + std::to_string(insn_abs));
      Relocation rec;
      rec.insn_idx = insn_abs - prog->sec_insn_off;
      rec.sym_idx = r.sym;
      const bpf_insn& insn = prog->insns[rec.insn_idx];
      const std::string sname = sv(sym->name);
      const bool is_call = insn.code == kCallInsn;
      const bool is_ld64 = insn.code == kLdImm64 && rec.insn_idx + 1 < prog->insns.size();
      if (!is_call && !is_ld64)
        return relo_bad(kReloc, "instruction #" + std::to_string(rec.insn_idx) + " of '" + prog->name +
                                    "' (code 0x" + hex(insn.code) + ") cannot be relocated");
      if (sym->shndx == elf::kShnUndef) {
        auto it = std::find_if(obj_.externs.begin(), obj_.externs.end(),
                               [&](const Extern& e) { return e.sym_idx == r.sym; });
        if (it == obj_.externs.end())
          return relo_bad(kReloc, "undefined symbol '" + sname + "' is not an extern");
        rec.kind = is_call ? RelocKind::kExternCall : RelocKind::kExternVar;
        rec.ext_idx = static_cast<int>(it - obj_.externs.begin());
        rec.sym_name = sname;
        prog->relos.push_back(std::move(rec));
        continue;
      }
      if (sym->shndx >= elf::kShnLoreserve)
        return relo_bad(kReloc, "symbol '" + sname + "' has unsupported section index 0x" + hex(sym->shndx));
      const elf::Section* ssec = elf_.section(sym->shndx);
      if (ssec == nullptr)
        return relo_bad(kFormat, "symbol '" + sname + "' has bad section index " + std::to_string(sym->shndx));
      if (is_call) {
        if (insn.src_reg != BPF_PSEUDO_CALL)
          return relo_bad(kReloc, "call of '" + sname + "' is not a bpf-to-bpf call");
        if (sym->shndx != obj_.text_shndx)
          return relo_bad(kReloc, "call of '" + sname + "' in section '" + sv(ssec->name) + "', not .text");
        if (sym->value % kInsnSize != 0) return relo_bad(kReloc, "call target offset is misaligned");
        rec.kind = RelocKind::kCall;
        rec.sym_off = static_cast<int64_t>(sym->value);
        rec.target_sec = sym->shndx;
        prog->relos.push_back(std::move(rec));
        continue;
      }
      if (sym->shndx == obj_.text_shndx &&
          (sym->type() == elf::kSttFunc ||
           (sym->type() == elf::kSttSection && sym->bind() == elf::kStbLocal))) {
        if (sym->value % kInsnSize != 0) return relo_bad(kReloc, "function address is misaligned");
        rec.kind = RelocKind::kSubprogAddr;
        rec.sym_off = static_cast<int64_t>(sym->value);
        rec.target_sec = sym->shndx;
        prog->relos.push_back(std::move(rec));
        continue;
      }
      if (sym->shndx == obj_.arena_shndx && obj_.arena_shndx != 0) {
        rec.kind = RelocKind::kArena;
        rec.sym_off = static_cast<int64_t>(sym->value);
        prog->relos.push_back(std::move(rec));
        continue;
      }
      if (sym->shndx == obj_.maps_shndx && obj_.maps_shndx != 0) {
        for (size_t m = 0; m < obj_.maps.size(); m++) {
          const bpf_map& map = *obj_.maps[m];
          if (map.kind == MapKind::kUser && map.sec_offset == sym->value) {
            rec.map_idx = static_cast<int>(m);
            break;
          }
        }
        if (rec.map_idx < 0)
          return relo_bad(kReloc, "no map at offset " + std::to_string(sym->value) + " of .maps ('" + sname + "')");
        rec.kind = RelocKind::kMap;
        prog->relos.push_back(std::move(rec));
        continue;
      }
      for (size_t m = 0; m < obj_.maps.size(); m++) {
        if (obj_.maps[m]->is_internal() && obj_.maps[m]->sec_idx == sym->shndx) {
          rec.map_idx = static_cast<int>(m);
          break;
        }
      }
      if (rec.map_idx < 0)
        return relo_bad(kReloc, "reference to '" + sname + "' in section '" + sv(ssec->name) +
                                    "', which holds no map or global data");
      if (sym->value > ssec->size)
        return relo_bad(kReloc, "symbol '" + sname + "' lies outside its section");
      rec.kind = RelocKind::kData;
      rec.sym_off = static_cast<int64_t>(sym->value);
      prog->relos.push_back(std::move(rec));
    }
    return {};
  }

  static std::string hex(unsigned v) {
    char b[16];
    std::snprintf(b, sizeof b, "%x", v);
    return b;
  }

  bpf_object& obj_;
  const elf::Reader& elf_;
  const elf::Section* btf_sec_ = nullptr;
  const elf::Section* btf_ext_sec_ = nullptr;
  std::vector<const elf::Section*> prog_secs_;
  std::vector<const elf::Section*> prog_relos_;
  std::vector<const elf::Section*> maps_relos_;
  std::vector<const elf::Section*> struct_ops_relos_;
};

}  // namespace

const char* reloc_kind_name(RelocKind kind) noexcept {
  switch (kind) {
    case RelocKind::kMap: return "map";
    case RelocKind::kData: return "data";
    case RelocKind::kArena: return "arena";
    case RelocKind::kCall: return "call";
    case RelocKind::kSubprogAddr: return "subprog_addr";
    case RelocKind::kExternVar: return "extern_var";
    case RelocKind::kExternCall: return "extern_call";
  }
  return "unknown";
}

Result<std::unique_ptr<bpf_object>> open(std::span<const uint8_t> bytes, std::string name,
                                         std::string path, OpenOptions opts) {
  auto obj = std::make_unique<bpf_object>();
  obj->name = std::move(name);
  obj->path = std::move(path);
  obj->opts = std::move(opts);
  obj->bytes.assign(bytes.begin(), bytes.end());
  Result<elf::Reader> elf = elf::Reader::open(obj->bytes, obj->path.empty() ? obj->name : obj->path);
  if (!elf) {
    // The reader's messages name the file; add the errno libbpf uses.
    return fail(elf.error() == ENOEXEC ? LIBBPF_ERRNO__FORMAT : elf.error(), elf.message());
  }
  Opener op(*obj, *elf);
  if (Result<void> r = op.run(); !r) return r.failure();
  return obj;
}

}  // namespace bpfxx::object

bpf_map::~bpf_map() {
  if (fd >= 0) bpfxx::sys::kernel().close(fd);
}
bpf_program::~bpf_program() {
  if (fd >= 0) bpfxx::sys::kernel().close(fd);
  if (attach_btf_obj_fd >= 0) bpfxx::sys::kernel().close(attach_btf_obj_fd);
}
bpf_object::~bpf_object() {
  // Programs and maps go first (they may refer to the object), then the
  // token; the BTF object closes its own fd.
  programs.clear();
  maps.clear();
  if (token_fd > 0) bpfxx::sys::kernel().close(token_fd);
}

bpf_program* bpf_object::find_program(std::string_view n) const noexcept {
  for (const auto& p : programs)
    if (!p->is_subprog && p->name == n) return p.get();
  return nullptr;
}

bpf_map* bpf_object::find_map(std::string_view n) const noexcept {
  for (const auto& m : maps) {
    // A name starting with a dot is a data section's full name (".rodata",
    // ".data.custom"); anything else is the name bpf_map__name() reports.
    if (!n.empty() && n[0] == '.') {
      if (m->is_internal() && m->real_name == n) return m.get();
    } else if (m->name == n) {
      return m.get();
    }
  }
  return nullptr;
}

bpf_program* bpf_object::program_at(uint32_t sec_idx, uint32_t insn_off) const noexcept {
  for (const auto& p : programs) {
    if (p->sec_idx == sec_idx && insn_off >= p->sec_insn_off &&
        insn_off - p->sec_insn_off < p->insns.size())
      return p.get();
  }
  return nullptr;
}
