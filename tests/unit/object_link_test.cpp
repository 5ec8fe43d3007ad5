// Linking without a kernel: subprograms appended per entry program (and
// unreachable ones left out), calls and callback addresses pointing at the
// copies, map and global-data loads patched with the maps' fds, and the
// .BTF.ext records rebased onto the final layout.
#include "object/load.h"
#include "fake_kernel.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <set>

namespace {

using bpfxx::test::ObjectPtr;

constexpr uint8_t kLdImm64 = BPF_LD | BPF_IMM | BPF_DW;
constexpr uint8_t kCall = BPF_JMP | BPF_CALL;

// Opens object_progs with made-up map fds (the fake kernel swallows their
// close) so link_programs() can run alone.
class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = bpfxx::test::prog_bytes("object_progs");
    obj_.reset(bpf_object__open_mem(bytes_.data(), bytes_.size(), nullptr));
    ASSERT_NE(obj_, nullptr);
    int fd = 1000;
    for (auto& m : obj_->maps) m->fd = fd++;
  }
  bpf_program* prog(const char* name) { return bpf_object__find_program_by_name(obj_.get(), name); }
  const bpf_program* subprog(const char* name) {
    for (auto& p : obj_->programs)
      if (p->is_subprog && p->name == name) return p.get();
    return nullptr;
  }

  bpfxx::test::FakeKernel fake_;
  bpfxx::test::ScopedKernel scoped_{&fake_};
  std::vector<uint8_t> bytes_;
  ObjectPtr obj_;
};

std::set<std::string> appended_names(const bpf_program* p) {
  std::set<std::string> out;
  for (const auto& a : p->appended) out.insert(a.subprog->name);
  return out;
}

TEST_F(LinkTest, AppendsOnlyTheSubprogramsEachProgramReaches) {
  const size_t own_one = prog("xdp_one")->insns.size();
  const size_t helper_len = subprog("static_helper")->insns.size();
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  const bpf_program* one = prog("xdp_one");
  EXPECT_EQ(appended_names(one), std::set<std::string>{"static_helper"});
  EXPECT_EQ(one->insns.size(), own_one + helper_len);
  EXPECT_EQ(appended_names(prog("xdp_two")), std::set<std::string>{"global_helper"});
  EXPECT_EQ(appended_names(prog("tp_prog")), std::set<std::string>{"loop_cb"});
  EXPECT_TRUE(prog("sleepy")->appended.empty());
  EXPECT_TRUE(one->linked);
}

TEST_F(LinkTest, CallsAndCallbackAddressesPointAtTheCopies) {
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  for (const char* name : {"xdp_one", "xdp_two", "tp_prog"}) {
    const bpf_program* p = prog(name);
    std::set<uint32_t> starts;
    for (const auto& a : p->appended) starts.insert(a.insn_off);
    int targets = 0;
    for (size_t i = 0; i < p->insns.size(); i++) {
      const bpf_insn& in = p->insns[i];
      const bool call = in.code == kCall && in.src_reg == BPF_PSEUDO_CALL;
      const bool addr = in.code == kLdImm64 && in.src_reg == BPF_PSEUDO_FUNC;
      if (!call && !addr) continue;
      const int64_t target = static_cast<int64_t>(i) + in.imm + 1;
      EXPECT_TRUE(starts.count(static_cast<uint32_t>(target))) << name << " insn " << i;
      targets++;
    }
    EXPECT_GE(targets, 1) << name;
  }
}

TEST_F(LinkTest, MapAndGlobalLoadsCarryTheMapFds) {
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  // xdp_one compares with `limit` (.rodata), its helper reads `counter` (.bss).
  const bpf_map* rodata = bpf_object__find_map_by_name(obj_.get(), ".rodata");
  const bpf_map* bss = bpf_object__find_map_by_name(obj_.get(), ".bss");
  ASSERT_NE(rodata, nullptr);
  ASSERT_NE(bss, nullptr);
  std::set<int> fds;
  const bpf_program* one = prog("xdp_one");
  for (const bpf_insn& in : one->insns) {
    if (in.code != kLdImm64) continue;
    if (in.src_reg == BPF_PSEUDO_MAP_VALUE) fds.insert(in.imm);
  }
  EXPECT_TRUE(fds.count(rodata->fd));
  EXPECT_TRUE(fds.count(bss->fd));
}

TEST_F(LinkTest, FuncInfoAndLineInfoFollowTheFinalLayout) {
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  for (const char* name : {"xdp_one", "xdp_two", "tp_prog"}) {
    const bpf_program* p = prog(name);
    ASSERT_EQ(bpf_program__func_info_cnt(p), 1 + p->appended.size()) << name;
    const bpf_func_info* fi = bpf_program__func_info(p);
    ASSERT_NE(fi, nullptr);
    EXPECT_EQ(fi[0].insn_off, 0u);
    for (size_t k = 0; k < p->appended.size(); k++) EXPECT_EQ(fi[k + 1].insn_off, p->appended[k].insn_off);
    const bpf_line_info* li = bpf_program__line_info(p);
    ASSERT_NE(li, nullptr);
    ASSERT_GT(bpf_program__line_info_cnt(p), 0u);
    EXPECT_EQ(li[0].insn_off, 0u);
    for (uint32_t k = 1; k < bpf_program__line_info_cnt(p); k++) EXPECT_GT(li[k].insn_off, li[k - 1].insn_off);
    EXPECT_LT(li[bpf_program__line_info_cnt(p) - 1].insn_off, p->insns.size());
  }
}

TEST_F(LinkTest, SubprogramsKeepTheirOwnInstructions) {
  const std::vector<bpf_insn> before = subprog("static_helper")->insns;
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  const std::vector<bpf_insn>& after = subprog("static_helper")->insns;
  ASSERT_EQ(before.size(), after.size());
  EXPECT_EQ(std::memcmp(before.data(), after.data(), before.size() * sizeof(bpf_insn)), 0);
}

TEST_F(LinkTest, ProgramsWithAutoloadOffAreNotLinked) {
  ASSERT_EQ(bpf_program__set_autoload(prog("xdp_one"), false), 0);
  const size_t n = prog("xdp_one")->insns.size();
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  EXPECT_EQ(prog("xdp_one")->insns.size(), n);
  EXPECT_FALSE(prog("xdp_one")->linked);
}

TEST_F(LinkTest, MapWithAutocreateOffIsPoisonedNotFatal) {
  bpf_map* bss = bpf_object__find_map_by_name(obj_.get(), ".bss");
  ASSERT_NE(bss, nullptr);
  bss->fd = -1;
  ASSERT_EQ(bpf_map__set_autocreate(bss, false), 0);
  ASSERT_TRUE(bpfxx::object::link_programs(*obj_));
  bool poisoned = false;
  for (const bpf_insn& in : prog("xdp_one")->insns)
    if (in.code == kCall && in.imm >= bpfxx::object::kPoisonedMapCall) poisoned = true;
  EXPECT_TRUE(poisoned);
}

TEST_F(LinkTest, MapThatShouldExistButDoesNotIsAnError) {
  bpf_map* bss = bpf_object__find_map_by_name(obj_.get(), ".bss");
  bss->fd = -1;
  bpfxx::test::CapturePrint cap;
  auto r = bpfxx::object::link_programs(*obj_);
  ASSERT_FALSE(r);
  EXPECT_NE(cap.text().find("was not created"), std::string::npos) << cap.text();
}

// Exception callbacks the kernel would refuse with a vaguer message.
class ExceptionCallbackLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = bpfxx::test::prog_bytes("load_exception_cb_bad");
    obj_.reset(bpf_object__open_mem(bytes_.data(), bytes_.size(), nullptr));
    ASSERT_NE(obj_, nullptr);
    int fd = 1000;
    for (auto& m : obj_->maps) m->fd = fd++;
  }
  // Links only `keep`.
  bpfxx::Result<void> link_only(const char* keep) {
    bpf_program* p;
    bpf_object__for_each_program(p, obj_.get()) bpf_program__set_autoload(p, std::string(keep) == p->name);
    return bpfxx::object::link_programs(*obj_);
  }
  bpfxx::test::FakeKernel fake_;
  bpfxx::test::ScopedKernel scoped_{&fake_};
  std::vector<uint8_t> bytes_;
  ObjectPtr obj_;
};

TEST_F(ExceptionCallbackLinkTest, StaticCallbackIsRefused) {
  bpfxx::test::CapturePrint cap;
  auto r = link_only("with_static_cb");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), EINVAL);
  EXPECT_NE(cap.text().find("exception callback 'static_cb' must be a global"), std::string::npos) << cap.text();
}

TEST_F(ExceptionCallbackLinkTest, TwoCallbacksAreRefused) {
  bpfxx::test::CapturePrint cap;
  auto r = link_only("with_two_cbs");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), E2BIG);
  EXPECT_NE(cap.text().find("more than one exception callback"), std::string::npos) << cap.text();
}

}  // namespace
