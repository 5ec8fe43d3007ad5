// Network namespace links (bpf_program__attach_netns): an sk_lookup
// program in a namespace the test creates steers connections for an
// unused port to a listener held in a SOCKMAP; and sockmap links
// (bpf_program__attach_sockmap): an sk_msg program sees the messages
// sent on a socket of the map. Each effect stops when the link goes (for
// sk_msg: for sockets added to the map after that).
#include "link_support.h"
#include "netns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <string>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "net_sock";
constexpr __u32 kSteered = 0, kMsgs = 1;

ObjectPtr load_object() { return load_prog_object(kObj); }

TEST(LinkNetns, SkLookupSteersToSockmapListener) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "steer");
  // Everything happens in namespace a: its loopback, its sockets.
  in_netns(net.fd_a(), [&] {
    UniqueFd listener = tcp_listener();
    const uint16_t steered_port = static_cast<uint16_t>(bound_port(listener.get()) + 1);
    __u32 key = 0, port = steered_port;
    __u64 sock = static_cast<__u64>(listener.get());
    ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "config")), &key, &port, 0), 0);
    ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "lookup_socks")), &key, &sock, 0),
              0)
        << std::strerror(errno);

    EXPECT_EQ(connect_to(steered_port), -ECONNREFUSED);
    UniqueFd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    LinkPtr link(bpf_program__attach_netns(prog, self.get()));
    ASSERT_TRUE(link) << std::strerror(errno);
    bpf_link_info info;
    ASSERT_TRUE(link_info_of(link.get(), &info));
    EXPECT_EQ(info.type, BPF_LINK_TYPE_NETNS);
    EXPECT_EQ(info.netns.attach_type, BPF_SK_LOOKUP);

    EXPECT_EQ(connect_to(steered_port), 0);
    UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    EXPECT_TRUE(accepted.valid()) << "expected the steered connection on the listener";
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
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_SOCKMAP);
  EXPECT_EQ(info.sockmap.attach_type, BPF_SK_MSG_VERDICT);

  UniqueFd listener = tcp_listener();
  UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback(bound_port(listener.get()));
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  UniqueFd server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server.valid()) << std::strerror(errno);
  __u32 key = 0;
  __u64 sock = static_cast<__u64>(client.get());
  ASSERT_EQ(bpf_map_update_elem(map_fd, &key, &sock, 0), 0) << std::strerror(errno);

  char buf[8];
  ASSERT_EQ(::send(client.get(), "hello", 5, 0), 5);
  ASSERT_EQ(::recv(server.get(), buf, sizeof buf, 0), 5);
  EXPECT_EQ(counter(obj.get(), kMsgs), 1u);

  // Sockets keep the programs they were added with: re-adding the socket
  // after the link is gone leaves it without one.
  link.reset();
  ASSERT_EQ(bpf_map_delete_elem(map_fd, &key), 0);
  ASSERT_EQ(bpf_map_update_elem(map_fd, &key, &sock, 0), 0) << std::strerror(errno);
  ASSERT_EQ(::send(client.get(), "again", 5, 0), 5);
  ASSERT_EQ(::recv(server.get(), buf, sizeof buf, 0), 5);
  EXPECT_EQ(counter(obj.get(), kMsgs), 1u) << "expected no sk_msg run after the link is gone";
  EXPECT_EQ(bpf_map_delete_elem(map_fd, &key), 0);
}

}  // namespace
}  // namespace bpfxx::test
