// The perf ring reader over a fake ring in plain memory: records in order,
// a record running past the end handed over whole from the scratch copy,
// the callback's stop, and corrupt headers (size 0, too small, larger than
// what the kernel published, a head too far ahead) dropping the rest of the
// ring instead of reading out of bounds or looping forever.
#include "buffers/perf_records.h"

#include <gtest/gtest.h>

#include <cstring>
#include <iterator>
#include <vector>

namespace {

using bpfxx::buffers::PerfReadStatus;
using bpfxx::buffers::read_perf_records;

constexpr int kCont = -2;
constexpr uint64_t kRingSize = 256;

// A ring with a writer that wraps like the kernel's.
struct FakeRing {
  std::vector<uint8_t> data = std::vector<uint8_t>(kRingSize, 0);
  uint64_t head = 0;

  void put(uint16_t type, uint16_t size, uint8_t fill) {
    std::vector<uint8_t> rec(size, fill);
    perf_event_header h{type, 0, size};
    std::memcpy(rec.data(), &h, sizeof(h) <= size ? sizeof(h) : size);
    for (size_t i = 0; i < rec.size(); ++i) data[(head + i) % kRingSize] = rec[i];
    head += size;
  }
};

struct Seen {
  std::vector<std::pair<uint16_t, uint8_t>> records;  // size, fill byte
};

TEST(PerfRecords, RecordsInOrderAndWrappedOnesWhole) {
  FakeRing ring;
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  uint64_t tail = 0;
  Seen seen;
  auto fn = [&](perf_event_header* h, uint64_t size) {
    EXPECT_EQ(size, h->size);
    const auto* bytes = reinterpret_cast<const uint8_t*>(h);
    for (size_t i = sizeof(*h); i < h->size; ++i)
      if (bytes[i] != bytes[sizeof(*h)]) ADD_FAILURE() << "torn record";
    seen.records.emplace_back(h->size, bytes[sizeof(*h)]);
    return kCont;
  };
  for (int round = 0; round < 20; ++round) {
    ring.put(PERF_RECORD_SAMPLE, 72, static_cast<uint8_t>(round));
    ring.put(PERF_RECORD_SAMPLE, 24, static_cast<uint8_t>(round + 100));
    auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, tail, scratch.data(), kCont, fn);
    ASSERT_EQ(res.status, PerfReadStatus::kDrained);
    tail = res.tail;
    ASSERT_EQ(tail, ring.head);
  }
  ASSERT_EQ(seen.records.size(), 40u);
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(seen.records[2 * round].first, 72);
    EXPECT_EQ(seen.records[2 * round].second, round);
    EXPECT_EQ(seen.records[2 * round + 1].second, round + 100);
  }
}

TEST(PerfRecords, RecordStartingInTheLastWordIsReadWhole) {
  FakeRing ring;
  ring.head = 248;  // header in the ring's last 8 bytes, body at the start
  const uint64_t tail = ring.head;
  ring.put(PERF_RECORD_LOST, 24, 7);
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  int calls = 0;
  auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, tail, scratch.data(), kCont,
                               [&](perf_event_header* h, uint64_t) {
                                 ++calls;
                                 EXPECT_EQ(h->type, PERF_RECORD_LOST);
                                 EXPECT_EQ(h->size, 24);
                                 return kCont;
                               });
  EXPECT_EQ(res.status, PerfReadStatus::kDrained);
  EXPECT_EQ(calls, 1);
}

TEST(PerfRecords, CallbackStopKeepsTheRest) {
  FakeRing ring;
  for (int i = 0; i < 3; ++i) ring.put(PERF_RECORD_SAMPLE, 16, static_cast<uint8_t>(i));
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, 0, scratch.data(), kCont,
                               [](perf_event_header*, uint64_t) { return 0; });
  EXPECT_EQ(res.status, PerfReadStatus::kStopped);
  EXPECT_EQ(res.callback_ret, 0);
  EXPECT_EQ(res.tail, 16u);
}

TEST(PerfRecords, StopOnAWrappedRecordPublishesThePositionAfterIt) {
  FakeRing ring;
  ring.head = 240;  // a 32-byte record from 240 wraps to the ring's start
  const uint64_t tail = ring.head;
  ring.put(PERF_RECORD_SAMPLE, 32, 9);
  ring.put(PERF_RECORD_SAMPLE, 16, 10);
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, tail, scratch.data(), kCont,
                               [&](perf_event_header* h, uint64_t size) {
                                 EXPECT_EQ(size, 32u);
                                 EXPECT_EQ(reinterpret_cast<uint8_t*>(h), scratch.data());  // the copy
                                 EXPECT_EQ(reinterpret_cast<uint8_t*>(h)[31], 9);
                                 return 0;  // LIBBPF_PERF_EVENT_DONE: stop here
                               });
  EXPECT_EQ(res.status, PerfReadStatus::kStopped);
  EXPECT_EQ(res.tail, tail + 32);
}

TEST(PerfRecords, SizeChangesInsideARunAreEachChecked) {
  FakeRing ring;
  const uint16_t sizes[] = {16, 16, 16, 24, 24, 16, 40, 40, 40, 16};
  for (size_t i = 0; i < std::size(sizes); ++i) ring.put(PERF_RECORD_SAMPLE, sizes[i], static_cast<uint8_t>(i));
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  std::vector<std::pair<uint64_t, uint8_t>> seen;
  auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, 0, scratch.data(), kCont,
                               [&](perf_event_header* h, uint64_t size) {
                                 seen.emplace_back(size, reinterpret_cast<uint8_t*>(h)[size - 1]);
                                 return kCont;
                               });
  EXPECT_EQ(res.status, PerfReadStatus::kDrained);
  ASSERT_EQ(seen.size(), std::size(sizes));
  for (size_t i = 0; i < std::size(sizes); ++i) {
    EXPECT_EQ(seen[i].first, sizes[i]) << i;
    EXPECT_EQ(seen[i].second, i) << i;
  }
  // A run broken by an impossible size: the records before it are handed
  // over, the rest is dropped.
  FakeRing bad;
  for (int i = 0; i < 3; ++i) bad.put(PERF_RECORD_SAMPLE, 16, 1);
  perf_event_header h{PERF_RECORD_SAMPLE, 0, 20};
  std::memcpy(bad.data.data() + 32, &h, sizeof(h));
  int calls = 0;
  res = read_perf_records(bad.data.data(), kRingSize, bad.head, 0, scratch.data(), kCont,
                          [&](perf_event_header*, uint64_t) {
                            ++calls;
                            return kCont;
                          });
  EXPECT_EQ(res.status, PerfReadStatus::kCorrupt);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(res.tail, bad.head);
}

TEST(PerfRecords, CorruptHeadersDropTheRest) {
  std::vector<uint8_t> scratch(bpfxx::buffers::kPerfScratchSize);
  const uint16_t bad_sizes[] = {0, 4, 7, 12, 64};  // 12: off the 8-byte grid; 64: more than published
  for (uint16_t bad : bad_sizes) {
    FakeRing ring;
    ring.put(PERF_RECORD_SAMPLE, 16, 1);
    perf_event_header h{PERF_RECORD_SAMPLE, 0, bad};
    std::memcpy(ring.data.data() + 16, &h, sizeof(h));
    ring.head = 32;
    int calls = 0;
    auto res = read_perf_records(ring.data.data(), kRingSize, ring.head, 0, scratch.data(), kCont,
                                 [&](perf_event_header*, uint64_t) {
                                   ++calls;
                                   return kCont;
                                 });
    EXPECT_EQ(res.status, PerfReadStatus::kCorrupt) << "size " << bad;
    EXPECT_EQ(res.tail, 32u);
    EXPECT_EQ(calls, 1);
  }
  // The very first header already impossible (size 0 must not pass as the
  // size of an empty run: the walk would spin on it).
  {
    FakeRing zero;
    zero.head = 16;  // all bytes 0
    int calls = 0;
    auto res = read_perf_records(zero.data.data(), kRingSize, zero.head, 0, scratch.data(), kCont,
                                 [&](perf_event_header*, uint64_t) {
                                   ++calls;
                                   return kCont;
                                 });
    EXPECT_EQ(res.status, PerfReadStatus::kCorrupt);
    EXPECT_EQ(res.tail, 16u);
    EXPECT_EQ(calls, 0);
  }
  // A head more than a ring ahead of the tail.
  FakeRing ring;
  auto res = read_perf_records(ring.data.data(), kRingSize, 1000, 0, scratch.data(), kCont,
                               [](perf_event_header*, uint64_t) { return kCont; });
  EXPECT_EQ(res.status, PerfReadStatus::kCorrupt);
  EXPECT_EQ(res.tail, 1000u);
  // A tail off the 8-byte grid.
  res = read_perf_records(ring.data.data(), kRingSize, 20, 4, scratch.data(), kCont,
                          [](perf_event_header*, uint64_t) { return kCont; });
  EXPECT_EQ(res.status, PerfReadStatus::kCorrupt);
}

}  // namespace
