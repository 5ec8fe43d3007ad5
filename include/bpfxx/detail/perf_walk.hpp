// Walking the records of one perf event ring in place. Shared by the C
// API's perf_buffer__consume*() and the header-only bpfxx::PerfRing, so
// both read the kernel's shared memory with the same checks.
#pragma once

#include <bpfxx/detail/page_ahead.hpp>

#include <linux/perf_event.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bpfxx::detail {

// The largest record: perf_event_header.size is 16 bits. Scratch buffers
// for records that wrap the ring's end hold this much.
inline constexpr size_t kPerfMaxRecord = 65536;

enum class PerfWalkEnd {
  kDrained,  // every record up to head was handed over
  kStopped,  // the visitor asked to stop
  kCorrupt,  // a header was impossible; the rest of the ring is dropped
};

struct PerfWalkResult {
  PerfWalkEnd end = PerfWalkEnd::kDrained;
  uint64_t tail = 0;  // the new data_tail to publish
};

// The first 8 bytes of a record: type (u32), misc (u16), size (u16).
inline uint64_t perf_header_word(const uint8_t* rec) noexcept {
  uint64_t word;
  std::memcpy(&word, rec, sizeof(word));
  return word;
}

// Hands the records of the ring at data (size bytes: a power of two of at
// least 8) from tail to head to fn(const uint8_t* rec, uint64_t
// header_word, uint64_t rec_size), which returns false to stop (that
// record counts as consumed). header_word and rec_size are the values
// checked: callers use them, not the record's bytes, which the other side
// of the mapping may have changed since. A record that runs past the
// ring's end is handed over as a copy in scratch (kPerfMaxRecord bytes).
// Sizes come from memory the kernel (or anything mapping it) writes: an
// impossible one ends the walk as kCorrupt with tail = head, never a read
// out of bounds.
template <class Fn>
PerfWalkResult walk_perf_ring(const uint8_t* data, uint64_t size, uint64_t head, uint64_t tail, uint8_t* scratch,
                              Fn&& fn) {
  const uint64_t mask = size - 1;
  // The kernel keeps records 8-byte aligned; anything else is corruption.
  if (head - tail > size || ((head | tail) & 7) != 0) return {PerfWalkEnd::kCorrupt, head};
  // Records from this size on are prefetched kPrefetchAhead records ahead:
  // they leave whole lines unread in between, which the hardware
  // prefetcher does not fetch.
  constexpr uint64_t kPrefetchFrom = 256;
  constexpr uint64_t kPrefetchAhead = 16;
  // The size of the run of records being read. Records of one size
  // usually come in runs: while a header repeats it, the next position is
  // computed from this register, not from the loaded header, so the header
  // loads do not wait on each other (the compare is predicted) and the walk
  // runs at load throughput, not load latency. UINT64_MAX matches no u16
  // size, so the first header is always checked (0 must be refused too).
  uint64_t run_size = UINT64_MAX;
  while (tail != head) {
    const uint64_t off = tail & mask;
    // tail is 8-byte aligned, so the header never straddles the end.
    const uint64_t word = perf_header_word(data + off);
    if (__builtin_expect(!!((word >> 48) != run_size), 0)) {
      run_size = word >> 48;
      if (run_size < sizeof(perf_event_header) || (run_size & 7) != 0) return {PerfWalkEnd::kCorrupt, head};
    }
    if (__builtin_expect(!!(run_size > head - tail), 0)) return {PerfWalkEnd::kCorrupt, head};
    const uint8_t* rec = data + off;
    if (__builtin_expect(!!(off + run_size > size), 0)) {  // runs past the end: one piece in scratch
      const size_t first = static_cast<size_t>(size - off);
      std::memcpy(scratch, rec, first);
      std::memcpy(scratch + first, data, static_cast<size_t>(run_size) - first);
      rec = scratch;
    }
    prefetch_pages_ahead(data, mask, tail, tail + run_size);
    tail += run_size;
    if (run_size >= kPrefetchFrom) __builtin_prefetch(data + ((tail + kPrefetchAhead * run_size) & mask));
    if (!fn(rec, word, run_size)) return {PerfWalkEnd::kStopped, tail};
  }
  return {PerfWalkEnd::kDrained, tail};
}

}  // namespace bpfxx::detail
