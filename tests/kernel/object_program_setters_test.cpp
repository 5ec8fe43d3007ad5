// Program settings between open and load: optional programs (SEC("?...")),
// autoload, replaced instructions, and logs that belong to this load only.
#include "object_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using namespace bpfxx::test;

TEST(ObjectOptionalProgram, NotLoadedUnlessAskedFor) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("load_optional");
  ASSERT_TRUE(obj);
  bpf_program* maybe = must_find_program(obj.get(), "maybe");
  ASSERT_NE(maybe, nullptr);
  // The '?' only turns autoload off: the section is still XDP.
  EXPECT_FALSE(bpf_program__autoload(maybe));
  EXPECT_STREQ(bpf_program__section_name(maybe), "xdp");
  EXPECT_EQ(bpf_program__type(maybe), BPF_PROG_TYPE_XDP);
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  EXPECT_LT(bpf_program__fd(maybe), 0);
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(must_find_program(obj.get(), "always"), &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS));
}

TEST(ObjectOptionalProgram, LoadsWhenAskedForWithItsLineInfo) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("load_optional");
  ASSERT_TRUE(obj);
  bpf_program* maybe = must_find_program(obj.get(), "maybe");
  ASSERT_NE(maybe, nullptr);
  BPFXX_ASSERT_OK(bpf_program__set_autoload(maybe, true));
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  // .BTF.ext names the section "?xdp": its records were found.
  EXPECT_EQ(bpf_program__func_info_cnt(maybe), 1u);
  EXPECT_GT(bpf_program__line_info_cnt(maybe), 0u);
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(maybe, &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_TX));
  bpf_map* bss = bpf_object__find_map_by_name(obj.get(), ".bss");
  ASSERT_NE(bss, nullptr);
  size_t size = 0;
  const int* runs = static_cast<const int*>(bpf_map__initial_value(bss, &size));
  ASSERT_NE(runs, nullptr);
  EXPECT_EQ(*runs, 1);
}

TEST(ObjectOptionalProgram, AutoloadCannotBeTurnedOnAfterPrepare) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("load_optional");
  ASSERT_TRUE(obj);
  bpf_program* maybe = must_find_program(obj.get(), "maybe");
  BPFXX_ASSERT_OK(bpf_object__prepare(obj.get()));
  // It was not relocated: loading it now would load the file's bytes.
  EXPECT_EQ(bpf_program__set_autoload(maybe, true), -EINVAL);
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  EXPECT_LT(bpf_program__fd(maybe), 0);
}

TEST(ObjectProgramInsns, ReplacedBeforeLoadAreLoadedAsGiven) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("load_optional");
  ASSERT_TRUE(obj);
  bpf_program* maybe = must_find_program(obj.get(), "maybe");
  BPFXX_ASSERT_OK(bpf_program__set_autoload(maybe, true));
  // Shorter than the original, whose relocation (maybe_runs) would land
  // past the end: the file's relocations no longer apply.
  bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_DROP},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  BPFXX_ASSERT_OK(bpf_program__set_insns(maybe, insns, 2));
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  EXPECT_EQ(bpf_program__insn_cnt(maybe), 2u);
  __u32 retval = 0;
  BPFXX_ASSERT_OK(test_run(maybe, &retval));
  EXPECT_EQ(retval, static_cast<__u32>(XDP_DROP));
}

TEST(ObjectProgramLog, OldBufferContentsAreNotReportedAsThisLoadsLog) {
  BPFXX_REQUIRE_ROOT();
  char buf[4096];
  // What a previous program's log could have left behind.
  std::snprintf(buf, sizeof buf, "0: R1=ctx()\n123: (85) call bogus#1\nstale error\n");
  LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = buf, .kernel_log_size = sizeof buf,
              .kernel_log_level = 1);
  ObjectPtr obj = open_prog_object("load_optional", &opts);
  ASSERT_TRUE(obj);
  // Refused before the verifier runs: no log at all this time.
  BPFXX_ASSERT_OK(bpf_program__set_flags(must_find_program(obj.get(), "always"), 1u << 30));
  FullPrintCapture cap;
  EXPECT_LT(bpf_object__load(obj.get()), 0);
  EXPECT_EQ(cap.text().find("stale error"), std::string::npos) << cap.text();
  EXPECT_EQ(cap.text().find("instruction #123"), std::string::npos) << cap.text();
  EXPECT_NE(cap.text().find("prog 'always': BPF program load failed"), std::string::npos) << cap.text();
}

}  // namespace
