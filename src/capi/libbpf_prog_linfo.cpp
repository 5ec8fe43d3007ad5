// The extern "C" functions of <bpf/libbpf.h> for struct bpf_prog_linfo:
// source lines of a loaded program from its bpf_prog_info.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "btf/prog_linfo.h"
#include "capi/errors.h"

#include <cerrno>

using bpfxx::capi::err_ptr;

extern "C" {

void bpf_prog_linfo__free(struct bpf_prog_linfo* prog_linfo) { delete prog_linfo; }

struct bpf_prog_linfo* bpf_prog_linfo__new(const struct bpf_prog_info* info) {
  return bpfxx::capi::guard_ptr<struct bpf_prog_linfo>([&]() -> struct bpf_prog_linfo* {
    if (info == nullptr) {
      BPFXX_WARN("bpf_prog_linfo__new: info is NULL\n");
      return err_ptr<struct bpf_prog_linfo>(-EINVAL);
    }
    auto r = bpf_prog_linfo::from_info(*info);
    if (!r) {
      BPFXX_WARN("bpf_prog_linfo__new: %s\n", r.message().c_str());
      return err_ptr<struct bpf_prog_linfo>(-r.error());
    }
    return r->release();
  });
}

const struct bpf_line_info* bpf_prog_linfo__lfind_addr_func(const struct bpf_prog_linfo* prog_linfo,
                                                            __u64 addr, __u32 func_idx, __u32 nr_skip) {
  if (prog_linfo == nullptr) return err_ptr<const struct bpf_line_info>(-EINVAL);
  const bpf_line_info* line = prog_linfo->find_jited(addr, func_idx, nr_skip);
  return line != nullptr ? line : err_ptr<const struct bpf_line_info>(-ENOENT);
}

const struct bpf_line_info* bpf_prog_linfo__lfind(const struct bpf_prog_linfo* prog_linfo, __u32 insn_off,
                                                  __u32 nr_skip) {
  if (prog_linfo == nullptr) return err_ptr<const struct bpf_line_info>(-EINVAL);
  const bpf_line_info* line = prog_linfo->find(insn_off, nr_skip);
  return line != nullptr ? line : err_ptr<const struct bpf_line_info>(-ENOENT);
}

}  // extern "C"
