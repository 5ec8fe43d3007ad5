#include "link/trace.h"

#include "object/program.h"
#include "sys/bpf_syscall.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cstring>

namespace bpfxx::link {
namespace {

const char* family_name(const bpf_program& prog) {
  if (prog.type == BPF_PROG_TYPE_EXT) return "freplace";
  switch (prog.expected_attach_type) {
    case BPF_TRACE_RAW_TP: return "tp_btf";
    case BPF_TRACE_FENTRY: return "fentry";
    case BPF_TRACE_FEXIT: return "fexit";
    case BPF_MODIFY_RETURN: return "fmod_ret";
    case BPF_LSM_MAC: return "lsm";
    default: return "tracing";
  }
}

// The BTF id of FUNC func_name in the BTF of BPF program prog_fd.
Result<uint32_t> func_btf_id_in_prog(int prog_fd, const char* func_name) {
  struct bpf_prog_info info;
  std::memset(&info, 0, sizeof info);
  __u32 len = sizeof info;
  if (bpf_prog_get_info_by_fd(prog_fd, &info, &len) < 0) {
    const int e = errno;
    return fail(e, std::string("cannot get the target program's info: ") + std::strerror(e));
  }
  if (info.btf_id == 0) return fail(EINVAL, "the target program has no BTF");
  struct btf* btf = btf__load_from_kernel_by_id(info.btf_id);
  if (btf == nullptr) {
    const int e = errno;
    return fail(e, std::string("cannot load the target program's BTF: ") + std::strerror(e));
  }
  const int id = btf__find_by_name_kind(btf, func_name, BTF_KIND_FUNC);
  btf__free(btf);
  if (id < 0) return fail(ENOENT, std::string("the target program has no function '") + func_name + "'");
  return static_cast<uint32_t>(id);
}

}  // namespace

Result<LinkPtr> attach_trace(const bpf_program& prog, uint64_t cookie) {
  const std::string what = std::string(family_name(prog)) + " target '" +
                           std::string(prog.attach_func_name.empty() ? object::section_extras(prog.sec_name)
                                                                     : std::string_view(prog.attach_func_name)) +
                           "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.attach_type = prog.expected_attach_type;
  attr.link_create.tracing.cookie = cookie;
  int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.tracing));
  if (fd == -EINVAL && cookie == 0) {
    // Kernels before 5.11 attach tracing programs through the raw
    // tracepoint command, with no name.
    union bpf_attr old;
    std::memset(&old, 0, sizeof old);
    old.raw_tracepoint.prog_fd = static_cast<uint32_t>(*prog_fd);
    const int old_fd = sys::bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &old, BPFXX_ATTR_SIZE(raw_tracepoint.prog_fd));
    if (old_fd >= 0) fd = old_fd;
  }
  if (fd < 0) return prog_failure(prog, -fd, "cannot attach to " + what + ": " + std::strerror(-fd));
  return std::make_unique<bpf_link>(fd);
}

Result<LinkPtr> attach_freplace(const bpf_program& prog, int target_fd, const char* func_name) {
  if ((target_fd != 0) != (func_name != nullptr)) {
    return prog_failure(prog, EINVAL, "freplace needs both a target program fd and a function name, or neither");
  }
  if (prog.type != BPF_PROG_TYPE_EXT) {
    return prog_failure(prog, EINVAL, "only freplace (BPF_PROG_TYPE_EXT) programs can replace a function");
  }
  if (target_fd == 0) return attach_trace(prog, 0);
  const std::string what = std::string("function '") + func_name + "' of program fd " + std::to_string(target_fd);
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  auto btf_id = func_btf_id_in_prog(target_fd, func_name);
  if (!btf_id) return prog_failure(prog, btf_id.error(), "cannot replace " + what + ": " + btf_id.message());
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.target_fd = static_cast<uint32_t>(target_fd);
  // The kernel routes freplace links by program type; the attach type is
  // the program's own (0).
  attr.link_create.attach_type = prog.expected_attach_type;
  attr.link_create.target_btf_id = *btf_id;
  const int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.target_btf_id));
  if (fd < 0) return prog_failure(prog, -fd, "cannot replace " + what + ": " + std::strerror(-fd));
  return std::make_unique<bpf_link>(fd);
}

Result<LinkPtr> auto_attach_trace(const bpf_program& prog) { return attach_trace(prog, 0); }

Result<LinkPtr> auto_attach_lsm(const bpf_program& prog) { return attach_trace(prog, 0); }

}  // namespace bpfxx::link
