// libbpf_prog_type_by_name, libbpf_attach_type_by_name and the custom
// program handler registry: the C face of object/section_table.
#include <cerrno>
#include <string>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include <bpf/libbpf.h>
#include "object/section_table.h"

using bpfxx::capi::err;
using bpfxx::capi::guard;
namespace obj = bpfxx::object;

extern "C" {

int libbpf_prog_type_by_name(const char* name, enum bpf_prog_type* prog_type,
                             enum bpf_attach_type* expected_attach_type) {
  return guard([&]() -> int {
    if (!name || !prog_type || !expected_attach_type) return err(-EINVAL);
    const obj::SectionDef* d = obj::find_section_def(name);
    if (!d) {
      BPFXX_WARN("failed to guess program type from ELF section '%s'\n", name);
      BPFXX_WARN("supported section(type) names are: %s\n",
                 obj::supported_section_names(false).c_str());
      return err(-ESRCH);
    }
    *prog_type = d->prog_type;
    *expected_attach_type = d->expected_attach_type;
    return 0;
  });
}

int libbpf_attach_type_by_name(const char* name, enum bpf_attach_type* attach_type) {
  return guard([&]() -> int {
    if (!name || !attach_type) return err(-EINVAL);
    const obj::SectionDef* d = obj::find_section_def(name);
    if (!d) {
      // libbpf answers -EINVAL here too: an unknown name is as unusable
      // with bpf_prog_attach() as a known one that is not attachable.
      BPFXX_WARN("failed to guess attach type from ELF section '%s'\n", name);
      BPFXX_WARN("attachable section(type) names are: %s\n",
                 obj::supported_section_names(true).c_str());
      return err(-EINVAL);
    }
    // Custom handlers decide their own attach method, so bpf_prog_attach()
    // is never assumed for them.
    if (d->is_custom() || !d->has(obj::kAttachable)) return err(-EINVAL);
    *attach_type = d->expected_attach_type;
    return 0;
  });
}

int libbpf_register_prog_handler(const char* sec, enum bpf_prog_type prog_type,
                                 enum bpf_attach_type exp_attach_type,
                                 const struct libbpf_prog_handler_opts* opts) {
  return guard([&]() -> int {
    if (!BPFXX_OPTS_VALID(opts, libbpf_prog_handler_opts)) return err(-EINVAL);
    const int ret = obj::register_handler(
        sec, prog_type, exp_attach_type, BPFXX_OPTS_GET(opts, cookie, 0L),
        BPFXX_OPTS_GET(opts, prog_setup_fn, nullptr),
        BPFXX_OPTS_GET(opts, prog_prepare_load_fn, nullptr),
        BPFXX_OPTS_GET(opts, prog_attach_fn, nullptr));
    if (ret == -EBUSY)
      BPFXX_WARN("a fallback program handler is already registered\n");
    else if (ret == -E2BIG)
      BPFXX_WARN("too many custom program handlers (at most %d)\n", obj::kMaxCustomHandlers);
    else if (ret == -EINVAL)
      BPFXX_WARN("custom program handler: empty section name\n");
    return err(ret);
  });
}

int libbpf_unregister_prog_handler(int handler_id) {
  return err(obj::unregister_handler(handler_id));
}

}  // extern "C"
