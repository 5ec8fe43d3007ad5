// BPF arena through the object loader, on the running kernel: a linked
// list built by a BPF program in the arena and walked natively by user
// space (and changed there, seen by BPF again); `.addr_space.1` globals
// that keep their C initial values and user writes made before load; a
// global function taking an __arg_arena pointer; map_extra placing the
// arena; and no mapping left behind by close or a failed load.
#include <bpf/btf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "object_support.h"
#include "sys/features.h"

namespace bpfxx::test {
namespace {

#define SKIP_WITHOUT_ARENA()                                                              \
  do {                                                                                    \
    if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::ArenaMap))                          \
      GTEST_SKIP() << "the kernel has no BPF arena maps (feature probe arena_map said no)"; \
  } while (0)

// Mirrors struct node of arena_list.bpf.c: the pointers are user addresses.
struct Node {
  Node* next;
  uint64_t value;
};

int run(const bpf_program* prog, __u32* retval) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  const int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
  *retval = opts.retval;
  return err;
}

size_t page() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

// Where libbpf 1.8 puts the globals: the last pages of the arena where the
// verifier takes map-value offsets that far, else offset 0.
size_t globals_offset(const bpf_map* arena, size_t globals_size) {
  if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::Ldimm64FullRangeOff)) return 0;
  const size_t size = static_cast<size_t>(bpf_map__max_entries(arena)) * page();
  return size - (globals_size + page() - 1) / page() * page();
}

// Whether [addr, addr + len) is mapped in this process.
bool is_mapped(const void* addr, size_t len) {
  std::vector<unsigned char> vec(len / page() + 1);
  return mincore(const_cast<void*>(addr), len, vec.data()) == 0;
}

template <typename T>
T& at(void* base, size_t off) {
  return *reinterpret_cast<T*>(static_cast<char*>(base) + off);
}

// Every test needs arena maps. Messages are captured whole for the load
// errors; most tests open arena_globals and work on its arena map.
class ObjectArena : public ::testing::Test {
 protected:
  void SetUp() override { SKIP_WITHOUT_ARENA(); }

  // Opens arena_globals (not loaded) into obj_ and finds its arena map.
  void open_globals() {
    obj_ = open_prog_object("arena_globals");
    ASSERT_NE(obj_, nullptr);
    arena_ = bpf_object__find_map_by_name(obj_.get(), "arena");
    ASSERT_NE(arena_, nullptr);
  }

  // Runs read_globals, which copies counter to seen_counter and bumps it:
  // BPF must read `value` through the arena at base + goff and leave
  // value + 1 there.
  void expect_bpf_reads_and_bumps_counter(void* base, size_t goff, const GlobalVar& counter,
                                          const GlobalVar& seen_counter, int value) {
    EXPECT_EQ(at<int>(base, goff + counter.offset), value) << "before the program runs";
    __u32 ret = 1;
    ASSERT_EQ(run(must_find_program(obj_.get(), "read_globals"), &ret), 0);
    EXPECT_EQ(read_initial<__u32>(obj_.get(), seen_counter), static_cast<__u32>(value)) << "what BPF read";
    EXPECT_EQ(at<int>(base, goff + counter.offset), value + 1) << "BPF's write, seen through the mapping";
  }

  FullPrintCapture cap;
  ObjectPtr obj_;
  bpf_map* arena_ = nullptr;
};

TEST_F(ObjectArena, ListBuiltByBpfWalkedNativelyAndChangedFromUserSpace) {
  const std::vector<uint8_t> elf = prog_bytes("arena_list");
  const GlobalVar head_var = find_global(elf, "head");
  const GlobalVar built_var = find_global(elf, "built");
  ASSERT_EQ(head_var.section, ".addr_space.1");
  ASSERT_EQ(built_var.section, ".addr_space.1");
  const GlobalVar last_sum_var = find_global(elf, "last_sum");

  ObjectPtr obj = open_prog_object("arena_list");
  ASSERT_NE(obj, nullptr);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << cap.text();
  bpf_map* arena = bpf_object__find_map_by_name(obj.get(), "arena");
  ASSERT_NE(arena, nullptr);
  size_t globals_size = 0;
  void* base = bpf_map__initial_value(arena, &globals_size);
  ASSERT_NE(base, nullptr) << "the arena must be mapped after load";
  EXPECT_EQ(globals_size, 16u);
  const size_t arena_size = bpf_map__max_entries(arena) * page();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base) % page(), 0u);
  // The arena never crosses a 4 GiB boundary: arena pointers are 32-bit offsets.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base) >> 32, (reinterpret_cast<uintptr_t>(base) + arena_size - 1) >> 32);
  const size_t goff = globals_offset(arena, globals_size);
  EXPECT_EQ(at<Node*>(base, goff + head_var.offset), nullptr);

  __u32 ret = 0;
  ASSERT_EQ(run(must_find_program(obj.get(), "build"), &ret), 0);
  ASSERT_EQ(ret, 0u) << "bpf_arena_alloc_pages failed in the program";
  EXPECT_EQ(at<uint64_t>(base, goff + built_var.offset), 5u);

  // Walk the list natively: BPF stored user addresses inside our mapping.
  auto in_arena = [&](const Node* n) {
    const auto p = reinterpret_cast<uintptr_t>(n), b = reinterpret_cast<uintptr_t>(base);
    return p >= b && p + sizeof(Node) <= b + arena_size;
  };
  std::vector<uint64_t> values;
  for (Node* n = at<Node*>(base, goff + head_var.offset); n != nullptr && values.size() < 64; n = n->next) {
    ASSERT_TRUE(in_arena(n)) << "node pointer " << n << " outside the arena at " << base;
    values.push_back(n->value);
    n->value *= 10;  // seen by BPF below
  }
  EXPECT_EQ(values, (std::vector<uint64_t>{1, 2, 3, 4, 5}));

  const bpf_program* sum = must_find_program(obj.get(), "sum");
  ASSERT_EQ(run(sum, &ret), 0);
  EXPECT_EQ(ret, 150u);
  EXPECT_EQ(read_initial<uint64_t>(obj.get(), last_sum_var), 150u);

  // Unlink the third node from user space: BPF follows our pointer.
  Node* second = at<Node*>(base, goff + head_var.offset)->next;
  second->next = second->next->next;
  ASSERT_EQ(run(sum, &ret), 0);
  EXPECT_EQ(ret, 120u);

  // Close drops the mapping.
  obj.reset();
  EXPECT_FALSE(is_mapped(base, arena_size)) << "arena still mapped after close";
}

TEST_F(ObjectArena, ArgArenaGlobalFunctionVerifiesAndWorks) {
  ObjectPtr obj = open_prog_object("arena_list");
  ASSERT_NE(obj, nullptr);
  // The decl tag is in the object's BTF, on list_sum's first argument.
  const btf* b = bpf_object__btf(obj.get());
  ASSERT_NE(b, nullptr);
  const int fn = btf__find_by_name_kind(b, "list_sum", BTF_KIND_FUNC);
  ASSERT_GT(fn, 0);
  EXPECT_EQ(btf_vlen(btf__type_by_id(b, static_cast<__u32>(fn))), BTF_FUNC_GLOBAL);
  bool tagged = false;
  for (__u32 id = 1; id < btf__type_cnt(b); id++) {
    const btf_type* t = btf__type_by_id(b, id);
    if (btf_is_decl_tag(t) && t->type == static_cast<__u32>(fn) && btf_decl_tag(t)->component_idx == 0 &&
        std::string(btf__name_by_offset(b, t->name_off)) == "arg:arena")
      tagged = true;
  }
  ASSERT_TRUE(tagged) << "expected decl tag arg:arena on list_sum's argument 0";

  // Without the tag reaching the kernel, the verifier refuses the global
  // function's pointer argument: the load itself proves it arrived.
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << cap.text();
  const bpf_program* sum = must_find_program(obj.get(), "sum");
  __u32 ret = 1;
  ASSERT_EQ(run(sum, &ret), 0);
  EXPECT_EQ(ret, 0u) << "empty list";
  ASSERT_EQ(run(must_find_program(obj.get(), "build"), &ret), 0);
  ASSERT_EQ(ret, 0u);
  ASSERT_EQ(run(sum, &ret), 0);
  EXPECT_EQ(ret, 15u);
}

struct GlobalsLayout {
  GlobalVar counter, triple, seen_counter, seen_sum;
};

GlobalsLayout globals_layout() {
  const std::vector<uint8_t> elf = prog_bytes("arena_globals");
  return {find_global(elf, "counter"), find_global(elf, "triple"), find_global(elf, "seen_counter"),
          find_global(elf, "seen_sum")};
}

TEST_F(ObjectArena, InitializedGlobalKeepsItsValue) {
  const GlobalsLayout g = globals_layout();
  ASSERT_EQ(g.counter.section, ".addr_space.1");
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  size_t size = 0;
  void* before = bpf_map__initial_value(arena, &size);
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(at<int>(before, g.counter.offset), 42);

  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << cap.text();
  void* base = bpf_map__initial_value(arena, &size);
  ASSERT_NE(base, nullptr);
  EXPECT_NE(base, before) << "after load: the live arena, not the private copy";
  EXPECT_EQ(size, 32u);
  const size_t goff = globals_offset(arena, size);
  EXPECT_EQ(at<int>(base, goff + g.counter.offset), 42) << "the C initial value in the live arena";
  EXPECT_EQ(at<uint64_t>(base, goff + g.triple.offset + 16), 9u);
  // setting the value is refused once loaded
  std::vector<uint8_t> bytes(size);
  EXPECT_EQ(bpf_map__set_initial_value(arena, bytes.data(), bytes.size()), -EBUSY);

  __u32 ret = 1;
  ASSERT_EQ(run(must_find_program(obj_.get(), "read_globals"), &ret), 0);
  EXPECT_EQ(ret, 0u);
  EXPECT_EQ(read_initial<__u32>(obj_.get(), g.seen_counter), 42u) << "BPF read the C initial value";
  EXPECT_EQ(read_initial<uint64_t>(obj_.get(), g.seen_sum), 24u);
  EXPECT_EQ(at<int>(base, goff + g.counter.offset), 43) << "BPF's write, seen through the mapping";

  // User space writes, BPF reads.
  at<int>(base, goff + g.counter.offset) = 1000;
  ASSERT_EQ(run(must_find_program(obj_.get(), "read_globals"), &ret), 0);
  EXPECT_EQ(read_initial<__u32>(obj_.get(), g.seen_counter), 1000u);
}

TEST_F(ObjectArena, UserWriteBeforeLoadSeenByBpf) {
  const GlobalsLayout g = globals_layout();
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  size_t size = 0;
  void* before = bpf_map__initial_value(arena, &size);
  ASSERT_NE(before, nullptr);
  at<int>(before, g.counter.offset) = 7777;
  at<uint64_t>(before, g.triple.offset) = 100;
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << cap.text();
  __u32 ret = 1;
  ASSERT_EQ(run(must_find_program(obj_.get(), "read_globals"), &ret), 0);
  EXPECT_EQ(read_initial<__u32>(obj_.get(), g.seen_counter), 7777u);
  EXPECT_EQ(read_initial<uint64_t>(obj_.get(), g.seen_sum), 117u);
}

// A free, 4 GiB-aligned address for an arena of `len` bytes (map_extra).
uintptr_t free_arena_address(size_t len) {
  for (uintptr_t a = uintptr_t{1} << 42; a < (uintptr_t{1} << 46); a += uintptr_t{1} << 32) {
    void* p = mmap(reinterpret_cast<void*>(a), len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (p == MAP_FAILED) continue;
    munmap(p, len);
    if (p == reinterpret_cast<void*>(a)) return a;
  }
  return 0;
}

TEST_F(ObjectArena, MapExtraPlacesTheArena) {
  const GlobalsLayout g = globals_layout();
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  ASSERT_EQ(bpf_map__set_max_entries(arena, 8), 0);
  const size_t len = 8 * page();
  const uintptr_t want = free_arena_address(len);
  ASSERT_NE(want, 0u);
  ASSERT_EQ(bpf_map__set_map_extra(arena, want), 0);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << cap.text();
  size_t size = 0;
  void* base = bpf_map__initial_value(arena, &size);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base), want);
  // 8 pages now: the globals moved to the new last page (where the kernel
  // allows it), and BPF finds them there.
  const size_t goff = globals_offset(arena, 1);
  expect_bpf_reads_and_bumps_counter(base, goff, g.counter, g.seen_counter, 42);
  obj_.reset();
  EXPECT_FALSE(is_mapped(reinterpret_cast<void*>(want), len));
}

// A 1 GiB arena puts its globals past the 512 MiB that kernels up to 6.18
// allow as a direct map-value offset: they must still load (globals at
// offset 0 there) and BPF must find the C initial values.
TEST_F(ObjectArena, ArenaPastHalfAGigabyteLoads) {
  const GlobalsLayout g = globals_layout();
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  const __u32 pages = static_cast<__u32>((size_t{1} << 30) / page());
  ASSERT_EQ(bpf_map__set_max_entries(arena, pages), 0);
  ASSERT_EQ(bpf_object__load(obj_.get()), 0) << cap.text();
  void* base = bpf_map__initial_value(arena, nullptr);
  ASSERT_NE(base, nullptr);
  const size_t goff = globals_offset(arena, 1);
  expect_bpf_reads_and_bumps_counter(base, goff, g.counter, g.seen_counter, 42);
}

TEST_F(ObjectArena, FailedLoadLeavesNoMapping) {
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  const size_t len = 4 * page();
  const uintptr_t want = free_arena_address(len);
  ASSERT_NE(want, 0u);
  ASSERT_EQ(bpf_map__set_map_extra(arena, want), 0);
  // A program the verifier refuses (r0 never set): the load fails after
  // the arena was created and mapped.
  const bpf_insn bad[] = {{BPF_JMP | BPF_EXIT, 0, 0, 0, 0}};
  bpf_program* prog = must_find_program(obj_.get(), "read_globals");
  ASSERT_EQ(bpf_program__set_insns(prog, const_cast<bpf_insn*>(bad), 1), 0);
  EXPECT_LT(bpf_object__load(obj_.get()), 0);
  EXPECT_FALSE(is_mapped(reinterpret_cast<void*>(want), len)) << "the failed load left the arena mapped";
  // The private copy of the globals is what remains.
  size_t size = 0;
  const void* data = bpf_map__initial_value(arena, &size);
  ASSERT_NE(data, nullptr);
  EXPECT_NE(reinterpret_cast<uintptr_t>(data), want);
}

TEST_F(ObjectArena, ArenaTooSmallAfterSetMaxEntriesFailsCleanly) {
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  ASSERT_EQ(bpf_map__set_max_entries(arena, 0), 0);
  errno = 0;
  EXPECT_LT(bpf_object__load(obj_.get()), 0);
  EXPECT_NE(cap.text().find("map 'arena'"), std::string::npos) << cap.text();
}

// With BPF_F_SEGV_ON_FAULT user space may not fault arena pages in, so the
// globals cannot be copied: a clear error instead of a crash, nothing left.
TEST_F(ObjectArena, SegvOnFaultWithGlobalsIsRefused) {
  ASSERT_NO_FATAL_FAILURE(open_globals());
  bpf_map* arena = arena_;
  ASSERT_EQ(bpf_map__set_map_flags(arena, BPF_F_MMAPABLE | BPF_F_SEGV_ON_FAULT), 0);
  errno = 0;
  EXPECT_EQ(bpf_object__load(obj_.get()), -EINVAL);
  EXPECT_NE(cap.text().find("map 'arena': has BPF_F_SEGV_ON_FAULT"), std::string::npos) << cap.text();
  EXPECT_LT(bpf_map__fd(arena), 0) << "the map must be closed again";
}

}  // namespace
}  // namespace bpfxx::test
