// bpfxx::Error: the exception the C++ API throws.
//
// Error policy of the C++ API (decided once, used everywhere): every
// operation that can fail has a non-throwing form returning
// bpfxx::Result<T>; Result<T>::value() and the throwing convenience forms
// throw bpfxx::Error, a std::system_error carrying the errno value and a
// message naming what failed. Nothing throws across the C ABI.
#pragma once

#include <string>
#include <system_error>

namespace bpfxx {

class Error : public std::system_error {
 public:
  // errnum is a positive errno value (EINVAL, ENOENT, ...).
  Error(int errnum, const std::string& what)
      : std::system_error(errnum, std::generic_category(), what) {}

  // The positive errno value.
  int errnum() const noexcept { return code().value(); }
};

}  // namespace bpfxx
