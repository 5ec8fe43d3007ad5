// The program-type table of ELF section names: libbpf_prog_type_by_name,
// libbpf_attach_type_by_name, custom program handlers and the internal
// lookup the object loader uses.
#include <bpf/libbpf.h>

#include "object/section_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using bpfxx::object::AttachKind;
using bpfxx::object::find_section_def;
using bpfxx::object::SectionDef;

constexpr auto kNoAttach = static_cast<bpf_attach_type>(0);

// ---- print capture ---------------------------------------------------------

std::vector<std::string> g_messages;

int capture(enum libbpf_print_level, const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  const int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string s(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  vsnprintf(s.data(), s.size() + 1, fmt, args);
  g_messages.push_back(std::move(s));
  return 0;
}

struct PrintCapture {
  libbpf_print_fn_t old;
  PrintCapture() : old(libbpf_set_print(capture)) { g_messages.clear(); }
  ~PrintCapture() { libbpf_set_print(old); }
  bool saw(const std::string& needle) const {
    for (const auto& m : g_messages)
      if (m.find(needle) != std::string::npos) return true;
    return false;
  }
};

struct Quiet {
  libbpf_print_fn_t old;
  Quiet() : old(libbpf_set_print(nullptr)) {}
  ~Quiet() { libbpf_set_print(old); }
};

// ---- the seed's table ----------------------------------------------------------

// Every row of the "Program Types and ELF Sections" table of the seed
// documentation. The seed's text was extracted from a PDF and lost some
// structure; the rows below are its content put back in order: the
// sock_addr rows belong to BPF_PROG_TYPE_CGROUP_SOCK_ADDR, the sock rows to
// BPF_PROG_TYPE_CGROUP_SOCK, and a trailing '+' marks the names that also
// take "/extras". Where the documentation spells "cgroup/recvmmsg4" (and
// 6, unix), the section libbpf actually recognizes is "cgroup/recvmsg4".
struct SeedRow {
  const char* sec;
  bpf_prog_type type;
  bpf_attach_type attach;
  bool sleepable;
};

const SeedRow kSeedRows[] = {
    {"cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, false},
    {"cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, kNoAttach, false},
    {"cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, false},
    {"cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, false},
    {"cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, false},
    {"cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, false},
    {"cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, false},
    {"cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, false},
    {"cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, false},
    {"cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, false},
    {"cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, false},
    {"cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, false},
    {"cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, false},
    {"cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, false},
    {"cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, false},
    {"cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, false},
    {"cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, false},
    {"cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, false},
    {"cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT, false},
    {"cgroup/sendmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG, false},
    {"cgroup/recvmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG, false},
    {"cgroup/getpeername_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME,
     false},
    {"cgroup/getsockname_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME,
     false},
    {"cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, false},
    {"cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, false},
    {"cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, false},
    {"cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, false},
    {"cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, false},
    {"cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, false},
    {"freplace+", BPF_PROG_TYPE_EXT, kNoAttach, false},
    {"flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, false},
    {"kprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"kretprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"ksyscall+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"kretsyscall+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"uprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"uprobe.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, true},
    {"uretprobe+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"uretprobe.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, true},
    {"usdt+", BPF_PROG_TYPE_KPROBE, kNoAttach, false},
    {"kprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, false},
    {"kretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, false},
    {"lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, false},
    {"lsm_cgroup+", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, false},
    {"lsm+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, false},
    {"lsm.s+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, true},
    {"lwt_in", BPF_PROG_TYPE_LWT_IN, kNoAttach, false},
    {"lwt_out", BPF_PROG_TYPE_LWT_OUT, kNoAttach, false},
    {"lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, kNoAttach, false},
    {"lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, kNoAttach, false},
    {"perf_event", BPF_PROG_TYPE_PERF_EVENT, kNoAttach, false},
    {"raw_tp.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, kNoAttach, false},
    {"raw_tracepoint.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, kNoAttach, false},
    {"raw_tp+", BPF_PROG_TYPE_RAW_TRACEPOINT, kNoAttach, false},
    {"raw_tracepoint+", BPF_PROG_TYPE_RAW_TRACEPOINT, kNoAttach, false},
    {"action", BPF_PROG_TYPE_SCHED_ACT, kNoAttach, false},
    {"classifier", BPF_PROG_TYPE_SCHED_CLS, kNoAttach, false},
    {"tc", BPF_PROG_TYPE_SCHED_CLS, kNoAttach, false},
    {"sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, false},
    {"sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, false},
    {"sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE,
     false},
    {"sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, false},
    {"sk_skb", BPF_PROG_TYPE_SK_SKB, kNoAttach, false},
    {"sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, false},
    {"sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, false},
    {"socket", BPF_PROG_TYPE_SOCKET_FILTER, kNoAttach, false},
    {"sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, false},
    {"struct_ops+", BPF_PROG_TYPE_STRUCT_OPS, kNoAttach, false},
    {"syscall", BPF_PROG_TYPE_SYSCALL, kNoAttach, true},
    {"tp+", BPF_PROG_TYPE_TRACEPOINT, kNoAttach, false},
    {"tracepoint+", BPF_PROG_TYPE_TRACEPOINT, kNoAttach, false},
    {"fmod_ret+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, false},
    {"fmod_ret.s+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, true},
    {"fentry+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, false},
    {"fentry.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, true},
    {"fexit+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, false},
    {"fexit.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, true},
    {"iter+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, false},
    {"iter.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, true},
    {"tp_btf+", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, false},
    {"xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, false},
    {"xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, false},
    {"xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, false},
    {"xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, false},
    {"xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, false},
    {"xdp", BPF_PROG_TYPE_XDP, BPF_XDP, false},
};

// Sections libbpf 1.8 accepts beyond the seed's table.
const SeedRow kNewerRows[] = {
    {"kprobe.session+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_SESSION, false},
    {"uprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, false},
    {"uretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, false},
    {"uprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, true},
    {"uretprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, true},
    {"uprobe.session+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_SESSION, false},
    {"uprobe.session.s+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_SESSION, true},
    {"usdt.s+", BPF_PROG_TYPE_KPROBE, kNoAttach, true},
    {"tc/ingress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS, false},
    {"tc/egress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_EGRESS, false},
    {"tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS, false},
    {"tcx/egress", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_EGRESS, false},
    {"netkit/primary", BPF_PROG_TYPE_SCHED_CLS, BPF_NETKIT_PRIMARY, false},
    {"netkit/peer", BPF_PROG_TYPE_SCHED_CLS, BPF_NETKIT_PEER, false},
    {"fsession+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION, false},
    {"fsession.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION, true},
    {"fentry.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY_MULTI, false},
    {"fexit.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT_MULTI, false},
    {"fsession.multi+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION_MULTI, false},
    {"fentry.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY_MULTI, true},
    {"fexit.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT_MULTI, true},
    {"fsession.multi.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FSESSION_MULTI, true},
    {"sk_skb/verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_VERDICT, false},
    {"struct_ops.s+", BPF_PROG_TYPE_STRUCT_OPS, kNoAttach, true},
    {"netfilter", BPF_PROG_TYPE_NETFILTER, BPF_NETFILTER, false},
};

// Checks one row: the bare name, and for "type+" rows also "type/extras".
void check_row(const SeedRow& row) {
  std::string sec = row.sec;
  const bool plus = sec.back() == '+';
  if (plus) sec.pop_back();

  std::vector<std::string> names{sec};
  if (plus) {
    names.push_back(sec + "/some_target");
    names.push_back(sec + "/a/b:c+0x10");
  }
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto type = static_cast<bpf_prog_type>(-1);
    auto attach = static_cast<bpf_attach_type>(-1);
    ASSERT_EQ(libbpf_prog_type_by_name(name.c_str(), &type, &attach), 0);
    EXPECT_EQ(type, row.type);
    EXPECT_EQ(attach, row.attach);
    const SectionDef* d = find_section_def(name);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(std::string(d->sec), row.sec);
    EXPECT_EQ(d->has(bpfxx::object::kSleepable), row.sleepable);
    EXPECT_FALSE(d->is_custom());
  }
  if (!plus) {
    // An exact name takes no extras.
    const std::string longer = sec + "/extra";
    const SectionDef* d = find_section_def(longer);
    if (d) {
      EXPECT_NE(std::string(d->sec), row.sec) << longer;
    }
  }
}

TEST(SectionTable, EverySeedRowResolves) {
  for (const SeedRow& row : kSeedRows) check_row(row);
}

TEST(SectionTable, NewerLibbpfSectionsResolve) {
  for (const SeedRow& row : kNewerRows) check_row(row);
}

TEST(SectionTable, EveryBuiltinRowIsCoveredByTheTests) {
  size_t listed = 0;
  for (const SectionDef& d : bpfxx::object::builtin_section_defs()) {
    bool found = false;
    for (const SeedRow& r : kSeedRows) found = found || std::strcmp(r.sec, d.sec) == 0;
    for (const SeedRow& r : kNewerRows) found = found || std::strcmp(r.sec, d.sec) == 0;
    EXPECT_TRUE(found) << d.sec;
    ++listed;
  }
  EXPECT_EQ(listed, std::size(kSeedRows) + std::size(kNewerRows));
}

TEST(SectionTable, EveryBuiltinRowIsReachable) {
  // A row shadowed by an earlier one could never be found.
  for (const SectionDef& d : bpfxx::object::builtin_section_defs()) {
    std::string name = d.sec;
    if (name.back() == '+') name.pop_back();
    EXPECT_EQ(find_section_def(name), &d) << name;
  }
}

TEST(SectionTable, SleepableFlagFollowsTheDotSSuffix) {
  for (const SectionDef& d : bpfxx::object::builtin_section_defs()) {
    std::string name = d.sec;
    if (name.back() == '+') name.pop_back();
    const bool dot_s = name.size() > 2 && name.compare(name.size() - 2, 2, ".s") == 0;
    EXPECT_EQ(d.has(bpfxx::object::kSleepable), dot_s || name == "syscall") << d.sec;
  }
}

// ---- matching rules -------------------------------------------------------

int type_of(const char* name, bpf_prog_type* type, bpf_attach_type* attach) {
  Quiet q;
  return libbpf_prog_type_by_name(name, type, attach);
}

TEST(SectionTable, ExactRulesTakeNoExtras) {
  bpf_prog_type type;
  bpf_attach_type attach;
  EXPECT_EQ(type_of("socket/foo", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("sockets", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("xdp/foo", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("tc/other", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("syscall/x", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("cgroup/sock_createx", &type, &attach), -ESRCH);
}

TEST(SectionTable, PlusRulesNeedASlashSeparator) {
  bpf_prog_type type;
  bpf_attach_type attach;
  EXPECT_EQ(type_of("kprobeX", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("kprobe_do_sys_open", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("kprobe.", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("tracepoints/x", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("fentry.x/foo", &type, &attach), -ESRCH);

  ASSERT_EQ(type_of("kprobe/", &type, &attach), 0);  // empty extras still match
  EXPECT_EQ(type, BPF_PROG_TYPE_KPROBE);
  ASSERT_EQ(type_of("uprobe//proc/self/exe:main+0x4", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_KPROBE);
}

TEST(SectionTable, CloseNamesPickTheRightRow) {
  EXPECT_STREQ(find_section_def("sk_reuseport/migrate")->sec, "sk_reuseport/migrate");
  EXPECT_STREQ(find_section_def("sk_reuseport")->sec, "sk_reuseport");
  EXPECT_STREQ(find_section_def("lsm_cgroup/socket_bind")->sec, "lsm_cgroup+");
  EXPECT_STREQ(find_section_def("lsm/file_open")->sec, "lsm+");
  EXPECT_STREQ(find_section_def("lsm.s/bprm_committed_creds")->sec, "lsm.s+");
  EXPECT_STREQ(find_section_def("raw_tp.w/bpf_test_finish")->sec, "raw_tp.w+");
  EXPECT_STREQ(find_section_def("raw_tp/sys_enter")->sec, "raw_tp+");
  EXPECT_STREQ(find_section_def("kprobe.multi/do_*")->sec, "kprobe.multi+");
  EXPECT_STREQ(find_section_def("kretprobe/do_unlinkat")->sec, "kretprobe+");
  EXPECT_STREQ(find_section_def("uprobe.multi.s/libc.so.6:malloc")->sec, "uprobe.multi.s+");
  EXPECT_STREQ(find_section_def("fentry.multi/bpf_fentry_test*")->sec, "fentry.multi+");
  EXPECT_STREQ(find_section_def("cgroup/sock")->sec, "cgroup/sock");
  EXPECT_STREQ(find_section_def("cgroup/sock_release")->sec, "cgroup/sock_release");
  EXPECT_STREQ(find_section_def("xdp.frags")->sec, "xdp.frags");
  EXPECT_STREQ(find_section_def("tc/ingress")->sec, "tc/ingress");
}

TEST(SectionTable, FlagsAndAttachKinds) {
  using namespace bpfxx::object;
  const SectionDef* d = find_section_def("fentry/do_unlinkat");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has(kAttachBtf));
  EXPECT_FALSE(d->has(kSleepable));
  EXPECT_EQ(d->attach, AttachKind::kTrace);

  d = find_section_def("usdt.s/a:b:c");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has(kUsdt | kSleepable));
  EXPECT_EQ(d->attach, AttachKind::kUsdt);

  d = find_section_def("xdp.frags/devmap");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has(kXdpFrags));
  EXPECT_FALSE(d->has(kAttachable));

  d = find_section_def("xdp");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has(kAttachableOpt));

  d = find_section_def("fsession.multi/bpf_fentry_test*");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has(kAttachBtfMulti));
  EXPECT_EQ(d->attach, AttachKind::kTracingMulti);

  EXPECT_EQ(find_section_def("lsm_cgroup/x")->attach, AttachKind::kNone);
  EXPECT_EQ(find_section_def("tp/syscalls/sys_enter_write")->attach, AttachKind::kTracepoint);
  EXPECT_EQ(find_section_def("iter/task")->attach, AttachKind::kIter);
  EXPECT_EQ(find_section_def("ksyscall/openat")->attach, AttachKind::kKsyscall);
  EXPECT_EQ(find_section_def("kprobe.session/x")->attach, AttachKind::kKprobeSession);
  EXPECT_EQ(find_section_def("uprobe.session/x")->attach, AttachKind::kUprobeSession);
  EXPECT_EQ(find_section_def("socket")->attach, AttachKind::kNone);
}

TEST(SectionTable, ExtrasAreWhatFollowsTheFirstSlash) {
  using bpfxx::object::section_extras;
  EXPECT_EQ(section_extras("fentry/do_unlinkat"), "do_unlinkat");
  EXPECT_EQ(section_extras("tracepoint/syscalls/sys_enter_openat"), "syscalls/sys_enter_openat");
  EXPECT_EQ(section_extras("fentry"), "");
  EXPECT_EQ(section_extras("kprobe/"), "");
}

TEST(SectionTable, MatcherHandlesEveryPatternForm) {
  using bpfxx::object::section_matches;
  EXPECT_TRUE(section_matches("a", "a"));
  EXPECT_FALSE(section_matches("a", "a/b"));
  EXPECT_TRUE(section_matches("a+", "a"));
  EXPECT_TRUE(section_matches("a+", "a/b"));
  EXPECT_FALSE(section_matches("a+", "ab"));
  EXPECT_FALSE(section_matches("a+", ""));
  EXPECT_TRUE(section_matches("a/", "a/b"));
  EXPECT_TRUE(section_matches("a/", "a/"));
  EXPECT_FALSE(section_matches("a/", "a"));
  EXPECT_FALSE(section_matches("", ""));
  EXPECT_FALSE(section_matches("", "a"));
}

// ---- libbpf_prog_type_by_name errors ---------------------------------------

TEST(ProgTypeByName, UnknownNameIsEsrchAndListsTheSupportedNames) {
  PrintCapture cap;
  bpf_prog_type type = BPF_PROG_TYPE_XDP;
  bpf_attach_type attach = BPF_XDP;
  errno = 0;
  EXPECT_EQ(libbpf_prog_type_by_name("no_such_section/x", &type, &attach), -ESRCH);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_EQ(type, BPF_PROG_TYPE_XDP);  // untouched
  EXPECT_EQ(attach, BPF_XDP);
  EXPECT_TRUE(cap.saw("'no_such_section/x'"));
  EXPECT_TRUE(cap.saw(" kprobe+ "));
  EXPECT_TRUE(cap.saw(" cgroup_skb/ingress "));
  EXPECT_TRUE(cap.saw("netfilter"));
}

TEST(ProgTypeByName, EmptyAndDocumentationTyposAreUnknown) {
  bpf_prog_type type;
  bpf_attach_type attach;
  EXPECT_EQ(type_of("", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("cgroup/recvmmsg4", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of("maps", &type, &attach), -ESRCH);
  EXPECT_EQ(type_of(".text", &type, &attach), -ESRCH);
}

TEST(ProgTypeByName, NullArgumentsAreEinval) {
  bpf_prog_type type;
  bpf_attach_type attach;
  errno = 0;
  EXPECT_EQ(libbpf_prog_type_by_name(nullptr, &type, &attach), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(libbpf_prog_type_by_name("xdp", nullptr, &attach), -EINVAL);
  EXPECT_EQ(libbpf_prog_type_by_name("xdp", &type, nullptr), -EINVAL);
}

// ---- libbpf_attach_type_by_name --------------------------------------------

TEST(AttachTypeByName, AttachableSections) {
  struct {
    const char* name;
    bpf_attach_type want;
  } cases[] = {
      {"cgroup_skb/ingress", BPF_CGROUP_INET_INGRESS},
      {"cgroup_skb/egress", BPF_CGROUP_INET_EGRESS},
      {"cgroup/sock", BPF_CGROUP_INET_SOCK_CREATE},
      {"cgroup/connect_unix", BPF_CGROUP_UNIX_CONNECT},
      {"cgroup/dev", BPF_CGROUP_DEVICE},
      {"sockops", BPF_CGROUP_SOCK_OPS},
      {"sk_msg", BPF_SK_MSG_VERDICT},
      {"sk_skb/stream_parser", BPF_SK_SKB_STREAM_PARSER},
      {"sk_lookup", BPF_SK_LOOKUP},
      {"sk_reuseport/migrate", BPF_SK_REUSEPORT_SELECT_OR_MIGRATE},
      {"flow_dissector", BPF_FLOW_DISSECTOR},
      {"lirc_mode2", BPF_LIRC_MODE2},
      {"xdp", BPF_XDP},
      {"xdp/devmap", BPF_XDP_DEVMAP},
  };
  for (const auto& c : cases) {
    bpf_attach_type got = static_cast<bpf_attach_type>(-1);
    EXPECT_EQ(libbpf_attach_type_by_name(c.name, &got), 0) << c.name;
    EXPECT_EQ(got, c.want) << c.name;
  }
  // And every attachable built-in row answers with its own attach type.
  for (const SectionDef& d : bpfxx::object::builtin_section_defs()) {
    if (!d.has(bpfxx::object::kAttachable)) continue;
    bpf_attach_type got;
    EXPECT_EQ(libbpf_attach_type_by_name(d.sec, &got), 0) << d.sec;
    EXPECT_EQ(got, d.expected_attach_type) << d.sec;
  }
}

TEST(AttachTypeByName, NonAttachableSectionsAreEinval) {
  const char* names[] = {"kprobe/do_unlinkat", "fentry/x",  "tp/a/b",   "xdp.frags",
                         "xdp.frags/devmap",   "tc/ingress", "tcx/egress", "socket",
                         "cgroup/skb",         "sk_skb",     "syscall",    "struct_ops/x",
                         "lsm_cgroup/x",       "netfilter"};
  for (const char* name : names) {
    bpf_attach_type got = BPF_XDP;
    errno = 0;
    EXPECT_EQ(libbpf_attach_type_by_name(name, &got), -EINVAL) << name;
    EXPECT_EQ(errno, EINVAL) << name;
    EXPECT_EQ(got, BPF_XDP) << name;
  }
}

TEST(AttachTypeByName, UnknownAndNullAreEinval) {
  // libbpf reports an unknown name as -EINVAL here (not -ESRCH), listing
  // the attachable names.
  PrintCapture cap;
  bpf_attach_type got;
  EXPECT_EQ(libbpf_attach_type_by_name("nope", &got), -EINVAL);
  EXPECT_TRUE(cap.saw("'nope'"));
  EXPECT_TRUE(cap.saw("cgroup_skb/ingress"));
  EXPECT_FALSE(cap.saw(" kprobe+"));
  EXPECT_EQ(libbpf_attach_type_by_name(nullptr, &got), -EINVAL);
  EXPECT_EQ(libbpf_attach_type_by_name("xdp", nullptr), -EINVAL);
}

// ---- custom handlers ---------------------------------------------------------

int setup_cb(struct bpf_program*, long) { return 0; }
int prepare_cb(struct bpf_program*, struct bpf_prog_load_opts*, long) { return 0; }
int attach_cb(const struct bpf_program*, long, struct bpf_link** link) {
  *link = nullptr;
  return 0;
}

// Unregisters whatever a test registered, even when it fails midway.
class ProgHandlers : public ::testing::Test {
 protected:
  int reg(const char* sec, bpf_prog_type type, bpf_attach_type attach,
          const libbpf_prog_handler_opts* opts = nullptr) {
    const int id = libbpf_register_prog_handler(sec, type, attach, opts);
    if (id > 0) ids_.push_back(id);
    return id;
  }
  int unreg(int id) {
    for (auto it = ids_.begin(); it != ids_.end(); ++it)
      if (*it == id) {
        ids_.erase(it);
        break;
      }
    return libbpf_unregister_prog_handler(id);
  }
  void TearDown() override {
    for (int id : ids_) libbpf_unregister_prog_handler(id);
  }
  std::vector<int> ids_;
};

TEST_F(ProgHandlers, CustomHandlerComesBeforeBuiltins) {
  LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .cookie = 42, .prog_setup_fn = setup_cb,
              .prog_prepare_load_fn = prepare_cb, .prog_attach_fn = attach_cb);
  const int id = reg("kprobe+", BPF_PROG_TYPE_XDP, BPF_XDP, &opts);
  ASSERT_GT(id, 0);

  bpf_prog_type type;
  bpf_attach_type attach;
  ASSERT_EQ(libbpf_prog_type_by_name("kprobe/do_unlinkat", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_XDP);
  EXPECT_EQ(attach, BPF_XDP);

  const SectionDef* d = find_section_def("kprobe");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->is_custom());
  EXPECT_EQ(d->handler_id, id);
  EXPECT_EQ(d->cookie, 42);
  EXPECT_EQ(d->prog_setup_fn, &setup_cb);
  EXPECT_EQ(d->prog_prepare_load_fn, &prepare_cb);
  EXPECT_EQ(d->prog_attach_fn, &attach_cb);
  EXPECT_STREQ(d->sec, "kprobe+");
  EXPECT_FALSE(d->is_fallback());

  // Custom sections are never "attachable" through bpf_prog_attach(), even
  // when they claim an attach type.
  EXPECT_EQ(libbpf_attach_type_by_name("kprobe/x", &attach), -EINVAL);

  // Other built-ins are unaffected, and removing the handler restores it.
  ASSERT_EQ(libbpf_prog_type_by_name("kretprobe/x", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_KPROBE);
  EXPECT_EQ(unreg(id), 0);
  ASSERT_EQ(libbpf_prog_type_by_name("kprobe/do_unlinkat", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_KPROBE);
  EXPECT_FALSE(find_section_def("kprobe")->is_custom());
}

TEST_F(ProgHandlers, NewSectionNamesInEveryPatternForm) {
  ASSERT_GT(reg("my_exact", BPF_PROG_TYPE_SOCKET_FILTER, kNoAttach), 0);
  ASSERT_GT(reg("my_plus+", BPF_PROG_TYPE_TRACEPOINT, kNoAttach), 0);
  ASSERT_GT(reg("my_pfx/", BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS), 0);

  bpf_prog_type type;
  bpf_attach_type attach;
  ASSERT_EQ(type_of("my_exact", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_SOCKET_FILTER);
  EXPECT_EQ(type_of("my_exact/x", &type, &attach), -ESRCH);

  ASSERT_EQ(type_of("my_plus", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_TRACEPOINT);
  ASSERT_EQ(type_of("my_plus/a/b", &type, &attach), 0);
  EXPECT_EQ(type_of("my_plusx", &type, &attach), -ESRCH);

  ASSERT_EQ(type_of("my_pfx/anything", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_SCHED_CLS);
  EXPECT_EQ(attach, BPF_TCX_INGRESS);
  EXPECT_EQ(type_of("my_pfx", &type, &attach), -ESRCH);
}

TEST_F(ProgHandlers, EarlierRegistrationWins) {
  const int first = reg("dup+", BPF_PROG_TYPE_XDP, kNoAttach);
  const int second = reg("dup+", BPF_PROG_TYPE_LWT_IN, kNoAttach);
  ASSERT_GT(first, 0);
  ASSERT_GT(second, first);  // ids grow
  EXPECT_EQ(find_section_def("dup/x")->handler_id, first);
  EXPECT_EQ(unreg(first), 0);
  EXPECT_EQ(find_section_def("dup/x")->handler_id, second);
  EXPECT_EQ(unreg(second), 0);
  EXPECT_EQ(find_section_def("dup/x"), nullptr);
}

TEST_F(ProgHandlers, FallbackCatchesOnlyUnknownNames) {
  LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .cookie = 7);
  const int fb = reg(nullptr, BPF_PROG_TYPE_PERF_EVENT, kNoAttach, &opts);
  ASSERT_GT(fb, 0);

  bpf_prog_type type;
  bpf_attach_type attach;
  ASSERT_EQ(libbpf_prog_type_by_name("whatever/i/like", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_PERF_EVENT);
  const SectionDef* d = find_section_def("whatever");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->sec, nullptr);
  EXPECT_TRUE(d->is_fallback());
  EXPECT_EQ(d->handler_id, fb);
  EXPECT_EQ(d->cookie, 7);

  // Built-ins and named custom handlers still come first.
  ASSERT_EQ(libbpf_prog_type_by_name("xdp", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_XDP);
  ASSERT_GT(reg("named", BPF_PROG_TYPE_LWT_OUT, kNoAttach), 0);
  ASSERT_EQ(libbpf_prog_type_by_name("named", &type, &attach), 0);
  EXPECT_EQ(type, BPF_PROG_TYPE_LWT_OUT);

  // Only one fallback at a time.
  {
    Quiet q;
    errno = 0;
    EXPECT_EQ(libbpf_register_prog_handler(nullptr, BPF_PROG_TYPE_XDP, kNoAttach, nullptr),
              -EBUSY);
    EXPECT_EQ(errno, EBUSY);
  }

  EXPECT_EQ(unreg(fb), 0);
  EXPECT_EQ(type_of("whatever", &type, &attach), -ESRCH);
  EXPECT_EQ(unreg(fb), -ENOENT);
}

TEST_F(ProgHandlers, BadArguments) {
  Quiet q;
  errno = 0;
  EXPECT_EQ(libbpf_unregister_prog_handler(0), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(libbpf_unregister_prog_handler(-3), -EINVAL);
  errno = 0;
  EXPECT_EQ(libbpf_unregister_prog_handler(0x7ffffff0), -ENOENT);
  EXPECT_EQ(errno, ENOENT);

  EXPECT_EQ(reg("", BPF_PROG_TYPE_XDP, kNoAttach), -EINVAL);

  // Unknown non-zero bytes past the fields this library knows.
  struct {
    libbpf_prog_handler_opts opts;
    long newer_field;
  } big;
  std::memset(&big, 0, sizeof(big));
  big.opts.sz = sizeof(big);
  big.newer_field = 1;
  errno = 0;
  EXPECT_EQ(reg("big", BPF_PROG_TYPE_XDP, kNoAttach, &big.opts), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  big.newer_field = 0;  // zero tail: accepted
  EXPECT_GT(reg("big", BPF_PROG_TYPE_XDP, kNoAttach, &big.opts), 0);
}

TEST_F(ProgHandlers, OlderCallersSmallerOptsReadAsZero) {
  libbpf_prog_handler_opts opts;
  std::memset(&opts, 0, sizeof(opts));
  opts.sz = offsetof(libbpf_prog_handler_opts, prog_setup_fn);  // knows only the cookie
  opts.cookie = 5;
  opts.prog_setup_fn = setup_cb;  // beyond its sz: must be ignored
  ASSERT_GT(reg("old_caller", BPF_PROG_TYPE_XDP, kNoAttach, &opts), 0);
  const SectionDef* d = find_section_def("old_caller");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->cookie, 5);
  EXPECT_EQ(d->prog_setup_fn, nullptr);
}

TEST_F(ProgHandlers, TooManyHandlersIsE2big) {
  const int max = bpfxx::object::kMaxCustomHandlers;
  int ok = 0;
  int last = 0;
  {
    Quiet q;
    for (int i = 0; i < max + 5; ++i) {
      const std::string sec = "many_" + std::to_string(i);
      last = reg(sec.c_str(), BPF_PROG_TYPE_XDP, kNoAttach);
      if (last > 0) ++ok;
    }
  }
  EXPECT_EQ(ok, max);
  EXPECT_EQ(last, -E2BIG);
  EXPECT_EQ(errno, E2BIG);
  // Room again after one is removed.
  ASSERT_FALSE(ids_.empty());
  EXPECT_EQ(unreg(ids_.front()), 0);
  EXPECT_GT(reg("many_again", BPF_PROG_TYPE_XDP, kNoAttach), 0);
}

TEST_F(ProgHandlers, RemovedDefinitionStaysReadable) {
  const int id = reg("short_lived+", BPF_PROG_TYPE_XDP, BPF_XDP);
  ASSERT_GT(id, 0);
  const SectionDef* d = find_section_def("short_lived/x");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(unreg(id), 0);
  EXPECT_EQ(find_section_def("short_lived/x"), nullptr);
  // The object loader may still hold the pointer: it must not dangle.
  EXPECT_STREQ(d->sec, "short_lived+");
  EXPECT_EQ(d->prog_type, BPF_PROG_TYPE_XDP);
}

TEST_F(ProgHandlers, LookupsRunWhileHandlersComeAndGo) {
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<long> lookups{0};

  std::atomic<int> started{0};

  auto reader = [&] {
    bpf_prog_type type;
    bpf_attach_type attach;
    ++started;
    while (!stop.load(std::memory_order_relaxed)) {
      if (libbpf_prog_type_by_name("cgroup_skb/ingress", &type, &attach) != 0 ||
          type != BPF_PROG_TYPE_CGROUP_SKB || attach != BPF_CGROUP_INET_INGRESS)
        ++bad;
      const SectionDef* d = find_section_def("racy/x");
      if (d && (d->prog_type != BPF_PROG_TYPE_LWT_XMIT || std::strcmp(d->sec, "racy+") != 0))
        ++bad;
      d = find_section_def("fentry.s/x");
      if (!d || d->prog_type != BPF_PROG_TYPE_TRACING) ++bad;
      ++lookups;
    }
  };

  Quiet q;
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader);
  while (started.load() < 3) std::this_thread::yield();
  // At least 2000 rounds, and on until the readers have done real work
  // beside them (bounded, in case the machine is very busy).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int registered = 0;
  for (int i = 0; i < 2000 || (lookups.load() < 2000 && std::chrono::steady_clock::now() < deadline);
       ++i) {
    const int id = libbpf_register_prog_handler("racy+", BPF_PROG_TYPE_LWT_XMIT, kNoAttach,
                                                nullptr);
    if (id > 0) {
      ++registered;
      if (libbpf_unregister_prog_handler(id) != 0) ++bad;
    }
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GE(registered, 2000);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(lookups.load(), 0);
  EXPECT_EQ(find_section_def("racy/x"), nullptr);
}

}  // namespace
