// Shared pieces of the ring buffer, user ring buffer and perf buffer
// kernel tests: a loaded test object, its .bss control block (mapped
// live), and raw_tp test runs, optionally on a chosen CPU.
#pragma once

#include "object_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <linux/perf_event.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bpfxx::test {

// Opens and loads tests/progs/<name>.bpf.o; null (after a failure) on error.
inline ObjectPtr load_buffer_object(const char* name) {
  ObjectPtr obj = open_prog_object(name);
  if (!obj) return obj;
  FullPrintCapture capture;
  const int err = bpf_object__load(obj.get());
  EXPECT_EQ(err, 0) << "loading " << name << ":\n" << capture.text();
  if (err != 0) return ObjectPtr();
  return obj;
}

// The program's `struct control ctl` global, first in .bss, through the
// live mapping of the .bss map.
template <class Control>
volatile Control* control_block(bpf_object* obj) {
  bpf_map* bss = data_map(obj, ".bss");
  if (bss == nullptr) return nullptr;
  size_t size = 0;
  void* data = bpf_map__initial_value(bss, &size);
  EXPECT_NE(data, nullptr);
  EXPECT_GE(size, sizeof(Control));
  return size >= sizeof(Control) ? static_cast<volatile Control*>(data) : nullptr;
}

// One BPF_PROG_TEST_RUN of a raw_tp program, on cpu when cpu >= 0.
inline int run_raw_tp(const bpf_program* prog, int cpu = -1) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  if (cpu >= 0) {
    opts.flags = BPF_F_TEST_RUN_ON_CPU;
    opts.cpu = static_cast<__u32>(cpu);
  }
  return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

inline uint64_t pattern(uint64_t seq, uint64_t i) { return seq * 0x9E3779B97F4A7C15ULL + i; }

// The .bss control block of ringbuf_stream.bpf.c.
struct RingStreamControl {
  uint64_t per_run;
  uint64_t next_seq;
  uint64_t failures;
  uint64_t committed;
  uint64_t discarded;
};

struct RingBufferDeleter {
  void operator()(ring_buffer* rb) const { ring_buffer__free(rb); }
};
using RingBufferPtr = std::unique_ptr<ring_buffer, RingBufferDeleter>;

// What the stream callback checks: the next expected sequence number (the
// program discards those with seq % 5 == 3), each record's size and bytes.
struct RingStreamCheck {
  ring* r = nullptr;
  uint64_t next_seq = 0;
  uint64_t received = 0;
  uint64_t bad = 0;
  uint64_t wrapped = 0;
  std::string first_error;

  void error(const std::string& what) {
    if (bad++ == 0) first_error = what;
  }

  static int cb(void* ctx, void* data, size_t size) {
    auto* c = static_cast<RingStreamCheck*>(ctx);
    while (c->next_seq % 5 == 3) ++c->next_seq;
    const uint64_t seq = c->next_seq++;
    ++c->received;
    if (size < 16) {
      c->error("record of " + std::to_string(size) + " bytes");
      return 0;
    }
    uint64_t words[64];
    words[0] = seq;
    const uint64_t kind = seq % 6 < 4 ? 1 : 2;
    static const uint64_t fixed[4] = {16, 48, 136, 392};
    const uint64_t want_size = kind == 1 ? fixed[seq % 6] : (((seq * 13) & 511) | 16);
    words[1] = want_size | (kind << 32);
    for (int j = 2; j < 64; ++j) words[j] = pattern(seq, static_cast<uint64_t>(j - 2));
    if (size != want_size) {
      c->error("seq " + std::to_string(seq) + ": size " + std::to_string(size) + ", expected " +
               std::to_string(want_size) + " (got seq " + std::to_string(*static_cast<uint64_t*>(data)) + ")");
      return 0;
    }
    if (std::memcmp(data, words, size) != 0) c->error("seq " + std::to_string(seq) + ": content differs");
    // Before the callback returns, the consumer position is this record's.
    const uint64_t pos = ring__consumer_pos(c->r) & (ring__size(c->r) - 1);
    if (pos + 8 + size > ring__size(c->r)) ++c->wrapped;
    return 0;
  }
};

// The .bss control block of perfbuf_stream.bpf.c.
struct PerfStreamControl {
  uint64_t per_run;
  uint64_t next_seq;
  uint64_t failures;
  uint64_t sent;
  uint64_t fixed_size;
};

struct PerfBufferDeleter {
  void operator()(perf_buffer* pb) const { perf_buffer__free(pb); }
};
using PerfBufferPtr = std::unique_ptr<perf_buffer, PerfBufferDeleter>;

// CPUs this test may run programs on: the online ones, at most two.
inline std::vector<int> test_cpus() {
  std::vector<int> cpus;
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  for (int c = 0; c < n && cpus.size() < 2; ++c) cpus.push_back(c);
  return cpus;
}

struct PerfSampleCheck {
  perf_buffer* pb = nullptr;
  int want_cpu = -1;
  uint64_t next_seq = 0;
  uint64_t received = 0;
  uint64_t lost = 0;
  uint64_t lost_calls = 0;
  uint64_t copied = 0;  // samples handed over from the scratch copy
  uint64_t bad = 0;
  std::string first_error;

  void error(const std::string& what) {
    if (bad++ == 0) first_error = what;
  }

  static void on_sample(void* ctx, int cpu, void* data, __u32 size) {
    auto* c = static_cast<PerfSampleCheck*>(ctx);
    ++c->received;
    if (cpu != c->want_cpu) c->error("sample on CPU " + std::to_string(cpu));
    if (size < 24) {
      c->error("sample of " + std::to_string(size) + " bytes");
      return;
    }
    // A raw sample follows its u32 size, so it is only 4-byte aligned (as
    // with libbpf): copy the words out rather than reading them in place.
    uint64_t w[64] = {};
    std::memcpy(w, data, std::min<size_t>(size, sizeof w));
    const uint64_t seq = w[0];
    if (c->lost == 0 && seq != c->next_seq)
      c->error("seq " + std::to_string(seq) + ", expected " + std::to_string(c->next_seq));
    c->next_seq = seq + 1;
    const uint64_t want = w[2] & 0xffff;
    const uint64_t run = w[2] >> 16;
    // The raw sample is padded so that it and its u32 size fill u64s.
    const uint64_t padded = ((want + 4 + 7) & ~uint64_t{7}) - 4;
    if (w[1] != static_cast<uint64_t>(c->want_cpu) || size != padded)
      c->error("seq " + std::to_string(seq) + ": cpu " + std::to_string(w[1]) + " size " + std::to_string(size) +
               " for " + std::to_string(want));
    uint64_t words[64];
    for (int j = 3; j < 64; ++j) words[j] = pattern(run, static_cast<uint64_t>(j - 3));
    if (want > sizeof w || std::memcmp(w + 3, words + 3, want - 24) != 0)
      c->error("seq " + std::to_string(seq) + ": content differs");
    void* buf = nullptr;
    size_t buf_size = 0;
    for (size_t i = 0; i < perf_buffer__buffer_cnt(c->pb); ++i) {
      if (perf_buffer__buffer(c->pb, static_cast<int>(i), &buf, &buf_size) != 0) continue;
      const auto* lo = static_cast<const char*>(buf);
      const auto* p = static_cast<const char*>(data);
      if (p >= lo && p < lo + buf_size + static_cast<size_t>(getpagesize())) return;
    }
    ++c->copied;
  }

  static void on_lost(void* ctx, int cpu, __u64 cnt) {
    auto* c = static_cast<PerfSampleCheck*>(ctx);
    if (cpu != c->want_cpu) c->error("loss on CPU " + std::to_string(cpu));
    c->lost += cnt;
    ++c->lost_calls;
  }
};

}  // namespace bpfxx::test
