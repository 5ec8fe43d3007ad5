// The C API of struct bpf_object: open, close, getters and iteration.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "object/load.h"
#include "object/object.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;

namespace {

constexpr size_t kObjNameLen = 16;  // BPF_OBJ_NAME_LEN: names are cut to 15 chars

// Reads a whole regular file with plain libc: the object file is the
// user's, not a kernel interface, so it does not go through the sys seam.
int read_whole_file(const char* path, std::vector<uint8_t>& out) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  int ret = 0;
  if (::fstat(fd, &st) != 0) {
    ret = -errno;
  } else if (!S_ISREG(st.st_mode)) {
    ret = -EINVAL;
  } else {
    out.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ret = -errno;
        break;
      }
      if (n == 0) {
        out.resize(done);  // the file shrank meanwhile
        break;
      }
      done += static_cast<size_t>(n);
    }
  }
  ::close(fd);
  return ret;
}

// Copies what the load phase needs out of the caller's options.
bool take_opts(const bpf_object_open_opts* opts, bpfxx::object::OpenOptions& o) {
  if (!BPFXX_OPTS_VALID(opts, bpf_object_open_opts)) return false;
  if (const char* n = BPFXX_OPTS_GET(opts, object_name, nullptr)) o.object_name = n;
  o.relaxed_maps = BPFXX_OPTS_GET(opts, relaxed_maps, false);
  if (const char* p = BPFXX_OPTS_GET(opts, pin_root_path, nullptr)) o.pin_root_path = p;
  while (o.pin_root_path.size() > 1 && o.pin_root_path.back() == '/') o.pin_root_path.pop_back();
  if (const char* k = BPFXX_OPTS_GET(opts, kconfig, nullptr)) {
    o.has_kconfig = true;
    o.kconfig = k;
  }
  if (const char* b = BPFXX_OPTS_GET(opts, btf_custom_path, nullptr)) o.btf_custom_path = b;
  o.kernel_log_buf = BPFXX_OPTS_GET(opts, kernel_log_buf, nullptr);
  o.kernel_log_size = BPFXX_OPTS_GET(opts, kernel_log_size, 0);
  o.kernel_log_level = BPFXX_OPTS_GET(opts, kernel_log_level, 0);
  if ((o.kernel_log_buf == nullptr) != (o.kernel_log_size == 0)) {
    BPFXX_WARN("bpf_object_open_opts: kernel_log_buf and kernel_log_size must be set together\n");
    return false;
  }
  // The token path: the options', else the environment's (read at open,
  // as libbpf does); an empty one turns tokens off.
  const char* t = BPFXX_OPTS_GET(opts, bpf_token_path, nullptr);
  if (t == nullptr) t = std::getenv("LIBBPF_BPF_TOKEN_PATH");
  if (t != nullptr) {
    o.has_token_path = true;
    o.bpf_token_path = t;
  }
  return true;
}

bpf_object* open_common(std::span<const uint8_t> bytes, std::string default_name,
                        std::string path, const bpf_object_open_opts* opts) {
  bpfxx::object::OpenOptions o;
  if (!take_opts(opts, o)) return err_ptr<bpf_object>(-EINVAL);
  std::string name = o.object_name.empty() ? std::move(default_name) : o.object_name;
  if (name.size() > kObjNameLen - 1) name.resize(kObjNameLen - 1);
  auto r = bpfxx::object::open(bytes, std::move(name), std::move(path), std::move(o));
  if (!r) return err_ptr<bpf_object>(-r.error());
  return std::move(r).value().release();
}

}  // namespace

extern "C" {

struct bpf_object* bpf_object__open_file(const char* path, const struct bpf_object_open_opts* opts) {
  if (path == nullptr) return err_ptr<bpf_object>(-EINVAL);
  bpf_object* obj = nullptr;
  const int rc = guard([&]() -> int {
    std::vector<uint8_t> bytes;
    if (int e = read_whole_file(path, bytes); e < 0) {
      BPFXX_WARN("elf: failed to open %s: %s\n", path, std::strerror(-e));
      return err(e);
    }
    // The default name is the file's base name up to its first dot.
    const char* base = std::strrchr(path, '/');
    std::string name = base != nullptr ? base + 1 : path;
    if (name.size() > kObjNameLen - 1) name.resize(kObjNameLen - 1);
    if (size_t dot = name.find('.'); dot != std::string::npos) name.resize(dot);
    obj = open_common(bytes, std::move(name), path, opts);
    return obj != nullptr ? 0 : -errno;
  });
  if (rc < 0) return err_ptr<bpf_object>(rc);
  return obj;
}

struct bpf_object* bpf_object__open(const char* path) { return bpf_object__open_file(path, nullptr); }

struct bpf_object* bpf_object__open_mem(const void* obj_buf, size_t obj_buf_sz,
                                        const struct bpf_object_open_opts* opts) {
  if (obj_buf == nullptr || obj_buf_sz == 0) return err_ptr<bpf_object>(-EINVAL);
  bpf_object* obj = nullptr;
  const int rc = guard([&]() -> int {
    char name[64];
    std::snprintf(name, sizeof name, "%lx-%lx", reinterpret_cast<unsigned long>(obj_buf),
                  static_cast<unsigned long>(obj_buf_sz));
    obj = open_common({static_cast<const uint8_t*>(obj_buf), obj_buf_sz}, name, "", opts);
    return obj != nullptr ? 0 : -errno;
  });
  if (rc < 0) return err_ptr<bpf_object>(rc);
  return obj;
}

void bpf_object__close(struct bpf_object* obj) {
  if (obj == nullptr) return;
  const int saved = errno;
  delete obj;
  errno = saved;
}

int bpf_object__prepare(struct bpf_object* obj) {
  if (obj == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    bpfxx::Result<void> r = bpfxx::object::prepare(*obj);
    return r ? 0 : err(-r.error());
  });
}

int bpf_object__load(struct bpf_object* obj) {
  if (obj == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    bpfxx::Result<void> r = bpfxx::object::load(*obj);
    return r ? 0 : err(-r.error());
  });
}

const char* bpf_object__name(const struct bpf_object* obj) {
  return obj != nullptr ? obj->name.c_str() : err_ptr<const char>(-EINVAL);
}

unsigned int bpf_object__kversion(const struct bpf_object* obj) {
  return obj != nullptr ? obj->kversion : 0;
}

int bpf_object__set_kversion(struct bpf_object* obj, __u32 kern_version) {
  if (obj == nullptr) return err(-EINVAL);
  if (obj->loaded()) return err(-EBUSY);
  obj->kversion = kern_version;
  return 0;
}

struct btf* bpf_object__btf(const struct bpf_object* obj) {
  return obj != nullptr ? obj->btf_data.get() : nullptr;
}

int bpf_object__btf_fd(const struct bpf_object* obj) {
  return obj != nullptr && obj->btf_data ? btf__fd(obj->btf_data.get()) : -1;
}

int bpf_object__token_fd(const struct bpf_object* obj) {
  return obj != nullptr && obj->token_fd > 0 ? obj->token_fd : -1;
}

// Iteration skips subprograms: they are not programs of their own.
struct bpf_program* bpf_object__next_program(const struct bpf_object* obj, struct bpf_program* prog) {
  if (obj == nullptr) return nullptr;
  const auto& ps = obj->programs;
  size_t i = 0;
  if (prog != nullptr) {
    while (i < ps.size() && ps[i].get() != prog) i++;
    if (i == ps.size()) return nullptr;  // not one of obj's
    i++;
  }
  for (; i < ps.size(); i++)
    if (!ps[i]->is_subprog) return ps[i].get();
  return nullptr;
}

struct bpf_program* bpf_object__prev_program(const struct bpf_object* obj, struct bpf_program* prog) {
  if (obj == nullptr) return nullptr;
  const auto& ps = obj->programs;
  size_t i = ps.size();
  if (prog != nullptr) {
    i = 0;
    while (i < ps.size() && ps[i].get() != prog) i++;
    if (i == ps.size()) return nullptr;
  }
  while (i-- > 0)
    if (!ps[i]->is_subprog) return ps[i].get();
  return nullptr;
}

struct bpf_map* bpf_object__next_map(const struct bpf_object* obj, const struct bpf_map* map) {
  if (obj == nullptr) return nullptr;
  const auto& ms = obj->maps;
  if (map == nullptr) return ms.empty() ? nullptr : ms.front().get();
  for (size_t i = 0; i < ms.size(); i++)
    if (ms[i].get() == map) return i + 1 < ms.size() ? ms[i + 1].get() : nullptr;
  return nullptr;
}

struct bpf_map* bpf_object__prev_map(const struct bpf_object* obj, const struct bpf_map* map) {
  if (obj == nullptr) return nullptr;
  const auto& ms = obj->maps;
  if (map == nullptr) return ms.empty() ? nullptr : ms.back().get();
  for (size_t i = 0; i < ms.size(); i++)
    if (ms[i].get() == map) return i > 0 ? ms[i - 1].get() : nullptr;
  return nullptr;
}

struct bpf_program* bpf_object__find_program_by_name(const struct bpf_object* obj, const char* name) {
  if (obj == nullptr || name == nullptr) return err_ptr<bpf_program>(-EINVAL);
  bpf_program* p = obj->find_program(name);
  return p != nullptr ? p : err_ptr<bpf_program>(-ENOENT);
}

struct bpf_map* bpf_object__find_map_by_name(const struct bpf_object* obj, const char* name) {
  if (obj == nullptr || name == nullptr) return err_ptr<bpf_map>(-EINVAL);
  bpf_map* m = obj->find_map(name);
  return m != nullptr ? m : err_ptr<bpf_map>(-ENOENT);
}

int bpf_object__find_map_fd_by_name(const struct bpf_object* obj, const char* name) {
  if (obj == nullptr || name == nullptr) return err(-EINVAL);
  // libbpf's composition: bpf_map__fd(find_map_by_name()): -EINVAL when
  // there is no such map, -1 while it is not created.
  bpf_map* m = obj->find_map(name);
  if (m == nullptr) return err(-EINVAL);
  return m->created() ? m->fd : -1;
}

}  // extern "C"
