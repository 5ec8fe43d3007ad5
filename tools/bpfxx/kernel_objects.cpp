#include "kernel_objects.h"

#include "sys/kernel.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>

namespace bpfxx::tool {

void Fd::reset() {
  // Through the syscall seam, like the fds' creation: a fake kernel's fds
  // are not the process's.
  if (fd_ >= 0) sys::kernel().close(fd_);
  fd_ = -1;
}

const char* kind_noun(ObjKind kind) {
  switch (kind) {
    case ObjKind::Prog: return "program";
    case ObjKind::Map: return "map";
    case ObjKind::Link: return "link";
  }
  return "object";
}

namespace {

bool parse_id(const std::string& s, uint32_t* v) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long x = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != 0 || x > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(x);
  return true;
}

// The fdinfo key that says what a bpf fd is.
const char* fdinfo_type_key(ObjKind kind) {
  switch (kind) {
    case ObjKind::Prog: return "prog_type";
    case ObjKind::Map: return "map_type";
    case ObjKind::Link: return "link_type";
  }
  return "";
}

// Moves *id on to the next object of kind: 0, -ENOENT past the last, or -errno.
int next_id(ObjKind kind, uint32_t* id) {
  switch (kind) {
    case ObjKind::Prog: return bpf_prog_get_next_id(*id, id);
    case ObjKind::Map: return bpf_map_get_next_id(*id, id);
    case ObjKind::Link: return bpf_link_get_next_id(*id, id);
  }
  return -EINVAL;
}

}  // namespace

bool parse_selector(const std::vector<std::string>& args, size_t* pos, ObjKind kind, bool allow_name,
                    bool allow_tag, Selector* out, std::string* error) {
  const size_t i = *pos;
  if (i >= args.size()) {
    *error = std::string("expected the ") + kind_noun(kind) + ": id ID | pinned PATH" +
             (allow_name ? " | name NAME" : "") + (allow_tag ? " | tag TAG" : "");
    return false;
  }
  const std::string& how = args[i];
  if (i + 1 >= args.size()) {
    *error = "'" + how + "' needs a value";
    return false;
  }
  const std::string& value = args[i + 1];
  if (how == "id") {
    out->kind = Selector::Id;
    if (!parse_id(value, &out->id)) {
      *error = "bad " + std::string(kind_noun(kind)) + " id '" + value + "'";
      return false;
    }
  } else if (how == "pinned") {
    out->kind = Selector::Pinned;
    out->text = value;
  } else if (how == "name" && allow_name) {
    out->kind = Selector::Name;
    out->text = value;
  } else if (how == "tag" && allow_tag) {
    out->kind = Selector::Tag;
    std::string hex;
    for (char c : value) {
      if (c == ':' || c == ' ') continue;
      hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    bool ok = hex.size() == 2 * BPF_TAG_SIZE;
    for (char c : hex) ok = ok && std::isxdigit(static_cast<unsigned char>(c));
    if (!ok) {
      *error = "bad tag '" + value + "' (expected 16 hex digits)";
      return false;
    }
    out->text = hex;
  } else {
    *error = "unknown " + std::string(kind_noun(kind)) + " selector '" + how + "' (id, pinned" +
             (allow_name ? ", name" : "") + (allow_tag ? ", tag" : "") + ")";
    return false;
  }
  *pos = i + 2;
  return true;
}

int list_ids(ObjKind kind, std::vector<uint32_t>* ids) {
  ids->clear();
  uint32_t id = 0;
  for (;;) {
    int err = next_id(kind, &id);
    if (err == -ENOENT) return 0;
    if (err != 0) return err;
    ids->push_back(id);
  }
}

int open_by_id(ObjKind kind, uint32_t id) {
  switch (kind) {
    case ObjKind::Prog: return bpf_prog_get_fd_by_id(id);
    case ObjKind::Map: return bpf_map_get_fd_by_id(id);
    case ObjKind::Link: return bpf_link_get_fd_by_id(id);
  }
  return -EINVAL;
}

int for_each_object(ObjKind kind, const std::function<int(int fd)>& visit, std::string* error) {
  // One fd at a time, so a host with more objects than RLIMIT_NOFILE works.
  const char* noun = kind_noun(kind);
  uint32_t id = 0;
  for (;;) {
    int err = next_id(kind, &id);
    if (err == -ENOENT) return 0;
    if (err != 0) {
      *error = std::string("cannot list ") + noun + "s: " + std::strerror(-err);
      return err;
    }
    Fd fd(open_by_id(kind, id));
    if (fd.get() == -ENOENT) continue;  // it went away since the listing
    if (!fd.valid()) {
      const int open_err = fd.get();
      *error = std::string("cannot get ") + noun + " id " + std::to_string(id) + ": " + std::strerror(-open_err);
      return open_err;
    }
    err = visit(fd.get());
    if (err != 0) return err;
  }
}

std::vector<std::pair<std::string, std::string>> read_fdinfo(int fd) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in("/proc/self/fdinfo/" + std::to_string(fd));
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t v = colon + 1;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) v++;
    out.emplace_back(line.substr(0, colon), line.substr(v));
  }
  return out;
}

uint64_t fdinfo_number(const std::vector<std::pair<std::string, std::string>>& info, const std::string& key,
                       uint64_t fallback) {
  for (const auto& [k, v] : info) {
    if (k == key) return std::strtoull(v.c_str(), nullptr, 0);
  }
  return fallback;
}

namespace {

bool fdinfo_has(int fd, const char* key) {
  for (const auto& kv : read_fdinfo(fd)) {
    if (kv.first == key) return true;
  }
  return false;
}

}  // namespace

int open_selected(ObjKind kind, const Selector& sel, std::vector<Fd>* fds, std::string* error) {
  const char* noun = kind_noun(kind);
  if (sel.kind == Selector::Id) {
    int fd = open_by_id(kind, sel.id);
    if (fd < 0) {
      *error = std::string("cannot get ") + noun + " id " + std::to_string(sel.id) + ": " + std::strerror(-fd);
      return fd;
    }
    fds->emplace_back(fd);
    return 0;
  }
  if (sel.kind == Selector::Pinned) {
    Fd fd(bpf_obj_get(sel.text.c_str()));
    if (!fd.valid()) {
      int err = -errno;
      *error = "cannot open pinned " + std::string(noun) + " '" + sel.text + "': " + std::strerror(errno);
      return err;
    }
    if (!fdinfo_has(fd.get(), fdinfo_type_key(kind))) {
      *error = "'" + sel.text + "' is not a pinned " + noun;
      return -EINVAL;
    }
    fds->push_back(std::move(fd));
    return 0;
  }
  // name or tag: walk every program (or map) and keep the matches.
  std::vector<uint32_t> ids;
  int err = list_ids(kind, &ids);
  if (err != 0) {
    *error = std::string("cannot list ") + noun + "s: " + std::strerror(-err);
    return err;
  }
  for (uint32_t id : ids) {
    Fd fd(open_by_id(kind, id));
    if (fd.get() == -ENOENT) continue;  // gone since the listing
    if (!fd.valid()) {
      *error = std::string("cannot get ") + noun + " id " + std::to_string(id) + ": " + std::strerror(-fd.get());
      return fd.get();
    }
    bool match = false;
    if (kind == ObjKind::Prog) {
      bpf_prog_info info{};
      uint32_t len = sizeof(info);
      if (bpf_prog_get_info_by_fd(fd.get(), &info, &len) != 0) continue;
      match = sel.kind == Selector::Name ? sel.text.compare(0, BPF_OBJ_NAME_LEN - 1, info.name) == 0
                                         : tag_hex(info.tag) == sel.text;
    } else if (kind == ObjKind::Map) {
      bpf_map_info info{};
      uint32_t len = sizeof(info);
      if (bpf_map_get_info_by_fd(fd.get(), &info, &len) != 0) continue;
      match = sel.kind == Selector::Name && sel.text.compare(0, BPF_OBJ_NAME_LEN - 1, info.name) == 0;
    }
    if (match) fds->push_back(std::move(fd));
  }
  if (fds->empty()) {
    *error = std::string("no ") + noun + " with " + (sel.kind == Selector::Name ? "name '" : "tag '") + sel.text + "'";
    return -ENOENT;
  }
  return 0;
}

int get_prog_info(int fd, ProgInfo* out) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  int err = bpf_prog_get_info_by_fd(fd, &info, &len);
  if (err != 0) return err;
  // Second call for the map ids, now that their number is known.
  out->map_ids.assign(info.nr_map_ids, 0);
  if (info.nr_map_ids != 0) {
    const uint32_t nr = info.nr_map_ids;
    info = bpf_prog_info{};
    info.nr_map_ids = nr;
    info.map_ids = reinterpret_cast<uintptr_t>(out->map_ids.data());
    len = sizeof(info);
    err = bpf_prog_get_info_by_fd(fd, &info, &len);
    if (err != 0) return err;
    // A map may have gone between the calls; never read past what we have.
    if (info.nr_map_ids < out->map_ids.size()) out->map_ids.resize(info.nr_map_ids);
    info.map_ids = 0;
  }
  out->info = info;
  out->memlock = fdinfo_number(read_fdinfo(fd), "memlock", 0);
  return 0;
}

int get_prog_xlated(int fd, std::vector<bpf_insn>* insns) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  int err = bpf_prog_get_info_by_fd(fd, &info, &len);
  if (err != 0) return err;
  if (info.xlated_prog_len == 0) return -EPERM;  // the kernel hides them (no CAP_SYS_ADMIN)
  const uint32_t bytes = info.xlated_prog_len;
  insns->assign(bytes / sizeof(bpf_insn), bpf_insn{});
  info = bpf_prog_info{};
  info.xlated_prog_len = bytes;
  info.xlated_prog_insns = reinterpret_cast<uintptr_t>(insns->data());
  len = sizeof(info);
  err = bpf_prog_get_info_by_fd(fd, &info, &len);
  if (err != 0) return err;
  // With bpf_jit_harden and kptr_restrict the kernel reports the length but
  // clears the pointer instead of copying: there are no instructions to show.
  if (info.xlated_prog_insns == 0) return -EPERM;
  if (info.xlated_prog_len < bytes) insns->resize(info.xlated_prog_len / sizeof(bpf_insn));
  return 0;
}

int get_map_info(int fd, MapInfo* out) {
  uint32_t len = sizeof(out->info);
  out->info = bpf_map_info{};
  int err = bpf_map_get_info_by_fd(fd, &out->info, &len);
  if (err != 0) return err;
  auto fdinfo = read_fdinfo(fd);
  out->memlock = fdinfo_number(fdinfo, "memlock", 0);
  out->frozen = fdinfo_number(fdinfo, "frozen", 0) != 0;
  return 0;
}

int get_link_info(int fd, LinkInfo* out) {
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  int err = bpf_link_get_info_by_fd(fd, &info, &len);
  if (err != 0) return err;
  // Names come in a second call with a buffer where this link type wants it.
  const bpf_link_info first = info;
  std::vector<char> name(PATH_MAX + 1, 0);
  const uint32_t name_len = PATH_MAX;  // the last byte stays 0 whatever the kernel does
  const uint32_t type = info.type;
  // Of the perf event kinds only these carry a name; "event" keeps its
  // config where the others keep the name's address.
  const uint32_t perf_type = type == BPF_LINK_TYPE_PERF_EVENT ? first.perf_event.type : 0;
  const bool perf_named = perf_type == BPF_PERF_EVENT_UPROBE || perf_type == BPF_PERF_EVENT_URETPROBE ||
                          perf_type == BPF_PERF_EVENT_KPROBE || perf_type == BPF_PERF_EVENT_KRETPROBE ||
                          perf_type == BPF_PERF_EVENT_TRACEPOINT;
  const auto buf = reinterpret_cast<uintptr_t>(name.data());
  bool want_name = true;
  info = bpf_link_info{};
  switch (type) {
    case BPF_LINK_TYPE_RAW_TRACEPOINT:
      info.raw_tracepoint.tp_name = buf;
      info.raw_tracepoint.tp_name_len = name_len;
      break;
    case BPF_LINK_TYPE_ITER:
      info.iter.target_name = buf;
      info.iter.target_name_len = name_len;
      break;
    case BPF_LINK_TYPE_PERF_EVENT:
      // The same place holds the uprobe file, kprobe function or tp name.
      want_name = perf_named;
      if (perf_named) {
        info.perf_event.uprobe.file_name = buf;
        info.perf_event.uprobe.name_len = name_len;
      }
      break;
    default:
      want_name = false;
  }
  if (!want_name) {
    out->info = first;
    return 0;
  }
  len = sizeof(info);
  err = bpf_link_get_info_by_fd(fd, &info, &len);
  if (err == -ENOSPC) {
    // The name did not fit: the kernel copied what fits but not the record,
    // so keep the first call's record and the shortened name.
    out->info = first;
    out->name = name.data();
    out->name_truncated = true;
    return 0;
  }
  if (err != 0) return err;
  out->name = name.data();
  // The pointers were ours; do not hand them out.
  switch (type) {
    case BPF_LINK_TYPE_RAW_TRACEPOINT: info.raw_tracepoint.tp_name = 0; break;
    case BPF_LINK_TYPE_ITER: info.iter.target_name = 0; break;
    case BPF_LINK_TYPE_PERF_EVENT: info.perf_event.uprobe.file_name = 0; break;
    default: break;
  }
  out->info = info;
  return 0;
}

std::string tag_hex(const uint8_t* tag) {
  std::string s;
  char buf[4];
  for (int i = 0; i < BPF_TAG_SIZE; i++) {
    std::snprintf(buf, sizeof(buf), "%02x", tag[i]);
    s += buf;
  }
  return s;
}

int64_t load_time_epoch(uint64_t boot_ns) {
  struct timespec real {}, boot {};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  const int64_t real_ns = real.tv_sec * 1000000000LL + real.tv_nsec;
  const int64_t boot_now_ns = boot.tv_sec * 1000000000LL + boot.tv_nsec;
  return (real_ns - (boot_now_ns - static_cast<int64_t>(boot_ns))) / 1000000000LL;
}

std::string format_time(int64_t epoch) {
  time_t t = static_cast<time_t>(epoch);
  struct tm tm {};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

}  // namespace bpfxx::tool
