// bpfxx::Result<T>: a value, or an error code with a message.
//
// The non-throwing half of the C++ error policy (see error.hpp). Errors are
// positive errno values; the message says what failed and why, in the same
// words the library prints through libbpf_set_print().
#pragma once

#include <bpfxx/error.hpp>

#include <cerrno>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace bpfxx {

// The error half of a Result.
struct Failure {
  int errnum = EINVAL;  // positive errno value
  std::string message;
};

// Builds a failure; converts to any Result<T>.
inline Failure fail(int errnum, std::string message = {}) {
  return Failure{errnum < 0 ? -errnum : errnum, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // The value; throws bpfxx::Error when this holds a failure.
  T& value() & { check(); return std::get<0>(state_); }
  const T& value() const& { check(); return std::get<0>(state_); }
  T&& value() && { check(); return std::get<0>(std::move(state_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Positive errno value, 0 when ok().
  int error() const noexcept { return ok() ? 0 : std::get<1>(state_).errnum; }
  // What failed; empty when ok().
  const std::string& message() const noexcept {
    static const std::string none;
    return ok() ? none : std::get<1>(state_).message;
  }
  // The failure, for passing it up unchanged: `return r.failure();`.
  Failure failure() const { return ok() ? Failure{0, {}} : std::get<1>(state_); }

 private:
  void check() const {
    if (!ok()) throw Error(std::get<1>(state_).errnum, std::get<1>(state_).message);
  }
  std::variant<T, Failure> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failed_(true), failure_(std::move(failure)) {}  // NOLINT

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  // Throws bpfxx::Error when this holds a failure.
  void value() const {
    if (failed_) throw Error(failure_.errnum, failure_.message);
  }
  int error() const noexcept { return failed_ ? failure_.errnum : 0; }
  const std::string& message() const noexcept { return failure_.message; }
  Failure failure() const { return failure_; }

 private:
  bool failed_ = false;
  Failure failure_{0, {}};
};

}  // namespace bpfxx
