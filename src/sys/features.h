// What the running kernel supports, probed once per process and cached.
//
// Each feature is probed lazily, on the first question about it, by a tiny
// map / program / BTF blob / command built for that purpose; the answer is
// kept for the life of the process (or of the FeatureCache), and a second
// question does no system call. Thread-safe: concurrent first questions wait
// for one probe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace bpfxx::sys {

enum class Feature : uint8_t {
  ProgName,          // BPF_PROG_LOAD takes prog_name (4.15)
  GlobalData,        // array map + BPF_PSEUDO_MAP_VALUE ld_imm64 (5.2)
  Btf,               // BPF_BTF_LOAD of a minimal blob (4.18)
  BtfFunc,           // BTF_KIND_FUNC / FUNC_PROTO (5.0)
  BtfGlobalFunc,     // BTF_FUNC_GLOBAL linkage (5.6)
  BtfDatasec,        // BTF_KIND_VAR / DATASEC (5.2)
  BtfQmarkDatasec,   // DATASEC named "?.data..." (6.8)
  BtfFloat,          // BTF_KIND_FLOAT (5.13)
  BtfDeclTag,        // BTF_KIND_DECL_TAG (5.16)
  BtfTypeTag,        // BTF_KIND_TYPE_TAG (5.17)
  BtfEnum64,         // BTF_KIND_ENUM64 (6.0)
  ArrayMmap,         // BPF_F_MMAPABLE array maps (5.5)
  ExpAttachType,     // expected_attach_type in BPF_PROG_LOAD (4.17)
  ProbeReadKernel,   // bpf_probe_read_kernel() helper (5.5)
  ProgBindMap,       // BPF_PROG_BIND_MAP (5.10)
  ModuleBtf,         // module BTF: bpf_btf_info carries a name (5.11)
  BpfLink,           // BPF_LINK_CREATE (5.7)
  PerfLink,          // BPF_LINK_CREATE for perf events (5.15)
  BpfCookie,         // bpf_get_attach_cookie() helper (5.15)
  SyscallWrapper,    // syscalls are __<arch>_sys_* (CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
  MemcgAccount,      // maps charged to the memcg, not RLIMIT_MEMLOCK (5.11)
  KprobeMultiLink,   // BPF_TRACE_KPROBE_MULTI links (5.18, needs fprobe)
  UprobeMultiLink,   // BPF_TRACE_UPROBE_MULTI links with process filtering (6.6)
  Token,             // BPF_TOKEN_CREATE (6.9)
  StreamRead,        // BPF_PROG_STREAM_READ_BY_FD (6.17)
  AssocStructOps,    // BPF_PROG_ASSOC_STRUCT_OPS
  ArgCtxTag,         // "arg:ctx" decl tag on global function arguments (6.8)
  ArenaMap,          // BPF_MAP_TYPE_ARENA (6.9)
  CommonAttrs,       // BPF_COMMON_ATTRS: a log for any command (bpf-next)
  ProgLogTrueSize,   // BPF_PROG_LOAD reports log_true_size; rotating logs, BPF_LOG_FIXED (6.4)
  BtfLogTrueSize,    // BPF_BTF_LOAD reports btf_log_true_size (6.4)
  ObjPathFd,         // BPF_F_PATH_FD / path_fd for BPF_OBJ_PIN and BPF_OBJ_GET (6.5)
  QueryLinkIds,      // BPF_PROG_QUERY takes link_ids (6.6)
  RawTpCookie,       // BPF_RAW_TRACEPOINT_OPEN takes a cookie (6.10)
  Trampoline,        // fentry/fexit/fmod_ret/lsm on kernel functions load (BPF trampolines)
  Ldimm64FullRangeOff,  // BPF_PSEUDO_MAP_VALUE offsets of 512 MiB and more (after 6.18)
};

inline constexpr std::size_t kFeatureCount = static_cast<std::size_t>(Feature::Ldimm64FullRangeOff) + 1;

// Short identifier ("global_data"), for tools and JSON; nullptr if unknown.
const char* feature_name(Feature feature) noexcept;
// One line for people ("global variables (.data/.bss/.rodata)"); nullptr if unknown.
const char* feature_description(Feature feature) noexcept;

// A set of cached answers. The process-wide one (global_features()) serves
// has_feature(); a loader working under a BPF token keeps its own, probing
// with the token as its commands will run with it.
class FeatureCache {
 public:
  // token_fd: a BPF token to pass with every probe command, or -1. The cache
  // does not own it; it must stay open while probes may run.
  explicit FeatureCache(int token_fd = -1) noexcept : token_fd_(token_fd) {}
  FeatureCache(const FeatureCache&) = delete;
  FeatureCache& operator=(const FeatureCache&) = delete;

  // Probes on the first call for this feature, then answers from the cache.
  bool has(Feature feature) noexcept;

 private:
  enum State : uint8_t { kUnknown = 0, kSupported, kMissing };

  int token_fd_;
  std::array<std::atomic<uint8_t>, kFeatureCount> state_{};
  // One per feature: two threads asking about the same unknown feature must
  // not both probe it, while different features may be probed in parallel.
  std::array<std::mutex, kFeatureCount> probe_mutex_;
};

FeatureCache& global_features() noexcept;

// Shorthand for global_features().has(feature).
bool has_feature(Feature feature) noexcept;

// "__x64_" and the like: the prefix the running kernel puts on its syscall
// entry points (for ksyscall probes), or nullptr when it uses plain sys_*
// names or the architecture is not one we know.
const char* syscall_prefix() noexcept;

// The prefix this architecture would use, whatever the kernel does; nullptr
// when unknown.
const char* arch_syscall_prefix() noexcept;

}  // namespace bpfxx::sys
