// Attaching without links: BPF_PROG_ATTACH / DETACH / QUERY, raw
// tracepoints, and asking which program sits behind a task's fd.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"

#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

// BPF_PROG_ATTACH and BPF_PROG_DETACH name the program, the target and an
// optional anchor program the same way; only attach can replace a program.
template <class Opts>
int attach_command(int cmd, int prog_fd, int target, enum bpf_attach_type type, const Opts* opts, int replace_fd) {
  __u32 relative_id = BPFXX_OPTS_GET(opts, relative_id, 0);
  int relative_fd = BPFXX_OPTS_GET(opts, relative_fd, 0);
  __u32 flags = BPFXX_OPTS_GET(opts, flags, 0);
  // An anchor program is named by fd or by id, never both.
  if (relative_fd != 0 && relative_id != 0) return err(-EINVAL);

  const unsigned int attr_size = BPFXX_ATTR_SIZE(expected_revision);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.target_fd = static_cast<__u32>(target);
  attr.attach_bpf_fd = static_cast<__u32>(prog_fd);
  attr.attach_type = type;
  if (relative_id != 0) {
    attr.relative_id = relative_id;
    flags |= BPF_F_ID;
  } else {
    attr.relative_fd = static_cast<__u32>(relative_fd);
  }
  attr.attach_flags = flags;
  attr.replace_bpf_fd = static_cast<__u32>(replace_fd);
  attr.expected_revision = BPFXX_OPTS_GET(opts, expected_revision, 0);
  return err(static_cast<int>(sys::bpf(cmd, &attr, attr_size)));
}

}  // namespace

extern "C" {

int bpf_prog_attach_opts(int prog_fd, int target, enum bpf_attach_type type,
                         const struct bpf_prog_attach_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_attach_opts)) return err(-EINVAL);
  return attach_command(BPF_PROG_ATTACH, prog_fd, target, type, opts, BPFXX_OPTS_GET(opts, replace_fd, 0));
}

int bpf_prog_attach(int prog_fd, int attachable_fd, enum bpf_attach_type type, unsigned int flags) {
  LIBBPF_OPTS(bpf_prog_attach_opts, opts);
  opts.flags = flags;
  return bpf_prog_attach_opts(prog_fd, attachable_fd, type, &opts);
}

int bpf_prog_detach_opts(int prog_fd, int target, enum bpf_attach_type type,
                         const struct bpf_prog_detach_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_detach_opts)) return err(-EINVAL);
  return attach_command(BPF_PROG_DETACH, prog_fd, target, type, opts, 0);
}

int bpf_prog_detach(int attachable_fd, enum bpf_attach_type type) {
  return bpf_prog_detach_opts(0, attachable_fd, type, nullptr);
}

int bpf_prog_detach2(int prog_fd, int attachable_fd, enum bpf_attach_type type) {
  return bpf_prog_detach_opts(prog_fd, attachable_fd, type, nullptr);
}

int bpf_prog_query_opts(int target, enum bpf_attach_type type, struct bpf_prog_query_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_query_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(query);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.query.target_fd = static_cast<__u32>(target);
  attr.query.attach_type = type;
  attr.query.query_flags = BPFXX_OPTS_GET(opts, query_flags, 0);
  attr.query.count = BPFXX_OPTS_GET(opts, count, 0);
  attr.query.prog_ids = ptr_to_u64(BPFXX_OPTS_GET(opts, prog_ids, nullptr));
  attr.query.prog_attach_flags = ptr_to_u64(BPFXX_OPTS_GET(opts, prog_attach_flags, nullptr));
  attr.query.link_ids = ptr_to_u64(BPFXX_OPTS_GET(opts, link_ids, nullptr));
  attr.query.link_attach_flags = ptr_to_u64(BPFXX_OPTS_GET(opts, link_attach_flags, nullptr));

  int rc = static_cast<int>(sys::bpf(BPF_PROG_QUERY, &attr, attr_size));
  // Reported even on failure: on ENOSPC count says how much room is needed.
  if (BPFXX_OPTS_HAS(opts, attach_flags)) opts->attach_flags = attr.query.attach_flags;
  if (BPFXX_OPTS_HAS(opts, revision)) opts->revision = attr.query.revision;
  if (BPFXX_OPTS_HAS(opts, count)) opts->count = attr.query.count;
  return err(rc);
}

int bpf_prog_query(int target_fd, enum bpf_attach_type type, __u32 query_flags, __u32* attach_flags,
                   __u32* prog_ids, __u32* prog_cnt) {
  if (prog_cnt == nullptr) return err(-EINVAL);
  LIBBPF_OPTS(bpf_prog_query_opts, opts);
  opts.query_flags = query_flags;
  opts.prog_ids = prog_ids;
  opts.prog_cnt = *prog_cnt;
  int rc = bpf_prog_query_opts(target_fd, type, &opts);
  if (attach_flags != nullptr) *attach_flags = opts.attach_flags;
  *prog_cnt = opts.prog_cnt;
  return err(rc);
}

int bpf_raw_tracepoint_open_opts(int prog_fd, struct bpf_raw_tp_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_raw_tp_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(raw_tracepoint);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.raw_tracepoint.prog_fd = static_cast<__u32>(prog_fd);
  attr.raw_tracepoint.name = ptr_to_u64(BPFXX_OPTS_GET(opts, tp_name, nullptr));
  attr.raw_tracepoint.cookie = BPFXX_OPTS_GET(opts, cookie, 0);
  return err(sys::bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &attr, attr_size));
}

int bpf_raw_tracepoint_open(const char* name, int prog_fd) {
  LIBBPF_OPTS(bpf_raw_tp_opts, opts);
  opts.tp_name = name;
  return bpf_raw_tracepoint_open_opts(prog_fd, &opts);
}

int bpf_task_fd_query(int pid, int fd, __u32 flags, char* buf, __u32* buf_len, __u32* prog_id,
                      __u32* fd_type, __u64* probe_offset, __u64* probe_addr) {
  if (buf_len == nullptr || prog_id == nullptr || fd_type == nullptr || probe_offset == nullptr ||
      probe_addr == nullptr) {
    BPFXX_WARN("bpf_task_fd_query: buf_len, prog_id, fd_type, probe_offset and probe_addr are required\n");
    return err(-EINVAL);
  }
  const unsigned int attr_size = BPFXX_ATTR_SIZE(task_fd_query);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.task_fd_query.pid = static_cast<__u32>(pid);
  attr.task_fd_query.fd = static_cast<__u32>(fd);
  attr.task_fd_query.flags = flags;
  attr.task_fd_query.buf = ptr_to_u64(buf);
  attr.task_fd_query.buf_len = *buf_len;
  int rc = static_cast<int>(sys::bpf(BPF_TASK_FD_QUERY, &attr, attr_size));
  *buf_len = attr.task_fd_query.buf_len;
  *prog_id = attr.task_fd_query.prog_id;
  *fd_type = attr.task_fd_query.fd_type;
  *probe_offset = attr.task_fd_query.probe_offset;
  *probe_addr = attr.task_fd_query.probe_addr;
  return err(rc);
}

}  // extern "C"
