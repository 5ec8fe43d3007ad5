// Reading records out of one perf event ring for the C API's callbacks:
// bpfxx::detail::walk_perf_ring (shared with the header-only reader) with
// libbpf's callback convention, a bpf_perf_event_ret per record.
#pragma once

#include <bpfxx/detail/perf_walk.hpp>

#include <linux/perf_event.h>

#include <cstddef>
#include <cstdint>

namespace bpfxx::buffers {

inline constexpr size_t kPerfScratchSize = bpfxx::detail::kPerfMaxRecord;

enum class PerfReadStatus {
  kDrained,  // every record up to head was handed over
  kStopped,  // the callback returned something other than "continue"
  kCorrupt,  // a header was impossible; tail was moved to head
};

struct PerfReadResult {
  PerfReadStatus status = PerfReadStatus::kDrained;
  int callback_ret = 0;  // the stopping callback's return (kStopped)
  uint64_t tail = 0;     // the new tail to publish
};

// Hands the records of the ring at data (size bytes, a power of two of at
// least 8) from tail to head to fn(perf_event_header*, uint64_t size),
// which returns a bpf_perf_event_ret (`cont` to go on). size is the
// record's checked size: bound reads by it, not by the header, which the
// kernel side may rewrite. scratch holds kPerfScratchSize bytes.
template <class Fn>
PerfReadResult read_perf_records(const uint8_t* data, uint64_t size, uint64_t head, uint64_t tail, uint8_t* scratch,
                                 int cont, Fn&& fn) noexcept {
  PerfReadResult res;
  const bpfxx::detail::PerfWalkResult walk = bpfxx::detail::walk_perf_ring(
      data, size, head, tail, scratch, [&](const uint8_t* rec, uint64_t, uint64_t rec_size) {
        // The walk hands out 8-byte aligned records in the writable ring
        // or scratch; libbpf's callbacks take a non-const header.
        res.callback_ret = fn(reinterpret_cast<perf_event_header*>(const_cast<uint8_t*>(rec)), rec_size);
        return res.callback_ret == cont;
      });
  res.tail = walk.tail;
  switch (walk.end) {
    case bpfxx::detail::PerfWalkEnd::kDrained:
      res.status = PerfReadStatus::kDrained;
      res.callback_ret = 0;
      break;
    case bpfxx::detail::PerfWalkEnd::kStopped:
      res.status = PerfReadStatus::kStopped;
      break;
    case bpfxx::detail::PerfWalkEnd::kCorrupt:
      res.status = PerfReadStatus::kCorrupt;
      res.callback_ret = 0;
      break;
  }
  return res;
}

}  // namespace bpfxx::buffers
