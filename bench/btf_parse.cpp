// BTF parsing beside Debian's libbpf: parse the kernel's BTF
// (/sys/kernel/btf/vmlinux), parse + 1000 name look-ups
// (btf__find_by_name_kind), look-ups alone on a parsed object, and the
// peak memory of a parse (measured in a forked child: peak RSS and heap
// growth while parsing, the object still alive).
#include "bench_support.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

const char* const kPath = "/sys/kernel/btf/vmlinux";

struct Api {
  decltype(&btf__parse_raw) parse_raw;
  decltype(&btf__free) free;
  decltype(&btf__find_by_name_kind) find;
};

Api bpfxx_api() { return {btf__parse_raw, btf__free, btf__find_by_name_kind}; }

Api libbpf_api(const bench::Libbpf& lib) {
  return {lib.get("btf__parse_raw", &btf__parse_raw), lib.get("btf__free", &btf__free),
          lib.get("btf__find_by_name_kind", &btf__find_by_name_kind)};
}

// 1000 struct names spread over the whole id range (so a linear search
// pays on average half the table), read once with bpfxx.
std::vector<std::string> pick_names() {
  std::vector<std::string> all;
  struct btf* b = btf__parse_raw(kPath);
  if (b == nullptr) {
    std::perror("btf__parse_raw");
    std::exit(1);
  }
  for (__u32 id = 1; id < btf__type_cnt(b); id++) {
    const btf_type* t = btf__type_by_id(b, id);
    if (btf_is_struct(t) && t->name_off != 0) all.emplace_back(btf__name_by_offset(b, t->name_off));
  }
  btf__free(b);
  std::vector<std::string> names;
  for (size_t i = 0; i < 1000 && !all.empty(); i++) names.push_back(all[(i * all.size()) / 1000]);
  return names;
}

double parse(const Api& api) {
  return bench::ns_per_op([&] {
    struct btf* b = api.parse_raw(kPath);
    if (b == nullptr) std::exit(1);
    api.free(b);
  }, 10, 5);
}

double parse_and_lookups(const Api& api, const std::vector<std::string>& names, int rounds) {
  return bench::ns_per_op([&] {
    struct btf* b = api.parse_raw(kPath);
    if (b == nullptr) std::exit(1);
    for (const std::string& n : names) {
      if (api.find(b, n.c_str(), BTF_KIND_STRUCT) <= 0) std::exit(2);
    }
    api.free(b);
  }, 1, rounds);
}

long status_kb(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long v = -1;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0) v = std::strtol(line + n, nullptr, 10);
  }
  std::fclose(f);
  return v;
}

struct Mem {
  long peak_rss_kb;   // peak RSS growth during the parse
  long heap_kb;       // malloc'ed bytes still held by the parsed object
};

// Parses once in a child process and reports its memory growth.
Mem parse_memory(const Api& api) {
  int fds[2];
  if (pipe(fds) != 0) std::exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const long rss0 = status_kb("VmRSS:");
    const struct mallinfo2 m0 = mallinfo2();
    struct btf* b = api.parse_raw(kPath);
    if (b == nullptr) _exit(1);
    const struct mallinfo2 m1 = mallinfo2();
    Mem m{status_kb("VmHWM:") - rss0,
          static_cast<long>((m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd)) / 1024};
    if (write(fds[1], &m, sizeof m) != sizeof m) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Mem m{};
  if (read(fds[0], &m, sizeof m) != sizeof m) std::exit(1);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return m;
}

}  // namespace

int main() {
  libbpf_set_print(nullptr);
  bench::Libbpf lib;
  const Api ours = bpfxx_api();
  const Api theirs = libbpf_api(lib);
  lib.get("libbpf_set_print", &libbpf_set_print)(nullptr);
  const std::vector<std::string> names = pick_names();

  bench::report("btf: parse vmlinux", parse(ours), parse(theirs));
  bench::report("btf: parse vmlinux + 1000 look-ups", parse_and_lookups(ours, names, 7),
                parse_and_lookups(theirs, names, 3));

  const Mem a = parse_memory(ours);
  const Mem b = parse_memory(theirs);
  std::printf("%-36s bpfxx %7ld KiB peak RSS, %7ld KiB heap   libbpf %7ld KiB peak RSS, %7ld KiB heap\n",
              "btf: parse vmlinux memory", a.peak_rss_kb, a.heap_kb, b.peak_rss_kb, b.heap_kb);
  return 0;
}
