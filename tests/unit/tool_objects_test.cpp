// The tool's kernel-object walking and info records against a fake kernel:
// one object open at a time, which open errors may be skipped, withheld
// xlated instructions, perf-event link records and over-long link names;
// and JSON strings that stay valid UTF-8 whatever bytes they are given.
#include "fake_kernel.h"

#include "json_writer.h"
#include "kernel_objects.h"

#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

using bpfxx::tool::ObjKind;

// Programs with ids 1..3; open_errors[id] makes opening that id fail.
struct FakePrograms {
  std::map<uint32_t, long> open_errors;
  int open_now = 0;  // fds handed out and not yet closed
  int most_open = 0;

  void install(FakeKernel& k) {
    k.on_bpf = [this](int cmd, union bpf_attr* attr, unsigned int) -> long {
      if (cmd == BPF_PROG_GET_NEXT_ID) {
        if (attr->start_id >= 3) return -ENOENT;
        attr->next_id = attr->start_id + 1;
        return 0;
      }
      if (cmd == BPF_PROG_GET_FD_BY_ID) {
        auto it = open_errors.find(attr->prog_id);
        if (it != open_errors.end()) return it->second;
        open_now++;
        most_open = std::max(most_open, open_now);
        return 100 + static_cast<long>(attr->prog_id);
      }
      return FakeKernel::kDefer;
    };
  }
};

// Counts the fake's closes as they happen.
class CountingKernel : public FakeKernel {
 public:
  FakePrograms* progs = nullptr;
  int close(int fd) override {
    if (progs != nullptr && fd >= 100) progs->open_now--;
    return FakeKernel::close(fd);
  }
};

TEST(ToolObjects, WalksEveryObjectOneFdAtATime) {
  CountingKernel k;
  FakePrograms progs;
  k.progs = &progs;
  progs.install(k);
  ScopedKernel scope(&k);
  std::vector<int> seen;
  std::string error;
  int err = bpfxx::tool::for_each_object(
      ObjKind::Prog,
      [&](int fd) {
        seen.push_back(fd);
        return 0;
      },
      &error);
  EXPECT_EQ(err, 0) << error;
  EXPECT_EQ(seen, (std::vector<int>{101, 102, 103}));
  EXPECT_EQ(progs.most_open, 1);  // never more than one fd held
  EXPECT_EQ(progs.open_now, 0);   // and none left open
}

TEST(ToolObjects, SkipsObjectsThatWentAway) {
  CountingKernel k;
  FakePrograms progs;
  k.progs = &progs;
  progs.open_errors[2] = -ENOENT;
  progs.install(k);
  ScopedKernel scope(&k);
  std::vector<int> seen;
  std::string error;
  int err = bpfxx::tool::for_each_object(
      ObjKind::Prog,
      [&](int fd) {
        seen.push_back(fd);
        return 0;
      },
      &error);
  EXPECT_EQ(err, 0) << error;
  EXPECT_EQ(seen, (std::vector<int>{101, 103}));
}

TEST(ToolObjects, ReportsOtherOpenErrors) {
  for (long open_err : {-EMFILE, -EPERM}) {
    CountingKernel k;
    FakePrograms progs;
    k.progs = &progs;
    progs.open_errors[2] = open_err;
    progs.install(k);
    ScopedKernel scope(&k);
    std::vector<int> seen;
    std::string error;
    int err = bpfxx::tool::for_each_object(
        ObjKind::Prog,
        [&](int fd) {
          seen.push_back(fd);
          return 0;
        },
        &error);
    EXPECT_EQ(err, open_err);
    EXPECT_NE(error.find("program id 2"), std::string::npos) << error;
    EXPECT_NE(error.find(std::strerror(static_cast<int>(-open_err))), std::string::npos) << error;
    EXPECT_EQ(seen, (std::vector<int>{101}));
    EXPECT_EQ(progs.open_now, 0);
  }
}

TEST(ToolObjects, StopsWhenTheVisitorFails) {
  CountingKernel k;
  FakePrograms progs;
  k.progs = &progs;
  progs.install(k);
  ScopedKernel scope(&k);
  int visits = 0;
  std::string error;
  int err = bpfxx::tool::for_each_object(ObjKind::Prog, [&](int) { return ++visits == 2 ? -EIO : 0; }, &error);
  EXPECT_EQ(err, -EIO);
  EXPECT_EQ(visits, 2);
  EXPECT_EQ(progs.open_now, 0);
}

TEST(ToolObjects, NameSearchReportsOpenErrors) {
  CountingKernel k;
  FakePrograms progs;
  k.progs = &progs;
  progs.open_errors[1] = -ENOENT;  // went away: skipped
  progs.open_errors[2] = -EMFILE;  // must not be taken for "went away"
  progs.install(k);
  ScopedKernel scope(&k);
  bpfxx::tool::Selector sel;
  sel.kind = bpfxx::tool::Selector::Name;
  sel.text = "nothing_has_this";
  std::vector<bpfxx::tool::Fd> fds;
  std::string error;
  EXPECT_EQ(bpfxx::tool::open_selected(ObjKind::Prog, sel, &fds, &error), -EMFILE);
  EXPECT_NE(error.find("program id 2"), std::string::npos) << error;
  EXPECT_TRUE(fds.empty());
}

// BPF_OBJ_GET_INFO_BY_FD for a program of two instructions; `withhold`
// behaves like bpf_jit_harden with kptr_restrict: length kept, no copy.
long prog_info(union bpf_attr* attr, bool withhold) {
  auto* info = reinterpret_cast<bpf_prog_info*>(static_cast<uintptr_t>(attr->info.info));
  const uint64_t buf = info->xlated_prog_insns;
  info->xlated_prog_len = 2 * sizeof(bpf_insn);
  if (buf == 0) return 0;
  if (withhold) {
    info->xlated_prog_insns = 0;
    return 0;
  }
  bpf_insn insns[2] = {};
  insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
  insns[0].imm = 7;
  insns[1].code = BPF_JMP | BPF_EXIT;
  std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(buf)), insns, sizeof(insns));
  return 0;
}

TEST(ToolObjects, XlatedInstructionsAreRead) {
  FakeKernel k;
  k.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    return cmd == BPF_OBJ_GET_INFO_BY_FD ? prog_info(attr, false) : FakeKernel::kDefer;
  };
  ScopedKernel scope(&k);
  std::vector<bpf_insn> insns;
  ASSERT_EQ(bpfxx::tool::get_prog_xlated(5, &insns), 0);
  ASSERT_EQ(insns.size(), 2u);
  EXPECT_EQ(insns[0].imm, 7);
  EXPECT_EQ(insns[1].code, BPF_JMP | BPF_EXIT);
}

TEST(ToolObjects, WithheldXlatedInstructionsAreAnError) {
  FakeKernel k;
  k.on_bpf = [](int cmd, union bpf_attr* attr, unsigned int) -> long {
    return cmd == BPF_OBJ_GET_INFO_BY_FD ? prog_info(attr, true) : FakeKernel::kDefer;
  };
  ScopedKernel scope(&k);
  std::vector<bpf_insn> insns;
  EXPECT_EQ(bpfxx::tool::get_prog_xlated(5, &insns), -EPERM);
}

// A perf-event link of the given kind. Named kinds copy `name` into the
// caller's buffer the way the kernel does (-ENOSPC when it does not fit).
struct FakePerfLink {
  uint32_t kind = BPF_PERF_EVENT_EVENT;
  std::string name;
  int info_calls = 0;
  uint64_t name_buf_seen = 0;
  uint32_t name_len_seen = 0;

  long info(union bpf_attr* attr) {
    info_calls++;
    auto* li = reinterpret_cast<bpf_link_info*>(static_cast<uintptr_t>(attr->info.info));
    const uint64_t buf = li->perf_event.uprobe.file_name;
    const uint32_t len = li->perf_event.uprobe.name_len;
    li->type = BPF_LINK_TYPE_PERF_EVENT;
    li->id = 9;
    li->prog_id = 4;
    li->perf_event.type = kind;
    if (kind == BPF_PERF_EVENT_EVENT) {
      // config lives where the named kinds keep the name's address.
      li->perf_event.event.config = 0x1234;
      li->perf_event.event.type = 1;
      return 0;
    }
    li->perf_event.uprobe.offset = 0x40;
    if (buf == 0) return 0;
    name_buf_seen = buf;
    name_len_seen = len;
    char* out = reinterpret_cast<char*>(static_cast<uintptr_t>(buf));
    if (name.size() + 1 > len) {
      std::memcpy(out, name.data(), len - 1);
      out[len - 1] = 0;
      return -ENOSPC;  // and the record is not copied back
    }
    std::memcpy(out, name.c_str(), name.size() + 1);
    return 0;
  }

  void install(FakeKernel& k) {
    k.on_bpf = [this](int cmd, union bpf_attr* attr, unsigned int) -> long {
      return cmd == BPF_OBJ_GET_INFO_BY_FD ? info(attr) : FakeKernel::kDefer;
    };
  }
};

TEST(ToolObjects, PerfEventLinkKeepsItsConfig) {
  FakeKernel k;
  FakePerfLink link;
  link.install(k);
  ScopedKernel scope(&k);
  bpfxx::tool::LinkInfo l;
  ASSERT_EQ(bpfxx::tool::get_link_info(7, &l), 0);
  EXPECT_EQ(l.info.perf_event.type, static_cast<uint32_t>(BPF_PERF_EVENT_EVENT));
  EXPECT_EQ(l.info.perf_event.event.config, 0x1234u);
  EXPECT_EQ(l.info.perf_event.event.type, 1u);
  EXPECT_EQ(link.name_buf_seen, 0u);  // no name buffer where config lives
  EXPECT_TRUE(l.name.empty());
}

TEST(ToolObjects, UprobeLinkNameAndOffset) {
  FakeKernel k;
  FakePerfLink link;
  link.kind = BPF_PERF_EVENT_UPROBE;
  link.name = "/usr/lib/libc.so.6";
  link.install(k);
  ScopedKernel scope(&k);
  bpfxx::tool::LinkInfo l;
  ASSERT_EQ(bpfxx::tool::get_link_info(7, &l), 0);
  EXPECT_EQ(l.name, link.name);
  EXPECT_FALSE(l.name_truncated);
  EXPECT_EQ(link.name_len_seen, static_cast<uint32_t>(PATH_MAX));
  EXPECT_EQ(l.info.perf_event.uprobe.offset, 0x40u);
  EXPECT_EQ(l.info.perf_event.uprobe.file_name, 0u);  // our buffer is not handed out
}

TEST(ToolObjects, OverlongLinkNameIsTruncatedNotFatal) {
  FakeKernel k;
  FakePerfLink link;
  link.kind = BPF_PERF_EVENT_UPROBE;
  link.name = "/" + std::string(PATH_MAX + 100, 'a');
  link.install(k);
  ScopedKernel scope(&k);
  bpfxx::tool::LinkInfo l;
  ASSERT_EQ(bpfxx::tool::get_link_info(7, &l), 0);
  EXPECT_TRUE(l.name_truncated);
  EXPECT_EQ(l.name, link.name.substr(0, PATH_MAX - 1));
  EXPECT_EQ(l.info.id, 9u);
  EXPECT_EQ(l.info.perf_event.type, static_cast<uint32_t>(BPF_PERF_EVENT_UPROBE));
  EXPECT_EQ(l.info.perf_event.uprobe.offset, 0x40u);
}

TEST(ToolJsonQuote, InvalidUtf8BytesAreEscaped) {
  using bpfxx::tool::json_quote;
  EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");               // valid: kept
  EXPECT_EQ(json_quote("\xe2\x82\xac"), "\"\xe2\x82\xac\"");             // U+20AC kept
  EXPECT_EQ(json_quote("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");     // U+1F600 kept
  EXPECT_EQ(json_quote("a\xff" "b"), "\"a\\u00ffb\"");                   // never valid
  EXPECT_EQ(json_quote("\xc0\x80"), "\"\\u00c0\\u0080\"");               // overlong NUL
  EXPECT_EQ(json_quote("\xe2\x82"), "\"\\u00e2\\u0082\"");               // cut short
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");    // a surrogate
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), "\"\\u00f4\\u0090\\u0080\\u0080\"");  // past U+10FFFF
  EXPECT_EQ(json_quote("\xc3" "A"), "\"\\u00c3A\"");                     // lead without continuation
}

}  // namespace
}  // namespace bpfxx::test
