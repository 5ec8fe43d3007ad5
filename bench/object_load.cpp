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
  const int n = argc > 1 ? std::atoi(argv[1]) : 50;
  if (n <= 0) {
    std::fprintf(stderr, "usage: %s [ITERATIONS]\n", argv[0]);
    return 2;
  }
  bench::Libbpf lib;
  const ObjectApi ours = bpfxx_object_api();
  const ObjectApi theirs = libbpf_object_api(lib);
  libbpf_set_print(print_warnings);
  lib.get("libbpf_set_print", &libbpf_set_print)(print_warnings);
  const ObjectFile bytes{"bench_many", read_file(kObjectPath)};

  // Open alone is cheap: many more rounds.
  Times open_x, open_l;
  if (!take_turns(n * 8,
                  {[&] { return time_open(ours, bytes, open_x); }, [&] { return time_open(theirs, bytes, open_l); }},
                  false))
    return 1;

  // One untimed load each first: feature probes and first-use caches.
  Times warm;
  const bool ours_loads = time_load(ours, bytes, warm);
  const bool theirs_loads = time_load(theirs, bytes, warm);
  if (!theirs_loads) {
    std::fprintf(stderr, "Debian's libbpf cannot load %s\n", kObjectPath);
    return 1;
  }
  Times load_x, load_l;
  if (!take_turns(n, {[&] { return !ours_loads || time_load(ours, bytes, load_x); },
                      [&] { return time_load(theirs, bytes, load_l); }},
                  true))
    return 1;

  Floor floor_x, floor_l;
  const bool ours_floor = ours_loads && capture_floor(ours, bytes, kInnerMapName, floor_x);
  if (!capture_floor(theirs, bytes, kInnerMapName, floor_l)) return 1;
  Times fl_x, fl_l;
  if (!take_turns(n, {[&] { return !ours_floor || time_floor(floor_x, fl_x); },
                      [&] { return time_floor(floor_l, fl_l); }},
                  true))
    return 1;

  const std::string open_what = "object: open (" + std::to_string(floor_l.progs.size()) + " progs, " +
                                std::to_string(floor_l.maps.size()) + " maps)";
  const bool both = ours_loads && ours_floor;
  for (const bool cpu : {false, true}) {
    auto med = [cpu](const Times& t) { return median(cpu ? t.cpu : t.wall); };
    std::printf("%s\n", cpu ? "-- CPU time of the benchmark's thread (user + kernel), medians:"
                            : "-- wall-clock time, medians:");
    line(open_what.c_str(), med(open_x), med(open_l));
    if (both) {
      line("object: open+load+close", med(load_x), med(load_l));
      line("object: kernel floor (BTF, maps, programs)", med(fl_x), med(fl_l));
      line("object: library share (open+load - floor)", med(load_x) - med(fl_x), med(load_l) - med(fl_l));
    } else {
      only("object: open+load+close", "libbpf", med(load_l), "bpfxx's load failed");
      only("object: kernel floor (BTF, maps, programs)", "libbpf", med(fl_l), "bpfxx's load failed");
      only("object: library share (open+load - floor)", "libbpf", med(load_l) - med(fl_l), "bpfxx's load failed");
    }
  }
  if (ours_floor)
    std::printf("final instructions of all programs: bpfxx %zu, libbpf %zu\n", insn_total(floor_x),
                insn_total(floor_l));
  std::printf("(medians of %d runs; open of %d runs; floor from each library's final instructions)\n", n,
              n * 8);
  return both ? 0 : 1;
}
