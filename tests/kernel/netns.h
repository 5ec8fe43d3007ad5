// Network namespaces for the kernel tests: two namespaces the test creates
// (named after the pid), joined by a veth pair with an address on each
// end, deleted again (with the veth pair) on destruction; and running code
// inside one of them on a thread of its own, so the test's other threads
// stay where they were; and UDP traffic from namespace b to a.
#pragma once

#include <bpfxx/unique_fd.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace bpfxx::test {

// Runs a shell command quietly; true when it exited 0.
inline bool run_quiet(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// Whether a named namespace exists (/run/netns/<name>).
inline bool netns_exists(const std::string& name) { return ::access(("/run/netns/" + name).c_str(), F_OK) == 0; }

// Runs fn() on a new thread that has joined the network namespace open as
// ns_fd; returns what fn returned. Sockets, netlink and ifindexes inside
// fn are the namespace's.
template <class Fn>
auto in_netns(int ns_fd, Fn&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  if constexpr (std::is_void_v<R>) {
    std::thread t([&] {
      if (::setns(ns_fd, CLONE_NEWNET) != 0) {
        ADD_FAILURE() << "setns: " << std::strerror(errno);
        return;
      }
      fn();
    });
    t.join();
  } else {
    R result{};
    std::thread t([&] {
      if (::setns(ns_fd, CLONE_NEWNET) != 0) {
        ADD_FAILURE() << "setns: " << std::strerror(errno);
        return;
      }
      result = fn();
    });
    t.join();
    return result;
  }
}

// Two namespaces, a and b, and a veth pair between them: if_a (10.99.0.1/24)
// in a, if_b (10.99.0.2/24) in b, both up.
class NetnsPair {
 public:
  static constexpr const char* kAddrA = "10.99.0.1";
  static constexpr const char* kAddrB = "10.99.0.2";

  NetnsPair() {
    static std::atomic<int> counter{0};
    const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(counter++);
    ns_a_ = "bpfxx-" + tag + "-a";
    ns_b_ = "bpfxx-" + tag + "-b";
    if_a_ = "bx" + tag + "a";
    if_b_ = "bx" + tag + "b";
    if (if_a_.size() >= IFNAMSIZ) {
      if_a_ = "bxva" + std::to_string(counter.load());
      if_b_ = "bxvb" + std::to_string(counter.load());
    }
    if (!run_quiet("ip netns add " + ns_a_)) {
      fail_with("ip netns add " + ns_a_);
      return;
    }
    created_a_ = true;
    if (!run_quiet("ip netns add " + ns_b_)) {
      fail_with("ip netns add " + ns_b_);
      return;
    }
    created_b_ = true;
    const std::string steps[] = {
        "ip link add " + if_a_ + " netns " + ns_a_ + " type veth peer name " + if_b_ + " netns " + ns_b_,
        "ip -n " + ns_a_ + " addr add " + kAddrA + "/24 dev " + if_a_,
        "ip -n " + ns_b_ + " addr add " + kAddrB + "/24 dev " + if_b_,
        "ip -n " + ns_a_ + " link set " + if_a_ + " up",
        "ip -n " + ns_b_ + " link set " + if_b_ + " up",
        "ip -n " + ns_a_ + " link set lo up",
        "ip -n " + ns_b_ + " link set lo up",
    };
    for (const auto& s : steps) {
      if (!run_quiet(s)) {
        fail_with(s);
        return;
      }
    }
    fd_a_ = ::open(("/run/netns/" + ns_a_).c_str(), O_RDONLY | O_CLOEXEC);
    fd_b_ = ::open(("/run/netns/" + ns_b_).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_a_ < 0 || fd_b_ < 0) {
      fail_with("open /run/netns");
      return;
    }
    ifindex_a_ = in_netns(fd_a_, [&] { return static_cast<int>(::if_nametoindex(if_a_.c_str())); });
    ifindex_b_ = in_netns(fd_b_, [&] { return static_cast<int>(::if_nametoindex(if_b_.c_str())); });
    if (ifindex_a_ <= 0 || ifindex_b_ <= 0) {
      fail_with("if_nametoindex");
      return;
    }
    ok_ = true;
  }

  ~NetnsPair() {
    if (fd_a_ >= 0) ::close(fd_a_);
    if (fd_b_ >= 0) ::close(fd_b_);
    // Deleting a namespace destroys the veth end inside it, and so the pair.
    if (created_a_ && !run_quiet("ip netns del " + ns_a_)) ADD_FAILURE() << "could not delete netns " << ns_a_;
    if (created_b_ && !run_quiet("ip netns del " + ns_b_)) ADD_FAILURE() << "could not delete netns " << ns_b_;
  }

  NetnsPair(const NetnsPair&) = delete;
  NetnsPair& operator=(const NetnsPair&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  int fd_a() const { return fd_a_; }
  int fd_b() const { return fd_b_; }
  const std::string& ns_a() const { return ns_a_; }
  const std::string& ns_b() const { return ns_b_; }
  const std::string& if_a() const { return if_a_; }
  const std::string& if_b() const { return if_b_; }
  // Interface indexes, each valid inside its own namespace.
  int ifindex_a() const { return ifindex_a_; }
  int ifindex_b() const { return ifindex_b_; }

 private:
  void fail_with(const std::string& step) { error_ = "network namespace setup failed at: " + step; }

  std::string ns_a_, ns_b_, if_a_, if_b_, error_;
  bool created_a_ = false, created_b_ = false, ok_ = false;
  int fd_a_ = -1, fd_b_ = -1;
  int ifindex_a_ = 0, ifindex_b_ = 0;
};

// A nonblocking UDP socket on namespace a's address (NetnsPair::kAddrA),
// at a port the kernel chose: where the datagrams of send_from_b() land.
class UdpReceiver {
 public:
  explicit UdpReceiver(const NetnsPair& net) {
    fd_.reset(in_netns(net.fd_a(), [] { return ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0); }));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    ::inet_pton(AF_INET, NetnsPair::kAddrA, &a.sin_addr);
    EXPECT_EQ(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0)
        << "UDP receiver on " << NetnsPair::kAddrA << ": " << std::strerror(errno);
    socklen_t len = sizeof a;
    EXPECT_EQ(::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len), 0) << std::strerror(errno);
    port_ = ntohs(a.sin_port);
  }

  uint16_t port() const { return port_; }

  // How many datagrams arrive until none has for 300 ms.
  int drain() {
    int got = 0;
    char buf[16];
    pollfd p{fd_.get(), POLLIN, 0};
    while (::poll(&p, 1, 300) == 1) {
      while (::recv(fd_.get(), buf, sizeof buf, 0) > 0) ++got;
    }
    return got;
  }

 private:
  UniqueFd fd_;
  uint16_t port_ = 0;
};

// Sends `count` datagrams from namespace b to a's address at port.
inline void send_from_b(const NetnsPair& net, uint16_t port, int count) {
  in_netns(net.fd_b(), [&] {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, NetnsPair::kAddrA, &to.sin_addr);
    for (int i = 0; i < count; ++i) {
      EXPECT_EQ(::sendto(s.get(), "ping", 4, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), 4)
          << "datagram " << i << " from " << net.ns_b() << ": " << std::strerror(errno);
    }
  });
}

}  // namespace bpfxx::test

#define BPFXX_NETNS_PAIR(var)     \
  ::bpfxx::test::NetnsPair var;   \
  ASSERT_TRUE(var.ok()) << var.error()
