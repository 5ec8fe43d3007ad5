// Side-by-side timing of bpfxx and Debian's libbpf in one process.
//
// Debian's libbpf.so.1 is opened with dlopen(RTLD_LOCAL): its symbols stay
// out of the global namespace, so bpfxx's functions (linked statically,
// hidden) and libbpf's (looked up with dlsym) never interpose.
#pragma once

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace bench {

class Libbpf {
 public:
  Libbpf() {
    handle_ = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      std::fprintf(stderr, "cannot open Debian's libbpf.so.1: %s\n", dlerror());
      std::exit(1);
    }
  }
  ~Libbpf() { dlclose(handle_); }

  // The libbpf function `name`, typed like bpfxx's declaration of it.
  template <class Fn>
  Fn* get(const char* name, Fn* /*same signature as*/) const {
    void* sym = dlsym(handle_, name);
    if (sym == nullptr) {
      std::fprintf(stderr, "libbpf.so.1 has no %s\n", name);
      std::exit(1);
    }
    return reinterpret_cast<Fn*>(sym);
  }

 private:
  void* handle_;
};

// Nanoseconds per operation: the best of `rounds` runs of `ops` calls, so
// that a scheduling hiccup does not decide the ratio.
inline double ns_per_op(const std::function<void()>& op, int ops, int rounds = 7) {
  double best = 1e300;
  for (int r = 0; r < rounds; r++) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < ops; i++) op();
    auto end = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(end - start).count() / ops);
  }
  return best;
}

// One line per benchmark: both timings and libbpf/bpfxx (above 1: bpfxx faster).
inline void report(const std::string& name, double bpfxx_ns, double libbpf_ns) {
  std::printf("%-36s bpfxx %10.1f ns/op   libbpf %10.1f ns/op   libbpf/bpfxx %5.2fx\n", name.c_str(),
              bpfxx_ns, libbpf_ns, libbpf_ns / bpfxx_ns);
}

}  // namespace bench
