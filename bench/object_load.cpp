// Opening and loading an object with many programs and maps
// (tests/progs/bench_many.bpf.o: 64 programs, 32 BTF-defined maps plus
// .data/.rodata/.bss) beside Debian's libbpf, in three phases:
//
//   open        bpf_object__open_mem() of the file's bytes + close
//   open+load   open + bpf_object__load() + close
//   floor       what the kernel alone costs for the same result: the
//               object's final BTF loaded, every map created (data maps
//               filled, read-only ones frozen, map-in-map slots filled as
//               the load filled them) and every program loaded
//               from the final instructions the library produced, with the
//               plain BPF syscall wrappers, then everything closed. Left
//               out: func_info/line_info (Debian's libbpf cannot hand them
//               out) and what a library may choose to do besides (probes,
//               binding .rodata to each program, mmapping data maps).
//
// The library's own share of a load is (open+load) - floor. Each phase is
// timed N times, the two libraries taking turns going first; the medians
// of wall-clock time and of the thread's CPU time are printed.
//
//   bench_object_load [ITERATIONS]   (default 50; needs root; about 4 s)
#include "bench_support.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const char* const kObjectPath = BPFXX_TEST_PROGS_DIR "/bench_many.bpf.o";
// The inner-map template the floor gives map-in-maps (the object's own).
const char* const kInnerMapName = "inner_a";

}  // namespace

using namespace bench;

int main(int argc, char** argv) {
  const int n = rounds_from_args(argc, argv, 50);
  if (n == 0) return 2;
  const ObjectBench setup("bench_many", kObjectPath);

  // Open alone is cheap: many more rounds.
  Times open_x, open_l;
  if (!take_turns(n * 8,
                  {[&] { return time_open(setup.ours, setup.file, open_x); },
                   [&] { return time_open(setup.theirs, setup.file, open_l); }},
                  false))
    return 1;

  // One untimed load each first: feature probes and first-use caches.
  Times warm;
  const bool ours_loads = time_load(setup.ours, setup.file, warm);
  const bool theirs_loads = time_load(setup.theirs, setup.file, warm);
  if (!theirs_loads) {
    std::fprintf(stderr, "Debian's libbpf cannot load %s\n", kObjectPath);
    return 1;
  }
  LoadAndFloorTimes t;
  if (!time_load_and_floor(setup, n, ours_loads, kInnerMapName, t)) return 1;

  const std::string open_what = "object: open (" + std::to_string(t.floor_l.progs.size()) + " progs, " +
                                std::to_string(t.floor_l.maps.size()) + " maps)";
  const bool both = ours_loads && t.ours_floor;
  print_load_table("object", {open_what.c_str(), &open_x, &open_l}, {}, t, both);

  if (t.ours_floor)
    std::printf("final instructions of all programs: bpfxx %zu, libbpf %zu\n", insn_total(t.floor_x),
                insn_total(t.floor_l));
  std::printf("(medians of %d runs; open of %d runs; floor from each library's final instructions)\n", n,
              n * 8);
  return both ? 0 : 1;
}
