// BPF links through the raw commands: create, update, detach, iterators.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"

#include <cstring>
#include <type_traits>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

bool is_cgroup_attach(bpf_attach_type type) {
  switch (type) {
    case BPF_CGROUP_INET_INGRESS:
    case BPF_CGROUP_INET_EGRESS:
    case BPF_CGROUP_INET_SOCK_CREATE:
    case BPF_CGROUP_INET_SOCK_RELEASE:
    case BPF_CGROUP_INET4_BIND:
    case BPF_CGROUP_INET6_BIND:
    case BPF_CGROUP_INET4_POST_BIND:
    case BPF_CGROUP_INET6_POST_BIND:
    case BPF_CGROUP_INET4_CONNECT:
    case BPF_CGROUP_INET6_CONNECT:
    case BPF_CGROUP_UNIX_CONNECT:
    case BPF_CGROUP_INET4_GETPEERNAME:
    case BPF_CGROUP_INET6_GETPEERNAME:
    case BPF_CGROUP_UNIX_GETPEERNAME:
    case BPF_CGROUP_INET4_GETSOCKNAME:
    case BPF_CGROUP_INET6_GETSOCKNAME:
    case BPF_CGROUP_UNIX_GETSOCKNAME:
    case BPF_CGROUP_UDP4_SENDMSG:
    case BPF_CGROUP_UDP6_SENDMSG:
    case BPF_CGROUP_UNIX_SENDMSG:
    case BPF_CGROUP_UDP4_RECVMSG:
    case BPF_CGROUP_UDP6_RECVMSG:
    case BPF_CGROUP_UNIX_RECVMSG:
    case BPF_CGROUP_SOCK_OPS:
    case BPF_CGROUP_DEVICE:
    case BPF_CGROUP_SYSCTL:
    case BPF_CGROUP_GETSOCKOPT:
    case BPF_CGROUP_SETSOCKOPT:
    case BPF_LSM_CGROUP:
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" {

int bpf_link_create(int prog_fd, int target_fd, enum bpf_attach_type attach_type,
                    const struct bpf_link_create_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_link_create_opts)) return err(-EINVAL);
  __u32 iter_info_len = BPFXX_OPTS_GET(opts, iter_info_len, 0);
  __u32 target_btf_id = BPFXX_OPTS_GET(opts, target_btf_id, 0);
  if (iter_info_len != 0 || target_btf_id != 0) {
    if (iter_info_len != 0 && target_btf_id != 0) return err(-EINVAL);
    if (!BPFXX_OPTS_ZEROED_AFTER(opts, target_btf_id)) return err(-EINVAL);
  }

  const unsigned int attr_size = BPFXX_ATTR_SIZE(link_create);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.link_create.prog_fd = static_cast<__u32>(prog_fd);
  attr.link_create.target_fd = static_cast<__u32>(target_fd);
  attr.link_create.attach_type = attach_type;
  attr.link_create.flags = BPFXX_OPTS_GET(opts, flags, 0);

  if (target_btf_id != 0) {
    attr.link_create.target_btf_id = target_btf_id;
  } else {
    switch (attach_type) {
      case BPF_TRACE_ITER:
        attr.link_create.iter_info = ptr_to_u64(BPFXX_OPTS_GET(opts, iter_info, nullptr));
        attr.link_create.iter_info_len = iter_info_len;
        break;
      case BPF_PERF_EVENT:
        attr.link_create.perf_event.bpf_cookie = BPFXX_OPTS_GET(opts, perf_event.bpf_cookie, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, perf_event)) return err(-EINVAL);
        break;
      case BPF_TRACE_KPROBE_MULTI:
      case BPF_TRACE_KPROBE_SESSION:
        attr.link_create.kprobe_multi.flags = BPFXX_OPTS_GET(opts, kprobe_multi.flags, 0);
        attr.link_create.kprobe_multi.cnt = BPFXX_OPTS_GET(opts, kprobe_multi.cnt, 0);
        attr.link_create.kprobe_multi.syms = ptr_to_u64(BPFXX_OPTS_GET(opts, kprobe_multi.syms, nullptr));
        attr.link_create.kprobe_multi.addrs = ptr_to_u64(BPFXX_OPTS_GET(opts, kprobe_multi.addrs, nullptr));
        attr.link_create.kprobe_multi.cookies = ptr_to_u64(BPFXX_OPTS_GET(opts, kprobe_multi.cookies, nullptr));
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, kprobe_multi)) return err(-EINVAL);
        break;
      case BPF_TRACE_UPROBE_MULTI:
      case BPF_TRACE_UPROBE_SESSION:
        attr.link_create.uprobe_multi.flags = BPFXX_OPTS_GET(opts, uprobe_multi.flags, 0);
        attr.link_create.uprobe_multi.cnt = BPFXX_OPTS_GET(opts, uprobe_multi.cnt, 0);
        attr.link_create.uprobe_multi.path = ptr_to_u64(BPFXX_OPTS_GET(opts, uprobe_multi.path, nullptr));
        attr.link_create.uprobe_multi.offsets = ptr_to_u64(BPFXX_OPTS_GET(opts, uprobe_multi.offsets, nullptr));
        attr.link_create.uprobe_multi.ref_ctr_offsets =
            ptr_to_u64(BPFXX_OPTS_GET(opts, uprobe_multi.ref_ctr_offsets, nullptr));
        attr.link_create.uprobe_multi.cookies = ptr_to_u64(BPFXX_OPTS_GET(opts, uprobe_multi.cookies, nullptr));
        attr.link_create.uprobe_multi.pid = BPFXX_OPTS_GET(opts, uprobe_multi.pid, 0);
        attr.link_create.uprobe_multi.path_fd = BPFXX_OPTS_GET(opts, uprobe_multi.path_fd, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, uprobe_multi)) return err(-EINVAL);
        break;
      case BPF_TRACE_RAW_TP:
      case BPF_TRACE_FENTRY:
      case BPF_TRACE_FEXIT:
      case BPF_MODIFY_RETURN:
      case BPF_LSM_MAC:
      case BPF_TRACE_FSESSION:
        attr.link_create.tracing.cookie = BPFXX_OPTS_GET(opts, tracing.cookie, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, tracing)) return err(-EINVAL);
        break;
      case BPF_TRACE_FENTRY_MULTI:
      case BPF_TRACE_FEXIT_MULTI:
      case BPF_TRACE_FSESSION_MULTI:
        attr.link_create.tracing_multi.ids = ptr_to_u64(BPFXX_OPTS_GET(opts, tracing_multi.ids, nullptr));
        attr.link_create.tracing_multi.cookies = ptr_to_u64(BPFXX_OPTS_GET(opts, tracing_multi.cookies, nullptr));
        attr.link_create.tracing_multi.cnt = BPFXX_OPTS_GET(opts, tracing_multi.cnt, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, tracing_multi)) return err(-EINVAL);
        break;
      case BPF_NETFILTER:
        attr.link_create.netfilter.pf = BPFXX_OPTS_GET(opts, netfilter.pf, 0);
        attr.link_create.netfilter.hooknum = BPFXX_OPTS_GET(opts, netfilter.hooknum, 0);
        attr.link_create.netfilter.priority = BPFXX_OPTS_GET(opts, netfilter.priority, 0);
        attr.link_create.netfilter.flags = BPFXX_OPTS_GET(opts, netfilter.flags, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, netfilter)) return err(-EINVAL);
        break;
      case BPF_TCX_INGRESS:
      case BPF_TCX_EGRESS: {
        __u32 relative_fd = BPFXX_OPTS_GET(opts, tcx.relative_fd, 0);
        __u32 relative_id = BPFXX_OPTS_GET(opts, tcx.relative_id, 0);
        if (relative_fd != 0 && relative_id != 0) return err(-EINVAL);
        if (relative_id != 0) {
          attr.link_create.tcx.relative_id = relative_id;
          attr.link_create.flags |= BPF_F_ID;
        } else {
          attr.link_create.tcx.relative_fd = relative_fd;
        }
        attr.link_create.tcx.expected_revision = BPFXX_OPTS_GET(opts, tcx.expected_revision, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, tcx)) return err(-EINVAL);
        break;
      }
      case BPF_NETKIT_PRIMARY:
      case BPF_NETKIT_PEER: {
        __u32 relative_fd = BPFXX_OPTS_GET(opts, netkit.relative_fd, 0);
        __u32 relative_id = BPFXX_OPTS_GET(opts, netkit.relative_id, 0);
        if (relative_fd != 0 && relative_id != 0) return err(-EINVAL);
        if (relative_id != 0) {
          attr.link_create.netkit.relative_id = relative_id;
          attr.link_create.flags |= BPF_F_ID;
        } else {
          attr.link_create.netkit.relative_fd = relative_fd;
        }
        attr.link_create.netkit.expected_revision = BPFXX_OPTS_GET(opts, netkit.expected_revision, 0);
        if (!BPFXX_OPTS_ZEROED_AFTER(opts, netkit)) return err(-EINVAL);
        break;
      }
      default:
        if (is_cgroup_attach(attach_type)) {
          __u32 relative_fd = BPFXX_OPTS_GET(opts, cgroup.relative_fd, 0);
          __u32 relative_id = BPFXX_OPTS_GET(opts, cgroup.relative_id, 0);
          if (relative_fd != 0 && relative_id != 0) return err(-EINVAL);
          if (relative_id != 0) {
            attr.link_create.cgroup.relative_id = relative_id;
            attr.link_create.flags |= BPF_F_ID;
          } else {
            attr.link_create.cgroup.relative_fd = relative_fd;
          }
          attr.link_create.cgroup.expected_revision = BPFXX_OPTS_GET(opts, cgroup.expected_revision, 0);
          if (!BPFXX_OPTS_ZEROED_AFTER(opts, cgroup)) return err(-EINVAL);
        } else if (!BPFXX_OPTS_ZEROED_AFTER(opts, flags)) {
          return err(-EINVAL);
        }
        break;
    }
  }

  int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, attr_size);
  if (fd >= 0) return fd;
  // Kernels before 5.13 cannot create tracing links through LINK_CREATE.
  // When the caller asked for nothing LINK_CREATE alone can do (no target,
  // no option at all), the raw tracepoint command attaches the same way.
  bool tracing = attach_type == BPF_TRACE_RAW_TP || attach_type == BPF_TRACE_FENTRY ||
                 attach_type == BPF_TRACE_FEXIT || attach_type == BPF_MODIFY_RETURN ||
                 attach_type == BPF_LSM_MAC;
  if (fd == -EINVAL && tracing && target_fd == 0 && target_btf_id == 0 &&
      BPFXX_OPTS_ZEROED_AFTER(opts, sz)) {
    return bpf_raw_tracepoint_open(nullptr, prog_fd);
  }
  return err(fd);
}

int bpf_link_detach(int link_fd) {
  const unsigned int attr_size = BPFXX_ATTR_SIZE(link_detach);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.link_detach.link_fd = static_cast<__u32>(link_fd);
  return err(static_cast<int>(sys::bpf(BPF_LINK_DETACH, &attr, attr_size)));
}

int bpf_link_update(int link_fd, int new_prog_fd, const struct bpf_link_update_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_link_update_opts)) return err(-EINVAL);
  __u32 old_prog_fd = BPFXX_OPTS_GET(opts, old_prog_fd, 0);
  __u32 old_map_fd = BPFXX_OPTS_GET(opts, old_map_fd, 0);
  // The expected old program and old map share one attr field.
  if (old_prog_fd != 0 && old_map_fd != 0) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(link_update);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.link_update.link_fd = static_cast<__u32>(link_fd);
  attr.link_update.new_prog_fd = static_cast<__u32>(new_prog_fd);
  attr.link_update.flags = BPFXX_OPTS_GET(opts, flags, 0);
  if (old_prog_fd != 0)
    attr.link_update.old_prog_fd = old_prog_fd;
  else if (old_map_fd != 0)
    attr.link_update.old_map_fd = old_map_fd;
  return err(static_cast<int>(sys::bpf(BPF_LINK_UPDATE, &attr, attr_size)));
}

int bpf_iter_create(int link_fd) {
  const unsigned int attr_size = BPFXX_ATTR_SIZE(iter_create);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.iter_create.link_fd = static_cast<__u32>(link_fd);
  return err(sys::bpf_fd(BPF_ITER_CREATE, &attr, attr_size));
}

}  // extern "C"
