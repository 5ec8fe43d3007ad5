// An exception callback named by a decl tag is appended to its program
// (though nothing calls it) with its own func_info record, which is how the
// kernel finds it; a program without the tag gets nothing appended.
#include "object_support.h"
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace bpfxx::test;

std::string func_name(const bpf_object* obj, __u32 type_id) {
  const btf* b = bpf_object__btf(obj);
  const btf_type* t = btf__type_by_id(b, type_id);
  return t != nullptr ? btf__name_by_offset(b, t->name_off) : "";
}

TEST(ObjectExceptionCallback, TaggedCallbackIsAppendedAndAcceptedByTheKernel) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("load_exception_cb");
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "with_exception_cb");
  ASSERT_NE(prog, nullptr);
  const size_t own = bpf_program__insn_cnt(prog);
  if (!kernel_has_func("bpf_throw")) {
    // Exception callbacks came with bpf_throw() (BPF exceptions). An older
    // kernel sees one more func_info record than the subprograms it knows
    // and refuses the program, as it does with libbpf.
    FullPrintCapture capture;
    EXPECT_EQ(bpf_object__load(obj.get()), -EINVAL) << "expected the kernel to refuse the exception callback";
    EXPECT_NE(capture.text().find("with_exception_cb"), std::string::npos)
        << "expected the load failure to name the program, got: " << capture.text();
    return;
  }
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));

  // Main function first, then the callback, and nothing else.
  ASSERT_EQ(bpf_program__func_info_cnt(prog), 2u);
  const bpf_func_info* fi = bpf_program__func_info(prog);
  EXPECT_EQ(func_name(obj.get(), fi[0].type_id), "with_exception_cb");
  EXPECT_EQ(func_name(obj.get(), fi[1].type_id), "on_exception");
  EXPECT_EQ(fi[1].insn_off, own) << "the callback starts right after the program";

  // The kernel kept both functions (it rejects a tag whose callback is
  // missing from func_info) and the program runs.
  bpf_prog_info info{};
  __u32 len = sizeof info;
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len));
  EXPECT_EQ(info.nr_func_info, 2u);
  __u8 pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof pkt, .repeat = 1);
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &run));
  EXPECT_EQ(run.retval, static_cast<__u32>(XDP_PASS));
}

}  // namespace
