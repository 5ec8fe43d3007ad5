// The C API of attaching tracing programs: bpf_program__attach() and the
// bpf_program__attach_<family>() functions (src/link/).
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "link/attach.h"
#include "link/iter.h"
#include "link/kprobe.h"
#include "link/perf_event.h"
#include "link/raw_tracepoint.h"
#include "link/trace.h"
#include "link/tracepoint.h"
#include "link/uprobe.h"
#include "object/program.h"

#include <cerrno>

using bpfxx::capi::err_ptr;
using bpfxx::capi::guard_ptr;
namespace lk = bpfxx::link;

namespace {

// The link of a successful attach, or NULL with errno from the failure.
template <class T>
bpf_link* release(bpfxx::Result<std::unique_ptr<T>>&& r) {
  if (!r) return err_ptr<bpf_link>(-r.error());
  return r->release();
}

lk::ProbeMode probe_mode(enum probe_attach_mode m) {
  switch (m) {
    case PROBE_ATTACH_MODE_LEGACY: return lk::ProbeMode::kLegacy;
    case PROBE_ATTACH_MODE_PERF: return lk::ProbeMode::kPerf;
    case PROBE_ATTACH_MODE_LINK: return lk::ProbeMode::kLink;
    default: return lk::ProbeMode::kDefault;
  }
}

bool valid_mode(enum probe_attach_mode m) {
  return m == PROBE_ATTACH_MODE_DEFAULT || m == PROBE_ATTACH_MODE_LEGACY || m == PROBE_ATTACH_MODE_PERF ||
         m == PROBE_ATTACH_MODE_LINK;
}

}  // namespace

extern "C" {

struct bpf_link* bpf_program__attach(const struct bpf_program* prog) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(lk::auto_attach(*prog));
  });
}

struct bpf_link* bpf_program__attach_perf_event_opts(const struct bpf_program* prog, int pfd,
                                                     const struct bpf_perf_event_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_perf_event_opts)) return err_ptr<bpf_link>(-EINVAL);
    lk::PerfAttachOptions o;
    o.cookie = BPFXX_OPTS_GET(opts, bpf_cookie, 0);
    o.force_ioctl = BPFXX_OPTS_GET(opts, force_ioctl_attach, false);
    return release(lk::attach_perf_event(*prog, pfd, o));
  });
}

struct bpf_link* bpf_program__attach_perf_event(const struct bpf_program* prog, int pfd) {
  return bpf_program__attach_perf_event_opts(prog, pfd, nullptr);
}

struct bpf_link* bpf_program__attach_kprobe_opts(const struct bpf_program* prog, const char* func_name,
                                                 const struct bpf_kprobe_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || func_name == nullptr || !BPFXX_OPTS_VALID(opts, bpf_kprobe_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    lk::KprobeOptions o;
    o.cookie = BPFXX_OPTS_GET(opts, bpf_cookie, 0);
    o.offset = BPFXX_OPTS_GET(opts, offset, 0);
    o.retprobe = BPFXX_OPTS_GET(opts, retprobe, false);
    const enum probe_attach_mode mode = BPFXX_OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT);
    if (!valid_mode(mode)) return err_ptr<bpf_link>(-EINVAL);
    o.mode = probe_mode(mode);
    return release(lk::attach_kprobe(*prog, func_name, o));
  });
}

struct bpf_link* bpf_program__attach_kprobe(const struct bpf_program* prog, bool retprobe, const char* func_name) {
  LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = retprobe);
  return bpf_program__attach_kprobe_opts(prog, func_name, &opts);
}

struct bpf_link* bpf_program__attach_kprobe_multi_opts(const struct bpf_program* prog, const char* pattern,
                                                       const struct bpf_kprobe_multi_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_kprobe_multi_opts)) return err_ptr<bpf_link>(-EINVAL);
    lk::KprobeMultiOptions o;
    o.pattern = pattern;
    o.syms = BPFXX_OPTS_GET(opts, syms, nullptr);
    o.addrs = BPFXX_OPTS_GET(opts, addrs, nullptr);
    o.cookies = BPFXX_OPTS_GET(opts, cookies, nullptr);
    o.cnt = BPFXX_OPTS_GET(opts, cnt, 0);
    o.retprobe = BPFXX_OPTS_GET(opts, retprobe, false);
    o.session = BPFXX_OPTS_GET(opts, session, false);
    o.unique_match = BPFXX_OPTS_GET(opts, unique_match, false);
    if (o.unique_match && pattern == nullptr) {
      BPFXX_WARN("prog '%s': unique_match needs a pattern\n", prog->name.c_str());
      return err_ptr<bpf_link>(-EINVAL);
    }
    return release(lk::attach_kprobe_multi(*prog, o));
  });
}

struct bpf_link* bpf_program__attach_ksyscall(const struct bpf_program* prog, const char* syscall_name,
                                              const struct bpf_ksyscall_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || syscall_name == nullptr || !BPFXX_OPTS_VALID(opts, bpf_ksyscall_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    return release(lk::attach_ksyscall(*prog, syscall_name, BPFXX_OPTS_GET(opts, bpf_cookie, 0),
                                         BPFXX_OPTS_GET(opts, retprobe, false)));
  });
}

struct bpf_link* bpf_program__attach_uprobe_opts(const struct bpf_program* prog, pid_t pid, const char* binary_path,
                                                 size_t func_offset, const struct bpf_uprobe_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || binary_path == nullptr || !BPFXX_OPTS_VALID(opts, bpf_uprobe_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    lk::UprobeOptions o;
    o.ref_ctr_offset = BPFXX_OPTS_GET(opts, ref_ctr_offset, 0);
    o.cookie = BPFXX_OPTS_GET(opts, bpf_cookie, 0);
    o.retprobe = BPFXX_OPTS_GET(opts, retprobe, false);
    o.func_name = BPFXX_OPTS_GET(opts, func_name, nullptr);
    const enum probe_attach_mode mode = BPFXX_OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT);
    if (!valid_mode(mode)) return err_ptr<bpf_link>(-EINVAL);
    o.mode = probe_mode(mode);
    return release(lk::attach_uprobe(*prog, pid, binary_path, func_offset, o));
  });
}

struct bpf_link* bpf_program__attach_uprobe(const struct bpf_program* prog, bool retprobe, pid_t pid,
                                            const char* binary_path, size_t func_offset) {
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe);
  return bpf_program__attach_uprobe_opts(prog, pid, binary_path, func_offset, &opts);
}

struct bpf_link* bpf_program__attach_uprobe_multi(const struct bpf_program* prog, pid_t pid, const char* binary_path,
                                                  const char* func_pattern, const struct bpf_uprobe_multi_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || binary_path == nullptr || !BPFXX_OPTS_VALID(opts, bpf_uprobe_multi_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    lk::UprobeMultiOptions o;
    o.syms = BPFXX_OPTS_GET(opts, syms, nullptr);
    o.offsets = BPFXX_OPTS_GET(opts, offsets, nullptr);
    o.ref_ctr_offsets = BPFXX_OPTS_GET(opts, ref_ctr_offsets, nullptr);
    o.cookies = BPFXX_OPTS_GET(opts, cookies, nullptr);
    o.cnt = BPFXX_OPTS_GET(opts, cnt, 0);
    o.retprobe = BPFXX_OPTS_GET(opts, retprobe, false);
    o.session = BPFXX_OPTS_GET(opts, session, false);
    return release(lk::attach_uprobe_multi(*prog, pid, binary_path, func_pattern, o));
  });
}

struct bpf_link* bpf_program__attach_tracepoint_opts(const struct bpf_program* prog, const char* tp_category,
                                                     const char* tp_name, const struct bpf_tracepoint_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || tp_category == nullptr || tp_name == nullptr ||
        !BPFXX_OPTS_VALID(opts, bpf_tracepoint_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    return release(lk::attach_tracepoint(*prog, tp_category, tp_name, BPFXX_OPTS_GET(opts, bpf_cookie, 0)));
  });
}

struct bpf_link* bpf_program__attach_tracepoint(const struct bpf_program* prog, const char* tp_category,
                                                const char* tp_name) {
  return bpf_program__attach_tracepoint_opts(prog, tp_category, tp_name, nullptr);
}

struct bpf_link* bpf_program__attach_raw_tracepoint_opts(const struct bpf_program* prog, const char* tp_name,
                                                         struct bpf_raw_tracepoint_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || tp_name == nullptr || !BPFXX_OPTS_VALID(opts, bpf_raw_tracepoint_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    return release(lk::attach_raw_tracepoint(*prog, tp_name, BPFXX_OPTS_GET(opts, cookie, 0)));
  });
}

struct bpf_link* bpf_program__attach_raw_tracepoint(const struct bpf_program* prog, const char* tp_name) {
  return bpf_program__attach_raw_tracepoint_opts(prog, tp_name, nullptr);
}

struct bpf_link* bpf_program__attach_trace_opts(const struct bpf_program* prog, const struct bpf_trace_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_trace_opts)) return err_ptr<bpf_link>(-EINVAL);
    return release(lk::attach_trace(*prog, BPFXX_OPTS_GET(opts, cookie, 0)));
  });
}

struct bpf_link* bpf_program__attach_trace(const struct bpf_program* prog) {
  return bpf_program__attach_trace_opts(prog, nullptr);
}

struct bpf_link* bpf_program__attach_lsm(const struct bpf_program* prog) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(lk::attach_trace(*prog, 0));
  });
}

struct bpf_link* bpf_program__attach_freplace(const struct bpf_program* prog, int target_fd,
                                              const char* attach_func_name) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr) return err_ptr<bpf_link>(-EINVAL);
    return release(lk::attach_freplace(*prog, target_fd, attach_func_name));
  });
}

struct bpf_link* bpf_program__attach_iter(const struct bpf_program* prog, const struct bpf_iter_attach_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_iter_attach_opts)) return err_ptr<bpf_link>(-EINVAL);
    return release(lk::attach_iter(*prog, BPFXX_OPTS_GET(opts, link_info, nullptr),
                                     BPFXX_OPTS_GET(opts, link_info_len, 0u)));
  });
}

}  // extern "C"
