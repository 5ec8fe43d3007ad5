// bpf_obj_pin / bpf_obj_get (and their _opts forms) in a bpffs the test
// mounts in a fresh temporary directory.
#include "bpf_test_util.h"
#include "bpffs.h"
#include "sys/features.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bpfxx::test {
namespace {

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

TEST(ObjPin, PinnedMapIsTheSameMap) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_BPFFS(fs);
  ASSERT_TRUE(is_bpffs(fs.dir())) << "expected " << fs.dir() << " to be a bpffs";
  UniqueFd map = create_map(BPF_MAP_TYPE_HASH, "pinned", 4, 8, 4);
  BPFXX_ASSERT_FD(map, "creating the map");
  const std::string path = fs.path("map");
  BPFXX_ASSERT_OK(bpf_obj_pin(map.get(), path.c_str()));
  EXPECT_TRUE(exists(path)) << "expected the pin to appear as " << path;

  UniqueFd again(bpf_obj_get(path.c_str()));
  BPFXX_ASSERT_FD(again, "bpf_obj_get of the pin");
  EXPECT_NE(again.get(), map.get()) << "expected a new fd";
  EXPECT_EQ(map_id(again.get()), map_id(map.get())) << "expected the same map id through the pin";

  // A value written through one fd is read through the other.
  __u32 k = 9;
  __u64 v = 0xfeedULL, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(map.get(), &k, &v, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(again.get(), &k, &got));
  EXPECT_EQ(got, v) << "expected the value written through the original fd";
  v = 0xbeefULL;
  BPFXX_ASSERT_OK(bpf_map_update_elem(again.get(), &k, &v, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(map.get(), &k, &got));
  EXPECT_EQ(got, v) << "expected the value written through the pinned fd";

  // The pin keeps the map alive after every fd is closed.
  __u32 id = map_id(map.get());
  map.reset();
  again.reset();
  UniqueFd third(bpf_obj_get(path.c_str()));
  BPFXX_ASSERT_FD(third, "bpf_obj_get after closing all fds");
  EXPECT_EQ(map_id(third.get()), id) << "expected the pin to keep the same map alive";
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(third.get(), &k, &got));
  EXPECT_EQ(got, 0xbeefULL) << "expected the map's contents to survive";

  // Pinning over an existing name fails.
  BPFXX_EXPECT_ERR(bpf_obj_pin(third.get(), path.c_str()), EEXIST);
  ASSERT_EQ(::unlink(path.c_str()), 0) << "expected to unlink the pin";
  BPFXX_EXPECT_ERR(bpf_obj_get(path.c_str()), ENOENT);
}

TEST(ObjPin, PinnedProgramRuns) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_BPFFS(fs);
  UniqueFd map = create_counter_map("pin_cnt");
  BPFXX_ASSERT_FD(map, "creating the counter map");
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_SOCKET_FILTER, "pin_prog",
                                   insn::count_into_array(map.get(), 0), nullptr, &log);
  BPFXX_ASSERT_FD(prog, "loading the program") << " log: " << log;
  const std::string path = fs.path("prog");
  BPFXX_ASSERT_OK(bpf_obj_pin(prog.get(), path.c_str()));
  UniqueFd again(bpf_obj_get(path.c_str()));
  BPFXX_ASSERT_FD(again, "bpf_obj_get of the pinned program");
  EXPECT_EQ(prog_id(again.get()), prog_id(prog.get())) << "expected the same program id";
  // Running the program through the pinned fd bumps the counter.
  __u8 pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = pkt;
  opts.data_size_in = sizeof(pkt);
  opts.repeat = 5;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(again.get(), &opts));
  EXPECT_EQ(read_counter(map.get()), 5u) << "expected the pinned program to be the one that counts";
}

TEST(ObjPin, OptsWithPathFdAreRelativeToTheDirectory) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_BPFFS(fs);
  ASSERT_EQ(::mkdir(fs.path("sub").c_str(), 0700), 0) << "expected mkdir inside the bpffs";
  UniqueFd dir(::open(fs.path("sub").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir.valid()) << "expected to open the bpffs subdirectory";
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "rel", 4, 4, 1);
  BPFXX_ASSERT_FD(map, "creating the map");

  LIBBPF_OPTS(bpf_obj_pin_opts, pin_opts);
  pin_opts.file_flags = BPF_F_PATH_FD;
  pin_opts.path_fd = dir.get();
  LIBBPF_OPTS(bpf_obj_get_opts, get_opts);
  get_opts.file_flags = BPF_F_PATH_FD;
  get_opts.path_fd = dir.get();
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::ObjPathFd)) {
    // Like libbpf, the flag is passed on; a kernel without it refuses both
    // commands with EINVAL and creates nothing.
    BPFXX_EXPECT_ERR(bpf_obj_pin_opts(map.get(), "relmap", &pin_opts), EINVAL);
    EXPECT_FALSE(exists(fs.path("sub/relmap")));
    BPFXX_ASSERT_OK(bpf_obj_pin_opts(map.get(), fs.path("sub/relmap").c_str(), nullptr));
    errno = 0;
    int fd = bpf_obj_get_opts("relmap", &get_opts);
    EXPECT_EQ(fd, -EINVAL) << "expected -EINVAL for BPF_F_PATH_FD on this kernel";
    EXPECT_EQ(errno, EINVAL);
    if (fd >= 0) ::close(fd);
    ASSERT_EQ(::unlink(fs.path("sub/relmap").c_str()), 0);
    dir.reset();
    ASSERT_EQ(::rmdir(fs.path("sub").c_str()), 0);
    return;
  }
  BPFXX_ASSERT_OK(bpf_obj_pin_opts(map.get(), "relmap", &pin_opts));
  EXPECT_TRUE(exists(fs.path("sub/relmap"))) << "expected the pin relative to path_fd";

  UniqueFd again(bpf_obj_get_opts("relmap", &get_opts));
  BPFXX_ASSERT_FD(again, "bpf_obj_get_opts relative to path_fd");
  EXPECT_EQ(map_id(again.get()), map_id(map.get())) << "expected the same map";

  // Without BPF_F_PATH_FD the relative name is resolved against the cwd,
  // where it does not exist.
  LIBBPF_OPTS(bpf_obj_get_opts, plain);
  errno = 0;
  int fd = bpf_obj_get_opts("relmap", &plain);
  EXPECT_LT(fd, 0) << "expected 'relmap' not to resolve against the working directory";
  if (fd >= 0) ::close(fd);

  ASSERT_EQ(::unlink(fs.path("sub/relmap").c_str()), 0);
  dir.reset();
  ASSERT_EQ(::rmdir(fs.path("sub").c_str()), 0);
}

TEST(ObjPin, ReadOnlyGetRefusesWrites) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_BPFFS(fs);
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "ro", 4, 8, 1);
  BPFXX_ASSERT_FD(map, "creating the map");
  __u32 k = 0;
  __u64 v = 77, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(map.get(), &k, &v, BPF_ANY));
  const std::string path = fs.path("ro");
  BPFXX_ASSERT_OK(bpf_obj_pin_opts(map.get(), path.c_str(), nullptr));

  LIBBPF_OPTS(bpf_obj_get_opts, opts);
  opts.file_flags = BPF_F_RDONLY;
  UniqueFd ro(bpf_obj_get_opts(path.c_str(), &opts));
  BPFXX_ASSERT_FD(ro, "bpf_obj_get_opts(BPF_F_RDONLY)");
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(ro.get(), &k, &got));
  EXPECT_EQ(got, 77u) << "expected reads through the read-only fd";
  BPFXX_EXPECT_ERR(bpf_map_update_elem(ro.get(), &k, &v, BPF_ANY), EPERM);

  opts.file_flags = BPF_F_WRONLY;
  UniqueFd wo(bpf_obj_get_opts(path.c_str(), &opts));
  BPFXX_ASSERT_FD(wo, "bpf_obj_get_opts(BPF_F_WRONLY)");
  BPFXX_EXPECT_OK(bpf_map_update_elem(wo.get(), &k, &v, BPF_ANY));
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(wo.get(), &k, &got), EPERM);

  // Both at once is not a valid request.
  opts.file_flags = BPF_F_RDONLY | BPF_F_WRONLY;
  errno = 0;
  int fd = bpf_obj_get_opts(path.c_str(), &opts);
  EXPECT_EQ(fd, -EINVAL) << "expected BPF_F_RDONLY|BPF_F_WRONLY to be refused";
  EXPECT_EQ(errno, EINVAL);
  if (fd >= 0) ::close(fd);
}

TEST(ObjPin, PinOutsideBpffsFails) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "nofs", 4, 4, 1);
  BPFXX_ASSERT_FD(map, "creating the map");
  char tmpl[] = "/tmp/bpfxx-notbpffs-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/map";
  errno = 0;
  int rc = bpf_obj_pin(map.get(), path.c_str());
  EXPECT_EQ(rc, -EPERM) << "expected pinning on a non-bpffs to fail with -EPERM";
  EXPECT_EQ(errno, EPERM);
  EXPECT_FALSE(exists(path)) << "expected no file created on failure";
  ::unlink(path.c_str());
  ::rmdir(tmpl);
  // A missing directory.
  BPFXX_EXPECT_ERR(bpf_obj_pin(map.get(), "/sys/fs/bpf/does/not/exist/x"), ENOENT);
  // Not a map, program, link or BTF fd: the kernel says EINVAL.
  BPFXX_EXPECT_ERR(bpf_obj_pin(-1, "/tmp/x"), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
