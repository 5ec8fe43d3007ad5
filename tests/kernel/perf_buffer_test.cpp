// The perf buffer consumer against the kernel: samples from a program run
// on a known CPU arrive whole and in order (those running past the end of
// a ring too), an undersized buffer reports exactly what it lost, the raw
// API with selected CPUs, and bad input refused with a message.
#include "buffer_test_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <linux/perf_event.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace bpfxx::test;

using Control = PerfStreamControl;
using SampleCheck = PerfSampleCheck;

TEST(PerfBuffer, SamplesFromAKnownCpuArriveWhole) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* send = must_find_program(obj.get(), "send");
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));

  SampleCheck check;
  PerfBufferPtr pb(perf_buffer__new(map_fd, 16, &SampleCheck::on_sample, &SampleCheck::on_lost, &check, nullptr));
  ASSERT_TRUE(pb) << std::strerror(errno);
  check.pb = pb.get();
  ASSERT_GE(perf_buffer__epoll_fd(pb.get()), 0);
  ASSERT_GE(perf_buffer__buffer_cnt(pb.get()), 1u);

  for (int cpu : test_cpus()) {
    check.want_cpu = cpu;
    check.next_seq = ctl->next_seq;
    // 64 KiB rings, ~40 KiB per run: consumed after each run, wrapping often.
    ctl->per_run = 150;
    for (int run = 0; run < 60; ++run) {
      ASSERT_EQ(run_raw_tp(send, cpu), 0);
      if (run % 2 == 0) {
        ASSERT_EQ(perf_buffer__consume(pb.get()), 0);
      } else {
        ASSERT_GE(perf_buffer__poll(pb.get(), 100), 1);
      }
    }
  }
  EXPECT_EQ(ctl->failures, 0u);
  EXPECT_EQ(check.lost, 0u);
  EXPECT_EQ(check.received, ctl->sent);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
  EXPECT_GT(check.copied, 0u) << "no sample ran past the end of a ring";
}

TEST(PerfBuffer, UndersizedBufferReportsExactLosses) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  bpf_program* send = must_find_program(obj.get(), "send");
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));
  const int cpu = test_cpus().back();

  SampleCheck check;
  check.want_cpu = cpu;
  PerfBufferPtr pb(perf_buffer__new(map_fd, 1, &SampleCheck::on_sample, &SampleCheck::on_lost, &check, nullptr));
  ASSERT_TRUE(pb);
  check.pb = pb.get();
  ctl->fixed_size = 200;
  for (int round = 0; round < 20; ++round) {
    ctl->per_run = 1000;  // one page holds ~18
    ASSERT_EQ(run_raw_tp(send, cpu), 0);
    ASSERT_EQ(perf_buffer__consume(pb.get()), 0);
  }
  // The kernel reports losses in the next record it manages to write.
  ctl->per_run = 1;
  ASSERT_EQ(run_raw_tp(send, cpu), 0);
  ASSERT_EQ(perf_buffer__consume(pb.get()), 0);
  const uint64_t produced = ctl->sent + ctl->failures;
  EXPECT_EQ(produced, 20001u);
  EXPECT_GT(ctl->failures, 0u);
  EXPECT_EQ(check.lost, ctl->failures) << "loss reports differ from the outputs the kernel refused";
  EXPECT_EQ(check.received + check.lost, produced);
  EXPECT_EQ(check.received, ctl->sent);
  EXPECT_GT(check.lost_calls, 0u);
  EXPECT_EQ(check.bad, 0u) << check.first_error;
}

struct RawCounter {
  int cpu = -1;
  uint64_t samples = 0;
  uint64_t other = 0;
  static bpf_perf_event_ret cb(void* ctx, int cpu, perf_event_header* e) {
    auto* c = static_cast<RawCounter*>(ctx);
    if (e->type == PERF_RECORD_SAMPLE && cpu == c->cpu)
      ++c->samples;
    else
      ++c->other;
    return LIBBPF_PERF_EVENT_CONT;
  }
};

TEST(PerfBuffer, RawBufferOnSelectedCpus) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  volatile Control* ctl = control_block<Control>(obj.get());
  ASSERT_NE(ctl, nullptr);
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));
  const int cpu = test_cpus().back();

  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_BPF_OUTPUT;
  attr.sample_type = PERF_SAMPLE_RAW;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  int cpus[1] = {cpu};
  int keys[1] = {cpu};
  LIBBPF_OPTS(perf_buffer_raw_opts, opts, .cpu_cnt = 1, .cpus = cpus, .map_keys = keys);
  RawCounter counter;
  counter.cpu = cpu;
  PerfBufferPtr pb(perf_buffer__new_raw(map_fd, 8, &attr, &RawCounter::cb, &counter, &opts));
  ASSERT_TRUE(pb) << std::strerror(errno);
  EXPECT_EQ(perf_buffer__buffer_cnt(pb.get()), 1u);
  EXPECT_GE(perf_buffer__buffer_fd(pb.get(), 0), 0);
  EXPECT_EQ(perf_buffer__buffer_fd(pb.get(), 1), -EINVAL);
  EXPECT_EQ(perf_buffer__consume_buffer(pb.get(), 1), -EINVAL);
  void* buf = nullptr;
  size_t size = 0;
  ASSERT_EQ(perf_buffer__buffer(pb.get(), 0, &buf, &size), 0);
  EXPECT_EQ(size, 8u * static_cast<size_t>(getpagesize()));
  ctl->per_run = 50;
  ASSERT_EQ(run_raw_tp(must_find_program(obj.get(), "send"), cpu), 0);
  ASSERT_EQ(perf_buffer__consume_buffer(pb.get(), 0), 0);
  EXPECT_EQ(counter.samples, 50u);
  EXPECT_EQ(counter.other, 0u);
  EXPECT_EQ(ctl->failures, 0u);
}

TEST(PerfBuffer, BadInputIsRefusedWithAMessage) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = load_buffer_object("perfbuf_stream");
  ASSERT_TRUE(obj);
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "events"));
  const int array_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "scratch_map"));
  SampleCheck check;
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(perf_buffer__new(map_fd, 3, &SampleCheck::on_sample, nullptr, &check, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("not a power of two"), std::string::npos) << capture.text();
  }
  {
    FullPrintCapture capture;
    errno = 0;
    EXPECT_EQ(perf_buffer__new(array_fd, 8, &SampleCheck::on_sample, nullptr, &check, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(capture.text().find("not BPF_MAP_TYPE_PERF_EVENT_ARRAY"), std::string::npos) << capture.text();
  }
  struct {
    perf_buffer_opts opts;
    uint64_t unknown;
  } bigger{};
  bigger.opts.sz = sizeof(bigger);
  bigger.unknown = 3;
  errno = 0;
  EXPECT_EQ(perf_buffer__new(map_fd, 8, &SampleCheck::on_sample, nullptr, &check, &bigger.opts), nullptr);
  EXPECT_EQ(errno, EINVAL);
  LIBBPF_OPTS(perf_buffer_raw_opts, raw, .cpu_cnt = 1);
  perf_event_attr attr{};
  errno = 0;
  EXPECT_EQ(perf_buffer__new_raw(map_fd, 8, &attr, &RawCounter::cb, nullptr, &raw), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(perf_buffer__new_raw(map_fd, 8, nullptr, &RawCounter::cb, nullptr, nullptr), nullptr);
  EXPECT_EQ(perf_buffer__poll(nullptr, 0), -EINVAL);
  EXPECT_EQ(perf_buffer__consume(nullptr), -EINVAL);
  EXPECT_EQ(perf_buffer__buffer_cnt(nullptr), 0u);
  perf_buffer__free(nullptr);
}

}  // namespace
