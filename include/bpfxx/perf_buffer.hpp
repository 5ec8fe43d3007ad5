// bpfxx::PerfBufferReader: batch consumption of a perf buffer's records in
// place, header-only over the C ABI.
//
// perf_buffer__consume() makes one indirect call per record through the
// callback given to perf_buffer__new(). This reader walks the same rings
// (found through perf_buffer__buffer()) with the caller's visitor inlined:
// one acquire load of data_head and one release store of data_tail per
// ring and batch, no copy unless a record runs past the ring's end, no
// allocation and no system call while consuming.
//
//   auto reader = bpfxx::PerfBufferReader::open(pb).value();
//   reader.consume([&](const void* data, uint32_t size) { ...; return 0; },
//                  [&](uint64_t lost) { dropped += lost; });
//
// For buffers made by perf_buffer__new() (samples carry PERF_SAMPLE_RAW
// only); perf_buffer__new_raw() buffers with other sample layouts need
// their own parser. Records of other types are skipped.
//
// Lifetime and threads: the reader points into the perf_buffer's mappings,
// so it must not outlive the perf_buffer, and perf_buffer__free() must not
// run while any thread consumes through it (the same rule as for
// perf_buffer__poll()). One consumer per ring at a time: the reader and
// perf_buffer__consume*() may take turns on a ring, not run at once.
#pragma once

#include <bpf/libbpf.h>

#include <bpfxx/detail/perf_walk.hpp>
#include <bpfxx/result.hpp>

#include <linux/perf_event.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bpfxx {

namespace perf_detail {

// Calls fn(args...); a visitor returning void never stops consumption.
template <class Fn, class... Args>
inline int visit(Fn& fn, Args... args) {
  if constexpr (std::is_void_v<std::invoke_result_t<Fn&, Args...>>) {
    fn(args...);
    return 0;
  } else {
    return static_cast<int>(fn(args...));
  }
}

}  // namespace perf_detail

// One CPU ring of a perf buffer. Made by PerfBufferReader.
class PerfRing {
 public:
  // The perf buffer slot this ring is (perf_buffer__buffer's index).
  size_t slot() const noexcept { return slot_; }
  // Bytes published and not yet consumed.
  uint64_t pending() const noexcept { return __atomic_load_n(&ctl_->data_head, __ATOMIC_ACQUIRE) - ctl_->data_tail; }

  // A ring over a perf event mapping made elsewhere: its control page,
  // and data_size bytes of data (a power of two of at least 8). It must
  // be a forward ring (not write_backward) mapped read-write, since the
  // reader stores data_tail; one consumer at a time. scratch holds
  // detail::kPerfMaxRecord bytes; it and the mapping outlive the ring.
  // Fails with EINVAL for a null pointer or a bad size.
  static Result<PerfRing> over(perf_event_mmap_page* ctl, const void* data, uint64_t data_size, uint8_t* scratch,
                               size_t slot = 0) {
    if (ctl == nullptr || data == nullptr || scratch == nullptr)
      return fail(EINVAL, "perf ring: control page, data or scratch is NULL");
    if (data_size < 8 || (data_size & (data_size - 1)) != 0)
      return fail(EINVAL, "perf ring: slot " + std::to_string(slot) + ": ring size " + std::to_string(data_size) +
                              " is not a power of two of at least 8");
    return PerfRing(slot, ctl, static_cast<const uint8_t*>(data), data_size, scratch);
  }

  // Hands every sample published so far to on_sample(const void* data,
  // uint32_t size) and every loss report to on_lost(uint64_t count).
  // on_sample may return an int: a negative value stops consumption (the
  // record counts as consumed) and is returned. Otherwise returns the
  // number of samples handed over, or -EINVAL when a record header is
  // impossible (the rest of the ring is then dropped).
  template <class OnSample, class OnLost>
  int64_t consume(OnSample&& on_sample, OnLost&& on_lost) {
    const uint64_t head = __atomic_load_n(&ctl_->data_head, __ATOMIC_ACQUIRE);
    const uint64_t tail = ctl_->data_tail;  // only the consumer writes it
    if (head == tail) return 0;
    int64_t samples = 0;
    int stop_rc = 0;
    const detail::PerfWalkResult walk = detail::walk_perf_ring(
        data_, mask_ + 1, head, tail, scratch_, [&](const uint8_t* rec, uint64_t word, uint64_t rec_size) {
          stop_rc = handle(rec, word, rec_size, samples, on_sample, on_lost);
          return stop_rc >= 0;
        });
    __atomic_store_n(&ctl_->data_tail, walk.tail, __ATOMIC_RELEASE);
    if (walk.end == detail::PerfWalkEnd::kStopped) return stop_rc;
    if (walk.end == detail::PerfWalkEnd::kCorrupt) return -EINVAL;
    return samples;
  }

 private:
  friend class PerfBufferReader;
  // header, u32 raw size; then the raw bytes.
  static constexpr uint64_t kSampleHeader = sizeof(perf_event_header) + sizeof(uint32_t);
  // header, u64 id, u64 lost.
  static constexpr uint64_t kLostRecord = sizeof(perf_event_header) + 2 * sizeof(uint64_t);

  PerfRing(size_t slot, perf_event_mmap_page* ctl, const uint8_t* data, uint64_t size, uint8_t* scratch)
      : ctl_(ctl), data_(data), mask_(size - 1), scratch_(scratch), slot_(slot) {}

  // One record (its header word already loaded) handed to the visitors.
  // Counts samples; returns the sample visitor's stop value (< 0) or 0.
  template <class OnSample, class OnLost>
  static int handle(const uint8_t* rec, uint64_t word, uint64_t rec_size, int64_t& samples, OnSample& on_sample,
                    OnLost& on_lost) {
    const uint32_t type = static_cast<uint32_t>(word);
    if (__builtin_expect(!!(type == PERF_RECORD_SAMPLE && rec_size >= kSampleHeader), 1)) {
      uint32_t raw_size;
      std::memcpy(&raw_size, rec + sizeof(perf_event_header), sizeof(raw_size));
      if (__builtin_expect(!!(raw_size > rec_size - kSampleHeader), 0)) return 0;  // malformed: skipped
      ++samples;
      return perf_detail::visit(on_sample, static_cast<const void*>(rec + kSampleHeader), raw_size);
    }
    if (type == PERF_RECORD_LOST && rec_size >= kLostRecord) {
      uint64_t lost;
      std::memcpy(&lost, rec + sizeof(perf_event_header) + sizeof(uint64_t), sizeof(lost));
      on_lost(lost);
    }
    return 0;
  }

  perf_event_mmap_page* ctl_;
  const uint8_t* data_;
  uint64_t mask_;
  uint8_t* scratch_;  // the reader's, detail::kPerfMaxRecord bytes
  size_t slot_;
};

// Every ring of one perf_buffer. Not thread-safe: one thread consumes
// through a reader at a time.
class PerfBufferReader {
 public:
  // The rings of pb's slots that have one (a CPU that was offline when pb
  // was made has none). Fails with EINVAL for a null pb or an unusable
  // ring size.
  static Result<PerfBufferReader> open(perf_buffer* pb) {
    if (pb == nullptr) return fail(EINVAL, "perf buffer reader: perf buffer is NULL");
    const long page = ::sysconf(_SC_PAGESIZE);
    PerfBufferReader reader;
    reader.scratch_ = std::make_unique<uint8_t[]>(detail::kPerfMaxRecord);
    const size_t count = perf_buffer__buffer_cnt(pb);
    for (size_t i = 0; i < count; ++i) {
      void* base = nullptr;
      size_t size = 0;
      if (perf_buffer__buffer(pb, static_cast<int>(i), &base, &size) != 0) continue;  // no ring for this slot
      if (page <= 0) return fail(EINVAL, "perf buffer reader: no page size");
      Result<PerfRing> ring = PerfRing::over(static_cast<perf_event_mmap_page*>(base),
                                             static_cast<const uint8_t*>(base) + page, size, reader.scratch_.get(), i);
      if (!ring) return fail(ring.error(), "perf buffer reader: " + ring.message());
      reader.rings_.push_back(*ring);
    }
    return reader;
  }

  // Every ring drained once (see PerfRing::consume). The total number of
  // samples, or the first negative return (later rings are then left).
  template <class OnSample, class OnLost>
  int64_t consume(OnSample&& on_sample, OnLost&& on_lost) {
    int64_t total = 0;
    for (PerfRing& r : rings_) {
      const int64_t got = r.consume(on_sample, on_lost);
      if (got < 0) return got;
      total += got;
    }
    return total;
  }

  // The ring of perf buffer slot `slot` drained; -ENOENT when that slot
  // has no ring.
  template <class OnSample, class OnLost>
  int64_t consume_buffer(size_t slot, OnSample&& on_sample, OnLost&& on_lost) {
    PerfRing* r = find(slot);
    return r != nullptr ? r->consume(on_sample, on_lost) : -ENOENT;
  }

  // The rings (one per slot that has one, in slot order).
  std::vector<PerfRing>& rings() noexcept { return rings_; }
  PerfRing* find(size_t slot) noexcept {
    for (PerfRing& r : rings_)
      if (r.slot() == slot) return &r;
    return nullptr;
  }

 private:
  PerfBufferReader() = default;

  std::unique_ptr<uint8_t[]> scratch_;  // records that wrap the ring's end
  std::vector<PerfRing> rings_;
};

}  // namespace bpfxx
