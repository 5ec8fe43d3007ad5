#include "command_support.h"

#include <cerrno>

namespace bpfxx::tool {

// Only programs go by a shorter word than their noun.
const char* kind_command(ObjKind kind) { return kind == ObjKind::Prog ? "prog" : kind_noun(kind); }

int object_usage_error(ObjKind kind, const char* cmd, const std::string& msg) {
  const char* obj = kind_command(kind);
  std::fprintf(stderr, "bpfxx %s%s%s: %s\nsee 'bpfxx %s help'\n", obj, cmd[0] ? " " : "", cmd, msg.c_str(), obj);
  return kExitUsage;
}

int write_output(ObjKind kind, const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "bpfxx %s: cannot write the output: %s\n", kind_command(kind), std::strerror(errno));
    return kExitFailure;
  }
  return kExitOk;
}

bool handle_help(const std::vector<std::string>& args, void (*usage)(std::FILE*), int* code) {
  if (args.empty()) {
    usage(stderr);
    *code = kExitUsage;
    return true;
  }
  if (args[0] == "help") {
    usage(stdout);
    *code = kExitOk;
    return true;
  }
  return false;
}

int open_for_show(ObjKind kind, bool allow_name, bool allow_tag, const std::vector<std::string>& args,
                  std::vector<Fd>* fds, bool* all) {
  const char* obj = kind_command(kind);
  *all = args.size() <= 1;
  if (*all) return kExitOk;
  size_t pos = 1;
  Selector sel;
  std::string error;
  if (!parse_selector(args, &pos, kind, allow_name, allow_tag, &sel, &error))
    return object_usage_error(kind, "show", error);
  if (pos != args.size()) return object_usage_error(kind, "show", "unexpected argument '" + args[pos] + "'");
  if (open_selected(kind, sel, fds, &error) != 0) {
    std::fprintf(stderr, "bpfxx %s show: %s\n", obj, error.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace bpfxx::tool
