#include "capi/opts.h"

#include "base/log.h"

namespace bpfxx::capi {
namespace {

// Index of the first non-zero byte of opts in [from, to), or `to`.
size_t first_nonzero(const void* opts, size_t from, size_t to) noexcept {
  const auto* bytes = static_cast<const unsigned char*>(opts);
  for (size_t i = from; i < to; i++) {
    if (bytes[i] != 0) return i;
  }
  return to;
}

}  // namespace

bool opts_valid(const void* opts, size_t known_size, const char* type_name) noexcept {
  if (opts == nullptr) return true;
  size_t user_size = *static_cast<const size_t*>(opts);
  if (user_size < sizeof(size_t)) {
    BPFXX_WARN("%s size (%zu) is too small\n", type_name, user_size);
    return false;
  }
  size_t bad = first_nonzero(opts, known_size, user_size);
  if (bad != user_size) {
    BPFXX_WARN("%s has non-zero extra bytes (byte %zu of %zu; this library knows %zu)\n",
               type_name, bad, user_size, known_size);
    return false;
  }
  return true;
}

bool opts_zeroed_from(const void* opts, size_t from) noexcept {
  if (opts == nullptr) return true;
  size_t user_size = *static_cast<const size_t*>(opts);
  return first_nonzero(opts, from, user_size) == user_size;
}

}  // namespace bpfxx::capi
