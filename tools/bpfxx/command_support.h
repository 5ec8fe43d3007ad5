// What `bpfxx prog|map|link` share: usage errors, writing the output,
// `help`, and opening and showing the objects for `show`/`list`.
#pragma once

#include "commands.h"
#include "json_writer.h"
#include "kernel_objects.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::tool {

// The word that names the kind on the command line: "prog", "map", "link".
const char* kind_command(ObjKind kind);

// "bpfxx OBJ[ CMD]: MSG" and a pointer to the help, on stderr; kExitUsage.
int object_usage_error(ObjKind kind, const char* cmd, const std::string& msg);

// Writes text to stdout: kExitOk, or kExitFailure after saying why.
int write_output(ObjKind kind, const std::string& text);

// An object's main() without a command (usage on stderr, kExitUsage) or
// with `help` (usage on stdout, kExitOk): true with *code the exit status.
bool handle_help(const std::vector<std::string>& args, void (*usage)(std::FILE*), int* code);

// For `show`/`list`: the objects args[1..] select. With no selector *all is
// set and fds stays empty: walk them with for_each_object. kExitOk, or the
// exit status after saying what is wrong.
int open_for_show(ObjKind kind, bool allow_name, bool allow_tag, const std::vector<std::string>& args,
                  std::vector<Fd>* fds, bool* all);

// For `show`/`list`: each object's info (the fds', or every object's when
// `all`), as text or as JSON (an array when `many`), written to stdout; the
// exit status.
template <typename Info>
int show_each(ObjKind kind, const std::vector<Fd>& fds, bool all, bool many, const Options& options,
              int (*get_info)(int, Info*), void (*plain)(const Info&, std::string&),
              void (*json)(const Info&, JsonWriter&)) {
  std::string out;
  JsonWriter w(options.pretty);
  if (options.json && many) w.begin_array();
  auto show_one = [&](int fd) {
    Info info;
    int err = get_info(fd, &info);
    if (err != 0) {
      std::fprintf(stderr, "bpfxx %s show: cannot get %s info: %s\n", kind_command(kind), kind_noun(kind),
                   std::strerror(-err));
      return err;
    }
    if (options.json)
      json(info, w);
    else
      plain(info, out);
    return 0;
  };
  if (all) {
    std::string error;
    int err = for_each_object(kind, show_one, &error);
    if (err != 0) {
      if (!error.empty()) std::fprintf(stderr, "bpfxx %s show: %s\n", kind_command(kind), error.c_str());
      return kExitFailure;
    }
  } else {
    for (const Fd& fd : fds) {
      if (show_one(fd.get()) != 0) return kExitFailure;
    }
  }
  if (options.json) {
    if (many) w.end_array();
    out = w.text() + "\n";
  }
  return write_output(kind, out);
}

}  // namespace bpfxx::tool
