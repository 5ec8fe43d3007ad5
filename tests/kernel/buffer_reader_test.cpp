// The header-only batch readers (bpfxx::RingBufferReader,
// bpfxx::PerfBufferReader) against the kernel: every record once, in order,
// intact (wrapped ones included), taking turns with the C API on the same
// rings, limits and stopping visitors, exact loss counts; and the
// documented way to free a buffer that another thread polls: stop that
// thread first (poll timeout + flag, or an eventfd in the epoll set).
#include "buffer_test_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/perf_buffer.hpp>
#include <bpfxx/ring_buffer.hpp>

#include <gtest/gtest.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace bpfxx::test;

TEST(BufferReader, RingReaderStreamsEveryCommittedRecordTakingTurnsWithTheCApi) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile RingStreamControl* ctl = control_block<RingStreamControl>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* emit = must_find_program(obj.get(), "emit");
  RingStreamCheck check;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")),
                                    &RingStreamCheck::cb, &check, nullptr));
  ASSERT_TRUE(rb) << std::strerror(errno);
  check.r = ring_buffer__ring(rb.get(), 0);
  auto reader = bpfxx::RingBufferReader::open(rb.get());
  ASSERT_TRUE(reader) << reader.message();
  ASSERT_EQ(reader->rings().size(), 1u);
  EXPECT_EQ(reader->rings()[0].size(), 256u * 1024);

  ctl->per_run = 400;
  const uint64_t runs = 1000;
  uint64_t consumed = 0;
  for (uint64_t i = 0; i < runs; ++i) {
    ASSERT_EQ(run_raw_tp(emit), 0);
    int64_t n;
    if (i % 3 == 0) {
      n = ring_buffer__consume(rb.get());
    } else {
      // The same check as the callback, through the inlined visitor.
      n = reader->consume([&](const void* data, size_t size) {
        return RingStreamCheck::cb(&check, const_cast<void*>(data), size);
      });
    }
    ASSERT_GE(n, 0);
    consumed += static_cast<uint64_t>(n);
  }
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(ctl->committed + ctl->discarded, runs * 400);
  EXPECT_GT(ctl->discarded, 0u);
  EXPECT_EQ(check.received, ctl->committed);
  EXPECT_EQ(consumed, ctl->committed);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
  EXPECT_EQ(ring__consumer_pos(check.r), ring__producer_pos(check.r));
  EXPECT_EQ(reader->rings()[0].pending(), 0u);
}

TEST(BufferReader, RingReaderHonoursLimitsAndStoppingVisitors) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile RingStreamControl* ctl = control_block<RingStreamControl>(obj.get());
  ASSERT_NE(ctl, nullptr);
  RingStreamCheck check;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")),
                                    &RingStreamCheck::cb, &check, nullptr));
  ASSERT_TRUE(rb);
  check.r = ring_buffer__ring(rb.get(), 0);
  auto reader = bpfxx::RingBufferReader::open(rb.get());
  ASSERT_TRUE(reader) << reader.message();
  ctl->per_run = 125;  // 100 committed
  ASSERT_EQ(run_raw_tp(must_find_program(obj.get(), "emit")), 0);
  ASSERT_EQ(ctl->committed, 100u);
  auto visit = [&](const void* data, size_t size) { RingStreamCheck::cb(&check, const_cast<void*>(data), size); };
  EXPECT_EQ(reader->consume(visit, 10), 10);
  EXPECT_EQ(check.received, 10u);
  int calls = 0;
  EXPECT_EQ(reader->consume(
                [&](const void* data, size_t size) {
                  RingStreamCheck::cb(&check, const_cast<void*>(data), size);
                  return ++calls == 3 ? -7 : 0;
                }),
            -7);
  EXPECT_EQ(check.received, 13u);
  // The C API goes on where the reader stopped.
  EXPECT_EQ(ring_buffer__consume_n(rb.get(), 7), 7);
  EXPECT_EQ(reader->consume(visit), 80);
  EXPECT_EQ(check.received, 100u);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
  EXPECT_EQ(reader->consume(visit), 0);

  auto none = bpfxx::RingBufferReader::open(nullptr);
  EXPECT_FALSE(none);
  EXPECT_EQ(none.error(), EINVAL);
  auto no_ring = bpfxx::RingReader::open(nullptr);
  EXPECT_FALSE(no_ring);
}

TEST(BufferReader, PerfReaderSamplesFromKnownCpusArriveWhole) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  volatile PerfStreamControl* ctl = control_block<PerfStreamControl>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* send = must_find_program(obj.get(), "send");
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));
  PerfSampleCheck check;
  PerfBufferPtr pb(
      perf_buffer__new(map_fd, 16, &PerfSampleCheck::on_sample, &PerfSampleCheck::on_lost, &check, nullptr));
  ASSERT_TRUE(pb) << std::strerror(errno);
  check.pb = pb.get();
  auto reader = bpfxx::PerfBufferReader::open(pb.get());
  ASSERT_TRUE(reader) << reader.message();
  EXPECT_GE(reader->rings().size(), 1u);

  for (int cpu : test_cpus()) {
    check.want_cpu = cpu;
    check.next_seq = ctl->next_seq;
    ctl->per_run = 150;  // ~40 KiB per run in 64 KiB rings: wraps often
    for (int run = 0; run < 60; ++run) {
      ASSERT_EQ(run_raw_tp(send, cpu), 0);
      if (run % 3 == 0) {
        ASSERT_EQ(perf_buffer__consume(pb.get()), 0);
        continue;
      }
      auto on_sample = [&](const void* data, uint32_t size) {
        PerfSampleCheck::on_sample(&check, cpu, const_cast<void*>(data), size);
      };
      auto on_lost = [&](uint64_t n) { PerfSampleCheck::on_lost(&check, cpu, n); };
      const int64_t got = run % 3 == 1 ? reader->consume(on_sample, on_lost)
                                       : reader->consume_buffer(static_cast<size_t>(cpu), on_sample, on_lost);
      ASSERT_GT(got, 0);
    }
  }
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(check.lost, 0u);
  EXPECT_EQ(check.received, ctl->sent);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
  EXPECT_GT(check.copied, 0u) << "no sample ran past the end of a ring";
  EXPECT_EQ(reader->consume_buffer(4096, [](const void*, uint32_t) {}, [](uint64_t) {}), -ENOENT);
  EXPECT_FALSE(bpfxx::PerfBufferReader::open(nullptr));
}

TEST(BufferReader, PerfReaderReportsExactLossesAndStops) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  volatile PerfStreamControl* ctl = control_block<PerfStreamControl>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* send = must_find_program(obj.get(), "send");
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));
  const int cpu = test_cpus().back();
  PerfSampleCheck check;
  check.want_cpu = cpu;
  PerfBufferPtr pb(
      perf_buffer__new(map_fd, 1, &PerfSampleCheck::on_sample, &PerfSampleCheck::on_lost, &check, nullptr));
  ASSERT_TRUE(pb);
  check.pb = pb.get();
  auto reader = bpfxx::PerfBufferReader::open(pb.get());
  ASSERT_TRUE(reader) << reader.message();
  auto on_sample = [&](const void* data, uint32_t size) {
    PerfSampleCheck::on_sample(&check, cpu, const_cast<void*>(data), size);
  };
  auto on_lost = [&](uint64_t n) { PerfSampleCheck::on_lost(&check, cpu, n); };
  ctl->fixed_size = 200;
  for (int round = 0; round < 20; ++round) {
    ctl->per_run = 1000;  // one page holds ~18
    ASSERT_EQ(run_raw_tp(send, cpu), 0);
    ASSERT_GE(reader->consume(on_sample, on_lost), 0);
  }
  ctl->per_run = 1;  // carries the last loss report
  ASSERT_EQ(run_raw_tp(send, cpu), 0);
  ASSERT_GE(reader->consume(on_sample, on_lost), 0);
  const uint64_t produced = ctl->sent + ctl->failures;
  EXPECT_EQ(produced, 20001u);
  EXPECT_GT(ctl->failures, 0u);
  EXPECT_EQ(check.lost, ctl->failures);
  EXPECT_EQ(check.received + check.lost, produced);
  EXPECT_EQ(check.bad, 0u) << check.first_error;

  // A negative visitor return stops after that sample; the rest stays.
  ctl->per_run = 10;
  ASSERT_EQ(run_raw_tp(send, cpu), 0);
  int calls = 0;
  EXPECT_EQ(reader->consume([&](const void*, uint32_t) { return ++calls == 4 ? -9 : 0; }, on_lost), -9);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(reader->consume([&](const void*, uint32_t) { ++calls; }, on_lost), 6);
  EXPECT_EQ(calls, 10);
}

// What libbpf.h documents for ring_buffer__free/perf_buffer__free: the
// call must not race with a poll on another thread. The two ways to stop
// such a thread first both work: a poll timeout with a flag, and an
// eventfd added to the buffer's epoll fd (bpfxx skips epoll events it did
// not register), which wakes even an endless poll.
TEST(BufferReader, PollingThreadStopsBeforeFree) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::UniqueFd ring_map(bpf_map_create(BPF_MAP_TYPE_RINGBUF, nullptr, 0, 0, 4096, nullptr));
  bpfxx::UniqueFd perf_map(bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, nullptr, 4, 4, 1, nullptr));
  BPFXX_ASSERT_FD(ring_map, "creating a ring buffer map");
  BPFXX_ASSERT_FD(perf_map, "creating a perf event array");
  for (int round = 0; round < 2; ++round) {
    const bool use_eventfd = round == 1;
    SCOPED_TRACE(use_eventfd ? "woken by an eventfd" : "poll timeout and a flag");
    ring_buffer* rb = ring_buffer__new(ring_map.get(), [](void*, void*, size_t) { return 0; }, nullptr, nullptr);
    perf_buffer* pb =
        perf_buffer__new(perf_map.get(), 1, [](void*, int, void*, __u32) {}, nullptr, nullptr, nullptr);
    ASSERT_NE(rb, nullptr);
    ASSERT_NE(pb, nullptr);
    bpfxx::UniqueFd wake(eventfd(0, EFD_CLOEXEC));
    BPFXX_ASSERT_FD(wake, "eventfd");
    if (use_eventfd) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = UINT64_MAX;  // a tag no buffer slot uses
      ASSERT_EQ(epoll_ctl(ring_buffer__epoll_fd(rb), EPOLL_CTL_ADD, wake.get(), &ev), 0);
      ASSERT_EQ(epoll_ctl(perf_buffer__epoll_fd(pb), EPOLL_CTL_ADD, wake.get(), &ev), 0);
    }
    std::atomic<bool> stop{false};
    std::atomic<int> errors{0};
    const int timeout = use_eventfd ? -1 : 20;
    std::thread ring_poller([&] {
      while (!stop.load())
        if (ring_buffer__poll(rb, timeout) < 0) ++errors;
    });
    std::thread perf_poller([&] {
      while (!stop.load())
        if (perf_buffer__poll(pb, timeout) < 0) ++errors;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // both asleep in epoll_wait
    const auto t0 = std::chrono::steady_clock::now();
    stop = true;
    if (use_eventfd) {
      ASSERT_EQ(eventfd_write(wake.get(), 1), 0);
    }
    ring_poller.join();
    perf_poller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    EXPECT_EQ(errors.load(), 0);
    ring_buffer__free(rb);
    perf_buffer__free(pb);
    int key = 0, value = 0;
    EXPECT_NE(bpf_map_lookup_elem(perf_map.get(), &key, &value), 0) << "expected the perf event gone from the map";
  }
}

}  // namespace
