// Element operations on real maps: update/lookup/delete with values checked,
// BPF_NOEXIST/BPF_EXIST, get_next_key iteration, lookup_and_delete, freeze,
// per-CPU values, queue/stack order, bloom filter membership, LPM lookup.
#include "bpf_test_util.h"

#include <map>
#include <set>
#include <vector>

namespace bpfxx::test {
namespace {

struct Value {
  __u64 a;
  __u64 b;
};

TEST(MapElem, HashUpdateLookupDeleteRoundTrip) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_HASH, "crud", 4, sizeof(Value), 16);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(hash)");

  for (__u32 k = 1; k <= 10; k++) {
    Value v{k * 100ULL, ~static_cast<__u64>(k)};
    BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_ANY));
  }
  for (__u32 k = 1; k <= 10; k++) {
    Value v{0, 0};
    BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &v));
    EXPECT_EQ(v.a, k * 100ULL) << "expected the first field written for key " << k;
    EXPECT_EQ(v.b, ~static_cast<__u64>(k)) << "expected the second field written for key " << k;
  }
  // Overwrite one value and read it back.
  __u32 k = 5;
  Value v{7, 8};
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_ANY));
  Value got{};
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &got));
  EXPECT_EQ(got.a, 7u) << "expected the overwritten value";
  EXPECT_EQ(got.b, 8u) << "expected the overwritten value";

  // Delete removes exactly that key.
  BPFXX_ASSERT_OK(bpf_map_delete_elem(fd.get(), &k));
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &k, &got), ENOENT);
  BPFXX_EXPECT_ERR(bpf_map_delete_elem(fd.get(), &k), ENOENT);
  __u32 k4 = 4;
  BPFXX_EXPECT_OK(bpf_map_lookup_elem(fd.get(), &k4, &got));

  // lookup_elem_flags with flags 0 behaves like lookup_elem.
  BPFXX_EXPECT_OK(bpf_map_lookup_elem_flags(fd.get(), &k4, &got, 0));
  EXPECT_EQ(got.a, 400u) << "expected key 4's value through lookup_elem_flags";
  // An unknown lookup flag is refused by the kernel.
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem_flags(fd.get(), &k4, &got, 1ULL << 40), EINVAL);
  // delete_elem_flags with flags 0 deletes.
  BPFXX_EXPECT_OK(bpf_map_delete_elem_flags(fd.get(), &k4, 0));
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &k4, &got), ENOENT);
}

TEST(MapElem, NoExistAndExistFlags) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_HASH, "flags", 4, 8, 4);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(hash)");
  __u32 k = 1;
  __u64 v = 11;
  // BPF_EXIST on a missing key: ENOENT, and nothing is created.
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &k, &v, BPF_EXIST), ENOENT);
  __u64 got = 0;
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &k, &got), ENOENT);
  // BPF_NOEXIST creates.
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_NOEXIST));
  // BPF_NOEXIST again: EEXIST, value unchanged.
  __u64 v2 = 22;
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &k, &v2, BPF_NOEXIST), EEXIST);
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &got));
  EXPECT_EQ(got, 11u) << "expected the failed BPF_NOEXIST update to leave the value alone";
  // BPF_EXIST replaces.
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v2, BPF_EXIST));
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &got));
  EXPECT_EQ(got, 22u) << "expected BPF_EXIST to replace the value";
  // Full map: a new key is refused with E2BIG.
  for (__u32 i = 2; i <= 4; i++) BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &i, &v, BPF_ANY));
  __u32 extra = 99;
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &extra, &v, BPF_ANY), E2BIG);
  // Unknown update flags.
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &k, &v, 1ULL << 40), EINVAL);
}

TEST(MapElem, ArrayKeysAlwaysExist) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, "arr", 4, 4, 4);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(array)");
  __u32 k = 2, v = 0;
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &v));
  EXPECT_EQ(v, 0u) << "expected a fresh array element to read as zero";
  __u32 w = 0xabcd;
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &k, &w, BPF_NOEXIST), EEXIST);
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &w, BPF_EXIST));
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &v));
  EXPECT_EQ(v, 0xabcdu) << "expected the written array value";
  BPFXX_EXPECT_ERR(bpf_map_delete_elem(fd.get(), &k), EINVAL);
  __u32 out_of_range = 4;
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &out_of_range, &v), ENOENT);
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &out_of_range, &w, BPF_ANY), E2BIG);
}

TEST(MapElem, GetNextKeyVisitsEveryKeyOnce) {
  BPFXX_REQUIRE_ROOT();
  constexpr __u32 kCount = 100;
  UniqueFd fd = create_map(BPF_MAP_TYPE_HASH, "iter", 4, 4, 128);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(hash)");
  std::set<__u32> expected;
  for (__u32 i = 0; i < kCount; i++) {
    __u32 k = i * 7919 + 3, v = i;
    BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_NOEXIST));
    expected.insert(k);
  }
  std::map<__u32, int> seen;
  __u32 key = 0, next = 0;
  const void* prev = nullptr;  // NULL asks for the first key
  int rc;
  while ((rc = bpf_map_get_next_key(fd.get(), prev, &next)) == 0) {
    seen[next]++;
    key = next;
    prev = &key;
    ASSERT_LE(seen.size(), kCount) << "expected iteration to end after " << kCount << " keys";
  }
  EXPECT_EQ(rc, -ENOENT) << "expected iteration to end with -ENOENT";
  EXPECT_EQ(errno, ENOENT) << "expected errno ENOENT at the end of iteration";
  EXPECT_EQ(seen.size(), expected.size()) << "expected every key to be visited";
  for (auto& [k, n] : seen) {
    EXPECT_EQ(n, 1) << "expected key " << k << " to be visited exactly once";
    EXPECT_TRUE(expected.count(k)) << "expected only inserted keys, got " << k;
  }

  // Empty map: the first call already says ENOENT.
  UniqueFd empty = create_map(BPF_MAP_TYPE_HASH, "empty", 4, 4, 4);
  BPFXX_ASSERT_FD(empty, "bpf_map_create(hash)");
  BPFXX_EXPECT_ERR(bpf_map_get_next_key(empty.get(), nullptr, &next), ENOENT);
}

TEST(MapElem, ArrayGetNextKeyCountsUp) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, "arr", 4, 4, 5);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(array)");
  std::vector<__u32> keys;
  __u32 next = 0;
  BPFXX_ASSERT_OK(bpf_map_get_next_key(fd.get(), nullptr, &next));
  keys.push_back(next);
  while (bpf_map_get_next_key(fd.get(), &keys.back(), &next) == 0) keys.push_back(next);
  EXPECT_EQ(keys, (std::vector<__u32>{0, 1, 2, 3, 4})) << "expected array keys 0..4 in order";
}

TEST(MapElem, LookupAndDeleteReturnsAndRemoves) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_HASH, "lad", 4, 8, 8);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(hash)");
  __u32 k = 3;
  __u64 v = 0x1122334455667788ULL, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_lookup_and_delete_elem(fd.get(), &k, &got));
  EXPECT_EQ(got, v) << "expected lookup_and_delete to return the stored value";
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &k, &got), ENOENT);
  BPFXX_EXPECT_ERR(bpf_map_lookup_and_delete_elem(fd.get(), &k, &got), ENOENT);

  // The _flags variant with 0 behaves the same.
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_ANY));
  got = 0;
  BPFXX_ASSERT_OK(bpf_map_lookup_and_delete_elem_flags(fd.get(), &k, &got, 0));
  EXPECT_EQ(got, v) << "expected lookup_and_delete_elem_flags to return the stored value";
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &k, &got), ENOENT);
}

TEST(MapElem, FreezeForbidsUserSpaceWrites) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_ARRAY, "frozen", 4, 8, 2);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(array)");
  __u32 k = 0;
  __u64 v = 42, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, &v, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_freeze(fd.get()));
  __u64 v2 = 43;
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), &k, &v2, BPF_ANY), EPERM);
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, &got));
  EXPECT_EQ(got, 42u) << "expected the frozen map to keep the value written before freezing";
  // Freezing twice is refused. Kernels that check the fd's write access
  // first say EPERM (a frozen map is no longer writable); older ones say
  // EBUSY ("already frozen"). The library passes either on, as libbpf does.
  errno = 0;
  const int again = bpf_map_freeze(fd.get());
  const int again_errno = errno;
  EXPECT_TRUE(again == -EPERM || again == -EBUSY) << "expected -EPERM or -EBUSY, got " << again;
  EXPECT_EQ(again_errno, -again) << "expected errno to match the return value";
  BPFXX_EXPECT_ERR(bpf_map_freeze(-1), EBADF);
}

TEST(MapElem, PerCpuValuesHaveOneSlotPerPossibleCpu) {
  BPFXX_REQUIRE_ROOT();
  int ncpus = libbpf_num_possible_cpus();
  ASSERT_GT(ncpus, 0) << "expected libbpf_num_possible_cpus() > 0";
  // value_size 4 is padded to 8 per CPU.
  constexpr __u32 kValueSize = 4, kStride = 8;
  for (bpf_map_type type : {BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_PERCPU_HASH,
                            BPF_MAP_TYPE_LRU_PERCPU_HASH}) {
    SCOPED_TRACE(libbpf_bpf_map_type_str(type));
    UniqueFd fd = create_map(type, "percpu", 4, kValueSize, 4);
    BPFXX_ASSERT_FD(fd, "bpf_map_create(per-cpu)");
    std::vector<unsigned char> buf(static_cast<size_t>(ncpus) * kStride, 0);
    for (int cpu = 0; cpu < ncpus; cpu++) {
      __u32 val = 0x1000u + static_cast<__u32>(cpu);
      std::memcpy(&buf[static_cast<size_t>(cpu) * kStride], &val, sizeof(val));
    }
    __u32 k = 1;
    BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &k, buf.data(), BPF_ANY));
    std::vector<unsigned char> out(buf.size(), 0xff);
    BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &k, out.data()));
    for (int cpu = 0; cpu < ncpus; cpu++) {
      __u32 val = 0;
      std::memcpy(&val, &out[static_cast<size_t>(cpu) * kStride], sizeof(val));
      EXPECT_EQ(val, 0x1000u + static_cast<__u32>(cpu))
          << "expected CPU " << cpu << "'s slot to hold its own value";
    }
  }
}

TEST(MapElem, QueueIsFirstInFirstOut) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_QUEUE, "queue", 0, 4, 4);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(queue)");
  for (__u32 v : {10u, 20u, 30u, 40u}) BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), nullptr, &v, BPF_ANY));
  __u32 v = 50;
  BPFXX_EXPECT_ERR(bpf_map_update_elem(fd.get(), nullptr, &v, BPF_ANY), E2BIG);
  // Peek leaves the element in place.
  __u32 got = 0;
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), nullptr, &got));
  EXPECT_EQ(got, 10u) << "expected peek to show the oldest element";
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), nullptr, &got));
  EXPECT_EQ(got, 10u) << "expected a second peek to show the same element";
  // BPF_EXIST on a full queue pushes out the oldest.
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), nullptr, &v, BPF_EXIST));
  std::vector<__u32> popped;
  while (bpf_map_lookup_and_delete_elem(fd.get(), nullptr, &got) == 0) popped.push_back(got);
  EXPECT_EQ(errno, ENOENT) << "expected popping an empty queue to fail with ENOENT";
  EXPECT_EQ(popped, (std::vector<__u32>{20, 30, 40, 50}))
      << "expected FIFO order, the oldest (10) pushed out by BPF_EXIST";
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), nullptr, &got), ENOENT);
}

TEST(MapElem, StackIsLastInFirstOut) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = create_map(BPF_MAP_TYPE_STACK, "stack", 0, 4, 8);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(stack)");
  for (__u32 v : {1u, 2u, 3u}) BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), nullptr, &v, BPF_ANY));
  __u32 got = 0;
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), nullptr, &got));
  EXPECT_EQ(got, 3u) << "expected peek to show the newest element";
  std::vector<__u32> popped;
  while (bpf_map_lookup_and_delete_elem(fd.get(), nullptr, &got) == 0) popped.push_back(got);
  EXPECT_EQ(errno, ENOENT) << "expected popping an empty stack to fail with ENOENT";
  EXPECT_EQ(popped, (std::vector<__u32>{3, 2, 1})) << "expected LIFO order";
  // Queues and stacks have no keyed access.
  __u32 k = 0;
  BPFXX_EXPECT_ERR(bpf_map_get_next_key(fd.get(), nullptr, &k), EINVAL);
  BPFXX_EXPECT_ERR(bpf_map_delete_elem(fd.get(), &k), EINVAL);
}

TEST(MapElem, BloomFilterFindsWhatWasPushed) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_extra = 5);  // five hash functions
  UniqueFd fd = create_map(BPF_MAP_TYPE_BLOOM_FILTER, "bloom", 0, 8, 1000, &opts);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(bloom_filter)");
  for (__u64 v = 1; v <= 100; v++) BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), nullptr, &v, BPF_ANY));
  for (__u64 v = 1; v <= 100; v++) {
    __u64 probe = v;
    EXPECT_EQ(bpf_map_lookup_elem(fd.get(), nullptr, &probe), 0)
        << "expected pushed value " << v << " to be found (a bloom filter has no false negatives)";
  }
  int absent_found = 0;
  for (__u64 v = 1000000; v < 1001000; v++) {
    __u64 probe = v;
    int rc = bpf_map_lookup_elem(fd.get(), nullptr, &probe);
    if (rc == 0) {
      absent_found++;
    } else {
      EXPECT_EQ(rc, -ENOENT) << "expected ENOENT for an absent value";
    }
  }
  EXPECT_LT(absent_found, 500) << "expected most never-pushed values to be reported absent";
  // Bloom filters cannot delete or iterate.
  __u64 v = 1;
  BPFXX_EXPECT_ERR(bpf_map_delete_elem(fd.get(), &v), EINVAL);
}

TEST(MapElem, LpmTrieLongestPrefixMatch) {
  BPFXX_REQUIRE_ROOT();
  struct LpmKey {
    __u32 prefixlen;
    __u8 addr[4];
  };
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
  UniqueFd fd = create_map(BPF_MAP_TYPE_LPM_TRIE, "lpm", sizeof(LpmKey), 8, 16, &opts);
  BPFXX_ASSERT_FD(fd, "bpf_map_create(lpm_trie)");
  LpmKey net8{8, {10, 0, 0, 0}};
  LpmKey net24{24, {10, 1, 2, 0}};
  __u64 v8 = 8, v24 = 24, got = 0;
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &net8, &v8, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map_update_elem(fd.get(), &net24, &v24, BPF_ANY));
  LpmKey host{32, {10, 1, 2, 3}};
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &host, &got));
  EXPECT_EQ(got, 24u) << "expected 10.1.2.3 to match the /24";
  LpmKey host2{32, {10, 9, 9, 9}};
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(fd.get(), &host2, &got));
  EXPECT_EQ(got, 8u) << "expected 10.9.9.9 to match the /8";
  LpmKey other{32, {192, 168, 0, 1}};
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(fd.get(), &other, &got), ENOENT);
}

TEST(MapElem, BadFdIsEbadf) {
  BPFXX_REQUIRE_ROOT();
  __u32 k = 0;
  __u64 v = 0;
  BPFXX_EXPECT_ERR(bpf_map_lookup_elem(-1, &k, &v), EBADF);
  BPFXX_EXPECT_ERR(bpf_map_update_elem(-1, &k, &v, BPF_ANY), EBADF);
  BPFXX_EXPECT_ERR(bpf_map_delete_elem(-1, &k), EBADF);
  BPFXX_EXPECT_ERR(bpf_map_get_next_key(-1, nullptr, &k), EBADF);
  BPFXX_EXPECT_ERR(bpf_map_lookup_and_delete_elem(-1, &k, &v), EBADF);
}

}  // namespace
}  // namespace bpfxx::test
