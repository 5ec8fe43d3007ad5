// libbpf_probe_bpf_{prog_type,map_type,helper}(): argument checks and errno
// around sys/probe_types.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "sys/probe_types.h"

#include <cerrno>

using bpfxx::capi::err;

extern "C" {

int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type, const void* opts) {
  // No options are defined yet: anything but NULL asks for something we
  // cannot do.
  if (opts != nullptr) {
    BPFXX_WARN("libbpf_probe_bpf_prog_type: opts must be NULL\n");
    return err(-EINVAL);
  }
  return err(bpfxx::sys::probe_prog_type(static_cast<int>(prog_type)));
}

int libbpf_probe_bpf_map_type(enum bpf_map_type map_type, const void* opts) {
  if (opts != nullptr) {
    BPFXX_WARN("libbpf_probe_bpf_map_type: opts must be NULL\n");
    return err(-EINVAL);
  }
  return err(bpfxx::sys::probe_map_type(static_cast<int>(map_type)));
}

int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type, enum bpf_func_id helper_id, const void* opts) {
  if (opts != nullptr) {
    BPFXX_WARN("libbpf_probe_bpf_helper: opts must be NULL\n");
    return err(-EINVAL);
  }
  return err(bpfxx::sys::probe_helper(static_cast<int>(prog_type), static_cast<int>(helper_id)));
}

}  // extern "C"
