// The user ring buffer producer against the kernel: records submitted from
// user space are drained and summed by a BPF program (discarded ones never
// reach it), a full ring refuses reservations, reserve_blocking wakes when
// a drain frees room and times out when none does, bad input is refused.
#include "buffer_test_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace {

using namespace bpfxx::test;

struct Control {
  uint64_t sum;
  uint64_t count;
  uint64_t bad;
  int64_t last_drained;
};

struct Sample {
  uint64_t value;
  uint64_t check;
};

struct UserRingBufferDeleter {
  void operator()(user_ring_buffer* rb) const { user_ring_buffer__free(rb); }
};
using UserRingBufferPtr = std::unique_ptr<user_ring_buffer, UserRingBufferDeleter>;

struct Fixture {
  ObjectPtr obj;
  volatile Control* ctl = nullptr;
  bpf_program* drain = nullptr;
  int map_fd = -1;
};

Fixture open_fixture() {
  Fixture f;
  f.obj = load_buffer_object("user_ringbuf_drain");
  if (!f.obj) return f;
  f.ctl = control_block<Control>(f.obj.get());
  f.drain = must_find_program(f.obj.get(), "drain");
  f.map_fd = bpf_map__fd(bpf_object__find_map_by_name(f.obj.get(), "urb"));
  return f;
}

TEST(UserRingBuffer, SubmittedRecordsAreDrainedAndSummed) {
  BPFXX_REQUIRE_ROOT();
  Fixture f = open_fixture();
  ASSERT_TRUE(f.obj);
  ASSERT_NE(f.ctl, nullptr);
  UserRingBufferPtr rb(user_ring_buffer__new(f.map_fd, nullptr));
  ASSERT_TRUE(rb) << std::strerror(errno);

  uint64_t want_sum = 0, want_count = 0, value = 1;
  // 20 rounds of 500 x 24 bytes in a 16 KiB ring: it wraps many times.
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 500; ++i, ++value) {
      auto* s = static_cast<Sample*>(user_ring_buffer__reserve(rb.get(), sizeof(Sample)));
      ASSERT_NE(s, nullptr) << "round " << round << " record " << i << ": " << std::strerror(errno);
      s->value = value;
      s->check = ~value;
      if (value % 7 == 0) {
        user_ring_buffer__discard(rb.get(), s);
      } else {
        user_ring_buffer__submit(rb.get(), s);
        want_sum += value;
        ++want_count;
      }
    }
    ASSERT_EQ(run_raw_tp(f.drain), 0);
    ASSERT_GE(f.ctl->last_drained, 0) << "drain failed";
  }
  EXPECT_EQ(f.ctl->count, want_count);
  EXPECT_EQ(f.ctl->sum, want_sum);
  EXPECT_EQ(f.ctl->bad, 0u);
}

TEST(UserRingBuffer, UnsubmittedRecordHoldsBackTheRest) {
  BPFXX_REQUIRE_ROOT();
  Fixture f = open_fixture();
  ASSERT_TRUE(f.obj);
  UserRingBufferPtr rb(user_ring_buffer__new(f.map_fd, nullptr));
  ASSERT_TRUE(rb);
  auto* first = static_cast<Sample*>(user_ring_buffer__reserve(rb.get(), sizeof(Sample)));
  auto* second = static_cast<Sample*>(user_ring_buffer__reserve(rb.get(), sizeof(Sample)));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  *second = Sample{5, ~uint64_t{5}};
  user_ring_buffer__submit(rb.get(), second);
  ASSERT_EQ(run_raw_tp(f.drain), 0);
  EXPECT_EQ(f.ctl->count, 0u) << "a record behind a busy one was drained";
  *first = Sample{3, ~uint64_t{3}};
  user_ring_buffer__submit(rb.get(), first);
  ASSERT_EQ(run_raw_tp(f.drain), 0);
  EXPECT_EQ(f.ctl->count, 2u);
  EXPECT_EQ(f.ctl->sum, 8u);
}

TEST(UserRingBuffer, FullRingRefusesAndBlockingReserveTimesOut) {
  BPFXX_REQUIRE_ROOT();
  Fixture f = open_fixture();
  ASSERT_TRUE(f.obj);
  UserRingBufferPtr rb(user_ring_buffer__new(f.map_fd, nullptr));
  ASSERT_TRUE(rb);
  errno = 0;
  EXPECT_EQ(user_ring_buffer__reserve(rb.get(), 16384), nullptr);  // header makes it 8 bytes too big
  EXPECT_EQ(errno, E2BIG);
  int n = 0;
  for (;; ++n) {
    void* s = user_ring_buffer__reserve(rb.get(), sizeof(Sample));
    if (s == nullptr) break;
    *static_cast<Sample*>(s) = Sample{1, ~uint64_t{1}};
    user_ring_buffer__submit(rb.get(), s);
  }
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(n, 16384 / 24);
  const auto t0 = std::chrono::steady_clock::now();
  errno = 0;
  EXPECT_EQ(user_ring_buffer__reserve_blocking(rb.get(), sizeof(Sample), 100), nullptr);
  EXPECT_EQ(errno, ENOSPC);
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(95));
  EXPECT_LT(waited, std::chrono::seconds(2));
  errno = 0;
  EXPECT_EQ(user_ring_buffer__reserve_blocking(rb.get(), sizeof(Sample), 0), nullptr);
  EXPECT_EQ(errno, ENOSPC);
}

TEST(UserRingBuffer, BlockingReserveWakesWhenADrainFreesRoom) {
  BPFXX_REQUIRE_ROOT();
  Fixture f = open_fixture();
  ASSERT_TRUE(f.obj);
  UserRingBufferPtr rb(user_ring_buffer__new(f.map_fd, nullptr));
  ASSERT_TRUE(rb);
  for (;;) {
    void* s = user_ring_buffer__reserve(rb.get(), sizeof(Sample));
    if (s == nullptr) break;
    *static_cast<Sample*>(s) = Sample{2, ~uint64_t{2}};
    user_ring_buffer__submit(rb.get(), s);
  }
  std::thread drainer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_EQ(run_raw_tp(f.drain), 0);
  });
  const auto t0 = std::chrono::steady_clock::now();
  void* s = user_ring_buffer__reserve_blocking(rb.get(), sizeof(Sample), 10000);
  const auto waited = std::chrono::steady_clock::now() - t0;
  drainer.join();
  ASSERT_NE(s, nullptr) << std::strerror(errno);
  EXPECT_GE(waited, std::chrono::milliseconds(100));
  EXPECT_LT(waited, std::chrono::seconds(5));
  *static_cast<Sample*>(s) = Sample{40, ~uint64_t{40}};
  user_ring_buffer__submit(rb.get(), s);
  ASSERT_EQ(run_raw_tp(f.drain), 0);
  EXPECT_EQ(f.ctl->count, 16384u / 24 + 1);
  EXPECT_EQ(f.ctl->sum, 2u * (16384 / 24) + 40);
  EXPECT_EQ(f.ctl->bad, 0u);
}

TEST(UserRingBuffer, BadInputIsRefusedWithAMessage) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("ringbuf_stream");
  ASSERT_TRUE(obj);
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(user_ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "rb")), nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("not BPF_MAP_TYPE_USER_RINGBUF"), std::string::npos) << capture.text();
  }
  Fixture f = open_fixture();
  ASSERT_TRUE(f.obj);
  UserRingBufferPtr rb(user_ring_buffer__new(f.map_fd, nullptr));
  ASSERT_TRUE(rb);
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(user_ring_buffer__reserve_blocking(rb.get(), 16, -2), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("timeout"), std::string::npos);
  }
  errno = 0;
  EXPECT_EQ(user_ring_buffer__reserve(nullptr, 16), nullptr);
  EXPECT_EQ(errno, EINVAL);
  // A ring buffer consumer refuses the user ring buffer map too.
  errno = 0;
  EXPECT_EQ(ring_buffer__new(f.map_fd, [](void*, void*, size_t) { return 0; }, nullptr, nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  user_ring_buffer__submit(rb.get(), nullptr);  // ignored
  user_ring_buffer__free(nullptr);
}

}  // namespace
