// `bpfxx link`: the links (attachments) in the kernel.
//
//   bpfxx link { show | list } [LINK]
//   LINK := id ID | pinned PATH
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

int usage_error(const char* cmd, const std::string& msg) {
  std::fprintf(stderr, "bpfxx link%s%s: %s\nsee 'bpfxx link help'\n", cmd[0] ? " " : "", cmd, msg.c_str());
  return kExitUsage;
}

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
  const bpf_link_info& i = l.info;
  switch (i.type) {
    case BPF_LINK_TYPE_RAW_TRACEPOINT:
      str("tp_name", l.name);
      break;
    case BPF_LINK_TYPE_TRACING:
      str("attach_type", attach_type_name(i.tracing.attach_type));
      num("target_obj_id", i.tracing.target_obj_id);
      num("target_btf_id", i.tracing.target_btf_id);
      break;
    case BPF_LINK_TYPE_CGROUP:
      num("cgroup_id", static_cast<int64_t>(i.cgroup.cgroup_id));
      str("attach_type", attach_type_name(i.cgroup.attach_type));
      break;
    case BPF_LINK_TYPE_ITER:
      str("target_name", l.name);
      if (l.name == "bpf_map_elem" || l.name == "bpf_sk_storage_map") num("map_id", i.iter.map.map_id);
      break;
    case BPF_LINK_TYPE_NETNS:
      num("netns_ino", i.netns.netns_ino);
      str("attach_type", attach_type_name(i.netns.attach_type));
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
      num("ifindex", i.tcx.ifindex);
      str("attach_type", attach_type_name(i.tcx.attach_type));
      break;
    case BPF_LINK_TYPE_NETKIT:
      num("ifindex", i.netkit.ifindex);
      str("attach_type", attach_type_name(i.netkit.attach_type));
      break;
    case BPF_LINK_TYPE_SOCKMAP:
      num("map_id", i.sockmap.map_id);
      str("attach_type", attach_type_name(i.sockmap.attach_type));
      break;
    case BPF_LINK_TYPE_PERF_EVENT: {
      static const char* const kPerfTypes[] = {"unspec", "uprobe", "uretprobe", "kprobe", "kretprobe", "tracepoint",
                                               "event"};
      const uint32_t t = i.perf_event.type;
      str("event_type", t < sizeof(kPerfTypes) / sizeof(kPerfTypes[0]) ? kPerfTypes[t] : std::to_string(t));
      if (t == 1 || t == 2) {
        str("file", l.name);
        num("offset", i.perf_event.uprobe.offset);
      } else if (t == 3 || t == 4) {
        str("func", l.name);
        num("offset", i.perf_event.kprobe.offset);
      } else if (t == 5) {
        str("tp_name", l.name);
      } else if (t == 6) {
        num("config", static_cast<int64_t>(i.perf_event.event.config));
        num("type", i.perf_event.event.type);
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
  if (args.size() > 1) {
    size_t pos = 1;
    Selector sel;
    std::string error;
    if (!parse_selector(args, &pos, ObjKind::Link, false, false, &sel, &error)) return usage_error("show", error);
    if (pos != args.size()) return usage_error("show", "unexpected argument '" + args[pos] + "'");
    if (open_selected(ObjKind::Link, sel, &fds, &error) != 0) {
      std::fprintf(stderr, "bpfxx link show: %s\n", error.c_str());
      return kExitFailure;
    }
  } else {
    std::vector<uint32_t> ids;
    int err = list_ids(ObjKind::Link, &ids);
    if (err != 0) {
      std::fprintf(stderr, "bpfxx link list: cannot list links: %s\n", std::strerror(-err));
      return kExitFailure;
    }
    for (uint32_t id : ids) {
      int fd = open_by_id(ObjKind::Link, id);
      if (fd >= 0) fds.emplace_back(fd);
    }
  }
  const bool many = args.size() <= 1;
  std::string out;
  JsonWriter w(options.pretty);
  if (options.json && many) w.begin_array();
  for (const Fd& fd : fds) {
    LinkInfo l;
    int err = get_link_info(fd.get(), &l);
    if (err != 0) {
      std::fprintf(stderr, "bpfxx link show: cannot get link info: %s\n", std::strerror(-err));
      return kExitFailure;
    }
    if (options.json)
      show_json(l, w);
    else
      show_plain(l, out);
  }
  if (options.json) {
    if (many) w.end_array();
    out = w.text() + "\n";
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "bpfxx link: cannot write the output: %s\n", std::strerror(errno));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int link_main(const std::vector<std::string>& args, const Options& options) {
  if (args.empty()) {
    link_usage(stderr);
    return kExitUsage;
  }
  const std::string& cmd = args[0];
  if (cmd == "help") {
    link_usage(stdout);
    return kExitOk;
  }
  if (cmd == "show" || cmd == "list") return do_show(args, options);
  return usage_error("", "unknown command '" + cmd + "'");
}

}  // namespace bpfxx::tool
