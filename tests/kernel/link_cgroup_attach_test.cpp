// cgroup programs attached as BPF links with bpf_program__attach_cgroup
// (_opts), in a cgroup v2 directory the test creates, with this process
// moved into it: connect4 rewriting a destination, sockops seeing a TCP
// connection, sysctl denying a read, cgroup_skb and sock_create counting.
// Each effect is seen while attached and gone once the link is destroyed.
#include "cgroup.h"
#include "link_support.h"
#include "sys/features.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <fstream>
#include <vector>
#include <memory>
#include <string>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "net_cgroup";
constexpr __u32 kRewrites = 0, kSysctlDenied = 1, kEgress = 2, kIngress = 3, kSockCreate = 4, kSockopsBase = 8;

ObjectPtr load_object() { return load_prog_object(kObj); }

// Program `name` of obj attached to cg as a BPF link (null, the failure
// recorded, when that fails).
LinkPtr attach_to(const TempCgroup& cg, bpf_object* obj, const char* name) {
  LinkPtr link(bpf_program__attach_cgroup(must_find_program(obj, name), cg.fd()));
  EXPECT_TRUE(link) << "attaching prog '" << name << "' to " << cg.path() << ": " << std::strerror(errno);
  return link;
}

TEST(LinkCgroupAttach, Connect4RewritesDestinationUntilDetached) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "connect4_rewrite");
  ASSERT_NE(prog, nullptr);

  UniqueFd listener = tcp_listener();
  const uint16_t real_port = bound_port(listener.get());
  const uint16_t fake_port = free_port();
  ASSERT_NE(real_port, fake_port);
  int ports_fd = bpf_map__fd(bpf_object__find_map_by_name(obj.get(), "ports"));
  __u32 k0 = 0, k1 = 1, from = fake_port, to = real_port;
  ASSERT_EQ(bpf_map_update_elem(ports_fd, &k0, &from, BPF_ANY), 0);
  ASSERT_EQ(bpf_map_update_elem(ports_fd, &k1, &to, BPF_ANY), 0);

  LinkPtr link(bpf_program__attach_cgroup(prog, cg.fd()));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_GE(bpf_link__fd(link.get()), 0);
  {
    BPFXX_MOVE_INTO_CGROUP(move, cg);
    // Connecting to the port nobody listens on lands on the listener.
    EXPECT_EQ(connect_to(fake_port), 0);
    UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    EXPECT_TRUE(accepted.valid()) << "expected the rewritten connection on the listener";
    EXPECT_EQ(counter(obj.get(), kRewrites), 1u);

    // The link's info names the cgroup and the attach type.
    bpf_link_info info;
    ASSERT_TRUE(link_info_of(link.get(), &info));
    EXPECT_EQ(info.type, BPF_LINK_TYPE_CGROUP);
    EXPECT_EQ(info.cgroup.cgroup_id, cg.id());
    EXPECT_EQ(info.cgroup.attach_type, BPF_CGROUP_INET4_CONNECT);

    EXPECT_EQ(bpf_link__destroy(link.release()), 0);
    // Detached: the same connect is refused.
    EXPECT_EQ(connect_to(fake_port), -ECONNREFUSED);
    EXPECT_EQ(counter(obj.get(), kRewrites), 1u);
  }
  // Nothing stays attached to the cgroup.
  __u32 ids[4] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
  ASSERT_EQ(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET4_CONNECT, &q), 0);
  EXPECT_EQ(q.count, 0u);
}

TEST(LinkCgroupAttach, SockopsSeesTcpConnection) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  LinkPtr link = attach_to(cg, obj.get(), "count_sockops");
  ASSERT_TRUE(link);
  {
    BPFXX_MOVE_INTO_CGROUP(move, cg);
    UniqueFd listener = tcp_listener();
    EXPECT_EQ(connect_to(bound_port(listener.get())), 0);
    UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    EXPECT_TRUE(accepted.valid()) << "expected the connection on the listener";
  }
  EXPECT_GE(counter(obj.get(), kSockopsBase + BPF_SOCK_OPS_TCP_CONNECT_CB), 1u);
  EXPECT_GE(counter(obj.get(), kSockopsBase + BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB), 1u);
  EXPECT_GE(counter(obj.get(), kSockopsBase + BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB), 1u);
}

int read_tcp_mem() {
  UniqueFd f(::open("/proc/sys/net/ipv4/tcp_mem", O_RDONLY | O_CLOEXEC));
  if (!f.valid()) return -errno;
  char buf[128];
  return ::read(f.get(), buf, sizeof buf) < 0 ? -errno : 0;
}

TEST(LinkCgroupAttach, SysctlDeniesReadUntilDetached) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  LinkPtr link = attach_to(cg, obj.get(), "deny_tcp_mem");
  ASSERT_TRUE(link);
  BPFXX_MOVE_INTO_CGROUP(move, cg);
  EXPECT_EQ(read_tcp_mem(), -EPERM);
  EXPECT_EQ(counter(obj.get(), kSysctlDenied), 1u);
  link.reset();
  EXPECT_EQ(read_tcp_mem(), 0);
}

TEST(LinkCgroupAttach, SkbAndSockCreateCountPackets) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  LinkPtr egress = attach_to(cg, obj.get(), "count_egress");
  LinkPtr ingress = attach_to(cg, obj.get(), "count_ingress");
  LinkPtr create = attach_to(cg, obj.get(), "count_sock_create");
  ASSERT_TRUE(egress && ingress && create);
  constexpr int kPackets = 5;
  {
    BPFXX_MOVE_INTO_CGROUP(move, cg);
    UniqueFd rx = udp_loopback_socket();
    ASSERT_FALSE(HasFailure());
    UniqueFd tx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in to = loopback(bound_port(rx.get()));
    for (int i = 0; i < kPackets; ++i) {
      ASSERT_EQ(::sendto(tx.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), 1);
    }
    char b;
    for (int i = 0; i < kPackets; ++i) ASSERT_EQ(::recv(rx.get(), &b, 1, 0), 1);
  }
  EXPECT_GE(counter(obj.get(), kEgress), static_cast<__u64>(kPackets));
  EXPECT_GE(counter(obj.get(), kIngress), static_cast<__u64>(kPackets));
  EXPECT_GE(counter(obj.get(), kSockCreate), 2u);
}

// Whether cgroup attachments take mprog ordering (BPF_F_BEFORE/AFTER,
// relative_fd/id, expected_revision): the kernel's bpf_attr then has a
// "cgroup" struct inside link_create with "expected_revision".
bool kernel_has_cgroup_ordering() {
  const struct btf* b = kernel_btf();
  if (b == nullptr) return false;
  const __s32 id = btf__find_by_name_kind(b, "bpf_attr", BTF_KIND_UNION);
  if (id <= 0) return false;
  auto member_named = [&](const struct btf_type* t, const char* name) -> const struct btf_type* {
    const struct btf_member* m = btf_members(t);
    for (__u16 i = 0; i < btf_vlen(t); i++) {
      if (std::strcmp(btf__name_by_offset(b, m[i].name_off), name) == 0) return btf__type_by_id(b, m[i].type);
    }
    return nullptr;
  };
  const struct btf_type* link_create = member_named(btf__type_by_id(b, static_cast<__u32>(id)), "link_create");
  if (link_create == nullptr || !btf_is_composite(link_create)) return false;
  // "cgroup" sits in one of link_create's unnamed unions.
  const struct btf_member* m = btf_members(link_create);
  for (__u16 i = 0; i < btf_vlen(link_create); i++) {
    const struct btf_type* t = btf__type_by_id(b, m[i].type);
    if (t == nullptr || !btf_is_composite(t) || btf__name_by_offset(b, m[i].name_off)[0] != '\0') continue;
    const struct btf_type* cgroup = member_named(t, "cgroup");
    if (cgroup != nullptr && btf_is_composite(cgroup) && member_named(cgroup, "expected_revision") != nullptr) {
      return true;
    }
  }
  return false;
}

// Without ordering the kernel refuses any flags on a cgroup link; the
// message names the program and the cgroup.
TEST(LinkCgroupAttach, OrderingWithoutKernelSupportFailsCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (kernel_has_cgroup_ordering()) {
    GTEST_SKIP() << "this kernel orders cgroup links (link_create.cgroup.expected_revision): the error path is for "
                    "kernels without";
  }
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  LinkPtr a = attach_to(cg, obj.get(), "count_egress");
  ASSERT_TRUE(a);
  LIBBPF_OPTS(bpf_cgroup_opts, opts, .flags = BPF_F_BEFORE | BPF_F_LINK,
              .relative_fd = static_cast<__u32>(bpf_link__fd(a.get())));
  FullPrintCapture cap;
  errno = 0;
  LinkPtr b(bpf_program__attach_cgroup_opts(must_find_program(obj.get(), "count_egress_second"), cg.fd(), &opts));
  EXPECT_FALSE(b);
  EXPECT_EQ(errno, EINVAL);
  const std::string want = "prog 'count_egress_second': attaching to cgroup fd " + std::to_string(cg.fd());
  EXPECT_NE(cap.text().find(want), std::string::npos) << cap.text();
}

TEST(LinkCgroupAttach, OptsOrderBeforeAnotherLink) {
  BPFXX_REQUIRE_ROOT();
  if (!kernel_has_cgroup_ordering()) {
    GTEST_SKIP() << "kernel feature missing: ordered cgroup links (no link_create.cgroup.expected_revision in the "
                    "kernel's bpf_attr)";
  }
  BPFXX_TEMP_CGROUP(cg);
  ObjectPtr obj = load_object();
  ASSERT_TRUE(obj);
  bpf_program* first = must_find_program(obj.get(), "count_egress");
  bpf_program* second = must_find_program(obj.get(), "count_egress_second");
  LinkPtr a(bpf_program__attach_cgroup(first, cg.fd()));
  ASSERT_TRUE(a) << std::strerror(errno);
  // The second goes before the first, named by its link fd.
  LIBBPF_OPTS(bpf_cgroup_opts, opts, .flags = BPF_F_BEFORE | BPF_F_LINK,
              .relative_fd = static_cast<__u32>(bpf_link__fd(a.get())));
  LinkPtr b(bpf_program__attach_cgroup_opts(second, cg.fd(), &opts));
  ASSERT_TRUE(b) << std::strerror(errno);

  __u32 ids[4] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
  ASSERT_EQ(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &q), 0);
  ASSERT_EQ(q.count, 2u);
  EXPECT_EQ(ids[0], loaded_prog_id(second)) << "expected the second program first";
  EXPECT_GE(q.revision, 2u);

  // A stale revision is refused.
  LIBBPF_OPTS(bpf_cgroup_opts, stale, .expected_revision = 1);
  errno = 0;
  EXPECT_EQ(bpf_program__attach_cgroup_opts(first, cg.fd(), &stale), nullptr);
  EXPECT_EQ(errno, ESTALE);

  b.reset();
  a.reset();
  q.count = 4;
  ASSERT_EQ(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &q), 0);
  EXPECT_EQ(q.count, 0u);
}

// The three egress programs of attach_cgroup_order.bpf.o, which record
// how many packets each saw and which ran first and last on a packet.
class CgroupOrder {
 public:
  CgroupOrder() : elf_(prog_bytes("attach_cgroup_order")), obj_(open_prog_object("attach_cgroup_order")) {
    if (obj_) {
      FullPrintCapture cap;
      loaded_ = bpf_object__load(obj_.get()) == 0;
      EXPECT_TRUE(loaded_) << cap.text();
    }
  }
  bool ok() const { return loaded_; }
  bpf_program* prog(int tag) {
    static const char* const names[] = {"egress_one", "egress_two", "egress_three"};
    return must_find_program(obj_.get(), names[tag - 1]);
  }
  int fd(int tag) { return bpf_program__fd(prog(tag)); }
  __u32 id(int tag) { return loaded_prog_id(prog(tag)); }
  __u64 hits(int tag) {
    const GlobalVar v = find_global(elf_, "hits");
    return read_initial<__u64>(obj_.get(), GlobalVar{v.section, v.offset + 8 * static_cast<size_t>(tag - 1), 8});
  }
  __u32 first() { return read_initial<__u32>(obj_.get(), find_global(elf_, "first_tag")); }
  __u32 last() { return read_initial<__u32>(obj_.get(), find_global(elf_, "last_tag")); }
  // Sends one datagram over loopback from a socket made in cg, after
  // clearing first_tag; returns false if a socket call failed.
  bool one_packet(const TempCgroup& cg) {
    write_initial<__u32>(obj_.get(), find_global(elf_, "first_tag"), 0);
    ScopedCgroupMove move(cg);
    if (!move.ok()) return false;
    UniqueFd s = udp_loopback_socket();
    sockaddr_in a = loopback(bound_port(s.get()));
    if (::sendto(s.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) != 1) return false;
    char b;
    return ::recv(s.get(), &b, 1, 0) == 1;
  }
  std::vector<__u32> attached(const TempCgroup& cg) {
    __u32 ids[8] = {};
    LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 8);
    EXPECT_EQ(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &q), 0) << std::strerror(errno);
    return std::vector<__u32>(ids, ids + q.count);
  }

 private:
  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
  bool loaded_ = false;
};

TEST(LinkCgroupAttach, UpdateProgramSwitchesAndDetachEndsTheLink) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  CgroupOrder o;
  ASSERT_TRUE(o.ok());
  LinkPtr link(bpf_program__attach_cgroup(o.prog(1), cg.fd()));
  ASSERT_TRUE(link) << std::strerror(errno);
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(1), 1u);
  ASSERT_EQ(bpf_link__update_program(link.get(), o.prog(2)), 0) << std::strerror(errno);
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(1), 1u);
  EXPECT_EQ(o.hits(2), 1u) << "the link still runs the old program";
  // Detached, the link keeps its fd but no longer runs anything.
  ASSERT_EQ(bpf_link__detach(link.get()), 0) << std::strerror(errno);
  EXPECT_GE(bpf_link__fd(link.get()), 0);
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(2), 1u);
  EXPECT_TRUE(o.attached(cg).empty());
  // An unloaded program is refused with a message naming it.
  ObjectPtr unloaded = open_prog_object("attach_cgroup_order");
  FullPrintCapture cap;
  BPFXX_EXPECT_ERR(bpf_link__update_program(link.get(), must_find_program(unloaded.get(), "egress_three")), EINVAL);
  EXPECT_NE(cap.text().find("prog 'egress_three': not loaded"), std::string::npos) << cap.text();
}

TEST(LinkCgroupAttach, LegacyAllowMultiRunsBoth) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  CgroupOrder o;
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(bpf_prog_attach(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS, BPF_F_ALLOW_MULTI), 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_prog_attach_opts, multi, .flags = BPF_F_ALLOW_MULTI);
  ASSERT_EQ(bpf_prog_attach_opts(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS, &multi), 0) << std::strerror(errno);
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(1), 1u);
  EXPECT_EQ(o.hits(2), 1u);
  // Attach order is run order.
  EXPECT_EQ(o.first(), 1u);
  EXPECT_EQ(o.last(), 2u);
  EXPECT_EQ(o.attached(cg), (std::vector<__u32>{o.id(1), o.id(2)}));
  // Without ALLOW_MULTI a third is refused while the cgroup has several.
  EXPECT_LT(bpf_prog_attach(o.fd(3), cg.fd(), BPF_CGROUP_INET_EGRESS, 0), 0);
  EXPECT_EQ(bpf_prog_detach2(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
  EXPECT_EQ(bpf_prog_detach2(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(1) + o.hits(2), 2u) << "a detached program still ran";
}

TEST(LinkCgroupAttach, LegacyReplaceSwapsOneProgram) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  CgroupOrder o;
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(bpf_prog_attach(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS, BPF_F_ALLOW_MULTI), 0) << std::strerror(errno);
  ASSERT_EQ(bpf_prog_attach(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS, BPF_F_ALLOW_MULTI), 0) << std::strerror(errno);
  // Program one is replaced in place by program three.
  LIBBPF_OPTS(bpf_prog_attach_opts, replace, .flags = BPF_F_ALLOW_MULTI | BPF_F_REPLACE, .replace_prog_fd = o.fd(1));
  ASSERT_EQ(bpf_prog_attach_opts(o.fd(3), cg.fd(), BPF_CGROUP_INET_EGRESS, &replace), 0) << std::strerror(errno);
  EXPECT_EQ(o.attached(cg), (std::vector<__u32>{o.id(3), o.id(2)}));
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.hits(1), 0u);
  EXPECT_EQ(o.hits(3), 1u);
  EXPECT_EQ(o.first(), 3u) << "the replacement should take the old program's place";
  // Replacing a program that is not attached fails.
  errno = 0;
  EXPECT_LT(bpf_prog_attach_opts(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS, &replace), 0);
  EXPECT_NE(errno, 0);
  EXPECT_EQ(bpf_prog_detach2(o.fd(3), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
  EXPECT_EQ(bpf_prog_detach2(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
  EXPECT_TRUE(o.attached(cg).empty());
}

TEST(LinkCgroupAttach, LegacyBeforeAfterOrdering) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  CgroupOrder o;
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(bpf_prog_attach(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS, BPF_F_ALLOW_MULTI), 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_prog_attach_opts, before, .flags = BPF_F_ALLOW_MULTI | BPF_F_BEFORE, .relative_fd = o.fd(1));
  if (!kernel_has_cgroup_ordering()) {
    // Older kernels take no ordering flags on cgroups.
    errno = 0;
    EXPECT_LT(bpf_prog_attach_opts(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS, &before), 0);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(bpf_prog_detach2(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
    GTEST_SKIP() << "kernel feature missing: ordered cgroup attachments (no link_create.cgroup.expected_revision "
                    "in the kernel's bpf_attr); checked the EINVAL users see";
  }
  // Two goes before one (named by fd), three after one (named by id).
  ASSERT_EQ(bpf_prog_attach_opts(o.fd(2), cg.fd(), BPF_CGROUP_INET_EGRESS, &before), 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_prog_attach_opts, after, .flags = BPF_F_ALLOW_MULTI | BPF_F_AFTER, .relative_id = o.id(1));
  ASSERT_EQ(bpf_prog_attach_opts(o.fd(3), cg.fd(), BPF_CGROUP_INET_EGRESS, &after), 0) << std::strerror(errno);
  EXPECT_EQ(o.attached(cg), (std::vector<__u32>{o.id(2), o.id(1), o.id(3)}));
  ASSERT_TRUE(o.one_packet(cg));
  EXPECT_EQ(o.first(), 2u);
  EXPECT_EQ(o.last(), 3u);
  EXPECT_EQ(o.hits(1) + o.hits(2) + o.hits(3), 3u);
  // A stale revision is refused.
  LIBBPF_OPTS(bpf_prog_attach_opts, stale, .flags = BPF_F_ALLOW_MULTI, .expected_revision = 1);
  errno = 0;
  EXPECT_LT(bpf_prog_attach_opts(o.fd(1), cg.fd(), BPF_CGROUP_INET_EGRESS, &stale), 0);
  EXPECT_EQ(errno, ESTALE);
  for (int tag = 1; tag <= 3; tag++) EXPECT_EQ(bpf_prog_detach2(o.fd(tag), cg.fd(), BPF_CGROUP_INET_EGRESS), 0);
  EXPECT_TRUE(o.attached(cg).empty());
}

// lsm_cgroup: bpf_program__attach_cgroup() makes a BPF_LSM_CGROUP link;
// the section has no target of its own for bpf_program__attach().
bool bpf_lsm_active() {
  std::ifstream lsms("/sys/kernel/security/lsm");
  std::string active;
  std::getline(lsms, active);
  return active.find("bpf") != std::string::npos;
}

TEST(LinkCgroupAttach, LsmCgroupErrorsWhereTrampolinesAreRefused) {
  BPFXX_REQUIRE_ROOT();
  if (sys::has_feature(sys::Feature::Trampoline)) GTEST_SKIP() << "this kernel allows trampolines";
  ObjectPtr obj = open_prog_object("attach_lsm_cgroup");
  ASSERT_TRUE(obj);
  FullPrintCapture cap;
  errno = 0;
  EXPECT_LT(bpf_object__load(obj.get()), 0);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(cap.text().find("deny_bind"), std::string::npos) << cap.text();
  BPFXX_TEMP_CGROUP(cg);
  EXPECT_EQ(bpf_program__attach_cgroup(must_find_program(obj.get(), "deny_bind"), cg.fd()), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("prog 'deny_bind': not loaded"), std::string::npos) << cap.text();
}

TEST(LinkCgroupAttach, LsmCgroupDeniesBindsInItsCgroup) {
  BPFXX_REQUIRE_ROOT();
  if (!sys::has_feature(sys::Feature::Trampoline)) {
    GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::Trampoline)
                 << " (lsm_cgroup programs need them)";
  }
  if (!bpf_lsm_active()) GTEST_SKIP() << "the bpf LSM is not active";
  const std::vector<uint8_t> elf = prog_bytes("attach_lsm_cgroup");
  ObjectPtr obj = open_prog_object("attach_lsm_cgroup");
  ASSERT_TRUE(obj);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  bpf_program* prog = must_find_program(obj.get(), "deny_bind");
  {
    // No target of its own: bpf_program__attach() names the section.
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach(prog), nullptr);
    EXPECT_EQ(errno, EOPNOTSUPP);
    EXPECT_NE(cap.text().find("section 'lsm_cgroup/socket_bind'"), std::string::npos) << cap.text();
  }
  BPFXX_TEMP_CGROUP(cg);
  LinkPtr link(bpf_program__attach_cgroup(prog, cg.fd()));
  ASSERT_TRUE(link) << std::strerror(errno);
  auto bind_in_cgroup = [&]() -> int {
    ScopedCgroupMove move(cg);
    EXPECT_TRUE(move.ok());
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a = loopback(0);
    return ::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : errno;
  };
  EXPECT_EQ(bind_in_cgroup(), EPERM);
  EXPECT_EQ(read_initial<__u64>(obj.get(), find_global(elf, "bind_denials")), 1u);
  // Outside the cgroup binds go through.
  EXPECT_TRUE(udp_loopback_socket().valid());
  link.reset();
  EXPECT_EQ(bind_in_cgroup(), 0);
  EXPECT_EQ(read_initial<__u64>(obj.get(), find_global(elf, "bind_denials")), 1u);
}

TEST(LinkCgroupAttach, ClearErrors) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object(kObj);
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "connect4_rewrite");
  {
    // Not loaded yet: refused with a message naming the program.
    FullPrintCapture cap;
    errno = 0;
    EXPECT_EQ(bpf_program__attach_cgroup(prog, 0), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("connect4_rewrite"), std::string::npos) << cap.text();
  }
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  {
    // Not a cgroup fd.
    UniqueFd f(::open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach_cgroup(prog, f.get()), nullptr);
    EXPECT_NE(errno, 0);
    EXPECT_NE(cap.text().find("prog 'connect4_rewrite': attaching to cgroup fd"), std::string::npos) << cap.text();
  }
  LIBBPF_OPTS(bpf_cgroup_opts, both, .relative_fd = 3, .relative_id = 4);
  EXPECT_EQ(bpf_program__attach_cgroup_opts(prog, 0, &both), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(bpf_program__attach_cgroup(nullptr, 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
