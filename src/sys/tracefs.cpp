#include "sys/tracefs.h"

#include "base/log.h"
#include "sys/files.h"
#include "sys/kernel.h"

#include <fcntl.h>
#include <sys/vfs.h>

#include <charconv>
#include <cstring>
#include <mutex>

namespace bpfxx::sys {
namespace {

constexpr long kTracefsMagic = 0x74726163;
constexpr long kDebugfsMagic = 0x64626720;

bool is_tracefs(const char* path) {
  struct statfs st;
  std::memset(&st, 0, sizeof st);
  return kernel().statfs(path, &st) == 0 && static_cast<long>(st.f_type) == kTracefsMagic;
}

Result<std::string> find_or_mount_tracefs() {
  if (is_tracefs("/sys/kernel/tracing")) return std::string("/sys/kernel/tracing");
  // Older systems only have it under debugfs (where it is automounted).
  struct statfs st;
  std::memset(&st, 0, sizeof st);
  if (kernel().statfs("/sys/kernel/debug", &st) == 0 && static_cast<long>(st.f_type) == kDebugfsMagic &&
      is_tracefs("/sys/kernel/debug/tracing")) {
    return std::string("/sys/kernel/debug/tracing");
  }
  const int rc = kernel().mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr);
  if (rc < 0) {
    return fail(-rc, std::string("tracefs is not mounted and mounting it at /sys/kernel/tracing failed: ") +
                         std::strerror(-rc));
  }
  BPFXX_DEBUG("mounted tracefs at /sys/kernel/tracing\n");
  return std::string("/sys/kernel/tracing");
}

Result<int> parse_int(const std::string& text, const std::string& what) {
  size_t begin = 0;
  while (begin < text.size() && (text[begin] == ' ' || text[begin] == '\t')) begin++;
  size_t end = begin;
  while (end < text.size() && text[end] != '\n') end++;
  int value = 0;
  auto [p, ec] = std::from_chars(text.data() + begin, text.data() + end, value);
  if (ec != std::errc() || p != text.data() + end || begin == end) {
    return fail(EINVAL, what + ": not a number: '" + text.substr(begin, end - begin) + "'");
  }
  return value;
}

}  // namespace

Result<std::string> tracefs_root() {
  // A failed search is retried next time (someone may mount it meanwhile).
  static std::mutex mu;
  static std::string found;
  std::lock_guard<std::mutex> lock(mu);
  if (!found.empty()) return found;
  auto r = find_or_mount_tracefs();
  if (r) found = *r;
  return r;
}

Result<int> tracepoint_id(std::string_view category, std::string_view name) {
  auto root = tracefs_root();
  if (!root) return root.failure();
  const std::string path = *root + "/events/" + std::string(category) + "/" + std::string(name) + "/id";
  auto text = read_file(path.c_str(), 64);
  if (!text) return text.failure();
  return parse_int(*text, path);
}

Result<int> pmu_type(std::string_view pmu) {
  const std::string path = "/sys/bus/event_source/devices/" + std::string(pmu) + "/type";
  auto text = read_file(path.c_str(), 64);
  if (!text) return text.failure();
  return parse_int(*text, path);
}

Result<int> pmu_retprobe_bit(std::string_view pmu) {
  const std::string path = "/sys/bus/event_source/devices/" + std::string(pmu) + "/format/retprobe";
  auto text = read_file(path.c_str(), 64);
  if (!text) return text.failure();
  constexpr std::string_view kPrefix = "config:";
  if (text->compare(0, kPrefix.size(), kPrefix) != 0) {
    return fail(EINVAL, path + ": unexpected format '" + *text + "'");
  }
  auto bit = parse_int(text->substr(kPrefix.size()), path);
  if (bit && (*bit < 0 || *bit > 63)) return fail(EINVAL, path + ": bit out of range");
  return bit;
}

Result<void> tracefs_append(std::string_view file, std::string_view line) {
  auto root = tracefs_root();
  if (!root) return root.failure();
  const std::string path = *root + "/" + std::string(file);
  const int fd = kernel().open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return fail(-fd, "cannot open " + path + ": " + std::strerror(-fd));
  const std::string text = std::string(line) + "\n";
  const ssize_t n = kernel().write(fd, text.data(), text.size());
  kernel().close(fd);
  if (n < 0) {
    return fail(static_cast<int>(-n), "writing '" + std::string(line) + "' to " + path + ": " +
                                          std::strerror(static_cast<int>(-n)));
  }
  // tracefs parses a line per write: a short one was not taken whole.
  if (static_cast<size_t>(n) != text.size())
    return fail(EIO, "writing '" + std::string(line) + "' to " + path + ": short write");
  return {};
}

bool tracefs_has(std::string_view file) {
  auto root = tracefs_root();
  if (!root) return false;
  const std::string path = *root + "/" + std::string(file);
  const int fd = kernel().open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  kernel().close(fd);
  return true;
}

}  // namespace bpfxx::sys
