#include "sys/features.h"

#include "base/log.h"
#include "sys/feature_probes.h"

#include <cerrno>
#include <cstring>
#include <iterator>
#include <new>

namespace bpfxx::sys {
namespace detail {
int probe_trampoline(const probe::Context& ctx);  // probe_trampoline.cpp
}  // namespace detail
namespace {

using ProbeFn = int (*)(const probe::Context&);

struct FeatureInfo {
  Feature feature;
  const char* name;
  const char* description;
  ProbeFn probe;
};

// In enum order (checked below), so the table is indexed by the enum value.
constexpr FeatureInfo kFeatures[] = {
    {Feature::ProgName, "prog_name", "BPF program names", detail::probe_prog_name},
    {Feature::GlobalData, "global_data", "global variables (direct map value access)",
     detail::probe_global_data},
    {Feature::Btf, "btf", "minimal BTF", detail::probe_btf},
    {Feature::BtfFunc, "btf_func", "BTF functions", detail::probe_btf_func},
    {Feature::BtfGlobalFunc, "btf_global_func", "BTF global function linkage", detail::probe_btf_global_func},
    {Feature::BtfDatasec, "btf_datasec", "BTF variables and data sections", detail::probe_btf_datasec},
    {Feature::BtfQmarkDatasec, "btf_qmark_datasec", "BTF data sections named '?...'",
     detail::probe_btf_qmark_datasec},
    {Feature::BtfFloat, "btf_float", "BTF_KIND_FLOAT", detail::probe_btf_float},
    {Feature::BtfDeclTag, "btf_decl_tag", "BTF_KIND_DECL_TAG", detail::probe_btf_decl_tag},
    {Feature::BtfTypeTag, "btf_type_tag", "BTF_KIND_TYPE_TAG", detail::probe_btf_type_tag},
    {Feature::BtfEnum64, "btf_enum64", "BTF_KIND_ENUM64", detail::probe_btf_enum64},
    {Feature::ArrayMmap, "array_mmap", "mmap() of array maps (BPF_F_MMAPABLE)", detail::probe_array_mmap},
    {Feature::ExpAttachType, "exp_attach_type", "expected_attach_type in BPF_PROG_LOAD",
     detail::probe_exp_attach_type},
    {Feature::ProbeReadKernel, "probe_read_kernel", "bpf_probe_read_kernel() helper",
     detail::probe_probe_read_kernel},
    {Feature::ProgBindMap, "prog_bind_map", "BPF_PROG_BIND_MAP", detail::probe_prog_bind_map},
    {Feature::ModuleBtf, "module_btf", "kernel module BTF", detail::probe_module_btf},
    {Feature::BpfLink, "bpf_link", "BPF links (BPF_LINK_CREATE)", detail::probe_bpf_link},
    {Feature::PerfLink, "perf_link", "BPF links for perf events", detail::probe_perf_link},
    {Feature::BpfCookie, "bpf_cookie", "BPF cookies (bpf_get_attach_cookie())", detail::probe_bpf_cookie},
    {Feature::SyscallWrapper, "syscall_wrapper", "syscall entry points with an architecture prefix",
     detail::probe_syscall_wrapper},
    {Feature::MemcgAccount, "memcg_account", "memcg-based accounting of BPF memory",
     detail::probe_memcg_account},
    {Feature::KprobeMultiLink, "kprobe_multi_link", "multi-kprobe links", detail::probe_kprobe_multi_link},
    {Feature::UprobeMultiLink, "uprobe_multi_link", "multi-uprobe links", detail::probe_uprobe_multi_link},
    {Feature::Token, "token", "BPF tokens (BPF_TOKEN_CREATE)", detail::probe_token},
    {Feature::StreamRead, "stream_read", "BPF program streams (BPF_PROG_STREAM_READ_BY_FD)",
     detail::probe_stream_read},
    {Feature::AssocStructOps, "assoc_struct_ops",
     "program to struct_ops association (BPF_PROG_ASSOC_STRUCT_OPS)", detail::probe_assoc_struct_ops},
    {Feature::ArgCtxTag, "arg_ctx_tag", "arg:ctx tags on global function arguments",
     detail::probe_arg_ctx_tag},
    {Feature::ArenaMap, "arena_map", "BPF arena maps", detail::probe_arena_map},
    {Feature::CommonAttrs, "common_attrs", "attributes common to all commands (BPF_COMMON_ATTRS)",
     detail::probe_common_attrs},
    {Feature::ProgLogTrueSize, "prog_log_true_size",
     "verifier logs with log_true_size (rotating logs, BPF_LOG_FIXED, any buffer size)",
     detail::probe_prog_log_true_size},
    {Feature::BtfLogTrueSize, "btf_log_true_size", "BTF load logs with btf_log_true_size",
     detail::probe_btf_log_true_size},
    {Feature::ObjPathFd, "obj_path_fd", "pinning relative to a directory fd (BPF_F_PATH_FD)",
     detail::probe_obj_path_fd},
    {Feature::QueryLinkIds, "query_link_ids", "link ids in BPF_PROG_QUERY", detail::probe_query_link_ids},
    {Feature::RawTpCookie, "raw_tp_cookie", "BPF cookies on raw tracepoints", detail::probe_raw_tp_cookie},
    {Feature::Trampoline, "trampoline", "fentry/fexit/fmod_ret/lsm programs on kernel functions (BPF trampolines)",
     detail::probe_trampoline},
    {Feature::Ldimm64FullRangeOff, "ldimm64_full_range_off",
     "direct map value offsets past 512 MiB (arena globals at the arena's end)", detail::probe_ldimm64_full_range_off},
};

static_assert(std::size(kFeatures) == kFeatureCount, "one table entry per Feature");

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < std::size(kFeatures); i++) {
    if (static_cast<std::size_t>(kFeatures[i].feature) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "kFeatures must list features in enum order");

const FeatureInfo* info(Feature feature) noexcept {
  auto i = static_cast<std::size_t>(feature);
  return i < std::size(kFeatures) ? &kFeatures[i] : nullptr;
}

}  // namespace

const char* feature_name(Feature feature) noexcept {
  const FeatureInfo* fi = info(feature);
  return fi != nullptr ? fi->name : nullptr;
}

const char* feature_description(Feature feature) noexcept {
  const FeatureInfo* fi = info(feature);
  return fi != nullptr ? fi->description : nullptr;
}

bool FeatureCache::has(Feature feature) noexcept {
  const FeatureInfo* fi = info(feature);
  if (fi == nullptr) return false;
  std::atomic<uint8_t>& slot = state_[static_cast<std::size_t>(feature)];
  uint8_t state = slot.load(std::memory_order_acquire);
  if (state != kUnknown) return state == kSupported;

  std::lock_guard<std::mutex> lock(probe_mutex_[static_cast<std::size_t>(feature)]);
  // Another thread may have probed it while this one waited.
  state = slot.load(std::memory_order_relaxed);
  if (state != kUnknown) return state == kSupported;

  int saved_errno = errno;
  int result;
  try {
    result = fi->probe(probe::Context{token_fd_});
  } catch (const std::bad_alloc&) {
    result = -ENOMEM;
  } catch (...) {
    result = -EINVAL;
  }
  errno = saved_errno;
  if (result < 0) {
    BPFXX_WARN("detection of kernel support for %s failed: %s\n", fi->description, std::strerror(-result));
  } else {
    BPFXX_DEBUG("kernel feature %s: %s\n", fi->name, result > 0 ? "supported" : "missing");
  }
  state = result > 0 ? kSupported : kMissing;
  slot.store(state, std::memory_order_release);
  return state == kSupported;
}

FeatureCache& global_features() noexcept {
  static FeatureCache cache;
  return cache;
}

bool has_feature(Feature feature) noexcept { return global_features().has(feature); }

const char* syscall_prefix() noexcept {
  return has_feature(Feature::SyscallWrapper) ? arch_syscall_prefix() : nullptr;
}

}  // namespace bpfxx::sys
