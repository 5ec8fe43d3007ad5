// The perf buffer consumer (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one
// PERF_COUNT_SW_BPF_OUTPUT event per CPU (or per CPU the caller picks),
// each with its own mmapped ring (a control page and 2^n data pages),
// stored in the map under its CPU's key so bpf_perf_event_output() finds
// it, and all of them behind one epoll fd.
//
// Ordering: data_head is read with acquire (the records before it are
// written), data_tail written with release (we are done with them).
#pragma once

#include "buffers/mapping.h"
#include "buffers/perf_records.h"

#include <bpf/libbpf.h>

#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <sys/epoll.h>
#include <vector>

struct perf_buffer {
 public:
  // Which CPUs to open: all online (cpu_cnt == 0, up to the map's size),
  // or cpus[i] stored at map_keys[i].
  struct Params {
    int map_fd = -1;
    size_t page_cnt = 0;
    perf_event_attr* attr = nullptr;
    // Raw mode: every record goes to event_cb. Otherwise samples go to
    // sample_cb and loss reports to lost_cb.
    perf_buffer_event_fn event_cb = nullptr;
    perf_buffer_sample_fn sample_cb = nullptr;
    perf_buffer_lost_fn lost_cb = nullptr;
    void* ctx = nullptr;
    int cpu_cnt = 0;
    const int* cpus = nullptr;
    const int* map_keys = nullptr;
  };

  static bpfxx::Result<std::unique_ptr<perf_buffer>> open(const Params& params);
  ~perf_buffer();

  int poll(int timeout_ms) noexcept;
  int consume() noexcept;
  // -EINVAL for an index out of range, -ENOENT for a CPU not opened.
  int consume_buffer(size_t idx) noexcept;

  int epoll_fd() const noexcept { return epoll_fd_.get(); }
  size_t buffer_cnt() const noexcept { return bufs_.size(); }
  // The perf event fd of slot idx, -EINVAL / -ENOENT as consume_buffer.
  int buffer_fd(size_t idx) const noexcept;
  // The mapping of slot idx (control page first) and its data size.
  int buffer(size_t idx, void** buf, size_t* buf_size) const noexcept;

 private:
  struct CpuBuffer {
    int cpu = -1;
    int map_key = -1;
    bpfxx::UniqueFd fd;
    bpfxx::buffers::Mapping mapping;
  };

  perf_buffer() = default;
  bpfxx::Result<void> open_cpu(size_t slot, int cpu, int map_key, perf_event_attr* attr);
  int process(CpuBuffer& buf) noexcept;
  int handle_other(int cpu, perf_event_header* event, uint64_t size) noexcept;

  bpfxx::UniqueFd map_fd_;
  bpfxx::UniqueFd epoll_fd_;
  size_t data_size_ = 0;  // page_cnt pages
  perf_buffer_event_fn event_cb_ = nullptr;
  perf_buffer_sample_fn sample_cb_ = nullptr;
  perf_buffer_lost_fn lost_cb_ = nullptr;
  void* ctx_ = nullptr;
  std::vector<std::unique_ptr<CpuBuffer>> bufs_;  // null: CPU offline
  std::vector<epoll_event> events_;
  std::unique_ptr<uint8_t[]> scratch_;  // records that wrap the ring's end
  bool warned_corrupt_ = false;
};
