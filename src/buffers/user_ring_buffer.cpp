#include "buffers/user_ring_buffer.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/epoll.h>
#include <sys/mman.h>

using bpfxx::fail;
using bpfxx::Result;
using bpfxx::buffers::Mapping;

namespace {

int64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

Result<std::unique_ptr<user_ring_buffer>> user_ring_buffer::open(int map_fd) {
  auto info = bpfxx::buffers::map_info(map_fd);
  if (!info) return info.failure();
  if (info->type != BPF_MAP_TYPE_USER_RINGBUF)
    return fail(EINVAL, "map fd " + std::to_string(map_fd) + " ('" + info->name + "') is of type " +
                            std::to_string(info->type) + ", not BPF_MAP_TYPE_USER_RINGBUF");
  const size_t page = bpfxx::buffers::page_size();
  const uint64_t size = info->max_entries;
  if (size == 0 || (size & (size - 1)) != 0 || size % page != 0)
    return fail(EINVAL, "user ring buffer map '" + std::string(info->name) + "': size " + std::to_string(size) +
                            " is not a power of two multiple of the page size");
  const uint64_t rw_len = page + 2 * size;
  if (rw_len != static_cast<size_t>(rw_len))
    return fail(E2BIG, "user ring buffer map '" + std::string(info->name) + "' is too large to map");

  std::unique_ptr<user_ring_buffer> rb(new user_ring_buffer());
  auto dup = bpfxx::buffers::dup_map_fd(map_fd, "user ring buffer map");
  if (!dup) return dup.failure();
  rb->map_fd_ = std::move(*dup);
  auto cons = Mapping::map_shared(rb->map_fd_.get(), page, PROT_READ, 0, "user ring buffer consumer page");
  if (!cons) return cons.failure();
  auto prod = Mapping::map_shared(rb->map_fd_.get(), static_cast<size_t>(rw_len), PROT_READ | PROT_WRITE,
                                  static_cast<off_t>(page), "user ring buffer producer page and data");
  if (!prod) return prod.failure();
  auto ep = bpfxx::buffers::new_epoll();
  if (!ep) return ep.failure();
  // Edge-triggered: the map reports EPOLLOUT while any byte is free, which
  // would wake a waiter needing more again and again; an edge is a drain.
  const int rc = bpfxx::buffers::epoll_add(ep->get(), rb->map_fd_.get(), EPOLLOUT | EPOLLET, 0);
  if (rc < 0)
    return fail(-rc,
                "adding user ring buffer map fd " + std::to_string(map_fd) + " to epoll failed: " + std::strerror(-rc));
  rb->epoll_fd_ = std::move(*ep);
  rb->consumer_map_ = std::move(*cons);
  rb->producer_map_ = std::move(*prod);
  rb->consumer_pos_ = static_cast<const uint64_t*>(rb->consumer_map_.get());
  rb->producer_pos_ = static_cast<uint64_t*>(rb->producer_map_.get());
  rb->data_ = static_cast<uint8_t*>(rb->producer_map_.get()) + page;
  rb->mask_ = size - 1;
  return rb;
}

void* user_ring_buffer::reserve(uint32_t size, int* err) noexcept {
  const uint64_t total = (static_cast<uint64_t>(size) + BPF_RINGBUF_HDR_SZ + 7) & ~uint64_t{7};
  if (total > mask_ + 1 || (size & (BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) != 0) {
    *err = E2BIG;
    return nullptr;
  }
  const uint64_t cons = __atomic_load_n(consumer_pos_, __ATOMIC_ACQUIRE);
  const uint64_t prod = __atomic_load_n(producer_pos_, __ATOMIC_ACQUIRE);
  if (total > (mask_ + 1) - (prod - cons)) {
    *err = ENOSPC;
    return nullptr;
  }
  uint8_t* hdr = data_ + (prod & mask_);
  // Busy until submitted: the kernel may see the new producer position at
  // once and must stop here.
  __atomic_store_n(reinterpret_cast<uint32_t*>(hdr), size | BPF_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
  __atomic_store_n(reinterpret_cast<uint32_t*>(hdr + 4), 0u, __ATOMIC_RELAXED);
  __atomic_store_n(producer_pos_, prod + total, __ATOMIC_RELEASE);
  return hdr + BPF_RINGBUF_HDR_SZ;
}

void* user_ring_buffer::reserve_blocking(uint32_t size, int timeout_ms, int* err) noexcept {
  const int64_t deadline = timeout_ms >= 0 ? now_ns() + int64_t{timeout_ms} * 1000000 : 0;
  for (;;) {
    void* sample = reserve(size, err);
    if (sample != nullptr || *err != ENOSPC) return sample;
    int wait_ms = -1;
    if (timeout_ms >= 0) {
      const int64_t left = deadline - now_ns();
      if (left <= 0) return nullptr;  // *err is ENOSPC
      wait_ms = static_cast<int>((left + 999999) / 1000000);
    }
    epoll_event ev{};
    const int rc = bpfxx::buffers::epoll_wait(epoll_fd_.get(), &ev, 1, wait_ms);
    if (rc < 0 && rc != -EINTR) {
      *err = -rc;
      return nullptr;
    }
  }
}

void user_ring_buffer::finish(void* sample, bool discard) noexcept {
  auto* hdr = reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(sample) - BPF_RINGBUF_HDR_SZ);
  uint32_t len = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~static_cast<uint32_t>(BPF_RINGBUF_BUSY_BIT);
  if (discard) len |= BPF_RINGBUF_DISCARD_BIT;
  // Release: the record's bytes are visible before the kernel sees it ready.
  __atomic_store_n(hdr, len, __ATOMIC_RELEASE);
}
