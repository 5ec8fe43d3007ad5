// Programs attached to perf events: tracepoints, kprobes and uprobes made
// with perf_event_open(), and any perf event a caller opened itself.
//
// A perf event takes a program either through a BPF link (BPF_LINK_CREATE
// with BPF_PERF_EVENT, 5.15+, which also carries a BPF cookie) or through
// the older ioctls (PERF_EVENT_IOC_SET_BPF, then ENABLE). The link owns
// the perf event fd and closes it on detach; a legacy tracefs probe behind
// the event is removed after that.
#pragma once

#include "link/attach.h"

#include <cstdint>
#include <functional>

namespace bpfxx::link {

class PerfEventLink : public bpf_link {
 public:
  // bpf_link_fd: the BPF link (owned), or -1 when attached by ioctl; perf_fd
  // owned either way.
  PerfEventLink(int bpf_link_fd, int perf_fd) noexcept;
  ~PerfEventLink() override;

  // The BPF link's fd; the perf event's when attached by ioctl.
  int fd() const noexcept override;
  Result<void> detach() override;
  // Attached by ioctl there is no BPF link to update or detach: EINVAL (the
  // kernel's answer to BPF_LINK_UPDATE/DETACH on a perf event fd, which is
  // what libbpf returns), with a message saying why.
  Result<void> update_program(int prog_fd, const std::string& prog_name) override;
  Result<void> detach_in_kernel() override;
  std::string describe() const override;

  int perf_fd() const noexcept { return perf_fd_; }
  // Run once after the perf event is closed (removal of a legacy probe).
  void set_cleanup(std::function<void()> cleanup) { cleanup_ = std::move(cleanup); }
  void set_what(std::string what) { what_ = std::move(what); }

 private:
  Result<void> close_perf();

  int perf_fd_;
  std::function<void()> cleanup_;
  std::string what_ = "perf_event";
};

struct PerfAttachOptions {
  uint64_t cookie = 0;
  // Attach with the ioctls even where BPF links for perf events exist.
  bool force_ioctl = false;
};

// Attaches prog to the perf event perf_fd. On success the link owns
// perf_fd; on failure the caller still does.
Result<std::unique_ptr<PerfEventLink>> attach_perf_event(const bpf_program& prog, int perf_fd,
                                                         const PerfAttachOptions& opts);

// Same, closing perf_fd on failure (for events the library opened).
Result<std::unique_ptr<PerfEventLink>> attach_owned_perf_event(const bpf_program& prog, int perf_fd,
                                                               const PerfAttachOptions& opts);

}  // namespace bpfxx::link
