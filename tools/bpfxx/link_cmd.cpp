// `bpfxx link`: the links (attachments) in the kernel.
//
//   bpfxx link { show | list } [LINK]
//   LINK := id ID | pinned PATH
#include "command_support.h"
#include "commands.h"
#include "json_writer.h"
#include "kernel_objects.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <net/if.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

void link_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx link { show | list } [LINK]\n"
               "       bpfxx link help\n"
               "\n"
               "  LINK := id ID | pinned PATH\n"
               "\n"
               "Shows each link's type, program and what it is attached to (tracepoint,\n"
               "attach type and target, cgroup, network namespace, interface, iterator).\n"
               "Options: -j / -p for JSON.\n");
}

int usage_error(const char* cmd, const std::string& msg) { return object_usage_error(ObjKind::Link, cmd, msg); }

std::string link_type_name(uint32_t type) {
  const char* s = libbpf_bpf_link_type_str(static_cast<bpf_link_type>(type));
  return s != nullptr ? s : "type " + std::to_string(type);
}

std::string attach_type_name(uint32_t type) {
  const char* s = libbpf_bpf_attach_type_str(static_cast<bpf_attach_type>(type));
  return s != nullptr ? s : std::to_string(type);
}

// The per-type facts of a link as (key, value) pairs, numbers or strings,
// so text and JSON show the same things.
struct Field {
  std::string key;
  bool is_number;
  int64_t number;
  std::string text;
};

std::vector<Field> link_fields(const LinkInfo& l) {
  std::vector<Field> f;
  auto num = [&](const char* k, int64_t v) { f.push_back({k, true, v, {}}); };
  auto str = [&](const char* k, const std::string& v) { f.push_back({k, false, 0, v}); };
  // What the link is attached to, and how.
  auto target = [&](const char* k, int64_t v, uint32_t attach_type) {
    num(k, v);
    str("attach_type", attach_type_name(attach_type));
  };
  const bpf_link_info& i = l.info;
  switch (i.type) {
    case BPF_LINK_TYPE_RAW_TRACEPOINT:
      str("tp_name", l.name_truncated ? l.name + "..." : l.name);
      break;
    case BPF_LINK_TYPE_TRACING:
      str("attach_type", attach_type_name(i.tracing.attach_type));
      num("target_obj_id", i.tracing.target_obj_id);
      num("target_btf_id", i.tracing.target_btf_id);
      break;
    case BPF_LINK_TYPE_CGROUP:
      target("cgroup_id", static_cast<int64_t>(i.cgroup.cgroup_id), i.cgroup.attach_type);
      break;
    case BPF_LINK_TYPE_ITER:
      str("target_name", l.name);
      if (l.name == "bpf_map_elem" || l.name == "bpf_sk_storage_map") num("map_id", i.iter.map.map_id);
      break;
    case BPF_LINK_TYPE_NETNS:
      target("netns_ino", i.netns.netns_ino, i.netns.attach_type);
      break;
    case BPF_LINK_TYPE_XDP:
      num("ifindex", i.xdp.ifindex);
      break;
    case BPF_LINK_TYPE_STRUCT_OPS:
      num("map_id", i.struct_ops.map_id);
      break;
    case BPF_LINK_TYPE_NETFILTER:
      num("pf", i.netfilter.pf);
      num("hook", i.netfilter.hooknum);
      num("prio", i.netfilter.priority);
      num("flags", i.netfilter.flags);
      break;
    case BPF_LINK_TYPE_TCX:
      target("ifindex", i.tcx.ifindex, i.tcx.attach_type);
      break;
    case BPF_LINK_TYPE_NETKIT:
      target("ifindex", i.netkit.ifindex, i.netkit.attach_type);
      break;
    case BPF_LINK_TYPE_SOCKMAP:
      target("map_id", i.sockmap.map_id, i.sockmap.attach_type);
      break;
    case BPF_LINK_TYPE_PERF_EVENT: {
      // Keys as bpftool's: the "event" kind names the perf event's own type
      // and config, so its kind is not written under the same key.
      static const char* const kPerfKinds[] = {"unspec", "uprobe", "uretprobe", "kprobe", "kretprobe", "tracepoint"};
      const uint32_t t = i.perf_event.type;
      const std::string name = l.name_truncated ? l.name + "..." : l.name;
      if (t == BPF_PERF_EVENT_EVENT) {
        num("event_type", i.perf_event.event.type);
        num("event_config", static_cast<int64_t>(i.perf_event.event.config));
        break;
      }
      str("event_type", t < sizeof(kPerfKinds) / sizeof(kPerfKinds[0]) ? kPerfKinds[t] : std::to_string(t));
      if (t == BPF_PERF_EVENT_UPROBE || t == BPF_PERF_EVENT_URETPROBE) {
        str("file", name);
        num("offset", i.perf_event.uprobe.offset);
      } else if (t == BPF_PERF_EVENT_KPROBE || t == BPF_PERF_EVENT_KRETPROBE) {
        str("func", name);
        num("offset", i.perf_event.kprobe.offset);
      } else if (t == BPF_PERF_EVENT_TRACEPOINT) {
        str("tracepoint", name);
      }
      break;
    }
    case BPF_LINK_TYPE_KPROBE_MULTI:
      num("func_cnt", i.kprobe_multi.count);
      num("missed", static_cast<int64_t>(i.kprobe_multi.missed));
      break;
    case BPF_LINK_TYPE_UPROBE_MULTI:
      num("func_cnt", i.uprobe_multi.count);
      num("pid", i.uprobe_multi.pid);
      break;
    default:
      break;
  }
  return f;
}

void show_plain(const LinkInfo& l, std::string& out) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), "%u: %s  prog %u\n", l.info.id, link_type_name(l.info.type).c_str(),
                l.info.prog_id);
  out += buf;
  std::vector<Field> fields = link_fields(l);
  if (fields.empty()) return;
  out += "\t";
  for (size_t k = 0; k < fields.size(); k++) {
    const Field& f = fields[k];
    if (k != 0) out += "  ";
    out += f.key + " ";
    out += f.is_number ? std::to_string(f.number) : f.text;
    if (f.key == "ifindex" && f.number > 0) {
      char name[IF_NAMESIZE] = {};
      if (if_indextoname(static_cast<unsigned>(f.number), name) != nullptr) out += std::string("(") + name + ")";
    }
  }
  out += "\n";
}

void show_json(const LinkInfo& l, JsonWriter& w) {
  w.begin_object();
  w.key("id");
  w.number(l.info.id);
  w.key("type");
  w.string(link_type_name(l.info.type));
  w.key("prog_id");
  w.number(l.info.prog_id);
  for (const Field& f : link_fields(l)) {
    w.key(f.key);
    if (f.is_number)
      w.number(f.number);
    else
      w.string(f.text);
  }
  w.end_object();
}

int do_show(const std::vector<std::string>& args, const Options& options) {
  std::vector<Fd> fds;
  bool all = false;
  if (int code = open_for_show(ObjKind::Link, false, false, args, &fds, &all); code != kExitOk) return code;
  return show_each(ObjKind::Link, fds, all, all, options, get_link_info, show_plain, show_json);
}

}  // namespace

int link_main(const std::vector<std::string>& args, const Options& options) {
  if (int code = kExitOk; handle_help(args, link_usage, &code)) return code;
  const std::string& cmd = args[0];
  if (cmd == "show" || cmd == "list") return do_show(args, options);
  return usage_error("", "unknown command '" + cmd + "'");
}

}  // namespace bpfxx::tool
