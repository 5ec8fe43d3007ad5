#include "prog_stream.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <climits>
#include <vector>

namespace bpfxx::tool {

long drain_prog_stream(int prog_fd, uint32_t stream_id, size_t chunk_size, const StreamSink& sink) {
  if (chunk_size == 0 || chunk_size > INT_MAX) return -EINVAL;
  std::vector<char> buf(chunk_size);
  long total = 0;
  for (;;) {
    int n = bpf_prog_stream_read(prog_fd, stream_id, buf.data(), static_cast<uint32_t>(chunk_size), nullptr);
    if (n < 0) return n;
    if (n == 0) return total;
    // A kernel that claimed more than we asked for is not to be trusted.
    if (static_cast<size_t>(n) > chunk_size) return -EOVERFLOW;
    total += n;
    if (sink && !sink(std::string_view(buf.data(), static_cast<size_t>(n)))) return -ECANCELED;
  }
}

}  // namespace bpfxx::tool
