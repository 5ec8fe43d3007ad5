// bpf_token_create: from a bpffs mounted without delegation options (and in
// the initial user namespace) the kernel refuses to create a token; the
// call must fail cleanly with one of the documented errors.
#include "bpf_test_util.h"
#include "bpffs.h"

#include "sys/features.h"

#include <fcntl.h>

namespace bpfxx::test {
namespace {

bool documented_token_error(int e) {
  // EOPNOTSUPP: tokens are not created in the initial user namespace;
  // ENOENT: the bpffs delegates nothing; EPERM: wrong user namespace or no
  // capability; EINVAL: not a bpffs root / bad flags; ENOTDIR/EBADF: bad fd.
  return e == EOPNOTSUPP || e == ENOENT || e == EPERM || e == EINVAL;
}

TEST(ObjToken, NoDelegationMountRefusesCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::Token)) GTEST_SKIP() << "kernel lacks BPF_TOKEN_CREATE";
  BPFXX_TEMP_BPFFS(fs);
  UniqueFd root(::open(fs.dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(root.valid()) << "expected to open the bpffs root";
  errno = 0;
  int rc = bpf_token_create(root.get(), nullptr);
  int e = errno;
  EXPECT_LT(rc, 0) << "expected no token from a bpffs without delegation";
  EXPECT_EQ(e, -rc) << "expected errno == -ret";
  EXPECT_TRUE(documented_token_error(e)) << "expected EOPNOTSUPP, ENOENT, EPERM or EINVAL, got " << errno_str(e);
  if (rc >= 0) close(rc);

  LIBBPF_OPTS(bpf_token_create_opts, opts);
  errno = 0;
  rc = bpf_token_create(root.get(), &opts);
  e = errno;
  EXPECT_LT(rc, 0) << "expected no token with empty opts either";
  EXPECT_EQ(e, -rc) << "expected errno == -ret";
  EXPECT_TRUE(documented_token_error(e)) << "got " << errno_str(e);
  if (rc >= 0) close(rc);
}

TEST(ObjToken, DelegatingMountInInitNamespaceIsStillRefused) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::Token)) GTEST_SKIP() << "kernel lacks BPF_TOKEN_CREATE";
  // Delegation options are accepted by the mount, but a token is never
  // created in the initial user namespace.
  ::bpfxx::test::TempBpffs fs("delegate_cmds=any,delegate_maps=any");
  if (!fs.ok()) GTEST_SKIP() << "bpffs refused delegation options: " << fs.error();
  UniqueFd root(::open(fs.dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(root.valid());
  BPFXX_EXPECT_ERR(bpf_token_create(root.get(), nullptr), EOPNOTSUPP);
}

TEST(ObjToken, BadFdsFailCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::Token)) GTEST_SKIP() << "kernel lacks BPF_TOKEN_CREATE";
  BPFXX_EXPECT_ERR(bpf_token_create(-1, nullptr), EBADF);
  // A directory that is not a bpffs root.
  UniqueFd tmp(::open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(tmp.valid());
  BPFXX_EXPECT_ERR(bpf_token_create(tmp.get(), nullptr), EINVAL);
  // Unknown flags.
  BPFXX_TEMP_BPFFS(fs);
  UniqueFd root(::open(fs.dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  LIBBPF_OPTS(bpf_token_create_opts, opts);
  opts.flags = 0x80;
  BPFXX_EXPECT_ERR(bpf_token_create(root.get(), &opts), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
