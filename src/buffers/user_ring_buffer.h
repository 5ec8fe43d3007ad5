// The user ring buffer producer (BPF_MAP_TYPE_USER_RINGBUF): user space
// writes records that a BPF program drains with bpf_user_ringbuf_drain().
//
// The roles of the BPF ring buffer are swapped: the consumer page (offset
// 0) is the kernel's and mapped read only; the producer page and the data
// pages (mapped twice, for records running past the end) are ours and
// writable. A reserved record carries the BUSY bit until it is submitted
// (or submitted with the DISCARD bit): the kernel stops draining at a busy
// record, so records are published in reservation order.
//
// Not thread safe: callers serialize reserve/submit/discard themselves.
#pragma once

#include "buffers/mapping.h"

#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

struct user_ring_buffer {
 public:
  static bpfxx::Result<std::unique_ptr<user_ring_buffer>> open(int map_fd);

  // Space for a size-byte record, or nullptr with *err: E2BIG when it can
  // never fit, ENOSPC when the ring is full now.
  void* reserve(uint32_t size, int* err) noexcept;
  // reserve(), waiting on the map's epoll wakeups (the kernel signals after
  // a drain) up to timeout_ms (-1: forever).
  void* reserve_blocking(uint32_t size, int timeout_ms, int* err) noexcept;
  void submit(void* sample) noexcept { finish(sample, false); }
  void discard(void* sample) noexcept { finish(sample, true); }

  size_t size() const noexcept { return static_cast<size_t>(mask_ + 1); }

 private:
  user_ring_buffer() = default;
  void finish(void* sample, bool discard) noexcept;

  const uint64_t* consumer_pos_ = nullptr;
  uint64_t* producer_pos_ = nullptr;
  uint8_t* data_ = nullptr;
  uint64_t mask_ = 0;
  bpfxx::UniqueFd map_fd_;
  bpfxx::UniqueFd epoll_fd_;
  bpfxx::buffers::Mapping consumer_map_;
  bpfxx::buffers::Mapping producer_map_;
};
