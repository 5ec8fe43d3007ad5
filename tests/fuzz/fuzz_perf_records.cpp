// libFuzzer target: the perf ring reader over a ring whose bytes, head and
// tail are all attacker controlled (the kernel's shared memory, as far as
// the reader can tell) never reads outside the ring or the scratch buffer,
// never loops forever, and hands out only records that fit what it read.
// Both users of the shared walk: the C API's reader and the header-only
// bpfxx::PerfRing.
#include "buffers/perf_records.h"

#include <bpfxx/perf_buffer.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 17) return 0;
  uint64_t head = 0, tail = 0;
  std::memcpy(&head, data, 8);
  std::memcpy(&tail, data + 8, 8);
  const unsigned ring_shift = 3 + data[16] % 10;  // 8 bytes .. 4 KiB
  const size_t ring_size = size_t{1} << ring_shift;
  // Keep the head near the tail often enough to reach the records.
  if ((data[16] & 0x80) != 0) head = tail + (head % (2 * ring_size));
  std::vector<uint8_t> ring(ring_size, 0);
  const size_t body = size - 17;
  std::memcpy(ring.data(), data + 17, body < ring_size ? body : ring_size);
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  uint64_t handed = 0;
  auto res = bpfxx::buffers::read_perf_records(ring.data(), ring_size, head, tail, scratch.data(), -2,
                                               [&](perf_event_header* h, uint64_t rec_size) {
                                                 if (rec_size != h->size) std::abort();
                                                 if (rec_size < sizeof(*h) || rec_size > ring_size) std::abort();
                                                 volatile uint8_t last = reinterpret_cast<uint8_t*>(h)[rec_size - 1];
                                                 (void)last;
                                                 handed += rec_size;
                                                 return -2;
                                               });
  if (res.tail != head) std::abort();
  if (handed > ring_size) std::abort();

  // The same bytes through the header-only reader.
  const std::vector<uint8_t> ring_bytes(ring);
  perf_event_mmap_page ctl{};
  ctl.data_head = head;
  ctl.data_tail = tail;
  auto reader = bpfxx::PerfRing::over(&ctl, ring_bytes.data(), ring_size, scratch.data());
  if (!reader) std::abort();
  const uint8_t* ring_begin = ring_bytes.data();
  const uint8_t* scratch_begin = scratch.data();
  uint64_t sample_bytes = 0;
  const int64_t got = reader->consume(
      [&](const void* p, uint32_t len) {
        const auto* b = static_cast<const uint8_t*>(p);
        const bool in_ring = b >= ring_begin && b + len <= ring_begin + ring_size;
        const bool in_scratch = b >= scratch_begin && b + len <= scratch_begin + scratch.size();
        if (!in_ring && !in_scratch) std::abort();
        if (len > 0) {
          volatile uint8_t last = b[len - 1];
          (void)last;
        }
        sample_bytes += len;
      },
      [](uint64_t) {});
  if (ctl.data_tail != head) std::abort();
  if (got < 0 ? got != -EINVAL : sample_bytes > ring_size) std::abort();
  return 0;
}
