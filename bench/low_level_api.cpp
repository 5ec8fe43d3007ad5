// The low-level API (<bpf/bpf.h>) beside Debian's libbpf: per-call overhead
// of map element operations, batches and program loads. These are bound by
// the kernel; the point is that bpfxx adds nothing on top of the syscall.
#include "bench_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <unistd.h>

#include <cstdint>
#include <vector>

namespace {

struct Api {
  decltype(&bpf_map_create) map_create;
  decltype(&bpf_map_update_elem) update;
  decltype(&bpf_map_lookup_elem) lookup;
  decltype(&bpf_map_lookup_batch) lookup_batch;
  decltype(&bpf_prog_load) prog_load;
  decltype(&libbpf_num_possible_cpus) possible_cpus;
};

Api bpfxx_api() {
  return {bpf_map_create, bpf_map_update_elem, bpf_map_lookup_elem, bpf_map_lookup_batch,
          bpf_prog_load, libbpf_num_possible_cpus};
}

Api libbpf_api(const bench::Libbpf& lib) {
  return {lib.get("bpf_map_create", &bpf_map_create),
          lib.get("bpf_map_update_elem", &bpf_map_update_elem),
          lib.get("bpf_map_lookup_elem", &bpf_map_lookup_elem),
          lib.get("bpf_map_lookup_batch", &bpf_map_lookup_batch),
          lib.get("bpf_prog_load", &bpf_prog_load),
          lib.get("libbpf_num_possible_cpus", &libbpf_num_possible_cpus)};
}

double update_lookup(const Api& api) {
  int fd = api.map_create(BPF_MAP_TYPE_ARRAY, "bench", 4, 8, 16, nullptr);
  if (fd < 0) std::exit(1);
  uint32_t key = 3;
  uint64_t value = 0;
  double ns = bench::ns_per_op([&] {
    value++;
    api.update(fd, &key, &value, BPF_ANY);
    api.lookup(fd, &key, &value);
  }, 100000);
  close(fd);
  return ns;
}

double batch_lookup(const Api& api) {
  constexpr uint32_t kEntries = 4096;
  int fd = api.map_create(BPF_MAP_TYPE_HASH, "bench", 4, 8, kEntries, nullptr);
  if (fd < 0) std::exit(1);
  for (uint32_t k = 0; k < kEntries; k++) {
    uint64_t v = k;
    api.update(fd, &k, &v, BPF_ANY);
  }
  std::vector<uint32_t> keys(kEntries);
  std::vector<uint64_t> values(kEntries);
  double ns = bench::ns_per_op([&] {
    uint32_t out_batch = 0;
    uint32_t count = kEntries;
    api.lookup_batch(fd, nullptr, &out_batch, keys.data(), values.data(), &count, nullptr);
  }, 200);
  close(fd);
  return ns;
}

double prog_load(const Api& api) {
  // r0 = 0; exit
  struct bpf_insn insns[2] = {};
  insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
  insns[1].code = BPF_JMP | BPF_EXIT;
  return bench::ns_per_op([&] {
    int fd = api.prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bench", "GPL", insns, 2, nullptr);
    if (fd >= 0) close(fd);
  }, 500);
}

double possible_cpus(const Api& api) {
  return bench::ns_per_op([&] { api.possible_cpus(); }, 1000000);
}

}  // namespace

int main() {
  if (geteuid() != 0) {
    std::printf("low_level_api: needs root (BPF syscalls); skipped\n");
    return 0;
  }
  bench::Libbpf lib;
  Api ours = bpfxx_api();
  Api theirs = libbpf_api(lib);
  // libbpf first here, bpfxx first in the batch line: order must not decide.
  double theirs_ul = update_lookup(theirs);
  bench::report("map update+lookup (array)", update_lookup(ours), theirs_ul);
  bench::report("map lookup_batch (4096 hash entries)", batch_lookup(ours), batch_lookup(theirs));
  bench::report("prog load (2 insns)", prog_load(ours), prog_load(theirs));
  bench::report("libbpf_num_possible_cpus", possible_cpus(ours), possible_cpus(theirs));
  return 0;
}
