// The BPF ring buffer consumer (BPF_MAP_TYPE_RINGBUF): struct ring, one
// mapped map, and struct ring_buffer, a set of rings behind one epoll fd.
//
// Layout the kernel exposes through mmap(2) of the map fd:
//   offset 0          consumer page: consumer_pos (u64), written by us
//   offset page       producer page: producer_pos (u64), read only
//   offset 2 * page   data pages, mapped twice in a row so a record that
//                     runs past the end of the ring reads contiguously
// Each record starts with an 8-byte header: a u32 length whose top bits say
// "still being written" (BUSY) or "dropped by the producer" (DISCARD), and
// a u32 page offset for the kernel; records are rounded up to 8 bytes.
//
// Ordering: producer_pos and each header length are read with acquire
// (what they announce was written before them); consumer_pos is written
// with release (we are done reading what it frees).
#pragma once

#include "buffers/mapping.h"

#include <bpf/libbpf.h>

#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <climits>
#include <sys/epoll.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

struct ring {
 public:
  // Maps the BPF_MAP_TYPE_RINGBUF map behind map_fd (which the ring
  // duplicates, so the caller keeps its own).
  static bpfxx::Result<std::unique_ptr<ring>> open(int map_fd, ring_buffer_sample_fn sample_cb, void* ctx);

  // Hands up to limit committed records to fn(data, len), in order. fn
  // returns an int: a negative value stops consumption and is returned.
  // Otherwise the number of records handed over (discarded ones are
  // skipped silently and not counted), or -EINVAL for a record length
  // larger than the ring (nothing is consumed from there on).
  template <class Fn>
  int64_t consume_with(uint64_t limit, Fn&& fn) noexcept {
    uint64_t cons = __atomic_load_n(consumer_pos_, __ATOMIC_ACQUIRE);
    int64_t count = 0;
    for (;;) {
      const uint64_t prod = __atomic_load_n(producer_pos_, __ATOMIC_ACQUIRE);
      if (cons == prod) return count;
      bool progressed = false;
      // The header word of the run of records being read, and their step.
      // Records of one size usually come in runs: while a header repeats
      // the last one, the next position comes from this register, not
      // from the loaded header, so the header loads do not wait on each
      // other (the compare is predicted). A repeated header was checked
      // not busy. UINT64_MAX matches no u32 header.
      uint64_t run_len = UINT64_MAX;
      uint64_t run_step = 0;
      while (cons < prod) {
        const uint8_t* hdr = data_ + (cons & mask_);
        const uint32_t len = __atomic_load_n(reinterpret_cast<const uint32_t*>(hdr), __ATOMIC_ACQUIRE);
        if (len != run_len) [[unlikely]] {
          if ((len & BPF_RINGBUF_BUSY_BIT) != 0) return count;
          run_len = len;
          run_step =
              (static_cast<uint64_t>(len & ~static_cast<uint32_t>(BPF_RINGBUF_DISCARD_BIT)) + BPF_RINGBUF_HDR_SZ + 7) &
              ~uint64_t{7};
          // The kernel never commits a record larger than the ring; a
          // corrupt length must not send the callback past the mapping.
          if (run_step > mask_ + 1) [[unlikely]]
            return corrupt_length(len);
        }
        progressed = true;
        cons += run_step;
        if ((len & BPF_RINGBUF_DISCARD_BIT) == 0) {
          const int rc = fn(const_cast<uint8_t*>(hdr) + BPF_RINGBUF_HDR_SZ, static_cast<size_t>(len));
          if (rc < 0) {
            __atomic_store_n(consumer_pos_, cons, __ATOMIC_RELEASE);
            return rc;
          }
          ++count;
        }
        __atomic_store_n(consumer_pos_, cons, __ATOMIC_RELEASE);
        if (static_cast<uint64_t>(count) >= limit) return count;
      }
      if (!progressed) return count;
    }
  }

  // Consumes up to n records through the sample callback; the count (at
  // most INT_MAX) or the callback's negative return.
  int consume_n(size_t n) noexcept;

  uint64_t consumer_pos() const noexcept { return __atomic_load_n(consumer_pos_, __ATOMIC_ACQUIRE); }
  uint64_t producer_pos() const noexcept { return __atomic_load_n(producer_pos_, __ATOMIC_ACQUIRE); }
  size_t size() const noexcept { return static_cast<size_t>(mask_ + 1); }
  int map_fd() const noexcept { return map_fd_.get(); }
  // Start of the data area (tests and benchmarks read the raw ring).
  const uint8_t* data() const noexcept { return data_; }

 private:
  friend struct ring_buffer;
  ring() = default;

  // Warns (once per ring) about an impossible record length; -EINVAL.
  int corrupt_length(uint32_t len) noexcept;

  // consume_with through the sample callback.
  int64_t consume_cb(uint64_t limit) noexcept {
    return consume_with(limit, [this](void* data, size_t len) { return sample_cb_(ctx_, data, len); });
  }

  // Hot fields first: one cache line holds what the loop touches.
  uint64_t* consumer_pos_ = nullptr;
  const uint64_t* producer_pos_ = nullptr;
  const uint8_t* data_ = nullptr;
  uint64_t mask_ = 0;
  ring_buffer_sample_fn sample_cb_ = nullptr;
  void* ctx_ = nullptr;
  bpfxx::UniqueFd map_fd_;
  bpfxx::buffers::Mapping consumer_map_;
  bpfxx::buffers::Mapping producer_map_;
  bool warned_corrupt_ = false;
};

struct ring_buffer {
 public:
  static bpfxx::Result<std::unique_ptr<ring_buffer>> create();

  // Adds the ring of map_fd and registers it with the epoll set.
  bpfxx::Result<void> add(int map_fd, ring_buffer_sample_fn sample_cb, void* ctx);

  // Every ring drained (up to n records in all). Count (capped at INT_MAX)
  // or a callback's negative return.
  int consume_n(size_t n) noexcept;
  // Consumes what is there; if nothing is, waits up to timeout_ms on the
  // epoll set and consumes from the rings it reports.
  int poll(int timeout_ms) noexcept;

  int epoll_fd() const noexcept { return epoll_fd_.get(); }
  size_t ring_count() const noexcept { return rings_.size(); }
  ring* ring_at(size_t idx) const noexcept { return idx < rings_.size() ? rings_[idx].get() : nullptr; }

 private:
  ring_buffer() = default;

  bpfxx::UniqueFd epoll_fd_;
  std::vector<std::unique_ptr<ring>> rings_;
  std::vector<struct epoll_event> events_;
};
