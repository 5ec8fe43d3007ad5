#include "sys/type_names.h"

#include <bpf/uapi/linux/bpf.h>

#include <array>
#include <cstddef>

namespace bpfxx::sys {
namespace {

struct Named {
  int value;
  const char* name;
};

// The tables list (value, name) pairs so each name sits next to its
// enumerator; index() turns them into arrays indexed by value at compile
// time, and a value outside the array fails the build instead of a lookup.
template <std::size_t N, std::size_t M>
constexpr std::array<const char*, N> index(const Named (&list)[M]) {
  std::array<const char*, N> out{};
  for (const Named& e : list) out.at(static_cast<std::size_t>(e.value)) = e.name;
  return out;
}

constexpr Named kProgTypes[] = {
    {BPF_PROG_TYPE_UNSPEC, "unspec"},
    {BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter"},
    {BPF_PROG_TYPE_KPROBE, "kprobe"},
    {BPF_PROG_TYPE_SCHED_CLS, "sched_cls"},
    {BPF_PROG_TYPE_SCHED_ACT, "sched_act"},
    {BPF_PROG_TYPE_TRACEPOINT, "tracepoint"},
    {BPF_PROG_TYPE_XDP, "xdp"},
    {BPF_PROG_TYPE_PERF_EVENT, "perf_event"},
    {BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb"},
    {BPF_PROG_TYPE_CGROUP_SOCK, "cgroup_sock"},
    {BPF_PROG_TYPE_LWT_IN, "lwt_in"},
    {BPF_PROG_TYPE_LWT_OUT, "lwt_out"},
    {BPF_PROG_TYPE_LWT_XMIT, "lwt_xmit"},
    {BPF_PROG_TYPE_SOCK_OPS, "sock_ops"},
    {BPF_PROG_TYPE_SK_SKB, "sk_skb"},
    {BPF_PROG_TYPE_CGROUP_DEVICE, "cgroup_device"},
    {BPF_PROG_TYPE_SK_MSG, "sk_msg"},
    {BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint"},
    {BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "cgroup_sock_addr"},
    {BPF_PROG_TYPE_LWT_SEG6LOCAL, "lwt_seg6local"},
    {BPF_PROG_TYPE_LIRC_MODE2, "lirc_mode2"},
    {BPF_PROG_TYPE_SK_REUSEPORT, "sk_reuseport"},
    {BPF_PROG_TYPE_FLOW_DISSECTOR, "flow_dissector"},
    {BPF_PROG_TYPE_CGROUP_SYSCTL, "cgroup_sysctl"},
    {BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, "raw_tracepoint_writable"},
    {BPF_PROG_TYPE_CGROUP_SOCKOPT, "cgroup_sockopt"},
    {BPF_PROG_TYPE_TRACING, "tracing"},
    {BPF_PROG_TYPE_STRUCT_OPS, "struct_ops"},
    {BPF_PROG_TYPE_EXT, "ext"},
    {BPF_PROG_TYPE_LSM, "lsm"},
    {BPF_PROG_TYPE_SK_LOOKUP, "sk_lookup"},
    {BPF_PROG_TYPE_SYSCALL, "syscall"},
    {BPF_PROG_TYPE_NETFILTER, "netfilter"},
};

constexpr Named kMapTypes[] = {
    {BPF_MAP_TYPE_UNSPEC, "unspec"},
    {BPF_MAP_TYPE_HASH, "hash"},
    {BPF_MAP_TYPE_ARRAY, "array"},
    {BPF_MAP_TYPE_PROG_ARRAY, "prog_array"},
    {BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array"},
    {BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash"},
    {BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array"},
    {BPF_MAP_TYPE_STACK_TRACE, "stack_trace"},
    {BPF_MAP_TYPE_CGROUP_ARRAY, "cgroup_array"},
    {BPF_MAP_TYPE_LRU_HASH, "lru_hash"},
    {BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash"},
    {BPF_MAP_TYPE_LPM_TRIE, "lpm_trie"},
    {BPF_MAP_TYPE_ARRAY_OF_MAPS, "array_of_maps"},
    {BPF_MAP_TYPE_HASH_OF_MAPS, "hash_of_maps"},
    {BPF_MAP_TYPE_DEVMAP, "devmap"},
    {BPF_MAP_TYPE_SOCKMAP, "sockmap"},
    {BPF_MAP_TYPE_CPUMAP, "cpumap"},
    {BPF_MAP_TYPE_XSKMAP, "xskmap"},
    {BPF_MAP_TYPE_SOCKHASH, "sockhash"},
    // The kernel renamed these two *_DEPRECATED; libbpf keeps the old names.
    {BPF_MAP_TYPE_CGROUP_STORAGE, "cgroup_storage"},
    {BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, "reuseport_sockarray"},
    {BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, "percpu_cgroup_storage"},
    {BPF_MAP_TYPE_QUEUE, "queue"},
    {BPF_MAP_TYPE_STACK, "stack"},
    {BPF_MAP_TYPE_SK_STORAGE, "sk_storage"},
    {BPF_MAP_TYPE_DEVMAP_HASH, "devmap_hash"},
    {BPF_MAP_TYPE_STRUCT_OPS, "struct_ops"},
    {BPF_MAP_TYPE_RINGBUF, "ringbuf"},
    {BPF_MAP_TYPE_INODE_STORAGE, "inode_storage"},
    {BPF_MAP_TYPE_TASK_STORAGE, "task_storage"},
    {BPF_MAP_TYPE_BLOOM_FILTER, "bloom_filter"},
    {BPF_MAP_TYPE_USER_RINGBUF, "user_ringbuf"},
    {BPF_MAP_TYPE_CGRP_STORAGE, "cgrp_storage"},
    {BPF_MAP_TYPE_ARENA, "arena"},
    {BPF_MAP_TYPE_INSN_ARRAY, "insn_array"},
    {BPF_MAP_TYPE_RHASH, "rhash"},
};

constexpr Named kAttachTypes[] = {
    {BPF_CGROUP_INET_INGRESS, "cgroup_inet_ingress"},
    {BPF_CGROUP_INET_EGRESS, "cgroup_inet_egress"},
    {BPF_CGROUP_INET_SOCK_CREATE, "cgroup_inet_sock_create"},
    {BPF_CGROUP_SOCK_OPS, "cgroup_sock_ops"},
    {BPF_SK_SKB_STREAM_PARSER, "sk_skb_stream_parser"},
    {BPF_SK_SKB_STREAM_VERDICT, "sk_skb_stream_verdict"},
    {BPF_CGROUP_DEVICE, "cgroup_device"},
    {BPF_SK_MSG_VERDICT, "sk_msg_verdict"},
    {BPF_CGROUP_INET4_BIND, "cgroup_inet4_bind"},
    {BPF_CGROUP_INET6_BIND, "cgroup_inet6_bind"},
    {BPF_CGROUP_INET4_CONNECT, "cgroup_inet4_connect"},
    {BPF_CGROUP_INET6_CONNECT, "cgroup_inet6_connect"},
    {BPF_CGROUP_INET4_POST_BIND, "cgroup_inet4_post_bind"},
    {BPF_CGROUP_INET6_POST_BIND, "cgroup_inet6_post_bind"},
    {BPF_CGROUP_UDP4_SENDMSG, "cgroup_udp4_sendmsg"},
    {BPF_CGROUP_UDP6_SENDMSG, "cgroup_udp6_sendmsg"},
    {BPF_LIRC_MODE2, "lirc_mode2"},
    {BPF_FLOW_DISSECTOR, "flow_dissector"},
    {BPF_CGROUP_SYSCTL, "cgroup_sysctl"},
    {BPF_CGROUP_UDP4_RECVMSG, "cgroup_udp4_recvmsg"},
    {BPF_CGROUP_UDP6_RECVMSG, "cgroup_udp6_recvmsg"},
    {BPF_CGROUP_GETSOCKOPT, "cgroup_getsockopt"},
    {BPF_CGROUP_SETSOCKOPT, "cgroup_setsockopt"},
    {BPF_TRACE_RAW_TP, "trace_raw_tp"},
    {BPF_TRACE_FENTRY, "trace_fentry"},
    {BPF_TRACE_FEXIT, "trace_fexit"},
    {BPF_MODIFY_RETURN, "modify_return"},
    {BPF_LSM_MAC, "lsm_mac"},
    {BPF_TRACE_ITER, "trace_iter"},
    {BPF_CGROUP_INET4_GETPEERNAME, "cgroup_inet4_getpeername"},
    {BPF_CGROUP_INET6_GETPEERNAME, "cgroup_inet6_getpeername"},
    {BPF_CGROUP_INET4_GETSOCKNAME, "cgroup_inet4_getsockname"},
    {BPF_CGROUP_INET6_GETSOCKNAME, "cgroup_inet6_getsockname"},
    {BPF_XDP_DEVMAP, "xdp_devmap"},
    {BPF_CGROUP_INET_SOCK_RELEASE, "cgroup_inet_sock_release"},
    {BPF_XDP_CPUMAP, "xdp_cpumap"},
    {BPF_SK_LOOKUP, "sk_lookup"},
    {BPF_XDP, "xdp"},
    {BPF_SK_SKB_VERDICT, "sk_skb_verdict"},
    {BPF_SK_REUSEPORT_SELECT, "sk_reuseport_select"},
    {BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, "sk_reuseport_select_or_migrate"},
    {BPF_PERF_EVENT, "perf_event"},
    {BPF_TRACE_KPROBE_MULTI, "trace_kprobe_multi"},
    {BPF_LSM_CGROUP, "lsm_cgroup"},
    {BPF_STRUCT_OPS, "struct_ops"},
    {BPF_NETFILTER, "netfilter"},
    {BPF_TCX_INGRESS, "tcx_ingress"},
    {BPF_TCX_EGRESS, "tcx_egress"},
    {BPF_TRACE_UPROBE_MULTI, "trace_uprobe_multi"},
    {BPF_CGROUP_UNIX_CONNECT, "cgroup_unix_connect"},
    {BPF_CGROUP_UNIX_SENDMSG, "cgroup_unix_sendmsg"},
    {BPF_CGROUP_UNIX_RECVMSG, "cgroup_unix_recvmsg"},
    {BPF_CGROUP_UNIX_GETPEERNAME, "cgroup_unix_getpeername"},
    {BPF_CGROUP_UNIX_GETSOCKNAME, "cgroup_unix_getsockname"},
    {BPF_NETKIT_PRIMARY, "netkit_primary"},
    {BPF_NETKIT_PEER, "netkit_peer"},
    {BPF_TRACE_KPROBE_SESSION, "trace_kprobe_session"},
    {BPF_TRACE_UPROBE_SESSION, "trace_uprobe_session"},
    {BPF_TRACE_FSESSION, "trace_fsession"},
    {BPF_TRACE_FENTRY_MULTI, "trace_fentry_multi"},
    {BPF_TRACE_FEXIT_MULTI, "trace_fexit_multi"},
    {BPF_TRACE_FSESSION_MULTI, "trace_fsession_multi"},
};

constexpr Named kLinkTypes[] = {
    {BPF_LINK_TYPE_UNSPEC, "unspec"},
    {BPF_LINK_TYPE_RAW_TRACEPOINT, "raw_tracepoint"},
    {BPF_LINK_TYPE_TRACING, "tracing"},
    {BPF_LINK_TYPE_CGROUP, "cgroup"},
    {BPF_LINK_TYPE_ITER, "iter"},
    {BPF_LINK_TYPE_NETNS, "netns"},
    {BPF_LINK_TYPE_XDP, "xdp"},
    {BPF_LINK_TYPE_PERF_EVENT, "perf_event"},
    {BPF_LINK_TYPE_KPROBE_MULTI, "kprobe_multi"},
    {BPF_LINK_TYPE_STRUCT_OPS, "struct_ops"},
    {BPF_LINK_TYPE_NETFILTER, "netfilter"},
    {BPF_LINK_TYPE_TCX, "tcx"},
    {BPF_LINK_TYPE_UPROBE_MULTI, "uprobe_multi"},
    {BPF_LINK_TYPE_NETKIT, "netkit"},
    {BPF_LINK_TYPE_SOCKMAP, "sockmap"},
    {BPF_LINK_TYPE_TRACING_MULTI, "tracing_multi"},
};

constexpr auto kProgTypeNames = index<__MAX_BPF_PROG_TYPE>(kProgTypes);
constexpr auto kMapTypeNames = index<__MAX_BPF_MAP_TYPE>(kMapTypes);
constexpr auto kAttachTypeNames = index<__MAX_BPF_ATTACH_TYPE>(kAttachTypes);
constexpr auto kLinkTypeNames = index<__MAX_BPF_LINK_TYPE>(kLinkTypes);

template <std::size_t N>
const char* lookup(const std::array<const char*, N>& table, int value) noexcept {
  if (value < 0 || static_cast<std::size_t>(value) >= N) return nullptr;
  return table[static_cast<std::size_t>(value)];
}

}  // namespace

const char* prog_type_name(int type) noexcept { return lookup(kProgTypeNames, type); }
const char* map_type_name(int type) noexcept { return lookup(kMapTypeNames, type); }
const char* attach_type_name(int type) noexcept { return lookup(kAttachTypeNames, type); }
const char* link_type_name(int type) noexcept { return lookup(kLinkTypeNames, type); }

int prog_type_limit() noexcept { return static_cast<int>(kProgTypeNames.size()); }
int map_type_limit() noexcept { return static_cast<int>(kMapTypeNames.size()); }
int attach_type_limit() noexcept { return static_cast<int>(kAttachTypeNames.size()); }
int link_type_limit() noexcept { return static_cast<int>(kLinkTypeNames.size()); }

}  // namespace bpfxx::sys
