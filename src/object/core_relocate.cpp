// relocate_core(): the object's CO-RE relocations applied against the
// running kernel's BTF (or bpf_object_open_opts.btf_custom_path).
//
// The engine (src/relo/) is pure; this file finds the target BTFs --
// vmlinux first, loaded modules (btf/module_cache.h) only for types vmlinux
// lacks, as libbpf does -- keeps candidates per local type for the object,
// and patches each function's own instructions before linking copies
// subprograms around. Poisoned relocations are recorded per function for
// the message of a load the verifier refuses at one (load_programs.cpp).
#include <bpf/bpf.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "base/log.h"
#include "btf/load.h"
#include "btf/module_cache.h"
#include "object/load.h"
#include "relo/candidates.h"
#include "relo/core_kind.h"
#include "relo/resolve.h"
#include "sys/features.h"
#include "sys/kernel.h"

namespace bpfxx::object {
namespace {

// What one object's relocation pass searches, loaded on first need.
class TargetSet {
 public:
  explicit TargetSet(const bpf_object& obj) : obj_(obj) {}

  Result<void> ensure_main() {
    if (main_.btf != nullptr) return {};
    const std::string& custom = obj_.opts.btf_custom_path;
    if (!custom.empty()) {
      const char* p = custom.c_str();
      if (btf::is_elf_file(p)) {
        Result<btf::ElfBtf> e = btf::parse_elf_file(p, nullptr, false);
        if (!e)
          return warn_fail(e.error(),
                           "cannot read BTF from btf_custom_path '" + custom + "': " + e.message());
        custom_ = std::move(e->btf);
      } else {
        ::btf::Result r = btf::parse_raw_file(p, nullptr);
        if (!r)
          return warn_fail(r.error(),
                           "cannot read BTF from btf_custom_path '" + custom + "': " + r.message());
        custom_ = std::move(*r);
      }
      custom_index_ = std::make_unique<relo::NameIndex>(*custom_, 1);
      main_ = relo::Target{custom_.get(), custom, 1, custom_index_.get()};
      return {};
    }
    Result<std::shared_ptr<const ::btf>> v = btf::vmlinux();
    if (!v)
      return warn_fail(v.error(),
                       "CO-RE relocations need the kernel's BTF (/sys/kernel/btf/vmlinux), which cannot "
                       "be read: " +
                           v.message() + "; give one with btf_custom_path");
    vmlinux_ = *v;
    main_ = relo::Target{vmlinux_.get(), "vmlinux", 1, &relo::shared_index(vmlinux_, 1)};
    return {};
  }

  // Candidates of local type id, cached for the object.
  Result<const std::vector<relo::Candidate>*> candidates(uint32_t local_id) {
    auto it = cache_.find(local_id);
    if (it != cache_.end()) return &it->second;
    if (auto r = ensure_main(); !r) return r.failure();
    std::vector<relo::Candidate> c;
    const ::btf& local = *obj_.btf_data;
    // A type without a usable name has no candidates; resolve() says why.
    if (relo::add_candidates(local, local_id, main_, c) < 0)
      return &cache_.emplace(local_id, std::move(c)).first->second;
    // Modules are only searched for types vmlinux does not have, and
    // never when the kernel's BTF was replaced by a custom file.
    if (c.empty() && !custom_ && sys::has_feature(sys::Feature::ModuleBtf)) {
      if (!modules_loaded_) load_modules();
      for (const relo::Target& t : modules_) relo::add_candidates(local, local_id, t, c);
    }
    return &cache_.emplace(local_id, std::move(c)).first->second;
  }

 private:
  // The loaded modules' BTFs as targets (the process's shared cache);
  // unreadable ones are skipped.
  void load_modules() {
    modules_loaded_ = true;
    Result<std::vector<std::shared_ptr<const btf::ModuleBtf>>> mods =
        btf::ModuleCache::process().loaded(obj_.token_fd);
    if (!mods) return;
    const uint32_t base_cnt = vmlinux_->type_cnt();
    for (std::shared_ptr<const btf::ModuleBtf>& m : *mods) {
      std::shared_ptr<const ::btf> b = m->btf();
      if (!b) continue;
      modules_.push_back(relo::Target{b.get(), m->name(), base_cnt, &relo::shared_index(b, base_cnt)});
      module_keep_.push_back(std::move(m));
    }
  }

  Failure warn_fail(int err, const std::string& what) {
    BPFXX_WARN("object '%s': %s\n", obj_.name.c_str(), what.c_str());
    return fail(err, "object '" + obj_.name + "': " + what);
  }

  const bpf_object& obj_;
  relo::Target main_;
  std::shared_ptr<const ::btf> vmlinux_;
  std::unique_ptr<::btf> custom_;
  std::unique_ptr<relo::NameIndex> custom_index_;
  bool modules_loaded_ = false;
  std::vector<relo::Target> modules_;
  std::vector<std::shared_ptr<const btf::ModuleBtf>> module_keep_;  // names and BTFs of modules_
  std::unordered_map<uint32_t, std::vector<relo::Candidate>> cache_;
};

// The programs of one ELF section, by position.
using SectionPrograms = std::vector<bpf_program*>;

bpf_program* program_at(const SectionPrograms& progs, uint32_t insn_idx) {
  auto it = std::upper_bound(progs.begin(), progs.end(), insn_idx,
                             [](uint32_t i, const bpf_program* p) { return i < p->sec_insn_off; });
  if (it == progs.begin()) return nullptr;
  bpf_program* p = *(it - 1);
  return insn_idx - p->sec_insn_off < p->insns.size() ? p : nullptr;
}

bool is_poison_call(const bpf_insn& in) {
  return in.code == (BPF_JMP | BPF_CALL) && in.src_reg == 0 && in.imm == relo::kPoisonHelperId;
}

// Kept so that a verifier rejection at the poisoned call can say which
// relocation it was (load_programs.cpp); the verifier only shows a call of
// an unknown helper.
void record_poison(bpf_program& prog, const relo::ReloSite& site, const relo::Resolution& res) {
  std::string what = res.local_desc;
  if (!res.poison_reason.empty())
    what = res.poison_reason;
  else if (res.fail_memsz_adjust)
    what += ": the field's size changed (" + std::to_string(res.orig_sz) + " -> " + std::to_string(res.new_sz) +
            " bytes) and a resized load cannot read it";
  prog.core_poisons.push_back({site.insn_idx, site.relo_idx, std::move(what)});
}

}  // namespace

Result<void> relocate_core(bpf_object& obj) {
  for (auto& p : obj.programs) p->core_poisons.clear();
  if (!obj.btf_ext_data || !obj.btf_data) return {};
  const btf::ExtInfo& info = obj.btf_ext_data->core_relo();
  if (info.rec_size == 0 || info.sections.empty()) return {};

  std::unordered_map<std::string_view, SectionPrograms> by_sec;
  for (auto& p : obj.programs) by_sec[p->elf_sec_name].push_back(p.get());
  for (auto& [name, v] : by_sec)
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->sec_insn_off < b->sec_insn_off; });

  const ::btf& local = *obj.btf_data;
  TargetSet targets(obj);
  for (const btf::ExtSection& sec : info.sections) {
    const char* sname = local.str_by_offset(sec.sec_name_off);
    if (sname == nullptr || *sname == 0) {
      BPFXX_WARN("object '%s': .BTF.ext CO-RE records name no section\n", obj.name.c_str());
      return fail(EINVAL, "object '" + obj.name + "': .BTF.ext CO-RE records name no section");
    }
    auto secit = by_sec.find(sname);
    for (uint32_t i = 0; i < sec.num; i++) {
      const auto* rec = info.record<btf::CoreRelo>(sec, i);
      if (rec->insn_off % sizeof(bpf_insn) != 0) {
        BPFXX_WARN("sec '%s': CO-RE relocation #%u: instruction offset %u is not a multiple of 8\n", sname, i,
                   rec->insn_off);
        return fail(EINVAL, std::string("sec '") + sname + "': CO-RE relocation #" + std::to_string(i) +
                                ": misaligned instruction offset");
      }
      const uint32_t sec_insn = rec->insn_off / sizeof(bpf_insn);
      bpf_program* prog = secit != by_sec.end() ? program_at(secit->second, sec_insn) : nullptr;
      if (prog == nullptr) {
        // A weak function replaced at static link time leaves its records
        // behind; nothing of it is loaded.
        BPFXX_DEBUG("sec '%s': CO-RE relocation #%u of insn #%u belongs to no function: skipped\n", sname, i,
                    sec_insn);
        continue;
      }
      // Programs that will not load, or whose code the user replaced.
      if ((!prog->autoload && !prog->is_subprog) || prog->user_insns) continue;
      relo::ReloSite site{prog->name, i, sec_insn - prog->sec_insn_off};
      std::span<const relo::Candidate> cands;
      if (rec->kind != relo::kTypeIdLocal && relo::is_known_kind(rec->kind)) {
        const btf_type* lt = local.type_by_id(rec->type_id);
        if (lt != nullptr && lt->name_off != 0) {
          Result<const std::vector<relo::Candidate>*> c = targets.candidates(rec->type_id);
          if (!c) return c.failure();
          cands = **c;
        }
      }
      Result<relo::Resolution> res = relo::resolve(local, *rec, cands, site);
      if (!res) return res.failure();
      if (auto r = relo::patch_insn(prog->insns, *res, site); !r) return r;
      if (is_poison_call(prog->insns[site.insn_idx])) record_poison(*prog, site, *res);
    }
  }
  return {};
}

}  // namespace bpfxx::object
