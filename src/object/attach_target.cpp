// Resolving BTF attach targets: vmlinux, module BTFs, or a BPF program's BTF.
#include "object/attach_target.h"

#include "base/log.h"
#include "btf/load.h"
#include "btf/module_cache.h"
#include "object/object.h"
#include "object/section_table.h"
#include "sys/features.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>
#include <fnmatch.h>
#include <vector>

namespace bpfxx::object {
namespace {

bool is_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// Lowest FUNC of b's own types (or all of them, for vmlinux) whose name
// matches the glob; 0 if none. Only multi-function tracing sections name
// patterns; their load needs one matching function to check against.
uint32_t find_func_glob(const ::btf& b, const std::string& pattern) {
  for (uint32_t id = b.start_id(); id < b.type_cnt(); id++) {
    const btf_type* t = b.type_unchecked(id);
    if (BTF_INFO_KIND(t->info) != BTF_KIND_FUNC) continue;
    const char* name = b.str_by_offset(t->name_off);
    if (name != nullptr && ::fnmatch(pattern.c_str(), name, 0) == 0) return id;
  }
  return 0;
}

// id of name/kind in b (own types only), 0 when absent.
uint32_t find_in(const ::btf& b, const KernelTargetName& k, bool glob) {
  if (glob) return k.kind == BTF_KIND_FUNC ? find_func_glob(b, k.name) : 0;
  const int32_t id = b.find_by_name_kind_own(k.name, static_cast<int>(k.kind));
  return id > 0 ? static_cast<uint32_t>(id) : 0;
}

}  // namespace

KernelTargetName kernel_target_name(const std::string& target, uint32_t expected_attach_type) {
  switch (expected_attach_type) {
    case BPF_TRACE_RAW_TP: return {"btf_trace_" + target, BTF_KIND_TYPEDEF};
    case BPF_LSM_MAC:
    case BPF_LSM_CGROUP: return {"bpf_lsm_" + target, BTF_KIND_FUNC};
    case BPF_TRACE_ITER: return {"bpf_iter_" + target, BTF_KIND_FUNC};
    default: return {target, BTF_KIND_FUNC};
  }
}

namespace {

Failure prog_fail(const bpf_program& prog, int err, const std::string& what) {
  BPFXX_WARN("prog '%s': %s\n", prog.name.c_str(), what.c_str());
  return fail(err, "prog '" + prog.name + "': " + what);
}

// A FUNC of the BTF of the program behind attach_prog_fd.
Result<AttachTarget> resolve_in_prog(const bpf_program& prog, const std::string& name) {
  const int pfd = prog.attach_prog_fd;
  if (name.empty())
    return prog_fail(prog, EINVAL,
                     "target program fd " + std::to_string(pfd) +
                         " given without a function name: name it in the section or with "
                         "bpf_program__set_attach_target()");
  bpf_prog_info info{};
  uint32_t len = sizeof info;
  if (const int rc = bpf_prog_get_info_by_fd(pfd, &info, &len); rc != 0)
    return prog_fail(prog, -rc,
                     "cannot get the info of target program fd " + std::to_string(pfd) + ": " +
                         std::strerror(-rc));
  if (info.btf_id == 0)
    return prog_fail(prog, EINVAL,
                     "target program fd " + std::to_string(pfd) +
                         " has no BTF: cannot find function '" + name + "' in it");
  ::btf::Result b = btf::load_from_kernel_by_id(info.btf_id, nullptr);
  if (!b)
    return prog_fail(prog, b.error(),
                     "cannot read the BTF (id " + std::to_string(info.btf_id) +
                         ") of target program fd " + std::to_string(pfd) + ": " +
                         std::strerror(b.error()));
  const int32_t id = (*b)->find_by_name_kind(name, BTF_KIND_FUNC);
  if (id <= 0)
    return prog_fail(prog, ENOENT,
                     "attach target '" + name + "' not found in the BTF of target program fd " +
                         std::to_string(pfd));
  AttachTarget t;
  t.btf_id = static_cast<uint32_t>(id);
  t.attach_prog_fd = pfd;
  return t;
}

Result<AttachTarget> resolve_in_kernel(const bpf_program& prog, const std::string& target) {
  // "module:name" picks the BTF to search.
  std::string module;
  std::string fn = target;
  if (const size_t colon = target.find(':'); colon != std::string::npos) {
    module = target.substr(0, colon);
    fn = target.substr(colon + 1);
  }
  const KernelTargetName k = kernel_target_name(fn, prog.expected_attach_type);
  // Only multi-function sections name patterns; elsewhere '*' is no wildcard.
  const bool glob = prog.sec_def != nullptr && prog.sec_def->has(kAttachBtfMulti) && is_glob(k.name);
  Result<std::shared_ptr<const ::btf>> vml = btf::vmlinux();
  if (!vml)
    return prog_fail(prog, vml.error(),
                     "cannot resolve attach target '" + k.name + "': kernel BTF is not available");
  const ::btf& vmlinux = **vml;
  if (module.empty() || module == "vmlinux") {
    if (const uint32_t id = find_in(vmlinux, k, glob); id != 0) {
      AttachTarget t;
      t.btf_id = id;
      return t;
    }
    if (module == "vmlinux")
      return prog_fail(prog, ESRCH, "attach target '" + k.name + "' not found in vmlinux");
  }

  const int token_fd = prog.obj != nullptr ? prog.obj->token_fd : -1;
  // Kernels before module BTF have only vmlinux to offer.
  std::vector<std::shared_ptr<const btf::ModuleBtf>> mods;
  if (sys::has_feature(sys::Feature::ModuleBtf)) {
    auto listed = btf::ModuleCache::process().loaded(token_fd);
    if (listed) mods = std::move(*listed);
  }
  for (const auto& m : mods) {
    if (!module.empty() && m->name() != module) continue;
    const std::shared_ptr<const ::btf> mb = m->btf();
    if (!mb) continue;
    const uint32_t id = find_in(*mb, k, glob);
    if (id == 0) continue;
    const int fd = btf::open_kernel_btf(m->id(), token_fd);
    if (fd < 0) continue;  // the module went away meanwhile
    AttachTarget t;
    t.btf_id = id;
    t.btf_obj_fd = fd;
    BPFXX_DEBUG("prog '%s': attach target '%s' is [%u] in module '%s'\n", prog.name.c_str(),
                k.name.c_str(), id, m->name().c_str());
    return t;
  }
  if (!module.empty())
    return prog_fail(prog, ESRCH,
                     "attach target '" + k.name + "' not found in module '" + module + "'" +
                         " (is the module loaded, with BTF?)");
  return prog_fail(prog, ESRCH, "attach target '" + k.name + "' not found in vmlinux or modules");
}

}  // namespace

Result<AttachTarget> resolve_attach_target(const bpf_program& prog) {
  std::string name = prog.attach_func_name;
  if (name.empty()) name = std::string(section_extras(prog.sec_name));
  if (prog.attach_prog_fd > 0) return resolve_in_prog(prog, name);
  if (prog.type == BPF_PROG_TYPE_EXT)
    return prog_fail(prog, EINVAL,
                     "freplace needs the target program's fd: call bpf_program__set_attach_target()");
  if (name.empty())
    return prog_fail(prog, EINVAL,
                     "no BTF attach target: name it in the section (\"" + prog.sec_name +
                         "/<function>\") or call bpf_program__set_attach_target()");
  return resolve_in_kernel(prog, name);
}

}  // namespace bpfxx::object
