// Collects what the library prints through libbpf_set_print() for the
// lifetime of the object, then restores the previous callback. One at a
// time: the callback is process-wide.
#pragma once

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <string>

namespace bpfxx::test {

class LogCapture {
 public:
  LogCapture() {
    current() = this;
    previous_ = libbpf_set_print(collect);
  }
  ~LogCapture() {
    libbpf_set_print(previous_);
    current() = nullptr;
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text;  // every message, in order

 private:
  static LogCapture*& current() {
    static LogCapture* active = nullptr;
    return active;
  }
  static int collect(enum libbpf_print_level, const char* fmt, va_list args) {
    char buf[2048];
    std::vsnprintf(buf, sizeof(buf), fmt, args);
    if (current() != nullptr) current()->text += buf;
    return 0;
  }
  libbpf_print_fn_t previous_ = nullptr;
};

}  // namespace bpfxx::test
