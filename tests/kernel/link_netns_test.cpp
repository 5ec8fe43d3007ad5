// Network namespace links (bpf_program__attach_netns): an sk_lookup
// program in a namespace the test creates steers connections for an
// unused port to a listener held in a SOCKMAP; and sockmap links
// (bpf_program__attach_sockmap): an sk_msg program sees the messages
// sent on a socket of the map. Each effect stops when the link goes (for
// sk_msg: for sockets added to the map after that).
#include "netns.h"
#include "object_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <string>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "net_sock";
constexpr __u32 kSteered = 0, kMsgs = 1;

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

__u64 counter(bpf_object* obj, __u32 idx) {
  __u64 value = 0;
  EXPECT_EQ(bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "counters")), &idx, &value), 0);
  return value;
}

ObjectPtr load_object() {
  ObjectPtr obj = open_prog_object(kObj);
  if (!obj) return obj;
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj.get()), 0) << cap.text();
  return obj;
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  return ntohs(a.sin_port);
}

int tcp_listener() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(::listen(fd, 8), 0);
  return fd;
}

int connect_to(uint16_t port) {
  Fd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(port);
  return ::connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : -errno;
}

TEST(LinkNetns, SkLookupSteersToSockmapListener) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "steer");
  // Everything happens in namespace a: its loopback, its sockets.
  in_netns(net.fd_a(), [&] {
    Fd listener(tcp_listener());
    const uint16_t steered_port = static_cast<uint16_t>(bound_port(listener.fd) + 1);
    __u32 key = 0, port = steered_port;
    __u64 sock = static_cast<__u64>(listener.fd);
    ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "config")), &key, &port, 0), 0);
    ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "lookup_socks")), &key, &sock, 0),
              0)
        << std::strerror(errno);

    EXPECT_EQ(connect_to(steered_port), -ECONNREFUSED);
    Fd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    LinkPtr link(bpf_program__attach_netns(prog, self.fd));
    ASSERT_TRUE(link) << std::strerror(errno);
    bpf_link_info info{};
    __u32 len = sizeof info;
    ASSERT_EQ(bpf_link_get_info_by_fd(bpf_link__fd(link.get()), &info, &len), 0);
    EXPECT_EQ(info.type, BPF_LINK_TYPE_NETNS);
    EXPECT_EQ(info.netns.attach_type, BPF_SK_LOOKUP);

    EXPECT_EQ(connect_to(steered_port), 0);
    Fd accepted(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    EXPECT_GE(accepted.fd, 0) << "expected the steered connection on the listener";
    EXPECT_EQ(counter(obj.get(), kSteered), 1u);

    link.reset();
    EXPECT_EQ(connect_to(steered_port), -ECONNREFUSED);
  });
  FullPrintCapture cap;
  EXPECT_EQ(bpf_program__attach_netns(prog, -1), nullptr);
  EXPECT_NE(cap.text().find("prog 'steer': attaching to netns fd -1"), std::string::npos) << cap.text();
}

bool kernel_has_sockmap_links() { return kernel_has_enumerator("bpf_link_type", "BPF_LINK_TYPE_SOCKMAP"); }

// Without sockmap links the kernel refuses the link (libbpf does not fall
// back to BPF_PROG_ATTACH either); the message names the program and map.
TEST(LinkSockmap, AttachWithoutSockmapLinksFailsCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (kernel_has_sockmap_links()) {
    GTEST_SKIP() << "this kernel has sockmap links (BPF_LINK_TYPE_SOCKMAP): the error path is for kernels without";
  }
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "msg_socks"));
  FullPrintCapture cap;
  errno = 0;
  LinkPtr link(bpf_program__attach_sockmap(must_find_program(obj.get(), "count_msg"), map_fd));
  EXPECT_FALSE(link);
  EXPECT_EQ(errno, EINVAL);
  const std::string want = "prog 'count_msg': attaching to map fd " + std::to_string(map_fd);
  EXPECT_NE(cap.text().find(want), std::string::npos) << cap.text();
}

TEST(LinkSockmap, SkMsgSeesMessagesUntilDestroyed) {
  BPFXX_REQUIRE_ROOT();
  if (!kernel_has_sockmap_links()) {
    GTEST_SKIP() << "kernel feature missing: sockmap links (no BPF_LINK_TYPE_SOCKMAP in the kernel's BTF)";
  }
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "count_msg");
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "msg_socks"));
  LinkPtr link(bpf_program__attach_sockmap(prog, map_fd));
  ASSERT_TRUE(link) << std::strerror(errno);
  bpf_link_info info{};
  __u32 len = sizeof info;
  ASSERT_EQ(bpf_link_get_info_by_fd(bpf_link__fd(link.get()), &info, &len), 0);
  EXPECT_EQ(info.type, BPF_LINK_TYPE_SOCKMAP);
  EXPECT_EQ(info.sockmap.attach_type, BPF_SK_MSG_VERDICT);

  Fd listener(tcp_listener());
  Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(bound_port(listener.fd));
  ASSERT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  Fd server(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_GE(server.fd, 0);
  __u32 key = 0;
  __u64 sock = static_cast<__u64>(client.fd);
  ASSERT_EQ(bpf_map_update_elem(map_fd, &key, &sock, 0), 0) << std::strerror(errno);

  char buf[8];
  ASSERT_EQ(::send(client.fd, "hello", 5, 0), 5);
  ASSERT_EQ(::recv(server.fd, buf, sizeof buf, 0), 5);
  EXPECT_EQ(counter(obj.get(), kMsgs), 1u);

  // Sockets keep the programs they were added with: re-adding the socket
  // after the link is gone leaves it without one.
  link.reset();
  ASSERT_EQ(bpf_map_delete_elem(map_fd, &key), 0);
  ASSERT_EQ(bpf_map_update_elem(map_fd, &key, &sock, 0), 0) << std::strerror(errno);
  ASSERT_EQ(::send(client.fd, "again", 5, 0), 5);
  ASSERT_EQ(::recv(server.fd, buf, sizeof buf, 0), 5);
  EXPECT_EQ(counter(obj.get(), kMsgs), 1u) << "expected no sk_msg run after the link is gone";
  EXPECT_EQ(bpf_map_delete_elem(map_fd, &key), 0);
}

}  // namespace
}  // namespace bpfxx::test
