#include "sys/files.h"

#include "sys/kernel.h"

#include <fcntl.h>

#include <cstring>

namespace bpfxx::sys {

Result<std::string> read_file(const char* path, size_t max_bytes) {
  int fd = kernel().open(path, O_RDONLY);
  if (fd < 0) return fail(-fd, std::string("cannot open ") + path + ": " + std::strerror(-fd));
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = kernel().read(fd, buf, sizeof(buf));
    if (n < 0) {
      kernel().close(fd);
      return fail(static_cast<int>(-n), std::string("cannot read ") + path + ": " + std::strerror(static_cast<int>(-n)));
    }
    if (n == 0) break;
    if (static_cast<size_t>(n) > max_bytes - out.size()) {
      kernel().close(fd);
      return fail(EFBIG, std::string(path) + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  kernel().close(fd);
  return out;
}

}  // namespace bpfxx::sys
