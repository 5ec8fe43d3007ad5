// tc over rtnetlink: the clsact qdisc that gives a device its ingress and
// egress hooks, and cls_bpf filters in direct-action mode on them
// (bpf_tc_hook_create/destroy, bpf_tc_attach/detach/query).
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>

namespace bpfxx::link {

// Where a filter goes: parent is TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS
// or _EGRESS), or the caller's own for a custom qdisc.
struct TcHook {
  int ifindex = 0;
  uint32_t attach_point = 0;  // enum bpf_tc_attach_point bits
  uint32_t parent = 0;        // for BPF_TC_CUSTOM
};

// A filter: handle and priority identify it; prog_id is reported back.
struct TcFilter {
  int prog_fd = 0;
  uint32_t flags = 0;  // BPF_TC_F_REPLACE
  uint32_t prog_id = 0;
  uint32_t handle = 0;
  uint32_t priority = 0;
};

Result<void> tc_hook_create(const TcHook& hook);
Result<void> tc_hook_destroy(const TcHook& hook);
Result<void> tc_attach(const TcHook& hook, TcFilter& filter);
Result<void> tc_detach(const TcHook& hook, const TcFilter& filter);
Result<void> tc_query(const TcHook& hook, TcFilter& filter);

}  // namespace bpfxx::link
