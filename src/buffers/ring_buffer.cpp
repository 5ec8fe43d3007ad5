#include "buffers/ring_buffer.h"

#include "base/log.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mman.h>

using bpfxx::fail;
using bpfxx::Result;
using bpfxx::buffers::Mapping;

namespace {

int cap_int(int64_t n) { return n > INT_MAX ? INT_MAX : static_cast<int>(n); }

}  // namespace

Result<std::unique_ptr<ring>> ring::open(int map_fd, ring_buffer_sample_fn sample_cb, void* ctx) {
  auto info = bpfxx::buffers::map_info(map_fd);
  if (!info) return info.failure();
  if (info->type != BPF_MAP_TYPE_RINGBUF)
    return fail(EINVAL, "map fd " + std::to_string(map_fd) + " ('" + info->name + "') is of type " +
                            std::to_string(info->type) + ", not BPF_MAP_TYPE_RINGBUF");
  const size_t page = bpfxx::buffers::page_size();
  const uint64_t size = info->max_entries;
  if (size == 0 || (size & (size - 1)) != 0 || size % page != 0)
    return fail(EINVAL, "ring buffer map '" + std::string(info->name) + "': size " + std::to_string(size) +
                            " is not a power of two multiple of the page size");
  // Producer page plus the data pages twice: must fit a size_t (32-bit).
  const uint64_t ro_len = page + 2 * size;
  if (ro_len != static_cast<size_t>(ro_len))
    return fail(E2BIG, "ring buffer map '" + std::string(info->name) + "' is too large to map");

  std::unique_ptr<ring> r(new ring());
  auto dup = bpfxx::buffers::dup_map_fd(map_fd, "ring buffer map");
  if (!dup) return dup.failure();
  r->map_fd_ = std::move(*dup);
  auto cons = Mapping::map_shared(r->map_fd_.get(), page, PROT_READ | PROT_WRITE, 0, "ring buffer consumer page");
  if (!cons) return cons.failure();
  auto prod = Mapping::map_shared(r->map_fd_.get(), static_cast<size_t>(ro_len), PROT_READ, static_cast<off_t>(page),
                                  "ring buffer producer page and data");
  if (!prod) return prod.failure();
  r->consumer_map_ = std::move(*cons);
  r->producer_map_ = std::move(*prod);
  r->consumer_pos_ = static_cast<uint64_t*>(r->consumer_map_.get());
  r->producer_pos_ = static_cast<const uint64_t*>(r->producer_map_.get());
  r->data_ = static_cast<const uint8_t*>(r->producer_map_.get()) + page;
  r->mask_ = size - 1;
  r->sample_cb_ = sample_cb;
  r->ctx_ = ctx;
  return r;
}

__attribute__((noinline, cold)) int ring::corrupt_length(uint32_t len) noexcept {
  if (!warned_corrupt_)
    BPFXX_WARN(
        "ring buffer: map fd %d: record length %u at consumer position %llu is larger than the ring (%llu "
        "bytes); the ring is not consumed further\n",
        map_fd_.get(), len, static_cast<unsigned long long>(consumer_pos()),
        static_cast<unsigned long long>(mask_ + 1));
  warned_corrupt_ = true;
  return -EINVAL;
}

int ring::consume_n(size_t n) noexcept {
  const int64_t got = consume_cb(n);
  return got < 0 ? static_cast<int>(got) : cap_int(got);
}

Result<std::unique_ptr<ring_buffer>> ring_buffer::create() {
  std::unique_ptr<ring_buffer> rb(new ring_buffer());
  auto ep = bpfxx::buffers::new_epoll();
  if (!ep) return ep.failure();
  rb->epoll_fd_ = std::move(*ep);
  rb->events_.resize(1);  // epoll_wait needs room for one event even with no ring
  return rb;
}

Result<void> ring_buffer::add(int map_fd, ring_buffer_sample_fn sample_cb, void* ctx) {
  auto r = ring::open(map_fd, sample_cb, ctx);
  if (!r) return r.failure();
  rings_.reserve(rings_.size() + 1);
  events_.resize(rings_.size() + 1);  // one slot per ring: one wait reports them all
  // The map signals EPOLLIN while data is waiting (level-triggered).
  const int rc = bpfxx::buffers::epoll_add(epoll_fd_.get(), (*r)->map_fd(), EPOLLIN, rings_.size());
  if (rc < 0)
    return fail(-rc, "adding ring buffer map fd " + std::to_string(map_fd) + " to epoll failed: " + std::strerror(-rc));
  rings_.push_back(std::move(*r));
  return {};
}

int ring_buffer::consume_n(size_t n) noexcept {
  int64_t total = 0;
  for (auto& r : rings_) {
    if (static_cast<uint64_t>(total) >= n) break;
    const int64_t got = r->consume_cb(n - static_cast<uint64_t>(total));
    if (got < 0) return static_cast<int>(got);
    total += got;
  }
  return cap_int(total);
}

int ring_buffer::poll(int timeout_ms) noexcept {
  // Data already waiting is consumed without a system call; epoll is only
  // for sleeping on empty rings.
  int64_t total = 0;
  bool any = false;
  for (auto& r : rings_) {
    if (r->consumer_pos() == r->producer_pos()) continue;
    any = true;
    const int64_t got = r->consume_cb(UINT64_MAX);
    if (got < 0) return static_cast<int>(got);
    total += got;
  }
  if (any) return cap_int(total);
  const int ready =
      bpfxx::buffers::epoll_wait(epoll_fd_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
  if (ready < 0) return ready;
  for (int i = 0; i < ready; ++i) {
    const uint64_t idx = events_[static_cast<size_t>(i)].data.u64;
    if (idx >= rings_.size()) continue;
    const int64_t got = rings_[idx]->consume_cb(UINT64_MAX);
    if (got < 0) return static_cast<int>(got);
    total += got;
  }
  return cap_int(total);
}
