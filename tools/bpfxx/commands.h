// The bpfxx command's objects ("feature", ...) and what they share.
#pragma once

#include <string>
#include <vector>

namespace bpfxx::tool {

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed
inline constexpr int kExitUsage = 2;    // the command line was wrong

// Global options, accepted anywhere on the command line.
struct Options {
  bool json = false;    // -j / --json
  bool pretty = false;  // -p / --pretty (implies json)
  bool debug = false;   // -d / --debug (the library's messages on stderr)
};

// An object's entry point: args are the words after the object's name, with
// the global options taken out. Returns an exit status.
using ObjectMain = int (*)(const std::vector<std::string>& args, const Options& options);

// feature_probe.cpp
int feature_main(const std::vector<std::string>& args, const Options& options);

// btf_cmd.cpp
int btf_main(const std::vector<std::string>& args, const Options& options);

// gen_cmd.cpp
int gen_main(const std::vector<std::string>& args, const Options& options);

// prog_cmd.cpp, map_cmd.cpp, link_cmd.cpp
int prog_main(const std::vector<std::string>& args, const Options& options);
int map_main(const std::vector<std::string>& args, const Options& options);
int link_main(const std::vector<std::string>& args, const Options& options);

}  // namespace bpfxx::tool
