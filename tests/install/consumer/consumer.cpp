#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/unique_fd.hpp>

#include <cstdio>
#include <cstring>

int main() {
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = 0);
  bpfxx::UniqueFd none;
  std::printf("%s %zu %d\n", libbpf_version_string(), opts.sz, none.get());
  return std::strcmp(libbpf_version_string(), "v1.8") != 0 || opts.sz != sizeof(opts);
}
