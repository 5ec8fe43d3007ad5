// BTF from files, ELF objects and the kernel.
#include "btf/load.h"

#include "base/log.h"
#include "elf/elf_reader.h"
#include "sys/bpf_syscall.h"
#include "sys/kernel.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace bpfxx::btf {
namespace {

// Closes an fd on scope exit.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) sys::kernel().close(fd);
  }
};

constexpr char kSysfsBtfDir[] = "/sys/kernel/btf/";

std::shared_ptr<const void> make_mapping(void* addr, size_t len) {
  return std::shared_ptr<const void>(addr, [len](const void* p) {
    sys::kernel().munmap(const_cast<void*>(p), len);
  });
}

}  // namespace

Result<FileBytes> read_whole_file(const char* path) {
  int fd = sys::kernel().open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(-fd, std::string("cannot open ") + path);
  FdGuard guard{fd};
  struct stat st {};
  // fstat is not part of the syscall seam; it only sizes the mapping.
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  // Only the kernel's own BTF files are mapped: they never change. A
  // regular file could be truncated under a mapping kept for the object's
  // lifetime (SIGBUS on access), so it is read into memory.
  if (sized && std::strncmp(path, kSysfsBtfDir, sizeof kSysfsBtfDir - 1) == 0) {
    int err = 0;
    void* p = sys::kernel().mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE,
                                 fd, 0, &err);
    if (p != MAP_FAILED) {
      FileBytes fb;
      try {
        // On failure shared_ptr runs the deleter itself: nothing leaks.
        fb.keepalive = make_mapping(p, static_cast<size_t>(st.st_size));
      } catch (const std::bad_alloc&) {
        return fail(ENOMEM, "out of memory");
      }
      fb.bytes = {static_cast<const uint8_t*>(p), static_cast<size_t>(st.st_size)};
      return fb;
    }
  }
  // One read of the announced size (sysfs files report theirs), then more
  // only if the file turns out longer.
  auto buf = std::make_shared<std::vector<uint32_t>>();
  size_t cap = sized ? static_cast<size_t>(st.st_size) + 1 : 64 * 1024;
  size_t len = 0;
  try {
    buf->resize((cap + 3) / 4);
    for (;;) {
      if (len == cap) {
        cap *= 2;
        buf->resize((cap + 3) / 4);
      }
      ssize_t n = sys::kernel().read(fd, reinterpret_cast<uint8_t*>(buf->data()) + len, cap - len);
      if (n < 0) {
        if (n == -EINTR) continue;
        return fail(static_cast<int>(-n), std::string("cannot read ") + path);
      }
      if (n == 0) break;
      len += static_cast<size_t>(n);
    }
  } catch (const std::bad_alloc&) {
    return fail(ENOMEM, "out of memory");
  }
  FileBytes fb;
  fb.bytes = {reinterpret_cast<const uint8_t*>(buf->data()), len};
  fb.keepalive = std::shared_ptr<const void>(buf, buf->data());
  return fb;
}

::btf::Result parse_raw_file(const char* path, const ::btf* base) {
  auto fb = read_whole_file(path);
  if (!fb) {
    BPFXX_DEBUG("BTF: %s: %s\n", path, std::strerror(fb.error()));
    return fb.failure();
  }
  ParseOptions opts;
  opts.base = base;
  opts.keepalive = fb->keepalive;
  opts.name = path;
  return ::btf::parse(fb->bytes, opts);
}

bool is_elf_file(const char* path) {
  int fd = sys::kernel().open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  FdGuard guard{fd};
  uint8_t magic[4] = {};
  return sys::kernel().read(fd, magic, 4) == 4 && elf::Reader::is_elf(magic);
}

Result<ElfBtf> parse_elf_bytes(std::span<const uint8_t> bytes, std::shared_ptr<const void> keepalive,
                               const char* name, const ::btf* base, bool want_ext) {
  auto reader = elf::Reader::open(bytes, name);
  if (!reader) return reader.failure();
  const elf::Section* sec = reader->find_section(BTF_ELF_SEC);
  if (sec == nullptr) {
    BPFXX_WARN("BTF: %s has no %s section\n", name, BTF_ELF_SEC);
    return fail(ENODATA, std::string(name) + ": no .BTF section");
  }
  auto data = reader->data(*sec);
  if (!data) return data.failure();
  ParseOptions opts;
  opts.base = base;
  opts.keepalive = keepalive;
  opts.name = name;
  auto b = ::btf::parse(*data, opts);
  if (!b) return b.failure();
  // The reader accepts only 64-bit ELF: its pointers are 8 bytes.
  (*b)->set_pointer_size(8);
  ElfBtf out;
  out.btf = std::move(*b);
  if (want_ext) {
    if (const elf::Section* es = reader->find_section(BTF_EXT_ELF_SEC)) {
      auto ed = reader->data(*es);
      if (!ed) return ed.failure();
      auto ext = ::btf_ext::parse(*ed);
      if (!ext) return ext.failure();
      out.ext = std::move(*ext);
    }
  }
  return out;
}

Result<ElfBtf> parse_elf_file(const char* path, const ::btf* base, bool want_ext) {
  auto fb = read_whole_file(path);
  if (!fb) return fb.failure();
  return parse_elf_bytes(fb->bytes, fb->keepalive, path, base, want_ext);
}

::btf::Result load_vmlinux() {
  const char* sysfs = "/sys/kernel/btf/vmlinux";
  {
    auto r = parse_raw_file(sysfs, nullptr);
    if (r) return r;
    if (r.error() != ENOENT && r.error() != EACCES && r.error() != EPERM) {
      BPFXX_WARN("BTF: failed to parse %s: %s\n", sysfs, std::strerror(r.error()));
      return r;
    }
  }
  // Images with BTF in the usual places.
  struct utsname un {};
  sys::kernel().uname(&un);
  static const char* const patterns[] = {
      "/boot/vmlinux-%s",
      "/lib/modules/%s/vmlinux-%s",
      "/lib/modules/%s/build/vmlinux",
      "/usr/lib/modules/%s/kernel/vmlinux",
      "/usr/lib/debug/boot/vmlinux-%s",
      "/usr/lib/debug/boot/vmlinux-%s.debug",
      "/usr/lib/debug/lib/modules/%s/vmlinux",
  };
  for (const char* pat : patterns) {
    char path[PATH_MAX];
    // Patterns use the release once or twice.
    std::snprintf(path, sizeof path, pat, un.release, un.release);
    if (::access(path, R_OK) != 0) continue;
    auto r = is_elf_file(path) ? [&]() -> ::btf::Result {
      auto e = parse_elf_file(path, nullptr, false);
      if (!e) return e.failure();
      return std::move(e->btf);
    }()
                               : parse_raw_file(path, nullptr);
    if (r) return r;
    BPFXX_WARN("BTF: failed to parse kernel BTF from %s: %s\n", path, std::strerror(r.error()));
  }
  BPFXX_WARN("BTF: cannot find the kernel's BTF (no %s and no vmlinux image)\n", sysfs);
  return fail(ESRCH, "kernel BTF not found");
}

Result<std::shared_ptr<const ::btf>> vmlinux() {
  static std::once_flag once;
  static std::shared_ptr<const ::btf> cached;
  static int cached_err = 0;
  std::call_once(once, [] {
    auto r = load_vmlinux();
    if (r) cached = std::shared_ptr<const ::btf>(std::move(*r));
    else cached_err = r.error();
  });
  if (!cached) return fail(cached_err, "kernel BTF unavailable");
  return cached;
}

::btf::Result load_module(const char* module_name, const ::btf* vmlinux_btf) {
  if (module_name == nullptr || *module_name == 0 || std::strchr(module_name, '/') != nullptr)
    return fail(EINVAL, "bad module name");
  std::string path = std::string("/sys/kernel/btf/") + module_name;
  return parse_raw_file(path.c_str(), vmlinux_btf);
}

::btf::Result load_from_kernel_by_id(uint32_t id, const ::btf* base) {
  union bpf_attr attr {};
  attr.btf_id = id;
  int fd = sys::bpf_fd(BPF_BTF_GET_FD_BY_ID, &attr, BPFXX_ATTR_SIZE(open_flags));
  if (fd < 0) {
    BPFXX_WARN("BTF: cannot get an fd for BTF id %u: %s\n", id, std::strerror(-fd));
    return fail(-fd, "BPF_BTF_GET_FD_BY_ID failed");
  }
  FdGuard guard{fd};
  bpf_btf_info info{};
  std::vector<uint32_t> buf;
  // First ask for the size, then for the data; retry if it grew between.
  for (int attempt = 0; attempt < 3; attempt++) {
    std::memset(&info, 0, sizeof info);
    if (!buf.empty()) {
      info.btf = reinterpret_cast<uintptr_t>(buf.data());
      info.btf_size = static_cast<uint32_t>(buf.size() * 4);
    }
    union bpf_attr ia {};
    ia.info.bpf_fd = static_cast<uint32_t>(fd);
    ia.info.info_len = sizeof info;
    ia.info.info = reinterpret_cast<uintptr_t>(&info);
    long rc = sys::bpf(BPF_OBJ_GET_INFO_BY_FD, &ia, BPFXX_ATTR_SIZE(info));
    if (rc < 0) {
      BPFXX_WARN("BTF: cannot get info of BTF id %u: %s\n", id, std::strerror(static_cast<int>(-rc)));
      return fail(static_cast<int>(-rc), "BPF_OBJ_GET_INFO_BY_FD failed");
    }
    if (!buf.empty() && info.btf_size <= buf.size() * 4) {
      auto owner = std::make_shared<std::vector<uint32_t>>(std::move(buf));
      ParseOptions opts;
      opts.base = base;
      opts.keepalive = std::shared_ptr<const void>(owner, owner->data());
      opts.name = "kernel BTF id " + std::to_string(id);
      return ::btf::parse({reinterpret_cast<const uint8_t*>(owner->data()), info.btf_size}, opts);
    }
    try {
      buf.assign((info.btf_size + 3) / 4 + 1, 0);
    } catch (const std::bad_alloc&) {
      return fail(ENOMEM, "out of memory");
    }
  }
  return fail(EAGAIN, "kernel BTF size kept changing");
}

}  // namespace bpfxx::btf
