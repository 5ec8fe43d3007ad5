// Shared pieces of the ring buffer, user ring buffer and perf buffer
// kernel tests: a loaded test object, its .bss control block (mapped
// live), and raw_tp test runs, optionally on a chosen CPU.
#pragma once

#include "object_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <sched.h>

#include <cstdint>

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

}  // namespace bpfxx::test
