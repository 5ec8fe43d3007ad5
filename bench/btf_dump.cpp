// Dumping all of vmlinux BTF as C (a vmlinux.h), bpfxx beside Debian's
// libbpf in the same process: each library parses /sys/kernel/btf/vmlinux
// once, then the timed part is btf_dump__new() + btf_dump__dump_type() of
// every type + btf_dump__free(), with the same printf callback writing
// into the same memory buffer. Target: bpfxx at most 0.7x libbpf's time.
#include "bench_support.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

const char kVmlinux[] = "/sys/kernel/btf/vmlinux";

struct Api {
  decltype(&btf__parse) parse;
  decltype(&btf__free) free_btf;
  decltype(&btf__type_cnt) type_cnt;
  decltype(&btf_dump__new) dump_new;
  decltype(&btf_dump__dump_type) dump_type;
  decltype(&btf_dump__free) dump_free;
};

Api bpfxx_api() {
  return {btf__parse, btf__free, btf__type_cnt, btf_dump__new, btf_dump__dump_type, btf_dump__free};
}

Api libbpf_api(const bench::Libbpf& lib) {
  return {lib.get("btf__parse", &btf__parse),         lib.get("btf__free", &btf__free),
          lib.get("btf__type_cnt", &btf__type_cnt),   lib.get("btf_dump__new", &btf_dump__new),
          lib.get("btf_dump__dump_type", &btf_dump__dump_type), lib.get("btf_dump__free", &btf_dump__free)};
}

// The output sink both libraries write to: formatted into one buffer.
struct Sink {
  std::vector<char> buf;
  size_t len = 0;
};

void sink_printf(void* ctx, const char* fmt, va_list args) {
  auto* s = static_cast<Sink*>(ctx);
  for (;;) {
    va_list copy;
    va_copy(copy, args);
    const size_t room = s->buf.size() - s->len;
    int n = std::vsnprintf(s->buf.data() + s->len, room, fmt, copy);
    va_end(copy);
    if (n < 0) return;
    if (static_cast<size_t>(n) < room) {
      s->len += static_cast<size_t>(n);
      return;
    }
    s->buf.resize(s->buf.size() * 2 + static_cast<size_t>(n));
  }
}

struct Result {
  double ns = 0;
  size_t bytes = 0;
};

Result dump_all(const Api& api, const struct btf* btf) {
  Sink sink;
  sink.buf.resize(16u << 20);
  const uint32_t cnt = api.type_cnt(btf);
  Result r;
  r.ns = bench::ns_per_op(
      [&] {
        sink.len = 0;
        struct btf_dump* d = api.dump_new(btf, sink_printf, &sink, nullptr);
        if (d == nullptr) std::exit(1);
        for (uint32_t id = 1; id < cnt; id++) {
          if (api.dump_type(d, id) != 0) std::exit(1);
        }
        api.dump_free(d);
      },
      1, 9);
  r.bytes = sink.len;
  return r;
}

}  // namespace

int main() {
  if (access(kVmlinux, R_OK) != 0) {
    std::printf("btf_dump: %s is not readable; skipped\n", kVmlinux);
    return 0;
  }
  bench::Libbpf lib;
  Api ours = bpfxx_api();
  Api theirs = libbpf_api(lib);
  struct btf* our_btf = ours.parse(kVmlinux, nullptr);
  struct btf* their_btf = theirs.parse(kVmlinux, nullptr);
  if (our_btf == nullptr || their_btf == nullptr) {
    std::fprintf(stderr, "cannot parse %s\n", kVmlinux);
    return 1;
  }
  // Warm both (page cache, lazily built indexes), then measure.
  dump_all(ours, our_btf);
  dump_all(theirs, their_btf);
  Result a = dump_all(ours, our_btf);
  Result b = dump_all(theirs, their_btf);
  bench::report("dump vmlinux as C (all types)", a.ns, b.ns);
  std::printf("%-36s bpfxx %zu bytes, libbpf %zu bytes; bpfxx/libbpf time %.2fx (target <= 0.70x)\n",
              "  output", a.bytes, b.bytes, a.ns / b.ns);
  ours.free_btf(our_btf);
  theirs.free_btf(their_btf);
  return 0;
}
