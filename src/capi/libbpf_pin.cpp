// The pinning C API: maps and programs one by one, or a whole object's
// under a directory (libbpf's rules: see object/pin.h).
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "object/object.h"
#include "object/pin.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

using bpfxx::capi::err;
using bpfxx::capi::guard;
using bpfxx::object::State;

namespace {

// The programs pin_programs() covers: every entry program, in order.
std::vector<bpf_program*> entry_programs(const bpf_object& obj) {
  std::vector<bpf_program*> out;
  for (const auto& p : obj.programs)
    if (!p->is_subprog) out.push_back(p.get());
  return out;
}

int pin_program(bpf_program* prog, const std::string& path) {
  if (prog->fd < 0) {
    BPFXX_WARN("prog '%s': cannot pin a program that is not loaded\n", prog->name.c_str());
    return -EINVAL;
  }
  bpfxx::Result<void> r = bpfxx::object::pin_fd(prog->fd, path, "prog '" + prog->name + "'");
  if (!r) return -r.error();
  BPFXX_DEBUG("prog '%s': pinned at '%s'\n", prog->name.c_str(), path.c_str());
  return 0;
}

int unpin_program(bpf_program* prog, const std::string& path) {
  if (prog->fd < 0) {
    BPFXX_WARN("prog '%s': cannot unpin a program that is not loaded\n", prog->name.c_str());
    return -EINVAL;
  }
  bpfxx::Result<void> r = bpfxx::object::unpin_path(path);
  if (!r) return -r.error();
  BPFXX_DEBUG("prog '%s': unpinned from '%s'\n", prog->name.c_str(), path.c_str());
  return 0;
}

// <dir>/<name> for a program (names are C identifiers: nothing to sanitize).
bpfxx::Result<std::string> program_pin_path(const char* dir, const bpf_program& prog) {
  return bpfxx::object::pin_path_in(dir, prog.name);
}

}  // namespace

extern "C" {

int bpf_map__pin(struct bpf_map* map, const char* path) {
  if (map == nullptr) return err(-EINVAL);
  return guard([&] {
    bpfxx::Result<void> r = bpfxx::object::pin_map(*map, path);
    return r ? 0 : err(-r.error());
  });
}

int bpf_map__unpin(struct bpf_map* map, const char* path) {
  if (map == nullptr) return err(-EINVAL);
  return guard([&] {
    bpfxx::Result<void> r = bpfxx::object::unpin_map(*map, path);
    return r ? 0 : err(-r.error());
  });
}

int bpf_object__pin_maps(struct bpf_object* obj, const char* path) {
  if (obj == nullptr) return err(-ENOENT);
  if (obj->state < State::kPrepared) {
    BPFXX_WARN("object '%s': cannot pin maps before load\n", obj->name.c_str());
    return err(-ENOENT);
  }
  return guard([&]() -> int {
    // The maps this call pins, in order: a failure removes these pins only,
    // not those that were there before (pinned at load, reused, or by an
    // earlier call).
    std::vector<bpf_map*> pinned_now;
    int rc = 0;
    for (auto& mp : obj->maps) {
      bpf_map& m = *mp;
      if (!m.autocreate) continue;
      const bool was_pinned = m.pinned;
      if (path != nullptr) {
        bpfxx::Result<std::string> p = bpfxx::object::pin_path_in(path, m.name);
        if (!p) {
          rc = -p.error();
          break;
        }
        if (auto r = bpfxx::object::pin_map(m, p->c_str()); !r) {
          rc = -r.error();
          break;
        }
      } else if (!m.pin_path.empty()) {
        if (auto r = bpfxx::object::pin_map(m, nullptr); !r) {
          rc = -r.error();
          break;
        }
      } else {
        continue;
      }
      if (!was_pinned && m.pinned) pinned_now.push_back(&m);
    }
    if (rc == 0) return 0;
    while (!pinned_now.empty()) {
      bpf_map& m = *pinned_now.back();
      pinned_now.pop_back();
      if (auto r = bpfxx::object::unpin_map(m, nullptr); !r)
        BPFXX_WARN("map '%s': removing the pin '%s' after the failure failed: %s\n", m.name.c_str(),
                   m.pin_path.c_str(), r.message().c_str());
    }
    return err(rc);
  });
}

int bpf_object__unpin_maps(struct bpf_object* obj, const char* path) {
  if (obj == nullptr) return err(-ENOENT);
  return guard([&]() -> int {
    for (auto& mp : obj->maps) {
      bpf_map& m = *mp;
      if (path != nullptr) {
        bpfxx::Result<std::string> p = bpfxx::object::pin_path_in(path, m.name);
        if (!p) return err(-p.error());
        if (auto r = bpfxx::object::unpin_map(m, p->c_str()); !r) return err(-r.error());
      } else if (!m.pin_path.empty()) {
        if (auto r = bpfxx::object::unpin_map(m, nullptr); !r) return err(-r.error());
      }
    }
    return 0;
  });
}

int bpf_object__pin_programs(struct bpf_object* obj, const char* path) {
  if (obj == nullptr) return err(-ENOENT);
  if (!obj->loaded()) {
    BPFXX_WARN("object '%s': cannot pin programs before load\n", obj->name.c_str());
    return err(-ENOENT);
  }
  if (path == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    const std::vector<bpf_program*> progs = entry_programs(*obj);
    size_t done = 0;
    int rc = 0;
    for (; done < progs.size(); done++) {
      bpfxx::Result<std::string> p = program_pin_path(path, *progs[done]);
      rc = p ? pin_program(progs[done], *p) : -p.error();
      if (rc < 0) break;
    }
    if (rc == 0) return 0;
    while (done-- > 0) {
      if (bpfxx::Result<std::string> p = program_pin_path(path, *progs[done]); p)
        (void)unpin_program(progs[done], *p);
    }
    return err(rc);
  });
}

int bpf_object__unpin_programs(struct bpf_object* obj, const char* path) {
  if (obj == nullptr) return err(-ENOENT);
  if (path == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    for (bpf_program* prog : entry_programs(*obj)) {
      bpfxx::Result<std::string> p = program_pin_path(path, *prog);
      if (!p) return err(-p.error());
      if (int rc = unpin_program(prog, *p); rc < 0) return err(rc);
    }
    return 0;
  });
}

int bpf_object__pin(struct bpf_object* obj, const char* path) {
  if (int rc = bpf_object__pin_maps(obj, path); rc < 0) return rc;
  if (int rc = bpf_object__pin_programs(obj, path); rc < 0) {
    const int saved = errno;
    (void)bpf_object__unpin_maps(obj, path);
    errno = saved;
    return rc;
  }
  return 0;
}

int bpf_object__unpin(struct bpf_object* obj, const char* path) {
  if (int rc = bpf_object__unpin_programs(obj, path); rc < 0) return rc;
  return bpf_object__unpin_maps(obj, path);
}

int bpf_program__pin(struct bpf_program* prog, const char* path) {
  if (prog == nullptr || path == nullptr) return err(-EINVAL);
  return guard([&] { return err(pin_program(prog, path)); });
}

int bpf_program__unpin(struct bpf_program* prog, const char* path) {
  if (prog == nullptr || path == nullptr) return err(-EINVAL);
  return guard([&] { return err(unpin_program(prog, path)); });
}

}  // extern "C"
