#include "sys/cpus.h"

#include "sys/files.h"

#include <algorithm>
#include <atomic>

namespace bpfxx::sys {
namespace {

// Reads a decimal number at text[pos]; advances pos. -1 if none or too big.
int parse_number(std::string_view text, size_t& pos) {
  size_t start = pos;
  long value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    if (value >= kMaxCpus) return -1;
    pos++;
  }
  return pos == start ? -1 : static_cast<int>(value);
}

Result<std::vector<bool>> read_cpu_file(const char* path) {
  auto text = read_file(path, 64 * 1024);
  if (!text) return text.failure();
  auto mask = parse_cpu_list(*text);
  if (!mask) return fail(mask.error(), std::string(path) + ": " + mask.message());
  return mask;
}

}  // namespace

Result<std::vector<bool>> parse_cpu_list(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return fail(EINVAL, "empty cpu list");
  std::vector<bool> mask;
  size_t pos = 0;
  for (;;) {
    int first = parse_number(text, pos);
    if (first < 0) return fail(EINVAL, "bad cpu number at offset " + std::to_string(pos));
    int last = first;
    if (pos < text.size() && text[pos] == '-') {
      pos++;
      last = parse_number(text, pos);
      if (last < 0) return fail(EINVAL, "bad cpu range end at offset " + std::to_string(pos));
      if (last < first) return fail(EINVAL, "descending cpu range " + std::to_string(first) + "-" + std::to_string(last));
    }
    if (mask.size() <= static_cast<size_t>(last)) mask.resize(static_cast<size_t>(last) + 1, false);
    std::fill(mask.begin() + first, mask.begin() + last + 1, true);
    if (pos == text.size()) break;
    if (text[pos] != ',') return fail(EINVAL, "unexpected character at offset " + std::to_string(pos));
    pos++;
  }
  return mask;
}

Result<int> num_possible_cpus() {
  // Possible CPUs never change while the system runs: read once. A failed
  // read is not cached, so a later call may still succeed; two first calls
  // racing both read the file and store the same number.
  static std::atomic<int> cached{0};
  int n = cached.load(std::memory_order_acquire);
  if (n > 0) return n;
  auto mask = read_cpu_file("/sys/devices/system/cpu/possible");
  if (!mask) return mask.failure();
  n = static_cast<int>(std::count(mask->begin(), mask->end(), true));
  if (n == 0) return fail(EINVAL, "no possible cpus listed");
  cached.store(n, std::memory_order_release);
  return n;
}

Result<std::vector<bool>> online_cpus() { return read_cpu_file("/sys/devices/system/cpu/online"); }

}  // namespace bpfxx::sys
