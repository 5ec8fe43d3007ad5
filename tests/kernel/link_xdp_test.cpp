// XDP on a veth pair between two network namespaces the test creates:
// bpf_program__attach_xdp (a BPF link) and the netlink API (bpf_xdp_attach,
// _detach, _query, _query_id with modes and XDP_FLAGS_REPLACE). Datagrams
// sent from namespace b to a are counted and dropped by the program, and
// arrive again once it is gone.
#include "link_support.h"
#include "netns.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "net_xdp";
constexpr __u32 kSeen = 0, kDropped = 1, kPassSeen = 2;
constexpr int kDatagrams = 4;

// Whether devices carry XDP feature flags (and the kernel has the "netdev"
// generic netlink family reporting them): struct net_device then has
// xdp_features, per the kernel's own BTF.
bool kernel_has_xdp_features() {
  const struct btf* b = kernel_btf();
  if (b == nullptr) return false;
  const __s32 id = btf__find_by_name_kind(b, "net_device", BTF_KIND_STRUCT);
  if (id <= 0) return false;
  const struct btf_type* t = btf__type_by_id(b, static_cast<__u32>(id));
  const struct btf_member* m = btf_members(t);
  for (__u16 i = 0; i < btf_vlen(t); i++) {
    if (std::strcmp(btf__name_by_offset(b, m[i].name_off), "xdp_features") == 0) return true;
  }
  return false;
}

ObjectPtr load_object() { return load_prog_object(kObj); }

void set_drop_port(bpf_object* obj, uint16_t port) {
  __u32 key = 0, value = port;
  ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "config")), &key, &value, BPF_ANY), 0);
}

bpf_xdp_query_opts query(const NetnsPair& net) {
  LIBBPF_OPTS(bpf_xdp_query_opts, opts);
  in_netns(net.fd_a(), [&] { EXPECT_EQ(bpf_xdp_query(net.ifindex_a(), 0, &opts), 0) << std::strerror(errno); });
  return opts;
}

TEST(LinkXdp, LinkDropsDatagramsUntilDestroyed) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "xdp_filter");
  UdpReceiver rx(net);
  set_drop_port(obj.get(), rx.port());

  // Before anything is attached, the datagrams arrive.
  send_from_b(net, rx.port(), kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);

  LinkPtr link(in_netns(net.fd_a(), [&] { return bpf_program__attach_xdp(prog, net.ifindex_a()); }));
  ASSERT_TRUE(link) << std::strerror(errno);
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_XDP);
  EXPECT_EQ(info.xdp.ifindex, static_cast<__u32>(net.ifindex_a()));
  EXPECT_EQ(info.prog_id, loaded_prog_id(prog));

  send_from_b(net, rx.port(), kDatagrams);
  EXPECT_EQ(rx.drain(), 0) << "expected the XDP program to drop every datagram";
  EXPECT_EQ(counter(obj.get(), kDropped), static_cast<__u64>(kDatagrams));
  EXPECT_GE(counter(obj.get(), kSeen), static_cast<__u64>(kDatagrams));

  // A second XDP link on the same device is refused, with a message.
  {
    FullPrintCapture cap;
    bpf_link* again = in_netns(net.fd_a(), [&] {
      return bpf_program__attach_xdp(must_find_program(obj.get(), "xdp_pass"), net.ifindex_a());
    });
    EXPECT_EQ(again, nullptr);
    EXPECT_NE(cap.text().find("prog 'xdp_pass': attaching to ifindex"), std::string::npos) << cap.text();
  }

  link.reset();
  EXPECT_EQ(query(net).attach_mode, XDP_ATTACHED_NONE);
  send_from_b(net, rx.port(), kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);
  EXPECT_EQ(counter(obj.get(), kDropped), static_cast<__u64>(kDatagrams));
}

TEST(LinkXdp, NetlinkAttachQueryReplaceDetach) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* filter = must_find_program(obj.get(), "xdp_filter");
  bpf_program* pass = must_find_program(obj.get(), "xdp_pass");
  UdpReceiver rx(net);
  set_drop_port(obj.get(), rx.port());
  const int ifindex = net.ifindex_a();

  in_netns(net.fd_a(), [&] {
    ASSERT_EQ(bpf_xdp_attach(ifindex, bpf_program__fd(filter), XDP_FLAGS_SKB_MODE, nullptr), 0) << std::strerror(errno);
    __u32 id = 0;
    ASSERT_EQ(bpf_xdp_query_id(ifindex, XDP_FLAGS_SKB_MODE, &id), 0);
    EXPECT_EQ(id, loaded_prog_id(filter));
    id = 0;
    ASSERT_EQ(bpf_xdp_query_id(ifindex, 0, &id), 0);
    EXPECT_EQ(id, loaded_prog_id(filter));
    ASSERT_EQ(bpf_xdp_query_id(ifindex, XDP_FLAGS_DRV_MODE, &id), 0);
    EXPECT_EQ(id, 0u);
    // Several modes named: as libbpf, driver mode wins over hardware, and
    // hardware over generic.
    id = 1;
    ASSERT_EQ(bpf_xdp_query_id(ifindex, XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE, &id), 0);
    EXPECT_EQ(id, 0u);
    id = 1;
    ASSERT_EQ(bpf_xdp_query_id(ifindex, XDP_FLAGS_SKB_MODE | XDP_FLAGS_HW_MODE, &id), 0);
    EXPECT_EQ(id, 0u);
  });
  bpf_xdp_query_opts q = query(net);
  EXPECT_EQ(q.attach_mode, XDP_ATTACHED_SKB);
  EXPECT_EQ(q.skb_prog_id, loaded_prog_id(filter));
  EXPECT_EQ(q.prog_id, loaded_prog_id(filter));
  EXPECT_EQ(q.drv_prog_id, 0u);
  // veth reports its XDP features (basic actions at least) where the kernel
  // has them to report (the "netdev" generic netlink family); without, the
  // query still succeeds and leaves them zero, as libbpf does.
  if (kernel_has_xdp_features()) {
    EXPECT_NE(q.feature_flags, 0u);
  } else {
    EXPECT_EQ(q.feature_flags, 0u);
  }

  send_from_b(net, rx.port(), kDatagrams);
  EXPECT_EQ(rx.drain(), 0);
  EXPECT_EQ(counter(obj.get(), kDropped), static_cast<__u64>(kDatagrams));

  in_netns(net.fd_a(), [&] {
    // Native mode while a generic program is there: the kernel refuses,
    // and its explanation reaches the print callback.
    {
      FullPrintCapture cap;
      EXPECT_LT(bpf_xdp_attach(ifindex, bpf_program__fd(pass), XDP_FLAGS_DRV_MODE, nullptr), 0);
      EXPECT_NE(cap.text().find("kernel:"), std::string::npos) << cap.text();
      EXPECT_NE(cap.text().find("attaching XDP"), std::string::npos) << cap.text();
    }
    // REPLACE with the wrong old program fails; with the right one it swaps.
    LIBBPF_OPTS(bpf_xdp_attach_opts, wrong, .old_prog_fd = bpf_program__fd(pass));
    EXPECT_LT(bpf_xdp_attach(ifindex, bpf_program__fd(pass), XDP_FLAGS_SKB_MODE, &wrong), 0);
    LIBBPF_OPTS(bpf_xdp_attach_opts, right, .old_prog_fd = bpf_program__fd(filter));
    EXPECT_EQ(bpf_xdp_attach(ifindex, bpf_program__fd(pass), XDP_FLAGS_SKB_MODE, &right), 0) << std::strerror(errno);
    __u32 id = 0;
    ASSERT_EQ(bpf_xdp_query_id(ifindex, XDP_FLAGS_SKB_MODE, &id), 0);
    EXPECT_EQ(id, loaded_prog_id(pass));
  });
  send_from_b(net, rx.port(), kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);
  EXPECT_GE(counter(obj.get(), kPassSeen), static_cast<__u64>(kDatagrams));

  in_netns(net.fd_a(), [&] { EXPECT_EQ(bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, nullptr), 0); });
  q = query(net);
  EXPECT_EQ(q.attach_mode, XDP_ATTACHED_NONE);
  EXPECT_EQ(q.prog_id, 0u);
  EXPECT_EQ(q.skb_prog_id, 0u);
}

TEST(LinkXdp, NativeModeOnVeth) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* filter = must_find_program(obj.get(), "xdp_filter");
  in_netns(net.fd_a(), [&] {
    ASSERT_EQ(bpf_xdp_attach(net.ifindex_a(), bpf_program__fd(filter), XDP_FLAGS_DRV_MODE, nullptr), 0)
        << std::strerror(errno);
    // A second attach with UPDATE_IF_NOEXIST is refused.
    EXPECT_LT(bpf_xdp_attach(net.ifindex_a(), bpf_program__fd(filter),
                             XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, nullptr),
              0);
  });
  bpf_xdp_query_opts q = query(net);
  EXPECT_EQ(q.attach_mode, XDP_ATTACHED_DRV);
  EXPECT_EQ(q.drv_prog_id, loaded_prog_id(filter));
  in_netns(net.fd_a(), [&] { EXPECT_EQ(bpf_xdp_detach(net.ifindex_a(), XDP_FLAGS_DRV_MODE, nullptr), 0); });
  EXPECT_EQ(query(net).attach_mode, XDP_ATTACHED_NONE);
}

TEST(LinkXdp, ClearErrors) {
  BPFXX_REQUIRE_ROOT();
  FullPrintCapture cap;
  EXPECT_EQ(bpf_xdp_attach(0, 3, 0, nullptr), -EINVAL);
  EXPECT_EQ(bpf_xdp_attach(1, 3, 1u << 20, nullptr), -EINVAL);
  EXPECT_NE(cap.text().find("unknown XDP flags"), std::string::npos) << cap.text();
  __u32 id = 0;
  EXPECT_EQ(bpf_xdp_query_id(1, 1u << 20, &id), -EINVAL);
  EXPECT_EQ(bpf_xdp_query_id(1, 0, nullptr), -EINVAL);
  // A device that does not exist: the kernel's error comes back.
  LIBBPF_OPTS(bpf_xdp_query_opts, q);
  EXPECT_EQ(bpf_xdp_query(0x7ffffff0, 0, &q), -ENODEV);
  EXPECT_EQ(bpf_program__attach_xdp(nullptr, 1), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
