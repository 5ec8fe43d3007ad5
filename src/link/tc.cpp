// clsact qdiscs and cls_bpf filters through rtnetlink messages.
#include "link/tc.h"

#include "base/log.h"
#include "sys/netlink.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace bpfxx::link {

namespace {

std::string device(int ifindex) { return "ifindex " + std::to_string(ifindex); }

bool valid_point(uint32_t p) {
  return p == BPF_TC_INGRESS || p == BPF_TC_EGRESS || p == (BPF_TC_INGRESS | BPF_TC_EGRESS) || p == BPF_TC_CUSTOM;
}

// The parent handle of a filter on the hook (one direction only).
Result<uint32_t> filter_parent(const TcHook& hook) {
  switch (hook.attach_point) {
    case BPF_TC_INGRESS:
      if (hook.parent != 0) break;
      return TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
    case BPF_TC_EGRESS:
      if (hook.parent != 0) break;
      return TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
    case BPF_TC_CUSTOM:
      if (hook.parent == 0) break;
      return hook.parent;
    default:
      break;
  }
  BPFXX_WARN("%s: a tc filter needs one of BPF_TC_INGRESS or BPF_TC_EGRESS (parent 0), or BPF_TC_CUSTOM with a "
             "parent (attach_point 0x%x, parent 0x%x)\n",
             device(hook.ifindex).c_str(), hook.attach_point, hook.parent);
  return fail(EINVAL, device(hook.ifindex) + ": bad tc hook");
}

Result<void> qdisc_request(const TcHook& hook, uint16_t type, uint16_t flags, const char* what) {
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  sys::NetlinkMessage msg(type, flags);
  tcmsg tc{};
  tc.tcm_family = AF_UNSPEC;
  tc.tcm_ifindex = hook.ifindex;
  tc.tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0);
  tc.tcm_parent = TC_H_CLSACT;
  msg.put_body(&tc, sizeof tc);
  msg.put_string(TCA_KIND, "clsact");
  return sock.request(msg, device(hook.ifindex) + ": " + what);
}

// A filter message: the hook's parent, the filter's handle and priority.
sys::NetlinkMessage filter_message(uint16_t type, uint16_t flags, int ifindex, uint32_t parent,
                                   const TcFilter& filter) {
  sys::NetlinkMessage msg(type, flags);
  tcmsg tc{};
  tc.tcm_family = AF_UNSPEC;
  tc.tcm_ifindex = ifindex;
  tc.tcm_handle = filter.handle;
  tc.tcm_parent = parent;
  tc.tcm_info = TC_H_MAKE(filter.priority << 16, htons(ETH_P_ALL));
  msg.put_body(&tc, sizeof tc);
  msg.put_string(TCA_KIND, "bpf");
  return msg;
}

// Reads handle, priority and program id from a filter reply.
void read_filter(const nlmsghdr& h, TcFilter& out, bool& found) {
  if (h.nlmsg_type != RTM_NEWTFILTER || h.nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(tcmsg))) return;
  tcmsg tc;
  std::memcpy(&tc, reinterpret_cast<const uint8_t*>(&h) + NLMSG_HDRLEN, sizeof tc);
  const size_t head = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(tcmsg));
  uint32_t id = 0;
  sys::for_each_attr(reinterpret_cast<const uint8_t*>(&h) + head, h.nlmsg_len - head,
                     [&](uint16_t type, const uint8_t* data, size_t len) {
                       if (type != TCA_OPTIONS) return;
                       sys::for_each_attr(data, len, [&](uint16_t t, const uint8_t* d, size_t l) {
                         if (t == TCA_BPF_ID && l >= 4) std::memcpy(&id, d, 4);
                       });
                     });
  if (id == 0) return;
  out.handle = tc.tcm_handle;
  out.priority = TC_H_MAJ(tc.tcm_info) >> 16;
  out.prog_id = id;
  found = true;
}

Result<void> check_identity(const TcHook& hook, const TcFilter& filter, const char* what) {
  if (filter.handle == 0 || filter.priority == 0 || filter.priority > 0xffff || filter.prog_fd != 0 ||
      filter.prog_id != 0 || filter.flags != 0) {
    BPFXX_WARN("%s: %s needs handle and priority (1..65535), and no prog_fd, prog_id or flags\n",
               device(hook.ifindex).c_str(), what);
    return fail(EINVAL, device(hook.ifindex) + ": bad tc filter options");
  }
  return {};
}

}  // namespace

Result<void> tc_hook_create(const TcHook& hook) {
  if (hook.ifindex <= 0 || !valid_point(hook.attach_point)) {
    BPFXX_WARN("bpf_tc_hook_create: bad ifindex %d or attach_point 0x%x\n", hook.ifindex, hook.attach_point);
    return fail(EINVAL, "bad tc hook");
  }
  if (hook.attach_point == BPF_TC_CUSTOM) {
    BPFXX_WARN("%s: only clsact hooks (ingress, egress) can be created\n", device(hook.ifindex).c_str());
    return fail(EOPNOTSUPP, "custom tc hook");
  }
  return qdisc_request(hook, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, "creating the clsact qdisc");
}

Result<void> tc_hook_destroy(const TcHook& hook) {
  if (hook.ifindex <= 0 || !valid_point(hook.attach_point)) {
    BPFXX_WARN("bpf_tc_hook_destroy: bad ifindex %d or attach_point 0x%x\n", hook.ifindex, hook.attach_point);
    return fail(EINVAL, "bad tc hook");
  }
  if (hook.attach_point == (BPF_TC_INGRESS | BPF_TC_EGRESS)) {
    return qdisc_request(hook, RTM_DELQDISC, 0, "deleting the clsact qdisc");
  }
  if (hook.attach_point == BPF_TC_CUSTOM) {
    BPFXX_WARN("%s: a custom tc hook is not ours to destroy\n", device(hook.ifindex).c_str());
    return fail(EOPNOTSUPP, "custom tc hook");
  }
  // One direction: remove every filter on it, keep the qdisc.
  auto parent = filter_parent(hook);
  if (!parent) return parent.failure();
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  sys::NetlinkMessage msg(RTM_DELTFILTER, 0);
  tcmsg tc{};
  tc.tcm_family = AF_UNSPEC;
  tc.tcm_ifindex = hook.ifindex;
  tc.tcm_parent = *parent;
  msg.put_body(&tc, sizeof tc);
  return sock.request(msg, device(hook.ifindex) + ": removing the hook's filters");
}

Result<void> tc_attach(const TcHook& hook, TcFilter& filter) {
  if (hook.ifindex <= 0 || filter.prog_fd <= 0 || filter.prog_id != 0 || filter.priority > 0xffff ||
      (filter.flags & ~static_cast<uint32_t>(BPF_TC_F_REPLACE)) != 0 ||
      ((filter.flags & BPF_TC_F_REPLACE) != 0 && (filter.handle == 0 || filter.priority == 0))) {
    BPFXX_WARN("%s: bpf_tc_attach needs a prog_fd, no prog_id, a priority up to 65535, and handle and priority "
               "to replace\n",
               device(hook.ifindex).c_str());
    return fail(EINVAL, device(hook.ifindex) + ": bad tc attach options");
  }
  auto parent = filter_parent(hook);
  if (!parent) return parent.failure();
  bpf_prog_info info{};
  __u32 len = sizeof info;
  if (bpf_prog_get_info_by_fd(filter.prog_fd, &info, &len) < 0) {
    const int e = errno;
    BPFXX_WARN("%s: prog fd %d is not a BPF program: %s\n", device(hook.ifindex).c_str(), filter.prog_fd,
               std::strerror(e));
    return fail(e, "bad prog fd");
  }
  const uint16_t flags = NLM_F_CREATE | NLM_F_ECHO | ((filter.flags & BPF_TC_F_REPLACE) != 0 ? 0 : NLM_F_EXCL);
  sys::NetlinkMessage msg = filter_message(RTM_NEWTFILTER, flags, hook.ifindex, *parent, filter);
  const size_t nest = msg.begin_nest(TCA_OPTIONS);
  msg.put<uint32_t>(TCA_BPF_FD, static_cast<uint32_t>(filter.prog_fd));
  // The name tc shows: the program's name and id, as tc itself writes it.
  msg.put_string(TCA_BPF_NAME, std::string(info.name) + ":[" + std::to_string(info.id) + "]");
  msg.put<uint32_t>(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
  msg.end_nest(nest);

  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  TcFilter got;
  bool found = false;
  auto r = sock.request(msg, device(hook.ifindex) + ": attaching tc filter of prog '" + info.name + "'",
                        [&](const nlmsghdr& h) { read_filter(h, got, found); });
  if (!r) return r;
  if (!found) {
    BPFXX_WARN("%s: the kernel did not report the new tc filter\n", device(hook.ifindex).c_str());
    return fail(ENOENT, "tc filter not reported");
  }
  filter.handle = got.handle;
  filter.priority = got.priority;
  filter.prog_id = got.prog_id;
  return {};
}

Result<void> tc_detach(const TcHook& hook, const TcFilter& filter) {
  if (auto r = check_identity(hook, filter, "bpf_tc_detach"); !r) return r;
  auto parent = filter_parent(hook);
  if (!parent) return parent.failure();
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  sys::NetlinkMessage msg = filter_message(RTM_DELTFILTER, 0, hook.ifindex, *parent, filter);
  return sock.request(msg, device(hook.ifindex) + ": detaching tc filter " + std::to_string(filter.handle));
}

Result<void> tc_query(const TcHook& hook, TcFilter& filter) {
  if (auto r = check_identity(hook, filter, "bpf_tc_query"); !r) return r;
  auto parent = filter_parent(hook);
  if (!parent) return parent.failure();
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  sys::NetlinkMessage msg = filter_message(RTM_GETTFILTER, 0, hook.ifindex, *parent, filter);
  TcFilter got;
  bool found = false;
  auto r = sock.request(msg, device(hook.ifindex) + ": querying tc filter " + std::to_string(filter.handle),
                        [&](const nlmsghdr& h) { read_filter(h, got, found); });
  if (!r) return r;
  if (!found) return fail(ENOENT, "no such tc filter");
  filter.prog_id = got.prog_id;
  return {};
}

}  // namespace bpfxx::link
