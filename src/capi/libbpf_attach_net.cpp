// The C API of the cgroup and networking attach families:
// bpf_program__attach_cgroup(_opts), _xdp, _tcx, _netkit, _netfilter,
// _netns and _sockmap (src/link/).
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "link/cgroup.h"
#include "link/netfilter.h"
#include "link/netkit.h"
#include "link/netns.h"
#include "link/sockmap.h"
#include "link/tcx.h"
#include "link/xdp.h"
#include "object/program.h"

#include <memory>

using bpfxx::capi::err_ptr;
using bpfxx::capi::guard_ptr;
namespace blink = bpfxx::link;

namespace {

// Hands a link over to the caller, or NULL with errno.
bpf_link* release(bpfxx::Result<std::unique_ptr<bpf_link>> r) {
  if (!r) return err_ptr<bpf_link>(-r.error());
  return r.value().release();
}

template <class Opts>
void order_from(const Opts* opts, blink::CgroupOrder& order) {
  order.flags = BPFXX_OPTS_GET(opts, flags, 0);
  order.relative_fd = BPFXX_OPTS_GET(opts, relative_fd, 0);
  order.relative_id = BPFXX_OPTS_GET(opts, relative_id, 0);
  order.expected_revision = BPFXX_OPTS_GET(opts, expected_revision, 0);
}

}  // namespace

extern "C" {

struct bpf_link* bpf_program__attach_cgroup(const struct bpf_program* prog, int cgroup_fd) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(blink::attach_cgroup(*prog, cgroup_fd));
  });
}

struct bpf_link* bpf_program__attach_cgroup_opts(const struct bpf_program* prog, int cgroup_fd,
                                                 const struct bpf_cgroup_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_cgroup_opts)) return err_ptr<bpf_link>(-EINVAL);
    blink::CgroupOrder order;
    order_from(opts, order);
    return release(blink::attach_cgroup(*prog, cgroup_fd, order));
  });
}

struct bpf_link* bpf_program__attach_xdp(const struct bpf_program* prog, int ifindex) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(blink::attach_xdp(*prog, ifindex));
  });
}

struct bpf_link* bpf_program__attach_tcx(const struct bpf_program* prog, int ifindex,
                                         const struct bpf_tcx_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_tcx_opts)) return err_ptr<bpf_link>(-EINVAL);
    blink::MprogOrder order;
    order_from(opts, order);
    return release(blink::attach_tcx(*prog, ifindex, order));
  });
}

struct bpf_link* bpf_program__attach_netkit(const struct bpf_program* prog, int ifindex,
                                            const struct bpf_netkit_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_netkit_opts)) return err_ptr<bpf_link>(-EINVAL);
    blink::MprogOrder order;
    order_from(opts, order);
    return release(blink::attach_netkit(*prog, ifindex, order));
  });
}

struct bpf_link* bpf_program__attach_netfilter(const struct bpf_program* prog,
                                               const struct bpf_netfilter_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_netfilter_opts)) return err_ptr<bpf_link>(-EINVAL);
    blink::NetfilterHook hook;
    hook.pf = BPFXX_OPTS_GET(opts, pf, 0);
    hook.hooknum = BPFXX_OPTS_GET(opts, hooknum, 0);
    hook.priority = BPFXX_OPTS_GET(opts, priority, 0);
    hook.flags = BPFXX_OPTS_GET(opts, flags, 0);
    return release(blink::attach_netfilter(*prog, hook));
  });
}

struct bpf_link* bpf_program__attach_netns(const struct bpf_program* prog, int netns_fd) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(blink::attach_netns(*prog, netns_fd));
  });
}

struct bpf_link* bpf_program__attach_sockmap(const struct bpf_program* prog, int map_fd) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(blink::attach_sockmap(*prog, map_fd));
  });
}

}  // extern "C"
