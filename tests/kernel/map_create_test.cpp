// bpf_map_create for every map type this kernel can create without BTF or
// other special setup; bpf_map_get_info_by_fd must report back exactly what
// was asked for.
#include "bpf_test_util.h"

#include <unistd.h>

#include <cctype>

#include <ostream>

#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

struct MapCase {
  const char* label;  // test parameter name (also the map's name)
  bpf_map_type type;
  __u32 key_size;
  __u32 value_size;
  __u32 max_entries;  // 0: number of possible CPUs
  __u32 map_flags;
  __u64 map_extra;
  bool needs_inner_map;
  __u32 kernel_adds_flags = 0;  // flags the kernel sets on its own
};

void PrintTo(const MapCase& c, std::ostream* os) { *os << c.label; }

// Sizes follow each type's rules: u32 keys and u32 values for fd-holding
// maps, power-of-two page multiples for ring buffers, prefix+address keys
// for the LPM trie, no key for queue/stack/bloom filter, pages for arena.
const MapCase kMapCases[] = {
    {"hash", BPF_MAP_TYPE_HASH, 4, 8, 16, 0, 0, false},
    {"hash_noprealloc", BPF_MAP_TYPE_HASH, 8, 16, 32, BPF_F_NO_PREALLOC, 0, false},
    {"array", BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0, 0, false},
    {"array_mmapable", BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_MMAPABLE, 0, false},
    {"prog_array", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8, 0, 0, false},
    {"perf_event_arr", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 0, 0, 0, false},
    {"percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 16, 0, 0, false},
    {"percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 12, 16, 0, 0, false},
    {"stack_trace", BPF_MAP_TYPE_STACK_TRACE, 4, 8 * 16, 64, 0, 0, false},
    {"cgroup_array", BPF_MAP_TYPE_CGROUP_ARRAY, 4, 4, 4, 0, 0, false},
    {"lru_hash", BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, 0, 0, false},
    {"lru_hash_common", BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, BPF_F_NO_COMMON_LRU, 0, false},
    {"lru_percpu_hash", BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 64, 0, 0, false},
    {"lpm_trie", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, BPF_F_NO_PREALLOC, 0, false},
    {"array_of_maps", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, 0, true},
    {"hash_of_maps", BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 4, 0, 0, true},
    // Device maps are read-only for programs: the kernel adds BPF_F_RDONLY_PROG.
    {"devmap", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0, 0, false, BPF_F_RDONLY_PROG},
    {"devmap_val8", BPF_MAP_TYPE_DEVMAP, 4, 8, 4, 0, 0, false, BPF_F_RDONLY_PROG},
    {"sockmap", BPF_MAP_TYPE_SOCKMAP, 4, 4, 4, 0, 0, false},
    {"cpumap", BPF_MAP_TYPE_CPUMAP, 4, 4, 0, 0, 0, false},
    {"xskmap", BPF_MAP_TYPE_XSKMAP, 4, 4, 4, 0, 0, false},
    {"sockhash", BPF_MAP_TYPE_SOCKHASH, 4, 4, 4, 0, 0, false},
    {"cgroup_storage", BPF_MAP_TYPE_CGROUP_STORAGE, sizeof(bpf_cgroup_storage_key), 8, 0, 0, 0, false},
    {"reuseport_array", BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 4, 8, 4, 0, 0, false},
    {"pcpu_cg_storage", BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, 8, 8, 0, 0, 0, false},
    {"queue", BPF_MAP_TYPE_QUEUE, 0, 4, 8, 0, 0, false},
    {"stack", BPF_MAP_TYPE_STACK, 0, 4, 8, 0, 0, false},
    {"devmap_hash", BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 4, 0, 0, false, BPF_F_RDONLY_PROG},
    {"ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096 * 4, 0, 0, false},
    {"bloom_filter", BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 64, 0, 3, false},
    {"user_ringbuf", BPF_MAP_TYPE_USER_RINGBUF, 0, 0, 4096 * 4, 0, 0, false},
    {"arena", BPF_MAP_TYPE_ARENA, 0, 0, 4, BPF_F_MMAPABLE, 0, false},
};

class MapCreateTest : public testing::TestWithParam<MapCase> {};

TEST_P(MapCreateTest, CreatesAndReportsAttributes) {
  BPFXX_REQUIRE_ROOT();
  const MapCase& c = GetParam();
  int ncpus = libbpf_num_possible_cpus();
  ASSERT_GT(ncpus, 0) << "expected libbpf_num_possible_cpus() > 0";
  __u32 max_entries = c.max_entries != 0 ? c.max_entries : static_cast<__u32>(ncpus);
  // cgroup storage maps take max_entries 0 (one element per attachment).
  if (c.type == BPF_MAP_TYPE_CGROUP_STORAGE || c.type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE)
    max_entries = 0;

  UniqueFd inner;
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.map_flags = c.map_flags;
  opts.map_extra = c.map_extra;
  if (c.needs_inner_map) {
    inner = create_map(BPF_MAP_TYPE_ARRAY, "inner", 4, 4, 1);
    BPFXX_ASSERT_FD(inner, "creating the inner map template");
    opts.inner_map_fd = static_cast<__u32>(inner.get());
  }

  errno = 0;
  UniqueFd fd = create_map(c.type, c.label, c.key_size, c.value_size, max_entries, &opts);
  if (libbpf_probe_bpf_map_type(c.type, nullptr) == 0) {
    std::string upper = "BPF_MAP_TYPE_";
    for (const char* p = libbpf_bpf_map_type_str(c.type); *p != '\0'; p++) upper += static_cast<char>(std::toupper(*p));
    if (kernel_has_enumerator("bpf_map_type", upper.c_str())) {
      // The kernel has the type but refuses it to this process (seen: arena
      // maps EPERM in a restricted container); nothing to check here.
      GTEST_SKIP() << "the kernel has " << upper << " but refuses to create one here: " << errno_str(-fd.get());
    }
    // A map type newer than the kernel: refused with EINVAL, as libbpf sees.
    EXPECT_EQ(fd.get(), -EINVAL) << "expected bpf_map_create(" << c.label << ") to be refused on this kernel";
    return;
  }
  BPFXX_ASSERT_FD(fd, std::string("bpf_map_create(") + c.label + ")");
  EXPECT_GT(fd.get(), 2) << "expected a map fd outside the standard streams";

  int rc = -1;
  bpf_map_info info = map_info(fd.get(), &rc);
  ASSERT_EQ(rc, 0) << "expected bpf_map_get_info_by_fd to succeed: " << errno_str(errno);
  EXPECT_EQ(info.type, static_cast<__u32>(c.type)) << "expected the map type we created";
  EXPECT_EQ(info.key_size, c.key_size) << "expected key_size " << c.key_size;
  EXPECT_EQ(info.value_size, c.value_size) << "expected value_size " << c.value_size;
  EXPECT_EQ(info.max_entries, max_entries) << "expected max_entries " << max_entries;
  EXPECT_EQ(info.map_flags, c.map_flags | c.kernel_adds_flags)
      << "expected map_flags 0x" << std::hex << (c.map_flags | c.kernel_adds_flags);
  EXPECT_EQ(info.map_extra, c.map_extra) << "expected map_extra " << c.map_extra;
  EXPECT_STREQ(info.name, c.label) << "expected the name we gave the map";
  EXPECT_NE(info.id, 0u) << "expected the kernel to assign a map id";
}

INSTANTIATE_TEST_SUITE_P(AllTypes, MapCreateTest, testing::ValuesIn(kMapCases),
                         [](const testing::TestParamInfo<MapCase>& i) {
                           return std::string(i.param.label);
                         });

TEST(MapCreate, LongNameIsTruncatedToFifteenCharacters) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, "a_name_longer_than_fifteen", 4, 4, 1);
  BPFXX_ASSERT_FD(fd, "bpf_map_create with a long name");
  EXPECT_STREQ(map_info(fd.get()).name, "a_name_longer_t")
      << "expected the name cut to BPF_OBJ_NAME_LEN - 1 characters";
}

TEST(MapCreate, NullNameGivesAnUnnamedMap) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, nullptr, 4, 4, 1);
  BPFXX_ASSERT_FD(fd, "bpf_map_create with a NULL name");
  EXPECT_STREQ(map_info(fd.get()).name, "") << "expected an empty map name";
}

TEST(MapCreate, KernelRejectionIsReportedThroughErrno) {
  BPFXX_REQUIRE_ROOT();
  // An array needs a key of exactly 4 bytes.
  errno = 0;
  int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bad", 8, 4, 1, nullptr);
  EXPECT_EQ(fd, -EINVAL) << "expected -EINVAL for an array with an 8-byte key";
  EXPECT_EQ(errno, EINVAL) << "expected errno EINVAL";
  if (fd >= 0) close(fd);

  // Unknown map flag bits.
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = 1u << 31);
  errno = 0;
  fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bad", 4, 4, 1, &opts);
  EXPECT_EQ(fd, -EINVAL) << "expected -EINVAL for an unknown map flag";
  EXPECT_EQ(errno, EINVAL) << "expected errno EINVAL";
  if (fd >= 0) close(fd);
}

TEST(MapCreate, ReadOnlyFlagsReachTheKernel) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_RDONLY);
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, "rdonly", 4, 4, 1, &opts);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(BPF_F_RDONLY)");
  // BPF_F_RDONLY governs fds, not the map: the kernel does not keep it
  // among the map's flags.
  EXPECT_EQ(map_info(fd.get()).map_flags, 0u) << "expected BPF_F_RDONLY not to be a permanent map flag";
  __u32 key = 0, value = 1;
  // A map created read-only for user space refuses writes from it.
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &key, &value, BPF_ANY), EPERM);
}

TEST(MapCreate, InnerMapFdIsUsedAsTheTemplate) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd inner = create_map(BPF_MAP_TYPE_HASH, "inner", 4, 8, 4);
  BPFXX_ASSERT_FD(inner, "creating the inner map");
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.inner_map_fd = static_cast<__u32>(inner.get());
  UniqueFd outer = create_map(BPF_MAP_TYPE_ARRAY_OF_MAPS, "outer", 4, 4, 2, &opts);
  BPFXX_ASSERT_FD(outer, "creating the outer map");

  // A compatible map can be stored; an incompatible one (other value size) cannot.
  UniqueFd same = create_map(BPF_MAP_TYPE_HASH, "same", 4, 8, 4);
  UniqueFd other = create_map(BPF_MAP_TYPE_HASH, "other", 4, 16, 4);
  BPFXX_ASSERT_FD(same, "creating a matching map");
  BPFXX_ASSERT_FD(other, "creating a non-matching map");
  __u32 key = 0;
  __u32 v = static_cast<__u32>(same.get());
  BPFXX_EXPECT_OK(bpf_map_update_elem(outer.get(), &key, &v, BPF_ANY));
  // Reading the slot gives the inner map's id.
  __u32 id = 0;
  BPFXX_EXPECT_OK(bpf_map_lookup_elem(outer.get(), &key, &id));
  EXPECT_EQ(id, map_id(same.get())) << "expected the outer map to hold the inner map's id";
  key = 1;
  v = static_cast<__u32>(other.get());
  BPFXX_EXPECT_ERR(bpf_map_update_elem(outer.get(), &key, &v, BPF_ANY), EINVAL);
}

TEST(MapCreate, LpmTrieRequiresNoPrealloc) {
  BPFXX_REQUIRE_ROOT();
  errno = 0;
  int fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "lpm", 8, 8, 16, nullptr);
  EXPECT_EQ(fd, -EINVAL) << "expected an LPM trie without BPF_F_NO_PREALLOC to be refused";
  EXPECT_EQ(errno, EINVAL);
  if (fd >= 0) close(fd);
}

}  // namespace
}  // namespace bpfxx::test
