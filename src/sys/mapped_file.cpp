#include "sys/mapped_file.h"

#include "sys/kernel.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bpfxx::sys {

Result<MappedFile> MappedFile::open(const char* path) {
  const int fd = kernel().open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(-fd, std::string("cannot open ") + path + ": " + std::strerror(-fd));
  struct stat st {};
  const int rc = kernel().fstat(fd, &st);
  if (rc < 0) {
    kernel().close(fd);
    return fail(-rc, std::string("cannot stat ") + path + ": " + std::strerror(-rc));
  }
  if (!S_ISREG(st.st_mode)) {
    kernel().close(fd);
    return fail(EINVAL, std::string(path) + " is not a regular file");
  }
  if (st.st_size <= 0) {
    kernel().close(fd);
    return MappedFile();
  }
  const auto len = static_cast<size_t>(st.st_size);
  int err = 0;
  // Writable copy-on-write (never written) rather than read-only: the
  // kernel installs uprobes into every read-only private mapping of a file
  // that may execute, and a USDT semaphore probed while this mapping lived
  // would be counted up once more for it and never counted down.
  void* addr = kernel().mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, fd, 0, &err);
  // The mapping keeps the file referenced; the descriptor is not needed.
  kernel().close(fd);
  if (addr == MAP_FAILED) {
    if (err == 0) err = ENOMEM;
    return fail(err, std::string("cannot map ") + path + ": " + std::strerror(err));
  }
  return MappedFile(addr, len);
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    reset();
    addr_ = other.addr_;
    len_ = other.len_;
    other.addr_ = nullptr;
    other.len_ = 0;
  }
  return *this;
}

void MappedFile::reset() noexcept {
  if (addr_ != nullptr) static_cast<void>(kernel().munmap(addr_, len_));
  addr_ = nullptr;
  len_ = 0;
}

}  // namespace bpfxx::sys
