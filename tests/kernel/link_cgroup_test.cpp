// BPF links on a cgroup: bpf_link_create, query, bpf_link_update (plain and
// BPF_F_REPLACE), bpf_link_get_info_by_fd, bpf_link_detach.
#include "bpf_test_util.h"
#include "bpffs.h"
#include "cgroup.h"
#include "sys/features.h"

namespace bpfxx::test {
namespace {

using namespace insn;

struct Query {
  std::vector<__u32> prog_ids;
  std::vector<__u32> link_ids;
};

bool kernel_reports_link_ids() { return bpfxx::sys::has_feature(bpfxx::sys::Feature::QueryLinkIds); }

Query query(int cg_fd) {
  __u32 ids[4] = {}, links[4] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, q);
  q.prog_ids = ids;
  // Kernels before link_ids refuse the field (see QueryLinkIdsFollowTheKernel).
  if (kernel_reports_link_ids()) q.link_ids = links;
  q.prog_cnt = 4;
  int rc = bpf_prog_query_opts(cg_fd, BPF_CGROUP_INET_INGRESS, &q);
  EXPECT_EQ(rc, 0) << "expected bpf_prog_query_opts to succeed: " << errno_str(errno);
  Query out;
  if (rc != 0) return out;
  out.prog_ids.assign(ids, ids + q.prog_cnt);
  out.link_ids.assign(links, links + q.prog_cnt);
  return out;
}

// A test cgroup, and cgroup_skb ingress programs counting into one map.
class LinkCgroup : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_TRUE(cg.ok()) << "expected a test cgroup v2 directory: " << cg.error();
    counter = create_counter_map();
    BPFXX_ASSERT_FD(counter, "creating the counter map");
  }

  UniqueFd load_ingress(const char* name) {
    LIBBPF_OPTS(bpf_prog_load_opts, opts);
    opts.expected_attach_type = BPF_CGROUP_INET_INGRESS;
    std::string log;
    UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_CGROUP_SKB, name, count_into_array(counter.get(), 1), &opts, &log);
    EXPECT_TRUE(prog.valid()) << "expected program '" << name << "' to load: " << errno_str(errno) << "\n" << log;
    return prog;
  }
  // A BPF link of prog on the cgroup's ingress (an invalid fd, the
  // failure recorded, when the kernel refuses).
  UniqueFd link_ingress(int prog_fd) {
    UniqueFd link(bpf_link_create(prog_fd, cg.fd(), BPF_CGROUP_INET_INGRESS, nullptr));
    EXPECT_TRUE(link.valid()) << "expected bpf_link_create(cgroup ingress) to give an fd: " << errno_str(errno);
    return link;
  }

  TempCgroup cg;
  UniqueFd counter;
};

TEST_F(LinkCgroup, CreateQueryUpdateDetach) {
  UniqueFd p1 = load_ingress("link_one");
  UniqueFd p2 = load_ingress("link_two");
  UniqueFd p3 = load_ingress("link_three");
  ASSERT_FALSE(HasFailure());

  UniqueFd link = link_ingress(p1.get());
  ASSERT_TRUE(link.valid());

  int rc = -1;
  bpf_link_info info = link_info(link.get(), &rc);
  ASSERT_EQ(rc, 0) << "expected bpf_link_get_info_by_fd to succeed";
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_LINK_TYPE_CGROUP)) << "expected a cgroup link";
  EXPECT_EQ(info.prog_id, prog_id(p1.get())) << "expected the link to hold program one";
  EXPECT_EQ(info.cgroup.cgroup_id, cg.id()) << "expected the link's cgroup id to be our cgroup";
  EXPECT_EQ(info.cgroup.attach_type, static_cast<__u32>(BPF_CGROUP_INET_INGRESS));
  EXPECT_NE(info.id, 0u);

  Query q = query(cg.fd());
  ASSERT_EQ(q.prog_ids.size(), 1u) << "expected the link's program in the query";
  EXPECT_EQ(q.prog_ids[0], prog_id(p1.get()));
  // Kernels that report link ids for cgroup attachments must name ours.
  if (q.link_ids[0] != 0) {
    EXPECT_EQ(q.link_ids[0], info.id) << "expected the query to name the link";
  }

  // Plain update.
  BPFXX_ASSERT_OK(bpf_link_update(link.get(), p2.get(), nullptr));
  EXPECT_EQ(link_info(link.get()).prog_id, prog_id(p2.get())) << "expected the link to hold program two";
  q = query(cg.fd());
  ASSERT_EQ(q.prog_ids.size(), 1u);
  EXPECT_EQ(q.prog_ids[0], prog_id(p2.get())) << "expected the query to show program two";

  // Conditional update: the wrong old program is refused, the right one works.
  LIBBPF_OPTS(bpf_link_update_opts, uopts);
  uopts.flags = BPF_F_REPLACE;
  uopts.old_prog_fd = static_cast<__u32>(p1.get());
  BPFXX_EXPECT_ERR(bpf_link_update(link.get(), p3.get(), &uopts), EPERM);
  EXPECT_EQ(link_info(link.get()).prog_id, prog_id(p2.get())) << "expected the refused update to change nothing";
  uopts.old_prog_fd = static_cast<__u32>(p2.get());
  BPFXX_ASSERT_OK(bpf_link_update(link.get(), p3.get(), &uopts));
  EXPECT_EQ(link_info(link.get()).prog_id, prog_id(p3.get())) << "expected the link to hold program three";

  // Detach: the cgroup is empty, the link stays open but defunct.
  BPFXX_ASSERT_OK(bpf_link_detach(link.get()));
  EXPECT_TRUE(query(cg.fd()).prog_ids.empty()) << "expected bpf_link_detach to empty the cgroup";
  bpf_link_info after = link_info(link.get(), &rc);
  EXPECT_EQ(rc, 0) << "expected info of a detached link to still work";
  EXPECT_EQ(after.cgroup.cgroup_id, 0u) << "expected a detached link to have no cgroup";
  BPFXX_EXPECT_ERR(bpf_link_update(link.get(), p1.get(), nullptr), ENOLINK);
}

// Like libbpf, bpf_prog_query_opts passes link_ids on: a kernel that
// predates them refuses the query with EINVAL, a newer one names the link.
TEST_F(LinkCgroup, QueryLinkIdsFollowTheKernel) {
  UniqueFd prog = load_ingress("link_ids");
  ASSERT_TRUE(prog.valid());
  UniqueFd link = link_ingress(prog.get());
  ASSERT_TRUE(link.valid());
  __u32 ids[2] = {}, links[2] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, q);
  q.prog_ids = ids;
  q.link_ids = links;
  q.prog_cnt = 2;
  if (!kernel_reports_link_ids()) {
    BPFXX_EXPECT_ERR(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_INGRESS, &q), EINVAL);
    // Without link_ids the same query works.
    q.link_ids = nullptr;
    q.prog_cnt = 2;
    BPFXX_ASSERT_OK(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_INGRESS, &q));
    ASSERT_EQ(q.prog_cnt, 1u);
    EXPECT_EQ(ids[0], prog_id(prog.get()));
    return;
  }
  BPFXX_ASSERT_OK(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_INGRESS, &q));
  ASSERT_EQ(q.prog_cnt, 1u);
  EXPECT_EQ(ids[0], prog_id(prog.get()));
  if (links[0] != 0) {
    EXPECT_EQ(links[0], link_info(link.get()).id) << "expected the query to name the link";
  }
}

TEST_F(LinkCgroup, ClosingTheLastFdDetaches) {
  UniqueFd prog = load_ingress("link_close");
  ASSERT_TRUE(prog.valid());
  {
    UniqueFd link = link_ingress(prog.get());
    ASSERT_TRUE(link.valid());
    EXPECT_EQ(query(cg.fd()).prog_ids.size(), 1u);
  }
  EXPECT_TRUE(query(cg.fd()).prog_ids.empty()) << "expected closing the link fd to detach it";
}

TEST_F(LinkCgroup, PinnedLinkOutlivesItsFd) {
  BPFXX_TEMP_BPFFS(fs);
  UniqueFd prog = load_ingress("link_pin");
  ASSERT_TRUE(prog.valid());
  UniqueFd link = link_ingress(prog.get());
  ASSERT_TRUE(link.valid());
  const std::string path = fs.path("link");
  BPFXX_ASSERT_OK(bpf_obj_pin(link.get(), path.c_str()));
  __u32 id = link_info(link.get()).id;
  link.reset();
  EXPECT_EQ(query(cg.fd()).prog_ids.size(), 1u) << "expected the pinned link to stay attached";
  UniqueFd again(bpf_obj_get(path.c_str()));
  BPFXX_ASSERT_FD(again, "bpf_obj_get of the pinned link");
  EXPECT_EQ(link_info(again.get()).id, id) << "expected the same link through the pin";
  BPFXX_ASSERT_OK(bpf_link_detach(again.get()));
  EXPECT_TRUE(query(cg.fd()).prog_ids.empty()) << "expected detach through the pinned link";
  ASSERT_EQ(::unlink(path.c_str()), 0);
}

TEST_F(LinkCgroup, LinkAndLegacyAttachDoNotMix) {
  UniqueFd p1 = load_ingress("mix_one");
  UniqueFd p2 = load_ingress("mix_two");
  ASSERT_FALSE(HasFailure());
  UniqueFd link = link_ingress(p1.get());
  ASSERT_TRUE(link.valid());
  // A link counts as a multi attachment: a non-multi attach is refused.
  BPFXX_EXPECT_ERR(bpf_prog_attach(p2.get(), cg.fd(), BPF_CGROUP_INET_INGRESS, 0), EPERM);
  // bpf_link_create with unknown flags.
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = 0x80000000u;
  errno = 0;
  int fd = bpf_link_create(p2.get(), cg.fd(), BPF_CGROUP_INET_INGRESS, &opts);
  EXPECT_EQ(fd, -EINVAL) << "expected unknown link flags to be refused";
  EXPECT_EQ(errno, EINVAL);
  if (fd >= 0) close(fd);
}

}  // namespace
}  // namespace bpfxx::test
