// Pinning with objects: LIBBPF_PIN_BY_NAME maps pinned at load and reused
// by a second object (what one writes the other reads), an incompatible pin
// refused with the attribute named, and the pin/unpin API of maps, programs
// and whole objects. Every test pins into its own temporary bpffs.
#include "bpffs.h"
#include "object_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

using bpfxx::test::ObjectPtr;
using bpfxx::test::open_maps_only;
using bpfxx::test::open_prog_object;

namespace {

bool exists(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0;
}

// Every test pins into its own bpffs, mounted for it in a temporary
// directory (unmounting drops whatever a failed test left pinned).
class ObjectPin : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_TRUE(fs.ok()) << "expected a bpffs mounted in a temp dir: " << fs.error();
  }
  // Opens name with its pins under the test's bpffs, programs not loaded
  // (the maps are what is checked).
  ObjectPtr open_pinned(const char* name) {
    LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = fs.dir().c_str());
    return open_maps_only(name, &opts);
  }

  bpfxx::test::TempBpffs fs;
};

__u32 map_id(const bpf_map* m) { return bpfxx::test::map_id_of_fd(bpf_map__fd(m)); }

TEST_F(ObjectPin, PinnedMapIsSharedBetweenObjects) {
  ObjectPtr first = open_pinned("pin_shared");
  ASSERT_NE(first, nullptr);
  bpf_map* a = bpf_object__find_map_by_name(first.get(), "shared_counts");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(bpf_map__pin_path(a), fs.path("shared_counts"));
  EXPECT_FALSE(bpf_map__is_pinned(a));
  ASSERT_EQ(bpf_object__load(first.get()), 0) << std::strerror(errno);
  EXPECT_TRUE(bpf_map__is_pinned(a));
  EXPECT_TRUE(exists(fs.path("shared_counts")));
  // Only the map that asked for it is pinned.
  EXPECT_FALSE(bpf_map__is_pinned(bpf_object__find_map_by_name(first.get(), "private_scratch")));
  EXPECT_FALSE(exists(fs.path("private_scratch")));

  const __u32 key = 1;
  const __u64 value = 77;
  ASSERT_EQ(bpf_map__update_elem(a, &key, sizeof key, &value, sizeof value, 0), 0);

  ObjectPtr second = open_pinned("pin_shared_again");
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(bpf_object__load(second.get()), 0) << std::strerror(errno);
  bpf_map* b = bpf_object__find_map_by_name(second.get(), "shared_counts");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(bpf_map__is_pinned(b));
  EXPECT_EQ(map_id(a), map_id(b)) << "the second object must reuse the pinned map";
  __u64 seen = 0;
  ASSERT_EQ(bpf_map__lookup_elem(b, &key, sizeof key, &seen, sizeof seen, 0), 0);
  EXPECT_EQ(seen, 77u);
  // And the other way round.
  const __u64 more = 78;
  ASSERT_EQ(bpf_map__update_elem(b, &key, sizeof key, &more, sizeof more, 0), 0);
  ASSERT_EQ(bpf_map__lookup_elem(a, &key, sizeof key, &seen, sizeof seen, 0), 0);
  EXPECT_EQ(seen, 78u);

  // Closing objects keeps pins; unpinning removes them.
  second.reset();
  EXPECT_TRUE(exists(fs.path("shared_counts")));
  EXPECT_EQ(bpf_map__unpin(a, nullptr), 0);
  EXPECT_FALSE(exists(fs.path("shared_counts")));
}

TEST_F(ObjectPin, IncompatiblePinIsRefusedNamingTheAttribute) {
  ObjectPtr first = open_pinned("pin_shared");
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(bpf_object__load(first.get()), 0) << std::strerror(errno);

  ObjectPtr bad = open_pinned("pin_shared_bad");
  ASSERT_NE(bad, nullptr);
  bpfxx::test::CapturePrint cap;
  EXPECT_EQ(bpf_object__load(bad.get()), -EINVAL);
  const std::string want = "map 'shared_counts': pinned map at " + fs.path("shared_counts") +
                           " has max_entries 16, object wants 8";
  EXPECT_NE(cap.text().find(want), std::string::npos) << cap.text();
  EXPECT_EQ(bpf_map__fd(bpf_object__find_map_by_name(bad.get(), "shared_counts")), -1);
  // The refused load removed nothing that was there before.
  EXPECT_TRUE(exists(fs.path("shared_counts")));
}

TEST_F(ObjectPin, MapPinAndUnpin) {
  ObjectPtr obj = open_pinned("pin_shared");
  ASSERT_NE(obj, nullptr);
  bpf_map* m = bpf_object__find_map_by_name(obj.get(), "private_scratch");
  ASSERT_NE(m, nullptr);
  const std::string path = fs.path("scratch");
  EXPECT_EQ(bpf_map__pin(m, path.c_str()), -EINVAL) << "not created yet";
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);

  EXPECT_EQ(bpf_map__pin(m, nullptr), -EINVAL) << "no path anywhere";
  ASSERT_EQ(bpf_map__pin(m, path.c_str()), 0);
  EXPECT_TRUE(bpf_map__is_pinned(m));
  EXPECT_STREQ(bpf_map__pin_path(m), path.c_str());
  EXPECT_TRUE(exists(path));
  EXPECT_EQ(bpf_map__pin(m, path.c_str()), 0) << "pinning again at the same path";
  EXPECT_EQ(bpf_map__pin(m, fs.path("elsewhere").c_str()), -EINVAL);
  EXPECT_EQ(bpf_map__unpin(m, fs.path("elsewhere").c_str()), -EINVAL);
  // The pin holds the map: reopen it through the path.
  int fd = bpf_obj_get(path.c_str());
  ASSERT_GE(fd, 0);
  bpf_map_info info{};
  __u32 len = sizeof info;
  ASSERT_EQ(bpf_map_get_info_by_fd(fd, &info, &len), 0);
  close(fd);
  EXPECT_EQ(info.id, map_id(m));
  ASSERT_EQ(bpf_map__unpin(m, nullptr), 0);
  EXPECT_FALSE(bpf_map__is_pinned(m));
  EXPECT_FALSE(exists(path));
  EXPECT_EQ(bpf_map__unpin(m, nullptr), -ENOENT);
}

TEST_F(ObjectPin, ObjectPinMapsUnderADirectory) {
  ObjectPtr obj = open_maps_only("map_load");
  ASSERT_NE(obj, nullptr);
  bpf_map* skipped = bpf_object__find_map_by_name(obj.get(), "skipped");
  ASSERT_EQ(bpf_map__set_autocreate(skipped, false), 0);
  const std::string dir = fs.path("all");
  EXPECT_EQ(bpf_object__pin_maps(obj.get(), dir.c_str()), -ENOENT) << "before load";
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);

  ASSERT_EQ(bpf_object__pin_maps(obj.get(), dir.c_str()), 0);
  EXPECT_TRUE(exists(dir + "/setters_hash"));
  EXPECT_TRUE(exists(dir + "/outer"));
  // bpffs refuses dots in names: "map_load.rodata" pins as map_load_rodata.
  EXPECT_TRUE(exists(dir + "/map_load_rodata"));
  EXPECT_FALSE(exists(dir + "/skipped")) << "maps not created are not pinned";
  EXPECT_TRUE(bpf_map__is_pinned(bpf_object__find_map_by_name(obj.get(), "outer")));

  ASSERT_EQ(bpf_object__unpin_maps(obj.get(), dir.c_str()), -ENOENT)
      << "'skipped' was never pinned, as in libbpf unpin_maps stops there";
  // Unpin the rest one by one through their recorded paths.
  bpf_map* m;
  bpf_object__for_each_map(m, obj.get()) {
    if (bpf_map__is_pinned(m)) {
      EXPECT_EQ(bpf_map__unpin(m, nullptr), 0) << bpf_map__name(m);
    }
  }
  EXPECT_FALSE(exists(dir + "/setters_hash"));
  EXPECT_FALSE(exists(dir + "/map_load_rodata"));
  rmdir(dir.c_str());
}

// A failing bpf_object__pin_maps() removes the pins it made, and only
// those: a pin made at load stays.
TEST_F(ObjectPin, FailedPinMapsKeepsEarlierPins) {
  ObjectPtr obj = open_maps_only("map_load");
  ASSERT_NE(obj, nullptr);
  bpf_map* hash = bpf_object__find_map_by_name(obj.get(), "setters_hash");
  bpf_map* retyped = bpf_object__find_map_by_name(obj.get(), "retyped");
  bpf_map* bloom = bpf_object__find_map_by_name(obj.get(), "bloom");
  ASSERT_TRUE(hash && retyped && bloom);
  // Maps in this order: setters_hash pinned at load, retyped pinned by the
  // call, bloom's pin impossible (not a BPF file system).
  ASSERT_EQ(bpf_map__set_pin_path(hash, fs.path("hash").c_str()), 0);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  ASSERT_TRUE(bpf_map__is_pinned(hash));
  ASSERT_EQ(bpf_map__set_pin_path(retyped, fs.path("retyped").c_str()), 0);
  ASSERT_EQ(bpf_map__set_pin_path(bloom, "/proc/self/bpfxx_bloom"), 0);
  {
    bpfxx::test::CapturePrint cap;
    EXPECT_EQ(bpf_object__pin_maps(obj.get(), nullptr), -EINVAL);
    EXPECT_NE(cap.text().find("map 'bloom'"), std::string::npos) << cap.text();
  }
  EXPECT_FALSE(exists(fs.path("retyped"))) << "the pin this call made is removed";
  EXPECT_FALSE(bpf_map__is_pinned(retyped));
  EXPECT_TRUE(exists(fs.path("hash"))) << "the pin made at load is not this call's to remove";
  EXPECT_TRUE(bpf_map__is_pinned(hash));
}

TEST_F(ObjectPin, ProgramPinNeedsALoadedProgram) {
  ObjectPtr obj = open_pinned("pin_shared");
  ASSERT_NE(obj, nullptr);
  bpf_program* prog = bpf_object__find_program_by_name(obj.get(), "count");
  ASSERT_NE(prog, nullptr);
  EXPECT_EQ(bpf_object__pin_programs(obj.get(), fs.dir().c_str()), -ENOENT) << "before load";
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  EXPECT_EQ(bpf_program__pin(prog, fs.path("count").c_str()), -EINVAL) << "autoload was off";
  EXPECT_EQ(bpf_program__unpin(prog, fs.path("count").c_str()), -EINVAL);
  EXPECT_EQ(bpf_object__pin_programs(obj.get(), fs.dir().c_str()), -EINVAL);
  EXPECT_FALSE(exists(fs.path("count")));
}

// Needs load_programs (being written): skips until programs load.
TEST_F(ObjectPin, ObjectPinAndUnpinWithPrograms) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = fs.dir().c_str());
  ObjectPtr obj = open_prog_object("pin_shared", &opts);
  ASSERT_NE(obj, nullptr);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  bpf_program* prog = bpf_object__find_program_by_name(obj.get(), "count");
  ASSERT_NE(prog, nullptr);
  if (bpf_program__fd(prog) < 0) GTEST_SKIP() << "programs are not loaded yet by bpf_object__load";

  ASSERT_EQ(bpf_program__pin(prog, fs.path("one_prog").c_str()), 0);
  EXPECT_TRUE(exists(fs.path("one_prog")));
  ASSERT_EQ(bpf_program__unpin(prog, fs.path("one_prog").c_str()), 0);
  EXPECT_FALSE(exists(fs.path("one_prog")));

  // shared_counts already has its own pin path: pinning all maps under
  // another directory refuses it, as in libbpf, and undoes what it pinned.
  const std::string dir = fs.path("obj");
  EXPECT_EQ(bpf_object__pin(obj.get(), dir.c_str()), -EINVAL);
  EXPECT_FALSE(exists(dir + "/private_scratch"));
  // Under the pin root it matches: everything lands there.
  ASSERT_EQ(bpf_object__pin(obj.get(), fs.dir().c_str()), 0);
  EXPECT_TRUE(exists(fs.path("count")));
  EXPECT_TRUE(exists(fs.path("private_scratch")));
  EXPECT_TRUE(exists(fs.path("shared_counts")));
  ASSERT_EQ(bpf_object__unpin(obj.get(), fs.dir().c_str()), 0);
  EXPECT_FALSE(exists(fs.path("count")));
  EXPECT_FALSE(exists(fs.path("private_scratch")));
  EXPECT_FALSE(exists(fs.path("shared_counts")));
}

}  // namespace
