// Names of program, map, attach and link types (sys/type_names and the
// libbpf_bpf_*_type_str() C API).
#include "sys/type_names.h"

#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cctype>
#include <climits>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

using NameFn = const char* (*)(int) noexcept;

struct Table {
  const char* what;
  NameFn name;
  int limit;
  int uapi_limit;
};

std::vector<Table> tables() {
  using namespace bpfxx::sys;
  return {
      {"prog", prog_type_name, prog_type_limit(), __MAX_BPF_PROG_TYPE},
      {"map", map_type_name, map_type_limit(), __MAX_BPF_MAP_TYPE},
      {"attach", attach_type_name, attach_type_limit(), __MAX_BPF_ATTACH_TYPE},
      {"link", link_type_name, link_type_limit(), __MAX_BPF_LINK_TYPE},
  };
}

TEST(TypeNames, EveryValueOfOurUapiHasAName) {
  for (const Table& t : tables()) {
    EXPECT_EQ(t.limit, t.uapi_limit) << t.what;
    for (int v = 0; v < t.limit; v++) {
      EXPECT_NE(t.name(v), nullptr) << t.what << " type " << v << " has no name";
    }
  }
}

TEST(TypeNames, NamesAreLowerCaseIdentifiersAndUniquePerTable) {
  for (const Table& t : tables()) {
    std::set<std::string> seen;
    for (int v = 0; v < t.limit; v++) {
      const char* name = t.name(v);
      if (name == nullptr) continue;
      ASSERT_GT(std::strlen(name), 0u) << t.what << " " << v;
      for (const char* p = name; *p != '\0'; p++) {
        EXPECT_TRUE(std::islower(static_cast<unsigned char>(*p)) || std::isdigit(static_cast<unsigned char>(*p)) ||
                    *p == '_')
            << t.what << " name '" << name << "'";
      }
      EXPECT_TRUE(seen.insert(name).second) << t.what << " name '" << name << "' used twice";
    }
  }
}

TEST(TypeNames, UnknownValuesHaveNoName) {
  for (const Table& t : tables()) {
    EXPECT_EQ(t.name(-1), nullptr) << t.what;
    EXPECT_EQ(t.name(INT_MIN), nullptr) << t.what;
    EXPECT_EQ(t.name(t.limit), nullptr) << t.what;
    EXPECT_EQ(t.name(t.limit + 1000), nullptr) << t.what;
    EXPECT_EQ(t.name(INT_MAX), nullptr) << t.what;
  }
}

TEST(TypeNames, ProgTypesSpelledLikeLibbpf) {
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_UNSPEC), "unspec");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_SOCKET_FILTER), "socket_filter");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_SCHED_CLS), "sched_cls");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_CGROUP_SKB), "cgroup_skb");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE), "raw_tracepoint_writable");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_EXT), "ext");
  EXPECT_STREQ(bpfxx::sys::prog_type_name(BPF_PROG_TYPE_NETFILTER), "netfilter");
}

TEST(TypeNames, MapTypesSpelledLikeLibbpf) {
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_HASH), "hash");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_PERF_EVENT_ARRAY), "perf_event_array");
  // The kernel calls these two *_DEPRECATED now; libbpf keeps the old names.
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED), "cgroup_storage");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED),
               "percpu_cgroup_storage");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_SK_STORAGE), "sk_storage");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_DEVMAP_HASH), "devmap_hash");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_BLOOM_FILTER), "bloom_filter");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_USER_RINGBUF), "user_ringbuf");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_CGRP_STORAGE), "cgrp_storage");
  EXPECT_STREQ(bpfxx::sys::map_type_name(BPF_MAP_TYPE_ARENA), "arena");
}

TEST(TypeNames, AttachTypesSpelledLikeLibbpf) {
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_CGROUP_INET_INGRESS), "cgroup_inet_ingress");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_SK_SKB_STREAM_PARSER), "sk_skb_stream_parser");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_TRACE_RAW_TP), "trace_raw_tp");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_MODIFY_RETURN), "modify_return");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_SK_REUSEPORT_SELECT_OR_MIGRATE),
               "sk_reuseport_select_or_migrate");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_TRACE_KPROBE_MULTI), "trace_kprobe_multi");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_NETKIT_PEER), "netkit_peer");
  EXPECT_STREQ(bpfxx::sys::attach_type_name(BPF_TRACE_UPROBE_SESSION), "trace_uprobe_session");
}

TEST(TypeNames, LinkTypesSpelledLikeLibbpf) {
  EXPECT_STREQ(bpfxx::sys::link_type_name(BPF_LINK_TYPE_UNSPEC), "unspec");
  EXPECT_STREQ(bpfxx::sys::link_type_name(BPF_LINK_TYPE_RAW_TRACEPOINT), "raw_tracepoint");
  EXPECT_STREQ(bpfxx::sys::link_type_name(BPF_LINK_TYPE_KPROBE_MULTI), "kprobe_multi");
  EXPECT_STREQ(bpfxx::sys::link_type_name(BPF_LINK_TYPE_NETKIT), "netkit");
  EXPECT_STREQ(bpfxx::sys::link_type_name(BPF_LINK_TYPE_SOCKMAP), "sockmap");
}

// The C functions take the enums; C++ may only form enum values within each
// enum's range (0 .. next power of two), so values past the end but inside
// that range stand in for "unknown" here. Negative values are covered above.
TEST(TypeNames, CApiMatchesTheTables) {
  for (int v = 0; v <= bpfxx::sys::prog_type_limit(); v++) {
    EXPECT_EQ(libbpf_bpf_prog_type_str(static_cast<enum bpf_prog_type>(v)), bpfxx::sys::prog_type_name(v));
  }
  for (int v = 0; v <= bpfxx::sys::map_type_limit(); v++) {
    EXPECT_EQ(libbpf_bpf_map_type_str(static_cast<enum bpf_map_type>(v)), bpfxx::sys::map_type_name(v));
  }
  for (int v = 0; v <= bpfxx::sys::attach_type_limit(); v++) {
    EXPECT_EQ(libbpf_bpf_attach_type_str(static_cast<enum bpf_attach_type>(v)), bpfxx::sys::attach_type_name(v));
  }
  for (int v = 0; v <= bpfxx::sys::link_type_limit(); v++) {
    EXPECT_EQ(libbpf_bpf_link_type_str(static_cast<enum bpf_link_type>(v)), bpfxx::sys::link_type_name(v));
  }
  EXPECT_STREQ(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_XDP), "xdp");
  EXPECT_STREQ(libbpf_bpf_map_type_str(BPF_MAP_TYPE_RINGBUF), "ringbuf");
  EXPECT_STREQ(libbpf_bpf_attach_type_str(BPF_CGROUP_INET4_CONNECT), "cgroup_inet4_connect");
  EXPECT_STREQ(libbpf_bpf_link_type_str(BPF_LINK_TYPE_TCX), "tcx");
  EXPECT_EQ(libbpf_bpf_prog_type_str(__MAX_BPF_PROG_TYPE), nullptr);
  EXPECT_EQ(libbpf_bpf_map_type_str(__MAX_BPF_MAP_TYPE), nullptr);
  EXPECT_EQ(libbpf_bpf_attach_type_str(__MAX_BPF_ATTACH_TYPE), nullptr);
  EXPECT_EQ(libbpf_bpf_link_type_str(__MAX_BPF_LINK_TYPE), nullptr);
}

}  // namespace
