// Linking programs: each entry program gets its own copy of every
// subprogram it reaches (calls, callbacks, exception callback), appended
// after its code; then every instruction relocation is resolved against the
// maps created by create_maps() and the final layout, and the .BTF.ext
// records are rebased onto that layout.
//
// A subprogram reached from several entry programs is copied into each of
// them; one reached from none is never loaded. The subprograms' own
// instructions are never modified: each copy is patched where it lands.
#include "base/log.h"
#include "btf/ext.h"
#include "object/arena.h"
#include "object/load.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <unordered_map>

namespace bpfxx::object {
namespace {

constexpr uint8_t kLdImm64 = BPF_LD | BPF_IMM | BPF_DW;
constexpr uint8_t kCallInsn = BPF_JMP | BPF_CALL;
constexpr int32_t kInsnSize = sizeof(bpf_insn);
// The most instructions the kernel loads in one program
// (BPF_COMPLEXITY_LIMIT_INSNS): a bound on what appending may build.
constexpr size_t kMaxInsns = 1000000;

bool is_pseudo_call(const bpf_insn& in) {
  return in.code == kCallInsn && in.src_reg == BPF_PSEUDO_CALL;
}
bool is_pseudo_func(const bpf_insn& in) { return in.code == kLdImm64 && in.src_reg == BPF_PSEUDO_FUNC; }

// What every entry program's linking looks up, gathered once per object.
struct LinkContext {
  // .text functions by start instruction, for call targets.
  std::vector<const bpf_program*> text_funcs;
  // BTF FUNC id of an entry program -> names its exception_callback:
  // decl tags give.
  std::unordered_map<uint32_t, std::vector<std::string>> exception_tags;

  explicit LinkContext(const bpf_object& obj) {
    for (const auto& p : obj.programs)
      if (p->is_subprog) text_funcs.push_back(p.get());
    std::sort(text_funcs.begin(), text_funcs.end(),
              [](const bpf_program* a, const bpf_program* b) { return a->sec_insn_off < b->sec_insn_off; });
    const ::btf* b = obj.btf_data.get();
    if (b == nullptr) return;
    static constexpr std::string_view kTag = "exception_callback:";
    const uint32_t n = btf__type_cnt(b);
    for (uint32_t id = 1; id < n; id++) {
      const btf_type* t = btf__type_by_id(b, id);
      if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1) continue;
      const char* tag = btf__name_by_offset(b, t->name_off);
      if (tag == nullptr || std::string_view(tag).substr(0, kTag.size()) != kTag) continue;
      exception_tags[t->type].emplace_back(std::string_view(tag).substr(kTag.size()));
    }
  }

  // Whether an ext-info section's records are in offset order (checked
  // once per section).
  bool sorted(const bpfxx::btf::ExtSection& s, const bpfxx::btf::ExtInfo& info) const {
    auto it = sorted_.find(&s);
    if (it != sorted_.end()) return it->second;
    bool ok = true;
    for (uint32_t i = 1; i < s.num && ok; i++)
      ok = *info.record<uint32_t>(s, i - 1) <= *info.record<uint32_t>(s, i);
    sorted_.emplace(&s, ok);
    return ok;
  }
  mutable std::unordered_map<const bpfxx::btf::ExtSection*, bool> sorted_;

  // The .text function containing instruction sec_insn of .text; NULL if none.
  const bpf_program* text_func_at(uint32_t sec_insn) const {
    auto it = std::upper_bound(text_funcs.begin(), text_funcs.end(), sec_insn,
                               [](uint32_t v, const bpf_program* p) { return v < p->sec_insn_off; });
    if (it == text_funcs.begin()) return nullptr;
    const bpf_program* p = *(it - 1);
    return sec_insn - p->sec_insn_off < p->insns.size() ? p : nullptr;
  }
};

class Linker {
 public:
  Linker(bpf_object& obj, bpf_program& prog, const LinkContext& ctx) : obj_(obj), prog_(prog), ctx_(ctx) {}

  Result<void> run() {
    out_ = prog_.insns;
    // Functions whose copy is in out_ but not yet patched; patching one may
    // place (and queue) more.
    std::deque<Placed> todo{{&prog_, 0}};
    if (auto r = add_exception_callback(); !r) return r;
    for (;;) {
      todo.insert(todo.end(), pending_.begin(), pending_.end());
      pending_.clear();
      if (todo.empty()) break;
      const Placed p = todo.front();
      todo.pop_front();
      if (auto r = patch(p); !r) return r;
    }
    rebuild_ext_info();
    prog_.insns = std::move(out_);
    prog_.linked = true;
    return {};
  }

 private:
  struct Placed {
    const bpf_program* fn;
    uint32_t off;  // where its copy starts in out_
  };

  Failure bad(int err, const std::string& what) {
    BPFXX_WARN("prog '%s': %s\n", prog_.name.c_str(), what.c_str());
    return fail(err, obj_.name + ": prog '" + prog_.name + "': " + what);
  }

  // The .text function starting at instruction `sec_insn` of .text,
  // appended to out_ on first use; its start in out_.
  Result<uint32_t> place_subprog(uint32_t sec_insn, const bpf_program& from, uint32_t at) {
    const bpf_program* sub = ctx_.text_func_at(sec_insn);
    if (sub == nullptr)
      return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(at) + " of '" + from.name +
                                          "' refers to .text instruction #" + std::to_string(sec_insn) +
                                          ", which is in no function");
    if (sub->sec_insn_off != sec_insn)
      return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(at) + " of '" + from.name +
                                          "' jumps into the middle of '" + sub->name + "'");
    if (auto it = starts_.find(sub); it != starts_.end()) return it->second;
    const auto start = static_cast<uint32_t>(out_.size());
    if (out_.size() + sub->insns.size() > kMaxInsns)
      return bad(E2BIG, "more than the kernel's " + std::to_string(kMaxInsns) +
                            " instructions with its subprograms appended");
    out_.insert(out_.end(), sub->insns.begin(), sub->insns.end());
    starts_.emplace(sub, start);
    prog_.appended.push_back({sub, start});
    pending_.push_back({sub, start});
    return start;
  }

  // The function an exception_callback:<name> decl tag on the entry
  // program's BTF FUNC names is appended even though nothing calls it: the
  // kernel finds it through func_info.
  Result<void> add_exception_callback() {
    const ::btf* b = obj_.btf_data.get();
    if (b == nullptr || ctx_.exception_tags.empty()) return {};
    const int func_id = btf__find_by_name_kind(b, prog_.name.c_str(), BTF_KIND_FUNC);
    if (func_id <= 0) return {};
    auto tags = ctx_.exception_tags.find(static_cast<uint32_t>(func_id));
    if (tags == ctx_.exception_tags.end()) return {};
    if (tags->second.size() > 1)
      return bad(E2BIG, "more than one exception callback ('" + tags->second[0] + "', '" + tags->second[1] + "')");
    const std::string& cb_name = tags->second[0];
    const bpf_program* cb = nullptr;
    for (const bpf_program* p : ctx_.text_funcs)
      if (p->name == cb_name) cb = p;
    if (cb == nullptr) return bad(ENOENT, "exception callback '" + cb_name + "' is not a function of .text");
    // The kernel finds it by name among global functions.
    const int cb_func = btf__find_by_name_kind(b, cb_name.c_str(), BTF_KIND_FUNC);
    const btf_type* ft = cb_func > 0 ? btf__type_by_id(b, static_cast<uint32_t>(cb_func)) : nullptr;
    if (cb->mark_btf_static || ft == nullptr || btf_vlen(ft) != BTF_FUNC_GLOBAL)
      return bad(EINVAL, "exception callback '" + cb_name + "' must be a global, not hidden, function");
    if (auto r = place_subprog(cb->sec_insn_off, prog_, 0); !r) return r.failure();
    return {};
  }

  Result<void> patch(const Placed& p) {
    const bpf_program& fn = *p.fn;
    // The relocation of each instruction, found in one pass (a function
    // may have many thousands of both).
    std::vector<const Relocation*> relo_of(fn.insns.size(), nullptr);
    for (const Relocation& r : fn.relos) {
      // Open checked these against the file's instructions; a program's
      // instructions may have been replaced since (bpf_program__set_insns).
      const bool wide = r.kind != RelocKind::kCall && r.kind != RelocKind::kExternCall;
      if (r.insn_idx >= fn.insns.size() || (wide && r.insn_idx + 1 >= fn.insns.size()))
        return bad(LIBBPF_ERRNO__RELOC, "relocation of instruction #" + std::to_string(r.insn_idx) + " of '" +
                                            fn.name + "' is past its " + std::to_string(fn.insns.size()) +
                                            " instructions");
      relo_of[r.insn_idx] = &r;
      // Map and data loads and externs first (kfunc calls too).
      if (r.kind == RelocKind::kCall || r.kind == RelocKind::kSubprogAddr) continue;
      if (auto res = patch_data(fn, r, p.off + r.insn_idx); !res) return res;
    }
    // Then every call and function address, with or without a relocation:
    // calls between static functions of .text may carry none.
    for (uint32_t i = 0; i < fn.insns.size(); i++) {
      const bpf_insn& orig = fn.insns[i];
      const Relocation* r = relo_of[i];
      if (r != nullptr && r->kind != RelocKind::kCall && r->kind != RelocKind::kSubprogAddr) continue;
      const bool call = is_pseudo_call(orig) || (r != nullptr && r->kind == RelocKind::kCall);
      const bool addr = is_pseudo_func(orig) || (r != nullptr && r->kind == RelocKind::kSubprogAddr);
      if (!call && !addr) continue;
      int64_t target;
      if (r != nullptr && r->kind == RelocKind::kCall) {
        target = r->sym_off / kInsnSize + orig.imm + 1;
      } else if (r != nullptr && r->kind == RelocKind::kSubprogAddr) {
        target = (r->sym_off + orig.imm) / kInsnSize;
      } else if (addr) {
        // The compiler always relocates a function's address.
        return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(i) + " of '" + fn.name +
                                            "' takes a function's address without a relocation");
      } else if (fn.sec_idx == obj_.text_shndx) {
        target = int64_t{fn.sec_insn_off} + i + orig.imm + 1;
      } else {
        return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(i) + " of '" + fn.name +
                                            "' calls a function outside .text");
      }
      if (target < 0 || target > UINT32_MAX)
        return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(i) + " of '" + fn.name +
                                            "' has a call target out of range");
      Result<uint32_t> start = place_subprog(static_cast<uint32_t>(target), fn, i);
      if (!start) return start.failure();
      bpf_insn& in = out_[p.off + i];
      in.imm = static_cast<int32_t>(int64_t{*start} - (int64_t{p.off} + i) - 1);
      if (addr) {
        in.src_reg = BPF_PSEUDO_FUNC;
        out_[p.off + i + 1].imm = 0;
      }
    }
    return {};
  }

  Result<void> patch_data(const bpf_program& fn, const Relocation& r, uint32_t at) {
    bpf_insn* in = &out_[at];
    switch (r.kind) {
      case RelocKind::kMap:
      case RelocKind::kData: {
        const bpf_map& map = *obj_.maps.at(static_cast<size_t>(r.map_idx));
        if (!map.created()) {
          if (map.autocreate)
            return bad(LIBBPF_ERRNO__RELOC, "map '" + map.name + "' was not created");
          // Turned off by the user: harmless unless the code is reachable.
          in[0] = bpf_insn{kCallInsn, 0, 0, 0, kPoisonedMapCall + r.map_idx};
          in[1] = bpf_insn{BPF_JMP | BPF_JA, 0, 0, 0, 0};
          return {};
        }
        if (r.kind == RelocKind::kMap) {
          in[0].src_reg = BPF_PSEUDO_MAP_FD;
          in[0].imm = map.fd;
          in[1].imm = 0;
        } else {
          const int64_t off = r.sym_off + in[0].imm;
          if (off < 0 || off >= map.value_size)
            return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(r.insn_idx) + " of '" +
                                                fn.name + "' points at offset " + std::to_string(off) +
                                                " of '" + map.real_name + "', outside its " +
                                                std::to_string(map.value_size) + " bytes");
          in[0].src_reg = BPF_PSEUDO_MAP_VALUE;
          in[0].imm = map.fd;
          in[1].imm = static_cast<int32_t>(off);
        }
        return {};
      }
      case RelocKind::kArena: {
        // The kernel resolves BPF_PSEUDO_MAP_VALUE of an arena to the
        // arena's user address plus the offset; the globals sit at
        // arena_globals_offset() inside it (arena.h).
        const bpf_map* map = arena_map(obj_);
        if (map == nullptr || !map->created()) {
          const std::string why = map == nullptr ? "does not exist" : "'" + map->name + "' was not created";
          return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(r.insn_idx) + " of '" + fn.name +
                                              "' uses an __arena global, but the object's arena map " + why);
        }
        const int64_t off = r.sym_off + in[0].imm;
        const size_t globals = arena_globals_size(*map);
        if (off < 0 || static_cast<uint64_t>(off) >= globals)
          return bad(LIBBPF_ERRNO__RELOC, "instruction #" + std::to_string(r.insn_idx) + " of '" + fn.name +
                                              "' points at offset " + std::to_string(off) +
                                              " of .addr_space.1, outside its " + std::to_string(globals) +
                                              " bytes");
        Result<uint64_t> base = arena_globals_offset(*map);
        if (!base) return base.failure();
        in[0].src_reg = BPF_PSEUDO_MAP_VALUE;
        in[0].imm = map->fd;
        in[1].imm = static_cast<int32_t>(static_cast<uint32_t>(*base + static_cast<uint64_t>(off)));
        return {};
      }
      case RelocKind::kExternVar:
      case RelocKind::kExternCall:
        return patch_extern(obj_, r, in);
      case RelocKind::kCall:
      case RelocKind::kSubprogAddr:
        break;
    }
    return {};
  }

  // func_info and line_info of every placed function, from the records of
  // its ELF section, with offsets moved to where the function landed.
  void rebuild_ext_info() {
    prog_.func_info.clear();
    prog_.line_info.clear();
    const btf_ext* ext = obj_.btf_ext_data.get();
    if (ext == nullptr || !obj_.btf_data) return;
    std::vector<Placed> placed{{&prog_, 0}};
    for (const auto& a : prog_.appended) placed.push_back({a.subprog, a.insn_off});
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) { return a.off < b.off; });
    bool complete = true;
    for (const Placed& p : placed) {
      const size_t before = prog_.func_info.size();
      copy_records(ext->func_info(), p, [&](const void* rec, uint32_t new_off) {
        bpf_func_info fi;
        std::memcpy(&fi, rec, sizeof fi);
        fi.insn_off = new_off;
        prog_.func_info.push_back(fi);
      });
      if (prog_.func_info.size() == before || prog_.func_info[before].insn_off != p.off) complete = false;
      copy_records(ext->line_info(), p, [&](const void* rec, uint32_t new_off) {
        bpf_line_info li;
        std::memcpy(&li, rec, sizeof li);
        li.insn_off = new_off;
        prog_.line_info.push_back(li);
      });
    }
    if (!complete && !ext->func_info().sections.empty()) {
      // The kernel wants a func_info record at the start of every function;
      // without them the program is loaded without BTF function info.
      BPFXX_WARN("prog '%s': .BTF.ext lacks function info for some of its functions; "
                 "loading without BTF function and line info\n", prog_.name.c_str());
      prog_.func_info.clear();
      prog_.line_info.clear();
    }
  }

  template <class Fn>
  void copy_records(const bpfxx::btf::ExtInfo& info, const Placed& p, Fn&& add) {
    if (info.rec_size == 0) return;
    const ::btf* b = obj_.btf_data.get();
    const bpf_program& fn = *p.fn;
    const uint64_t first = uint64_t{fn.sec_insn_off} * kInsnSize;
    const uint64_t end = first + uint64_t{fn.insns.size()} * kInsnSize;
    for (const bpfxx::btf::ExtSection& s : info.sections) {
      const char* sname = btf__name_by_offset(b, s.sec_name_off);
      if (sname == nullptr || fn.elf_sec_name != sname) continue;
      auto off_of = [&](uint32_t i) { return *info.record<uint32_t>(s, i); };
      // Records come sorted by offset (compilers emit them so): start at
      // the function's first one instead of walking the whole section,
      // which many programs may share. Unsorted input is walked whole.
      uint32_t i = 0;
      if (ctx_.sorted(s, info)) {
        uint32_t lo = 0, hi = s.num;
        while (lo < hi) {
          const uint32_t mid = lo + (hi - lo) / 2;
          if (off_of(mid) < first) lo = mid + 1;
          else hi = mid;
        }
        i = lo;
      }
      for (; i < s.num; i++) {
        const uint32_t byte_off = off_of(i);
        if (byte_off >= end && ctx_.sorted(s, info)) break;
        if (byte_off % kInsnSize != 0 || byte_off < first || byte_off >= end) continue;
        add(info.record<uint32_t>(s, i), p.off + (byte_off / kInsnSize - fn.sec_insn_off));
      }
    }
  }

  bpf_object& obj_;
  bpf_program& prog_;
  const LinkContext& ctx_;
  std::vector<bpf_insn> out_;
  std::unordered_map<const bpf_program*, uint32_t> starts_;
  std::vector<Placed> pending_;
};

}  // namespace

Result<void> link_programs(bpf_object& obj) {
  const LinkContext ctx(obj);
  for (auto& p : obj.programs) {
    if (p->is_subprog || !p->autoload) continue;
    p->appended.clear();
    if (p->user_insns) {
      p->linked = true;
      continue;
    }
    Linker l(obj, *p, ctx);
    if (auto r = l.run(); !r) return r;
    BPFXX_DEBUG("prog '%s': linked: %zu instructions, %zu subprograms, %zu func_info, %zu line_info\n",
                p->name.c_str(), p->insns.size(), p->appended.size(), p->func_info.size(),
                p->line_info.size());
  }
  return {};
}

}  // namespace bpfxx::object
