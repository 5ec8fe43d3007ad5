// Object ids: bpf_{prog,map,btf,link}_get_next_id walks find our objects,
// and *_get_fd_by_id(_opts) open the object with that id.
#include "bpf_test_util.h"
#include "btf_blob.h"

#include <functional>

namespace bpfxx::test {
namespace {

// Walks ids with `next` from 0; returns whether `wanted` was among them and
// checks the walk is strictly increasing and ends with -ENOENT.
bool walk_finds(const std::function<int(__u32, __u32*)>& next, __u32 wanted, const char* what) {
  __u32 id = 0, prev = 0;
  bool found = false;
  int rc;
  int steps = 0;
  while ((rc = next(id, &id)) == 0) {
    EXPECT_GT(id, prev) << what << ": expected ids to increase";
    prev = id;
    if (id == wanted) found = true;
    if (++steps > 1000000) break;
  }
  EXPECT_EQ(rc, -ENOENT) << what << ": expected the walk to end with -ENOENT";
  EXPECT_EQ(errno, ENOENT) << what << ": expected errno ENOENT at the end";
  return found;
}

TEST(ObjId, MapIdWalkAndFdById) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "by_id", 4, 8, 1);
  BPFXX_ASSERT_FD(map, "creating the map");
  __u32 id = map_id(map.get());
  ASSERT_NE(id, 0u) << "expected a map id";
  EXPECT_TRUE(walk_finds(bpf_map_get_next_id, id, "map ids")) << "expected the walk to find map id " << id;

  UniqueFd by_id(bpf_map_get_fd_by_id(id));
  BPFXX_ASSERT_FD(by_id, "bpf_map_get_fd_by_id");
  EXPECT_EQ(map_id(by_id.get()), id) << "expected the fd to refer to the same map";
  __u32 k = 0;
  __u64 v = 1234, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(by_id.get(), &k, &v, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(map.get(), &k, &got));
  EXPECT_EQ(got, 1234u) << "expected a write through the by-id fd to show through the original";

  // Read-only through the opts form.
  LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts);
  opts.open_flags = BPF_F_RDONLY;
  UniqueFd ro(bpf_map_get_fd_by_id_opts(id, &opts));
  BPFXX_ASSERT_FD(ro, "bpf_map_get_fd_by_id_opts(BPF_F_RDONLY)");
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(ro.get(), &k, &got));
  BPFXX_EXPECT_ERR(bpf_map_update_elem(ro.get(), &k, &v, BPF_ANY), EPERM);
  // NULL opts is the plain form.
  UniqueFd plain(bpf_map_get_fd_by_id_opts(id, nullptr));
  BPFXX_ASSERT_FD(plain, "bpf_map_get_fd_by_id_opts(NULL)");
  BPFXX_EXPECT_OK(bpf_map_update_elem(plain.get(), &k, &v, BPF_ANY));

  // Once the map is gone its id no longer opens.
  by_id.reset();
  ro.reset();
  plain.reset();
  map.reset();
  // Map teardown is deferred; the id disappears when the last ref drops,
  // which for a plain array is synchronous with the last close.
  errno = 0;
  int fd = bpf_map_get_fd_by_id(id);
  EXPECT_EQ(fd, -ENOENT) << "expected a freed map's id not to open";
  EXPECT_EQ(errno, ENOENT);
  if (fd >= 0) close(fd);
}

TEST(ObjId, ProgIdWalkAndFdById) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "by_id", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading the program");
  __u32 id = prog_id(prog.get());
  ASSERT_NE(id, 0u);
  EXPECT_TRUE(walk_finds(bpf_prog_get_next_id, id, "prog ids")) << "expected the walk to find prog id " << id;
  UniqueFd by_id(bpf_prog_get_fd_by_id(id));
  BPFXX_ASSERT_FD(by_id, "bpf_prog_get_fd_by_id");
  EXPECT_EQ(prog_id(by_id.get()), id) << "expected the same program";
  UniqueFd by_id2(bpf_prog_get_fd_by_id_opts(id, nullptr));
  BPFXX_ASSERT_FD(by_id2, "bpf_prog_get_fd_by_id_opts(NULL)");
  EXPECT_EQ(prog_id(by_id2.get()), id) << "expected the same program";
  LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts);
  UniqueFd by_id3(bpf_prog_get_fd_by_id_opts(id, &opts));
  BPFXX_ASSERT_FD(by_id3, "bpf_prog_get_fd_by_id_opts(empty opts)");
  EXPECT_EQ(prog_id(by_id3.get()), id) << "expected the same program";
  BPFXX_EXPECT_ERR(bpf_prog_get_fd_by_id(0xfffffff0u), ENOENT);
}

TEST(ObjId, BtfIdWalkFdByIdAndInfo) {
  BPFXX_REQUIRE_ROOT();
  std::vector<unsigned char> blob = tiny_btf();
  UniqueFd btf(bpf_btf_load(blob.data(), blob.size(), nullptr));
  BPFXX_ASSERT_FD(btf, "bpf_btf_load of a one-type blob");

  bpf_btf_info info;
  std::memset(&info, 0, sizeof(info));
  __u32 len = sizeof(info);
  BPFXX_ASSERT_OK(bpf_btf_get_info_by_fd(btf.get(), &info, &len));
  EXPECT_NE(info.id, 0u) << "expected a BTF id";
  EXPECT_EQ(info.btf_size, blob.size()) << "expected the kernel to keep the blob's size";
  EXPECT_EQ(info.kernel_btf, 0u) << "expected user BTF, not kernel BTF";

  EXPECT_TRUE(walk_finds(bpf_btf_get_next_id, info.id, "btf ids"))
      << "expected the walk to find BTF id " << info.id;
  UniqueFd by_id(bpf_btf_get_fd_by_id(info.id));
  BPFXX_ASSERT_FD(by_id, "bpf_btf_get_fd_by_id");
  UniqueFd by_id2(bpf_btf_get_fd_by_id_opts(info.id, nullptr));
  BPFXX_ASSERT_FD(by_id2, "bpf_btf_get_fd_by_id_opts");

  // The bytes come back unchanged through the generic info call.
  std::vector<unsigned char> back(blob.size() + 16, 0);
  bpf_btf_info info2;
  std::memset(&info2, 0, sizeof(info2));
  info2.btf = reinterpret_cast<__u64>(back.data());
  info2.btf_size = static_cast<__u32>(back.size());
  len = sizeof(info2);
  BPFXX_ASSERT_OK(bpf_obj_get_info_by_fd(by_id.get(), &info2, &len));
  EXPECT_EQ(info2.id, info.id) << "expected the by-id fd to be the same BTF object";
  ASSERT_EQ(info2.btf_size, blob.size());
  EXPECT_EQ(std::vector<unsigned char>(back.begin(), back.begin() + static_cast<long>(blob.size())), blob)
      << "expected the kernel to return the exact BTF bytes we loaded";
}

TEST(ObjId, LinkIdWalkAndFdById) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd prog = load_prog(BPF_PROG_TYPE_RAW_TRACEPOINT, "rtp_id", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading a raw tracepoint program");
  UniqueFd link(bpf_raw_tracepoint_open("sys_enter", prog.get()));
  BPFXX_ASSERT_FD(link, "bpf_raw_tracepoint_open(sys_enter)");
  int rc = -1;
  bpf_link_info info = link_info(link.get(), &rc);
  ASSERT_EQ(rc, 0) << "expected bpf_link_get_info_by_fd to succeed";
  ASSERT_NE(info.id, 0u) << "expected a link id";
  EXPECT_EQ(info.prog_id, prog_id(prog.get())) << "expected the link to hold our program";
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_LINK_TYPE_RAW_TRACEPOINT));
  EXPECT_TRUE(walk_finds(bpf_link_get_next_id, info.id, "link ids"))
      << "expected the walk to find link id " << info.id;
  UniqueFd by_id(bpf_link_get_fd_by_id(info.id));
  BPFXX_ASSERT_FD(by_id, "bpf_link_get_fd_by_id");
  EXPECT_EQ(link_info(by_id.get()).id, info.id) << "expected the same link";
  UniqueFd by_id2(bpf_link_get_fd_by_id_opts(info.id, nullptr));
  BPFXX_ASSERT_FD(by_id2, "bpf_link_get_fd_by_id_opts");
  EXPECT_EQ(link_info(by_id2.get()).id, info.id) << "expected the same link";
}

TEST(ObjId, NextIdPastTheEndIsEnoent) {
  BPFXX_REQUIRE_ROOT();
  __u32 next = 0;
  // Ids are below INT_MAX: the last possible start finds nothing...
  BPFXX_EXPECT_ERR(bpf_map_get_next_id(0x7ffffffeu, &next), ENOENT);
  BPFXX_EXPECT_ERR(bpf_prog_get_next_id(0x7ffffffeu, &next), ENOENT);
  BPFXX_EXPECT_ERR(bpf_btf_get_next_id(0x7ffffffeu, &next), ENOENT);
  BPFXX_EXPECT_ERR(bpf_link_get_next_id(0x7ffffffeu, &next), ENOENT);
  // ...and a start at or beyond INT_MAX is refused.
  BPFXX_EXPECT_ERR(bpf_map_get_next_id(0xffffffffu, &next), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
