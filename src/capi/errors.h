// libbpf 1.0 error convention for the C API: return -errno (or NULL) and
// also set errno.
#pragma once

#include <cerrno>
#include <new>

namespace bpfxx::capi {

// Sets errno from a negative result and returns the result unchanged.
inline int err(int ret) noexcept {
  if (ret < 0) errno = -ret;
  return ret;
}

// Sets errno to -err (err < 0) and returns NULL.
template <class T = void>
T* err_ptr(int e) noexcept {
  errno = e < 0 ? -e : e;
  return nullptr;
}

// Runs body (returning an int result or -errno) so that no C++ exception
// crosses the C ABI: running out of memory becomes -ENOMEM with errno set.
template <class Body>
int guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return err(-ENOMEM);
  } catch (...) {
    return err(-EFAULT);
  }
}

// The same for entry points returning a pointer: NULL with errno ENOMEM
// when memory runs out (EFAULT for any other exception).
template <class T, class Body>
T* guard_ptr(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return err_ptr<T>(-ENOMEM);
  } catch (...) {
    return err_ptr<T>(-EFAULT);
  }
}

// The same for any other result type: on an exception, errno is set and
// on_error returned.
template <class R, class Body>
R guard_value(R on_error, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    errno = ENOMEM;
    return on_error;
  } catch (...) {
    errno = EFAULT;
    return on_error;
  }
}

}  // namespace bpfxx::capi
