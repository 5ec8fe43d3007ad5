// The BPF ring buffer consumer against the kernel: every committed record
// exactly once, in order, intact (including records that run past the end
// of the ring and discarded ones that must not show up), callback returns,
// consume_n limits, several rings on one epoll, a consumer thread, and bad
// input refused with a message.
#include "buffer_test_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace {

using namespace bpfxx::test;

using Control = RingStreamControl;
using StreamCheck = RingStreamCheck;

TEST(RingBuffer, StreamsEveryCommittedRecordOnceInOrder) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* emit = must_find_program(obj.get(), "emit");
  bpf_map* rb_map = bpf_object__find_map_by_name(obj.get(), "rb");
  ASSERT_NE(rb_map, nullptr);

  StreamCheck check;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(rb_map), &StreamCheck::cb, &check, nullptr));
  ASSERT_TRUE(rb) << std::strerror(errno);
  check.r = ring_buffer__ring(rb.get(), 0);
  ASSERT_NE(check.r, nullptr);
  EXPECT_EQ(ring__size(check.r), 256u * 1024);

  // 400 records of at most 520 bytes fit the 256 KiB ring: every run is
  // consumed whole before the next.
  ctl->per_run = 400;
  const uint64_t runs = 2500;  // a million records
  uint64_t consumed = 0;
  for (uint64_t i = 0; i < runs; ++i) {
    ASSERT_EQ(run_raw_tp(emit), 0);
    const int n = (i % 2 == 0) ? ring_buffer__consume(rb.get()) : ring_buffer__poll(rb.get(), 0);
    ASSERT_GE(n, 0);
    consumed += static_cast<uint64_t>(n);
  }
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(ctl->committed + ctl->discarded, runs * 400);
  EXPECT_EQ(check.received, ctl->committed);
  EXPECT_EQ(consumed, ctl->committed);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
  EXPECT_GT(check.wrapped, 0u) << "no record ran past the end of the ring";
  EXPECT_GT(ctl->discarded, 0u);
  EXPECT_EQ(ring__avail_data_size(check.r), 0u);
  EXPECT_EQ(ring__consumer_pos(check.r), ring__producer_pos(check.r));
}

struct Counter {
  int calls = 0;
  int stop_at = -1;  // return -7 on this call
  static int cb(void* ctx, void*, size_t) {
    auto* c = static_cast<Counter*>(ctx);
    return c->calls++ == c->stop_at ? -7 : 0;
  }
};

TEST(RingBuffer, NegativeCallbackReturnStopsAndIsReturned) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  Counter counter;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")), &Counter::cb,
                                    &counter, nullptr));
  ASSERT_TRUE(rb);
  ctl->per_run = 10;  // 8 committed (seq 3 and 8 are discarded)
  ASSERT_EQ(run_raw_tp(must_find_program(obj.get(), "emit")), 0);
  ASSERT_EQ(ctl->committed, 8u);
  counter.stop_at = 2;
  errno = 0;
  EXPECT_EQ(ring_buffer__consume(rb.get()), -7);
  EXPECT_EQ(errno, 7);
  EXPECT_EQ(counter.calls, 3);
  // The stopping record counts as consumed: the rest follows.
  EXPECT_EQ(ring_buffer__consume(rb.get()), 5);
  EXPECT_EQ(counter.calls, 8);
  EXPECT_EQ(ring_buffer__consume(rb.get()), 0);
}

TEST(RingBuffer, ConsumeNHonoursItsLimit) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  StreamCheck check;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")),
                                    &StreamCheck::cb, &check, nullptr));
  ASSERT_TRUE(rb);
  check.r = ring_buffer__ring(rb.get(), 0);
  ctl->per_run = 125;  // 100 committed
  ASSERT_EQ(run_raw_tp(must_find_program(obj.get(), "emit")), 0);
  ASSERT_EQ(ctl->committed, 100u);
  EXPECT_EQ(ring_buffer__consume_n(rb.get(), 10), 10);
  EXPECT_EQ(ring__consume_n(check.r, 5), 5);
  EXPECT_EQ(ring__consume_n(check.r, 0), 0);
  EXPECT_EQ(check.received, 15u);
  EXPECT_EQ(ring__consume(check.r), 85);
  EXPECT_EQ(check.received, 100u);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
}

struct PairCheck {
  uint64_t parity = 0;
  uint64_t count = 0;
  uint64_t bad = 0;
  static int cb(void* ctx, void* data, size_t size) {
    auto* c = static_cast<PairCheck*>(ctx);
    const auto* w = static_cast<const uint64_t*>(data);
    if (size != 16 || (w[0] & 1) != c->parity || w[1] != pattern(w[0], 0)) ++c->bad;
    ++c->count;
    return 0;
  }
};

TEST(RingBuffer, SeveralRingsShareOneManager) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  const int fd_a = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "ring_a"));
  const int fd_b = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "ring_b"));
  PairCheck even{0}, odd{1};
  RingBufferPtr rb(ring_buffer__new(fd_a, &PairCheck::cb, &even, nullptr));
  ASSERT_TRUE(rb);
  ASSERT_EQ(ring_buffer__add(rb.get(), fd_b, &PairCheck::cb, &odd), 0);
  ASSERT_GE(ring_buffer__epoll_fd(rb.get()), 0);
  ring* a = ring_buffer__ring(rb.get(), 0);
  ring* b = ring_buffer__ring(rb.get(), 1);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  errno = 0;
  EXPECT_EQ(ring_buffer__ring(rb.get(), 2), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(ring__size(a), 4096u);
  EXPECT_EQ(ring__size(b), 8192u);
  EXPECT_GE(ring__map_fd(a), 0);
  EXPECT_NE(ring__map_fd(a), ring__map_fd(b));

  bpf_program* emit_two = must_find_program(obj.get(), "emit_two");
  uint64_t total = 0;
  for (int round = 0; round < 200; ++round) {
    ctl->per_run = 100;  // 50 x 24 bytes per ring per round
    ASSERT_EQ(run_raw_tp(emit_two), 0);
    EXPECT_EQ(ring__avail_data_size(a), 50u * 24);
    EXPECT_EQ(ring__avail_data_size(b), 50u * 24);
    const int n = ring_buffer__poll(rb.get(), 100);
    ASSERT_EQ(n, 100);
    total += static_cast<uint64_t>(n);
  }
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(total, 20000u);
  EXPECT_EQ(even.count, 10000u);
  EXPECT_EQ(odd.count, 10000u);
  EXPECT_EQ(even.bad + odd.bad, 0u);
  // Nothing waiting: poll times out with 0.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(ring_buffer__poll(rb.get(), 30), 0);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(25));
}

TEST(RingBuffer, ConsumerThreadWithPollTimeouts) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* emit = must_find_program(obj.get(), "emit");
  StreamCheck check;
  RingBufferPtr rb(ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")),
                                    &StreamCheck::cb, &check, nullptr));
  ASSERT_TRUE(rb);
  check.r = ring_buffer__ring(rb.get(), 0);

  std::atomic<bool> producing{true};
  std::atomic<uint64_t> polls{0}, timeouts{0};
  std::atomic<int> poll_error{0};
  std::thread consumer([&] {
    for (;;) {
      const bool last = !producing.load();
      const int n = ring_buffer__poll(rb.get(), 20);
      ++polls;
      if (n < 0) {
        poll_error = n;
        return;
      }
      if (n == 0) ++timeouts;
      if (last && n == 0) return;
    }
  });
  ctl->per_run = 200;
  for (int i = 0; i < 300; ++i) {
    // Flow control: the consumer frees space before the next burst.
    while (ring__avail_data_size(check.r) > 128 * 1024) std::this_thread::yield();
    ASSERT_EQ(run_raw_tp(emit), 0);
    if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  producing = false;
  consumer.join();
  EXPECT_EQ(poll_error.load(), 0);
  EXPECT_GT(timeouts.load(), 0u);
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(check.received, ctl->committed);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
}

TEST(RingBuffer, BadInputIsRefusedWithAMessage) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  const int array_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "scratch_map"));
  const int rb_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb"));
  Counter counter;
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(ring_buffer__new(array_fd, &Counter::cb, &counter, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("not BPF_MAP_TYPE_RINGBUF"), std::string::npos) << capture.text();
  }
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(ring_buffer__new(rb_fd, nullptr, nullptr, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("sample callback is NULL"), std::string::npos) << capture.text();
  }
  errno = 0;
  EXPECT_EQ(ring_buffer__new(-1, &Counter::cb, &counter, nullptr), nullptr);
  // The kernel's answer for the bad fd, passed on: EBADFD before 6.x
  // reworked BPF_OBJ_GET_INFO_BY_FD's fd lookup, EBADF since.
  EXPECT_TRUE(errno == EBADF || errno == EBADFD) << std::strerror(errno);
  struct {
    ring_buffer_opts opts;
    uint64_t unknown;
  } bigger{};
  bigger.opts.sz = sizeof(bigger);
  bigger.unknown = 1;
  errno = 0;
  EXPECT_EQ(ring_buffer__new(rb_fd, &Counter::cb, &counter, &bigger.opts), nullptr);
  EXPECT_EQ(errno, EINVAL);
  bigger.unknown = 0;  // zero tail bytes are fine
  ring_buffer* rb = ring_buffer__new(rb_fd, &Counter::cb, &counter, &bigger.opts);
  ASSERT_NE(rb, nullptr);
  {
    FullPrintCapture capture;
    EXPECT_EQ(ring_buffer__add(rb, array_fd, &Counter::cb, &counter), -EINVAL);
    EXPECT_NE(capture.text().find("not BPF_MAP_TYPE_RINGBUF"), std::string::npos) << capture.text();
  }
  EXPECT_EQ(ring_buffer__add(nullptr, rb_fd, &Counter::cb, &counter), -EINVAL);
  EXPECT_EQ(ring_buffer__poll(nullptr, 0), -EINVAL);
  EXPECT_EQ(ring_buffer__consume(nullptr), -EINVAL);
  EXPECT_EQ(ring__consume(nullptr), -EINVAL);
  ring_buffer__free(rb);
  ring_buffer__free(nullptr);
}

}  // namespace
