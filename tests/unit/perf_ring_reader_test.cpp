// bpfxx::PerfRing (the header-only batch reader) over a fake perf mapping
// in plain memory: every sample of random record streams handed over in
// order (runs of one size broken anywhere, records wrapping the end, loss
// records), samples with impossible raw sizes skipped, the visitor's stop
// (also on a wrapped record), and corrupt headers ending in -EINVAL with
// the rest of the ring dropped.
#include <bpfxx/perf_buffer.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

namespace {

using bpfxx::PerfRing;

// One perf event mapping: the control page and the data ring, with a
// writer that wraps records like the kernel's.
struct FakePerfMapping {
  explicit FakePerfMapping(uint64_t size) : data(size, 0) {}

  void put(uint32_t type, const std::vector<uint8_t>& body) {
    const uint16_t size = static_cast<uint16_t>(sizeof(perf_event_header) + body.size());
    perf_event_header h{type, 0, size};
    std::vector<uint8_t> rec(sizeof(h));
    std::memcpy(rec.data(), &h, sizeof(h));
    rec.insert(rec.end(), body.begin(), body.end());
    for (size_t i = 0; i < rec.size(); ++i) data[(head() + i) % data.size()] = rec[i];
    ctl.data_head = head() + size;
  }
  // A PERF_SAMPLE_RAW sample: u32 size, the bytes, padded to 8.
  void put_sample(const std::vector<uint8_t>& raw, uint32_t claimed_size) {
    std::vector<uint8_t> body(sizeof(uint32_t));
    std::memcpy(body.data(), &claimed_size, sizeof(claimed_size));
    body.insert(body.end(), raw.begin(), raw.end());
    body.resize((sizeof(perf_event_header) + body.size() + 7) / 8 * 8 - sizeof(perf_event_header), 0);
    put(PERF_RECORD_SAMPLE, body);
  }
  void put_sample(const std::vector<uint8_t>& raw) { put_sample(raw, static_cast<uint32_t>(raw.size())); }
  void put_lost(uint64_t count) {
    std::vector<uint8_t> body(16, 0);  // id, lost
    std::memcpy(body.data() + 8, &count, sizeof(count));
    put(PERF_RECORD_LOST, body);
  }
  // Overwrites the header at ring position pos.
  void poke_header(uint64_t pos, uint32_t type, uint16_t size) {
    perf_event_header h{type, 0, size};
    std::memcpy(data.data() + pos % data.size(), &h, sizeof(h));
  }
  uint64_t head() const { return ctl.data_head; }

  PerfRing ring(std::vector<uint8_t>& scratch) {
    auto r = PerfRing::over(&ctl, data.data(), data.size(), scratch.data());
    EXPECT_TRUE(r.ok()) << r.message();
    return *r;
  }

  perf_event_mmap_page ctl{};
  std::vector<uint8_t> data;
};

struct Reader {
  std::vector<uint8_t> scratch = std::vector<uint8_t>(bpfxx::detail::kPerfMaxRecord);
  std::vector<std::vector<uint8_t>> samples;
  uint64_t lost = 0;

  int64_t consume(PerfRing& ring) {
    return ring.consume(
        [&](const void* data, uint32_t size) {
          const auto* p = static_cast<const uint8_t*>(data);
          samples.emplace_back(p, p + size);
        },
        [&](uint64_t n) { lost += n; });
  }
};

std::vector<uint8_t> pattern(size_t size, uint32_t seed) {
  std::vector<uint8_t> v(size);
  for (size_t i = 0; i < size; ++i) v[i] = static_cast<uint8_t>(seed * 131 + i * 7);
  return v;
}

TEST(PerfRingReader, RandomStreamsMatchTheWrittenRecords) {
  std::mt19937 rng(1234);
  for (uint64_t ring_size : {64u, 256u, 4096u, 65536u}) {
    FakePerfMapping map(ring_size);
    Reader reader;
    PerfRing ring = map.ring(reader.scratch);
    std::vector<std::vector<uint8_t>> written;
    uint64_t lost_written = 0;
    for (int batch = 0; batch < 300; ++batch) {
      // Fill up to the space the consumer left, mostly in runs of one
      // size (the reader's fast path), broken at random places.
      uint32_t run_raw = rng() % 40;
      for (;;) {
        if (rng() % 5 == 0) run_raw = rng() % (ring_size > 256 ? 200 : 40);
        const bool lost = rng() % 17 == 0;
        const uint64_t need = lost ? 24 : (sizeof(perf_event_header) + 4 + run_raw + 7) / 8 * 8;
        if (map.head() + need - map.ctl.data_tail > ring_size) break;
        if (lost) {
          const uint64_t n = rng() % 1000 + 1;
          map.put_lost(n);
          lost_written += n;
        } else {
          written.push_back(pattern(run_raw, static_cast<uint32_t>(written.size())));
          map.put_sample(written.back());
        }
        if (rng() % 9 == 0) break;
      }
      const size_t before = reader.samples.size();
      const int64_t got = reader.consume(ring);
      ASSERT_EQ(got, static_cast<int64_t>(reader.samples.size() - before));
      ASSERT_EQ(map.ctl.data_tail, map.head());
    }
    ASSERT_EQ(reader.samples.size(), written.size()) << "ring " << ring_size;
    for (size_t i = 0; i < written.size(); ++i) ASSERT_EQ(reader.samples[i], written[i]) << "sample " << i;
    EXPECT_EQ(reader.lost, lost_written);
  }
}

TEST(PerfRingReader, RunOfOneSizeBrokenByALongerRecord) {
  FakePerfMapping map(4096);
  for (uint32_t i = 0; i < 10; ++i) map.put_sample(pattern(20, i));
  map.put_sample(pattern(100, 10));
  for (uint32_t i = 11; i < 20; ++i) map.put_sample(pattern(20, i));
  Reader reader;
  PerfRing ring = map.ring(reader.scratch);
  ASSERT_EQ(reader.consume(ring), 20);
  for (uint32_t i = 0; i < 20; ++i) EXPECT_EQ(reader.samples[i], pattern(i == 10 ? 100 : 20, i)) << i;
  EXPECT_EQ(map.ctl.data_tail, map.head());
}

TEST(PerfRingReader, SampleClaimingMoreThanItsRecordIsSkipped) {
  FakePerfMapping map(256);
  map.put_sample(pattern(8, 1));
  map.put_sample(pattern(8, 2), 9000);  // raw size past its record's end
  map.put_sample(pattern(8, 3));
  Reader reader;
  PerfRing ring = map.ring(reader.scratch);
  EXPECT_EQ(reader.consume(ring), 2);
  ASSERT_EQ(reader.samples.size(), 2u);
  EXPECT_EQ(reader.samples[1], pattern(8, 3));
}

TEST(PerfRingReader, NegativeVisitorReturnStopsAfterThatRecord) {
  FakePerfMapping map(256);
  for (uint32_t i = 0; i < 4; ++i) map.put_sample(pattern(12, i));  // 24-byte records
  std::vector<uint8_t> scratch(bpfxx::detail::kPerfMaxRecord);
  PerfRing ring = map.ring(scratch);
  int calls = 0;
  auto stop_at_second = [&](const void*, uint32_t) { return ++calls == 2 ? -42 : 0; };
  EXPECT_EQ(ring.consume(stop_at_second, [](uint64_t) {}), -42);
  EXPECT_EQ(map.ctl.data_tail, 48u);
  EXPECT_EQ(ring.pending(), 48u);
  EXPECT_EQ(ring.consume([](const void*, uint32_t) { return 0; }, [](uint64_t) {}), 2);
  EXPECT_EQ(map.ctl.data_tail, map.head());
}

TEST(PerfRingReader, StopOnAWrappedRecord) {
  FakePerfMapping map(64);
  map.ctl.data_head = map.ctl.data_tail = 48;
  map.put_sample(pattern(12, 1));  // 24 bytes from 48: wraps
  map.put_sample(pattern(12, 2));
  std::vector<uint8_t> scratch(bpfxx::detail::kPerfMaxRecord);
  PerfRing ring = map.ring(scratch);
  std::vector<uint8_t> got;
  auto stop_first = [&](const void* data, uint32_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    EXPECT_TRUE(p >= scratch.data() && p + size <= scratch.data() + scratch.size());
    got.assign(p, p + size);
    return -7;
  };
  EXPECT_EQ(ring.consume(stop_first, [](uint64_t) {}), -7);
  EXPECT_EQ(got, pattern(12, 1));
  EXPECT_EQ(map.ctl.data_tail, 72u);
}

TEST(PerfRingReader, CorruptHeadersDropTheRestOfTheRing) {
  const uint16_t bad_sizes[] = {0, 4, 12, 200};  // too small, off the 8-byte grid, past head
  for (uint16_t bad : bad_sizes) {
    FakePerfMapping map(256);
    for (uint32_t i = 0; i < 3; ++i) map.put_sample(pattern(12, i));  // 24-byte records
    map.poke_header(24, PERF_RECORD_SAMPLE, bad);
    Reader reader;
    PerfRing ring = map.ring(reader.scratch);
    EXPECT_EQ(reader.consume(ring), -EINVAL) << "size " << bad;
    EXPECT_EQ(reader.samples.size(), 1u) << "size " << bad;
    EXPECT_EQ(map.ctl.data_tail, map.head()) << "size " << bad;
  }
  // A head more than a ring ahead, or off the 8-byte grid; a first header
  // of size 0 (all-zero ring).
  for (uint64_t head : {1000u, 20u, 16u}) {
    FakePerfMapping map(256);
    map.ctl.data_head = head;
    Reader reader;
    PerfRing ring = map.ring(reader.scratch);
    EXPECT_EQ(reader.consume(ring), -EINVAL) << "head " << head;
    EXPECT_TRUE(reader.samples.empty());
    EXPECT_EQ(map.ctl.data_tail, head);
  }
}

TEST(PerfRingReader, OverRefusesBadMappings) {
  perf_event_mmap_page ctl{};
  std::vector<uint8_t> data(64), scratch(bpfxx::detail::kPerfMaxRecord);
  EXPECT_EQ(PerfRing::over(nullptr, data.data(), 64, scratch.data()).error(), EINVAL);
  EXPECT_EQ(PerfRing::over(&ctl, nullptr, 64, scratch.data()).error(), EINVAL);
  EXPECT_EQ(PerfRing::over(&ctl, data.data(), 64, nullptr).error(), EINVAL);
  auto odd = PerfRing::over(&ctl, data.data(), 48, scratch.data(), 3);
  EXPECT_EQ(odd.error(), EINVAL);
  EXPECT_NE(odd.message().find("slot 3: ring size 48"), std::string::npos) << odd.message();
  EXPECT_EQ(PerfRing::over(&ctl, data.data(), 4, scratch.data()).error(), EINVAL);
  EXPECT_TRUE(PerfRing::over(&ctl, data.data(), 64, scratch.data()).ok());
}

}  // namespace
