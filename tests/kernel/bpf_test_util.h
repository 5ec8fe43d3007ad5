// Small helpers shared by the low-level API kernel tests: owning fds for
// maps and programs, info queries, and error assertions.
#pragma once

#include "insn.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/unique_fd.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {

// Calls expr (an int-returning C API call); expects it to fail with -E
// and to leave errno == E.
#define BPFXX_EXPECT_ERR(expr, E)                                                               \
  do {                                                                                          \
    errno = 0;                                                                                  \
    int bpfxx_rc_ = (expr);                                                                     \
    int bpfxx_errno_ = errno;                                                                   \
    EXPECT_EQ(bpfxx_rc_, -(E)) << #expr << ": expected -" #E " (" << std::strerror(E)          \
                               << "), got " << bpfxx_rc_ << " (" << std::strerror(-bpfxx_rc_) \
                               << ")";                                                          \
    EXPECT_EQ(bpfxx_errno_, (E)) << #expr << ": expected errno " #E ", got " << bpfxx_errno_   \
                                 << " (" << std::strerror(bpfxx_errno_) << ")";                 \
  } while (0)

// Expects expr to return 0; prints the errno otherwise.
#define BPFXX_EXPECT_OK(expr)                                                                 \
  do {                                                                                        \
    int bpfxx_rc_ = (expr);                                                                   \
    EXPECT_EQ(bpfxx_rc_, 0) << #expr << ": expected success, got " << bpfxx_rc_ << " ("      \
                            << std::strerror(bpfxx_rc_ < 0 ? -bpfxx_rc_ : 0) << ")";          \
  } while (0)
#define BPFXX_ASSERT_OK(expr)                                                                 \
  do {                                                                                        \
    int bpfxx_rc_ = (expr);                                                                   \
    ASSERT_EQ(bpfxx_rc_, 0) << #expr << ": expected success, got " << bpfxx_rc_ << " ("      \
                            << std::strerror(bpfxx_rc_ < 0 ? -bpfxx_rc_ : 0) << ")";          \
  } while (0)

// Asserts that `fd_expr` (a UniqueFd) holds an fd, printing errno otherwise.
#define BPFXX_ASSERT_FD(fd_expr, what)                                                        \
  ASSERT_TRUE((fd_expr).valid()) << "expected " << (what) << " to give an fd, got "          \
                                 << (fd_expr).get() << " (" << std::strerror(errno) << ")"

inline UniqueFd create_map(bpf_map_type type, const char* name, __u32 key_size, __u32 value_size,
                           __u32 max_entries, const bpf_map_create_opts* opts = nullptr) {
  int fd = bpf_map_create(type, name, key_size, value_size, max_entries, opts);
  return UniqueFd(fd);
}

// A u32 -> u64 array map, handy as a counter.
inline UniqueFd create_counter_map(const char* name = "counter", __u32 entries = 1) {
  return create_map(BPF_MAP_TYPE_ARRAY, name, 4, 8, entries);
}

inline UniqueFd load_prog(bpf_prog_type type, const char* name, const insn::Program& p,
                          bpf_prog_load_opts* opts = nullptr) {
  int fd = bpf_prog_load(type, name, "GPL", p.data(), p.size(), opts);
  return UniqueFd(fd);
}

// Loads a program and, on failure, reports the verifier log.
inline UniqueFd load_prog_logged(bpf_prog_type type, const char* name, const insn::Program& p,
                                 bpf_prog_load_opts* opts, std::string* log_out) {
  static thread_local std::vector<char> log(1 << 16);
  LIBBPF_OPTS(bpf_prog_load_opts, local);
  if (opts == nullptr) opts = &local;
  if (opts->log_buf == nullptr) {
    log[0] = 0;
    opts->log_buf = log.data();
    opts->log_size = static_cast<__u32>(log.size());
  }
  int fd = bpf_prog_load(type, name, "GPL", p.data(), p.size(), opts);
  int saved = errno;
  if (log_out != nullptr) *log_out = opts->log_buf;
  if (opts->log_buf == log.data()) {
    opts->log_buf = nullptr;
    opts->log_size = 0;
  }
  errno = saved;
  return UniqueFd(fd);
}

inline __u64 read_counter(int map_fd, __u32 key = 0) {
  __u64 v = ~0ULL;
  if (bpf_map_lookup_elem(map_fd, &key, &v) != 0) return ~0ULL;
  return v;
}

inline bpf_map_info map_info(int fd, int* rc = nullptr) {
  bpf_map_info info;
  std::memset(&info, 0, sizeof(info));
  __u32 len = sizeof(info);
  int r = bpf_map_get_info_by_fd(fd, &info, &len);
  if (rc != nullptr) *rc = r;
  return info;
}

inline bpf_prog_info prog_info(int fd, int* rc = nullptr) {
  bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  __u32 len = sizeof(info);
  int r = bpf_prog_get_info_by_fd(fd, &info, &len);
  if (rc != nullptr) *rc = r;
  return info;
}

inline bpf_link_info link_info(int fd, int* rc = nullptr) {
  bpf_link_info info;
  std::memset(&info, 0, sizeof(info));
  __u32 len = sizeof(info);
  int r = bpf_link_get_info_by_fd(fd, &info, &len);
  if (rc != nullptr) *rc = r;
  return info;
}

inline __u32 prog_id(int fd) { return prog_info(fd).id; }
inline __u32 map_id(int fd) { return map_info(fd).id; }

inline std::string errno_str(int e) { return std::to_string(e) + " (" + std::strerror(e) + ")"; }

}  // namespace bpfxx::test
