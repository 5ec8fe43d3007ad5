// Helpers of the struct_ops kernel tests: a loopback TCP connection that
// uses a chosen congestion control, and the kernel's list of available
// ones, and whether the kernel has struct_ops BPF links.
#pragma once

#include "object_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bpfxx::test {

// Whether the kernel has BPF links for struct_ops maps (.struct_ops.link,
// BPF_F_LINK): decided from the kernel's own BTF, independently of the
// library. Not from BPF_LINK_TYPE_STRUCT_OPS: that enumerator predates
// the links (the kernel used it inside for struct_ops trampolines); the
// link object and its BPF_LINK_CREATE handler came with the links.
inline bool kernel_has_struct_ops_links() {
  const struct btf* b = kernel_btf();
  return b != nullptr && (btf__find_by_name_kind(b, "bpf_struct_ops_link", BTF_KIND_STRUCT) > 0 ||
                          kernel_has_func("bpf_struct_ops_link_create"));
}

inline constexpr const char* kNoStructOpsLinks =
    "kernel lacks struct_ops BPF links (no struct bpf_struct_ops_link in its BTF)";

// On a kernel without struct_ops links: loading object file as it is
// fails at creating its .struct_ops.link map link_map, with the kernel's
// EINVAL and a message naming that map.
inline void expect_link_map_refused(const char* file, const char* link_map) {
  ObjectPtr obj = open_prog_object(file);
  ASSERT_TRUE(obj);
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj.get()), -EINVAL);
  const std::string want = std::string("map '") + link_map + "': creating it failed";
  EXPECT_NE(cap.text().find(want), std::string::npos) << cap.text();
}


// Whether name is in /proc/sys/net/ipv4/tcp_available_congestion_control.
inline bool cc_available(const std::string& name) {
  std::ifstream in("/proc/sys/net/ipv4/tcp_available_congestion_control");
  std::string word;
  while (in >> word)
    if (word == name) return true;
  return false;
}

// One loopback connection whose client uses congestion control cc; sends
// bytes from client to server and returns how many the server received
// (-1 after a test failure). The client's TCP_CONGESTION is read back.
inline long tcp_transfer(const std::string& cc, size_t bytes = 4u << 20) {
  const int lsn = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  long received = -1;
  int srv = -1;
  sockaddr_in addr{};
  socklen_t alen = sizeof addr;
  char got[16] = {};
  socklen_t glen = sizeof got;
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  do {
    if (lsn < 0 || cli < 0) {
      ADD_FAILURE() << "socket: " << std::strerror(errno);
      break;
    }
    if (bind(lsn, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lsn, 1) != 0 ||
        getsockname(lsn, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) {
      ADD_FAILURE() << "listen: " << std::strerror(errno);
      break;
    }
    if (setsockopt(cli, IPPROTO_TCP, TCP_CONGESTION, cc.c_str(), static_cast<socklen_t>(cc.size())) != 0) {
      ADD_FAILURE() << "setsockopt(TCP_CONGESTION, " << cc << "): " << std::strerror(errno);
      break;
    }
    if (getsockopt(cli, IPPROTO_TCP, TCP_CONGESTION, got, &glen) != 0 || cc != std::string(got)) {
      ADD_FAILURE() << "the client's congestion control is '" << got << "', not '" << cc << "'";
      break;
    }
    if (connect(cli, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ADD_FAILURE() << "connect: " << std::strerror(errno);
      break;
    }
    srv = accept4(lsn, nullptr, nullptr, SOCK_CLOEXEC);
    if (srv < 0) {
      ADD_FAILURE() << "accept: " << std::strerror(errno);
      break;
    }
    long total = 0;
    std::thread reader([&] {
      std::vector<char> buf(1 << 16);
      for (;;) {
        const ssize_t n = read(srv, buf.data(), buf.size());
        if (n <= 0) break;
        total += n;
      }
    });
    std::vector<char> chunk(1 << 16, 'x');
    size_t sent = 0;
    while (sent < bytes) {
      const ssize_t n = write(cli, chunk.data(), std::min(chunk.size(), bytes - sent));
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    shutdown(cli, SHUT_WR);
    reader.join();
    received = total;
  } while (false);
  if (srv >= 0) close(srv);
  if (cli >= 0) close(cli);
  if (lsn >= 0) close(lsn);
  return received;
}

}  // namespace bpfxx::test
