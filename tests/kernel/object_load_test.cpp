// bpf_object__load of our own programs, each feature proven by what the
// loaded programs do: global data read and written from both sides, rodata
// steering behaviour and the verifier, custom data sections, statically
// initialised map-in-map and program arrays, subprograms and callbacks,
// func_info / line_info for the final layout, several programs per
// section, autoload and unknown sections.
#include "object_support.h"

#include <bpf/btf.h>

#include <gmock/gmock.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

using ::testing::HasSubstr;

// One test program opened (not loaded), with its ELF bytes to find its
// globals by symbol, independently of the loader.
class OpenedProgramTest : public ::testing::Test {
 protected:
  explicit OpenedProgramTest(const char* name) : elf_(prog_bytes(name)), obj_(open_prog_object(name)) {}
  bpf_program* prog(const char* name) { return must_find_program(obj_.get(), name); }
  GlobalVar var(const char* name) { return find_global(elf_, name); }
  // A global's value in the kernel's map.
  __u32 global(const char* name) { return read_from_map<__u32>(obj_.get(), var(name)); }

  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
};

// ---------------------------------------------------------------------------
// Global data: load_globals.bpf.c

class ObjectLoadGlobals : public OpenedProgramTest {
 protected:
  ObjectLoadGlobals() : OpenedProgramTest("load_globals") {}
  bpf_program* copy_prog() { return prog("copy_globals"); }
};

TEST_F(ObjectLoadGlobals, ValuesSetBeforeLoadReachTheProgramAndItsWritesComeBack) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();

  // The object's own initial values are visible before load.
  EXPECT_EQ(read_initial<__u32>(obj, var("data_in")), 0x1111u) << "data_in's initializer";
  EXPECT_EQ(read_initial<__u32>(obj, var("ro_in")), 0x2222u) << "ro_in's initializer";
  EXPECT_EQ(read_initial<__u32>(obj, var("custom_in")), 0x3333u) << "custom_in's initializer";
  EXPECT_EQ(read_initial<__u32>(obj, var("bss_in")), 0u) << "bss_in starts zeroed";

  // Inputs set from user space before load, one per kind of section.
  write_initial<__u32>(obj, var("bss_in"), 0xAB00);
  write_initial<__u32>(obj, var("data_in"), 0x7700);
  write_initial<__u32>(obj, var("ro_in"), 0x9900);
  write_initial<__u32>(obj, var("custom_in"), 0x5500);

  BPFXX_ASSERT_OK(bpf_object__load(obj));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS));

  // What the program wrote, read through the kernel map...
  EXPECT_EQ(read_from_map<__u32>(obj, var("runs")), 1u) << ".bss counter via lookup_elem";
  EXPECT_EQ(read_from_map<__u32>(obj, var("bss_out")), 0xAB01u) << ".bss via lookup_elem";
  EXPECT_EQ(read_from_map<__u32>(obj, var("data_out")), 0x7701u) << ".data via lookup_elem";
  EXPECT_EQ(read_from_map<__u64>(obj, var("data_wide")), 0x0102030405060709ull)
      << "64-bit .data via lookup_elem";
  EXPECT_EQ(read_from_map<__u32>(obj, var("ro_out")), 0x9900u) << ".rodata input, copied out";
  EXPECT_EQ(read_from_map<__u32>(obj, var("custom_out")), 0x5501u) << ".data.custom via lookup_elem";
  EXPECT_EQ(read_from_map<__u32>(obj, var("custom_ro_out")), 0x4444u)
      << ".rodata.custom's initializer, copied out";

  // ... and through bpf_map__initial_value(), the live mapping after load.
  EXPECT_EQ(read_initial<__u32>(obj, var("runs")), 1u) << ".bss counter via initial_value";
  EXPECT_EQ(read_initial<__u32>(obj, var("bss_out")), 0xAB01u) << ".bss via initial_value";
  EXPECT_EQ(read_initial<__u32>(obj, var("data_out")), 0x7701u) << ".data via initial_value";
  EXPECT_EQ(read_initial<__u64>(obj, var("data_wide")), 0x0102030405060709ull)
      << "64-bit .data via initial_value";
  EXPECT_EQ(read_initial<__u32>(obj, var("custom_out")), 0x5501u)
      << ".data.custom via initial_value";
  EXPECT_EQ(read_initial<__u32>(obj, var("ro_in")), 0x9900u)
      << ".rodata via initial_value after load shows what was set before";
}

TEST_F(ObjectLoadGlobals, ValuesWrittenAfterLoadReachTheProgram) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  __u32 retval = 0;

  // Through the live mapping: bss_in and custom_in.
  write_initial<__u32>(obj, var("bss_in"), 0x1000);
  write_initial<__u32>(obj, var("custom_in"), 0x2000);
  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(read_from_map<__u32>(obj, var("bss_out")), 0x1001u)
      << "a .bss value written through initial_value after load reaches the program";
  EXPECT_EQ(read_from_map<__u32>(obj, var("custom_out")), 0x2001u)
      << "a .data.custom value written through initial_value after load reaches the program";

  // Through BPF_MAP_UPDATE_ELEM on the .data map: data_in.
  bpf_map* data = data_map(obj, ".data");
  ASSERT_NE(data, nullptr);
  const GlobalVar data_in = var("data_in");
  std::vector<char> whole(bpf_map__value_size(data));
  const __u32 zero = 0;
  BPFXX_ASSERT_OK(bpf_map_lookup_elem(bpf_map__fd(data), &zero, whole.data()));
  const __u32 new_in = 0x3000;
  std::memcpy(whole.data() + data_in.offset, &new_in, sizeof new_in);
  BPFXX_ASSERT_OK(bpf_map_update_elem(bpf_map__fd(data), &zero, whole.data(), BPF_ANY));
  EXPECT_EQ(read_initial<__u32>(obj, data_in), 0x3000u)
      << "an update_elem of the .data map shows in initial_value's live mapping";

  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(read_initial<__u32>(obj, var("data_out")), 0x3001u)
      << "a .data value written with update_elem after load reaches the program";
  EXPECT_EQ(read_initial<__u32>(obj, var("runs")), 2u) << "the program ran twice";
}

TEST_F(ObjectLoadGlobals, RodataSetBeforeLoadChangesBehaviour) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  write_initial<__u32>(obj, var("ro_mode"), 7);
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_DROP)) << "ro_mode == 7 takes the XDP_DROP branch";

  // The default keeps the other branch (a second object, untouched).
  ObjectPtr plain = open_prog_object("load_globals");
  ASSERT_TRUE(plain);
  BPFXX_ASSERT_OK(bpf_object__load(plain.get()));
  BPFXX_ASSERT_OK(test_run(must_find_program(plain.get(), "copy_globals"), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS)) << "ro_mode == 0 takes the XDP_PASS branch";
}

TEST_F(ObjectLoadGlobals, RodataSetWithSetInitialValueBeforeLoad) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  bpf_map* rodata = data_map(obj, ".rodata");
  ASSERT_NE(rodata, nullptr);
  size_t size = 0;
  const void* cur = bpf_map__initial_value(rodata, &size);
  ASSERT_NE(cur, nullptr);
  std::vector<char> bytes(static_cast<const char*>(cur), static_cast<const char*>(cur) + size);
  const __u32 mode = 7, in = 0x4242;
  std::memcpy(bytes.data() + var("ro_mode").offset, &mode, sizeof mode);
  std::memcpy(bytes.data() + var("ro_in").offset, &in, sizeof in);
  BPFXX_ASSERT_OK(bpf_map__set_initial_value(rodata, bytes.data(), bytes.size()));
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_DROP)) << "ro_mode set by set_initial_value";
  EXPECT_EQ(read_from_map<__u32>(obj, var("ro_out")), 0x4242u) << "ro_in set by set_initial_value";
}

TEST_F(ObjectLoadGlobals, RodataIsFrozenAfterLoad) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  for (const char* section : {".rodata", ".rodata.custom"}) {
    SCOPED_TRACE(section);
    bpf_map* map = data_map(obj, section);
    ASSERT_NE(map, nullptr);
    std::vector<char> value(bpf_map__value_size(map), 0);
    const __u32 zero = 0;
    BPFXX_EXPECT_OK(bpf_map_lookup_elem(bpf_map__fd(map), &zero, value.data()));
    BPFXX_EXPECT_ERR(bpf_map_update_elem(bpf_map__fd(map), &zero, value.data(), BPF_ANY), EPERM);
    bpf_map_info info{};
    __u32 len = sizeof info;
    BPFXX_ASSERT_OK(bpf_map_get_info_by_fd(bpf_map__fd(map), &info, &len));
    EXPECT_TRUE(info.map_flags & BPF_F_RDONLY_PROG)
        << "expected the program's view to be read-only, map_flags " << info.map_flags;
  }
  // The writable sections stay writable.
  for (const char* section : {".data", ".bss", ".data.custom"}) {
    SCOPED_TRACE(section);
    bpf_map* map = data_map(obj, section);
    ASSERT_NE(map, nullptr);
    std::vector<char> value(bpf_map__value_size(map), 0);
    const __u32 zero = 0;
    BPFXX_EXPECT_OK(bpf_map_lookup_elem(bpf_map__fd(map), &zero, value.data()));
    BPFXX_EXPECT_OK(bpf_map_update_elem(bpf_map__fd(map), &zero, value.data(), BPF_ANY));
  }
}

TEST_F(ObjectLoadGlobals, RodataLetsTheVerifierPruneARejectedPath) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  // ro_guard_safe == 1 (the default): the unchecked dereference is dead.
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  __u32 retval = 0xffff;
  BPFXX_ASSERT_OK(test_run(must_find_program(obj_.get(), "guarded"), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_ABORTED)) << "the empty hash map gives NULL";

  // ro_guard_safe == 0: the same program is rejected.
  ObjectPtr unsafe = open_prog_object("load_globals");
  ASSERT_TRUE(unsafe);
  write_initial<__u32>(unsafe.get(), var("ro_guard_safe"), 0);
  FullPrintCapture capture;
  const int err = bpf_object__load(unsafe.get());
  EXPECT_TRUE(err == -EACCES || err == -EINVAL)
      << "expected the verifier's rejection (-EACCES or -EINVAL), got " << err;
  EXPECT_THAT(capture.text(), HasSubstr("map_value_or_null"))
      << "expected the verifier's complaint about the unchecked lookup";
  EXPECT_LT(bpf_program__fd(must_find_program(unsafe.get(), "copy_globals")), 0)
      << "a failed load releases the programs it loaded";
}

TEST_F(ObjectLoadGlobals, CustomSectionsBecomeTheirOwnMaps) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  bpf_map* custom = bpf_object__find_map_by_name(obj, ".data.custom");
  bpf_map* custom_ro = bpf_object__find_map_by_name(obj, ".rodata.custom");
  ASSERT_NE(custom, nullptr) << "expected a map named '.data.custom'";
  ASSERT_NE(custom_ro, nullptr) << "expected a map named '.rodata.custom'";
  EXPECT_STREQ(bpf_map__name(custom), ".data.custom");
  EXPECT_STREQ(bpf_map__name(custom_ro), ".rodata.custom");
  EXPECT_EQ(bpf_map__value_size(custom), 8u) << "custom_in and custom_out";
  EXPECT_EQ(bpf_map__value_size(custom_ro), 4u) << "custom_ro";
  EXPECT_EQ(bpf_map__type(custom), BPF_MAP_TYPE_ARRAY);
  EXPECT_EQ(bpf_map__max_entries(custom), 1u);
  EXPECT_NE(custom, data_map(obj, ".data")) << ".data.custom is not .data";
  // The standard sections are also found by their section names.
  EXPECT_EQ(bpf_object__find_map_by_name(obj, ".bss"), data_map(obj, ".bss"));
  EXPECT_EQ(bpf_object__find_map_by_name(obj, ".data"), data_map(obj, ".data"));
  EXPECT_EQ(bpf_object__find_map_by_name(obj, ".rodata"), data_map(obj, ".rodata"));

  write_initial<__u32>(obj, var("custom_in"), 41);
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  EXPECT_GE(bpf_map__fd(custom), 0);
  EXPECT_GE(bpf_map__fd(custom_ro), 0);
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(copy_prog(), &retval));
  EXPECT_EQ(read_from_map<__u32>(obj, var("custom_out")), 42u);
  EXPECT_EQ(read_from_map<__u32>(obj, var("custom_ro_out")), 0x4444u);
  // The kernel map behind it is the program's: the program used its fd.
  bpf_prog_info info{};
  __u32 len = sizeof info;
  std::vector<__u32> ids(16);
  info.nr_map_ids = static_cast<__u32>(ids.size());
  info.map_ids = reinterpret_cast<__u64>(ids.data());
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(copy_prog()), &info, &len));
  bpf_map_info minfo{};
  __u32 mlen = sizeof minfo;
  BPFXX_ASSERT_OK(bpf_map_get_info_by_fd(bpf_map__fd(custom), &minfo, &mlen));
  ids.resize(std::min<size_t>(info.nr_map_ids, ids.size()));
  EXPECT_NE(std::find(ids.begin(), ids.end(), minfo.id), ids.end())
      << "expected copy_globals to use the .data.custom map (id " << minfo.id << ")";
}

// ---------------------------------------------------------------------------
// Static initialisation: load_static_init.bpf.c

class ObjectLoadStaticInit : public OpenedProgramTest {
 protected:
  ObjectLoadStaticInit() : OpenedProgramTest("load_static_init") {}
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_TRUE(obj_);
    BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  }
  bpf_map* map(const char* name) { return bpf_object__find_map_by_name(obj_.get(), name); }
  // The id user space reads in slot `key` of a map-in-map or program array.
  static __u32 slot(const bpf_map* m, __u32 key) {
    __u32 id = 0;
    EXPECT_EQ(bpf_map_lookup_elem(bpf_map__fd(m), &key, &id), 0)
        << "reading " << bpf_map__name(m) << "[" << key << "]: " << std::strerror(errno);
    return id;
  }
  static testing::AssertionResult slot_is_empty(const bpf_map* m, __u32 key) {
    __u32 id = 0;
    errno = 0;
    const int rc = bpf_map_lookup_elem(bpf_map__fd(m), &key, &id);
    if (rc == -ENOENT && errno == ENOENT) return testing::AssertionSuccess();
    return testing::AssertionFailure() << bpf_map__name(m) << "[" << key << "]: expected -ENOENT, got " << rc
                                       << " (errno " << errno << ")";
  }
  // One test run of the program; its return value.
  __u32 run(const char* name) {
    __u32 retval = 0;
    EXPECT_EQ(test_run(prog(name), &retval), 0) << "test run of " << name << ": " << std::strerror(errno);
    return retval;
  }
};

TEST_F(ObjectLoadStaticInit, MapInMapSlotsHoldTheInnerMaps) {
  bpf_map* first = map("inner_first");
  bpf_map* third = map("inner_third");
  bpf_map* outer = map("outer");
  ASSERT_TRUE(first && third && outer);
  const __u32 zero = 0, v1 = 0x1234, v3 = 0x5678;
  BPFXX_ASSERT_OK(bpf_map__update_elem(first, &zero, sizeof zero, &v1, sizeof v1, BPF_ANY));
  BPFXX_ASSERT_OK(bpf_map__update_elem(third, &zero, sizeof zero, &v3, sizeof v3, BPF_ANY));

  // User space sees the inner maps' ids in the outer slots.
  EXPECT_EQ(slot(outer, 0), map_id_of_fd(bpf_map__fd(first))) << "outer[0] holds inner_first";
  EXPECT_EQ(slot(outer, 2), map_id_of_fd(bpf_map__fd(third))) << "outer[2] holds inner_third";
  EXPECT_TRUE(slot_is_empty(outer, 1));

  // The program finds the inner maps' values through the outer map.
  EXPECT_EQ(run("read_through_outer"), static_cast<__u32>(XDP_PASS)) << "XDP_ABORTED means a lookup came back empty";
  EXPECT_EQ(global("seen_first"), v1);
  EXPECT_EQ(global("seen_third"), v3);
  EXPECT_EQ(global("slot1_empty"), 1u) << "outer[1] was not initialised and must stay empty";
}

TEST_F(ObjectLoadStaticInit, ProgramArraySlotMakesTheTailCallTaken) {
  bpf_map* jumps = map("jumps");
  bpf_program* target = prog("jump_target");
  ASSERT_TRUE(jumps && target);
  EXPECT_EQ(slot(jumps, 1), prog_id_of_fd(bpf_program__fd(target))) << "jumps[1] holds jump_target";
  EXPECT_TRUE(slot_is_empty(jumps, 0));

  EXPECT_EQ(run("jump_entry"), static_cast<__u32>(XDP_TX)) << "jump_target's return value, not the entry's";
  EXPECT_EQ(global("target_ran"), 0xCAFEu) << "the tail-called program ran";
  EXPECT_EQ(global("fell_through"), 0u)
      << "the tail call was taken, so the entry did not continue";
}

// ---------------------------------------------------------------------------
// Subprograms: load_subprogs.bpf.c

class ObjectLoadSubprograms : public OpenedProgramTest {
 protected:
  ObjectLoadSubprograms() : OpenedProgramTest("load_subprogs") {}
};

TEST_F(ObjectLoadSubprograms, StaticAndGlobalSubprogramsRun) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(prog("first_user"), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS));
  EXPECT_EQ(global("a_result"), 5u * 3 + 1) << "triple(5) from first_user";
  BPFXX_ASSERT_OK(test_run(prog("second_user"), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_TX));
  EXPECT_EQ(global("b_result"), (6u * 3 + 1) + (5u + 2 * 10)) << "triple(6) + add_pair(5, 2)";
}

TEST_F(ObjectLoadSubprograms, CallbacksRunThroughBpfLoopAndForEachMapElem) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  bpf_map* values = bpf_object__find_map_by_name(obj_.get(), "values");
  ASSERT_NE(values, nullptr);
  for (__u32 k = 0; k < 4; k++) {
    const __u64 v = 100 + k;
    BPFXX_ASSERT_OK(bpf_map__update_elem(values, &k, sizeof k, &v, sizeof v, BPF_ANY));
  }
  __u32 retval = 0xffff;
  BPFXX_ASSERT_OK(test_run(prog("loop_prog"), &retval));
  EXPECT_EQ(retval, 0u);
  EXPECT_EQ(global("loop_calls"), 6u) << "bpf_loop(input + 1) called the callback 6 times";
  EXPECT_EQ(global("loop_index_sum"), 0u + 1 + 2 + 3 + 4 + 5) << "with indexes 0..5";
  EXPECT_EQ(global("elem_calls"), 4u) << "bpf_for_each_map_elem visited the 4 elements";
  EXPECT_EQ(read_from_map<__u64>(obj_.get(), find_global(elf_, "elem_sum")), 100u + 101 + 102 + 103)
      << "and summed their values";
}

TEST_F(ObjectLoadSubprograms, SeveralProgramsInOneSectionAllLoad) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  std::set<__u32> ids;
  for (const char* name : {"first_user", "second_user", "lonely"}) {
    SCOPED_TRACE(name);
    bpf_program* p = prog(name);
    ASSERT_NE(p, nullptr);
    EXPECT_STREQ(bpf_program__section_name(p), "xdp");
    ASSERT_GE(bpf_program__fd(p), 0) << "expected every program of section xdp to be loaded";
    bpf_prog_info info{};
    __u32 len = sizeof info;
    BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len));
    EXPECT_EQ(std::string(info.name), std::string(name).substr(0, BPF_OBJ_NAME_LEN - 1));
    EXPECT_EQ(info.type, BPF_PROG_TYPE_XDP);
    ids.insert(info.id);
  }
  EXPECT_EQ(ids.size(), 3u) << "three distinct kernel programs";
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(prog("lonely"), &retval));
  EXPECT_EQ(global("lonely_ran"), 5u) << "lonely ran and copied input";
  EXPECT_EQ(global("a_result"), 0u) << "and only lonely ran";
}

TEST_F(ObjectLoadSubprograms, AutoloadFalseSkipsOnlyThatProgram) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  BPFXX_ASSERT_OK(bpf_program__set_autoload(prog("second_user"), false));
  EXPECT_FALSE(bpf_program__autoload(prog("second_user")));
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  EXPECT_LT(bpf_program__fd(prog("second_user")), 0) << "autoload false: not loaded";
  for (const char* name : {"first_user", "lonely", "loop_prog"}) {
    EXPECT_GE(bpf_program__fd(prog(name)), 0) << name << " is still loaded";
  }
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(prog("first_user"), &retval));
  EXPECT_EQ(global("a_result"), 16u) << "first_user (sharing triple with the skipped one) works";
}

// Targets of BPF-to-BPF calls and of ld_imm64 function pointers in the
// final instructions, as instruction indexes.
std::set<__u32> subprogram_starts(const bpf_program* prog) {
  std::set<__u32> starts;
  const bpf_insn* insns = bpf_program__insns(prog);
  const size_t n = bpf_program__insn_cnt(prog);
  for (size_t i = 0; insns != nullptr && i < n; i++) {
    const bpf_insn& in = insns[i];
    const bool call = in.code == (BPF_JMP | BPF_CALL) && in.src_reg == BPF_PSEUDO_CALL;
    const bool func_ptr = in.code == (BPF_LD | BPF_IMM | BPF_DW) && in.src_reg == BPF_PSEUDO_FUNC;
    if (call || func_ptr) starts.insert(static_cast<__u32>(static_cast<int64_t>(i) + in.imm + 1));
    if (in.code == (BPF_LD | BPF_IMM | BPF_DW)) i++;
  }
  return starts;
}

std::string func_name(const btf* b, __u32 type_id) {
  const btf_type* t = btf__type_by_id(b, type_id);
  if (t == nullptr) return "<bad type id " + std::to_string(type_id) + ">";
  if (btf_kind(t) != BTF_KIND_FUNC) return "<not a FUNC: " + std::to_string(type_id) + ">";
  const char* name = btf__name_by_offset(b, t->name_off);
  return name ? name : "<no name>";
}

// The names of the functions func_info lists, in order.
std::vector<std::string> func_names(bpf_object* obj, const bpf_program* prog) {
  std::vector<std::string> names;
  const bpf_func_info* fi = bpf_program__func_info(prog);
  for (__u32 i = 0; fi != nullptr && i < bpf_program__func_info_cnt(prog); i++)
    names.push_back(func_name(bpf_object__btf(obj), fi[i].type_id));
  return names;
}

TEST_F(ObjectLoadSubprograms, EachCallerGetsItsOwnCopyAndUnusedTextIsDropped) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  const size_t first_before = bpf_program__insn_cnt(prog("first_user"));
  const size_t second_before = bpf_program__insn_cnt(prog("second_user"));
  const size_t lonely_before = bpf_program__insn_cnt(prog("lonely"));
  ASSERT_GT(lonely_before, 0u);
  BPFXX_ASSERT_OK(bpf_object__prepare(obj));

  EXPECT_GT(bpf_program__insn_cnt(prog("first_user")), first_before) << "triple appended";
  EXPECT_GT(bpf_program__insn_cnt(prog("second_user")), second_before)
      << "triple and add_pair appended";
  EXPECT_EQ(bpf_program__insn_cnt(prog("lonely")), lonely_before)
      << "lonely calls nothing: nothing of .text appended";

  using ::testing::ElementsAre;
  using ::testing::UnorderedElementsAre;
  EXPECT_THAT(func_names(obj, prog("first_user")), ElementsAre("first_user", "triple"));
  const std::vector<std::string> second = func_names(obj, prog("second_user"));
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second[0], "second_user");
  EXPECT_THAT(std::vector<std::string>(second.begin() + 1, second.end()),
              UnorderedElementsAre("triple", "add_pair"));
  EXPECT_THAT(func_names(obj, prog("lonely")), ElementsAre("lonely"));
  const std::vector<std::string> loop = func_names(obj, prog("loop_prog"));
  ASSERT_FALSE(loop.empty());
  EXPECT_EQ(loop[0], "loop_prog");
  EXPECT_THAT(std::vector<std::string>(loop.begin() + 1, loop.end()),
              UnorderedElementsAre("count_iteration", "sum_element"));
  for (bpf_program* p = bpf_object__next_program(obj, nullptr); p != nullptr;
       p = bpf_object__next_program(obj, p)) {
    for (const std::string& name : func_names(obj, p)) {
      EXPECT_NE(name, "never_called") << bpf_program__name(p) << " got the unused function";
    }
  }

  // And the kernel accepts them and runs them.
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(prog("first_user"), &retval));
  BPFXX_ASSERT_OK(test_run(prog("second_user"), &retval));
  EXPECT_EQ(global("a_result"), 16u);
  EXPECT_EQ(global("b_result"), 44u);
}

TEST_F(ObjectLoadSubprograms, FuncAndLineInfoDescribeTheFinalLayout) {
  BPFXX_REQUIRE_ROOT();
  ASSERT_TRUE(obj_);
  bpf_object* obj = obj_.get();
  BPFXX_ASSERT_OK(bpf_object__prepare(obj));
  const btf* b = bpf_object__btf(obj);
  ASSERT_NE(b, nullptr);

  for (bpf_program* p = bpf_object__next_program(obj, nullptr); p != nullptr;
       p = bpf_object__next_program(obj, p)) {
    SCOPED_TRACE(bpf_program__name(p));
    const __u32 insn_cnt = static_cast<__u32>(bpf_program__insn_cnt(p));
    const bpf_func_info* fi = bpf_program__func_info(p);
    const __u32 fi_cnt = bpf_program__func_info_cnt(p);
    ASSERT_NE(fi, nullptr);
    ASSERT_GE(fi_cnt, 1u);
    EXPECT_EQ(fi[0].insn_off, 0u) << "the entry function starts at 0";
    EXPECT_EQ(func_name(b, fi[0].type_id), bpf_program__name(p));
    std::set<__u32> fi_offs;
    for (__u32 i = 0; i < fi_cnt; i++) {
      if (i > 0) {
        EXPECT_GT(fi[i].insn_off, fi[i - 1].insn_off) << "func_info[" << i << "] in order";
      }
      EXPECT_LT(fi[i].insn_off, insn_cnt) << "func_info[" << i << "] inside the program";
      fi_offs.insert(fi[i].insn_off);
    }
    std::set<__u32> starts = subprogram_starts(p);
    starts.insert(0);
    EXPECT_EQ(fi_offs, starts) << "one func_info record at each function start, no others";

    const bpf_line_info* li = bpf_program__line_info(p);
    const __u32 li_cnt = bpf_program__line_info_cnt(p);
    ASSERT_NE(li, nullptr);
    ASSERT_GE(li_cnt, fi_cnt);
    EXPECT_EQ(li[0].insn_off, 0u);
    std::set<__u32> li_offs;
    for (__u32 i = 0; i < li_cnt; i++) {
      if (i > 0) {
        EXPECT_GT(li[i].insn_off, li[i - 1].insn_off) << "line_info[" << i << "] in order";
      }
      EXPECT_LT(li[i].insn_off, insn_cnt) << "line_info[" << i << "] inside the program";
      const char* line = btf__name_by_offset(b, li[i].line_off);
      const char* file = btf__name_by_offset(b, li[i].file_name_off);
      EXPECT_TRUE(line != nullptr && *line != '\0') << "line_info[" << i << "] has source text";
      EXPECT_THAT(file ? file : "", HasSubstr("load_subprogs.bpf.c"));
      li_offs.insert(li[i].insn_off);
    }
    for (__u32 off : fi_offs) {
      EXPECT_TRUE(li_offs.count(off)) << "a line_info record at function start " << off;
    }
  }

  // The appended copy of triple carries triple's source lines.
  bpf_program* first = prog("first_user");
  const bpf_func_info* fi = bpf_program__func_info(first);
  ASSERT_EQ(bpf_program__func_info_cnt(first), 2u);
  const __u32 triple_start = fi[1].insn_off;
  bool found = false;
  const bpf_line_info* li = bpf_program__line_info(first);
  for (__u32 i = 0; i < bpf_program__line_info_cnt(first); i++) {
    const std::string line = btf__name_by_offset(b, li[i].line_off);
    if (line.find("x * 3 + 1") != std::string::npos) {
      found = true;
      EXPECT_GE(li[i].insn_off, triple_start) << "triple's line points into its appended copy";
    }
  }
  EXPECT_TRUE(found) << "expected triple's body line in first_user's line_info";

  // The kernel accepted every record.
  BPFXX_ASSERT_OK(bpf_object__load(obj));
  for (bpf_program* p = bpf_object__next_program(obj, nullptr); p != nullptr;
       p = bpf_object__next_program(obj, p)) {
    SCOPED_TRACE(bpf_program__name(p));
    bpf_prog_info info{};
    __u32 len = sizeof info;
    BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len));
    EXPECT_EQ(info.nr_func_info, bpf_program__func_info_cnt(p));
    EXPECT_EQ(info.nr_line_info, bpf_program__line_info_cnt(p));
  }
}

// ---------------------------------------------------------------------------
// Unknown sections: load_unknown.bpf.c

class ObjectLoadUnknownSection : public OpenedProgramTest {
 protected:
  ObjectLoadUnknownSection() : OpenedProgramTest("load_unknown") {}
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_TRUE(obj_) << "an unknown section is not an open error";
  }
};

TEST_F(ObjectLoadUnknownSection, LoadFailsNamingTheSection) {
  FullPrintCapture capture;
  const int err = bpf_object__load(obj_.get());
  EXPECT_LT(err, 0) << "expected the load to fail";
  EXPECT_THAT(capture.text(), HasSubstr("no_such_program_type_here"))
      << "expected the message to name the section";
  EXPECT_THAT(capture.text(), HasSubstr("odd_one")) << "and the program";
  EXPECT_LT(bpf_program__fd(prog("known")), 0)
      << "a failed load releases the other programs";
}

TEST_F(ObjectLoadUnknownSection, LoadsOnceTheTypeIsSet) {
  bpf_program* odd = prog("odd_one");
  ASSERT_NE(odd, nullptr);
  BPFXX_ASSERT_OK(bpf_program__set_type(odd, BPF_PROG_TYPE_XDP));
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(odd, &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_TX));
  EXPECT_EQ(global("odd_ran"), 0x0DDu);
}

TEST_F(ObjectLoadUnknownSection, LoadsWithItsAutoloadOff) {
  bpf_program* odd = prog("odd_one");
  ASSERT_NE(odd, nullptr);
  BPFXX_ASSERT_OK(bpf_program__set_autoload(odd, false));
  BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  EXPECT_LT(bpf_program__fd(odd), 0);
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(prog("known"), &retval));
  EXPECT_EQ(global("known_ran"), 1u);
}

}  // namespace
}  // namespace bpfxx::test
