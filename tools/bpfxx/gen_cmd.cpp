// `bpfxx gen`: code generation from BPF objects, as bpftool's `gen`.
//
//   bpfxx gen skeleton FILE [name NAME]      NAME.skel.h on stdout
//   bpfxx gen subskeleton FILE [name NAME]   NAME.subskel.h on stdout
//   bpfxx gen object OUTPUT INPUT...         static linking (not yet)
//
// The header is built in memory and written with one call, so a failed
// run writes nothing to stdout. Errors are one line on stderr; the
// library's own messages are folded into that line (all of them are shown
// with --debug).
#include "commands.h"

#include "gen/skeleton.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

// Exit status of `gen object`: the command exists but needs the BPF
// linker, which this version does not have yet.
constexpr int kExitNotYet = 3;

void usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx gen skeleton FILE [name OBJECT_NAME]\n"
               "       bpfxx gen subskeleton FILE [name OBJECT_NAME]\n"
               "       bpfxx gen object OUTPUT_FILE INPUT_FILE [INPUT_FILE...]\n"
               "       bpfxx gen help\n");
}

// The library's warnings while generating: the first explains a failure
// in the error line (with -d all are passed on first); after a success they
// are all passed on. Info and
// debug messages go straight to the printer in place (shown with -d).
std::vector<std::string> g_warnings;
libbpf_print_fn_t g_previous = nullptr;

int capture_print(libbpf_print_level level, const char* fmt, va_list args) {
  if (level != LIBBPF_WARN) return g_previous != nullptr ? g_previous(level, fmt, args) : 0;
  char buf[512];
  int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  g_warnings.emplace_back(buf);
  return n;
}

void pass_on(libbpf_print_fn_t fn, libbpf_print_level level, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fn(level, fmt, args);
  va_end(args);
}

// "libbpf: elf: not an ELF file\n" -> "elf: not an ELF file".
std::string one_line(std::string msg) {
  if (msg.rfind("libbpf: ", 0) == 0) msg.erase(0, 8);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (char& c : msg) {
    if (c == '\n') c = ' ';
  }
  return msg;
}

bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& why) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    why = std::strerror(errno);
    return false;
  }
  uint8_t chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
  const bool failed = std::ferror(f) != 0;
  const int e = errno;
  std::fclose(f);
  if (failed) {
    why = std::strerror(e);
    return false;
  }
  return true;
}

int do_generate(const std::vector<std::string>& args, bool subskel, bool debug) {
  const char* what = subskel ? "subskeleton" : "skeleton";
  if (args.size() != 1 && args.size() != 3) {
    std::fprintf(stderr, "bpfxx gen %s: expected FILE [name OBJECT_NAME]; see 'bpfxx gen help'\n", what);
    return kExitUsage;
  }
  if (args.size() == 3 && args[1] != "name") {
    std::fprintf(stderr, "bpfxx gen %s: unknown argument '%s'; see 'bpfxx gen help'\n", what, args[1].c_str());
    return kExitUsage;
  }
  const std::string& path = args[0];
  const std::string name = args.size() == 3 ? args[2] : gen::skeleton_name_for(path);

  std::vector<uint8_t> bytes;
  std::string why;
  if (!read_file(path, bytes, why)) {
    std::fprintf(stderr, "bpfxx gen %s: cannot read '%s': %s\n", what, path.c_str(), why.c_str());
    return kExitFailure;
  }

  g_warnings.clear();
  g_previous = libbpf_set_print(capture_print);
  auto text = subskel ? gen::generate_subskeleton(bytes, name) : gen::generate_skeleton(bytes, name);
  libbpf_set_print(g_previous);

  if (!text) {
    // With -d every warning is shown, in order, before the error line.
    if (debug && g_previous != nullptr) {
      for (const std::string& w : g_warnings) pass_on(g_previous, LIBBPF_WARN, "%s", w.c_str());
    }
    std::string line = text.message();
    if (!g_warnings.empty()) line += " (" + one_line(g_warnings.front()) + ")";
    std::fprintf(stderr, "bpfxx gen %s: %s: %s\n", what, path.c_str(), line.c_str());
    return kExitFailure;
  }
  if (g_previous != nullptr) {
    for (const std::string& w : g_warnings) pass_on(g_previous, LIBBPF_WARN, "%s", w.c_str());
  }
  if (std::fwrite(text->data(), 1, text->size(), stdout) != text->size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "bpfxx gen %s: cannot write the header: %s\n", what, std::strerror(errno));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int gen_main(const std::vector<std::string>& args, const Options& options) {
  if (args.empty()) {
    usage(stderr);
    return kExitUsage;
  }
  const std::string& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "skeleton") return do_generate(rest, false, options.debug);
  if (cmd == "subskeleton") return do_generate(rest, true, options.debug);
  if (cmd == "object") {
    if (rest.size() < 2) {
      std::fprintf(stderr, "bpfxx gen object: expected OUTPUT_FILE INPUT_FILE...; see 'bpfxx gen help'\n");
      return kExitUsage;
    }
    std::fprintf(stderr, "bpfxx gen object: not yet: needs the BPF linker, which this version does not have\n");
    return kExitNotYet;
  }
  if (cmd == "help") {
    usage(stdout);
    return kExitOk;
  }
  std::fprintf(stderr, "bpfxx gen: unknown command '%s'; see 'bpfxx gen help'\n", cmd.c_str());
  return kExitUsage;
}

}  // namespace bpfxx::tool
