// Pins of maps and programs (pin.h).
#include "object/pin.h"

#include "base/log.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace bpfxx::object {
namespace {

constexpr unsigned long kBpffsMagic = 0xcafe4a11UL;

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// The parent directory must exist on a bpffs; a missing last directory is
// created first (libbpf does the same, one level only).
Result<void> check_pin_dir(const std::string& path, const std::string& what) {
  const std::string dir = parent_of(path);
  if (const int rc = sys::kernel().mkdir(dir.c_str(), 0700); rc < 0 && rc != -EEXIST) {
    const int e = -rc;
    BPFXX_WARN("%s: cannot create the pin directory '%s': %s\n", what.c_str(), dir.c_str(), std::strerror(e));
    return fail(e, what + ": pin directory " + dir);
  }
  struct statfs st{};
  if (const int rc = sys::kernel().statfs(dir.c_str(), &st); rc < 0) {
    BPFXX_WARN("%s: cannot inspect the pin directory '%s': %s\n", what.c_str(), dir.c_str(), std::strerror(-rc));
    return fail(-rc, what + ": pin directory " + dir);
  }
  if (static_cast<unsigned long>(st.f_type) != kBpffsMagic) {
    BPFXX_WARN("%s: pin path '%s' is not on a BPF file system\n", what.c_str(), path.c_str());
    return fail(EINVAL, what + ": " + path + " is not on a BPF file system");
  }
  return {};
}

}  // namespace

Result<std::string> pin_path_in(std::string_view dir, std::string_view name) {
  std::string out(dir);
  out += '/';
  const size_t name_at = out.size();
  out += name;
  for (size_t i = name_at; i < out.size(); i++)
    if (out[i] == '.') out[i] = '_';
  if (out.size() >= PATH_MAX) {
    BPFXX_WARN("pin path '%s' is longer than PATH_MAX\n", out.c_str());
    return fail(ENAMETOOLONG, "pin path too long: " + out);
  }
  return out;
}

Result<void> pin_fd(int fd, const std::string& path, const std::string& what, bool warn_exists) {
  if (auto r = check_pin_dir(path, what); !r) return r;
  if (const int rc = bpf_obj_pin(fd, path.c_str()); rc < 0) {
    if (rc == -EEXIST && !warn_exists) return fail(EEXIST, what + ": pin at " + path);
    BPFXX_WARN("%s: pinning at '%s' failed: %s\n", what.c_str(), path.c_str(), std::strerror(-rc));
    return fail(-rc, what + ": pin at " + path);
  }
  return {};
}

Result<void> unpin_path(const std::string& path) {
  if (const int rc = sys::kernel().unlink(path.c_str()); rc < 0)
    return fail(-rc, "unpin " + path + ": " + std::strerror(-rc));
  return {};
}

Result<void> pin_map(bpf_map& map, const char* path, bool warn_exists) {
  const std::string what = "map '" + map.name + "'";
  if (!map.created()) {
    BPFXX_WARN("%s: cannot pin a map that was not created\n", what.c_str());
    return fail(EINVAL, what + ": not created");
  }
  if (!map.pin_path.empty()) {
    if (path != nullptr && map.pin_path != path) {
      BPFXX_WARN("%s: has pin path '%s', not '%s'\n", what.c_str(), map.pin_path.c_str(), path);
      return fail(EINVAL, what + ": other pin path");
    }
    if (map.pinned) {
      BPFXX_DEBUG("%s: already pinned at '%s'\n", what.c_str(), map.pin_path.c_str());
      return {};
    }
  } else {
    if (path == nullptr) {
      BPFXX_WARN("%s: no path to pin the map at\n", what.c_str());
      return fail(EINVAL, what + ": no pin path");
    }
    if (map.pinned) {
      BPFXX_WARN("%s: already pinned\n", what.c_str());
      return fail(EEXIST, what + ": already pinned");
    }
    map.pin_path = path;
  }
  if (auto r = pin_fd(map.fd, map.pin_path, what, warn_exists); !r) return r;
  map.pinned = true;
  BPFXX_DEBUG("%s: pinned at '%s'\n", what.c_str(), map.pin_path.c_str());
  return {};
}

Result<void> unpin_map(bpf_map& map, const char* path) {
  const std::string what = "map '" + map.name + "'";
  std::string target;
  if (!map.pin_path.empty()) {
    if (path != nullptr && map.pin_path != path) {
      BPFXX_WARN("%s: has pin path '%s', not '%s'\n", what.c_str(), map.pin_path.c_str(), path);
      return fail(EINVAL, what + ": other pin path");
    }
    target = map.pin_path;
  } else if (path == nullptr) {
    BPFXX_WARN("%s: no path to unpin the map from\n", what.c_str());
    return fail(EINVAL, what + ": no pin path");
  } else {
    target = path;
  }
  if (auto r = unpin_path(target); !r) {
    BPFXX_WARN("%s: unpinning '%s' failed: %s\n", what.c_str(), target.c_str(), std::strerror(r.error()));
    return r;
  }
  map.pinned = false;
  map.pinned_by_load = false;
  BPFXX_DEBUG("%s: unpinned from '%s'\n", what.c_str(), target.c_str());
  return {};
}

}  // namespace bpfxx::object
