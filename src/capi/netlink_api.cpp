// The C API over netlink: XDP on a device (bpf_xdp_*) and tc clsact
// filters (bpf_tc_*).
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "link/tc.h"
#include "link/xdp.h"

#include <linux/if_link.h>

using bpfxx::capi::err;
using bpfxx::capi::guard;
namespace blink = bpfxx::link;

namespace {

int from(const bpfxx::Result<void>& r) { return r ? 0 : err(-r.error()); }

}  // namespace

extern "C" {

int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags, const struct bpf_xdp_attach_opts* opts) {
  return guard([&]() -> int {
    if (!BPFXX_OPTS_VALID(opts, bpf_xdp_attach_opts)) return err(-EINVAL);
    int old_prog_fd = BPFXX_OPTS_GET(opts, old_prog_fd, 0);
    // An old program given means "replace only that one".
    if (old_prog_fd != 0) {
      flags |= XDP_FLAGS_REPLACE;
    } else {
      old_prog_fd = -1;
    }
    return from(blink::xdp_set(ifindex, prog_fd, flags, old_prog_fd));
  });
}

int bpf_xdp_detach(int ifindex, __u32 flags, const struct bpf_xdp_attach_opts* opts) {
  return bpf_xdp_attach(ifindex, -1, flags, opts);
}

int bpf_xdp_query(int ifindex, int xdp_flags, struct bpf_xdp_query_opts* opts) {
  return guard([&]() -> int {
    if (!BPFXX_OPTS_VALID(opts, bpf_xdp_query_opts)) return err(-EINVAL);
    if ((static_cast<__u32>(xdp_flags) & ~static_cast<__u32>(XDP_FLAGS_MASK)) != 0) {
      BPFXX_WARN("bpf_xdp_query: unknown XDP flags 0x%x\n", static_cast<unsigned>(xdp_flags));
      return err(-EINVAL);
    }
    auto state = blink::xdp_query(ifindex, BPFXX_OPTS_HAS(opts, feature_flags));
    if (!state) return err(-state.error());
    if (BPFXX_OPTS_HAS(opts, prog_id)) opts->prog_id = state->prog_id;
    if (BPFXX_OPTS_HAS(opts, drv_prog_id)) opts->drv_prog_id = state->drv_prog_id;
    if (BPFXX_OPTS_HAS(opts, hw_prog_id)) opts->hw_prog_id = state->hw_prog_id;
    if (BPFXX_OPTS_HAS(opts, skb_prog_id)) opts->skb_prog_id = state->skb_prog_id;
    if (BPFXX_OPTS_HAS(opts, attach_mode)) opts->attach_mode = state->attach_mode;
    if (BPFXX_OPTS_HAS(opts, feature_flags)) opts->feature_flags = state->feature_flags;
    if (BPFXX_OPTS_HAS(opts, xdp_zc_max_segs)) opts->xdp_zc_max_segs = state->xdp_zc_max_segs;
    return 0;
  });
}

int bpf_xdp_query_id(int ifindex, int flags, __u32* prog_id) {
  return guard([&]() -> int {
    if (prog_id == nullptr) return err(-EINVAL);
    LIBBPF_OPTS(bpf_xdp_query_opts, opts);
    // Features are not needed here: a smaller struct skips reading them.
    opts.sz = offsetof(bpf_xdp_query_opts, attach_mode) + sizeof opts.attach_mode;
    if (int rc = bpf_xdp_query(ifindex, flags, &opts); rc < 0) return rc;
    // libbpf's answer: the mode flags pick a program (driver, then
    // hardware, then generic when several are named); with none, the one
    // program there is, and 0 when programs sit in several modes.
    const __u32 modes = static_cast<__u32>(flags) & XDP_FLAGS_MODES;
    if (modes == 0 && opts.attach_mode != XDP_ATTACHED_MULTI) {
      *prog_id = opts.prog_id;
    } else if ((modes & XDP_FLAGS_DRV_MODE) != 0) {
      *prog_id = opts.drv_prog_id;
    } else if ((modes & XDP_FLAGS_HW_MODE) != 0) {
      *prog_id = opts.hw_prog_id;
    } else if ((modes & XDP_FLAGS_SKB_MODE) != 0) {
      *prog_id = opts.skb_prog_id;
    } else {
      BPFXX_DEBUG("ifindex %d: XDP programs in several modes and no mode named: id 0\n", ifindex);
      *prog_id = 0;
    }
    return 0;
  });
}

namespace {

bool hook_from(const struct bpf_tc_hook* hook, blink::TcHook& out) {
  if (hook == nullptr || !BPFXX_OPTS_VALID(hook, bpf_tc_hook)) return false;
  out.ifindex = BPFXX_OPTS_GET(hook, ifindex, 0);
  out.attach_point = static_cast<uint32_t>(BPFXX_OPTS_GET(hook, attach_point, 0));
  out.parent = BPFXX_OPTS_GET(hook, parent, 0);
  return true;
}

bool filter_from(const struct bpf_tc_opts* opts, blink::TcFilter& out) {
  if (opts == nullptr || !BPFXX_OPTS_VALID(opts, bpf_tc_opts)) return false;
  out.prog_fd = BPFXX_OPTS_GET(opts, prog_fd, 0);
  out.flags = BPFXX_OPTS_GET(opts, flags, 0);
  out.prog_id = BPFXX_OPTS_GET(opts, prog_id, 0);
  out.handle = BPFXX_OPTS_GET(opts, handle, 0);
  out.priority = BPFXX_OPTS_GET(opts, priority, 0);
  return true;
}

}  // namespace

int bpf_tc_hook_create(struct bpf_tc_hook* hook) {
  return guard([&]() -> int {
    blink::TcHook h;
    if (!hook_from(hook, h)) return err(-EINVAL);
    return from(blink::tc_hook_create(h));
  });
}

int bpf_tc_hook_destroy(struct bpf_tc_hook* hook) {
  return guard([&]() -> int {
    blink::TcHook h;
    if (!hook_from(hook, h)) return err(-EINVAL);
    return from(blink::tc_hook_destroy(h));
  });
}

int bpf_tc_attach(const struct bpf_tc_hook* hook, struct bpf_tc_opts* opts) {
  return guard([&]() -> int {
    blink::TcHook h;
    blink::TcFilter f;
    if (!hook_from(hook, h) || !filter_from(opts, f)) return err(-EINVAL);
    if (int rc = from(blink::tc_attach(h, f)); rc < 0) return rc;
    if (BPFXX_OPTS_HAS(opts, prog_id)) opts->prog_id = f.prog_id;
    if (BPFXX_OPTS_HAS(opts, handle)) opts->handle = f.handle;
    if (BPFXX_OPTS_HAS(opts, priority)) opts->priority = f.priority;
    return 0;
  });
}

int bpf_tc_detach(const struct bpf_tc_hook* hook, const struct bpf_tc_opts* opts) {
  return guard([&]() -> int {
    blink::TcHook h;
    blink::TcFilter f;
    if (!hook_from(hook, h) || !filter_from(opts, f)) return err(-EINVAL);
    return from(blink::tc_detach(h, f));
  });
}

int bpf_tc_query(const struct bpf_tc_hook* hook, struct bpf_tc_opts* opts) {
  return guard([&]() -> int {
    blink::TcHook h;
    blink::TcFilter f;
    if (!hook_from(hook, h) || !filter_from(opts, f)) return err(-EINVAL);
    if (int rc = from(blink::tc_query(h, f)); rc < 0) return rc;
    if (BPFXX_OPTS_HAS(opts, prog_id)) opts->prog_id = f.prog_id;
    return 0;
  });
}

}  // extern "C"
