// Reading records out of one perf event ring (the data pages after a
// perf_event_mmap_page). The kernel writes records of 8-byte-aligned size
// between data_tail (ours) and data_head (its); a record may run past the
// end of the ring, and is then copied whole into a scratch buffer. The
// sizes come from shared memory, so each is checked before use: a bad one
// drops the rest of the ring instead of reading out of bounds or spinning.
#pragma once

#include <linux/perf_event.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bpfxx::buffers {

// The largest record: perf_event_header.size is 16 bits.
inline constexpr size_t kPerfScratchSize = 65536;

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

// Hands the records of the ring at data (size bytes, a power of two, at
// least 8, 8-byte aligned) from
// tail to head to fn(perf_event_header*), which returns a
// bpf_perf_event_ret (LIBBPF_PERF_EVENT_CONT to go on). scratch holds
// kPerfScratchSize bytes.
template <class Fn>
PerfReadResult read_perf_records(const uint8_t* data, uint64_t size, uint64_t head, uint64_t tail,
                                 uint8_t* scratch, int cont, Fn&& fn) noexcept {
  PerfReadResult res;
  const uint64_t mask = size - 1;
  // The kernel keeps records 8-byte aligned; anything else is corruption
  // (and would hand out misaligned headers).
  if (head - tail > size || (tail & 7) != 0) {
    res.status = PerfReadStatus::kCorrupt;
    res.tail = head;
    return res;
  }
  while (tail != head) {
    const uint64_t avail = head - tail;
    const uint64_t off = tail & mask;
    // tail is 8-byte aligned and the ring a power of two of at least 8
    // bytes, so the 8-byte header never straddles the end: read in place.
    if (avail < sizeof(perf_event_header)) {
      res.status = PerfReadStatus::kCorrupt;
      tail = head;
      break;
    }
    const uint64_t rec_size = reinterpret_cast<const perf_event_header*>(data + off)->size;
    if (rec_size < sizeof(perf_event_header) || rec_size > avail || (rec_size & 7) != 0) {
      res.status = PerfReadStatus::kCorrupt;
      tail = head;
      break;
    }
    perf_event_header* rec;
    if (off + rec_size <= size) {
      rec = reinterpret_cast<perf_event_header*>(const_cast<uint8_t*>(data + off));
    } else {
      // Runs past the end: copy the two parts into one piece.
      const size_t first = static_cast<size_t>(size - off);
      std::memcpy(scratch, data + off, first);
      std::memcpy(scratch + first, data, static_cast<size_t>(rec_size) - first);
      rec = reinterpret_cast<perf_event_header*>(scratch);
    }
    const int ret = fn(rec);
    tail += rec_size;
    if (ret != cont) {
      res.status = PerfReadStatus::kStopped;
      res.callback_ret = ret;
      break;
    }
  }
  res.tail = tail;
  return res;
}

}  // namespace bpfxx::buffers
