// Probes of bpf(2) commands and link kinds. A command the kernel does not
// know fails with EINVAL before looking at its arguments, while a known one
// given a descriptor of -1 fails with EBADF when it looks the descriptor up:
// so each probe passes fds of -1 and takes EBADF as "the command exists".
#include "sys/feature_probes.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"

#include <cerrno>
#include <cstring>

namespace bpfxx::sys::detail {
namespace {

using probe::Fd;
namespace insn = probe::insn;

constexpr uint32_t kNoFd = static_cast<uint32_t>(-1);
constexpr bpf_insn kReturnZero[] = {insn::mov64_imm(BPF_REG_0, 0), insn::exit()};

// Runs cmd; 1 if the kernel answered EBADF, 0 otherwise (EINVAL for an
// unknown command, or anything else).
int answers_ebadf(int cmd, union bpf_attr& attr, unsigned size, const char* what) {
  long rc = bpf(cmd, &attr, size);
  if (rc >= 0) {
    // Should not happen with fds of -1; do not leak whatever it created.
    kernel().close(static_cast<int>(rc));
    BPFXX_DEBUG("feature probe: %s unexpectedly succeeded\n", what);
    return 1;
  }
  BPFXX_DEBUG("feature probe: %s with bad fds: %s\n", what, std::strerror(static_cast<int>(-rc)));
  return rc == -EBADF ? 1 : 0;
}

Fd load_kprobe(const Context& ctx, uint32_t expected_attach_type, const char* what) {
  probe::ProgSpec spec;
  spec.type = BPF_PROG_TYPE_KPROBE;
  spec.expected_attach_type = expected_attach_type;
  spec.insns = kReturnZero;
  Fd fd = probe::load_prog(spec, ctx);
  if (!fd.valid()) BPFXX_DEBUG("feature probe: %s program rejected: %s\n", what, std::strerror(-fd.error()));
  return fd;
}

// BPF_LINK_CREATE; returns -errno, or 0 after closing an unexpected link.
long link_create(union bpf_attr& attr) {
  long rc = bpf(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create));
  if (rc >= 0) {
    kernel().close(static_cast<int>(rc));
    return 0;
  }
  return rc;
}

}  // namespace

int probe_bpf_link(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = kNoFd;
  attr.link_create.target_fd = kNoFd;
  return answers_ebadf(BPF_LINK_CREATE, attr, BPFXX_ATTR_SIZE(link_create), "BPF_LINK_CREATE");
}

int probe_perf_link(const Context& ctx) {
  // A real program, so the kernel gets as far as the perf event fd.
  probe::ProgSpec spec;
  spec.type = BPF_PROG_TYPE_TRACEPOINT;
  spec.insns = kReturnZero;
  Fd prog = probe::load_prog(spec, ctx);
  if (!prog.valid()) return prog.error();
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = static_cast<uint32_t>(prog.get());
  attr.link_create.target_fd = kNoFd;
  attr.link_create.attach_type = BPF_PERF_EVENT;
  return answers_ebadf(BPF_LINK_CREATE, attr, BPFXX_ATTR_SIZE(link_create), "perf_event link");
}

int probe_kprobe_multi_link(const Context& ctx) {
  Fd prog = load_kprobe(ctx, BPF_TRACE_KPROBE_MULTI, "kprobe.multi");
  if (!prog.valid()) return 0;
  // A symbol that cannot exist: a kernel with multi-kprobes looks it up and
  // fails with ESRCH/ENOENT; one built without them says EOPNOTSUPP, one
  // older than them EINVAL.
  static const char* const kSymbols[] = {"bpfxx_probe_no_such_function"};
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = static_cast<uint32_t>(prog.get());
  attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
  attr.link_create.kprobe_multi.cnt = 1;
  attr.link_create.kprobe_multi.syms = reinterpret_cast<uintptr_t>(kSymbols);
  long rc = link_create(attr);
  BPFXX_DEBUG("feature probe: kprobe.multi link on a missing symbol: %s\n",
              rc == 0 ? "created" : std::strerror(static_cast<int>(-rc)));
  return rc == 0 || rc == -ESRCH || rc == -ENOENT ? 1 : 0;
}

int probe_uprobe_multi_link(const Context& ctx) {
  Fd prog = load_kprobe(ctx, BPF_TRACE_UPROBE_MULTI, "uprobe.multi");
  if (!prog.valid()) return 0;
  // "/" is no executable: a kernel with multi-uprobes fails on it with EBADF.
  uint64_t offset = 0;
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = static_cast<uint32_t>(prog.get());
  attr.link_create.target_fd = kNoFd;
  attr.link_create.attach_type = BPF_TRACE_UPROBE_MULTI;
  attr.link_create.uprobe_multi.path = reinterpret_cast<uintptr_t>("/");
  attr.link_create.uprobe_multi.offsets = reinterpret_cast<uintptr_t>(&offset);
  attr.link_create.uprobe_multi.cnt = 1;
  long rc = link_create(attr);
  if (rc != -EBADF) {
    BPFXX_DEBUG("feature probe: uprobe.multi link on '/': %s\n",
                rc == 0 ? "created" : std::strerror(static_cast<int>(-rc)));
    return 0;
  }
  // The first kernels with multi-uprobes filtered by thread, not process;
  // the fixed ones reject pid -1 up front with EINVAL, before the path.
  // The loader picks multi-uprobes for USDTs before it knows whether a pid
  // filter will be used, so only the fixed kernels count.
  attr.link_create.uprobe_multi.pid = static_cast<uint32_t>(-1);
  rc = link_create(attr);
  BPFXX_DEBUG("feature probe: uprobe.multi link with pid -1: %s\n",
              rc == 0 ? "created" : std::strerror(static_cast<int>(-rc)));
  return rc == -EINVAL ? 1 : 0;
}

int probe_token(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.token_create.bpffs_fd = kNoFd;
  return answers_ebadf(BPF_TOKEN_CREATE, attr, BPFXX_ATTR_SIZE(token_create), "BPF_TOKEN_CREATE");
}

int probe_stream_read(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_stream_read.prog_fd = kNoFd;
  attr.prog_stream_read.stream_id = BPF_STREAM_STDERR;
  return answers_ebadf(BPF_PROG_STREAM_READ_BY_FD, attr, BPFXX_ATTR_SIZE(prog_stream_read),
                       "BPF_PROG_STREAM_READ_BY_FD");
}

int probe_assoc_struct_ops(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_assoc_struct_ops.map_fd = kNoFd;
  attr.prog_assoc_struct_ops.prog_fd = kNoFd;
  return answers_ebadf(BPF_PROG_ASSOC_STRUCT_OPS, attr, BPFXX_ATTR_SIZE(prog_assoc_struct_ops),
                       "BPF_PROG_ASSOC_STRUCT_OPS");
}

// A kernel that knows raw_tracepoint.cookie (6.10) looks the program fd up
// and says EBADF; an older one refuses the unknown non-zero field first.
int probe_raw_tp_cookie(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.raw_tracepoint.prog_fd = kNoFd;
  attr.raw_tracepoint.cookie = 1;
  return answers_ebadf(BPF_RAW_TRACEPOINT_OPEN, attr, BPFXX_ATTR_SIZE(raw_tracepoint),
                       "BPF_RAW_TRACEPOINT_OPEN with a cookie");
}

// BPF_F_PATH_FD (6.5): a relative name under a path_fd of -1 fails the
// lookup with EBADF; an older kernel refuses the unknown flag with EINVAL.
int probe_obj_path_fd(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.pathname = reinterpret_cast<uintptr_t>("bpfxx_probe_no_such_pin");
  attr.file_flags = BPF_F_PATH_FD;
  attr.path_fd = -1;
  return answers_ebadf(BPF_OBJ_GET, attr, BPFXX_ATTR_SIZE(path_fd), "BPF_OBJ_GET with BPF_F_PATH_FD");
}

// query.link_ids (6.6): a kernel that knows it goes on to look the cgroup
// fd up (EBADF); an older one refuses the unknown non-zero field.
int probe_query_link_ids(const Context&) {
  uint32_t ids[1] = {};
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = kNoFd;
  attr.query.attach_type = BPF_CGROUP_INET_INGRESS;
  attr.query.prog_ids = reinterpret_cast<uintptr_t>(ids);
  attr.query.link_ids = reinterpret_cast<uintptr_t>(ids);
  attr.query.count = 1;
  return answers_ebadf(BPF_PROG_QUERY, attr, BPFXX_ATTR_SIZE(query), "BPF_PROG_QUERY with link_ids");
}

// A kernel without BPF_COMMON_ATTRS sees an unknown command (EINVAL); one
// with it creates this ordinary array map.
int probe_common_attrs(const Context&) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  struct bpf_common_attr common;
  std::memset(&common, 0, sizeof(common));
  int fd = bpf_common_fd(BPF_MAP_CREATE, &attr, BPFXX_ATTR_SIZE(max_entries), &common);
  if (fd >= 0) {
    kernel().close(fd);
    return 1;
  }
  BPFXX_DEBUG("feature probe: BPF_COMMON_ATTRS map create: %s\n", std::strerror(-fd));
  return 0;
}

}  // namespace bpfxx::sys::detail
