// Probes of what the kernel says about its verifier logs. Since the log
// rework (6.4) BPF_PROG_LOAD and BPF_BTF_LOAD write back the size the whole
// log needs; older kernels leave that field alone (and also insist on a
// buffer of at least 128 bytes, refuse BPF_LOG_FIXED and a level without a
// buffer, and always keep the head of an overlong log). A load that logs
// anything shows which kind of kernel this is.
#include "sys/feature_probes.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"
#include "sys/kernel.h"

#include <cstring>

namespace bpfxx::sys::detail {
namespace {

namespace insn = probe::insn;

constexpr bpf_insn kReturnZero[] = {insn::mov64_imm(BPF_REG_0, 0), insn::exit()};
// Big enough for the few lines either load logs, and above old kernels'
// 128-byte minimum.
constexpr uint32_t kLogSize = 1024;

}  // namespace

int probe_prog_log_true_size(const Context& ctx) {
  char log[kLogSize] = {};
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  attr.insns = reinterpret_cast<uintptr_t>(kReturnZero);
  attr.insn_cnt = 2;
  attr.license = reinterpret_cast<uintptr_t>("GPL");
  attr.log_buf = reinterpret_cast<uintptr_t>(log);
  attr.log_size = kLogSize;
  attr.log_level = 1;  // a successful load still logs its statistics
  if (ctx.token_fd >= 0) {
    attr.prog_token_fd = ctx.token_fd;
    attr.prog_flags |= BPF_F_TOKEN_FD;
  }
  int fd = prog_load(&attr, BPFXX_ATTR_SIZE(prog_token_fd), 5);
  if (fd < 0) {
    BPFXX_DEBUG("feature probe: program with a log rejected: %s\n", std::strerror(-fd));
    return fd;
  }
  kernel().close(fd);
  BPFXX_DEBUG("feature probe: program log of %zu bytes, log_true_size %u\n", std::strlen(log),
              attr.log_true_size);
  return attr.log_true_size != 0 ? 1 : 0;
}

int probe_btf_log_true_size(const Context& ctx) {
  probe::BtfBuilder b;
  b.int_type("int", 4, BTF_INT_SIGNED);
  std::vector<uint8_t> blob = b.blob();
  char log[kLogSize] = {};
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.btf = reinterpret_cast<uintptr_t>(blob.data());
  attr.btf_size = static_cast<uint32_t>(blob.size());
  attr.btf_log_buf = reinterpret_cast<uintptr_t>(log);
  attr.btf_log_size = kLogSize;
  attr.btf_log_level = 1;  // the kernel logs the header it checked
  if (ctx.token_fd >= 0) {
    attr.btf_token_fd = ctx.token_fd;
    attr.btf_flags |= BPF_F_TOKEN_FD;
  }
  int fd = bpf_fd(BPF_BTF_LOAD, &attr, BPFXX_ATTR_SIZE(btf_token_fd));
  if (fd < 0) {
    BPFXX_DEBUG("feature probe: BTF with a log rejected: %s\n", std::strerror(-fd));
    return fd;
  }
  kernel().close(fd);
  BPFXX_DEBUG("feature probe: BTF log of %zu bytes, btf_log_true_size %u\n", std::strlen(log),
              attr.btf_log_true_size);
  return attr.btf_log_true_size != 0 ? 1 : 0;
}

}  // namespace bpfxx::sys::detail
