// Finding and describing the programs, maps and links loaded in the kernel,
// for `bpfxx prog|map|link`: id iteration, selection by id, pinned path,
// name or tag, and the info records (with their variable-length parts).
#pragma once

#include <bpf/bpf.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace bpfxx::tool {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

enum class ObjKind { Prog, Map, Link };

const char* kind_noun(ObjKind kind);  // "program", "map", "link"

// How the user named an object: `id N`, `pinned PATH`, `name NAME`, `tag TAG`.
struct Selector {
  enum Kind { Id, Pinned, Name, Tag } kind = Id;
  uint32_t id = 0;
  std::string text;  // path, name or tag (16 hex digits)
};

// Parses a selector at args[*pos] (two words) and advances *pos past it.
// allow_name / allow_tag say which forms this object accepts. On a bad
// selector returns false with *error a one-line message.
bool parse_selector(const std::vector<std::string>& args, size_t* pos, ObjKind kind, bool allow_name,
                    bool allow_tag, Selector* out, std::string* error);

// Every id of that kind, in increasing order; -errno on failure.
int list_ids(ObjKind kind, std::vector<uint32_t>* ids);

// An fd for the object with this id: the fd, or -errno.
int open_by_id(ObjKind kind, uint32_t id);

// Calls visit(fd) for every object of that kind, opening one at a time and
// closing it after; objects that go away meanwhile (-ENOENT) are skipped.
// Returns 0; visit's nonzero return; or -errno with *error set when the ids
// cannot be listed or an object cannot be opened (e.g. -EMFILE, -EPERM).
int for_each_object(ObjKind kind, const std::function<int(int fd)>& visit, std::string* error);

// The objects a selector names (name and tag may match several, or none).
// Returns 0, or -errno with *error a message naming the object.
int open_selected(ObjKind kind, const Selector& sel, std::vector<Fd>* fds, std::string* error);

// /proc/self/fdinfo/<fd> as key -> value pairs (keys without the colon).
std::vector<std::pair<std::string, std::string>> read_fdinfo(int fd);
// One fdinfo value as a number; fallback when absent.
uint64_t fdinfo_number(const std::vector<std::pair<std::string, std::string>>& info, const std::string& key,
                       uint64_t fallback);

struct ProgInfo {
  bpf_prog_info info{};
  std::vector<uint32_t> map_ids;
  uint64_t memlock = 0;
};
int get_prog_info(int fd, ProgInfo* out);
// The program's instructions as the verifier left them (xlated).
int get_prog_xlated(int fd, std::vector<bpf_insn>* insns);

struct MapInfo {
  bpf_map_info info{};
  uint64_t memlock = 0;
  bool frozen = false;
};
int get_map_info(int fd, MapInfo* out);

struct LinkInfo {
  bpf_link_info info{};
  std::string name;  // tp name, iter target, perf event function/file
  bool name_truncated = false;  // longer than PATH_MAX: name is its start
};
int get_link_info(int fd, LinkInfo* out);

// The tag as 16 lowercase hex digits.
std::string tag_hex(const uint8_t* tag);

// load_time (ns since boot) as wall-clock seconds since the epoch.
int64_t load_time_epoch(uint64_t boot_ns);
// Seconds since the epoch as "2026-12-06T23:50:12+0000" (local time).
std::string format_time(int64_t epoch);

}  // namespace bpfxx::tool
