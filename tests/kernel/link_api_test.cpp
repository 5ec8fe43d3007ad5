// The bpf_link API on struct_ops links: fds, pinning and reopening a
// pinned link, destroy and disconnect, bpf_link__update_map() moving a
// link between two maps (proven by which map's programs run), and the
// errors of bad arguments. On a kernel without struct_ops BPF links, the
// tests that need a BPF link check the load error and skip; the others use
// the plain map's link (the map update) with the link map left out.
#include "bpffs.h"
#include "link_support.h"
#include "struct_ops_support.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <vector>

namespace bpfxx::test {
namespace {

__u64 global(bpf_object* obj, const char* file, const char* name) {
  return read_from_map<__u64>(obj, find_global(prog_bytes(file), name));
}

// Without struct_ops links, the link map 'cc_link' cannot be created:
// leave it out of the load.
void drop_link_map_if_unsupported(bpf_object* obj) {
  if (kernel_has_struct_ops_links()) return;
  EXPECT_EQ(bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "cc_link"), false), 0);
}

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Where the kernel has no struct_ops links: checks that the object's link
// map is refused, and skips.
#define SKIP_WITHOUT_STRUCT_OPS_LINKS(file, link_map)   \
  do {                                                  \
    if (!kernel_has_struct_ops_links()) {               \
      expect_link_map_refused((file), (link_map));      \
      GTEST_SKIP() << kNoStructOpsLinks;                \
    }                                                   \
  } while (0)

TEST(LinkApi, PinReopenAndDestroy) {
  BPFXX_REQUIRE_ROOT();
  SKIP_WITHOUT_STRUCT_OPS_LINKS("struct_ops_cc", "cc_link");
  ObjectPtr obj = load_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  bpf_map* map = bpf_object__find_map_by_name(obj.get(), "cc_link");
  ASSERT_NE(map, nullptr);
  LinkPtr link(bpf_map__attach_struct_ops(map));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_EQ(bpf_link__pin_path(link.get()), nullptr);

  TempBpffs fs;
  ASSERT_TRUE(fs.ok()) << fs.error();
  const std::string path = fs.path("cc");
  ASSERT_EQ(bpf_link__pin(link.get(), path.c_str()), 0) << std::strerror(errno);
  ASSERT_NE(bpf_link__pin_path(link.get()), nullptr);
  EXPECT_EQ(std::string(bpf_link__pin_path(link.get())), path);
  BPFXX_EXPECT_ERR(bpf_link__pin(link.get(), path.c_str()), EBUSY);

  LinkPtr reopened(bpf_link__open(path.c_str()));
  ASSERT_TRUE(reopened) << std::strerror(errno);
  EXPECT_NE(bpf_link__fd(reopened.get()), bpf_link__fd(link.get()));
  EXPECT_EQ(link_info(bpf_link__fd(reopened.get())).id, link_info(bpf_link__fd(link.get())).id);
  EXPECT_EQ(std::string(bpf_link__pin_path(reopened.get())), path);

  // The pin keeps the link alive without either fd.
  EXPECT_EQ(bpf_link__destroy(link.release()), 0);
  EXPECT_TRUE(cc_available("bpfxx_cc"));
  EXPECT_EQ(bpf_link__destroy(reopened.release()), 0);
  EXPECT_TRUE(cc_available("bpfxx_cc")) << "still pinned";

  // Reopen once more, unpin, destroy: the algorithm goes away.
  reopened.reset(bpf_link__open(path.c_str()));
  ASSERT_TRUE(reopened) << std::strerror(errno);
  EXPECT_EQ(tcp_transfer("bpfxx_cc", 1u << 20), 1l << 20) << "the pinned link still runs";
  ASSERT_EQ(bpf_link__unpin(reopened.get()), 0);
  EXPECT_FALSE(exists(path));
  EXPECT_EQ(bpf_link__pin_path(reopened.get()), nullptr);
  BPFXX_EXPECT_ERR(bpf_link__unpin(reopened.get()), EINVAL);
  EXPECT_EQ(bpf_link__destroy(reopened.release()), 0);
  EXPECT_FALSE(cc_available("bpfxx_cc"));
}

TEST(LinkApi, OpenRefusesWhatIsNotALink) {
  BPFXX_REQUIRE_ROOT();
  errno = 0;
  EXPECT_EQ(bpf_link__open("/tmp/bpfxx_no_such_pin"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  // A pinned map is no link.
  ObjectPtr obj = open_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  drop_link_map_if_unsupported(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  TempBpffs fs;
  ASSERT_TRUE(fs.ok()) << fs.error();
  const std::string path = fs.path("map");
  bpf_map* bss = data_map(obj.get(), ".bss");
  ASSERT_NE(bss, nullptr);
  ASSERT_EQ(bpf_map__pin(bss, path.c_str()), 0);
  errno = 0;
  EXPECT_EQ(bpf_link__open(path.c_str()), nullptr);
  EXPECT_NE(errno, 0);
  EXPECT_EQ(bpf_map__unpin(bss, path.c_str()), 0);
}

TEST(LinkApi, UpdateMapMovesTheLink) {
  BPFXX_REQUIRE_ROOT();
  constexpr const char* kFile = "struct_ops_update";
  SKIP_WITHOUT_STRUCT_OPS_LINKS(kFile, "ca_a");
  ObjectPtr obj = load_prog_object(kFile);
  ASSERT_TRUE(obj);
  bpf_map* a = bpf_object__find_map_by_name(obj.get(), "ca_a");
  bpf_map* b = bpf_object__find_map_by_name(obj.get(), "ca_b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  LinkPtr link(bpf_map__attach_struct_ops(a));
  ASSERT_TRUE(link) << std::strerror(errno);
  const int fd = bpf_link__fd(link.get());

  EXPECT_EQ(tcp_transfer("bpfxx_cc_up", 1u << 20), 1l << 20);
  EXPECT_EQ(global(obj.get(), kFile, "a_init_calls"), 1u);
  EXPECT_EQ(global(obj.get(), kFile, "b_init_calls"), 0u);

  ASSERT_EQ(bpf_link__update_map(link.get(), b), 0) << std::strerror(errno);
  EXPECT_EQ(bpf_link__fd(link.get()), fd) << "the same link, now on map ca_b";
  EXPECT_EQ(link_info(fd).struct_ops.map_id, map_id(bpf_map__fd(b)));
  EXPECT_EQ(tcp_transfer("bpfxx_cc_up", 1u << 20), 1l << 20);
  EXPECT_EQ(global(obj.get(), kFile, "a_init_calls"), 1u);
  EXPECT_EQ(global(obj.get(), kFile, "b_init_calls"), 1u);

  // And back.
  ASSERT_EQ(bpf_link__update_map(link.get(), a), 0) << std::strerror(errno);
  EXPECT_EQ(tcp_transfer("bpfxx_cc_up", 1u << 20), 1l << 20);
  EXPECT_EQ(global(obj.get(), kFile, "a_init_calls"), 2u);
  EXPECT_EQ(global(obj.get(), kFile, "b_init_calls"), 1u);

  EXPECT_EQ(bpf_link__destroy(link.release()), 0);
  EXPECT_FALSE(cc_available("bpfxx_cc_up"));
}

TEST(LinkApi, UpdateMapRefusesPlainLinksAndOtherMaps) {
  BPFXX_REQUIRE_ROOT();
  const bool links = kernel_has_struct_ops_links();
  ObjectPtr obj = open_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  drop_link_map_if_unsupported(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  bpf_map* link_map = bpf_object__find_map_by_name(obj.get(), "cc_link");
  bpf_map* plain_map = bpf_object__find_map_by_name(obj.get(), "cc_plain");
  LinkPtr plain(bpf_map__attach_struct_ops(plain_map));
  ASSERT_TRUE(plain) << std::strerror(errno);
  {
    // A plain link cannot be switched, not even to its own map.
    FullPrintCapture cap;
    BPFXX_EXPECT_ERR(bpf_link__update_map(plain.get(), links ? link_map : plain_map), EINVAL);
    EXPECT_NE(cap.text().find("not a BPF link"), std::string::npos) << cap.text();
  }
  EXPECT_TRUE(cc_available("bpfxx_cc_plain"));
  if (!links) {
    expect_link_map_refused("struct_ops_cc", "cc_link");
    GTEST_SKIP() << kNoStructOpsLinks << "; the refusals of a BPF link's update are not tested";
  }
  LinkPtr link(bpf_map__attach_struct_ops(link_map));
  ASSERT_TRUE(link) << std::strerror(errno);
  BPFXX_EXPECT_ERR(bpf_link__update_map(link.get(), data_map(obj.get(), ".bss")), EINVAL);
  BPFXX_EXPECT_ERR(bpf_link__update_map(link.get(), nullptr), EINVAL);
  EXPECT_TRUE(cc_available("bpfxx_cc"));
  EXPECT_TRUE(cc_available("bpfxx_cc_plain"));
}

TEST(LinkApi, DisconnectLeavesTheAttachment) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  if (!kernel_has_struct_ops_links()) {
    // The plain map's link: its attachment is the map's registration,
    // which outlives every fd until the map's element is deleted.
    drop_link_map_if_unsupported(obj.get());
    ASSERT_EQ(bpf_object__load(obj.get()), 0);
    bpf_map* map = bpf_object__find_map_by_name(obj.get(), "cc_plain");
    bpf_link* link = bpf_map__attach_struct_ops(map);
    ASSERT_NE(link, nullptr) << std::strerror(errno);
    bpf_link__disconnect(link);
    EXPECT_EQ(bpf_link__destroy(link), 0);
    EXPECT_TRUE(cc_available("bpfxx_cc_plain")) << "a disconnected link stays attached";
    const __u32 zero = 0;
    EXPECT_EQ(bpf_map_delete_elem(bpf_map__fd(map), &zero), 0) << std::strerror(errno);
    EXPECT_FALSE(cc_available("bpfxx_cc_plain"));
    return;
  }
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  bpf_link* link = bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj.get(), "cc_link"));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const int fd = bpf_link__fd(link);
  bpf_link__disconnect(link);
  EXPECT_EQ(bpf_link__destroy(link), 0);
  EXPECT_TRUE(cc_available("bpfxx_cc")) << "a disconnected link stays attached";
  // Its fd stayed open: closing it ends the BPF link.
  EXPECT_EQ(link_info(fd).type, BPF_LINK_TYPE_STRUCT_OPS);
  EXPECT_EQ(close(fd), 0);
  EXPECT_FALSE(cc_available("bpfxx_cc"));
}

TEST(LinkApi, DetachKeepsTheFd) {
  BPFXX_REQUIRE_ROOT();
  // BPF_LINK_DETACH needs a BPF link.
  SKIP_WITHOUT_STRUCT_OPS_LINKS("struct_ops_cc", "cc_link");
  ObjectPtr obj = load_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  LinkPtr link(bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj.get(), "cc_link")));
  ASSERT_TRUE(link) << std::strerror(errno);
  ASSERT_EQ(bpf_link__detach(link.get()), 0) << std::strerror(errno);
  EXPECT_FALSE(cc_available("bpfxx_cc"));
  EXPECT_GE(bpf_link__fd(link.get()), 0);
  EXPECT_EQ(bpf_link__destroy(link.release()), 0);
}

// Helper mode of the test binary for PinnedLinkOutlivesItsProcess: when
// started with kPinHelperEnv=<dir>, it loads attach_pin.bpf.o counting the
// system calls of its parent, attaches it, pins the link and the counter
// map in <dir>, and exits before main() (and so before any test) runs.
constexpr const char* kPinHelperEnv = "BPFXX_LINK_PIN_HELPER_DIR";

int pin_helper(const std::string& dir) {
  bpf_object* obj = bpf_object__open_file(prog_path("attach_pin").c_str(), nullptr);
  if (obj == nullptr) return 10;
  const std::vector<uint8_t> elf = prog_bytes("attach_pin");
  write_initial<__u32>(obj, find_global(elf, "target_pid"), static_cast<__u32>(getppid()));
  if (bpf_object__load(obj) != 0) return 11;
  bpf_link* link = bpf_program__attach(bpf_object__find_program_by_name(obj, "count_syscalls"));
  if (link == nullptr) return 12;
  if (bpf_link__pin(link, (dir + "/link").c_str()) != 0) return 13;
  if (bpf_map__pin(bpf_object__find_map_by_name(obj, "pin_hits"), (dir + "/hits").c_str()) != 0) return 14;
  // Everything this process holds goes with it; only the pins remain.
  return 0;
}

[[maybe_unused]] const bool kPinHelperRan = [] {
  const char* dir = std::getenv(kPinHelperEnv);
  if (dir != nullptr) ::_exit(pin_helper(dir));
  return false;
}();

__u64 pinned_hits(int map_fd) {
  const __u32 key = 0;
  __u64 value = 0;
  EXPECT_EQ(bpf_map_lookup_elem(map_fd, &key, &value), 0) << std::strerror(errno);
  return value;
}

TEST(LinkApi, PinnedLinkOutlivesItsProcess) {
  BPFXX_REQUIRE_ROOT();
  TempBpffs fs;
  ASSERT_TRUE(fs.ok()) << fs.error();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) {
    ::setenv(kPinHelperEnv, fs.dir().c_str(), 1);
    char* const argv[] = {const_cast<char*>("bpfxx-link-pin-helper"), nullptr};
    ::execv("/proc/self/exe", argv);
    ::_exit(127);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the pinning process failed, status " << status;

  LinkPtr link(bpf_link__open(fs.path("link").c_str()));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_EQ(link_info(bpf_link__fd(link.get())).type, BPF_LINK_TYPE_RAW_TRACEPOINT);
  const int map_fd = bpf_obj_get(fs.path("hits").c_str());
  ASSERT_GE(map_fd, 0) << std::strerror(errno);
  // The program of the exited process counts this process's system calls.
  const __u64 before = pinned_hits(map_fd);
  for (int i = 0; i < 10; i++) static_cast<void>(getppid());
  EXPECT_GE(pinned_hits(map_fd), before + 10);

  ASSERT_EQ(bpf_link__unpin(link.get()), 0) << std::strerror(errno);
  EXPECT_FALSE(exists(fs.path("link")));
  EXPECT_EQ(bpf_link__destroy(link.release()), 0);
  // The last reference is gone: the program no longer runs.
  const __u64 after = pinned_hits(map_fd);
  for (int i = 0; i < 10; i++) static_cast<void>(getppid());
  EXPECT_EQ(pinned_hits(map_fd), after + 0) << "the program still ran after its last link reference went";
  EXPECT_EQ(::unlink(fs.path("hits").c_str()), 0);
  EXPECT_EQ(::close(map_fd), 0);
}

// A struct_ops link switches maps, not programs: update_program is refused
// with EINVAL and a message pointing to bpf_link__update_map().
TEST(LinkApi, StructOpsLinkRefusesUpdateProgram) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("struct_ops_cc");
  ASSERT_TRUE(obj);
  drop_link_map_if_unsupported(obj.get());
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  LinkPtr link(bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj.get(), "cc_plain")));
  ASSERT_TRUE(link) << std::strerror(errno);
  bpf_program* prog = must_find_program(obj.get(), "bpfxx_ssthresh");
  ASSERT_NE(prog, nullptr);
  FullPrintCapture cap;
  BPFXX_EXPECT_ERR(bpf_link__update_program(link.get(), prog), EINVAL);
  EXPECT_NE(cap.text().find("switches maps (bpf_link__update_map), not programs"), std::string::npos) << cap.text();
  // A plain map has no BPF link to detach either.
  BPFXX_EXPECT_ERR(bpf_link__detach(link.get()), EINVAL);
  EXPECT_TRUE(cc_available("bpfxx_cc_plain")) << "the refused calls must leave the registration alone";
}

TEST(LinkApi, NullAndErrorPointers) {
  EXPECT_EQ(bpf_link__destroy(nullptr), 0);
  EXPECT_EQ(bpf_link__destroy(reinterpret_cast<bpf_link*>(-static_cast<intptr_t>(EINVAL))), 0);
  bpf_link__disconnect(nullptr);
  BPFXX_EXPECT_ERR(bpf_link__fd(nullptr), EINVAL);
  EXPECT_EQ(bpf_link__pin_path(nullptr), nullptr);
  BPFXX_EXPECT_ERR(bpf_link__pin(nullptr, "/sys/fs/bpf/x"), EINVAL);
  BPFXX_EXPECT_ERR(bpf_link__unpin(nullptr), EINVAL);
  BPFXX_EXPECT_ERR(bpf_link__update_program(nullptr, nullptr), EINVAL);
  BPFXX_EXPECT_ERR(bpf_link__update_map(nullptr, nullptr), EINVAL);
  BPFXX_EXPECT_ERR(bpf_link__detach(nullptr), EINVAL);
  errno = 0;
  EXPECT_EQ(bpf_link__open(nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(bpf_map__attach_struct_ops(nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
