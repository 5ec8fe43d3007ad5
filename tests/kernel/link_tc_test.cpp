// tcx and netfilter links on a veth pair between two network namespaces
// the test creates: tcx programs ordered with before/after on ingress,
// a cls_bpf direct-action filter through the netlink API (bpf_tc_*),
// one dropping datagrams sent across, and a netfilter program counting
// what reaches LOCAL_IN. Everything is detached (links destroyed) and the
// namespaces deleted at the end.
#include "link_support.h"
#include "netns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "net_tcx";
constexpr __u32 kTcxSeen = 0, kTcxDropped = 1, kNfSeen = 2;
constexpr int kDatagrams = 4;

// Loads only the programs a test runs: a kernel without netfilter programs
// refuses nf_count, and that must not sink the tc tests. nullptr when the
// load fails (the failure is reported).
ObjectPtr load_object(std::initializer_list<const char*> wanted) {
  ObjectPtr obj = open_prog_object(kObj);
  if (!obj) return obj;
  autoload_only(obj.get(), wanted);
  FullPrintCapture cap;
  const int err = bpf_object__load(obj.get());
  EXPECT_EQ(err, 0) << cap.text();
  if (err != 0) obj.reset();
  return obj;
}

// The probes the tests decide from: the kernel's own BTF names the link types
// it implements.
bool kernel_has_tcx() { return kernel_has_enumerator("bpf_link_type", "BPF_LINK_TYPE_TCX"); }
bool kernel_has_netfilter() { return kernel_has_enumerator("bpf_link_type", "BPF_LINK_TYPE_NETFILTER"); }

// Without tcx the program still loads (as SCHED_CLS), but attaching it is
// refused by the kernel; the message names the program and the interface.
TEST(LinkTcx, AttachWithoutTcxFailsCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (kernel_has_tcx()) GTEST_SKIP() << "this kernel has tcx links (BPF_LINK_TYPE_TCX): the error path is for kernels without";
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object({"tcx_count"});
  ASSERT_TRUE(obj);
  bpf_program* count = must_find_program(obj.get(), "tcx_count");
  const int ifindex = net.ifindex_a();
  FullPrintCapture cap;
  int err = 0;
  bpf_link* link = in_netns(net.fd_a(), [&] {
    bpf_link* l = bpf_program__attach_tcx(count, ifindex, nullptr);
    err = errno;
    return l;
  });
  EXPECT_EQ(link, nullptr);
  bpf_link__destroy(link);
  EXPECT_EQ(err, EINVAL);
  const std::string want = "prog 'tcx_count': attaching to ifindex " + std::to_string(ifindex) + " (tcx";
  EXPECT_NE(cap.text().find(want), std::string::npos) << cap.text();
}

TEST(LinkTcx, IngressOrderedLinksDropUntilDestroyed) {
  BPFXX_REQUIRE_ROOT();
  if (!kernel_has_tcx()) GTEST_SKIP() << "kernel feature missing: tcx links (no BPF_LINK_TYPE_TCX in the kernel's BTF)";
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object({"tcx_count", "tcx_drop"});
  ASSERT_TRUE(obj);
  bpf_program* count = must_find_program(obj.get(), "tcx_count");
  bpf_program* drop = must_find_program(obj.get(), "tcx_drop");
  UdpReceiver rx(net);
  const uint16_t port = rx.port();
  __u32 key = 0, value = port;
  ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "config")), &key, &value, 0), 0);

  const int ifindex = net.ifindex_a();
  LinkPtr drop_link(in_netns(net.fd_a(), [&] { return bpf_program__attach_tcx(drop, ifindex, nullptr); }));
  ASSERT_TRUE(drop_link) << std::strerror(errno);
  // The counter goes before the dropper, or it would never see the drops.
  LIBBPF_OPTS(bpf_tcx_opts, before, .flags = BPF_F_BEFORE, .relative_fd = static_cast<__u32>(bpf_program__fd(drop)));
  LinkPtr count_link(in_netns(net.fd_a(), [&] { return bpf_program__attach_tcx(count, ifindex, &before); }));
  ASSERT_TRUE(count_link) << std::strerror(errno);

  __u32 ids[4] = {};
  in_netns(net.fd_a(), [&] {
    LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
    ASSERT_EQ(bpf_prog_query_opts(ifindex, BPF_TCX_INGRESS, &q), 0) << std::strerror(errno);
    EXPECT_EQ(q.count, 2u);
  });
  EXPECT_EQ(ids[0], loaded_prog_id(count));
  EXPECT_EQ(ids[1], loaded_prog_id(drop));

  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), 0) << "expected tcx to drop every datagram";
  EXPECT_EQ(counter(obj.get(), kTcxDropped), static_cast<__u64>(kDatagrams));
  EXPECT_GE(counter(obj.get(), kTcxSeen), static_cast<__u64>(kDatagrams));

  drop_link.reset();
  count_link.reset();
  in_netns(net.fd_a(), [&] {
    LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
    ASSERT_EQ(bpf_prog_query_opts(ifindex, BPF_TCX_INGRESS, &q), 0);
    EXPECT_EQ(q.count, 0u);
  });
  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);

  // Bad input: no device, anchor named twice.
  FullPrintCapture cap;
  EXPECT_EQ(bpf_program__attach_tcx(count, 0, nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("tcx needs an interface index"), std::string::npos) << cap.text();
  LIBBPF_OPTS(bpf_tcx_opts, both, .relative_fd = 3, .relative_id = 4);
  EXPECT_EQ(bpf_program__attach_tcx(count, 1, &both), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST(LinkTcNetlink, ClsactDirectActionFilterDropsUntilDetached) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object({"tcx_drop"});
  ASSERT_TRUE(obj);
  bpf_program* drop = must_find_program(obj.get(), "tcx_drop");
  UdpReceiver rx(net);
  const uint16_t port = rx.port();
  __u32 key = 0, value = port;
  ASSERT_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "config")), &key, &value, 0), 0);

  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = net.ifindex_a(), .attach_point = BPF_TC_INGRESS);
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(drop));
  in_netns(net.fd_a(), [&] {
    ASSERT_EQ(bpf_tc_hook_create(&hook), 0) << std::strerror(errno);
    EXPECT_EQ(bpf_tc_hook_create(&hook), -EEXIST);
    ASSERT_EQ(bpf_tc_attach(&hook, &opts), 0) << std::strerror(errno);
  });
  EXPECT_NE(opts.handle, 0u);
  EXPECT_NE(opts.priority, 0u);
  EXPECT_EQ(opts.prog_id, loaded_prog_id(drop));

  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), 0) << "expected the tc filter to drop every datagram";
  EXPECT_EQ(counter(obj.get(), kTcxDropped), static_cast<__u64>(kDatagrams));

  LIBBPF_OPTS(bpf_tc_opts, ident, .handle = opts.handle, .priority = opts.priority);
  in_netns(net.fd_a(), [&] {
    ASSERT_EQ(bpf_tc_query(&hook, &ident), 0) << std::strerror(errno);
    EXPECT_EQ(ident.prog_id, loaded_prog_id(drop));
    // Attaching again at the same handle and priority needs REPLACE.
    LIBBPF_OPTS(bpf_tc_opts, same, .prog_fd = bpf_program__fd(drop), .handle = opts.handle, .priority = opts.priority);
    EXPECT_EQ(bpf_tc_attach(&hook, &same), -EEXIST);
    same.flags = BPF_TC_F_REPLACE;
    same.prog_id = 0;
    EXPECT_EQ(bpf_tc_attach(&hook, &same), 0) << std::strerror(errno);
    ident.prog_id = 0;
    ASSERT_EQ(bpf_tc_detach(&hook, &ident), 0) << std::strerror(errno);
    // The last filter took its chain with it: the kernel says so (EINVAL).
    EXPECT_LT(bpf_tc_query(&hook, &ident), 0);
  });
  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);

  in_netns(net.fd_a(), [&] {
    hook.attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
    EXPECT_EQ(bpf_tc_hook_destroy(&hook), 0) << std::strerror(errno);
    // Gone: destroying again fails.
    EXPECT_LT(bpf_tc_hook_destroy(&hook), 0);
  });
  // Bad input is refused with a message.
  FullPrintCapture cap;
  LIBBPF_OPTS(bpf_tc_opts, none);
  EXPECT_EQ(bpf_tc_attach(&hook, &none), -EINVAL);
  LIBBPF_OPTS(bpf_tc_opts, no_ident);
  hook.attach_point = BPF_TC_INGRESS;
  EXPECT_EQ(bpf_tc_detach(&hook, &no_ident), -EINVAL);
  EXPECT_NE(cap.text().find("needs handle and priority"), std::string::npos) << cap.text();
  EXPECT_EQ(bpf_tc_attach(nullptr, &none), -EINVAL);
}

// Without netfilter programs the kernel refuses to load nf_count: the load
// fails with a message naming the program, and attaching it afterwards is
// refused for the program, not sent to the kernel.
TEST(LinkNetfilter, LoadWithoutNetfilterFailsCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (kernel_has_netfilter()) {
    GTEST_SKIP() << "this kernel has netfilter links (BPF_LINK_TYPE_NETFILTER): the error path is for kernels without";
  }
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  autoload_only(obj.get(), {"nf_count"});
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj.get()), -EINVAL);
  EXPECT_NE(cap.text().find("prog 'nf_count': BPF program load failed"), std::string::npos) << cap.text();
  LIBBPF_OPTS(bpf_netfilter_opts, opts, .pf = 2 /* NFPROTO_IPV4 */, .hooknum = 1 /* NF_INET_LOCAL_IN */);
  EXPECT_EQ(bpf_program__attach_netfilter(must_find_program(obj.get(), "nf_count"), &opts), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("prog 'nf_count': not loaded, so it cannot be attached to netfilter pf 2 hook 1"),
            std::string::npos)
      << cap.text();
}

TEST(LinkNetfilter, LocalInCountsUntilDestroyed) {
  BPFXX_REQUIRE_ROOT();
  if (!kernel_has_netfilter()) {
    GTEST_SKIP() << "kernel feature missing: netfilter links (no BPF_LINK_TYPE_NETFILTER in the kernel's BTF)";
  }
  BPFXX_NETNS_PAIR(net);
  ObjectPtr obj = load_object({"nf_count"});
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "nf_count");
  UdpReceiver rx(net);
  const uint16_t port = rx.port();

  LIBBPF_OPTS(bpf_netfilter_opts, opts, .pf = 2 /* NFPROTO_IPV4 */, .hooknum = 1 /* NF_INET_LOCAL_IN */,
              .priority = -128);
  LinkPtr link(in_netns(net.fd_a(), [&] { return bpf_program__attach_netfilter(prog, &opts); }));
  ASSERT_TRUE(link) << std::strerror(errno);
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_NETFILTER);
  EXPECT_EQ(info.netfilter.hooknum, 1u);
  EXPECT_EQ(info.netfilter.priority, -128);

  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);
  const __u64 seen = counter(obj.get(), kNfSeen);
  EXPECT_GE(seen, static_cast<__u64>(kDatagrams));
  link.reset();
  send_from_b(net, port, kDatagrams);
  EXPECT_EQ(rx.drain(), kDatagrams);
  EXPECT_EQ(counter(obj.get(), kNfSeen), seen) << "expected no counting after the link is gone";

  // A hook number out of range: the kernel refuses, and the message names
  // the program.
  FullPrintCapture cap;
  LIBBPF_OPTS(bpf_netfilter_opts, bad, .pf = 2, .hooknum = 99, .priority = -128);
  EXPECT_EQ(bpf_program__attach_netfilter(prog, &bad), nullptr);
  EXPECT_NE(cap.text().find("prog 'nf_count': attaching to netfilter"), std::string::npos) << cap.text();
}

}  // namespace
}  // namespace bpfxx::test
