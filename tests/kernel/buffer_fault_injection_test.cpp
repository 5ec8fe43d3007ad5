// Fault injection into the buffer constructors through the syscall seam:
// for ring_buffer__new, ring_buffer__add, user_ring_buffer__new and
// perf_buffer__new, fail the Nth kernel call (map info, dup, mmap,
// epoll_create1, epoll_ctl, perf_event_open, ioctl, map update) for every
// N of a clean run. Each must return the injected error (NULL/-errno with
// errno set), print a message, and leave no fd, no mapping and no perf
// event behind in the map. Poll/reserve_blocking pass an epoll_wait
// failure on as -errno.
#include "buffer_test_support.h"
#include "fault_injection_support.h"
#include "test_support.h"

#include "sys/kernel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string>

namespace {

using namespace bpfxx::test;

// Counts the calls a buffer constructor makes and fails number fail_at
// (1-based) with fail_errno. Clean-up calls (close, munmap) are never
// failed, so whatever was made can always be released.
using BufferFaultKernel = FailNthCallKernel;

// The mappings of BPF maps and perf events this process holds.
std::string kernel_mappings() {
  std::ifstream maps("/proc/self/maps");
  std::string line, out;
  while (std::getline(maps, line))
    if (line.find("anon_inode:") != std::string::npos) out += line + "\n";
  return out;
}

// One constructor under test: makes the object (the seam is the fault
// kernel while it runs), reports failure as true/false, and releases what
// it made on success.
struct Operation {
  const char* name;
  std::function<bool()> make;     // true: made
  std::function<void()> release;  // after a successful make
};

// Runs op cleanly to count its calls, then once per call with that call
// failing. Returns the number of calls.
int fail_every_call(BufferFaultKernel& k, const Operation& op) {
  k.fail_at = 0;
  {
    ScopedKernel scoped(&k);
    EXPECT_TRUE(op.make()) << op.name << ": expected the warm-up run to succeed";
  }
  op.release();
  k.calls = 0;
  {
    ScopedKernel scoped(&k);
    EXPECT_TRUE(op.make()) << op.name << ": expected a clean run to succeed";
  }
  op.release();
  const int total = k.calls;
  const int errnos[] = {EIO, ENOMEM, EPERM, EFAULT, ENODEV, EMFILE};
  for (int n = 1; n <= total; ++n) {
    SCOPED_TRACE(std::string(op.name) + ": failing call " + std::to_string(n) + " of " + std::to_string(total));
    const auto fds_before = open_fds();
    const std::string maps_before = kernel_mappings();
    k.calls = 0;
    k.fail_at = n;
    k.fail_errno = errnos[(n - 1) % (sizeof(errnos) / sizeof(errnos[0]))];
    k.failed_method.clear();
    bool made;
    int err;
    std::string printed;
    {
      FullPrintCapture capture;
      ScopedKernel scoped(&k);
      errno = 0;
      made = op.make();
      err = errno;
      printed = capture.text();
    }
    k.fail_at = 0;
    EXPECT_FALSE(k.failed_method.empty()) << "expected call " << n << " to happen";
    if (made) {
      ADD_FAILURE() << "expected the injected " << errno_str(k.fail_errno) << " in " << k.failed_method
                    << " to make " << op.name << " fail, but it succeeded";
      op.release();
      continue;
    }
    EXPECT_EQ(err, k.fail_errno) << "expected " << op.name << " to pass on the injected error of "
                                 << k.failed_method;
    EXPECT_NE(printed.find(op.name), std::string::npos)
        << "expected a message naming " << op.name << " for the failed " << k.failed_method << "; printed: "
        << printed;
    EXPECT_EQ(open_fds(), fds_before) << "expected no fd left behind after the failed " << k.failed_method;
    EXPECT_EQ(kernel_mappings(), maps_before) << "expected no mapping left behind after the failed "
                                              << k.failed_method;
  }
  return total;
}

bpfxx::UniqueFd make_map(bpf_map_type type, uint32_t key_size, uint32_t value_size, uint32_t max_entries) {
  return bpfxx::UniqueFd(bpf_map_create(type, nullptr, key_size, value_size, max_entries, nullptr));
}

int nop_sample(void*, void*, size_t) { return 0; }

TEST(BufferFaultInjection, RingBufferNewFailsCleanlyAtEveryCall) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::UniqueFd map = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
  BPFXX_ASSERT_FD(map, "creating a ring buffer map");
  ring_buffer* rb = nullptr;
  BufferFaultKernel k;
  const int calls = fail_every_call(
      k, {"ring_buffer__new",
          [&] { return (rb = ring_buffer__new(map.get(), nop_sample, nullptr, nullptr)) != nullptr; },
          [&] {
            ring_buffer__free(rb);
            rb = nullptr;
          }});
  // map info, dup, two mmaps, epoll_create1, epoll_ctl.
  EXPECT_GE(calls, 6);
}

TEST(BufferFaultInjection, RingBufferAddFailsCleanlyAtEveryCallAndKeepsTheManager) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::UniqueFd first = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
  bpfxx::UniqueFd second = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 8192);
  BPFXX_ASSERT_FD(first, "creating a ring buffer map");
  BPFXX_ASSERT_FD(second, "creating a ring buffer map");
  ring_buffer* rb = ring_buffer__new(first.get(), nop_sample, nullptr, nullptr);
  ASSERT_NE(rb, nullptr) << std::strerror(errno);
  // Each run adds the second ring to a fresh manager; a failed add must
  // leave the manager as it was.
  ring_buffer* target = nullptr;
  BufferFaultKernel k;
  const int calls = fail_every_call(k, {"ring_buffer__add",
                                        [&] {
                                          const int rc = ring_buffer__add(rb, second.get(), nop_sample, nullptr);
                                          if (rc == 0) target = rb;
                                          EXPECT_TRUE(rc == 0 || rc == -errno) << "rc " << rc;
                                          return rc == 0;
                                        },
                                        [&] {
                                          // Undo by starting over with one ring.
                                          ring_buffer__free(target);
                                          rb = ring_buffer__new(first.get(), nop_sample, nullptr, nullptr);
                                          ASSERT_NE(rb, nullptr);
                                        }});
  EXPECT_GE(calls, 5);  // map info, dup, two mmaps, epoll_ctl
  // After all the failed adds the manager still has its one ring.
  EXPECT_NE(ring_buffer__ring(rb, 0), nullptr);
  EXPECT_EQ(ring_buffer__ring(rb, 1), nullptr);
  EXPECT_EQ(ring_buffer__consume(rb), 0);
  ring_buffer__free(rb);
}

TEST(BufferFaultInjection, UserRingBufferNewFailsCleanlyAtEveryCall) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::UniqueFd map = make_map(BPF_MAP_TYPE_USER_RINGBUF, 0, 0, 4096);
  BPFXX_ASSERT_FD(map, "creating a user ring buffer map");
  user_ring_buffer* rb = nullptr;
  BufferFaultKernel k;
  const int calls = fail_every_call(k, {"user_ring_buffer__new",
                                        [&] { return (rb = user_ring_buffer__new(map.get(), nullptr)) != nullptr; },
                                        [&] {
                                          user_ring_buffer__free(rb);
                                          rb = nullptr;
                                        }});
  EXPECT_GE(calls, 6);  // map info, dup, two mmaps, epoll_create1, epoll_ctl
}

TEST(BufferFaultInjection, PerfBufferNewFailsCleanlyAtEveryCallAndEmptiesTheMap) {
  BPFXX_REQUIRE_ROOT();
  const int cpus = libbpf_num_possible_cpus();
  ASSERT_GT(cpus, 0);
  bpfxx::UniqueFd map = make_map(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, static_cast<uint32_t>(cpus));
  BPFXX_ASSERT_FD(map, "creating a perf event array");
  perf_buffer* pb = nullptr;
  BufferFaultKernel k;
  auto slots_in_use = [&] {
    int used = 0;
    for (int key = 0; key < cpus; ++key) {
      int value = 0;
      if (bpf_map_lookup_elem(map.get(), &key, &value) == 0) ++used;
    }
    return used;
  };
  const int calls = fail_every_call(
      k, {"perf_buffer__new",
          [&] {
            pb = perf_buffer__new(map.get(), 1, [](void*, int, void*, __u32) {}, nullptr, nullptr, nullptr);
            if (pb == nullptr) {
              const int err = errno;  // the lookups below set their own
              EXPECT_EQ(slots_in_use(), 0) << "expected a failed constructor to empty the map";
              errno = err;
            }
            return pb != nullptr;
          },
          [&] {
            perf_buffer__free(pb);
            pb = nullptr;
            EXPECT_EQ(slots_in_use(), 0) << "expected perf_buffer__free to empty the map";
          }});
  // map info, dup, epoll_create1, then per online CPU: perf_event_open,
  // mmap, ioctl, map update, epoll_ctl.
  EXPECT_GE(calls, 8);
}

TEST(BufferFaultInjection, WaitFailuresArePassedOnAsErrno) {
  BPFXX_REQUIRE_ROOT();
  bpfxx::UniqueFd ring_map = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
  bpfxx::UniqueFd user_map = make_map(BPF_MAP_TYPE_USER_RINGBUF, 0, 0, 4096);
  bpfxx::UniqueFd perf_map = make_map(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1);
  BPFXX_ASSERT_FD(ring_map, "creating a ring buffer map");
  BPFXX_ASSERT_FD(user_map, "creating a user ring buffer map");
  BPFXX_ASSERT_FD(perf_map, "creating a perf event array");
  ring_buffer* rb = ring_buffer__new(ring_map.get(), nop_sample, nullptr, nullptr);
  user_ring_buffer* urb = user_ring_buffer__new(user_map.get(), nullptr);
  perf_buffer* pb = perf_buffer__new(perf_map.get(), 1, [](void*, int, void*, __u32) {}, nullptr, nullptr, nullptr);
  ASSERT_NE(rb, nullptr);
  ASSERT_NE(urb, nullptr);
  ASSERT_NE(pb, nullptr);

  BufferFaultKernel k;
  k.fail_errno = EBADF;
  {
    ScopedKernel scoped(&k);
    k.calls = 0;
    k.fail_at = 1;
    errno = 0;
    EXPECT_EQ(ring_buffer__poll(rb, 1000), -EBADF) << "expected the empty ring's wait to fail";
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(k.failed_method, "epoll_wait");
    k.calls = 0;
    errno = 0;
    EXPECT_EQ(perf_buffer__poll(pb, 1000), -EBADF);
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(k.failed_method, "epoll_wait");
    // Fill the user ring so reserve_blocking has to wait.
    void* big = user_ring_buffer__reserve(urb, 4096 - 8);
    ASSERT_NE(big, nullptr);
    user_ring_buffer__submit(urb, big);
    k.calls = 0;
    errno = 0;
    EXPECT_EQ(user_ring_buffer__reserve_blocking(urb, 8, 1000), nullptr);
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(k.failed_method, "epoll_wait");
  }
  user_ring_buffer__free(urb);
  perf_buffer__free(pb);
  ring_buffer__free(rb);
}

}  // namespace
