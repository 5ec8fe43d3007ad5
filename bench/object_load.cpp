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

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

const char* const kObjectPath = BPFXX_TEST_PROGS_DIR "/bench_many.bpf.o";
// The inner-map template the floor gives map-in-maps (the object's own).
const char* const kInnerMapName = "inner_a";

// The object-level C API of one library, typed like bpfxx's declarations.
struct Api {
  const char* name;
  decltype(&bpf_object__open_mem) open_mem;
  decltype(&bpf_object__load) load;
  decltype(&bpf_object__close) close;
  decltype(&bpf_object__next_program) next_program;
  decltype(&bpf_object__next_map) next_map;
  decltype(&bpf_object__find_map_by_name) find_map;
  decltype(&bpf_object__btf) btf;
  decltype(&btf__raw_data) btf_raw_data;
  decltype(&bpf_program__name) prog_name;
  decltype(&bpf_program__insns) insns;
  decltype(&bpf_program__insn_cnt) insn_cnt;
  decltype(&bpf_program__type) prog_type;
  decltype(&bpf_program__expected_attach_type) attach_type;
  decltype(&bpf_program__flags) prog_flags;
  decltype(&bpf_map__name) map_name;
  decltype(&bpf_map__type) map_type;
  decltype(&bpf_map__key_size) key_size;
  decltype(&bpf_map__value_size) value_size;
  decltype(&bpf_map__max_entries) max_entries;
  decltype(&bpf_map__map_flags) map_flags;
  decltype(&bpf_map__map_extra) map_extra;
  decltype(&bpf_map__initial_value) initial_value;
  decltype(&bpf_map__fd) map_fd;
};

Api bpfxx_api() {
  return {"bpfxx",
          bpf_object__open_mem,
          bpf_object__load,
          bpf_object__close,
          bpf_object__next_program,
          bpf_object__next_map,
          bpf_object__find_map_by_name,
          bpf_object__btf,
          btf__raw_data,
          bpf_program__name,
          bpf_program__insns,
          bpf_program__insn_cnt,
          bpf_program__type,
          bpf_program__expected_attach_type,
          bpf_program__flags,
          bpf_map__name,
          bpf_map__type,
          bpf_map__key_size,
          bpf_map__value_size,
          bpf_map__max_entries,
          bpf_map__map_flags,
          bpf_map__map_extra,
          bpf_map__initial_value,
          bpf_map__fd};
}

Api libbpf_api(const bench::Libbpf& l) {
#define GET(fn) l.get(#fn, &fn)
  return {"libbpf",
          GET(bpf_object__open_mem),
          GET(bpf_object__load),
          GET(bpf_object__close),
          GET(bpf_object__next_program),
          GET(bpf_object__next_map),
          GET(bpf_object__find_map_by_name),
          GET(bpf_object__btf),
          GET(btf__raw_data),
          GET(bpf_program__name),
          GET(bpf_program__insns),
          GET(bpf_program__insn_cnt),
          GET(bpf_program__type),
          GET(bpf_program__expected_attach_type),
          GET(bpf_program__flags),
          GET(bpf_map__name),
          GET(bpf_map__type),
          GET(bpf_map__key_size),
          GET(bpf_map__value_size),
          GET(bpf_map__max_entries),
          GET(bpf_map__map_flags),
          GET(bpf_map__map_extra),
          GET(bpf_map__initial_value),
          GET(bpf_map__fd)};
#undef GET
}

// Warnings of both libraries go to stderr, so a failed load says why.
int print_warnings(enum libbpf_print_level level, const char* fmt, va_list ap) {
  if (level == LIBBPF_DEBUG) return 0;
  return std::vfprintf(stderr, fmt, ap);
}

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream f(path, std::ios::binary);
  if (!f.good()) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(1);
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Each run is timed twice: wall-clock, and the CPU time of this thread
// (user and kernel alike, but not the time other processes held the CPU:
// on a busy machine that is the steadier figure).
struct Times {
  std::vector<double> wall, cpu;
};

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

class Stopwatch {
 public:
  Stopwatch() : wall0_(std::chrono::steady_clock::now()), cpu0_(cpu_ms()) {}
  void stop(Times& out) const {
    const double cpu = cpu_ms() - cpu0_;
    out.wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0_).count());
    out.cpu.push_back(cpu);
  }

 private:
  std::chrono::steady_clock::time_point wall0_;
  double cpu0_;
};

// The kernel frees closed programs and maps from deferred work: a pause
// between timed runs keeps one run's clean-up out of the next one's time.
// The two libraries also take turns going first.
void settle() { usleep(3000); }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bpf_object* open(const Api& api, const std::vector<uint8_t>& bytes) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "bench_many");
  bpf_object* obj = api.open_mem(bytes.data(), bytes.size(), &opts);
  if (obj == nullptr) std::fprintf(stderr, "%s: open failed: %s\n", api.name, std::strerror(errno));
  return obj;
}

// One timed open + close; false on failure.
bool time_open(const Api& api, const std::vector<uint8_t>& bytes, Times& out) {
  const Stopwatch sw;
  bpf_object* obj = open(api, bytes);
  if (obj == nullptr) return false;
  api.close(obj);
  sw.stop(out);
  return true;
}

// One timed open + load + close; false on failure.
bool time_load(const Api& api, const std::vector<uint8_t>& bytes, Times& out) {
  const Stopwatch sw;
  bpf_object* obj = open(api, bytes);
  if (obj == nullptr) return false;
  const int err = api.load(obj);
  api.close(obj);
  if (err != 0) {
    std::fprintf(stderr, "%s: load failed: %d (%s)\n", api.name, err, std::strerror(-err));
    return false;
  }
  sw.stop(out);
  return true;
}

// What a load leaves for the kernel to do, read from a loaded object: the
// final BTF, every map's attributes and initial value, every program's
// final instructions (their map references are the loaded object's fds,
// so the object stays open while the floor is timed).
struct Floor {
  struct Map {
    std::string name;
    bpf_map_type type;
    uint32_t key_size, value_size, max_entries, flags;
    uint64_t extra;
    std::vector<uint8_t> initial;  // data maps only
    // Map-in-map slots the load filled: key -> index in `maps` of the
    // inner map (filling one waits for an RCU grace period: a large part
    // of the kernel's time).
    std::vector<std::pair<uint32_t, size_t>> slots;
  };
  struct Prog {
    std::string name;
    bpf_prog_type type;
    bpf_attach_type attach_type;
    uint32_t flags;
    std::vector<bpf_insn> insns;
  };
  bpf_object* loaded = nullptr;
  const Api* api = nullptr;
  std::vector<uint8_t> btf;
  int inner_fd = -1;
  std::vector<Map> maps;
  std::vector<Prog> progs;

  ~Floor() {
    if (loaded != nullptr) api->close(loaded);
  }
};

bool capture_floor(const Api& api, const std::vector<uint8_t>& bytes, Floor& f) {
  f.api = &api;
  f.loaded = open(api, bytes);
  if (f.loaded == nullptr) return false;
  const int err = api.load(f.loaded);
  if (err != 0) {
    std::fprintf(stderr, "%s: load failed: %d (%s)\n", api.name, err, std::strerror(-err));
    return false;
  }
  if (const btf* b = api.btf(f.loaded); b != nullptr) {
    uint32_t size = 0;
    const auto* raw = static_cast<const uint8_t*>(api.btf_raw_data(b, &size));
    if (raw != nullptr) f.btf.assign(raw, raw + size);
  }
  if (bpf_map* inner = api.find_map(f.loaded, kInnerMapName); inner != nullptr) f.inner_fd = api.map_fd(inner);
  for (bpf_map* m = api.next_map(f.loaded, nullptr); m != nullptr; m = api.next_map(f.loaded, m)) {
    Floor::Map fm{api.map_name(m), api.map_type(m), api.key_size(m), api.value_size(m),
                  api.max_entries(m), api.map_flags(m), api.map_extra(m), {}, {}};
    size_t sz = 0;
    if (const void* v = api.initial_value(m, &sz); v != nullptr) {
      const auto* p = static_cast<const uint8_t*>(v);
      fm.initial.assign(p, p + sz);
    }
    f.maps.push_back(std::move(fm));
  }
  for (Floor::Map& fm : f.maps) {
    if (fm.type != BPF_MAP_TYPE_ARRAY_OF_MAPS && fm.type != BPF_MAP_TYPE_HASH_OF_MAPS) continue;
    if (fm.type == BPF_MAP_TYPE_HASH_OF_MAPS) {
      std::fprintf(stderr, "floor: hash-of-maps slots are not replayed\n");
      return false;
    }
    const int outer_fd = api.map_fd(api.find_map(f.loaded, fm.name.c_str()));
    for (uint32_t key = 0; key < fm.max_entries; key++) {
      uint32_t id = 0;
      if (bpf_map_lookup_elem(outer_fd, &key, &id) != 0 || id == 0) continue;
      const int inner_fd = bpf_map_get_fd_by_id(id);
      bpf_map_info info{};
      uint32_t len = sizeof info;
      const bool named = inner_fd >= 0 && bpf_map_get_info_by_fd(inner_fd, &info, &len) == 0;
      if (inner_fd >= 0) close(inner_fd);
      size_t idx = 0;
      while (named && idx < f.maps.size() && f.maps[idx].name.compare(0, sizeof info.name - 1, info.name) != 0) idx++;
      if (!named || idx == f.maps.size()) {
        std::fprintf(stderr, "floor: cannot identify the inner map in slot %u of '%s'\n", key, fm.name.c_str());
        return false;
      }
      fm.slots.emplace_back(key, idx);
    }
  }
  for (bpf_program* p = api.next_program(f.loaded, nullptr); p != nullptr;
       p = api.next_program(f.loaded, p)) {
    const bpf_insn* insns = api.insns(p);
    if (insns == nullptr || api.insn_cnt(p) == 0) {
      std::fprintf(stderr, "%s: program %s has no instructions after load\n", api.name, api.prog_name(p));
      return false;
    }
    f.progs.push_back({api.prog_name(p), api.prog_type(p), api.attach_type(p), api.prog_flags(p),
                       std::vector<bpf_insn>(insns, insns + api.insn_cnt(p))});
  }
  return true;
}

// One timed kernel-only load of what capture_floor() recorded.
bool time_floor(const Floor& f, Times& out) {
  int btf_fd = -1;
  std::vector<int> map_fds, prog_fds;
  bool ok = true;
  auto failed = [&](const char* what, const std::string& name) {
    std::fprintf(stderr, "%s floor: %s '%s' failed: %s\n", f.api->name, what, name.c_str(),
                 std::strerror(errno));
    ok = false;
  };
  const Stopwatch sw;
  if (!f.btf.empty()) {
    btf_fd = bpf_btf_load(f.btf.data(), f.btf.size(), nullptr);
    if (btf_fd < 0) failed("BTF load", "object");
  }
  for (size_t i = 0; ok && i < f.maps.size(); i++) {
    const Floor::Map& m = f.maps[i];
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = m.flags, .map_extra = m.extra);
    if (m.type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m.type == BPF_MAP_TYPE_HASH_OF_MAPS)
      opts.inner_map_fd = static_cast<uint32_t>(f.inner_fd);
    const int fd = bpf_map_create(m.type, m.name.c_str(), m.key_size, m.value_size, m.max_entries, &opts);
    if (fd < 0) {
      failed("map create", m.name);
      break;
    }
    map_fds.push_back(fd);
    if (!m.initial.empty()) {
      const uint32_t zero = 0;
      if (bpf_map_update_elem(fd, &zero, m.initial.data(), BPF_ANY) != 0) failed("map update", m.name);
      if ((m.flags & BPF_F_RDONLY_PROG) != 0 && bpf_map_freeze(fd) != 0) failed("map freeze", m.name);
    }
  }
  for (size_t i = 0; ok && i < f.maps.size(); i++) {
    for (const auto& [key, inner] : f.maps[i].slots) {
      const int inner_fd = map_fds[inner];
      if (bpf_map_update_elem(map_fds[i], &key, &inner_fd, BPF_ANY) != 0)
        failed("map-in-map slot fill", f.maps[i].name);
    }
  }
  for (size_t i = 0; ok && i < f.progs.size(); i++) {
    const Floor::Prog& p = f.progs[i];
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = p.attach_type, .prog_flags = p.flags);
    const int fd = bpf_prog_load(p.type, p.name.c_str(), "GPL", p.insns.data(), p.insns.size(), &opts);
    if (fd < 0) {
      failed("program load", p.name);
      break;
    }
    prog_fds.push_back(fd);
  }
  for (int fd : prog_fds) close(fd);
  for (int fd : map_fds) close(fd);
  if (btf_fd >= 0) close(btf_fd);
  if (ok) sw.stop(out);
  return ok;
}

void line(const char* what, double bpfxx_ms, double libbpf_ms) {
  std::printf("%-44s bpfxx %9.3f ms   libbpf %9.3f ms   libbpf/bpfxx %5.2fx\n", what, bpfxx_ms,
              libbpf_ms, libbpf_ms / bpfxx_ms);
}

void only(const char* what, const char* who, double ms, const char* why) {
  std::printf("%-44s %s %9.3f ms   (%s)\n", what, who, ms, why);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 50;
  if (n <= 0) {
    std::fprintf(stderr, "usage: %s [ITERATIONS]\n", argv[0]);
    return 2;
  }
  bench::Libbpf lib;
  const Api ours = bpfxx_api();
  const Api theirs = libbpf_api(lib);
  libbpf_set_print(print_warnings);
  lib.get("libbpf_set_print", &libbpf_set_print)(print_warnings);
  const std::vector<uint8_t> bytes = read_file(kObjectPath);

  // Open alone is cheap: many more rounds.
  Times open_x, open_l;
  for (int i = 0; i < n * 8; i++) {
    const bool ours_first = i % 2 == 0;
    if (ours_first && !time_open(ours, bytes, open_x)) return 1;
    if (!time_open(theirs, bytes, open_l)) return 1;
    if (!ours_first && !time_open(ours, bytes, open_x)) return 1;
  }

  // One untimed load each first: feature probes and first-use caches.
  Times warm;
  const bool ours_loads = time_load(ours, bytes, warm);
  const bool theirs_loads = time_load(theirs, bytes, warm);
  if (!theirs_loads) {
    std::fprintf(stderr, "Debian's libbpf cannot load %s\n", kObjectPath);
    return 1;
  }
  Times load_x, load_l;
  for (int i = 0; i < n; i++) {
    const bool ours_first = i % 2 == 0;
    if (ours_loads && ours_first && !time_load(ours, bytes, load_x)) return 1;
    settle();
    if (!time_load(theirs, bytes, load_l)) return 1;
    settle();
    if (ours_loads && !ours_first && !time_load(ours, bytes, load_x)) return 1;
    settle();
  }

  Floor floor_x, floor_l;
  const bool ours_floor = ours_loads && capture_floor(ours, bytes, floor_x);
  if (!capture_floor(theirs, bytes, floor_l)) return 1;
  Times fl_x, fl_l;
  for (int i = 0; i < n; i++) {
    const bool ours_first = i % 2 == 0;
    if (ours_floor && ours_first && !time_floor(floor_x, fl_x)) return 1;
    settle();
    if (!time_floor(floor_l, fl_l)) return 1;
    settle();
    if (ours_floor && !ours_first && !time_floor(floor_x, fl_x)) return 1;
    settle();
  }

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
  auto insn_total = [](const Floor& f) {
    size_t total = 0;
    for (const Floor::Prog& p : f.progs) total += p.insns.size();
    return total;
  };
  if (ours_floor)
    std::printf("final instructions of all programs: bpfxx %zu, libbpf %zu\n", insn_total(floor_x),
                insn_total(floor_l));
  std::printf("(medians of %d runs; open of %d runs; floor from each library's final instructions)\n", n,
              n * 8);
  return both ? 0 : 1;
}
