// bpf_program__attach_tracing_multi(): fentry.multi/fexit.multi programs
// on the kernel's bpf_fentry_test1..10 hooks through one tracing multi
// link, by pattern, by BTF ids with cookies and by auto-attach. The
// programs need BPF trampolines and a kernel with tracing multi links; the
// load of the program is the probe: where it fails the positive tests skip
// with the kernel's answer, and the errors a user sees are checked.
#include "link/tracing_multi.h"
#include "link_support.h"
#include "sys/features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

class LinkTracingMulti : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object("attach_tracing_multi"));
  }

  // Loads the object; false (after recording the kernel's error) where the
  // kernel refuses multi-function tracing programs.
  bool try_load() {
    FullPrintCapture cap;
    if (bpf_object__load(obj_.get()) == 0) return true;
    load_errno_ = errno;
    load_log_ = cap.text();
    return false;
  }

  // BPF_PROG_TEST_RUN of a tracing program calls bpf_fentry_test1..10.
  void run_hooks() {
    __u32 retval = 0;
    ASSERT_EQ(test_run(prog("on_entry"), &retval), 0) << std::strerror(errno);
  }

  int load_errno_ = 0;
  std::string load_log_;
};

#define SKIP_WITHOUT_TRACING_MULTI()                                                                    \
  GTEST_SKIP() << "this kernel refuses fentry.multi programs (" << std::strerror(load_errno_)         \
               << "): it lacks BPF trampolines (" << sys::feature_description(sys::Feature::Trampoline) \
               << ": " << (sys::has_feature(sys::Feature::Trampoline) ? "yes" : "no")                  \
               << ") or tracing multi links"

TEST_F(LinkTracingMulti, PatternMatchesKernelBtfFunctions) {
  auto ids = link::tracing_multi_ids("bpf_fentry_test?");
  ASSERT_TRUE(ids.ok()) << ids.message();
  ASSERT_GE(ids->size(), 8u) << "bpf_fentry_test1..8 are in every kernel with BPF_PROG_TEST_RUN for tracing";
  btf* vmlinux = btf__load_vmlinux_btf();
  ASSERT_NE(vmlinux, nullptr);
  for (__u32 id : *ids) {
    const char* name = btf__name_by_offset(vmlinux, btf__type_by_id(vmlinux, id)->name_off);
    EXPECT_EQ(std::string(name).rfind("bpf_fentry_test", 0), 0u) << name;
    EXPECT_EQ(std::strlen(name), std::strlen("bpf_fentry_test1")) << name;
  }
  btf__free(vmlinux);
  auto none = link::tracing_multi_ids("bpfxx_no_such_function_*");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(LinkTracingMulti, ErrorsWhereTheKernelRefusesTheProgram) {
  if (try_load()) GTEST_SKIP() << "this kernel loads fentry.multi programs";
  EXPECT_TRUE(load_errno_ == EPERM || load_errno_ == EINVAL || load_errno_ == EOPNOTSUPP) << load_errno_;
  EXPECT_NE(load_log_.find("prog 'on_entry': BPF program load failed"), std::string::npos) << load_log_;
  // The unloaded program cannot be attached, and the user is told why.
  FullPrintCapture cap;
  EXPECT_EQ(bpf_program__attach_tracing_multi(prog("on_entry"), "bpf_fentry_test*", nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("prog 'on_entry': cannot attach to tracing multi link on 'bpf_fentry_test*': the "
                            "program is not loaded"),
            std::string::npos)
      << cap.text();
}

TEST_F(LinkTracingMulti, BadArgumentsAndWrongProgramKind) {
  // A loaded program of another kind: the USDT test object's.
  ObjectPtr other = open_prog_object("attach_usdt");
  ASSERT_NE(other, nullptr);
  autoload_only(other.get(), {"on_usdt"});
  bpf_program* usdt = must_find_program(other.get(), "on_usdt");
  ASSERT_EQ(bpf_object__load(other.get()), 0) << std::strerror(errno);
  const __u32 ids[] = {1, 2};
  const __u64 cookies[] = {1, 2};
  {
    FullPrintCapture cap;
    LIBBPF_OPTS(bpf_tracing_multi_opts, opts, .ids = ids, .cnt = 2);
    EXPECT_EQ(bpf_program__attach_tracing_multi(usdt, "bpf_fentry_test*", &opts), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("give either a pattern, or ids (with optional cookies) and cnt"), std::string::npos)
        << cap.text();
  }
  {
    LIBBPF_OPTS(bpf_tracing_multi_opts, opts, .cookies = cookies, .cnt = 2);
    EXPECT_EQ(bpf_program__attach_tracing_multi(usdt, nullptr, &opts), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(bpf_program__attach_tracing_multi(usdt, nullptr, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
  }
  {
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach_tracing_multi(usdt, "bpf_fentry_test*", nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("prog 'on_usdt': cannot attach tracing multi link on 'bpf_fentry_test*': the "
                              "program is not a fentry.multi, fexit.multi or fsession.multi program"),
              std::string::npos)
        << cap.text();
  }
  {
    struct {
      bpf_tracing_multi_opts o;
      uint64_t extra;
    } big{};
    big.o.sz = sizeof big;
    big.extra = 1;
    EXPECT_EQ(bpf_program__attach_tracing_multi(usdt, "x", &big.o), nullptr);
    EXPECT_EQ(errno, EINVAL);
  }
  EXPECT_EQ(bpf_program__attach_tracing_multi(nullptr, "x", nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(LinkTracingMulti, PatternLinkCountsEveryHook) {
  if (!try_load()) SKIP_WITHOUT_TRACING_MULTI();
  LinkPtr entry(bpf_program__attach_tracing_multi(prog("on_entry"), "bpf_fentry_test*", nullptr));
  ASSERT_NE(entry, nullptr) << std::strerror(errno);
  LinkPtr exit_link(bpf_program__attach_tracing_multi(prog("on_exit"), "bpf_fentry_test*", nullptr));
  ASSERT_NE(exit_link, nullptr) << std::strerror(errno);
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(entry.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_TRACING_MULTI);
  auto ids = link::tracing_multi_ids("bpf_fentry_test*");
  ASSERT_TRUE(ids.ok());
  run_hooks();
  EXPECT_EQ(global("entry_hits"), ids->size());
  EXPECT_EQ(global("exit_hits"), ids->size());
  entry.reset();
  exit_link.reset();
  run_hooks();
  EXPECT_EQ(global("entry_hits"), ids->size()) << "no hits after detach";
}

TEST_F(LinkTracingMulti, IdsWithCookies) {
  if (!try_load()) SKIP_WITHOUT_TRACING_MULTI();
  auto one = link::tracing_multi_ids("bpf_fentry_test1");
  auto two = link::tracing_multi_ids("bpf_fentry_test2");
  ASSERT_TRUE(one.ok() && two.ok() && one->size() == 1 && two->size() == 1);
  const __u32 list[] = {(*one)[0], (*two)[0]};
  const __u64 cookies[] = {100, 20};
  LIBBPF_OPTS(bpf_tracing_multi_opts, opts, .ids = list, .cookies = cookies, .cnt = 2);
  LinkPtr link(bpf_program__attach_tracing_multi(prog("on_entry"), nullptr, &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  run_hooks();
  EXPECT_EQ(global("entry_hits"), 2u);
  EXPECT_EQ(global("entry_cookie_sum"), 120u);
}

TEST_F(LinkTracingMulti, AutoAttachUsesTheSectionPattern) {
  if (!try_load()) SKIP_WITHOUT_TRACING_MULTI();
  LinkPtr link(bpf_program__attach(prog("on_entry")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  run_hooks();
  EXPECT_EQ(global("entry_hits"), 1u) << "only bpf_fentry_test1, named in the section";
}

}  // namespace
}  // namespace bpfxx::test
