#include "link/perf_event.h"

#include "base/log.h"
#include "object/program.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"
#include "sys/kernel.h"

#include <linux/perf_event.h>

#include <cstring>

namespace bpfxx::link {

PerfEventLink::PerfEventLink(int bpf_link_fd, int perf_fd) noexcept : bpf_link(bpf_link_fd), perf_fd_(perf_fd) {}

PerfEventLink::~PerfEventLink() {
  // A disconnected link leaves the event (and its program) in place.
  if (!disconnected()) static_cast<void>(close_perf());
}

int PerfEventLink::fd() const noexcept { return owned_fd() >= 0 ? owned_fd() : perf_fd_; }

Result<void> PerfEventLink::close_perf() {
  if (perf_fd_ < 0) return {};
  const int fd = perf_fd_;
  perf_fd_ = -1;
  // Disabling first stops the program at once, even if someone else holds
  // a duplicate of the event fd.
  if (owned_fd() < 0) static_cast<void>(sys::kernel().ioctl(fd, PERF_EVENT_IOC_DISABLE, 0));
  const int rc = sys::kernel().close(fd);
  if (cleanup_) {
    auto cleanup = std::move(cleanup_);
    cleanup_ = nullptr;
    cleanup();
  }
  if (rc < 0) return fail(-rc, describe() + ": close");
  return {};
}

Result<void> PerfEventLink::detach() {
  auto link_closed = close_fd();
  auto perf_closed = close_perf();
  if (!link_closed) return link_closed;
  return perf_closed;
}

Result<void> PerfEventLink::update_program(int prog_fd, const std::string& prog_name) {
  if (owned_fd() >= 0) return bpf_link::update_program(prog_fd, prog_name);
  BPFXX_WARN("%s: attached by ioctl, it has no BPF link whose program could be switched to prog '%s'\n",
             describe().c_str(), prog_name.c_str());
  return fail(EINVAL, describe() + ": update_program");
}

Result<void> PerfEventLink::detach_in_kernel() {
  if (owned_fd() >= 0) return bpf_link::detach_in_kernel();
  BPFXX_WARN("%s: attached by ioctl, it has no BPF link to detach (destroy the link instead)\n",
             describe().c_str());
  return fail(EINVAL, describe() + ": detach");
}

std::string PerfEventLink::describe() const {
  return what_ + " link (perf event fd " + std::to_string(perf_fd_) + ")";
}

Result<std::unique_ptr<PerfEventLink>> attach_perf_event(const bpf_program& prog, int perf_fd,
                                                         const PerfAttachOptions& opts) {
  auto prog_fd = loaded_prog_fd(prog, "perf event fd " + std::to_string(perf_fd));
  if (!prog_fd) return prog_fd.failure();
  if (perf_fd < 0) return prog_failure(prog, EINVAL, "invalid perf event fd " + std::to_string(perf_fd));

  if (!opts.force_ioctl && sys::has_feature(sys::Feature::PerfLink)) {
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
    attr.link_create.target_fd = static_cast<uint32_t>(perf_fd);
    attr.link_create.attach_type = BPF_PERF_EVENT;
    attr.link_create.perf_event.bpf_cookie = opts.cookie;
    const int link_fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.perf_event));
    if (link_fd < 0) {
      return prog_failure(prog, -link_fd,
                          "cannot attach to perf event fd " + std::to_string(perf_fd) +
                              " (BPF_LINK_CREATE): " + std::strerror(-link_fd));
    }
    return std::make_unique<PerfEventLink>(link_fd, perf_fd);
  }

  if (opts.cookie != 0) {
    return prog_failure(prog, EOPNOTSUPP,
                        "a BPF cookie needs BPF links for perf events, which this kernel lacks (or "
                        "force_ioctl_attach was asked for)");
  }
  int rc = sys::kernel().ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, static_cast<unsigned long>(*prog_fd));
  if (rc < 0) {
    return prog_failure(prog, -rc,
                        "cannot attach to perf event fd " + std::to_string(perf_fd) +
                            " (PERF_EVENT_IOC_SET_BPF): " + std::strerror(-rc));
  }
  rc = sys::kernel().ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
  if (rc < 0) {
    return prog_failure(prog, -rc,
                        "cannot enable perf event fd " + std::to_string(perf_fd) + ": " + std::strerror(-rc));
  }
  return std::make_unique<PerfEventLink>(-1, perf_fd);
}

Result<std::unique_ptr<PerfEventLink>> attach_owned_perf_event(const bpf_program& prog, int perf_fd,
                                                               const PerfAttachOptions& opts) {
  auto r = attach_perf_event(prog, perf_fd, opts);
  if (!r) sys::kernel().close(perf_fd);
  return r;
}

}  // namespace bpfxx::link
