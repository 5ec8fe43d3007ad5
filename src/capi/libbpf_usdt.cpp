// The C API of USDT attachment (bpf_program__attach_usdt) and of
// multi-function BTF tracing links (bpf_program__attach_tracing_multi).
#include <bpf/libbpf.h>

#include "capi/errors.h"
#include "capi/opts.h"
#include "link/tracing_multi.h"
#include "link/usdt.h"
#include "object/program.h"

#include <cerrno>

using bpfxx::capi::err_ptr;
using bpfxx::capi::guard_ptr;
namespace lk = bpfxx::link;

namespace {

bpf_link* release(bpfxx::Result<lk::LinkPtr>&& r) {
  if (!r) return err_ptr<bpf_link>(-r.error());
  return r->release();
}

}  // namespace

extern "C" {

struct bpf_link* bpf_program__attach_usdt(const struct bpf_program* prog, pid_t pid, const char* binary_path,
                                          const char* usdt_provider, const char* usdt_name,
                                          const struct bpf_usdt_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || binary_path == nullptr || usdt_provider == nullptr || usdt_name == nullptr ||
        !BPFXX_OPTS_VALID(opts, bpf_usdt_opts)) {
      return err_ptr<bpf_link>(-EINVAL);
    }
    return release(lk::attach_usdt(*prog, pid, binary_path, usdt_provider, usdt_name,
                                   BPFXX_OPTS_GET(opts, usdt_cookie, 0)));
  });
}

struct bpf_link* bpf_program__attach_tracing_multi(const struct bpf_program* prog, const char* pattern,
                                                   const struct bpf_tracing_multi_opts* opts) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (prog == nullptr || !BPFXX_OPTS_VALID(opts, bpf_tracing_multi_opts)) return err_ptr<bpf_link>(-EINVAL);
    lk::TracingMultiOptions o;
    o.pattern = pattern;
    o.ids = BPFXX_OPTS_GET(opts, ids, nullptr);
    o.cookies = BPFXX_OPTS_GET(opts, cookies, nullptr);
    o.cnt = BPFXX_OPTS_GET(opts, cnt, 0);
    return release(lk::attach_tracing_multi(*prog, o));
  });
}

}  // extern "C"
