// relocate_core() on a real object without a kernel: the target BTF comes
// from btf_custom_path (a file built here with btf__add_*), and the test
// reads the relocated instructions back.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "object/load.h"
#include "object/object.h"
#include "relo/core_kind.h"

#include "object_test_util.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>

namespace bpfxx::test {
namespace {

// A target BTF with task_struct's members where no kernel has them.
std::string write_target_btf() {
  btf* b = btf__new_empty();
  const int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  const int c = btf__add_int(b, "char", 1, 0);
  const int u = btf__add_int(b, "unsigned int", 4, 0);
  const int fwd = btf__add_fwd(b, "task_struct", BTF_FWD_STRUCT);
  const int ptr = btf__add_ptr(b, fwd);
  const int arr = btf__add_array(b, u, c, 16);
  btf__add_struct(b, "task_struct", 512);
  btf__add_field(b, "pid", i, 100 * 8, 0);
  btf__add_field(b, "tgid", i, 200 * 8, 0);
  btf__add_field(b, "comm", arr, 300 * 8, 0);
  btf__add_field(b, "real_parent", ptr, 400 * 8, 0);
  btf__add_enum(b, "pid_type", 4);
  btf__add_enum_value(b, "PIDTYPE_PID", 0);
  btf__add_enum_value(b, "PIDTYPE_SID", 42);
  __u32 size = 0;
  const void* raw = btf__raw_data(b, &size);
  char path[] = "/tmp/bpfxx-relo-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, raw, size), static_cast<ssize_t>(size));
  close(fd);
  btf__free(b);
  return path;
}

TEST(ReloObject, CustomBtfPathRelocatesEveryFunctionsInstructions) {
  const std::string path = write_target_btf();
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.btf_custom_path = path.c_str();
  ObjectPtr obj(bpf_object__open_file(prog_path("core_task").c_str(), &opts));
  ASSERT_NE(obj, nullptr);
  ASSERT_TRUE(object::relocate_core(*obj).ok());
  unlink(path.c_str());

  // Direct loads carry the target's offsets.
  bpf_program* direct = bpf_object__find_program_by_name(obj.get(), "read_task_direct");
  ASSERT_NE(direct, nullptr);
  std::multiset<int> offs;
  for (const bpf_insn& in : direct->insns) {
    if (BPF_CLASS(in.code) == BPF_LDX) offs.insert(in.off);
  }
  EXPECT_EQ(offs, (std::multiset<int>{100, 200, 400}));

  // The probe-read program: offsets as immediates, the enum value, and the
  // guarded read of a member the target lacks poisoned.
  bpf_program* probe = bpf_object__find_program_by_name(obj.get(), "read_task");
  ASSERT_NE(probe, nullptr);
  std::set<int> imms;
  int poisoned = 0;
  for (const bpf_insn& in : probe->insns) {
    if (in.code == (BPF_JMP | BPF_CALL) && in.imm == relo::kPoisonHelperId) poisoned++;
    // ALU immediates and ld_imm64 (enum values are 64-bit loads).
    if (BPF_CLASS(in.code) == BPF_ALU64 || BPF_CLASS(in.code) == BPF_ALU || in.code == (BPF_LD | BPF_IMM | BPF_DW))
      imms.insert(in.imm);
  }
  EXPECT_GE(poisoned, 1);
  for (int want : {100, 200, 300, 400, 42, 512})
    EXPECT_TRUE(imms.count(want)) << "no immediate " << want;

  // The subprogram's own instructions, before linking.
  bpf_program* sub = nullptr;
  for (auto& p : obj->programs) {
    if (p->name == "sub_tgid") sub = p.get();
  }
  ASSERT_NE(sub, nullptr);
  ASSERT_TRUE(sub->is_subprog);
  bool found = false;
  for (const bpf_insn& in : sub->insns) found |= BPF_CLASS(in.code) == BPF_ALU64 && in.imm == 200;
  EXPECT_TRUE(found) << "tgid's offset in the subprogram";
}

TEST(ReloObject, UnreadableCustomBtfIsAClearError) {
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.btf_custom_path = "/nonexistent/target.btf";
  ObjectPtr obj(bpf_object__open_file(prog_path("core_task").c_str(), &opts));
  ASSERT_NE(obj, nullptr);
  CapturePrint cap;
  auto r = object::relocate_core(*obj);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(CapturePrint::text().find("/nonexistent/target.btf"), std::string::npos) << CapturePrint::text();
}

}  // namespace
}  // namespace bpfxx::test
