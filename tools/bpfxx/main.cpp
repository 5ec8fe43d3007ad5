// bpfxx: the command-line face of the library. `bpfxx OBJECT COMMAND ...`,
// in the manner of bpftool.
#include "commands.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

struct Object {
  const char* name;
  ObjectMain run;
  const char* summary;
};

// Add new objects here; keep them in the order --help shows them.
constexpr Object kObjects[] = {
    {"feature", feature_main, "feature probe [kernel]    what the running kernel supports"},
    {"btf", btf_main, "btf dump file PATH        BTF as raw records, or as C (format c)"},
    {"gen", gen_main, "gen skeleton FILE [name N] a skeleton header (also: subskeleton, object)"},
    {"prog", prog_main, "prog show|dump|stream     loaded programs, their code and streams"},
    {"map", map_main, "map show|dump|update|... maps and their elements ('bpfxx map help')"},
    {"link", link_main, "link show                 links: what each program is attached to"},
};

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx [OPTIONS] OBJECT COMMAND [ARGS]\n"
               "\n"
               "Objects and commands:\n");
  for (const Object& o : kObjects) std::fprintf(out, "  %s\n", o.summary);
  std::fprintf(out,
               "\n"
               "Options (anywhere on the line):\n"
               "  -j, --json      print JSON\n"
               "  -p, --pretty    print indented JSON (implies --json)\n"
               "  -d, --debug     show the library's debug messages on stderr\n"
               "  -h, --help      show this help\n"
               "  -V, --version   show the version\n");
}

int print_all(libbpf_print_level, const char* fmt, va_list args) {
  return std::vfprintf(stderr, fmt, args);
}

}  // namespace
}  // namespace bpfxx::tool

int main(int argc, char** argv) {
  using namespace bpfxx::tool;
  Options options;
  bool help = false;
  bool version = false;
  std::vector<std::string> words;
  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      words.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "-j" || arg == "--json") {
      options.json = true;
    } else if (arg == "-p" || arg == "--pretty") {
      options.json = true;
      options.pretty = true;
    } else if (arg == "-d" || arg == "--debug") {
      libbpf_set_print(print_all);
      options.debug = true;
    } else if (arg == "-h" || arg == "--help") {
      help = true;
    } else if (arg == "-V" || arg == "--version") {
      version = true;
    } else {
      std::fprintf(stderr, "bpfxx: unknown option '%s'; see 'bpfxx --help'\n", arg.c_str());
      return kExitUsage;
    }
  }

  if (version) {
    std::printf("bpfxx %s\n", libbpf_version_string());
    return kExitOk;
  }
  if (help || words.empty()) {
    print_usage(help ? stdout : stderr);
    return help ? kExitOk : kExitUsage;
  }

  const std::string& name = words.front();
  for (const Object& o : kObjects) {
    if (name == o.name) return o.run(std::vector<std::string>(words.begin() + 1, words.end()), options);
  }
  std::fprintf(stderr, "bpfxx: unknown object '%s'; see 'bpfxx --help'\n", name.c_str());
  return kExitUsage;
}
