// `bpfxx feature probe [kernel]`: what the running kernel supports, as text
// or JSON: the kernel release, every program and map type, the features the
// loader checks and the syscall prefix.
#include "commands.h"
#include "json_writer.h"

#include "sys/features.h"
#include "sys/kernel.h"
#include "sys/probe_types.h"
#include "sys/type_names.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

struct Row {
  std::string name;
  int result;  // 1 yes, 0 no, < 0 could not tell (-errno)
  const char* description = nullptr;
};

struct Report {
  std::string release;
  std::string version;
  std::string machine;
  const char* syscall_prefix = nullptr;
  std::vector<Row> prog_types;
  std::vector<Row> map_types;
  std::vector<Row> features;
};

Report probe_kernel() {
  Report r;
  struct utsname uts;
  std::memset(&uts, 0, sizeof(uts));
  if (sys::kernel().uname(&uts) == 0) {
    // Bounded copies: the kernel NUL-terminates, but do not rely on it.
    r.release.assign(uts.release, strnlen(uts.release, sizeof(uts.release)));
    r.version.assign(uts.version, strnlen(uts.version, sizeof(uts.version)));
    r.machine.assign(uts.machine, strnlen(uts.machine, sizeof(uts.machine)));
  }
  // Type 0 (unspec) is no real type: leave it out.
  for (int t = 1; t < sys::prog_type_limit(); t++) {
    if (const char* name = sys::prog_type_name(t)) r.prog_types.push_back({name, sys::probe_prog_type(t)});
  }
  for (int t = 1; t < sys::map_type_limit(); t++) {
    if (const char* name = sys::map_type_name(t)) r.map_types.push_back({name, sys::probe_map_type(t)});
  }
  for (std::size_t i = 0; i < sys::kFeatureCount; i++) {
    auto f = static_cast<sys::Feature>(i);
    r.features.push_back({sys::feature_name(f), sys::has_feature(f) ? 1 : 0, sys::feature_description(f)});
  }
  r.syscall_prefix = sys::syscall_prefix();
  return r;
}

const char* verdict(int result) { return result > 0 ? "yes" : result == 0 ? "no" : "unknown"; }

void print_rows(const char* title, const std::vector<Row>& rows) {
  std::printf("\n%s\n", title);
  for (const Row& row : rows) {
    std::printf("  %-32s %s", row.name.c_str(), verdict(row.result));
    if (row.result < 0) std::printf(" (%s)", std::strerror(-row.result));
    if (row.description != nullptr) std::printf("%*s%s", row.result > 0 ? 2 : 3, "", row.description);
    std::printf("\n");
  }
}

void print_text(const Report& r) {
  std::printf("Kernel\n");
  std::printf("  %-32s %s\n", "release", r.release.c_str());
  std::printf("  %-32s %s\n", "machine", r.machine.c_str());
  std::printf("  %-32s %s\n", "syscall prefix", r.syscall_prefix != nullptr ? r.syscall_prefix : "(none)");
  print_rows("Program types", r.prog_types);
  print_rows("Map types", r.map_types);
  print_rows("Kernel features", r.features);
}

void json_rows(JsonWriter& w, const char* key, const std::vector<Row>& rows) {
  w.key(key);
  w.begin_object();
  for (const Row& row : rows) {
    w.key(row.name);
    if (row.result < 0) {
      w.null();  // could not tell
    } else {
      w.boolean(row.result > 0);
    }
  }
  w.end_object();
}

void print_json(const Report& r, bool pretty) {
  JsonWriter w(pretty);
  w.begin_object();
  w.key("kernel");
  w.begin_object();
  w.key("release");
  w.string(r.release);
  w.key("version");
  w.string(r.version);
  w.key("machine");
  w.string(r.machine);
  w.end_object();
  w.key("syscall_prefix");
  w.string_or_null(r.syscall_prefix);
  json_rows(w, "program_types", r.prog_types);
  json_rows(w, "map_types", r.map_types);
  json_rows(w, "features", r.features);
  w.end_object();
  std::printf("%s\n", w.text().c_str());
}

void feature_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx feature probe [kernel] [-j|-p]\n"
               "\n"
               "  probe [kernel]   probe the running kernel: program and map types,\n"
               "                   the features the loader relies on, syscall prefix\n");
}

}  // namespace

int feature_main(const std::vector<std::string>& args, const Options& options) {
  if (args.empty() || args[0] == "help") {
    feature_usage(args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] != "probe") {
    std::fprintf(stderr, "bpfxx feature: unknown command '%s'\n", args[0].c_str());
    feature_usage(stderr);
    return kExitUsage;
  }
  if (args.size() > 2 || (args.size() == 2 && args[1] != "kernel")) {
    std::fprintf(stderr, "bpfxx feature probe: unexpected argument '%s' (only 'kernel' is supported)\n",
                 args.back().c_str());
    return kExitUsage;
  }
  if (geteuid() != 0) {
    std::fprintf(stderr, "bpfxx: not running as root: results show what this unprivileged process may do\n");
  }
  Report report = probe_kernel();
  if (options.json) {
    print_json(report, options.pretty);
  } else {
    print_text(report);
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
}

}  // namespace bpfxx::tool
