// What the link kernel tests (tests/kernel/link_*.cpp) share to prove an
// attachment's effect: the test's BPF object with its globals and counters
// read by name, the kernel's view of a link or program, and loopback TCP
// traffic.
#pragma once

#include "object_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/unique_fd.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <utility>
#include <vector>

namespace bpfxx::test {

// Makes obj load the named programs and no others.
inline void autoload_only(bpf_object* obj, std::initializer_list<const char*> names) {
  bpf_program* p = nullptr;
  bpf_object__for_each_program(p, obj) {
    bool wanted = false;
    for (const char* name : names) wanted = wanted || std::strcmp(bpf_program__name(p), name) == 0;
    bpf_program__set_autoload(p, wanted);
  }
}

// Loads obj; a failure carries the errno and the loader's log.
inline ::testing::AssertionResult load_with_log(bpf_object* obj) {
  FullPrintCapture cap;
  if (bpf_object__load(obj) == 0) return ::testing::AssertionSuccess();
  const int err = errno;
  return ::testing::AssertionFailure() << "loading " << bpf_object__name(obj) << ": " << std::strerror(err) << "\n"
                                       << cap.text();
}

// A fixture around one tests/progs object: opened by the derived fixture's
// SetUp, its ELF kept so globals are read and written by name.
class ProgObjectTest : public ::testing::Test {
 protected:
  void open_object(const char* name) {
    elf_ = prog_bytes(name);
    obj_ = open_prog_object(name);
    ASSERT_NE(obj_, nullptr) << "opening " << name;
  }
  // Opens it with its target_pid filter set to this process.
  void open_object_for_this_process(const char* name) {
    ASSERT_NO_FATAL_FAILURE(open_object(name));
    ASSERT_NO_FATAL_FAILURE(set_global<int>("target_pid", static_cast<int>(::getpid())));
  }
  void load() { ASSERT_TRUE(load_with_log(obj_.get())); }
  // Loads none of the named programs (absent kernel features, other tests');
  // autoload_only(obj_.get(), ...) loads just the named ones.
  void autoload_off(std::initializer_list<const char*> names) {
    for (const char* name : names) bpf_program__set_autoload(prog(name), false);
  }

  template <typename T = __u64>
  T global(const char* name) {
    return read_initial<T>(obj_.get(), find_global(elf_, name));
  }
  // Element index of the global array `name`.
  template <typename T>
  T element(const char* name, size_t index) {
    GlobalVar var = find_global(elf_, name);
    var.offset += index * sizeof(T);
    return read_initial<T>(obj_.get(), var);
  }
  template <typename T>
  void set_global(const char* name, T value) {
    write_initial<T>(obj_.get(), find_global(elf_, name), value);
  }
  bpf_program* prog(const char* name) { return must_find_program(obj_.get(), name); }
  int map_fd(const char* name) { return bpf_map__fd(bpf_object__find_map_by_name(obj_.get(), name)); }

  // Destroys link, then checks that trigger() no longer moves the global
  // `counter` (read after the destroy: closing the link may itself be an
  // event the program sees).
  void expect_stops_when_destroyed(LinkPtr& link, const char* counter, const std::function<void()>& trigger) {
    link.reset();
    const __u64 before = global(counter);
    trigger();
    EXPECT_EQ(global(counter), before) << "'" << counter << "' still counted after its link was destroyed";
  }

  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
};

// Opens and loads tests/progs/<name>.bpf.o; null (the failure recorded)
// when either fails.
inline ObjectPtr load_prog_object(const char* name) {
  ObjectPtr obj = open_prog_object(name);
  if (!obj) return obj;
  const ::testing::AssertionResult loaded = load_with_log(obj.get());
  EXPECT_TRUE(loaded);
  return loaded ? std::move(obj) : ObjectPtr();
}

// Entry idx of the object's "counters" array, where the network programs
// count what they saw.
inline __u64 counter(bpf_object* obj, __u32 idx) {
  const bpf_map* map = bpf_object__find_map_by_name(obj, "counters");
  EXPECT_NE(map, nullptr) << "expected a map named 'counters'";
  __u64 value = 0;
  if (map != nullptr) {
    EXPECT_EQ(bpf_map_lookup_elem(bpf_map__fd(map), &idx, &value), 0)
        << "counters[" << idx << "]: " << std::strerror(errno);
  }
  return value;
}

// The kernel's id of a loaded program.
inline __u32 loaded_prog_id(const bpf_program* prog) {
  bpf_prog_info info{};
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0)
      << "info of prog '" << bpf_program__name(prog) << "': " << std::strerror(errno);
  return info.id;
}

// What the kernel says about the link open as link_fd, into *info (whose
// name buffers, if any, the caller has set): ASSERT_TRUE(link_info_of(...)).
inline ::testing::AssertionResult link_info_of(int link_fd, bpf_link_info* info) {
  __u32 len = sizeof *info;
  if (bpf_link_get_info_by_fd(link_fd, info, &len) != 0) {
    return ::testing::AssertionFailure() << "bpf_link_get_info_by_fd(" << link_fd << "): " << std::strerror(errno);
  }
  return ::testing::AssertionSuccess();
}
inline ::testing::AssertionResult link_info_of(const bpf_link* link, bpf_link_info* info) {
  std::memset(info, 0, sizeof *info);
  return link_info_of(bpf_link__fd(link), info);
}

// --- Loopback IPv4 traffic in the calling thread's network namespace ---

inline sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

inline uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0) << std::strerror(errno);
  return ntohs(a.sin_port);
}

// A TCP listener on 127.0.0.1 at a kernel-chosen port.
inline UniqueFd tcp_listener() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  EXPECT_EQ(::listen(fd.get(), 8), 0) << std::strerror(errno);
  return fd;
}

// A loopback port nothing listens on (bound, read, released).
inline uint16_t free_port() {
  UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  return bound_port(s.get());
}

// Connects a new TCP socket to 127.0.0.1:port and closes it again:
// 0, or the connect's -errno.
inline int connect_to(uint16_t port) {
  UniqueFd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(port);
  return ::connect(c.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : -errno;
}

// A UDP socket bound to 127.0.0.1 at a kernel-chosen port.
inline UniqueFd udp_loopback_socket() {
  UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  return s;
}

}  // namespace bpfxx::test
