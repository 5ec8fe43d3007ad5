// `bpfxx prog`: the programs loaded in the kernel.
//
//   bpfxx prog { show | list } [PROG]
//   bpfxx prog dump xlated PROG
//   bpfxx prog stream { stdout | stderr } PROG
//   PROG := id ID | pinned PATH | name NAME | tag TAG
#include "command_support.h"
#include "commands.h"
#include "insn_disasm.h"
#include "json_writer.h"
#include "kernel_objects.h"
#include "prog_stream.h"

#include "sys/kallsyms.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace bpfxx::tool {
namespace {

void prog_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx prog { show | list } [PROG]\n"
               "       bpfxx prog dump xlated PROG\n"
               "       bpfxx prog stream { stdout | stderr } PROG\n"
               "       bpfxx prog help\n"
               "\n"
               "  PROG := id ID | pinned PATH | name NAME | tag TAG\n"
               "\n"
               "  show, list     every loaded program, or the ones PROG names\n"
               "  dump xlated    the instructions as the verifier left them\n"
               "  stream         what the program wrote to its BPF stream (6.17+),\n"
               "                 read until the stream is empty, as raw text\n"
               "Options: -j / -p for JSON (show, dump).\n");
}

int usage_error(const char* cmd, const std::string& msg) { return object_usage_error(ObjKind::Prog, cmd, msg); }

std::string prog_type_name(uint32_t type) {
  const char* s = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(type));
  return s != nullptr ? s : "type " + std::to_string(type);
}

void show_plain(const ProgInfo& p, std::string& out) {
  const bpf_prog_info& i = p.info;
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%u: %s  ", i.id, prog_type_name(i.type).c_str());
  out += buf;
  if (i.name[0] != 0) {
    out += "name ";
    out.append(i.name, strnlen(i.name, sizeof(i.name)));
    out += "  ";
  }
  out += "tag " + tag_hex(i.tag);
  if (i.gpl_compatible) out += "  gpl";
  if (i.run_cnt != 0) {
    std::snprintf(buf, sizeof(buf), " run_time_ns %llu run_cnt %llu", static_cast<unsigned long long>(i.run_time_ns),
                  static_cast<unsigned long long>(i.run_cnt));
    out += buf;
  }
  out += "\n";
  std::snprintf(buf, sizeof(buf), "\tloaded_at %s  uid %u\n", format_time(load_time_epoch(i.load_time)).c_str(),
                i.created_by_uid);
  out += buf;
  std::snprintf(buf, sizeof(buf), "\txlated %uB", i.xlated_prog_len);
  out += buf;
  if (i.jited_prog_len != 0) {
    std::snprintf(buf, sizeof(buf), "  jited %uB", i.jited_prog_len);
    out += buf;
  } else {
    out += "  not jited";
  }
  std::snprintf(buf, sizeof(buf), "  memlock %lluB", static_cast<unsigned long long>(p.memlock));
  out += buf;
  if (!p.map_ids.empty()) {
    out += "  map_ids ";
    for (size_t k = 0; k < p.map_ids.size(); k++) out += (k ? "," : "") + std::to_string(p.map_ids[k]);
  }
  out += "\n";
  if (i.btf_id != 0) out += "\tbtf_id " + std::to_string(i.btf_id) + "\n";
}

void show_json(const ProgInfo& p, JsonWriter& w) {
  const bpf_prog_info& i = p.info;
  w.begin_object();
  w.key("id");
  w.number(i.id);
  w.key("type");
  w.string(prog_type_name(i.type));
  w.key("name");
  w.string(std::string(i.name, strnlen(i.name, sizeof(i.name))));
  w.key("tag");
  w.string(tag_hex(i.tag));
  w.key("gpl_compatible");
  w.boolean(i.gpl_compatible);
  if (i.run_cnt != 0) {
    w.key("run_time_ns");
    w.number(static_cast<int64_t>(i.run_time_ns));
    w.key("run_cnt");
    w.number(static_cast<int64_t>(i.run_cnt));
  }
  w.key("loaded_at");
  w.number(load_time_epoch(i.load_time));
  w.key("uid");
  w.number(i.created_by_uid);
  w.key("bytes_xlated");
  w.number(i.xlated_prog_len);
  w.key("jited");
  w.boolean(i.jited_prog_len != 0);
  w.key("bytes_jited");
  w.number(i.jited_prog_len);
  w.key("bytes_memlock");
  w.number(static_cast<int64_t>(p.memlock));
  w.key("map_ids");
  w.begin_array();
  for (uint32_t id : p.map_ids) w.number(id);
  w.end_array();
  if (i.btf_id != 0) {
    w.key("btf_id");
    w.number(i.btf_id);
  }
  w.key("verified_insns");
  w.number(i.verified_insns);
  w.end_object();
}

int write_out(const std::string& text) { return write_output(ObjKind::Prog, text); }

int do_show(const std::vector<std::string>& args, const Options& options) {
  std::vector<Fd> fds;
  bool all = false;
  if (int code = open_for_show(ObjKind::Prog, true, true, args, &fds, &all); code != kExitOk) return code;
  const bool many = all || fds.size() != 1;
  return show_each(ObjKind::Prog, fds, all, many, options, get_prog_info, show_plain, show_json);
}

// Names helper and kfunc calls of xlated programs: the kernel stores their
// address as an offset from __bpf_call_base, so /proc/kallsyms names them.
class KernelCallNamer {
 public:
  std::string operator()(const bpf_insn& call) {
    if (!loaded_) load();
    if (base_ == 0) return {};
    auto it = names_.find(base_ + static_cast<uint64_t>(static_cast<int64_t>(call.imm)));
    return it != names_.end() ? it->second : std::string();
  }

 private:
  void load() {
    loaded_ = true;
    auto text = sys::read_kallsyms();
    if (!text) return;
    (void)sys::for_each_kallsym(*text, [&](const sys::Kallsym& s) {
      if (s.addr == 0) return true;
      if (s.name == "__bpf_call_base") base_ = s.addr;
      if (s.type == 't' || s.type == 'T') names_.emplace(s.addr, std::string(s.name));
      return true;
    });
  }
  bool loaded_ = false;
  uint64_t base_ = 0;
  std::unordered_map<uint64_t, std::string> names_;
};

int do_dump(const std::vector<std::string>& args, const Options& options) {
  if (args.size() < 2) return usage_error("dump", "expected 'xlated PROG'");
  if (args[1] == "jited") return usage_error("dump", "'jited' is not supported; use 'xlated'");
  if (args[1] != "xlated") return usage_error("dump", "unknown dump kind '" + args[1] + "' (xlated)");
  size_t pos = 2;
  Selector sel;
  std::string error;
  if (!parse_selector(args, &pos, ObjKind::Prog, true, true, &sel, &error)) return usage_error("dump", error);
  if (pos != args.size()) return usage_error("dump", "unexpected argument '" + args[pos] + "'");
  std::vector<Fd> fds;
  if (open_selected(ObjKind::Prog, sel, &fds, &error) != 0) {
    std::fprintf(stderr, "bpfxx prog dump: %s\n", error.c_str());
    return kExitFailure;
  }
  KernelCallNamer kallsyms;
  CallNamer namer = [&](const bpf_insn& in) { return kallsyms(in); };
  std::string out;
  JsonWriter w(options.pretty);
  if (options.json && fds.size() > 1) w.begin_array();
  for (const Fd& fd : fds) {
    std::vector<bpf_insn> insns;
    int err = get_prog_xlated(fd.get(), &insns);
    if (err == -EPERM) {
      std::fprintf(stderr,
                   "bpfxx prog dump: cannot get the instructions: %s (the kernel withholds them without "
                   "CAP_SYS_ADMIN, or when net.core.bpf_jit_harden and kernel.kptr_restrict are set)\n",
                   std::strerror(-err));
      return kExitFailure;
    }
    if (err != 0) {
      std::fprintf(stderr, "bpfxx prog dump: cannot get the instructions: %s\n", std::strerror(-err));
      return kExitFailure;
    }
    std::vector<DisasmLine> lines = disassemble(insns.data(), insns.size(), namer);
    if (!options.json) {
      out += format_disassembly(lines);
      continue;
    }
    w.begin_array();
    for (const DisasmLine& l : lines) {
      char code[8];
      std::snprintf(code, sizeof(code), "0x%02x", l.code);
      w.begin_object();
      w.key("pc");
      w.number(static_cast<int64_t>(l.pc));
      w.key("code");
      w.string(code);
      w.key("disasm");
      w.string(l.text);
      w.end_object();
    }
    w.end_array();
  }
  if (options.json) {
    if (fds.size() > 1) w.end_array();
    out = w.text() + "\n";
  }
  return write_out(out);
}

int do_stream(const std::vector<std::string>& args) {
  if (args.size() < 2) return usage_error("stream", "expected 'stdout' or 'stderr'");
  uint32_t stream_id;
  if (args[1] == "stdout" || args[1] == "out") {
    stream_id = BPF_STREAM_STDOUT;
  } else if (args[1] == "stderr" || args[1] == "err") {
    stream_id = BPF_STREAM_STDERR;
  } else {
    return usage_error("stream", "unknown stream '" + args[1] + "' (stdout or stderr)");
  }
  size_t pos = 2;
  Selector sel;
  std::string error;
  if (!parse_selector(args, &pos, ObjKind::Prog, true, true, &sel, &error)) return usage_error("stream", error);
  if (pos != args.size()) return usage_error("stream", "unexpected argument '" + args[pos] + "'");
  std::vector<Fd> fds;
  if (open_selected(ObjKind::Prog, sel, &fds, &error) != 0) {
    std::fprintf(stderr, "bpfxx prog stream: %s\n", error.c_str());
    return kExitFailure;
  }
  if (fds.size() != 1) {
    std::fprintf(stderr, "bpfxx prog stream: %zu programs match; name one by id\n", fds.size());
    return kExitFailure;
  }
  bool write_failed = false;
  long n = drain_prog_stream(fds[0].get(), stream_id, 4096, [&](std::string_view chunk) {
    write_failed = std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size();
    return !write_failed;
  });
  if (n < 0 && !write_failed) {
    std::fprintf(stderr, "bpfxx prog stream: cannot read the %s stream: %s\n", args[1].c_str(),
                 n == -EINVAL ? "Invalid argument (does this kernel have BPF streams? 6.17+)" : std::strerror(static_cast<int>(-n)));
    return kExitFailure;
  }
  if (write_failed || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "bpfxx prog stream: cannot write the output: %s\n", std::strerror(errno));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int prog_main(const std::vector<std::string>& args, const Options& options) {
  if (int code = kExitOk; handle_help(args, prog_usage, &code)) return code;
  const std::string& cmd = args[0];
  if (cmd == "show" || cmd == "list") return do_show(args, options);
  if (cmd == "dump") return do_dump(args, options);
  if (cmd == "stream") return do_stream(args);
  return usage_error("", "unknown command '" + cmd + "'");
}

}  // namespace bpfxx::tool
