// The C API wrappers without a kernel: the attr each builds from its
// arguments and opts (checked through a fake kernel), outputs copied back,
// EAGAIN retries of program loading, and NULL / inconsistent arguments that
// must fail with -errno and errno set, never crash.
#include "fake_kernel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kFd = 100;

__u64 u64p(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

const bpf_insn kInsns[2] = {
    {0xb7, 0, 0, 0, 0},  // r0 = 0
    {0x95, 0, 0, 0, 0},  // exit
};

class FakeKernelTest : public testing::Test {
 protected:
  void SetUp() override {
    for (int cmd : {BPF_MAP_CREATE, BPF_PROG_LOAD, BPF_BTF_LOAD, BPF_OBJ_GET, BPF_LINK_CREATE,
                    BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID,
                    BPF_LINK_GET_FD_BY_ID, BPF_RAW_TRACEPOINT_OPEN, BPF_TOKEN_CREATE, BPF_ENABLE_STATS,
                    BPF_ITER_CREATE})
      fake_.results[cmd] = kFd;
  }
  FakeKernel fake_;
  ScopedKernel scoped_{&fake_};
};

// ---- attr built from arguments and opts ------------------------------------

TEST_F(FakeKernelTest, MapCreateFillsAttr) {
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.map_flags = BPF_F_NO_PREALLOC | BPF_F_RDONLY;
  opts.inner_map_fd = 11;
  opts.map_extra = 0x1122334455ULL;
  opts.numa_node = 3;
  opts.map_ifindex = 4;
  opts.btf_fd = 5;
  opts.btf_key_type_id = 6;
  opts.btf_value_type_id = 7;
  opts.btf_vmlinux_value_type_id = 8;
  ASSERT_EQ(bpf_map_create(BPF_MAP_TYPE_HASH, "a_map_name_longer_than_15", 4, 12, 99, &opts), kFd)
      << "expected the fake fd back";
  const FakeKernel::Call* c = fake_.last(BPF_MAP_CREATE);
  ASSERT_NE(c, nullptr) << "expected a BPF_MAP_CREATE call";
  EXPECT_EQ(c->attr.map_type, static_cast<__u32>(BPF_MAP_TYPE_HASH));
  EXPECT_EQ(c->attr.key_size, 4u);
  EXPECT_EQ(c->attr.value_size, 12u);
  EXPECT_EQ(c->attr.max_entries, 99u);
  EXPECT_EQ(c->attr.map_flags, static_cast<__u32>(BPF_F_NO_PREALLOC | BPF_F_RDONLY))
      << "expected opts->map_flags to reach attr.map_flags";
  EXPECT_EQ(c->attr.inner_map_fd, 11u);
  EXPECT_EQ(c->attr.map_extra, 0x1122334455ULL);
  EXPECT_EQ(c->attr.numa_node, 3u);
  EXPECT_EQ(c->attr.map_ifindex, 4u);
  EXPECT_EQ(c->attr.btf_fd, 5u);
  EXPECT_EQ(c->attr.btf_key_type_id, 6u);
  EXPECT_EQ(c->attr.btf_value_type_id, 7u);
  EXPECT_EQ(c->attr.btf_vmlinux_value_type_id, 8u);
  EXPECT_EQ(c->attr.map_token_fd, 0) << "expected no token without token_fd";
  EXPECT_EQ(c->attr.map_flags & BPF_F_TOKEN_FD, 0u) << "expected no BPF_F_TOKEN_FD without a token";
  EXPECT_EQ(std::string(c->attr.map_name, strnlen(c->attr.map_name, sizeof(c->attr.map_name))),
            "a_map_name_long")
      << "expected the name cut to 15 characters and NUL-terminated";
  EXPECT_EQ(c->attr.map_name[15], 0) << "expected the name NUL-terminated";
  EXPECT_GE(c->size, offsetof(union bpf_attr, map_extra) + sizeof(__u64))
      << "expected the attr size to cover every field set";
  EXPECT_LE(c->size, sizeof(union bpf_attr)) << "expected the attr size within the union";
}

// As libbpf: the token goes to the kernel as given; the caller's flags are
// passed unchanged (the caller sets BPF_F_TOKEN_FD itself).
TEST_F(FakeKernelTest, MapCreateTokenFdIsPassedWithCallerFlags) {
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.token_fd = 42;
  opts.map_flags = BPF_F_NO_PREALLOC;
  ASSERT_EQ(bpf_map_create(BPF_MAP_TYPE_HASH, nullptr, 4, 4, 1, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_MAP_CREATE);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.map_token_fd, 42) << "expected token_fd in attr.map_token_fd";
  EXPECT_EQ(c->attr.map_flags, static_cast<__u32>(BPF_F_NO_PREALLOC))
      << "expected the caller's flags unchanged";
  EXPECT_EQ(c->attr.map_name[0], 0) << "expected an empty name for NULL";
}

TEST_F(FakeKernelTest, MapCreateErrorPassesThrough) {
  fake_.results[BPF_MAP_CREATE] = -E2BIG;
  errno = 0;
  EXPECT_EQ(bpf_map_create(BPF_MAP_TYPE_HASH, "m", 4, 4, 1, nullptr), -E2BIG)
      << "expected the kernel's error returned as is";
  EXPECT_EQ(errno, E2BIG) << "expected errno set from the kernel's error";
}

TEST_F(FakeKernelTest, ProgLoadFillsAttr) {
  char log[128];
  int fds[2] = {3, 4};
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = BPF_CGROUP_INET_EGRESS;
  opts.prog_flags = BPF_F_SLEEPABLE;
  opts.prog_ifindex = 9;
  opts.kern_version = 0x60000;
  opts.attach_btf_id = 77;
  opts.attach_btf_obj_fd = 12;
  opts.fd_array = fds;
  opts.fd_array_cnt = 2;
  opts.log_buf = log;
  opts.log_size = sizeof(log);
  opts.log_level = 2;
  opts.prog_btf_fd = 13;
  ASSERT_EQ(bpf_prog_load(BPF_PROG_TYPE_CGROUP_SKB, "prog_name_which_is_long", "Dual BSD/GPL", kInsns, 2, &opts),
            kFd);
  const FakeKernel::Call* c = fake_.last(BPF_PROG_LOAD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.prog_type, static_cast<__u32>(BPF_PROG_TYPE_CGROUP_SKB));
  EXPECT_EQ(c->attr.insn_cnt, 2u);
  EXPECT_EQ(c->attr.insns, u64p(kInsns)) << "expected the caller's instructions, not a copy";
  EXPECT_STREQ(reinterpret_cast<const char*>(static_cast<uintptr_t>(c->attr.license)), "Dual BSD/GPL");
  EXPECT_EQ(c->attr.expected_attach_type, static_cast<__u32>(BPF_CGROUP_INET_EGRESS));
  EXPECT_EQ(c->attr.prog_flags, static_cast<__u32>(BPF_F_SLEEPABLE));
  EXPECT_EQ(c->attr.prog_ifindex, 9u);
  EXPECT_EQ(c->attr.attach_btf_id, 77u);
  EXPECT_EQ(c->attr.attach_btf_obj_fd, 12u);
  EXPECT_EQ(c->attr.fd_array, u64p(fds));
  EXPECT_EQ(c->attr.fd_array_cnt, 2u);
  EXPECT_EQ(c->attr.log_buf, u64p(log));
  EXPECT_EQ(c->attr.log_size, sizeof(log));
  EXPECT_EQ(c->attr.log_level, 2u);
  EXPECT_EQ(c->attr.prog_btf_fd, 13u);
  EXPECT_EQ(std::string(c->attr.prog_name), "prog_name_which") << "expected the name cut to 15 characters";
  EXPECT_EQ(c->attr.prog_token_fd, 0);
}

TEST_F(FakeKernelTest, ProgLoadTokenAndLogTrueSize) {
  char log[64];
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.token_fd = 21;
  opts.log_buf = log;
  opts.log_size = sizeof(log);
  opts.log_level = 1;
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_PROG_LOAD) attr->log_true_size = 4321;
    return FakeKernel::kDefer;
  };
  ASSERT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_PROG_LOAD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.prog_token_fd, 21) << "expected token_fd in attr.prog_token_fd";
  EXPECT_EQ(c->attr.prog_flags & BPF_F_TOKEN_FD, 0u) << "expected prog_flags as the caller set them";
  EXPECT_EQ(opts.log_true_size, 4321u) << "expected log_true_size copied back from the kernel";
}

TEST_F(FakeKernelTest, ProgLoadRetriesEagainDefaultFiveTimes) {
  fake_.results[BPF_PROG_LOAD] = -EAGAIN;
  errno = 0;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, nullptr), -EAGAIN);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 5) << "expected the default of 5 attempts";

  fake_.calls.clear();
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.attempts = 2;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &opts), -EAGAIN);
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 2) << "expected opts->attempts loads";

  // EAGAIN twice, then success.
  fake_.calls.clear();
  int left = 2;
  fake_.on_bpf = [&left](int cmd, union bpf_attr*, unsigned int) -> long {
    if (cmd == BPF_PROG_LOAD && left-- > 0) return -EAGAIN;
    return FakeKernel::kDefer;
  };
  fake_.results[BPF_PROG_LOAD] = kFd;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, nullptr), kFd)
      << "expected the third attempt to succeed";
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 3);

  // Other errors are not retried.
  fake_.on_bpf = nullptr;
  fake_.calls.clear();
  fake_.results[BPF_PROG_LOAD] = -EACCES;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, nullptr), -EACCES);
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 1) << "expected EACCES not to be retried";

  // Negative attempts are a caller bug.
  fake_.calls.clear();
  opts.attempts = -1;
  errno = 0;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &opts), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 0);
}

TEST_F(FakeKernelTest, ProgLoadLevelZeroLogRetriesAtLevelOneOnFailure) {
  char log[64];
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = log;
  opts.log_size = sizeof(log);
  fake_.results[BPF_PROG_LOAD] = -EACCES;
  errno = 0;
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &opts), -EACCES);
  EXPECT_EQ(errno, EACCES);
  ASSERT_EQ(fake_.count(BPF_PROG_LOAD), 2) << "expected a log-less load then a retry with the log";
  EXPECT_EQ(fake_.calls[0].attr.log_level, 0u);
  EXPECT_EQ(fake_.calls[0].attr.log_buf, 0u) << "expected no log on the first try";
  EXPECT_EQ(fake_.calls[1].attr.log_level, 1u) << "expected the retry at level 1";
  EXPECT_EQ(fake_.calls[1].attr.log_buf, u64p(log));
  EXPECT_EQ(fake_.calls[1].attr.log_size, sizeof(log));
}

TEST_F(FakeKernelTest, BtfLoadFillsAttr) {
  unsigned char blob[40] = {};
  char log[32];
  LIBBPF_OPTS(bpf_btf_load_opts, opts);
  opts.log_buf = log;
  opts.log_size = sizeof(log);
  opts.log_level = 1;
  opts.btf_flags = 0;
  opts.token_fd = 33;
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_BTF_LOAD) attr->btf_log_true_size = 99;
    return FakeKernel::kDefer;
  };
  ASSERT_EQ(bpf_btf_load(blob, sizeof(blob), &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_BTF_LOAD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.btf, u64p(blob));
  EXPECT_EQ(c->attr.btf_size, sizeof(blob));
  EXPECT_EQ(c->attr.btf_log_buf, u64p(log));
  EXPECT_EQ(c->attr.btf_log_size, sizeof(log));
  EXPECT_EQ(c->attr.btf_log_level, 1u);
  EXPECT_EQ(c->attr.btf_token_fd, 33);
  EXPECT_EQ(c->attr.btf_flags & BPF_F_TOKEN_FD, 0u) << "expected btf_flags as the caller set them";
  EXPECT_EQ(opts.log_true_size, 99u) << "expected log_true_size copied back";
}

TEST_F(FakeKernelTest, TestRunCopiesOutputsBack) {
  unsigned char in[16] = {}, out[32] = {}, ctx_in[8] = {}, ctx_out[8] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = in;
  opts.data_size_in = sizeof(in);
  opts.data_out = out;
  opts.data_size_out = sizeof(out);
  opts.ctx_in = ctx_in;
  opts.ctx_size_in = sizeof(ctx_in);
  opts.ctx_out = ctx_out;
  opts.ctx_size_out = sizeof(ctx_out);
  opts.repeat = 10;
  opts.flags = BPF_F_TEST_RUN_ON_CPU;
  opts.cpu = 1;
  opts.batch_size = 5;
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_PROG_TEST_RUN) {
      attr->test.retval = 7;
      attr->test.duration = 55;
      attr->test.data_size_out = 20;
      attr->test.ctx_size_out = 4;
    }
    return FakeKernel::kDefer;
  };
  ASSERT_EQ(bpf_prog_test_run_opts(kFd, &opts), 0);
  const FakeKernel::Call* c = fake_.last(BPF_PROG_TEST_RUN);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.test.prog_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.test.data_in, u64p(in));
  EXPECT_EQ(c->attr.test.data_size_in, sizeof(in));
  EXPECT_EQ(c->attr.test.data_out, u64p(out));
  EXPECT_EQ(c->attr.test.data_size_out, sizeof(out));
  EXPECT_EQ(c->attr.test.ctx_in, u64p(ctx_in));
  EXPECT_EQ(c->attr.test.ctx_out, u64p(ctx_out));
  EXPECT_EQ(c->attr.test.repeat, 10u);
  EXPECT_EQ(c->attr.test.flags, static_cast<__u32>(BPF_F_TEST_RUN_ON_CPU));
  EXPECT_EQ(c->attr.test.cpu, 1u);
  EXPECT_EQ(c->attr.test.batch_size, 5u);
  EXPECT_EQ(opts.retval, 7u) << "expected retval copied back";
  EXPECT_EQ(opts.duration, 55u) << "expected duration copied back";
  EXPECT_EQ(opts.data_size_out, 20u) << "expected data_size_out copied back";
  EXPECT_EQ(opts.ctx_size_out, 4u) << "expected ctx_size_out copied back";
}

TEST_F(FakeKernelTest, ObjPinAndGetOptsFillAttr) {
  LIBBPF_OPTS(bpf_obj_pin_opts, pin);
  pin.file_flags = BPF_F_PATH_FD;
  pin.path_fd = 17;
  const char* path = "rel/path";
  ASSERT_EQ(bpf_obj_pin_opts(kFd, path, &pin), 0);
  const FakeKernel::Call* c = fake_.last(BPF_OBJ_PIN);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.pathname, u64p(path));
  EXPECT_EQ(c->attr.bpf_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.file_flags, static_cast<__u32>(BPF_F_PATH_FD));
  EXPECT_EQ(c->attr.path_fd, 17);

  LIBBPF_OPTS(bpf_obj_get_opts, get);
  get.file_flags = BPF_F_RDONLY;
  ASSERT_EQ(bpf_obj_get_opts(path, &get), kFd);
  c = fake_.last(BPF_OBJ_GET);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.pathname, u64p(path));
  EXPECT_EQ(c->attr.file_flags, static_cast<__u32>(BPF_F_RDONLY));
  EXPECT_EQ(c->attr.path_fd, 0) << "expected no path_fd without BPF_F_PATH_FD";
}

TEST_F(FakeKernelTest, AttachAndDetachOptsFillAttr) {
  LIBBPF_OPTS(bpf_prog_attach_opts, a);
  a.flags = BPF_F_ALLOW_MULTI | BPF_F_REPLACE;
  a.replace_prog_fd = 31;
  a.expected_revision = 9;
  ASSERT_EQ(bpf_prog_attach_opts(kFd, 200, BPF_CGROUP_INET_INGRESS, &a), 0);
  const FakeKernel::Call* c = fake_.last(BPF_PROG_ATTACH);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.target_fd, 200u);
  EXPECT_EQ(c->attr.attach_bpf_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.attach_type, static_cast<__u32>(BPF_CGROUP_INET_INGRESS));
  EXPECT_EQ(c->attr.attach_flags, static_cast<__u32>(BPF_F_ALLOW_MULTI | BPF_F_REPLACE));
  EXPECT_EQ(c->attr.replace_bpf_fd, 31u);
  EXPECT_EQ(c->attr.expected_revision, 9u);

  // bpf_prog_attach is the opts form with flags only.
  ASSERT_EQ(bpf_prog_attach(kFd, 201, BPF_CGROUP_INET_EGRESS, BPF_F_ALLOW_OVERRIDE), 0);
  c = fake_.last(BPF_PROG_ATTACH);
  EXPECT_EQ(c->attr.target_fd, 201u);
  EXPECT_EQ(c->attr.attach_flags, static_cast<__u32>(BPF_F_ALLOW_OVERRIDE));
  EXPECT_EQ(c->attr.replace_bpf_fd, 0u);

  LIBBPF_OPTS(bpf_prog_detach_opts, d);
  d.expected_revision = 4;
  ASSERT_EQ(bpf_prog_detach_opts(kFd, 202, BPF_CGROUP_INET_INGRESS, &d), 0);
  c = fake_.last(BPF_PROG_DETACH);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.target_fd, 202u);
  EXPECT_EQ(c->attr.attach_bpf_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.expected_revision, 4u);

  ASSERT_EQ(bpf_prog_detach(203, BPF_CGROUP_INET_INGRESS), 0);
  c = fake_.last(BPF_PROG_DETACH);
  EXPECT_EQ(c->attr.target_fd, 203u);
  EXPECT_EQ(c->attr.attach_bpf_fd, 0u) << "expected no program fd from bpf_prog_detach";
}

TEST_F(FakeKernelTest, QueryOptsCopiesOutputsBack) {
  __u32 ids[4];
  LIBBPF_OPTS(bpf_prog_query_opts, q);
  q.query_flags = BPF_F_QUERY_EFFECTIVE;
  q.prog_ids = ids;
  q.prog_cnt = 4;
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_PROG_QUERY) {
      attr->query.attach_flags = BPF_F_ALLOW_MULTI;
      attr->query.prog_cnt = 3;
      attr->query.revision = 12;
      return -ENOSPC;
    }
    return FakeKernel::kDefer;
  };
  errno = 0;
  EXPECT_EQ(bpf_prog_query_opts(kFd, BPF_CGROUP_INET_INGRESS, &q), -ENOSPC);
  EXPECT_EQ(errno, ENOSPC);
  const FakeKernel::Call* c = fake_.last(BPF_PROG_QUERY);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.query.target_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.query.query_flags, static_cast<__u32>(BPF_F_QUERY_EFFECTIVE));
  EXPECT_EQ(c->attr.query.prog_ids, u64p(ids));
  EXPECT_EQ(c->attr.query.prog_cnt, 4u);
  EXPECT_EQ(q.attach_flags, static_cast<__u32>(BPF_F_ALLOW_MULTI)) << "expected attach_flags copied back";
  EXPECT_EQ(q.prog_cnt, 3u) << "expected prog_cnt copied back even on ENOSPC";
  EXPECT_EQ(q.revision, 12u) << "expected revision copied back";

  // The short form copies the same outputs.
  __u32 flags = 0, cnt = 4;
  errno = 0;
  EXPECT_EQ(bpf_prog_query(kFd, BPF_CGROUP_INET_INGRESS, 0, &flags, ids, &cnt), -ENOSPC);
  EXPECT_EQ(flags, static_cast<__u32>(BPF_F_ALLOW_MULTI));
  EXPECT_EQ(cnt, 3u) << "expected prog_cnt copied back through bpf_prog_query";
}

TEST_F(FakeKernelTest, LinkCreateAndUpdateFillAttr) {
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = 0;
  opts.perf_event.bpf_cookie = 0xc00c1e;
  ASSERT_EQ(bpf_link_create(kFd, 300, BPF_PERF_EVENT, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_LINK_CREATE);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.link_create.prog_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.link_create.target_fd, 300u);
  EXPECT_EQ(c->attr.link_create.attach_type, static_cast<__u32>(BPF_PERF_EVENT));
  EXPECT_EQ(c->attr.link_create.perf_event.bpf_cookie, 0xc00c1eu) << "expected the perf_event cookie";

  LIBBPF_OPTS(bpf_link_create_opts, cg);
  cg.cgroup.relative_fd = 44;
  cg.cgroup.expected_revision = 5;
  cg.flags = BPF_F_BEFORE;
  ASSERT_EQ(bpf_link_create(kFd, 301, BPF_CGROUP_INET_INGRESS, &cg), kFd);
  c = fake_.last(BPF_LINK_CREATE);
  EXPECT_EQ(c->attr.link_create.flags, static_cast<__u32>(BPF_F_BEFORE));
  EXPECT_EQ(c->attr.link_create.cgroup.relative_fd, 44u) << "expected the cgroup relative_fd";
  EXPECT_EQ(c->attr.link_create.cgroup.expected_revision, 5u);

  LIBBPF_OPTS(bpf_link_update_opts, u);
  u.flags = BPF_F_REPLACE;
  u.old_prog_fd = 55;
  ASSERT_EQ(bpf_link_update(66, 77, &u), 0);
  c = fake_.last(BPF_LINK_UPDATE);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.link_update.link_fd, 66u);
  EXPECT_EQ(c->attr.link_update.new_prog_fd, 77u);
  EXPECT_EQ(c->attr.link_update.flags, static_cast<__u32>(BPF_F_REPLACE));
  EXPECT_EQ(c->attr.link_update.old_prog_fd, 55u);

  ASSERT_EQ(bpf_link_detach(88), 0);
  c = fake_.last(BPF_LINK_DETACH);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.link_detach.link_fd, 88u);
}

TEST_F(FakeKernelTest, RawTracepointOpenFillsAttr) {
  LIBBPF_OPTS(bpf_raw_tp_opts, opts);
  opts.tp_name = "sched_switch";
  opts.cookie = 0xabc;
  ASSERT_EQ(bpf_raw_tracepoint_open_opts(kFd, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_RAW_TRACEPOINT_OPEN);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.raw_tracepoint.name, u64p(opts.tp_name));
  EXPECT_EQ(c->attr.raw_tracepoint.prog_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.raw_tracepoint.cookie, 0xabcu);
  const char* name = "sys_exit";
  ASSERT_EQ(bpf_raw_tracepoint_open(name, kFd), kFd);
  c = fake_.last(BPF_RAW_TRACEPOINT_OPEN);
  EXPECT_EQ(c->attr.raw_tracepoint.name, u64p(name));
  EXPECT_EQ(c->attr.raw_tracepoint.cookie, 0u);
}

TEST_F(FakeKernelTest, GetFdByIdOptsFillAttr) {
  LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts);
  opts.open_flags = BPF_F_RDONLY;
  ASSERT_EQ(bpf_map_get_fd_by_id_opts(123, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_MAP_GET_FD_BY_ID);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.map_id, 123u);
  EXPECT_EQ(c->attr.open_flags, static_cast<__u32>(BPF_F_RDONLY));
  ASSERT_EQ(bpf_prog_get_fd_by_id(124), kFd);
  EXPECT_EQ(fake_.last(BPF_PROG_GET_FD_BY_ID)->attr.prog_id, 124u);
  ASSERT_EQ(bpf_btf_get_fd_by_id(125), kFd);
  EXPECT_EQ(fake_.last(BPF_BTF_GET_FD_BY_ID)->attr.btf_id, 125u);
  ASSERT_EQ(bpf_link_get_fd_by_id(126), kFd);
  EXPECT_EQ(fake_.last(BPF_LINK_GET_FD_BY_ID)->attr.link_id, 126u);
}

TEST_F(FakeKernelTest, NextIdCopiesTheIdBack) {
  fake_.on_bpf = [](int, union bpf_attr* attr, unsigned int) -> long {
    attr->next_id = attr->start_id + 10;
    return 0;
  };
  __u32 next = 0;
  ASSERT_EQ(bpf_map_get_next_id(5, &next), 0);
  EXPECT_EQ(next, 15u) << "expected next_id copied back";
  EXPECT_EQ(fake_.last(BPF_MAP_GET_NEXT_ID)->attr.start_id, 5u);
  ASSERT_EQ(bpf_prog_get_next_id(6, &next), 0);
  EXPECT_EQ(next, 16u);
  ASSERT_EQ(bpf_btf_get_next_id(7, &next), 0);
  EXPECT_EQ(next, 17u);
  ASSERT_EQ(bpf_link_get_next_id(8, &next), 0);
  EXPECT_EQ(next, 18u);
}

TEST_F(FakeKernelTest, InfoByFdPassesAndReturnsLength) {
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_OBJ_GET_INFO_BY_FD) attr->info.info_len = 16;
    return 0;
  };
  bpf_map_info info{};
  __u32 len = sizeof(info);
  ASSERT_EQ(bpf_map_get_info_by_fd(kFd, &info, &len), 0);
  const FakeKernel::Call* c = fake_.last(BPF_OBJ_GET_INFO_BY_FD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.info.bpf_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.info.info_len, sizeof(info));
  EXPECT_EQ(c->attr.info.info, u64p(&info));
  EXPECT_EQ(len, 16u) << "expected info_len copied back";
}

TEST_F(FakeKernelTest, TaskFdQueryCopiesOutputsBack) {
  fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_TASK_FD_QUERY) {
      attr->task_fd_query.buf_len = 9;
      attr->task_fd_query.prog_id = 321;
      attr->task_fd_query.fd_type = BPF_FD_TYPE_UPROBE;
      attr->task_fd_query.probe_offset = 0x100;
      attr->task_fd_query.probe_addr = 0x200;
    }
    return 0;
  };
  char buf[32];
  __u32 len = sizeof(buf), prog = 0, type = 0;
  __u64 off = 0, addr = 0;
  ASSERT_EQ(bpf_task_fd_query(1234, 5, 0, buf, &len, &prog, &type, &off, &addr), 0);
  const FakeKernel::Call* c = fake_.last(BPF_TASK_FD_QUERY);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.task_fd_query.pid, 1234u);
  EXPECT_EQ(c->attr.task_fd_query.fd, 5u);
  EXPECT_EQ(c->attr.task_fd_query.buf, u64p(buf));
  EXPECT_EQ(c->attr.task_fd_query.buf_len, sizeof(buf));
  EXPECT_EQ(len, 9u);
  EXPECT_EQ(prog, 321u);
  EXPECT_EQ(type, static_cast<__u32>(BPF_FD_TYPE_UPROBE));
  EXPECT_EQ(off, 0x100u);
  EXPECT_EQ(addr, 0x200u);
}

TEST_F(FakeKernelTest, SmallCommandsFillAttr) {
  ASSERT_EQ(bpf_enable_stats(BPF_STATS_RUN_TIME), kFd);
  EXPECT_EQ(fake_.last(BPF_ENABLE_STATS)->attr.enable_stats.type, static_cast<__u32>(BPF_STATS_RUN_TIME));

  ASSERT_EQ(bpf_iter_create(91), kFd);
  EXPECT_EQ(fake_.last(BPF_ITER_CREATE)->attr.iter_create.link_fd, 91u);

  LIBBPF_OPTS(bpf_prog_bind_opts, bind);
  ASSERT_EQ(bpf_prog_bind_map(92, 93, &bind), 0);
  EXPECT_EQ(fake_.last(BPF_PROG_BIND_MAP)->attr.prog_bind_map.prog_fd, 92u);
  EXPECT_EQ(fake_.last(BPF_PROG_BIND_MAP)->attr.prog_bind_map.map_fd, 93u);

  ASSERT_EQ(bpf_token_create(94, nullptr), kFd);
  EXPECT_EQ(fake_.last(BPF_TOKEN_CREATE)->attr.token_create.bpffs_fd, 94u);

  char buf[8];
  fake_.results[BPF_PROG_STREAM_READ_BY_FD] = 5;
  ASSERT_EQ(bpf_prog_stream_read(95, BPF_STREAM_STDERR, buf, sizeof(buf), nullptr), 5)
      << "expected the byte count from the kernel";
  const FakeKernel::Call* c = fake_.last(BPF_PROG_STREAM_READ_BY_FD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.prog_stream_read.prog_fd, 95u);
  EXPECT_EQ(c->attr.prog_stream_read.stream_id, static_cast<__u32>(BPF_STREAM_STDERR));
  EXPECT_EQ(c->attr.prog_stream_read.stream_buf, u64p(buf));
  EXPECT_EQ(c->attr.prog_stream_read.stream_buf_len, sizeof(buf));

  ASSERT_EQ(bpf_prog_assoc_struct_ops(96, 97, nullptr), 0);
  c = fake_.last(BPF_PROG_ASSOC_STRUCT_OPS);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.prog_assoc_struct_ops.prog_fd, 96u);
  EXPECT_EQ(c->attr.prog_assoc_struct_ops.map_fd, 97u);

  ASSERT_EQ(bpf_map_freeze(98), 0);
  EXPECT_EQ(fake_.last(BPF_MAP_FREEZE)->attr.map_fd, 98u);
}

TEST_F(FakeKernelTest, ElementOpsFillAttr) {
  __u32 key = 1;
  __u64 value = 2;
  ASSERT_EQ(bpf_map_update_elem(kFd, &key, &value, BPF_NOEXIST), 0);
  const FakeKernel::Call* c = fake_.last(BPF_MAP_UPDATE_ELEM);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.map_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.key, u64p(&key));
  EXPECT_EQ(c->attr.value, u64p(&value));
  EXPECT_EQ(c->attr.flags, static_cast<__u64>(BPF_NOEXIST));
  ASSERT_EQ(bpf_map_lookup_elem_flags(kFd, &key, &value, BPF_F_LOCK), 0);
  EXPECT_EQ(fake_.last(BPF_MAP_LOOKUP_ELEM)->attr.flags, static_cast<__u64>(BPF_F_LOCK));
  ASSERT_EQ(bpf_map_lookup_and_delete_elem_flags(kFd, &key, &value, BPF_F_LOCK), 0);
  EXPECT_EQ(fake_.last(BPF_MAP_LOOKUP_AND_DELETE_ELEM)->attr.flags, static_cast<__u64>(BPF_F_LOCK));
  ASSERT_EQ(bpf_map_delete_elem_flags(kFd, &key, BPF_F_LOCK), 0);
  EXPECT_EQ(fake_.last(BPF_MAP_DELETE_ELEM)->attr.flags, static_cast<__u64>(BPF_F_LOCK));
  __u32 next = 0;
  ASSERT_EQ(bpf_map_get_next_key(kFd, &key, &next), 0);
  EXPECT_EQ(fake_.last(BPF_MAP_GET_NEXT_KEY)->attr.next_key, u64p(&next));
}

TEST_F(FakeKernelTest, BatchOpsFillAttrAndCopyCountBack) {
  __u32 keys[4] = {}, count = 4;
  __u64 values[4] = {}, in = 0, out = 0;
  fake_.on_bpf = [](int, union bpf_attr* attr, unsigned int) -> long {
    attr->batch.count = 2;
    return -ENOENT;
  };
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  opts.elem_flags = BPF_F_LOCK;
  opts.flags = 0;
  errno = 0;
  EXPECT_EQ(bpf_map_lookup_batch(kFd, &in, &out, keys, values, &count, &opts), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(count, 2u) << "expected the kernel's count copied back even on error";
  const FakeKernel::Call* c = fake_.last(BPF_MAP_LOOKUP_BATCH);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.batch.map_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.batch.in_batch, u64p(&in));
  EXPECT_EQ(c->attr.batch.out_batch, u64p(&out));
  EXPECT_EQ(c->attr.batch.keys, u64p(keys));
  EXPECT_EQ(c->attr.batch.values, u64p(values));
  EXPECT_EQ(c->attr.batch.count, 4u);
  EXPECT_EQ(c->attr.batch.elem_flags, static_cast<__u64>(BPF_F_LOCK));
}

// ---- NULL and inconsistent arguments ---------------------------------------

// Whether fn returns normally when run in a forked child (a crash there
// does not take the test binary down).
bool runs_without_crash(const std::function<void()>& fn) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    fn();
    std::_Exit(0);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Runs expr (first in a child, to survive a crash); it must fail with a
// negative errno, set errno to match, and fail with one of the allowed errors.
#define EXPECT_CLEAN_FAILURE(expr, ...)                                                        \
  do {                                                                                         \
    if (!runs_without_crash([&] { (void)(expr); })) {                                          \
      ADD_FAILURE() << #expr << ": expected a clean error, but the call crashed";              \
      break;                                                                                   \
    }                                                                                          \
    errno = 0;                                                                                 \
    long bpfxx_rc_ = (expr);                                                                   \
    int bpfxx_e_ = errno;                                                                      \
    EXPECT_LT(bpfxx_rc_, 0) << #expr << ": expected failure";                                  \
    EXPECT_EQ(bpfxx_e_, -bpfxx_rc_) << #expr << ": expected errno == -ret";                    \
    const int bpfxx_allowed_[] = {__VA_ARGS__};                                                \
    bool bpfxx_ok_ = false;                                                                    \
    for (int a : bpfxx_allowed_) bpfxx_ok_ |= bpfxx_rc_ == -a;                                 \
    EXPECT_TRUE(bpfxx_ok_) << #expr << ": expected one of " #__VA_ARGS__ ", got " << bpfxx_rc_; \
  } while (0)

class NullArgs : public FakeKernelTest {
 protected:
  void SetUp() override {
    FakeKernelTest::SetUp();
    // Like the kernel: a NULL user pointer where one is needed is EFAULT,
    // no instructions is E2BIG, an empty BTF blob is EINVAL.
    fake_.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
      switch (cmd) {
        case BPF_OBJ_PIN:
        case BPF_OBJ_GET:
          return attr->pathname == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_MAP_UPDATE_ELEM:
        case BPF_MAP_LOOKUP_ELEM:
          return attr->value == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_MAP_GET_NEXT_KEY:
          return attr->next_key == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_PROG_LOAD:
          if (attr->insn_cnt == 0) return -E2BIG;
          return attr->license == 0 || attr->insns == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_BTF_LOAD:
          if (attr->btf_size == 0) return -EINVAL;
          return attr->btf == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_OBJ_GET_INFO_BY_FD:
          return attr->info.info == 0 ? -EFAULT : FakeKernel::kDefer;
        case BPF_PROG_STREAM_READ_BY_FD:
          return attr->prog_stream_read.stream_buf == 0 ? -EFAULT : FakeKernel::kDefer;
        default:
          return FakeKernel::kDefer;
      }
    };
  }
};

TEST_F(NullArgs, PathsValuesAndBuffers) {
  __u32 key = 0;
  EXPECT_CLEAN_FAILURE(bpf_obj_pin(kFd, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_obj_pin_opts(kFd, nullptr, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_obj_get(nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_obj_get_opts(nullptr, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_update_elem(kFd, &key, nullptr, BPF_ANY), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_lookup_elem(kFd, &key, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_lookup_elem_flags(kFd, &key, nullptr, 0), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_get_next_key(kFd, &key, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, "p", "GPL", nullptr, 2, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, "p", "GPL", kInsns, 0, nullptr), EINVAL, E2BIG);
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, "p", nullptr, kInsns, 2, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_btf_load(nullptr, 24, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_btf_load(kInsns, 0, nullptr), EINVAL, E2BIG);
  __u32 len = 8;
  EXPECT_CLEAN_FAILURE(bpf_obj_get_info_by_fd(kFd, nullptr, &len), EINVAL, EFAULT);
  bpf_map_info info{};
  EXPECT_CLEAN_FAILURE(bpf_obj_get_info_by_fd(kFd, &info, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_get_next_id(0, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_prog_get_next_id(0, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_btf_get_next_id(0, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_link_get_next_id(0, nullptr), EINVAL, EFAULT);
  __u32 keys[1] = {}, values[1] = {};
  EXPECT_CLEAN_FAILURE(bpf_map_update_batch(kFd, keys, values, nullptr, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_delete_batch(kFd, keys, nullptr, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_map_lookup_batch(kFd, nullptr, keys, keys, values, nullptr, nullptr), EINVAL, EFAULT);
  EXPECT_CLEAN_FAILURE(bpf_prog_stream_read(kFd, BPF_STREAM_STDOUT, nullptr, 16, nullptr), EINVAL, EFAULT);
}

TEST_F(NullArgs, LogBufferAndSizeMustAgree) {
  char log[16];
  LIBBPF_OPTS(bpf_prog_load_opts, a);
  a.log_buf = log;  // size 0
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &a), EINVAL);
  LIBBPF_OPTS(bpf_prog_load_opts, b);
  b.log_size = 16;  // no buffer
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, &b), EINVAL);
  EXPECT_EQ(fake_.count(BPF_PROG_LOAD), 0) << "expected inconsistent log options to be caught before the syscall";

  LIBBPF_OPTS(bpf_btf_load_opts, d);
  d.log_size = 16;  // no buffer
  EXPECT_CLEAN_FAILURE(bpf_btf_load(kInsns, sizeof(kInsns), &d), EINVAL);
  EXPECT_EQ(fake_.count(BPF_BTF_LOAD), 0) << "expected a log size without a buffer to be caught before the syscall";
}

TEST_F(NullArgs, NullNamesAreAllowed) {
  // Names are optional for maps and programs.
  EXPECT_EQ(bpf_map_create(BPF_MAP_TYPE_ARRAY, nullptr, 4, 4, 1, nullptr), kFd);
  EXPECT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, nullptr, "GPL", kInsns, 2, nullptr), kFd);
  // A raw tracepoint without a name is for programs that know their target.
  EXPECT_EQ(bpf_raw_tracepoint_open(nullptr, kFd), kFd);
  EXPECT_EQ(fake_.last(BPF_RAW_TRACEPOINT_OPEN)->attr.raw_tracepoint.name, 0u);
}

TEST_F(NullArgs, KernelErrorsAlwaysSetErrno) {
  fake_.on_bpf = nullptr;
  fake_.default_result = -ENOTTY;
  for (auto& [cmd, r] : fake_.results) r = -ENOTTY;
  __u32 key = 0, next = 0;
  __u64 value = 0;
  EXPECT_CLEAN_FAILURE(bpf_map_update_elem(kFd, &key, &value, 0), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_lookup_elem(kFd, &key, &value), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_lookup_and_delete_elem(kFd, &key, &value), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_delete_elem(kFd, &key), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_get_next_key(kFd, &key, &next), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_freeze(kFd), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_obj_pin(kFd, "/x"), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_obj_get("/x"), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_attach(kFd, kFd, BPF_CGROUP_INET_INGRESS, 0), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_detach(kFd, BPF_CGROUP_INET_INGRESS), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_detach2(kFd, kFd, BPF_CGROUP_INET_INGRESS), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_link_create(kFd, kFd, BPF_CGROUP_INET_INGRESS, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_link_update(kFd, kFd, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_link_detach(kFd), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_iter_create(kFd), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_get_next_id(0, &next), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_get_fd_by_id(1), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_get_fd_by_id(1), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_btf_get_fd_by_id(1), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_link_get_fd_by_id(1), ENOTTY);
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  EXPECT_CLEAN_FAILURE(bpf_prog_get_info_by_fd(kFd, &info, &len), ENOTTY);
  __u32 cnt = 0;
  EXPECT_CLEAN_FAILURE(bpf_prog_query(kFd, BPF_CGROUP_INET_INGRESS, 0, nullptr, nullptr, &cnt), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_raw_tracepoint_open("x", kFd), ENOTTY);
  char buf[8];
  __u32 blen = sizeof(buf), pid = 0, type = 0;
  __u64 off = 0, addr = 0;
  EXPECT_CLEAN_FAILURE(bpf_task_fd_query(1, 1, 0, buf, &blen, &pid, &type, &off, &addr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_enable_stats(BPF_STATS_RUN_TIME), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_bind_map(kFd, kFd, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_test_run_opts(kFd, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_token_create(kFd, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_stream_read(kFd, 1, buf, sizeof(buf), nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_assoc_struct_ops(kFd, kFd, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_btf_load(kInsns, sizeof(kInsns), nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_map_create(BPF_MAP_TYPE_ARRAY, "m", 4, 4, 1, nullptr), ENOTTY);
  EXPECT_CLEAN_FAILURE(bpf_prog_load(BPF_PROG_TYPE_XDP, "p", "GPL", kInsns, 2, nullptr), ENOTTY);
}

}  // namespace
// ---- attach families of bpf_link_create ------------------------------------

TEST_F(FakeKernelTest, LinkCreateUprobeMultiPassesPathFd) {
  const unsigned long offsets[] = {0x10};
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.uprobe_multi.path = "relative/bin";
  opts.uprobe_multi.offsets = offsets;
  opts.uprobe_multi.cnt = 1;
  opts.uprobe_multi.pid = 77;
  opts.uprobe_multi.path_fd = 9;
  ASSERT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_UPROBE_MULTI, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_LINK_CREATE);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.link_create.uprobe_multi.path_fd, 9u) << "expected path_fd passed to the kernel";
  EXPECT_EQ(c->attr.link_create.uprobe_multi.pid, 77u);
  EXPECT_EQ(c->attr.link_create.uprobe_multi.cnt, 1u);
}

TEST_F(FakeKernelTest, LinkCreateTracingMultiAndSessionCookies) {
  const __u32 ids[] = {11, 12};
  const __u64 cookies[] = {1, 2};
  LIBBPF_OPTS(bpf_link_create_opts, multi);
  multi.tracing_multi.ids = ids;
  multi.tracing_multi.cookies = cookies;
  multi.tracing_multi.cnt = 2;
  ASSERT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_FENTRY_MULTI, &multi), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_LINK_CREATE);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.link_create.tracing_multi.cnt, 2u);
  EXPECT_EQ(c->attr.link_create.tracing_multi.ids, u64p(ids));
  EXPECT_EQ(c->attr.link_create.tracing_multi.cookies, u64p(cookies));

  LIBBPF_OPTS(bpf_link_create_opts, session);
  session.tracing.cookie = 0xabc;
  ASSERT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_FSESSION, &session), kFd);
  EXPECT_EQ(fake_.last(BPF_LINK_CREATE)->attr.link_create.tracing.cookie, 0xabcu);

  // Settings for another attach family are a mistake, reported without a call.
  size_t before = fake_.calls.size();
  EXPECT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_FENTRY, &multi), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(fake_.calls.size(), before) << "expected no syscall for mismatched opts";
}

TEST_F(FakeKernelTest, LinkCreateFallsBackToRawTracepointOnOldKernels) {
  fake_.results[BPF_LINK_CREATE] = -EINVAL;
  fake_.results[BPF_RAW_TRACEPOINT_OPEN] = kFd;
  ASSERT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_RAW_TP, nullptr), kFd) << "expected the raw_tp fallback";
  const FakeKernel::Call* c = fake_.last(BPF_RAW_TRACEPOINT_OPEN);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.raw_tracepoint.prog_fd, static_cast<__u32>(kFd));
  EXPECT_EQ(c->attr.raw_tracepoint.name, 0u);

  // With any option set the fallback could not honour it: the error stays.
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.tracing.cookie = 5;
  int raw_calls = fake_.count(BPF_RAW_TRACEPOINT_OPEN);
  EXPECT_EQ(bpf_link_create(kFd, 0, BPF_TRACE_FENTRY, &opts), -EINVAL);
  EXPECT_EQ(fake_.count(BPF_RAW_TRACEPOINT_OPEN), raw_calls);

  // A failing fallback reports its own error.
  fake_.results[BPF_RAW_TRACEPOINT_OPEN] = -ESRCH;
  EXPECT_EQ(bpf_link_create(kFd, 0, BPF_LSM_MAC, nullptr), -ESRCH);
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(FakeKernelTest, GetFdByIdPassesTokenOnlyForBtf) {
  LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts);
  opts.token_fd = 8;
  ASSERT_EQ(bpf_map_get_fd_by_id_opts(1, &opts), kFd);
  const FakeKernel::Call* c = fake_.last(BPF_MAP_GET_FD_BY_ID);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->size, offsetof(union bpf_attr, open_flags) + sizeof(__u32)) << "expected no token field for maps";
  ASSERT_EQ(bpf_btf_get_fd_by_id_opts(2, &opts), kFd);
  c = fake_.last(BPF_BTF_GET_FD_BY_ID);
  EXPECT_EQ(c->attr.fd_by_id_token_fd, 8u);
  EXPECT_EQ(c->attr.open_flags, 0u) << "expected the caller's open_flags unchanged";
}

// A kernel that knows shorter func_info records answers E2BIG and its size;
// the load is repeated with the records' unknown tails zeroed.
TEST_F(FakeKernelTest, ProgLoadZeroesRecordTailsTheKernelDoesNotKnow) {
  struct Rec {
    __u32 insn_off, type_id, extra;
  };
  const Rec recs[2] = {{0, 3, 0xdead}, {1, 4, 0xbeef}};
  std::vector<Rec> seen;
  fake_.on_bpf = [&](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd != BPF_PROG_LOAD) return FakeKernel::kDefer;
    const Rec* r = reinterpret_cast<const Rec*>(static_cast<uintptr_t>(attr->func_info));
    if (r[0].extra != 0 || r[1].extra != 0) {
      attr->func_info_rec_size = 8;  // what this "kernel" knows
      return -E2BIG;
    }
    seen.assign(r, r + attr->func_info_cnt);
    return kFd;
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.func_info = recs;
  opts.func_info_cnt = 2;
  opts.func_info_rec_size = sizeof(Rec);
  opts.prog_btf_fd = 3;
  ASSERT_EQ(bpf_prog_load(BPF_PROG_TYPE_XDP, "p", "GPL", kInsns, 2, &opts), kFd);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].type_id, 3u);
  EXPECT_EQ(seen[1].type_id, 4u);
  EXPECT_EQ(seen[1].extra, 0u);
  EXPECT_EQ(recs[1].extra, 0xbeefu) << "expected the caller's records untouched";
  EXPECT_EQ(fake_.last(BPF_PROG_LOAD)->attr.func_info_rec_size, sizeof(Rec));
}

TEST(CapiErrors, StrerrorOfUnknownErrnoAndEncodedPointers) {
  char buf[64];
  EXPECT_EQ(libbpf_strerror(3999, buf, sizeof(buf)), -EINVAL);
  EXPECT_NE(std::string(buf).find("3999"), std::string::npos) << buf;
  errno = 0;
  const void* encoded = reinterpret_cast<const void*>(static_cast<intptr_t>(-ENOENT));
  EXPECT_EQ(libbpf_get_error(encoded), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
}

}  // namespace bpfxx::test
