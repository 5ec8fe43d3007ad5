// The built-in program-type table and the registry of custom handlers.
#include "object/section_table.h"

#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <memory>
#include <new>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace bpfxx::object {
namespace {

// One built-in row. Built-in rows carry no handler id, cookie or callbacks.
constexpr SectionDef row(const char* sec, bpf_prog_type type, bpf_attach_type attach,
                         uint32_t flags, AttachKind kind = AttachKind::kNone) {
  return SectionDef{sec, type, attach, flags, kind, 0, 0, nullptr, nullptr, nullptr};
}

// The "no expected attach type" value: the kernel reads 0 as "unset" for
// the program types that do not use it.
constexpr auto kNoAttach = static_cast<bpf_attach_type>(0);

// Lookup order matters wherever one pattern could match what a later row is
// meant for: exact rows such as "sk_reuseport/migrate", "tc/ingress" or
// "xdp.frags/devmap" come before the shorter row they start with; "type+"
// rows never match across a '.' ("kprobe+" does not take "kprobe.multi"), so
// their relative order is free.
constexpr SectionDef kBuiltin[] = {
    row("socket", BPF_PROG_TYPE_SOCKET_FILTER, kNoAttach, kNone),
    row("sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE,
        kAttachable),
    row("sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, kAttachable),

    // kprobe-type programs.
    row("kprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kKprobe),
    row("uprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kUprobe),
    row("uprobe.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, kSleepable, AttachKind::kUprobe),
    row("kretprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kKprobe),
    row("uretprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kUprobe),
    row("uretprobe.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, kSleepable, AttachKind::kUprobe),
    row("kprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, kNone,
        AttachKind::kKprobeMulti),
    row("kretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, kNone,
        AttachKind::kKprobeMulti),
    row("kprobe.session+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_SESSION, kNone,
        AttachKind::kKprobeSession),
    row("uprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, kNone,
        AttachKind::kUprobeMulti),
    row("uretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, kNone,
        AttachKind::kUprobeMulti),
    row("uprobe.session+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_SESSION, kNone,
        AttachKind::kUprobeSession),
    row("uprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, kSleepable,
        AttachKind::kUprobeMulti),
    row("uretprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, kSleepable,
        AttachKind::kUprobeMulti),
    row("uprobe.session.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_SESSION, kSleepable,
        AttachKind::kUprobeSession),
    row("ksyscall+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kKsyscall),
    row("kretsyscall+", BPF_PROG_TYPE_KPROBE, kNoAttach, kNone, AttachKind::kKsyscall),
    row("usdt+", BPF_PROG_TYPE_KPROBE, kNoAttach, kUsdt, AttachKind::kUsdt),
    row("usdt.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, kUsdt | kSleepable, AttachKind::kUsdt),

    // Traffic control: tcx and netkit links, and the legacy tc names.
    row("tc/ingress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS, kNone),
    row("tc/egress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_EGRESS, kNone),
    row("tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS, kNone),
    row("tcx/egress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_EGRESS, kNone),
    row("tc", BPF_PROG_TYPE_SCHED_CLS, kNoAttach, kNone),
    row("classifier", BPF_PROG_TYPE_SCHED_CLS, kNoAttach, kNone),
    row("action", BPF_PROG_TYPE_SCHED_ACT, kNoAttach, kNone),
    row("netkit/primary", BPF_PROG_TYPE_SCHED_CLS, BPF_NETKIT_PRIMARY, kNone),
    row("netkit/peer", BPF_PROG_TYPE_SCHED_CLS, BPF_NETKIT_PEER, kNone),

    // Tracepoints.
    row("tracepoint+", BPF_PROG_TYPE_TRACEPOINT, kNoAttach, kNone, AttachKind::kTracepoint),
    row("tp+", BPF_PROG_TYPE_TRACEPOINT, kNoAttach, kNone, AttachKind::kTracepoint),
    row("raw_tracepoint+", BPF_PROG_TYPE_RAW_TRACEPOINT, kNoAttach, kNone,
        AttachKind::kRawTracepoint),
    row("raw_tp+", BPF_PROG_TYPE_RAW_TRACEPOINT, kNoAttach, kNone, AttachKind::kRawTracepoint),
    row("raw_tracepoint.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, kNoAttach, kNone,
        AttachKind::kRawTracepoint),
    row("raw_tp.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, kNoAttach, kNone,
        AttachKind::kRawTracepoint),

    // BTF-id tracing (trampolines).
    row("tp_btf+", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, kAttachBtf, AttachKind::kTrace),
    row("fentry+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, kAttachBtf, AttachKind::kTrace),
    row("fmod_ret+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, kAttachBtf, AttachKind::kTrace),
    row("fexit+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, kAttachBtf, AttachKind::kTrace),
    row("fentry.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, kAttachBtf | kSleepable,
        AttachKind::kTrace),
    row("fmod_ret.s+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, kAttachBtf | kSleepable,
        AttachKind::kTrace),
    row("fexit.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, kAttachBtf | kSleepable,
        AttachKind::kTrace),
    row("fsession+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION, kAttachBtf, AttachKind::kTrace),
    row("fsession.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION, kAttachBtf | kSleepable,
        AttachKind::kTrace),
    row("fentry.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY_MULTI, kAttachBtfMulti,
        AttachKind::kTracingMulti),
    row("fexit.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT_MULTI, kAttachBtfMulti,
        AttachKind::kTracingMulti),
    row("fsession.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION_MULTI, kAttachBtfMulti,
        AttachKind::kTracingMulti),
    row("fentry.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY_MULTI,
        kAttachBtfMulti | kSleepable, AttachKind::kTracingMulti),
    row("fexit.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT_MULTI,
        kAttachBtfMulti | kSleepable, AttachKind::kTracingMulti),
    row("fsession.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION_MULTI,
        kAttachBtfMulti | kSleepable, AttachKind::kTracingMulti),
    row("freplace+", BPF_PROG_TYPE_EXT, kNoAttach, kAttachBtf, AttachKind::kTrace),
    row("lsm+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, kAttachBtf, AttachKind::kLsm),
    row("lsm.s+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, kAttachBtf | kSleepable, AttachKind::kLsm),
    row("lsm_cgroup+", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, kAttachBtf),
    row("iter+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, kAttachBtf, AttachKind::kIter),
    row("iter.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, kAttachBtf | kSleepable,
        AttachKind::kIter),
    row("syscall", BPF_PROG_TYPE_SYSCALL, kNoAttach, kSleepable),

    // XDP.
    row("xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, kXdpFrags),
    row("xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, kAttachable),
    row("xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, kXdpFrags),
    row("xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, kAttachable),
    row("xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, kXdpFrags),
    row("xdp", BPF_PROG_TYPE_XDP, BPF_XDP, kAttachableOpt),

    row("perf_event", BPF_PROG_TYPE_PERF_EVENT, kNoAttach, kNone),
    row("lwt_in", BPF_PROG_TYPE_LWT_IN, kNoAttach, kNone),
    row("lwt_out", BPF_PROG_TYPE_LWT_OUT, kNoAttach, kNone),
    row("lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, kNoAttach, kNone),
    row("lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, kNoAttach, kNone),

    // Sockets, sockmap, cgroups.
    row("sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, kAttachableOpt),
    row("sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, kAttachableOpt),
    row("sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT,
        kAttachableOpt),
    row("sk_skb/verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_VERDICT, kAttachableOpt),
    row("sk_skb", BPF_PROG_TYPE_SK_SKB, kNoAttach, kNone),
    row("sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, kAttachableOpt),
    row("lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, kAttachableOpt),
    row("flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, kAttachableOpt),
    row("cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, kAttachableOpt),
    row("cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, kAttachableOpt),
    row("cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, kNoAttach, kNone),
    row("cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, kAttachable),
    row("cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE,
        kAttachable),
    row("cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, kAttachableOpt),
    row("cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, kAttachable),
    row("cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, kAttachable),
    row("cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, kAttachable),
    row("cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, kAttachable),
    row("cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, kAttachable),
    row("cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, kAttachable),
    row("cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT,
        kAttachable),
    row("cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, kAttachable),
    row("cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, kAttachable),
    row("cgroup/sendmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG,
        kAttachable),
    row("cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, kAttachable),
    row("cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, kAttachable),
    row("cgroup/recvmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG,
        kAttachable),
    row("cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME,
        kAttachable),
    row("cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME,
        kAttachable),
    row("cgroup/getpeername_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME,
        kAttachable),
    row("cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME,
        kAttachable),
    row("cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME,
        kAttachable),
    row("cgroup/getsockname_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME,
        kAttachable),
    row("cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, kAttachable),
    row("cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, kAttachable),
    row("cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, kAttachable),
    row("cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, kAttachableOpt),

    row("struct_ops+", BPF_PROG_TYPE_STRUCT_OPS, kNoAttach, kNone),
    row("struct_ops.s+", BPF_PROG_TYPE_STRUCT_OPS, kNoAttach, kSleepable),
    row("sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, kAttachable),
    row("netfilter", BPF_PROG_TYPE_NETFILTER, BPF_NETFILTER, kNone),
};

// A custom handler: its row plus the storage of its pattern.
struct CustomEntry {
  std::string pattern;
  SectionDef def{};
};

// A reader-writer lock that lets a waiting writer in before new readers:
// lookups are frequent and short, registrations rare, and a reader-preferring
// lock (glibc's default, behind std::shared_mutex) can keep a registration
// waiting for as long as lookups keep coming.
class RwLock {
 public:
  RwLock() noexcept {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;
  ~RwLock() { pthread_rwlock_destroy(&lock_); }

  void lock() noexcept { pthread_rwlock_wrlock(&lock_); }
  void unlock() noexcept { pthread_rwlock_unlock(&lock_); }
  void lock_shared() noexcept { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() noexcept { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

// The registry. Live handlers are kept in registration order; removed ones
// move to `retired` and stay allocated, so a SectionDef pointer handed out
// earlier never dangles. `any` is true while at least one handler (the
// fallback included) is registered: without custom handlers, the common
// case, a lookup takes no lock at all.
struct Registry {
  RwLock mutex;
  std::atomic<bool> any{false};
  std::vector<std::unique_ptr<CustomEntry>> live;
  std::unique_ptr<CustomEntry> fallback;
  std::vector<std::unique_ptr<CustomEntry>> retired;
  int last_id = 0;
};

Registry& registry() {
  // Never destroyed: lookups may still run from other threads' static
  // destructors at exit.
  static Registry* r = new Registry;
  return *r;
}

}  // namespace

bool section_matches(std::string_view pattern, std::string_view sec_name) noexcept {
  if (pattern.empty()) return false;
  const char last = pattern.back();
  if (last == '/') return sec_name.starts_with(pattern);  // extras are mandatory
  if (last == '+') {
    pattern.remove_suffix(1);
    if (!sec_name.starts_with(pattern)) return false;
    return sec_name.size() == pattern.size() || sec_name[pattern.size()] == '/';
  }
  return sec_name == pattern;
}

std::span<const SectionDef> builtin_section_defs() noexcept { return kBuiltin; }

namespace {

const SectionDef* find_builtin(std::string_view sec_name) noexcept {
  for (const SectionDef& d : kBuiltin)
    if (section_matches(d.sec, sec_name)) return &d;
  return nullptr;
}

void update_any(Registry& r) noexcept {
  r.any.store(!r.live.empty() || r.fallback != nullptr, std::memory_order_release);
}

}  // namespace

const SectionDef* find_section_def(std::string_view sec_name) noexcept {
  Registry& r = registry();
  if (!r.any.load(std::memory_order_acquire)) return find_builtin(sec_name);
  std::shared_lock lock(r.mutex);
  for (const auto& e : r.live)
    if (section_matches(e->pattern, sec_name)) return &e->def;
  if (const SectionDef* d = find_builtin(sec_name)) return d;
  if (r.fallback) return &r.fallback->def;
  return nullptr;
}

std::string_view section_extras(std::string_view sec_name) noexcept {
  const size_t slash = sec_name.find('/');
  if (slash == std::string_view::npos) return {};
  return sec_name.substr(slash + 1);
}

std::string supported_section_names(bool attachable_only) {
  std::string out;
  for (const SectionDef& d : kBuiltin) {
    if (attachable_only && !d.has(kAttachable)) continue;
    if (!out.empty()) out += ' ';
    out += d.sec;
  }
  return out;
}

namespace {
int add_handler(const char* sec, bpf_prog_type prog_type, bpf_attach_type exp_attach_type,
                long cookie, libbpf_prog_setup_fn_t setup_fn,
                libbpf_prog_prepare_load_fn_t prepare_load_fn, libbpf_prog_attach_fn_t attach_fn);
}  // namespace

int register_handler(const char* sec, bpf_prog_type prog_type, bpf_attach_type exp_attach_type,
                     long cookie, libbpf_prog_setup_fn_t setup_fn,
                     libbpf_prog_prepare_load_fn_t prepare_load_fn,
                     libbpf_prog_attach_fn_t attach_fn) noexcept {
  // An empty pattern could never match anything: surely a mistake.
  if (sec && !*sec) return -EINVAL;
  try {
    return add_handler(sec, prog_type, exp_attach_type, cookie, setup_fn, prepare_load_fn,
                       attach_fn);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  }
}

namespace {

int add_handler(const char* sec, bpf_prog_type prog_type, bpf_attach_type exp_attach_type,
                long cookie, libbpf_prog_setup_fn_t setup_fn,
                libbpf_prog_prepare_load_fn_t prepare_load_fn,
                libbpf_prog_attach_fn_t attach_fn) {
  auto entry = std::make_unique<CustomEntry>();
  if (sec) entry->pattern = sec;

  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  if (!sec && r.fallback) return -EBUSY;
  const size_t count = r.live.size() + (r.fallback ? 1 : 0);
  if (count >= static_cast<size_t>(kMaxCustomHandlers) || r.last_id == INT_MAX) return -E2BIG;

  SectionDef& d = entry->def;
  d.sec = sec ? entry->pattern.c_str() : nullptr;
  d.prog_type = prog_type;
  d.expected_attach_type = exp_attach_type;
  d.flags = kNone;
  d.attach = AttachKind::kNone;
  d.handler_id = ++r.last_id;
  d.cookie = cookie;
  d.prog_setup_fn = setup_fn;
  d.prog_prepare_load_fn = prepare_load_fn;
  d.prog_attach_fn = attach_fn;
  const int id = d.handler_id;
  if (sec)
    r.live.push_back(std::move(entry));
  else
    r.fallback = std::move(entry);
  update_any(r);
  return id;
}

}  // namespace

int unregister_handler(int handler_id) noexcept {
  if (handler_id <= 0) return -EINVAL;
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  try {
    if (r.fallback && r.fallback->def.handler_id == handler_id) {
      r.retired.push_back(std::move(r.fallback));
      update_any(r);
      return 0;
    }
    for (auto it = r.live.begin(); it != r.live.end(); ++it) {
      if ((*it)->def.handler_id != handler_id) continue;
      r.retired.push_back(std::move(*it));  // leaves *it untouched if it throws
      r.live.erase(it);
      update_any(r);
      return 0;
    }
  } catch (...) {
    return -ENOMEM;
  }
  return -ENOENT;
}

}  // namespace bpfxx::object
