// The map half of bpf_object__load(), proven in the kernel: setters made
// before load show in the kernel's description of the maps, map-in-map
// slots hold their inner maps, global data lives in the map's memory at the
// address bpf_map__initial_value() gave before load, .rodata is frozen, the
// typed element operations check sizes, and a failed load leaves nothing.
//
// The programs' autoload is turned off: what is checked is the maps.
#include "bpffs.h"
#include "fault_injection_support.h"
#include "object_support.h"

#include "sys/kernel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

bpf_map* map_named(bpf_object* obj, const char* name) {
  bpf_map* m = bpf_object__find_map_by_name(obj, name);
  EXPECT_NE(m, nullptr) << "expected a map named '" << name << "'";
  return m;
}

bpf_map_info info_of(const bpf_map* m) {
  bpf_map_info info{};
  __u32 len = sizeof info;
  EXPECT_EQ(bpf_map_get_info_by_fd(bpf_map__fd(m), &info, &len), 0) << bpf_map__name(m);
  return info;
}

// The permissions /proc/self/maps shows for the mapping holding addr
// ("rw-s", "r--s", "rw-p" ...), or "" when none does.
std::string mapping_perms(const void* addr) {
  const auto a = reinterpret_cast<uintptr_t>(addr);
  std::ifstream f("/proc/self/maps");
  std::string line;
  while (std::getline(f, line)) {
    unsigned long lo = 0, hi = 0;
    char perms[8] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo && a < hi) return perms;
  }
  return {};
}

// map_load.bpf.o opened with its programs off: the maps are what is checked.
// The object is closed at the end of the test unless the test closes it
// sooner to see what stays behind.
class ObjectMapLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    obj_ = open_maps_only("map_load");
    ASSERT_NE(obj_, nullptr);
  }
  bpf_map* map(const char* name) { return map_named(obj_.get(), name); }

  ObjectPtr obj_;
};

// The id of the map in slot `key` of the map-in-map `outer`, as user space
// reads it; 0, with a failure recorded, when the slot cannot be read.
__u32 slot_id(const bpf_map* outer, __u32 key) {
  __u32 id = 0;
  EXPECT_EQ(bpf_map__lookup_elem(outer, &key, sizeof key, &id, sizeof id, 0), 0)
      << "reading " << bpf_map__name(outer) << "[" << key << "]";
  return id;
}

// A new map shaped like the object's setters_hash (4-byte keys, 8-byte
// values), or like its inner maps (4 slots of 4 bytes). The fd is the
// caller's to close.
int new_hash_map(const char* name, __u32 max_entries = 16) {
  const int fd = bpf_map_create(BPF_MAP_TYPE_HASH, name, 4, 8, max_entries, nullptr);
  EXPECT_GE(fd, 0) << "creating map " << name << ": " << std::strerror(errno);
  return fd;
}
int new_inner_map(const char* name) {
  const int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, 4, 4, nullptr);
  EXPECT_GE(fd, 0) << "creating map " << name << ": " << std::strerror(errno);
  return fd;
}

TEST_F(ObjectMapLoad, SettersBeforeLoadTakeEffect) {
  bpf_map* h = map("setters_hash");
  bpf_map* retyped = map("retyped");
  bpf_map* bloom = map("bloom");
  bpf_map* skipped = map("skipped");
  ASSERT_TRUE(h && retyped && bloom && skipped);
  ASSERT_EQ(bpf_map__set_max_entries(h, 64), 0);
  ASSERT_EQ(bpf_map__set_map_flags(h, BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE), 0);
  ASSERT_EQ(bpf_map__set_numa_node(h, 0), 0);
  ASSERT_EQ(bpf_map__set_value_size(h, 24), 0);
  ASSERT_EQ(bpf_map__set_key_size(h, 8), 0);
  ASSERT_EQ(bpf_map__set_type(retyped, BPF_MAP_TYPE_LRU_HASH), 0);
  ASSERT_EQ(bpf_map__set_map_extra(bloom, 5), 0);
  ASSERT_EQ(bpf_map__set_autocreate(skipped, false), 0);

  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);

  bpf_map_info hi = info_of(h);
  EXPECT_EQ(hi.type, static_cast<__u32>(BPF_MAP_TYPE_HASH));
  EXPECT_EQ(hi.max_entries, 64u);
  EXPECT_EQ(hi.key_size, 8u);
  EXPECT_EQ(hi.value_size, 24u);
  EXPECT_EQ(hi.map_flags, static_cast<__u32>(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE));
  EXPECT_STREQ(hi.name, "setters_hash");
  EXPECT_EQ(info_of(retyped).type, static_cast<__u32>(BPF_MAP_TYPE_LRU_HASH));
  EXPECT_EQ(info_of(bloom).map_extra, 5u);
  EXPECT_EQ(bpf_map__fd(skipped), -1);

  // With the object's BTF in the kernel, a map keeps its BTF types; the one
  // whose value no longer matches its BTF type was created without them.
  if (bpf_object__btf_fd(obj_.get()) >= 0) {
    EXPECT_NE(info_of(retyped).btf_value_type_id, 0u);
    EXPECT_EQ(hi.btf_value_type_id, 0u);
    EXPECT_EQ(bpf_map__btf_value_type_id(h), 0u);
  }

  // Created maps refuse further changes.
  EXPECT_EQ(bpf_map__set_max_entries(h, 1), -EBUSY);
  EXPECT_EQ(bpf_map__set_autocreate(skipped, true), -EBUSY);
}

TEST_F(ObjectMapLoad, ReusedFdIsKeptAndInnerMapFdIsUsed) {
  bpf_map* h = map("setters_hash");
  bpf_map* outer = map("outer");
  ASSERT_TRUE(h && outer);
  const int mine = new_hash_map("mine");
  ASSERT_GE(mine, 0);
  const int templ = new_inner_map("templ");
  ASSERT_GE(templ, 0);
  ASSERT_EQ(bpf_map__reuse_fd(h, mine), 0);
  ASSERT_EQ(bpf_map__set_inner_map_fd(outer, templ), 0);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  bpf_map_info theirs{};
  __u32 len = sizeof theirs;
  ASSERT_EQ(bpf_map_get_info_by_fd(mine, &theirs, &len), 0);
  EXPECT_EQ(info_of(h).id, theirs.id) << "the object must use the given map";
  EXPECT_NE(bpf_map__fd(h), mine) << "through its own duplicate";
  EXPECT_STREQ(bpf_map__name(h), "mine");
  // The outer map was made from the given template and its slots filled.
  EXPECT_EQ(slot_id(outer, 0), info_of(map("inner_one")).id);
  obj_.reset();
  // The caller's fds stay theirs.
  EXPECT_EQ(bpf_map_get_info_by_fd(mine, &theirs, &len), 0);
  close(mine);
  close(templ);
}

TEST_F(ObjectMapLoad, SizesTheLoaderCompletes) {
  bpf_map* rb = map("rb");
  bpf_map* events = map("events");
  ASSERT_TRUE(rb && events);
  // A ring buffer size that is no power-of-two number of pages is rounded up.
  ASSERT_EQ(bpf_map__set_max_entries(rb, 3 * 4096 + 1), 0);
  const __u32 page = static_cast<__u32>(sysconf(_SC_PAGESIZE));
  EXPECT_EQ(bpf_map__max_entries(rb), 4 * page);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_EQ(info_of(rb).max_entries, 4 * page);
  // A perf event array of 0 entries gets one per possible CPU.
  EXPECT_EQ(info_of(events).max_entries, static_cast<__u32>(libbpf_num_possible_cpus()));
  EXPECT_EQ(bpf_map__max_entries(events), static_cast<__u32>(libbpf_num_possible_cpus()));
}

TEST_F(ObjectMapLoad, MapInMapSlotsHoldTheirInnerMaps) {
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  bpf_map* outer = map("outer");
  bpf_map* one = map("inner_one");
  bpf_map* two = map("inner_two");
  ASSERT_TRUE(outer && one && two);
  // From user space a map-in-map slot reads as the inner map's id.
  EXPECT_EQ(slot_id(outer, 0), info_of(one).id);
  EXPECT_EQ(slot_id(outer, 3), info_of(two).id);
  const __u32 key = 1;
  __u32 id = 0;
  EXPECT_EQ(bpf_map__lookup_elem(outer, &key, sizeof key, &id, sizeof id, 0), -ENOENT);
  // The template made for creation is gone again: only our maps remain.
  EXPECT_NE(bpf_map__inner_map(outer), nullptr);
  EXPECT_EQ(bpf_map__fd(bpf_map__inner_map(outer)), -1);
}

TEST_F(ObjectMapLoad, DataLivesAtTheInitialValueAddress) {
  bpf_map* data = map(".data");
  bpf_map* bss = map(".bss");
  ASSERT_TRUE(data && bss);
  size_t size = 0;
  auto* before = static_cast<uint64_t*>(bpf_map__initial_value(data, &size));
  ASSERT_NE(before, nullptr);
  ASSERT_EQ(size, sizeof(uint64_t));
  EXPECT_EQ(*before, 7u);  // counter's initializer
  *before = 1234;          // written through the pointer before load
  auto* bss_before = static_cast<uint32_t*>(bpf_map__initial_value(bss, nullptr));
  ASSERT_NE(bss_before, nullptr);
  *bss_before = 55;

  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_EQ(bpf_map__initial_value(data, nullptr), before) << "the address must not change";
  EXPECT_TRUE(bpf_map__map_flags(data) & BPF_F_MMAPABLE);
  EXPECT_EQ(mapping_perms(before), "rw-s") << "expected the map's shared memory";

  const __u32 zero = 0;
  uint64_t v = 0;
  ASSERT_EQ(bpf_map__lookup_elem(data, &zero, sizeof zero, &v, sizeof v, 0), 0);
  EXPECT_EQ(v, 1234u);
  uint32_t b = 0;
  ASSERT_EQ(bpf_map__lookup_elem(bss, &zero, sizeof zero, &b, sizeof b, 0), 0);
  EXPECT_EQ(b, 55u);

  // After load the same pointer is the live map: both directions.
  *before = 5678;
  ASSERT_EQ(bpf_map__lookup_elem(data, &zero, sizeof zero, &v, sizeof v, 0), 0);
  EXPECT_EQ(v, 5678u);
  v = 91011;
  ASSERT_EQ(bpf_map__update_elem(data, &zero, sizeof zero, &v, sizeof v, 0), 0);
  EXPECT_EQ(*before, 91011u);
  // set_initial_value is over once the map exists.
  EXPECT_EQ(bpf_map__set_initial_value(data, &v, sizeof v), -EBUSY);
}

TEST_F(ObjectMapLoad, RodataIsFrozenAndMappedReadOnly) {
  bpf_map* ro = map(".rodata");
  ASSERT_NE(ro, nullptr);
  const uint32_t want = 99;
  ASSERT_EQ(bpf_map__set_initial_value(ro, &want, sizeof want), 0);
  const void* before = bpf_map__initial_value(ro, nullptr);
  ASSERT_NE(before, nullptr);

  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_EQ(bpf_map__initial_value(ro, nullptr), before);
  EXPECT_EQ(*static_cast<const uint32_t*>(before), 99u);
  EXPECT_EQ(mapping_perms(before), "r--s") << "a frozen map is mapped read-only";
  const __u32 zero = 0;
  uint32_t v = 0;
  ASSERT_EQ(bpf_map__lookup_elem(ro, &zero, sizeof zero, &v, sizeof v, 0), 0);
  EXPECT_EQ(v, 99u);
  v = 1;
  EXPECT_EQ(bpf_map__update_elem(ro, &zero, sizeof zero, &v, sizeof v, 0), -EPERM);
  EXPECT_TRUE(info_of(ro).map_flags & BPF_F_RDONLY_PROG);
}

TEST_F(ObjectMapLoad, DataWithoutMmapIsCopiedIn) {
  bpf_map* data = map(".data");
  ASSERT_NE(data, nullptr);
  ASSERT_EQ(bpf_map__set_map_flags(data, bpf_map__map_flags(data) & ~BPF_F_MMAPABLE), 0);
  auto* p = static_cast<uint64_t*>(bpf_map__initial_value(data, nullptr));
  ASSERT_NE(p, nullptr);
  *p = 4242;
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  // The pointer stays the object's private copy.
  EXPECT_EQ(bpf_map__initial_value(data, nullptr), p);
  EXPECT_EQ(mapping_perms(p), "rw-p");
  const __u32 zero = 0;
  uint64_t v = 0;
  ASSERT_EQ(bpf_map__lookup_elem(data, &zero, sizeof zero, &v, sizeof v, 0), 0);
  EXPECT_EQ(v, 4242u);
}

TEST_F(ObjectMapLoad, TypedOperationsCheckSizes) {
  bpf_map* h = map("setters_hash");
  bpf_map* percpu = map("percpu");
  bpf_map* queue = map("queue");
  ASSERT_TRUE(h && percpu && queue);
  __u32 key = 1;
  uint64_t value = 10;
  EXPECT_EQ(bpf_map__update_elem(h, &key, sizeof key, &value, sizeof value, 0), -ENOENT) << "before load";

  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  {
    CapturePrint cap;
    EXPECT_EQ(bpf_map__update_elem(h, &key, 8, &value, sizeof value, 0), -EINVAL);
    EXPECT_NE(cap.text().find("map 'setters_hash': key of 8 bytes given, its key size is 4"), std::string::npos)
        << cap.text();
    EXPECT_EQ(bpf_map__update_elem(h, &key, sizeof key, &value, 4, 0), -EINVAL);
    EXPECT_NE(cap.text().find("value of 4 bytes given, its value size is 8"), std::string::npos) << cap.text();
  }
  ASSERT_EQ(bpf_map__update_elem(h, &key, sizeof key, &value, sizeof value, BPF_NOEXIST), 0);
  uint64_t got = 0;
  ASSERT_EQ(bpf_map__lookup_elem(h, &key, sizeof key, &got, sizeof got, 0), 0);
  EXPECT_EQ(got, 10u);
  __u32 next = 0;
  ASSERT_EQ(bpf_map__get_next_key(h, nullptr, &next, sizeof next), 0);
  EXPECT_EQ(next, 1u);
  EXPECT_EQ(bpf_map__get_next_key(h, &next, &next, sizeof next), -ENOENT);
  EXPECT_EQ(bpf_map__get_next_key(h, nullptr, &next, 2), -EINVAL);
  ASSERT_EQ(bpf_map__delete_elem(h, &key, sizeof key, 0), 0);
  EXPECT_EQ(bpf_map__lookup_elem(h, &key, sizeof key, &got, sizeof got, 0), -ENOENT);
  EXPECT_EQ(bpf_map__delete_elem(h, &key, 3, 0), -EINVAL);

  // Per-CPU values: the value rounded up to 8 bytes, once per possible CPU.
  const int cpus = libbpf_num_possible_cpus();
  ASSERT_GT(cpus, 0);
  std::vector<uint64_t> per(static_cast<size_t>(cpus), 0);
  key = 0;
  EXPECT_EQ(bpf_map__lookup_elem(percpu, &key, sizeof key, per.data(), sizeof(uint32_t), 0), -EINVAL);
  for (int i = 0; i < cpus; i++) per[static_cast<size_t>(i)] = static_cast<uint64_t>(i + 1);
  ASSERT_EQ(bpf_map__update_elem(percpu, &key, sizeof key, per.data(), per.size() * 8, 0), 0);
  std::vector<uint64_t> back(static_cast<size_t>(cpus), 0);
  ASSERT_EQ(bpf_map__lookup_elem(percpu, &key, sizeof key, back.data(), back.size() * 8, 0), 0);
  for (int i = 0; i < cpus; i++) EXPECT_EQ(static_cast<uint32_t>(back[static_cast<size_t>(i)]), i + 1u);

  // A queue: no key; lookup_and_delete pops.
  uint32_t item = 31;
  ASSERT_EQ(bpf_map__update_elem(queue, nullptr, 0, &item, sizeof item, 0), 0);
  uint32_t popped = 0;
  ASSERT_EQ(bpf_map__lookup_and_delete_elem(queue, nullptr, 0, &popped, sizeof popped, 0), 0);
  EXPECT_EQ(popped, 31u);
  EXPECT_EQ(bpf_map__lookup_and_delete_elem(queue, nullptr, 0, &popped, sizeof popped, 0), -ENOENT);
}

TEST_F(ObjectMapLoad, FailedLoadReleasesPinsFdsAndMemory) {
  BPFXX_TEMP_BPFFS(fs);
  bpf_map* h = map("setters_hash");
  bpf_map* retyped = map("retyped");
  bpf_map* data = map(".data");
  ASSERT_TRUE(h && retyped && data);
  const std::string pin = fs.path("setters_hash");
  ASSERT_EQ(bpf_map__set_pin_path(h, pin.c_str()), 0);
  // The second pin cannot be made (not a BPF file system): the load fails
  // after the first pin exists.
  ASSERT_EQ(bpf_map__set_pin_path(retyped, "/proc/self/bpfxx_retyped"), 0);
  auto* p = static_cast<uint64_t*>(bpf_map__initial_value(data, nullptr));
  ASSERT_NE(p, nullptr);
  *p = 777;
  {
    CapturePrint cap;
    EXPECT_LT(bpf_object__load(obj_.get()), 0);
    EXPECT_NE(cap.text().find("map 'retyped'"), std::string::npos) << cap.text();
  }
  struct stat st{};
  EXPECT_NE(stat(pin.c_str(), &st), 0) << "the pin this load made must be gone";
  EXPECT_FALSE(bpf_map__is_pinned(h));
  EXPECT_EQ(bpf_map__fd(h), -1);
  EXPECT_EQ(bpf_map__fd(data), -1);
  // The pointer still works, holds the last contents, and is private again.
  EXPECT_EQ(bpf_map__initial_value(data, nullptr), p);
  EXPECT_EQ(*p, 777u);
  EXPECT_EQ(mapping_perms(p), "rw-p");
  *p = 778;
  EXPECT_EQ(bpf_object__load(obj_.get()), -EINVAL) << "a failed load is final";
}

// ---- reused fds, pins and static slots -------------------------------------

bool path_exists(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0;
}

// Passes every call to the real kernel, except that the first BPF_OBJ_GET
// of `path` finds nothing: as if what is pinned there had been pinned just
// after the loader looked (the race of two loaders).
class HidePinOnce : public bpfxx::sys::Kernel {
 public:
  explicit HidePinOnce(std::string path) : path_(std::move(path)) {}
  int hidden = 0;
  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    if (cmd == BPF_OBJ_GET && hidden == 0 && attr->pathname != 0 &&
        path_ == reinterpret_cast<const char*>(static_cast<uintptr_t>(attr->pathname))) {
      hidden++;
      return -ENOENT;
    }
    return Kernel::bpf(cmd, attr, size);
  }

 private:
  std::string path_;
};

// The object's setters_hash, set to pin at pin_path and to reuse fd; null,
// with the failure recorded, when a setter refuses.
bpf_map* setters_hash_pinned_reusing(bpf_map* h, const std::string& pin_path, int fd) {
  if (h == nullptr) return nullptr;
  const int pin_err = bpf_map__set_pin_path(h, pin_path.c_str());
  const int reuse_err = bpf_map__reuse_fd(h, fd);
  EXPECT_EQ(pin_err, 0) << "bpf_map__set_pin_path(" << pin_path << ")";
  EXPECT_EQ(reuse_err, 0) << "bpf_map__reuse_fd(" << fd << ")";
  return pin_err == 0 && reuse_err == 0 ? h : nullptr;
}

// Loads obj while the loader's first look at path finds nothing (a pin made
// just after it looked: the race of two loaders). What was printed goes to
// *printed.
testing::AssertionResult load_racing_a_pin_at(bpf_object* obj, const std::string& path, std::string* printed) {
  HidePinOnce race(path);
  int err;
  {
    ScopedKernel scope(&race);
    CapturePrint cap;
    err = bpf_object__load(obj);
    *printed = cap.text();
  }
  if (err != 0) return testing::AssertionFailure() << "the load failed: " << std::strerror(-err) << "\n" << *printed;
  if (race.hidden != 1)
    return testing::AssertionFailure() << "the pin at " << path << " was hidden " << race.hidden << " times, not once";
  return testing::AssertionSuccess();
}

// A map given by bpf_map__reuse_fd() that is also the map pinned at its pin
// path: the load reuses the pin (libbpf 1.8) instead of failing to pin it
// again with EEXIST.
TEST_F(ObjectMapLoad, ReusedFdThatIsPinnedAtItsPathLoads) {
  BPFXX_TEMP_BPFFS(fs);
  const std::string path = fs.path("setters_hash");
  const int mine = new_hash_map("pinned_before");
  ASSERT_GE(mine, 0);
  ASSERT_EQ(bpf_obj_pin(mine, path.c_str()), 0);
  bpf_map* h = setters_hash_pinned_reusing(map("setters_hash"), path, mine);
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_TRUE(bpf_map__is_pinned(h));
  EXPECT_EQ(info_of(h).id, map_id_of_fd(mine));
  obj_.reset();
  EXPECT_TRUE(path_exists(path)) << "the pin was there before the load and stays";
  close(mine);
}

// With both a reused fd and a map pinned at the pin path, the pinned map
// wins once it passes the compatibility check (libbpf 1.8).
TEST_F(ObjectMapLoad, PinnedMapReplacesAReusedFd) {
  BPFXX_TEMP_BPFFS(fs);
  const std::string path = fs.path("setters_hash");
  const int pinned = new_hash_map("pinned");
  const int given = new_hash_map("given");
  ASSERT_GE(pinned, 0);
  ASSERT_GE(given, 0);
  ASSERT_EQ(bpf_obj_pin(pinned, path.c_str()), 0);
  bpf_map* h = setters_hash_pinned_reusing(map("setters_hash"), path, given);
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_TRUE(bpf_map__is_pinned(h));
  EXPECT_EQ(info_of(h).id, map_id_of_fd(pinned)) << "the pinned map replaces the given one";
  EXPECT_STREQ(bpf_map__name(h), "pinned");
  // The program sees it too: a value written through the object is in
  // the pinned map.
  const __u32 key = 3;
  const __u64 value = 33;
  ASSERT_EQ(bpf_map__update_elem(h, &key, sizeof key, &value, sizeof value, 0), 0);
  __u64 seen = 0;
  ASSERT_EQ(bpf_map_lookup_elem(pinned, &key, &seen), 0);
  EXPECT_EQ(seen, 33u);
  obj_.reset();
  EXPECT_TRUE(path_exists(path));
  close(pinned);
  close(given);
}

// bpf_map__reuse_fd() may be called again until the object is prepared; the
// last fd given is the one used.
TEST_F(ObjectMapLoad, ReuseFdAgainBeforeLoad) {
  const int first = new_hash_map("first_fd");
  const int second = new_hash_map("second_fd", 32);
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  bpf_map* h = map("setters_hash");
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(bpf_map__reuse_fd(h, first), 0);
  ASSERT_EQ(bpf_map__reuse_fd(h, second), 0);
  EXPECT_STREQ(bpf_map__name(h), "second_fd");
  EXPECT_EQ(bpf_map__max_entries(h), 32u);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_EQ(info_of(h).id, map_id_of_fd(second));
  EXPECT_EQ(bpf_map__reuse_fd(h, first), -EBUSY) << "not once loaded";
  EXPECT_EQ(info_of(h).id, map_id_of_fd(second));
  obj_.reset();
  // The caller's fds stay theirs.
  EXPECT_NE(map_id_of_fd(first), 0u);
  close(first);
  close(second);
}

// Static slots name their target by its place in the object, not by name:
// a map renamed by bpf_map__reuse_fd() (it takes the kernel's name) still
// fills the slot.
TEST_F(ObjectMapLoad, SlotsFollowAMapRenamedByReuse) {
  const int given = new_inner_map("renamed");
  ASSERT_GE(given, 0);
  bpf_map* one = map("inner_one");
  bpf_map* outer = map("outer");
  ASSERT_TRUE(one && outer);
  ASSERT_EQ(bpf_map__reuse_fd(one, given), 0);
  EXPECT_STREQ(bpf_map__name(one), "renamed");
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  EXPECT_EQ(slot_id(outer, 0), map_id_of_fd(given)) << "outer[0] holds the reused map";
  EXPECT_EQ(slot_id(outer, 3), info_of(map("inner_two")).id);
  obj_.reset();
  close(given);
}

// A ring buffer inside an array of maps: sizes rounded at open (the inner
// template too), so the outer map is created and its slot filled; the
// program writes a record through the slot.
TEST_F(ObjectMapLoad, RingbufInAMapInMapLoadsAndTakesRecords) {
  ObjectPtr obj = open_prog_object("map_ringbuf_in_map");
  ASSERT_NE(obj, nullptr);
  bpf_map* rb = map_named(obj.get(), "rb_inner");
  bpf_map* outer = map_named(obj.get(), "rb_outer");
  ASSERT_TRUE(rb && outer);
  const long page = sysconf(_SC_PAGESIZE);
  const __u32 want = page >= 8192 ? static_cast<__u32>(page) : 8192u;  // 5000 rounded up
  EXPECT_EQ(bpf_map__max_entries(rb), want) << "after open";
  EXPECT_EQ(bpf_map__max_entries(bpf_map__inner_map(outer)), want);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  EXPECT_EQ(info_of(rb).max_entries, want);
  EXPECT_EQ(slot_id(outer, 0), info_of(rb).id);

  __u32 retval = 0;
  ASSERT_EQ(test_run(must_find_program(obj.get(), "write_through_outer"), &retval), 0);
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS));
  // The producer position (first word of the page after the consumer's)
  // moved past one record.
  void* prod = mmap(nullptr, static_cast<size_t>(page), PROT_READ, MAP_SHARED, bpf_map__fd(rb), page);
  ASSERT_NE(prod, MAP_FAILED) << std::strerror(errno);
  EXPECT_GT(*static_cast<volatile const uint64_t*>(prod), 0u);
  munmap(prod, static_cast<size_t>(page));
}

// Two loaders race for an inner map's pin: this one finds nothing pinned,
// creates the map, and loses the pin to the other. The winner's map must be
// the one in the outer map's slot, not the map this load dropped.
TEST_F(ObjectMapLoad, PinRaceOfAnInnerMapPutsTheWinnerInTheSlot) {
  BPFXX_TEMP_BPFFS(fs);
  const std::string path = fs.path("inner_one");
  const int winner = new_inner_map("winner");
  ASSERT_GE(winner, 0);
  ASSERT_EQ(bpf_obj_pin(winner, path.c_str()), 0);
  bpf_map* one = map("inner_one");
  bpf_map* outer = map("outer");
  ASSERT_TRUE(one && outer);
  ASSERT_EQ(bpf_map__set_pin_path(one, path.c_str()), 0);
  std::string printed;
  ASSERT_TRUE(load_racing_a_pin_at(obj_.get(), path, &printed));
  EXPECT_TRUE(bpf_map__is_pinned(one));
  EXPECT_EQ(info_of(one).id, map_id_of_fd(winner)) << "the pinned map replaced ours";
  EXPECT_EQ(slot_id(outer, 0), map_id_of_fd(winner)) << "outer[0] must hold the map in use, not the dropped one";
  obj_.reset();
  EXPECT_TRUE(path_exists(path)) << "the winner's pin is not ours to remove";
  close(winner);
}

// The pin path is taken (EEXIST) by the very map the object uses: that is
// pinned, not an error.
TEST_F(ObjectMapLoad, PinTakenByTheSameMapCountsAsPinned) {
  BPFXX_TEMP_BPFFS(fs);
  const std::string path = fs.path("setters_hash");
  const int mine = new_hash_map("mine");
  ASSERT_GE(mine, 0);
  bpf_map* h = setters_hash_pinned_reusing(map("setters_hash"), path, mine);
  ASSERT_NE(h, nullptr);
  // Pinned after the loader looks (hidden once), before it pins.
  ASSERT_EQ(bpf_obj_pin(mine, path.c_str()), 0);
  std::string printed;
  ASSERT_TRUE(load_racing_a_pin_at(obj_.get(), path, &printed));
  EXPECT_EQ(printed.find("File exists"), std::string::npos) << "no warning: " << printed;
  EXPECT_TRUE(bpf_map__is_pinned(h));
  EXPECT_EQ(info_of(h).id, map_id_of_fd(mine));
  obj_.reset();
  EXPECT_TRUE(path_exists(path)) << "the pin was not made by the load: it stays";
  close(mine);
}

// A program-array slot whose program is not loaded (autoload off) fails the
// load as in libbpf 1.8 (which stores the program's negative fd and gets
// EBADF), with a message naming the map, the slot and the program.
TEST_F(ObjectMapLoad, ProgramArraySlotOfAnUnloadedProgramFailsTheLoad) {
  ObjectPtr obj = open_prog_object("load_static_init");
  ASSERT_NE(obj, nullptr);
  ASSERT_EQ(bpf_program__set_autoload(must_find_program(obj.get(), "jump_target"), false), 0);
  CapturePrint cap;
  EXPECT_EQ(bpf_object__load(obj.get()), -EBADF);
  EXPECT_NE(cap.text().find("map 'jumps': slot [1] holds program 'jump_target', which is not loaded "
                            "(autoload is off)"),
            std::string::npos)
      << cap.text();
  EXPECT_EQ(bpf_map__fd(map_named(obj.get(), "jumps")), -1) << "the failed load released the maps";
}

// Passes every call to the real kernel, counting bpf() and mmap() calls,
// and fails number fail_at (1-based) of those with EIO.
class FailNthKernel : public bpfxx::sys::Kernel {
 public:
  int fail_at = 0;
  int calls = 0;
  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    if (++calls == fail_at) return -EIO;
    return Kernel::bpf(cmd, attr, size);
  }
  void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset, int* err) override {
    if (++calls == fail_at) {
      if (err != nullptr) *err = EIO;
      return MAP_FAILED;
    }
    return Kernel::mmap(addr, length, prot, flags, fd, offset, err);
  }
};

// Fails each kernel call of the map half of a load in turn: every failure
// must leave no fd, no pin and no kernel mapping behind, and keep the
// global data readable at its address.
TEST_F(ObjectMapLoad, EveryFailingCallIsCleanedUp) {
  BPFXX_TEMP_BPFFS(fs);
  const std::string pin = fs.path("pinned_hash");
  auto prepare = [&]() {
    ObjectPtr obj = open_maps_only("map_load");
    if (obj) {
      EXPECT_EQ(bpf_map__set_pin_path(bpf_object__find_map_by_name(obj.get(), "setters_hash"), pin.c_str()), 0);
      auto* p = static_cast<uint64_t*>(bpf_map__initial_value(bpf_object__find_map_by_name(obj.get(), ".data"), nullptr));
      if (p != nullptr) *p = 31337;
    }
    return obj;
  };
  // Two clean runs first: the first settles the process-wide feature
  // probes (so that no injected fault is cached as a missing feature and
  // the calls are the same each time), the second counts the calls.
  FailNthKernel counter;
  for (int run = 0; run < 2; run++) {
    ObjectPtr obj = prepare();
    ASSERT_NE(obj, nullptr);
    counter.calls = 0;
    ScopedKernel scope(&counter);
    ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
    ASSERT_EQ(unlink(pin.c_str()), 0);
  }
  const int total = counter.calls;
  ASSERT_GT(total, 5);
  const auto fds_before = open_fds();
  int failures = 0;
  for (int n = 1; n <= total; n++) {
    SCOPED_TRACE("failing call " + std::to_string(n) + " of " + std::to_string(total));
    ObjectPtr obj = prepare();
    ASSERT_NE(obj, nullptr);
    bpf_map* data = bpf_object__find_map_by_name(obj.get(), ".data");
    int rc;
    {
      FailNthKernel faults;
      faults.fail_at = n;
      ScopedKernel scope(&faults);
      CapturePrint quiet;
      rc = bpf_object__load(obj.get());
    }
    struct stat st{};
    const bool pinned = stat(pin.c_str(), &st) == 0;
    if (rc < 0) {
      failures++;
      EXPECT_FALSE(pinned) << "a failed load must remove its pin";
      auto* p = static_cast<uint64_t*>(bpf_map__initial_value(data, nullptr));
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(*p, 31337u);
      EXPECT_EQ(mapping_perms(p), "rw-p");
      bpf_map* m;
      bpf_object__for_each_map(m, obj.get()) EXPECT_EQ(bpf_map__fd(m), -1) << bpf_map__name(m);
    } else if (pinned) {
      unlink(pin.c_str());  // a call the load may do without (a BTF probe, a token)
    }
    obj.reset();
    EXPECT_EQ(open_fds(), fds_before);
  }
  EXPECT_GT(failures, total / 2);
}

}  // namespace
}  // namespace bpfxx::test
