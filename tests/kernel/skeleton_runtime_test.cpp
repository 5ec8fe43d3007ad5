// The skeleton runtime (bpf_object__*_skeleton, *_subskeleton) driven with
// skeleton structs built by hand the way generated headers build them:
// global data shared both ways through the data pointers (before load, and
// the same addresses live after it; .rodata read-only), programs attached
// into their link slots and skipped when their section names no target,
// struct_ops maps registered into the map link slots, the element-size
// convention (old 24-byte map entries, larger strides), subskeleton
// variables, and clean errors for malformed skeletons.
#include "object_support.h"
#include "struct_ops_support.h"

#include "sys/features.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bpfxx::test {
namespace {

struct MapSpec {
  const char* name;
  bpf_map** map;
  void** mmaped;
  bpf_link** link;
};
struct ProgSpec {
  const char* name;
  bpf_program** prog;
  bpf_link** link;
};

// Allocates count entries stride bytes apart, as generated code does
// (calloc), with the bytes past each entry's known members set to junk:
// the runtime must not read or write them.
void* alloc_entries(size_t count, int stride, size_t known) {
  char* p = static_cast<char*>(std::calloc(count == 0 ? 1 : count, static_cast<size_t>(stride)));
  for (size_t i = 0; i < count; i++)
    if (static_cast<size_t>(stride) > known)
      std::memset(p + i * static_cast<size_t>(stride) + known, 0xa5, static_cast<size_t>(stride) - known);
  return p;
}

// A skeleton over bytes (kept alive by the caller) with the given entries.
// map_sz below 32 leaves the link member out, like older generators.
bpf_object_skeleton* build_skeleton(const char* name, const std::vector<uint8_t>& bytes, bpf_object** obj,
                                    const std::vector<MapSpec>& maps, int map_sz, const std::vector<ProgSpec>& progs,
                                    int prog_sz) {
  auto* s = static_cast<bpf_object_skeleton*>(std::calloc(1, sizeof(bpf_object_skeleton)));
  s->sz = sizeof(*s);
  s->name = name;
  s->data = bytes.data();
  s->data_sz = bytes.size();
  s->obj = obj;
  const size_t map_known = std::min<size_t>(static_cast<size_t>(map_sz), sizeof(bpf_map_skeleton));
  s->map_cnt = static_cast<int>(maps.size());
  s->map_skel_sz = map_sz;
  s->maps = static_cast<bpf_map_skeleton*>(alloc_entries(maps.size(), map_sz, map_known));
  for (size_t i = 0; i < maps.size(); i++) {
    auto* e = reinterpret_cast<bpf_map_skeleton*>(reinterpret_cast<char*>(s->maps) + i * static_cast<size_t>(map_sz));
    e->name = maps[i].name;
    e->map = maps[i].map;
    e->mmaped = maps[i].mmaped;
    if (map_known >= sizeof(bpf_map_skeleton)) e->link = maps[i].link;
  }
  s->prog_cnt = static_cast<int>(progs.size());
  s->prog_skel_sz = prog_sz;
  s->progs = static_cast<bpf_prog_skeleton*>(alloc_entries(progs.size(), prog_sz, sizeof(bpf_prog_skeleton)));
  for (size_t i = 0; i < progs.size(); i++) {
    auto* e =
        reinterpret_cast<bpf_prog_skeleton*>(reinterpret_cast<char*>(s->progs) + i * static_cast<size_t>(prog_sz));
    e->name = progs[i].name;
    e->prog = progs[i].prog;
    e->link = progs[i].link;
  }
  return s;
}

struct SkeletonDeleter {
  void operator()(bpf_object_skeleton* s) const noexcept { bpf_object__destroy_skeleton(s); }
};
using SkeletonPtr = std::unique_ptr<bpf_object_skeleton, SkeletonDeleter>;

struct SubskeletonDeleter {
  void operator()(bpf_object_subskeleton* s) const noexcept { bpf_object__destroy_subskeleton(s); }
};
using SubskeletonPtr = std::unique_ptr<bpf_object_subskeleton, SubskeletonDeleter>;

// The permissions column of /proc/self/maps for the mapping holding addr
// ("r--s", "rw-s", ...); empty if none does.
std::string mapping_perms(const void* addr) {
  std::ifstream in("/proc/self/maps");
  std::string line;
  const auto a = reinterpret_cast<uintptr_t>(addr);
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string range, perms;
    ls >> range >> perms;
    const size_t dash = range.find('-');
    const uintptr_t lo = std::stoull(range.substr(0, dash), nullptr, 16);
    const uintptr_t hi = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (a >= lo && a < hi) return perms;
  }
  return {};
}

template <class T>
T& at(void* base, const GlobalVar& v) {
  return *reinterpret_cast<T*>(static_cast<char*>(base) + v.offset);
}

// skel_globals: maps and programs in the generated order.
struct GlobalsSkel {
  bpf_object* obj = nullptr;
  bpf_map* rodata = nullptr;
  bpf_map* data = nullptr;
  bpf_map* data_foo = nullptr;
  bpf_map* rodata_bar = nullptr;
  bpf_map* bss = nullptr;
  bpf_map* kconfig = nullptr;
  void* rodata_mm = nullptr;
  void* data_mm = nullptr;
  void* data_foo_mm = nullptr;
  void* rodata_bar_mm = nullptr;
  void* bss_mm = nullptr;
  void* kconfig_mm = nullptr;
  bpf_program* compute = nullptr;
  bpf_program* on_getpgid = nullptr;
  bpf_link* compute_link = nullptr;
  bpf_link* on_getpgid_link = nullptr;

  SkeletonPtr build(const std::vector<uint8_t>& bytes, int map_sz = sizeof(bpf_map_skeleton),
                    int prog_sz = sizeof(bpf_prog_skeleton)) {
    return SkeletonPtr(build_skeleton(
        "skel_globals", bytes, &obj,
        {{"skel_glo.rodata", &rodata, &rodata_mm, nullptr},
         {"skel_glo.data", &data, &data_mm, nullptr},
         {".data.foo", &data_foo, &data_foo_mm, nullptr},
         {".rodata.bar", &rodata_bar, &rodata_bar_mm, nullptr},
         {"skel_glo.bss", &bss, &bss_mm, nullptr},
         {"skel_gl.kconfig", &kconfig, &kconfig_mm, nullptr}},
        map_sz, {{"compute", &compute, &compute_link}, {"on_getpgid", &on_getpgid, &on_getpgid_link}}, prog_sz));
  }
};

TEST(SkeletonRuntime, GlobalsTravelBothWaysAndProgramsAttach) {
  const std::vector<uint8_t> bytes = prog_bytes("skel_globals");
  const GlobalVar ro_factor = find_global(bytes, "ro_factor"), target = find_global(bytes, "target_tgid");
  const GlobalVar data_add = find_global(bytes, "data_add"), data_runs = find_global(bytes, "data_runs");
  const GlobalVar foo = find_global(bytes, "foo_val"), bar = find_global(bytes, "bar_val");
  const GlobalVar result = find_global(bytes, "bss_result"), hits = find_global(bytes, "bss_hits");
  GlobalsSkel k;
  SkeletonPtr s = k.build(bytes);
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0) << std::strerror(errno);
  ASSERT_NE(k.obj, nullptr);
  EXPECT_STREQ(bpf_object__name(k.obj), "skel_globals") << "the object takes the skeleton's name";
  for (bpf_map* m : {k.rodata, k.data, k.data_foo, k.rodata_bar, k.bss, k.kconfig}) ASSERT_NE(m, nullptr);
  ASSERT_NE(k.compute, nullptr);
  ASSERT_NE(k.on_getpgid, nullptr);
  // Before load: each data pointer is the map's initial value; .kconfig's
  // stays unset (load fills it from the kernel).
  EXPECT_EQ(k.rodata_mm, bpf_map__initial_value(k.rodata, nullptr));
  EXPECT_EQ(k.data_mm, bpf_map__initial_value(k.data, nullptr));
  EXPECT_EQ(k.bss_mm, bpf_map__initial_value(k.bss, nullptr));
  EXPECT_EQ(k.kconfig_mm, nullptr);
  ASSERT_NE(k.data_foo_mm, nullptr);
  ASSERT_NE(k.rodata_bar_mm, nullptr);
  EXPECT_EQ(at<__u32>(k.rodata_mm, ro_factor), 2u) << "the object's initial values";
  EXPECT_EQ(at<__u32>(k.rodata_bar_mm, bar), 11u);
  at<__u32>(k.rodata_mm, ro_factor) = 3;
  at<__u32>(k.rodata_mm, target) = static_cast<__u32>(getpid());
  at<__u32>(k.data_mm, data_add) = 10;
  at<__u32>(k.data_foo_mm, foo) = 20;
  void* const data_before = k.data_mm;
  void* const rodata_before = k.rodata_mm;

  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  EXPECT_EQ(k.data_mm, data_before) << "libbpf 1.8: global data keeps its address across load";
  EXPECT_EQ(k.rodata_mm, rodata_before);
  ASSERT_NE(k.kconfig_mm, nullptr) << ".kconfig is exposed after load";
  EXPECT_EQ(mapping_perms(k.rodata_mm), "r--s") << ".rodata is the frozen map's memory, read-only";
  EXPECT_EQ(mapping_perms(k.kconfig_mm), "r--s");
  EXPECT_EQ(mapping_perms(k.data_mm), "rw-s") << ".data is the map's memory";
  EXPECT_EQ(mapping_perms(k.bss_mm), "rw-s");

  __u32 retval = 0;
  ASSERT_EQ(test_run(k.compute, &retval), 0);
  EXPECT_EQ(at<__u32>(k.bss_mm, result), 3u * 10u + 20u + 11u) << "the program saw the values set before load";
  EXPECT_EQ(at<__u64>(k.data_mm, data_runs), 101u) << "and user space sees what it wrote, without a lookup";
  EXPECT_EQ(at<__u32>(k.data_foo_mm, foo), 21u);
  // User space writes after load reach the program too.
  at<__u32>(k.data_mm, data_add) = 100;
  ASSERT_EQ(test_run(k.compute, &retval), 0);
  EXPECT_EQ(at<__u32>(k.bss_mm, result), 3u * 100u + 21u + 11u);

  ASSERT_EQ(bpf_object__attach_skeleton(s.get()), 0);
  EXPECT_EQ(k.compute_link, nullptr) << "SEC(\"xdp\") names no target: skipped";
  ASSERT_NE(k.on_getpgid_link, nullptr);
  for (int i = 0; i < 3; i++) (void)getpgid(0);
  const __u32 seen = at<__u32>(k.bss_mm, hits);
  EXPECT_GE(seen, 3u) << "the tracepoint program runs once attached";
  // A slot that already holds a link is left alone by a second attach.
  bpf_link* const first = k.on_getpgid_link;
  ASSERT_EQ(bpf_object__attach_skeleton(s.get()), 0);
  EXPECT_EQ(k.on_getpgid_link, first);

  bpf_object__detach_skeleton(s.get());
  EXPECT_EQ(k.on_getpgid_link, nullptr);
  const __u32 after_detach = at<__u32>(k.bss_mm, hits);
  for (int i = 0; i < 3; i++) (void)getpgid(0);
  EXPECT_EQ(at<__u32>(k.bss_mm, hits), after_detach) << "detached: no more counting";
}

TEST(SkeletonRuntime, KconfigPointerShowsTheKernelsValues) {
  const std::vector<uint8_t> bytes = prog_bytes("skel_globals");
  GlobalsSkel k;
  SkeletonPtr s = k.build(bytes);
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  ASSERT_NE(k.kconfig_mm, nullptr);
  __u32 retval = 0;
  ASSERT_EQ(test_run(k.compute, &retval), 0);
  // The program copied LINUX_KERNEL_VERSION and CONFIG_HZ into .bss; the
  // same values are in the .kconfig memory (found through its BTF).
  const GlobalVar kver = find_global(bytes, "bss_kver"), hz = find_global(bytes, "bss_hz");
  const __u32 prog_kver = at<__u32>(k.bss_mm, kver), prog_hz = at<__u32>(k.bss_mm, hz);
  EXPECT_NE(prog_kver, 0u);
  EXPECT_GT(prog_hz, 0u);
  const struct btf* b = bpf_object__btf(k.obj);
  const int sec = btf__find_by_name_kind(b, ".kconfig", BTF_KIND_DATASEC);
  ASSERT_GT(sec, 0);
  const btf_type* t = btf__type_by_id(b, static_cast<__u32>(sec));
  int found = 0;
  for (int i = 0; i < btf_vlen(t); i++) {
    const btf_var_secinfo& v = btf_var_secinfos(t)[i];
    const std::string name = btf__name_by_offset(b, btf__type_by_id(b, v.type)->name_off);
    const __u32 value = *reinterpret_cast<const __u32*>(static_cast<char*>(k.kconfig_mm) + v.offset);
    if (name == "LINUX_KERNEL_VERSION") {
      EXPECT_EQ(value, prog_kver);
      found++;
    }
    if (name == "CONFIG_HZ") {
      EXPECT_EQ(value, prog_hz);
      found++;
    }
  }
  EXPECT_EQ(found, 2);
}

TEST(SkeletonRuntime, OpenOptionsReachTheObject) {
  // The kconfig open option overrides the kernel's value: seen through
  // the .kconfig pointer and by the program.
  const std::vector<uint8_t> bytes = prog_bytes("skel_globals");
  GlobalsSkel k;
  SkeletonPtr s = k.build(bytes);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .kconfig = "CONFIG_HZ=321\n");
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), &opts), 0);
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  __u32 retval = 0;
  ASSERT_EQ(test_run(k.compute, &retval), 0);
  EXPECT_EQ(at<__u32>(k.bss_mm, find_global(bytes, "bss_hz")), 321u);
}

// skel_many with libbpf 1.1's 24-byte map entries and 40-byte program
// entries (junk past the known members).
TEST(SkeletonRuntime, EntrySizesFollowTheSkeletonNotSizeof) {
  const std::vector<uint8_t> bytes = prog_bytes("skel_many");
  const GlobalVar target = find_global(bytes, "target_tgid");
  bpf_object* obj = nullptr;
  bpf_map* maps[8] = {};
  void* rodata_mm = nullptr;
  void* bss_mm = nullptr;
  const char* map_names[8] = {"by_tgid", "counts",          "lru",         "percpu", "events",
                              "jumps",   "skel_man.rodata", "skel_man.bss"};
  const char* prog_names[7] = {"tp_getpgid",       "tp_getppid", "raw_enter",  "not_loaded",
                               "uprobe_no_target", "xdp_count",  "sock_filter"};
  bpf_program* progs[7] = {};
  bpf_link* links[7] = {};
  std::vector<MapSpec> ms;
  for (int i = 0; i < 8; i++)
    ms.push_back({map_names[i], &maps[i], i == 6 ? &rodata_mm : (i == 7 ? &bss_mm : nullptr), nullptr});
  std::vector<ProgSpec> ps;
  for (int i = 0; i < 7; i++) ps.push_back({prog_names[i], &progs[i], &links[i]});
  SkeletonPtr s(build_skeleton("skel_many", bytes, &obj, ms, 24, ps, 40));
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  for (int i = 0; i < 8; i++) EXPECT_NE(maps[i], nullptr) << map_names[i];
  for (int i = 0; i < 7; i++) EXPECT_NE(progs[i], nullptr) << prog_names[i];
  ASSERT_NE(rodata_mm, nullptr);
  ASSERT_NE(bss_mm, nullptr);
  EXPECT_FALSE(bpf_program__autoload(progs[3])) << "SEC(\"?...\")";
  at<__u32>(rodata_mm, target) = static_cast<__u32>(getpid());
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  for (int i = 0; i < 8; i++) EXPECT_GE(bpf_map__fd(maps[i]), 0) << map_names[i];
  ASSERT_EQ(bpf_object__attach_skeleton(s.get()), 0);
  EXPECT_NE(links[0], nullptr);
  EXPECT_NE(links[1], nullptr);
  EXPECT_NE(links[2], nullptr);
  EXPECT_EQ(links[3], nullptr) << "not loaded: not attached";
  EXPECT_EQ(links[4], nullptr) << "uprobe without a target: skipped";
  EXPECT_EQ(links[5], nullptr) << "xdp: skipped";
  EXPECT_EQ(links[6], nullptr) << "socket: skipped";
  for (int i = 0; i < 2; i++) {
    (void)getpgid(0);
    (void)getppid();
  }
  const int counts_fd = bpf_map__fd(maps[1]);
  for (__u32 slot : {0u, 1u, 2u}) {
    __u64 v = 0;
    ASSERT_EQ(bpf_map_lookup_elem(counts_fd, &slot, &v), 0);
    EXPECT_GE(v, 2u) << "slot " << slot;
  }
  __u32 key = static_cast<__u32>(getpid());
  __u64 one = 0;
  EXPECT_EQ(bpf_map_lookup_elem(bpf_map__fd(maps[0]), &key, &one), 0) << "tp_getpgid wrote its hash entry";
  bpf_object__detach_skeleton(s.get());
  for (bpf_link* l : links) EXPECT_EQ(l, nullptr);
}

struct StructOpsSkel {
  bpf_object* obj = nullptr;
  bpf_map* bss = nullptr;
  bpf_map* cc_plain = nullptr;
  bpf_map* cc_link = nullptr;
  void* bss_mm = nullptr;
  bpf_link* plain_link = nullptr;
  bpf_link* link_link = nullptr;
  bpf_program* progs[4] = {};
  bpf_link* prog_links[4] = {};

  SkeletonPtr build(const std::vector<uint8_t>& bytes, int map_sz) {
    return SkeletonPtr(build_skeleton("skel_struct_ops", bytes, &obj,
                                      {{"skel_str.bss", &bss, &bss_mm, nullptr},
                                       {"cc_plain", &cc_plain, nullptr, &plain_link},
                                       {"cc_link", &cc_link, nullptr, &link_link}},
                                      map_sz,
                                      {{"skel_init", &progs[0], &prog_links[0]},
                                       {"skel_ssthresh", &progs[1], &prog_links[1]},
                                       {"skel_cong_avoid", &progs[2], &prog_links[2]},
                                       {"skel_undo_cwnd", &progs[3], &prog_links[3]}},
                                      sizeof(bpf_prog_skeleton)));
  }
};

// The shadow of a struct_ops map of skel_struct_ops: four function
// pointers, then the name.
void rename_cc(bpf_map* map, const std::string& name) {
  size_t size = 0;
  char* shadow = static_cast<char*>(bpf_map__initial_value(map, &size));
  ASSERT_NE(shadow, nullptr);
  ASSERT_GE(size, 4 * sizeof(void*) + 16);
  std::memset(shadow + 4 * sizeof(void*), 0, 16);
  std::memcpy(shadow + 4 * sizeof(void*), name.data(), std::min<size_t>(name.size(), 15));
}

std::string unique_cc(const char* what) { return std::string("sk") + what + std::to_string(getpid() % 1000000); }

TEST(SkeletonRuntime, StructOpsMapsAreRegisteredIntoTheirLinkSlots) {
  if (!kernel_has_struct_ops_links()) GTEST_SKIP() << kNoStructOpsLinks;
  const std::vector<uint8_t> bytes = prog_bytes("skel_struct_ops");
  const GlobalVar init_calls = find_global(bytes, "init_calls");
  StructOpsSkel k;
  SkeletonPtr s = k.build(bytes, sizeof(bpf_map_skeleton));
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  const std::string plain = unique_cc("p"), linked = unique_cc("l");
  rename_cc(k.cc_plain, plain);
  rename_cc(k.cc_link, linked);
  ASSERT_FALSE(cc_available(plain));
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  ASSERT_EQ(bpf_object__attach_skeleton(s.get()), 0);
  ASSERT_NE(k.plain_link, nullptr);
  ASSERT_NE(k.link_link, nullptr);
  for (bpf_link* l : k.prog_links) EXPECT_EQ(l, nullptr) << "struct_ops programs run through their maps";
  EXPECT_TRUE(cc_available(plain));
  EXPECT_TRUE(cc_available(linked));
  EXPECT_GT(tcp_transfer(linked, 1 << 16), 0);
  EXPECT_GT(at<__u64>(k.bss_mm, init_calls), 0u) << "the algorithm ran, seen through the .bss pointer";
  bpf_object__detach_skeleton(s.get());
  EXPECT_EQ(k.plain_link, nullptr);
  EXPECT_EQ(k.link_link, nullptr);
  EXPECT_FALSE(cc_available(plain)) << "detach unregisters";
  EXPECT_FALSE(cc_available(linked));
}

TEST(SkeletonRuntime, OldMapEntriesLeaveStructOpsToTheUser) {
  if (!kernel_has_struct_ops_links()) GTEST_SKIP() << kNoStructOpsLinks;
  const std::vector<uint8_t> bytes = prog_bytes("skel_struct_ops");
  StructOpsSkel k;
  SkeletonPtr s = k.build(bytes, 24);
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  const std::string plain = unique_cc("o"), linked = unique_cc("m");
  rename_cc(k.cc_plain, plain);
  rename_cc(k.cc_link, linked);
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  FullPrintCapture cap;
  ASSERT_EQ(bpf_object__attach_skeleton(s.get()), 0);
  EXPECT_NE(cap.text().find("map 'cc_plain': the skeleton has no link slot"), std::string::npos) << cap.text();
  EXPECT_FALSE(cc_available(plain)) << "nowhere to keep a link: not registered";
  LinkPtr link(bpf_map__attach_struct_ops(k.cc_plain));
  ASSERT_TRUE(link) << std::strerror(errno);
  EXPECT_TRUE(cc_available(plain));
  link.reset();
  EXPECT_FALSE(cc_available(plain));
}

// The arena skeleton below, or (without arena maps) its clean error.
SkeletonPtr arena_skeleton(const std::vector<uint8_t>& bytes, bpf_object** obj, bpf_map** arena, bpf_map** bss,
                           void** arena_mm, void** bss_mm, bpf_program** prog, bpf_link** link) {
  return SkeletonPtr(build_skeleton(
      "arena_globals", bytes, obj, {{"arena", arena, arena_mm, nullptr}, {"arena_gl.bss", bss, bss_mm, nullptr}},
      sizeof(bpf_map_skeleton), {{"read_globals", prog, link}}, sizeof(bpf_prog_skeleton)));
}

TEST(SkeletonRuntime, ArenaLoadFailureWithoutArenaMapsNamesTheMap) {
  if (bpfxx::sys::has_feature(bpfxx::sys::Feature::ArenaMap))
    GTEST_SKIP() << "the kernel has BPF arena maps: the positive test covers "
                    "the skeleton";
  const std::vector<uint8_t> bytes = prog_bytes("arena_globals");
  bpf_object* obj = nullptr;
  bpf_map *arena = nullptr, *bss = nullptr;
  void *arena_mm = nullptr, *bss_mm = nullptr;
  bpf_program* prog = nullptr;
  bpf_link* link = nullptr;
  SkeletonPtr s = arena_skeleton(bytes, &obj, &arena, &bss, &arena_mm, &bss_mm, &prog, &link);
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  EXPECT_NE(arena_mm, nullptr) << "the globals' initial copy is there before load";
  FullPrintCapture cap;
  EXPECT_LT(bpf_object__load_skeleton(s.get()), 0);
  EXPECT_NE(cap.text().find("map 'arena'"), std::string::npos) << cap.text();
  EXPECT_NE(cap.text().find("skeleton 'arena_globals': loading its object failed"), std::string::npos) << cap.text();
}

TEST(SkeletonRuntime, ArenaPointerIsTheGlobalsInsideTheArena) {
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::ArenaMap))
    GTEST_SKIP() << "the kernel has no BPF arena maps (feature probe arena_map said no)";
  const std::vector<uint8_t> bytes = prog_bytes("arena_globals");
  bpf_object* obj = nullptr;
  bpf_map* arena = nullptr;
  bpf_map* bss = nullptr;
  void* arena_mm = nullptr;
  void* bss_mm = nullptr;
  bpf_program* prog = nullptr;
  bpf_link* link = nullptr;
  SkeletonPtr s = arena_skeleton(bytes, &obj, &arena, &bss, &arena_mm, &bss_mm, &prog, &link);
  ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
  ASSERT_NE(arena_mm, nullptr) << "the globals' initial copy before load";
  EXPECT_EQ(*static_cast<int*>(arena_mm), 42) << "counter = 42 (the first arena global)";
  *static_cast<int*>(arena_mm) = 1000;
  ASSERT_EQ(bpf_object__load_skeleton(s.get()), 0);
  ASSERT_NE(arena_mm, nullptr);
  size_t size = 0;
  char* start = static_cast<char*>(bpf_map__initial_value(arena, &size));
  ASSERT_NE(start, nullptr);
  const size_t arena_bytes = size_t{bpf_map__max_entries(arena)} * static_cast<size_t>(getpagesize());
  EXPECT_GE(static_cast<char*>(arena_mm), start);
  EXPECT_LT(static_cast<char*>(arena_mm), start + arena_bytes) << "inside the mapped arena";
  EXPECT_EQ(*static_cast<int*>(arena_mm), 1000) << "the value set before load was copied in";
  LIBBPF_OPTS(bpf_test_run_opts, run);
  ASSERT_EQ(bpf_prog_test_run_opts(bpf_program__fd(prog), &run), 0);
  EXPECT_EQ(*static_cast<int*>(arena_mm), 1001) << "the program's write, seen through the pointer";
  const GlobalVar seen = find_global(bytes, "seen_counter");
  EXPECT_EQ(at<__u32>(bss_mm, seen), 1000u);
}

TEST(SkeletonRuntime, SubskeletonFindsVariablesThatStayValidAcrossLoad) {
  ObjectPtr obj = open_prog_object("skel_globals");
  ASSERT_TRUE(obj);
  bpf_map* rodata = nullptr;
  bpf_map* data = nullptr;
  bpf_map* bss = nullptr;
  bpf_map* kconfig = nullptr;
  void* rodata_mm = nullptr;
  bpf_program* compute = nullptr;
  __u32* ro_factor = nullptr;
  __u32* data_add = nullptr;
  __u32* result = nullptr;
  int* kver = nullptr;
  auto* s = static_cast<bpf_object_subskeleton*>(std::calloc(1, sizeof(bpf_object_subskeleton)));
  s->sz = sizeof(*s);
  s->obj = obj.get();
  s->map_cnt = 4;
  s->map_skel_sz = 24;  // generators write subskeleton map entries without the link member
  s->maps = static_cast<bpf_map_skeleton*>(alloc_entries(4, 24, 24));
  const MapSpec ms[4] = {{".rodata", &rodata, &rodata_mm, nullptr},
                         {".data", &data, nullptr, nullptr},
                         {".bss", &bss, nullptr, nullptr},
                         {".kconfig", &kconfig, nullptr, nullptr}};
  for (int i = 0; i < 4; i++) {
    auto* e = reinterpret_cast<bpf_map_skeleton*>(reinterpret_cast<char*>(s->maps) + i * 24);
    e->name = ms[i].name;
    e->map = ms[i].map;
    e->mmaped = ms[i].mmaped;
  }
  s->prog_cnt = 1;
  s->prog_skel_sz = sizeof(bpf_prog_skeleton);
  s->progs = static_cast<bpf_prog_skeleton*>(std::calloc(1, sizeof(bpf_prog_skeleton)));
  s->progs[0].name = "compute";
  s->progs[0].prog = &compute;
  s->var_cnt = 4;
  s->var_skel_sz = sizeof(bpf_var_skeleton);
  s->vars = static_cast<bpf_var_skeleton*>(std::calloc(4, sizeof(bpf_var_skeleton)));
  s->vars[0] = {"ro_factor", &rodata, reinterpret_cast<void**>(&ro_factor)};
  s->vars[1] = {"data_add", &data, reinterpret_cast<void**>(&data_add)};
  s->vars[2] = {"bss_result", &bss, reinterpret_cast<void**>(&result)};
  s->vars[3] = {"LINUX_KERNEL_VERSION", &kconfig, reinterpret_cast<void**>(&kver)};
  SubskeletonPtr sub(s);
  ASSERT_EQ(bpf_object__open_subskeleton(s), 0);
  ASSERT_NE(compute, nullptr);
  ASSERT_NE(ro_factor, nullptr);
  ASSERT_NE(data_add, nullptr);
  ASSERT_NE(result, nullptr);
  ASSERT_NE(kver, nullptr);
  EXPECT_EQ(rodata_mm, bpf_map__initial_value(rodata, nullptr));
  const std::vector<uint8_t> bytes = prog_bytes("skel_globals");
  EXPECT_EQ(reinterpret_cast<char*>(ro_factor),
            static_cast<char*>(bpf_map__initial_value(rodata, nullptr)) + find_global(bytes, "ro_factor").offset);
  EXPECT_EQ(*ro_factor, 2u);
  *ro_factor = 4;
  *data_add = 6;
  ASSERT_EQ(bpf_object__load(obj.get()), 0);
  __u32 retval = 0;
  ASSERT_EQ(test_run(compute, &retval), 0);
  EXPECT_EQ(*result, 4u * 6u + 7u + 11u) << "the addresses found before load are the live memory after it";
  EXPECT_NE(*kver, 0);
}

TEST(SkeletonRuntime, SubskeletonErrorsNameWhatIsMissing) {
  ObjectPtr obj = open_prog_object("skel_globals");
  ASSERT_TRUE(obj);
  bpf_map* bss = nullptr;
  void* addr = nullptr;
  auto make = [&](const char* var, bool with_map) {
    auto* s = static_cast<bpf_object_subskeleton*>(std::calloc(1, sizeof(bpf_object_subskeleton)));
    s->sz = sizeof(*s);
    s->obj = obj.get();
    s->map_cnt = with_map ? 1 : 0;
    s->map_skel_sz = 24;
    s->maps = static_cast<bpf_map_skeleton*>(std::calloc(1, sizeof(bpf_map_skeleton)));
    s->maps[0].name = ".bss";
    s->maps[0].map = &bss;
    s->var_cnt = 1;
    s->var_skel_sz = sizeof(bpf_var_skeleton);
    s->vars = static_cast<bpf_var_skeleton*>(std::calloc(1, sizeof(bpf_var_skeleton)));
    s->vars[0] = {var, &bss, &addr};
    return SubskeletonPtr(s);
  };
  {
    FullPrintCapture cap;
    SubskeletonPtr s = make("no_such_var", true);
    EXPECT_EQ(bpf_object__open_subskeleton(s.get()), -ESRCH);
    EXPECT_EQ(errno, ESRCH);
    EXPECT_NE(cap.text().find("has no variable 'no_such_var'"), std::string::npos) << cap.text();
  }
  {
    bss = nullptr;
    FullPrintCapture cap;
    SubskeletonPtr s = make("bss_result", false);
    EXPECT_EQ(bpf_object__open_subskeleton(s.get()), -EINVAL);
    EXPECT_NE(cap.text().find("variable 'bss_result': its map slot is empty"), std::string::npos) << cap.text();
  }
  {
    SubskeletonPtr s = make("bss_result", true);
    s->obj = nullptr;
    EXPECT_EQ(bpf_object__open_subskeleton(s.get()), -EINVAL);
    s->obj = obj.get();
    s->var_skel_sz = 8;
    EXPECT_EQ(bpf_object__open_subskeleton(s.get()), -EINVAL);
  }
  EXPECT_EQ(bpf_object__open_subskeleton(nullptr), -EINVAL);
  bpf_object__destroy_subskeleton(nullptr);
}

TEST(SkeletonRuntime, MalformedSkeletonsAreRefusedWithAMessage) {
  const std::vector<uint8_t> bytes = prog_bytes("skel_globals");
  EXPECT_EQ(bpf_object__open_skeleton(nullptr, nullptr), -EINVAL);
  EXPECT_EQ(bpf_object__load_skeleton(nullptr), -EINVAL);
  EXPECT_EQ(bpf_object__attach_skeleton(nullptr), -EINVAL);
  bpf_object__detach_skeleton(nullptr);
  bpf_object__destroy_skeleton(nullptr);

  struct Case {
    const char* what;
    void (*spoil)(bpf_object_skeleton*);
    int want;
    const char* message;
  };
  const Case cases[] = {
      {"sz", [](bpf_object_skeleton* s) { s->sz = 16; }, -EINVAL, "sz is 16"},
      {"data", [](bpf_object_skeleton* s) { s->data = nullptr; }, -EINVAL, "has no object bytes"},
      {"obj slot", [](bpf_object_skeleton* s) { s->obj = nullptr; }, -EINVAL, "has no object slot"},
      {"map_skel_sz", [](bpf_object_skeleton* s) { s->map_skel_sz = 8; }, -EINVAL, "map_skel_sz is 8"},
      {"prog_cnt", [](bpf_object_skeleton* s) { s->prog_cnt = -1; }, -EINVAL, "prog_cnt is -1"},
      {"maps",
       [](bpf_object_skeleton* s) {
         std::free(s->maps);
         s->maps = nullptr;
       },
       -EINVAL, "the maps array is NULL"},
      {"map name", [](bpf_object_skeleton* s) { s->maps[2].name = "no_such_map"; }, -ESRCH,
       "map 'no_such_map' is not in object 'skel_globals'"},
      {"prog name", [](bpf_object_skeleton* s) { s->progs[1].name = "no_such_prog"; }, -ESRCH,
       "program 'no_such_prog' is not in object"},
      {"map slot", [](bpf_object_skeleton* s) { s->maps[0].map = nullptr; }, -EINVAL, "map entry #0 has no map slot"},
      {"bytes", [](bpf_object_skeleton* s) { s->data_sz = 40; }, -LIBBPF_ERRNO__FORMAT, "opening its object failed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    GlobalsSkel k;
    SkeletonPtr s = k.build(bytes);
    c.spoil(s.get());
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__open_skeleton(s.get(), nullptr), c.want);
    EXPECT_EQ(errno, -c.want);
    EXPECT_NE(cap.text().find(c.message), std::string::npos) << cap.text();
    EXPECT_NE(cap.text().find("skeleton 'skel_globals'"), std::string::npos) << cap.text();
    // Destroy (at scope end) closes whatever the open left in *obj.
  }
  {
    // Load or attach before open.
    GlobalsSkel k;
    SkeletonPtr s = k.build(bytes);
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__load_skeleton(s.get()), -EINVAL);
    EXPECT_EQ(bpf_object__attach_skeleton(s.get()), -EINVAL);
    EXPECT_NE(cap.text().find("is not open"), std::string::npos) << cap.text();
  }
  {
    // Options with unknown non-zero bytes are refused like
    // bpf_object__open_mem's.
    GlobalsSkel k;
    SkeletonPtr s = k.build(bytes);
    struct {
      bpf_object_open_opts opts;
      char tail[8];
    } big;
    std::memset(&big, 0, sizeof big);
    big.opts.sz = sizeof big;
    big.tail[3] = 1;
    EXPECT_EQ(bpf_object__open_skeleton(s.get(), &big.opts), -EINVAL);
    EXPECT_EQ(k.obj, nullptr);
  }
  {
    // The options may rename the object (internal maps then carry the new
    // prefix, so the skeleton's names no longer match: -ESRCH, as libbpf).
    GlobalsSkel k;
    SkeletonPtr s = k.build(bytes);
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "renamed");
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__open_skeleton(s.get(), &opts), -ESRCH);
    ASSERT_NE(k.obj, nullptr);
    EXPECT_STREQ(bpf_object__name(k.obj), "renamed");
  }
  {
    // A load failure is reported and the skeleton still destroys cleanly.
    GlobalsSkel k;
    SkeletonPtr s = k.build(bytes);
    ASSERT_EQ(bpf_object__open_skeleton(s.get(), nullptr), 0);
    // A tracing program without an attach target cannot load.
    ASSERT_EQ(bpf_program__set_type(k.compute, BPF_PROG_TYPE_TRACING), 0);
    ASSERT_EQ(bpf_program__set_expected_attach_type(k.compute, BPF_TRACE_FENTRY), 0);
    FullPrintCapture cap;
    EXPECT_LT(bpf_object__load_skeleton(s.get()), 0);
    EXPECT_NE(cap.text().find("skeleton 'skel_globals': loading its object failed"), std::string::npos) << cap.text();
  }
}

}  // namespace
}  // namespace bpfxx::test
