// The library-wide utilities of <bpf/libbpf.h> and <bpf/bpf.h>: printing,
// error strings, versions, CPU count, the memlock limit.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>
#include <bpf/libbpf_version.h>

#include "base/log.h"
#include "capi/errors.h"
#include "sys/cpus.h"
#include "sys/memlock.h"

#include <atomic>
#include <cstdio>
#include <cstring>

using bpfxx::capi::err;

namespace {

// Messages for libbpf's own error codes (LIBBPF_ERRNO__*), in our words.
const char* libbpf_errno_message(int code) {
  switch (code) {
    case LIBBPF_ERRNO__LIBELF: return "Something wrong with the ELF library";
    case LIBBPF_ERRNO__FORMAT: return "Invalid or unsupported BPF object format";
    case LIBBPF_ERRNO__KVERSION: return "Kernel version section missing or invalid";
    case LIBBPF_ERRNO__ENDIAN: return "BPF object byte order does not match the host";
    case LIBBPF_ERRNO__INTERNAL: return "Internal error in libbpf";
    case LIBBPF_ERRNO__RELOC: return "Relocation failed";
    case LIBBPF_ERRNO__LOAD: return "Failed to load the program into the kernel";
    case LIBBPF_ERRNO__VERIFY: return "The kernel verifier rejected the program";
    case LIBBPF_ERRNO__PROG2BIG: return "Program too big";
    case LIBBPF_ERRNO__KVER: return "Kernel version mismatch";
    case LIBBPF_ERRNO__PROGTYPE: return "Program type not supported by the kernel";
    case LIBBPF_ERRNO__WRNGPID: return "Wrong pid in netlink message";
    case LIBBPF_ERRNO__INVSEQ: return "Invalid netlink sequence";
    case LIBBPF_ERRNO__NLPARSE: return "Failed to parse a netlink message";
    default: return nullptr;
  }
}

}  // namespace

extern "C" {

libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn) { return bpfxx::log::set_print(fn); }

int libbpf_strerror(int errnum, char* buf, size_t size) {
  if (buf == nullptr || size == 0) return err(-EINVAL);
  int code = errnum < 0 ? -errnum : errnum;
  const char* msg = nullptr;
  char tmp[128];
  if (code < __LIBBPF_ERRNO__START) {
    // GNU strerror_r: may return a static string instead of filling tmp.
    msg = strerror_r(code, tmp, sizeof(tmp));
    // An errno value libc has no text for: like the XSI strerror_r libbpf
    // uses, still write the generic text but report EINVAL.
    if (std::strncmp(msg, "Unknown error", 13) == 0) {
      std::snprintf(buf, size, "%s", msg);
      return err(-EINVAL);
    }
  } else {
    msg = libbpf_errno_message(code);
  }
  if (msg == nullptr) {
    std::snprintf(buf, size, "Unknown libbpf error %d", code);
    return err(-ENOENT);
  }
  size_t len = std::strlen(msg);
  size_t copy = len < size - 1 ? len : size - 1;
  std::memcpy(buf, msg, copy);
  buf[copy] = '\0';
  return copy < len ? err(-ERANGE) : 0;
}

long libbpf_get_error(const void* ptr) {
  // Since libbpf 1.0 failures return NULL with errno set; pointers with an
  // encoded error (the top 4095 addresses) still come from old code paths
  // and are decoded as libbpf does.
  const auto value = reinterpret_cast<uintptr_t>(ptr);
  if (value >= static_cast<uintptr_t>(-4095)) {
    errno = -static_cast<int>(static_cast<intptr_t>(value));
    return static_cast<long>(static_cast<intptr_t>(value));
  }
  return ptr != nullptr ? 0 : -errno;
}

int libbpf_set_strict_mode(enum libbpf_strict_mode mode) {
  // Strict mode is always on since libbpf 1.0; the call stays for old code.
  (void)mode;
  return 0;
}

__u32 libbpf_major_version(void) { return LIBBPF_MAJOR_VERSION; }
__u32 libbpf_minor_version(void) { return LIBBPF_MINOR_VERSION; }

const char* libbpf_version_string(void) {
#define BPFXX_STR2(x) #x
#define BPFXX_STR(x) BPFXX_STR2(x)
  return "v" BPFXX_STR(LIBBPF_MAJOR_VERSION) "." BPFXX_STR(LIBBPF_MINOR_VERSION);
#undef BPFXX_STR
#undef BPFXX_STR2
}

int libbpf_num_possible_cpus(void) {
  // Called per map operation by many applications: answer from a plain
  // cached int after the first successful read.
  static std::atomic<int> cached{0};
  int n = cached.load(std::memory_order_relaxed);
  if (n > 0) return n;
  return bpfxx::capi::guard([] {
    auto count = bpfxx::sys::num_possible_cpus();
    if (!count) {
      BPFXX_WARN("cannot count possible CPUs: %s\n", count.message().c_str());
      return err(-count.error());
    }
    cached.store(*count, std::memory_order_relaxed);
    return *count;
  });
}

int libbpf_set_memlock_rlim(size_t memlock_bytes) {
  return err(bpfxx::sys::set_memlock_limit(memlock_bytes));
}

}  // extern "C"
