// bpfxx::RingBufferReader: batch consumption of BPF ring buffer records in
// place, header-only over the C ABI.
//
// ring_buffer__consume() makes one indirect call per record through the
// callback given to ring_buffer__new()/__add(). This reader maps the same
// rings itself (from ring__map_fd() and ring__size(); the consumer position
// lives in the map, so both see one position) and calls the caller's
// visitor inlined: one acquire load of producer_pos per batch, one acquire
// load per record header, one release store of consumer_pos per batch, no
// copy (records past the ring's end are contiguous through the kernel's
// double mapping of the data pages), no allocation, no system call.
//
//   auto reader = bpfxx::RingBufferReader::open(rb).value();
//   reader.consume([&](const void* data, size_t size) { ...; return 0; });
//
// Lifetime and threads: the reader holds its own mappings and fd
// duplicates, so it may outlive the ring_buffer, but only one consumer may
// read a ring at a time: the reader and ring_buffer__consume*()/__poll()
// may take turns on a ring, not run at once. Not thread-safe itself.
#pragma once

#include <bpf/libbpf.h>

#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bpfxx {

// One ring of a BPF ring buffer, mapped for reading.
class RingReader {
 public:
  // Maps the ring r of a ring_buffer (ring_buffer__ring()).
  static Result<RingReader> open(const ring* r) {
    if (r == nullptr) return fail(EINVAL, "ring reader: ring is NULL");
    return map(ring__map_fd(r), ring__size(r));
  }

  RingReader(RingReader&& other) noexcept { *this = std::move(other); }
  RingReader& operator=(RingReader&& other) noexcept {
    if (this != &other) {
      unmap();
      consumer_pos_ = std::exchange(other.consumer_pos_, nullptr);
      producer_pos_ = std::exchange(other.producer_pos_, nullptr);
      data_ = std::exchange(other.data_, nullptr);
      mask_ = std::exchange(other.mask_, 0);
      page_ = std::exchange(other.page_, 0);
    }
    return *this;
  }
  RingReader(const RingReader&) = delete;
  RingReader& operator=(const RingReader&) = delete;
  ~RingReader() { unmap(); }

  size_t size() const noexcept { return static_cast<size_t>(mask_ + 1); }
  // Bytes committed, busy or discarded, and not yet consumed.
  uint64_t pending() const noexcept {
    return __atomic_load_n(producer_pos_, __ATOMIC_ACQUIRE) - __atomic_load_n(consumer_pos_, __ATOMIC_ACQUIRE);
  }

  // Hands up to limit committed records, in order, to fn(const void* data,
  // size_t size); discarded ones are skipped. fn may return an int: a
  // negative value stops consumption (the record counts as consumed) and
  // is returned. Otherwise the number of records handed over. Stops early
  // at a record still being written. -EINVAL for a record length larger
  // than the ring (the ring is then not consumed further).
  template <class Fn>
  int64_t consume(Fn&& fn, uint64_t limit = UINT64_MAX) {
    uint64_t cons = __atomic_load_n(consumer_pos_, __ATOMIC_ACQUIRE);
    int64_t count = 0;
    for (;;) {
      const uint64_t prod = __atomic_load_n(producer_pos_, __ATOMIC_ACQUIRE);
      const uint64_t start = cons;
      // The header word of the run of records being read and their step.
      // Records of one size usually come in runs: while a header repeats
      // the last one, the next position comes from this register, not from
      // the loaded header, so header loads do not wait on each other (the
      // compare is predicted). A repeated header was checked not busy.
      uint64_t run_len = UINT64_MAX;  // matches no u32 header
      uint64_t run_step = 0;
      while (cons < prod) {
        const uint8_t* hdr = data_ + (cons & mask_);
        const uint32_t len = __atomic_load_n(reinterpret_cast<const uint32_t*>(hdr), __ATOMIC_ACQUIRE);
        if (__builtin_expect(!!(len != run_len), 0)) {
          if ((len & kBusy) != 0) break;
          run_len = len;
          run_step = (static_cast<uint64_t>(len & ~kDiscard) + kHeader + 7) & ~uint64_t{7};
          // The kernel never commits a record larger than the ring; a
          // corrupt length must not send the visitor past the mapping.
          if (run_step > mask_ + 1) {
            __atomic_store_n(consumer_pos_, cons, __ATOMIC_RELEASE);  // what came before is consumed
            return -EINVAL;
          }
        }
        cons += run_step;
        if ((len & kDiscard) != 0) continue;
        const int rc = visit(fn, static_cast<const void*>(hdr + kHeader), static_cast<size_t>(len));
        ++count;
        if (__builtin_expect(!!(rc < 0 || static_cast<uint64_t>(count) >= limit), 0)) {
          __atomic_store_n(consumer_pos_, cons, __ATOMIC_RELEASE);
          return rc < 0 ? rc : count;
        }
      }
      if (cons == start) return count;  // nothing new (or a busy record first)
      // One store per batch: the producer gets the space back here.
      __atomic_store_n(consumer_pos_, cons, __ATOMIC_RELEASE);
      if (cons != prod) return count;  // stopped at a busy record
    }
  }

 private:
  static constexpr uint32_t kBusy = 1U << 31;     // BPF_RINGBUF_BUSY_BIT
  static constexpr uint32_t kDiscard = 1U << 30;  // BPF_RINGBUF_DISCARD_BIT
  static constexpr uint64_t kHeader = 8;          // BPF_RINGBUF_HDR_SZ

  RingReader() = default;

  template <class Fn>
  static int visit(Fn& fn, const void* data, size_t size) {
    if constexpr (std::is_void_v<std::invoke_result_t<Fn&, const void*, size_t>>) {
      fn(data, size);
      return 0;
    } else {
      return static_cast<int>(fn(data, size));
    }
  }

  // Consumer page read-write at offset 0; producer page and the data pages
  // (twice in a row) read-only after it.
  static Result<RingReader> map(int map_fd, size_t size) {
    const long page = ::sysconf(_SC_PAGESIZE);
    if (map_fd < 0 || page <= 0 || size == 0 || (size & (size - 1)) != 0 ||
        size > (SIZE_MAX - static_cast<size_t>(page)) / 2)
      return fail(EINVAL, "ring reader: map fd " + std::to_string(map_fd) + ", ring size " + std::to_string(size) +
                              ": not a mappable ring");
    RingReader r;
    r.page_ = static_cast<size_t>(page);
    r.mask_ = size - 1;
    void* cons = ::mmap(nullptr, r.page_, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
    if (cons == MAP_FAILED) {
      const int err = errno;
      return fail(err, "ring reader: map fd " + std::to_string(map_fd) +
                           ": mmap of the consumer page failed: " + std::strerror(err));
    }
    r.consumer_pos_ = static_cast<uint64_t*>(cons);
    void* prod = ::mmap(nullptr, r.page_ + 2 * size, PROT_READ, MAP_SHARED, map_fd, static_cast<off_t>(r.page_));
    if (prod == MAP_FAILED) {
      const int err = errno;  // r unmaps the consumer page
      return fail(err, "ring reader: map fd " + std::to_string(map_fd) +
                           ": mmap of the data pages failed: " + std::strerror(err));
    }
    r.producer_pos_ = static_cast<const uint64_t*>(prod);
    r.data_ = static_cast<const uint8_t*>(prod) + r.page_;
    return r;
  }

  void unmap() noexcept {
    if (consumer_pos_ != nullptr) ::munmap(consumer_pos_, page_);
    if (producer_pos_ != nullptr) ::munmap(const_cast<uint64_t*>(producer_pos_), page_ + 2 * (mask_ + 1));
    consumer_pos_ = nullptr;
    producer_pos_ = nullptr;
  }

  uint64_t* consumer_pos_ = nullptr;
  const uint64_t* producer_pos_ = nullptr;
  const uint8_t* data_ = nullptr;
  uint64_t mask_ = 0;
  size_t page_ = 0;
};

// Every ring of one ring_buffer (the ones added so far).
class RingBufferReader {
 public:
  static Result<RingBufferReader> open(ring_buffer* rb) {
    if (rb == nullptr) return fail(EINVAL, "ring buffer reader: ring buffer is NULL");
    RingBufferReader reader;
    for (unsigned idx = 0;; ++idx) {
      const ring* r = ring_buffer__ring(rb, idx);
      if (r == nullptr) break;
      auto mapped = RingReader::open(r);
      if (!mapped) return mapped.failure();
      reader.rings_.push_back(std::move(*mapped));
    }
    return reader;
  }

  // Each ring drained in turn, up to limit records in all. The total, or
  // the first negative return of fn.
  template <class Fn>
  int64_t consume(Fn&& fn, uint64_t limit = UINT64_MAX) {
    int64_t total = 0;
    for (RingReader& r : rings_) {
      if (static_cast<uint64_t>(total) >= limit) break;
      const int64_t got = r.consume(fn, limit - static_cast<uint64_t>(total));
      if (got < 0) return got;
      total += got;
    }
    return total;
  }

  std::vector<RingReader>& rings() noexcept { return rings_; }

 private:
  RingBufferReader() = default;
  std::vector<RingReader> rings_;
};

}  // namespace bpfxx
