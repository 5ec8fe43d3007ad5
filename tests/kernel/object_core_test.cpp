// CO-RE against the running kernel: our own programs, with kernel types
// defined locally, read the current task (pid, tgid, comm, the parent
// chain) and ask the kernel's BTF about fields, types and enum values; the
// answers must equal what user space knows and what vmlinux BTF says. A
// reachable read of a missing member is poisoned, rejected by the verifier,
// and the load failure names the relocation, its function and source line.
#include <bpf/btf.h>
#include <gmock/gmock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "object_support.h"

namespace bpfxx::test {
namespace {

using ::testing::HasSubstr;

// BPF_PROG_TEST_RUN of a syscall program (no packet, no repeat).
int run_syscall_prog(const bpf_program* prog, __u32* retval) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  const int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
  *retval = opts.retval;
  return err;
}

std::string self_comm() {
  std::ifstream f("/proc/self/comm");
  std::string s;
  std::getline(f, s);
  return s;
}

// The parent pid of process pid, from /proc.
int parent_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("PPid:", 0) == 0) return std::stoi(line.substr(5));
  }
  return -1;
}

// A type, member or enumerator of vmlinux BTF.
struct Vmlinux {
  btf* b = btf__load_vmlinux_btf();
  ~Vmlinux() { btf__free(b); }
  const btf_type* type(const char* name, int kind) {
    const int id = btf__find_by_name_kind(b, name, kind);
    return id > 0 ? btf__type_by_id(b, id) : nullptr;
  }
  int64_t member_offset(const char* type_name, const char* member) {
    const btf_type* t = type(type_name, BTF_KIND_STRUCT);
    if (t == nullptr) return -1;
    for (int i = 0; i < btf_vlen(t); i++) {
      if (std::string(btf__name_by_offset(b, btf_members(t)[i].name_off)) == member)
        return btf_member_bit_offset(t, i) / 8;
    }
    return -1;
  }
  int64_t enum_value(const char* enum_name, const char* value) {
    const btf_type* t = type(enum_name, BTF_KIND_ENUM);
    if (t == nullptr) return -1;
    for (int i = 0; i < btf_vlen(t); i++) {
      if (std::string(btf__name_by_offset(b, btf_enum(t)[i].name_off)) == value) return btf_enum(t)[i].val;
    }
    return -1;
  }
};

TEST(ObjectCore, TaskFieldsReadThroughCoreEqualWhatUserSpaceKnows) {
  BPFXX_REQUIRE_ROOT();
  const std::vector<uint8_t> elf = prog_bytes("core_task");
  ObjectPtr obj = open_prog_object("core_task");
  ASSERT_NE(obj, nullptr);
  FullPrintCapture log;
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << log.text();
  __u32 retval = 1;
  ASSERT_EQ(run_syscall_prog(must_find_program(obj.get(), "read_task"), &retval), 0);
  EXPECT_EQ(retval, 0u);
  auto get = [&](const char* name) { return read_from_map<int>(obj.get(), find_global(elf, name)); };

  EXPECT_EQ(get("out_pid"), static_cast<int>(syscall(SYS_gettid)));
  EXPECT_EQ(get("out_tgid"), static_cast<int>(getpid()));
  EXPECT_EQ(get("out_sub_tgid"), static_cast<int>(getpid())) << "read in a subprogram";
  EXPECT_EQ(get("out_ppid"), static_cast<int>(getppid()));
  EXPECT_EQ(get("out_gppid"), parent_of(getppid())) << "real_parent->real_parent->tgid";
  const GlobalVar comm_var = find_global(elf, "out_comm");
  char comm[16] = {};
  {
    bpf_map* m = data_map(obj.get(), comm_var.section);
    ASSERT_NE(m, nullptr);
    std::vector<char> whole(bpf_map__value_size(m));
    const __u32 zero = 0;
    ASSERT_EQ(bpf_map_lookup_elem(bpf_map__fd(m), &zero, whole.data()), 0);
    std::memcpy(comm, whole.data() + comm_var.offset, sizeof comm);
  }
  comm[15] = 0;
  EXPECT_EQ(std::string(comm), self_comm());

  Vmlinux v;
  ASSERT_NE(v.b, nullptr);
  EXPECT_EQ(get("out_has_pid"), 1);
  EXPECT_EQ(get("out_has_fake"), 0) << "a flavor's member the kernel lacks";
  EXPECT_EQ(get("out_fake_pid_exists"), 1) << "the flavor's other member is found in task_struct";
  EXPECT_EQ(get("out_type_exists"), 1);
  EXPECT_EQ(get("out_type_missing"), 0);
  const btf_type* task = v.type("task_struct", BTF_KIND_STRUCT);
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(static_cast<__u32>(get("out_task_size")), task->size);
  EXPECT_EQ(get("out_pidtype_sid"), v.enum_value("pid_type", "PIDTYPE_SID"));
  EXPECT_EQ(get("out_sid_probe"), v.enum_value("pid_type", "PIDTYPE_SID")) << "enumerator flavor stripped";
  EXPECT_EQ(get("out_none_exists"), 0);
  EXPECT_EQ(get("out_none_value"), -1) << "the guarded, poisoned read never ran";
  EXPECT_EQ(get("out_comm_size"), 16);
  EXPECT_EQ(get("out_comm_offset"), v.member_offset("task_struct", "comm"));
  EXPECT_EQ(get("out_matches"), 1) << "every local member is in the kernel's task_struct";
  EXPECT_EQ(get("out_fake_matches"), 0) << "a member the kernel lacks";

  // Direct loads: the offsets of the load instructions were rewritten.
  ASSERT_EQ(run_syscall_prog(must_find_program(obj.get(), "read_task_direct"), &retval), 0);
  EXPECT_EQ(get("direct_pid"), static_cast<int>(syscall(SYS_gettid)));
  EXPECT_EQ(get("direct_tgid"), static_cast<int>(getppid())) << "real_parent->tgid";
}

// Loads one program of core_poison (the other's autoload off) and returns
// the load's return code with what was printed.
int load_only(const char* prog, std::string* printed) {
  ObjectPtr obj = open_prog_object("core_poison");
  if (!obj) return -100;
  bpf_program* p;
  bpf_object__for_each_program(p, obj.get()) {
    bpf_program__set_autoload(p, std::string(bpf_program__name(p)) == prog);
  }
  FullPrintCapture log;
  const int rc = bpf_object__load(obj.get());
  *printed = log.text();
  return rc;
}

TEST(ObjectCore, ReachablePoisonedReadFailsNamingTheRelocation) {
  BPFXX_REQUIRE_ROOT();
  std::string log;
  EXPECT_EQ(load_only("read_missing", &log), -EINVAL);
  EXPECT_THAT(log, HasSubstr("call unknown#195896080")) << "the verifier's own words are kept";
  EXPECT_THAT(log, HasSubstr("prog 'read_missing': bad CO-RE relocation reached: relo #0 of 'read_missing' (its "
                             "insn #1) failed to resolve <byte_off> [5] struct task_struct.bpfxx_no_such_member "
                             "(0:0): no matching target type among 1 candidate(s); at instruction #1, "
                             "core_poison.bpf.c:19: struct task_struct *t = (struct task_struct "
                             "*)bpf_get_current_task();\n"))
      << log;
}

TEST(ObjectCore, ReachablePoisonedReadInASubprogramIsTracedToIt) {
  BPFXX_REQUIRE_ROOT();
  std::string log;
  EXPECT_EQ(load_only("read_missing_in_subprog", &log), -EINVAL);
  // Final instruction #11 is the subprogram's own #1, where its relocation
  // #0 (of section .text) was poisoned.
  EXPECT_THAT(log, HasSubstr("prog 'read_missing_in_subprog': bad CO-RE relocation reached: relo #0 of "
                             "'read_in_sub' (its insn #1) failed to resolve <byte_off> [5] struct "
                             "task_struct.bpfxx_missing_in_sub (0:1): no matching target type among 1 "
                             "candidate(s); at instruction #11 (in 'read_in_sub'), core_poison.bpf.c:25: static "
                             "__attribute__((noinline)) int read_in_sub(struct task_struct *t)\n"))
      << log;
}

TEST(ObjectCore, CustomBtfPathReplacesTheKernelsBtf) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.btf_custom_path = "/nonexistent/bpfxx-btf";
  ObjectPtr obj = open_prog_object("core_task", &opts);
  ASSERT_NE(obj, nullptr);
  FullPrintCapture log;
  EXPECT_LT(bpf_object__load(obj.get()), 0);
  EXPECT_THAT(log.text(), HasSubstr("/nonexistent/bpfxx-btf"));

  // The kernel's own BTF given as a custom file gives the same answers.
  LIBBPF_OPTS(bpf_object_open_opts, opts2);
  opts2.btf_custom_path = "/sys/kernel/btf/vmlinux";
  ObjectPtr obj2 = open_prog_object("core_task", &opts2);
  ASSERT_NE(obj2, nullptr);
  ASSERT_EQ(bpf_object__load(obj2.get()), 0) << log.text();
  __u32 retval = 1;
  ASSERT_EQ(run_syscall_prog(must_find_program(obj2.get(), "read_task"), &retval), 0);
  const std::vector<uint8_t> elf = prog_bytes("core_task");
  EXPECT_EQ(read_from_map<int>(obj2.get(), find_global(elf, "out_tgid")), static_cast<int>(getpid()));
}

}  // namespace
}  // namespace bpfxx::test
