// libbpf_probe_bpf_prog_type / _map_type / _helper against this kernel.
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <string>

#include <unistd.h>

namespace {

// 1 if the kernel's own BTF declares prefix + NAME in enum_name (an oracle
// independent of the probe), else 0: "netfilter" -> BPF_PROG_TYPE_NETFILTER.
int declared(const char* enum_name, const char* prefix, const char* name) {
  std::string full = prefix;
  for (const char* c = name; *c != '\0'; c++) full += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  return bpfxx::test::kernel_has_enumerator(enum_name, full.c_str()) ? 1 : 0;
}

// A kernel with arena maps may still refuse them to this process (seen:
// EPERM in a restricted container); then the probe rightly says 0.
bool arena_refused_here() {
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
  const int fd = bpf_map_create(BPF_MAP_TYPE_ARENA, "arena", 0, 0, 1, &opts);
  if (fd >= 0) close(fd);
  return fd == -EPERM;
}

TEST(ProbeProgType, TypesThisKernelLoads) {
  BPFXX_REQUIRE_ROOT();
  if (bpfxx::test::kernel_btf() == nullptr) GTEST_SKIP() << "no kernel BTF to say which types exist";
  const bpf_prog_type types[] = {
      BPF_PROG_TYPE_SOCKET_FILTER,  BPF_PROG_TYPE_KPROBE,        BPF_PROG_TYPE_SCHED_CLS,
      BPF_PROG_TYPE_SCHED_ACT,      BPF_PROG_TYPE_TRACEPOINT,    BPF_PROG_TYPE_XDP,
      BPF_PROG_TYPE_PERF_EVENT,     BPF_PROG_TYPE_CGROUP_SKB,    BPF_PROG_TYPE_CGROUP_SOCK,
      BPF_PROG_TYPE_LWT_IN,         BPF_PROG_TYPE_LWT_OUT,       BPF_PROG_TYPE_LWT_XMIT,
      BPF_PROG_TYPE_SOCK_OPS,       BPF_PROG_TYPE_SK_SKB,        BPF_PROG_TYPE_CGROUP_DEVICE,
      BPF_PROG_TYPE_SK_MSG,         BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
      BPF_PROG_TYPE_LWT_SEG6LOCAL,  BPF_PROG_TYPE_SK_REUSEPORT,  BPF_PROG_TYPE_FLOW_DISSECTOR,
      BPF_PROG_TYPE_CGROUP_SYSCTL,  BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, BPF_PROG_TYPE_CGROUP_SOCKOPT,
      BPF_PROG_TYPE_STRUCT_OPS,     BPF_PROG_TYPE_SK_LOOKUP,     BPF_PROG_TYPE_SYSCALL,
      BPF_PROG_TYPE_NETFILTER,
  };
  for (bpf_prog_type t : types) {
    const char* name = libbpf_bpf_prog_type_str(t);
    EXPECT_EQ(libbpf_probe_bpf_prog_type(t, nullptr), declared("bpf_prog_type", "BPF_PROG_TYPE_", name)) << name;
  }
}

TEST(ProbeProgType, TypesNeedingAnAttachTargetGiveAVerdictNotAnError) {
  BPFXX_REQUIRE_ROOT();
  // On this kernel trampolines are refused (EPERM) before the verifier, so
  // these read as unsupported; elsewhere they read as supported. Never an
  // error.
  for (bpf_prog_type t : {BPF_PROG_TYPE_TRACING, BPF_PROG_TYPE_EXT, BPF_PROG_TYPE_LSM}) {
    int r = libbpf_probe_bpf_prog_type(t, nullptr);
    EXPECT_TRUE(r == 0 || r == 1) << libbpf_bpf_prog_type_str(t) << ": " << r;
  }
}

TEST(ProbeProgType, UnknownTypesAreNotProbed) {
  errno = 0;
  EXPECT_EQ(libbpf_probe_bpf_prog_type(__MAX_BPF_PROG_TYPE, nullptr), -EOPNOTSUPP);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_EQ(libbpf_probe_bpf_prog_type(static_cast<bpf_prog_type>(63), nullptr), -EOPNOTSUPP);
}

TEST(ProbeProgType, UnspecIsNotAType) {
  BPFXX_REQUIRE_ROOT();
  EXPECT_EQ(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_UNSPEC, nullptr), 0);
}

TEST(ProbeMapType, EveryTypeThisKernelHas) {
  BPFXX_REQUIRE_ROOT();
  if (bpfxx::test::kernel_btf() == nullptr) GTEST_SKIP() << "no kernel BTF to say which types exist";
  const bpf_map_type types[] = {
      BPF_MAP_TYPE_HASH,           BPF_MAP_TYPE_ARRAY,          BPF_MAP_TYPE_PROG_ARRAY,
      BPF_MAP_TYPE_PERF_EVENT_ARRAY, BPF_MAP_TYPE_PERCPU_HASH,  BPF_MAP_TYPE_PERCPU_ARRAY,
      BPF_MAP_TYPE_STACK_TRACE,    BPF_MAP_TYPE_CGROUP_ARRAY,   BPF_MAP_TYPE_LRU_HASH,
      BPF_MAP_TYPE_LRU_PERCPU_HASH, BPF_MAP_TYPE_LPM_TRIE,      BPF_MAP_TYPE_ARRAY_OF_MAPS,
      BPF_MAP_TYPE_HASH_OF_MAPS,   BPF_MAP_TYPE_DEVMAP,         BPF_MAP_TYPE_SOCKMAP,
      BPF_MAP_TYPE_CPUMAP,         BPF_MAP_TYPE_XSKMAP,         BPF_MAP_TYPE_SOCKHASH,
      BPF_MAP_TYPE_CGROUP_STORAGE, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE,
      BPF_MAP_TYPE_QUEUE,          BPF_MAP_TYPE_STACK,          BPF_MAP_TYPE_SK_STORAGE,
      BPF_MAP_TYPE_DEVMAP_HASH,    BPF_MAP_TYPE_STRUCT_OPS,     BPF_MAP_TYPE_RINGBUF,
      BPF_MAP_TYPE_INODE_STORAGE,  BPF_MAP_TYPE_TASK_STORAGE,   BPF_MAP_TYPE_BLOOM_FILTER,
      BPF_MAP_TYPE_USER_RINGBUF,   BPF_MAP_TYPE_CGRP_STORAGE,   BPF_MAP_TYPE_ARENA,
  };
  for (bpf_map_type t : types) {
    const char* name = libbpf_bpf_map_type_str(t);
    const int want = declared("bpf_map_type", "BPF_MAP_TYPE_", name);
    const int got = libbpf_probe_bpf_map_type(t, nullptr);
    if (t == BPF_MAP_TYPE_ARENA && want == 1 && got == 0 && arena_refused_here()) continue;
    EXPECT_EQ(got, want) << name;
  }
}

TEST(ProbeMapType, UnspecAndUnknownTypesAreNotProbed) {
  errno = 0;
  EXPECT_EQ(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_UNSPEC, nullptr), -EOPNOTSUPP);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_EQ(libbpf_probe_bpf_map_type(__MAX_BPF_MAP_TYPE, nullptr), -EOPNOTSUPP);
  EXPECT_EQ(libbpf_probe_bpf_map_type(static_cast<bpf_map_type>(63), nullptr), -EOPNOTSUPP);
}

TEST(ProbeHelper, AllowedHelper) {
  BPFXX_REQUIRE_ROOT();
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_map_lookup_elem, nullptr), 1);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_xdp_adjust_head, nullptr), 1);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_attach_cookie, nullptr), 1);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_perf_event_read, nullptr), 1);
}

TEST(ProbeHelper, HelperOfAnotherProgramType) {
  BPFXX_REQUIRE_ROOT();
  // Known helpers the program type may not call.
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_get_stackid, nullptr), 0);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_override_return, nullptr), 0);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_get_attach_cookie, nullptr), 0);
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_xdp_adjust_head, nullptr), 0);
}

TEST(ProbeHelper, HelperIdTheKernelDoesNotKnow) {
  BPFXX_REQUIRE_ROOT();
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, static_cast<bpf_func_id>(255), nullptr), 0);
}

TEST(ProbeHelper, ProgramTypesThatCannotBeProbedAlone) {
  for (bpf_prog_type t :
       {BPF_PROG_TYPE_TRACING, BPF_PROG_TYPE_EXT, BPF_PROG_TYPE_LSM, BPF_PROG_TYPE_STRUCT_OPS}) {
    errno = 0;
    EXPECT_EQ(libbpf_probe_bpf_helper(t, BPF_FUNC_map_lookup_elem, nullptr), -EOPNOTSUPP)
        << libbpf_bpf_prog_type_str(t);
    EXPECT_EQ(errno, EOPNOTSUPP);
  }
  EXPECT_EQ(libbpf_probe_bpf_helper(__MAX_BPF_PROG_TYPE, BPF_FUNC_map_lookup_elem, nullptr), -EOPNOTSUPP);
}

TEST(ProbeApi, OptionsMustBeNull) {
  // No options exist yet: a non-NULL pointer asks for something unknown.
  struct {
    size_t sz = 8;
  } opts;
  errno = 0;
  EXPECT_EQ(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, &opts), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, &opts), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_map_lookup_elem, &opts), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
