// LIBBPF_OPTS from C++: zero, one and several fields; sz set, rest zero.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cstdio>

static bool all_zero_after(const void* p, size_t from, size_t to) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (size_t i = from; i < to; i++)
    if (b[i]) return false;
  return true;
}

int main() {
  LIBBPF_OPTS(bpf_map_create_opts, none);
  LIBBPF_OPTS(bpf_map_create_opts, one, .map_flags = 1);
  LIBBPF_OPTS(bpf_prog_load_opts, three, .prog_flags = 4, .log_level = 2, .log_size = 64);

  if (none.sz != sizeof(none) || !all_zero_after(&none, sizeof(size_t), sizeof(none)))
    return std::puts("none: wrong"), 1;
  if (one.sz != sizeof(one) || one.map_flags != 1 || one.btf_fd || one.numa_node)
    return std::puts("one: wrong"), 1;
  if (three.sz != sizeof(three) || three.log_level != 2 || three.log_size != 64 ||
      three.prog_flags != 4 || three.log_buf || three.attempts)
    return std::puts("three: wrong"), 1;
  LIBBPF_OPTS_RESET(one, .numa_node = 3);
  if (one.sz != sizeof(one) || one.map_flags != 0 || one.numa_node != 3)
    return std::puts("reset: wrong"), 1;
  std::puts("LIBBPF_OPTS ok");
  return 0;
}
