// Side-by-side timing of bpfxx and Debian's libbpf in one process.
//
// Debian's libbpf.so.1 is opened with dlopen(RTLD_LOCAL): its symbols stay
// out of the global namespace, so bpfxx's functions (linked statically,
// hidden) and libbpf's (looked up with dlsym) never interpose.
#pragma once

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <dlfcn.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace bench {

class Libbpf {
 public:
  Libbpf() {
    handle_ = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      std::fprintf(stderr, "cannot open Debian's libbpf.so.1: %s\n", dlerror());
      std::exit(1);
    }
  }
  ~Libbpf() { dlclose(handle_); }

  // The libbpf function `name`, typed like bpfxx's declaration of it.
  template <class Fn>
  Fn* get(const char* name, Fn* /*same signature as*/) const {
    void* sym = dlsym(handle_, name);
    if (sym == nullptr) {
      std::fprintf(stderr, "libbpf.so.1 has no %s\n", name);
      std::exit(1);
    }
    return reinterpret_cast<Fn*>(sym);
  }

 private:
  void* handle_;
};

// A BPF object loaded by Debian's libbpf, for the buffer benchmarks: they
// time consumers, not loaders, so the loader is the reference one.
class LibbpfObject {
 public:
  LibbpfObject(const Libbpf& lib, const std::string& path)
      : close_(lib.get("bpf_object__close", &bpf_object__close)),
        next_map_(lib.get("bpf_object__next_map", &bpf_object__next_map)),
        map_name_(lib.get("bpf_map__name", &bpf_map__name)),
        map_fd_(lib.get("bpf_map__fd", &bpf_map__fd)),
        max_entries_(lib.get("bpf_map__max_entries", &bpf_map__max_entries)),
        find_program_(lib.get("bpf_object__find_program_by_name", &bpf_object__find_program_by_name)),
        prog_fd_(lib.get("bpf_program__fd", &bpf_program__fd)) {
    obj_ = lib.get("bpf_object__open_file", &bpf_object__open_file)(path.c_str(), nullptr);
    if (obj_ == nullptr || lib.get("bpf_object__load", &bpf_object__load)(obj_) != 0) {
      std::fprintf(stderr, "cannot load %s: %s\n", path.c_str(), std::strerror(errno));
      std::exit(1);
    }
  }
  ~LibbpfObject() {
    if (bss_ != MAP_FAILED) munmap(bss_, bss_size_);
    close_(obj_);
  }
  LibbpfObject(const LibbpfObject&) = delete;
  LibbpfObject& operator=(const LibbpfObject&) = delete;

  // The map whose name ends in `suffix` (".bss" matches "<obj>.bss").
  bpf_map* map(const std::string& suffix) const {
    for (bpf_map* m = next_map_(obj_, nullptr); m != nullptr; m = next_map_(obj_, m)) {
      const std::string name = map_name_(m);
      if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return m;
    }
    std::fprintf(stderr, "no map %s\n", suffix.c_str());
    std::exit(1);
  }
  int map_fd(const std::string& name) const { return map_fd_(map(name)); }
  uint32_t max_entries(const std::string& name) const { return max_entries_(map(name)); }
  // A live mapping of the .bss map (the program's globals; Debian's
  // libbpf 1.1 hands out a copy through bpf_map__initial_value).
  void* bss() {
    bss_size_ = static_cast<size_t>(getpagesize());
    bss_ = mmap(nullptr, bss_size_, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd(".bss"), 0);
    if (bss_ == MAP_FAILED) {
      std::perror("mmap of .bss");
      std::exit(1);
    }
    return bss_;
  }
  int prog_fd(const std::string& name) const {
    bpf_program* p = find_program_(obj_, name.c_str());
    if (p == nullptr) {
      std::fprintf(stderr, "no program %s\n", name.c_str());
      std::exit(1);
    }
    return prog_fd_(p);
  }

 private:
  decltype(&bpf_object__close) close_;
  decltype(&bpf_object__next_map) next_map_;
  decltype(&bpf_map__name) map_name_;
  decltype(&bpf_map__fd) map_fd_;
  decltype(&bpf_map__max_entries) max_entries_;
  decltype(&bpf_object__find_program_by_name) find_program_;
  decltype(&bpf_program__fd) prog_fd_;
  bpf_object* obj_ = nullptr;
  void* bss_ = MAP_FAILED;
  size_t bss_size_ = 0;
};

// Nanoseconds per operation: the best of `rounds` runs of `ops` calls, so
// that a scheduling hiccup does not decide the ratio.
inline double ns_per_op(const std::function<void()>& op, int ops, int rounds = 7) {
  double best = 1e300;
  for (int r = 0; r < rounds; r++) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < ops; i++) op();
    auto end = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(end - start).count() / ops);
  }
  return best;
}

// One line per benchmark: both timings and libbpf/bpfxx (above 1: bpfxx faster).
inline void report(const std::string& name, double bpfxx_ns, double libbpf_ns) {
  std::printf("%-36s bpfxx %10.1f ns/op   libbpf %10.1f ns/op   libbpf/bpfxx %5.2fx\n", name.c_str(),
              bpfxx_ns, libbpf_ns, libbpf_ns / bpfxx_ns);
}

// ---------------------------------------------------------------------------
// Object-level benchmarks (object_load.cpp, core_load.cpp): open, open+load
// and the kernel-only floor of one BPF object, with either library.

// The object-level C API of one library, typed like bpfxx's declarations.
struct ObjectApi {
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
  decltype(&bpf_program__section_name) section_name;
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

inline ObjectApi bpfxx_object_api() {
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
          bpf_program__section_name,
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

inline ObjectApi libbpf_object_api(const Libbpf& l) {
#define BENCH_GET(fn) l.get(#fn, &fn)
  return {"libbpf",
          BENCH_GET(bpf_object__open_mem),
          BENCH_GET(bpf_object__load),
          BENCH_GET(bpf_object__close),
          BENCH_GET(bpf_object__next_program),
          BENCH_GET(bpf_object__next_map),
          BENCH_GET(bpf_object__find_map_by_name),
          BENCH_GET(bpf_object__btf),
          BENCH_GET(btf__raw_data),
          BENCH_GET(bpf_program__name),
          BENCH_GET(bpf_program__section_name),
          BENCH_GET(bpf_program__insns),
          BENCH_GET(bpf_program__insn_cnt),
          BENCH_GET(bpf_program__type),
          BENCH_GET(bpf_program__expected_attach_type),
          BENCH_GET(bpf_program__flags),
          BENCH_GET(bpf_map__name),
          BENCH_GET(bpf_map__type),
          BENCH_GET(bpf_map__key_size),
          BENCH_GET(bpf_map__value_size),
          BENCH_GET(bpf_map__max_entries),
          BENCH_GET(bpf_map__map_flags),
          BENCH_GET(bpf_map__map_extra),
          BENCH_GET(bpf_map__initial_value),
          BENCH_GET(bpf_map__fd)};
#undef BENCH_GET
}

// Warnings of both libraries go to stderr, so a failed load says why.
inline int print_warnings(enum libbpf_print_level level, const char* fmt, va_list ap) {
  if (level == LIBBPF_DEBUG) return 0;
  return std::vfprintf(stderr, fmt, ap);
}

inline std::vector<uint8_t> read_file(const char* path) {
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

inline double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// This thread's CPU time in nanoseconds: the drain timings of the buffer
// benchmarks leave out the time other processes held the CPU.
inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
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
inline void settle() { usleep(3000); }

// The timing loop every side-by-side benchmark shares: `rounds` rounds in
// which each contender runs once, the first one of a round rotating (with
// two contenders: taking turns going first), so that neither always runs
// on a cache or kernel state the other left behind. With `pause`, settle()
// after every run. False as soon as a run fails (it says why).
inline bool take_turns(int rounds, const std::vector<std::function<bool()>>& contenders, bool pause) {
  const size_t n = contenders.size();
  for (int round = 0; round < rounds; round++) {
    for (size_t i = 0; i < n; i++) {
      if (!contenders[(static_cast<size_t>(round) + i) % n]()) return false;
      if (pause) settle();
    }
  }
  return true;
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// take_turns() for the buffer benchmarks: one untimed round first (the
// first touch of each ring's pages and the callbacks' code must not land in
// a timed drain), its samples dropped, then `rounds` timed rounds. The
// medians of the samples, in their order; empty when a run failed.
inline std::vector<double> warm_then_medians(int rounds, const std::vector<std::function<bool()>>& contenders,
                                             const std::vector<std::vector<double>*>& samples) {
  bool ok = take_turns(1, contenders, false);
  for (std::vector<double>* s : samples) s->clear();
  ok = ok && take_turns(rounds, contenders, false);
  if (!ok) return {};
  std::vector<double> medians;
  for (const std::vector<double>* s : samples) medians.push_back(median(*s));
  return medians;
}

// The object under test: its bytes and the name it is opened under.
struct ObjectFile {
  std::string name;
  std::vector<uint8_t> bytes;
};

inline bpf_object* open_object(const ObjectApi& api, const ObjectFile& file) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = file.name.c_str());
  bpf_object* obj = api.open_mem(file.bytes.data(), file.bytes.size(), &opts);
  if (obj == nullptr) std::fprintf(stderr, "%s: open failed: %s\n", api.name, std::strerror(errno));
  return obj;
}

// One timed open + close; false on failure.
inline bool time_open(const ObjectApi& api, const ObjectFile& file, Times& out) {
  const Stopwatch sw;
  bpf_object* obj = open_object(api, file);
  if (obj == nullptr) return false;
  api.close(obj);
  sw.stop(out);
  return true;
}

// One timed open + load + close; false on failure.
inline bool time_load(const ObjectApi& api, const ObjectFile& file, Times& out) {
  const Stopwatch sw;
  bpf_object* obj = open_object(api, file);
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
// so the object stays open while the floor is timed) and, for BTF-attached
// tracing programs, the kernel type they attach to.
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
    uint32_t attach_btf_id;  // vmlinux type id, tp_btf programs only
    std::vector<bpf_insn> insns;
  };
  bpf_object* loaded = nullptr;
  const ObjectApi* api = nullptr;
  std::vector<uint8_t> btf;
  int inner_fd = -1;
  std::vector<Map> maps;
  std::vector<Prog> progs;

  Floor() = default;
  Floor(const Floor&) = delete;
  Floor& operator=(const Floor&) = delete;
  ~Floor() {
    if (loaded != nullptr) api->close(loaded);
  }
};

// The vmlinux type a tp_btf program attaches to: the typedef
// btf_trace_<tracepoint> (looked up once per program, outside the timing).
inline uint32_t tp_btf_target(const char* section) {
  static btf* vmlinux = btf__load_vmlinux_btf();
  const char* slash = std::strchr(section, '/');
  if (vmlinux == nullptr || slash == nullptr) return 0;
  const std::string name = std::string("btf_trace_") + (slash + 1);
  const int id = btf__find_by_name_kind(vmlinux, name.c_str(), BTF_KIND_TYPEDEF);
  return id > 0 ? static_cast<uint32_t>(id) : 0;
}

// Loads the object with `api` and records its floor; `inner_map` names the
// inner-map template map-in-maps get in the replay (nullptr: none).
inline bool capture_floor(const ObjectApi& api, const ObjectFile& file, const char* inner_map, Floor& f) {
  f.api = &api;
  f.loaded = open_object(api, file);
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
  if (inner_map != nullptr) {
    if (bpf_map* inner = api.find_map(f.loaded, inner_map); inner != nullptr) f.inner_fd = api.map_fd(inner);
  }
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
    uint32_t attach_btf_id = 0;
    if (api.prog_type(p) == BPF_PROG_TYPE_TRACING && api.attach_type(p) == BPF_TRACE_RAW_TP) {
      attach_btf_id = tp_btf_target(api.section_name(p));
      if (attach_btf_id == 0) {
        std::fprintf(stderr, "floor: no vmlinux type for %s (%s)\n", api.prog_name(p), api.section_name(p));
        return false;
      }
    }
    f.progs.push_back({api.prog_name(p), api.prog_type(p), api.attach_type(p), api.prog_flags(p), attach_btf_id,
                       std::vector<bpf_insn>(insns, insns + api.insn_cnt(p))});
  }
  return true;
}

// One timed kernel-only load of what capture_floor() recorded.
inline bool time_floor(const Floor& f, Times& out) {
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
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = p.attach_type, .prog_flags = p.flags,
                .attach_btf_id = p.attach_btf_id);
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

inline size_t insn_total(const Floor& f) {
  size_t total = 0;
  for (const Floor::Prog& p : f.progs) total += p.insns.size();
  return total;
}

inline void line(const char* what, double bpfxx_ms, double libbpf_ms) {
  std::printf("%-44s bpfxx %9.3f ms   libbpf %9.3f ms   libbpf/bpfxx %5.2fx\n", what, bpfxx_ms,
              libbpf_ms, libbpf_ms / bpfxx_ms);
}

inline void only(const char* what, const char* who, double ms, const char* why) {
  std::printf("%-44s %s %9.3f ms   (%s)\n", what, who, ms, why);
}

// The setup the object benchmarks share: the number of rounds from argv[1]
// (or the default), Debian's libbpf beside bpfxx with both printing only
// warnings, and the object file's bytes.
struct ObjectBench {
  ObjectBench(const char* name, const char* path) : file{name, read_file(path)} {
    libbpf_set_print(print_warnings);
    lib.get("libbpf_set_print", &libbpf_set_print)(print_warnings);
  }
  Libbpf lib;
  const ObjectApi ours = bpfxx_object_api();
  const ObjectApi theirs = libbpf_object_api(lib);
  const ObjectFile file;
};

// argv[1] as a positive number of rounds, `fallback` without it; 0 after
// printing the usage when it is no positive number.
inline int rounds_from_args(int argc, char** argv, int fallback) {
  const int n = argc > 1 ? std::atoi(argv[1]) : fallback;
  if (n <= 0) std::fprintf(stderr, "usage: %s [ITERATIONS]\n", argv[0]);
  return n > 0 ? n : 0;
}

// open+load+close and the kernel floor of the same result, each timed
// `rounds` times per library (bpfxx skipped where its load or floor failed).
struct LoadAndFloorTimes {
  Times load_x, load_l;
  Floor floor_x, floor_l;
  bool ours_floor = false;
  Times fl_x, fl_l;
};

// inner_map: the template map-in-maps get in the floor (see capture_floor).
// False when libbpf's side fails (the benchmark has nothing to compare).
inline bool time_load_and_floor(const ObjectBench& b, int rounds, bool ours_loads, const char* inner_map,
                                LoadAndFloorTimes& t) {
  if (!take_turns(rounds, {[&] { return !ours_loads || time_load(b.ours, b.file, t.load_x); },
                           [&] { return time_load(b.theirs, b.file, t.load_l); }},
                  true))
    return false;
  t.ours_floor = ours_loads && capture_floor(b.ours, b.file, inner_map, t.floor_x);
  if (!capture_floor(b.theirs, b.file, inner_map, t.floor_l)) return false;
  return take_turns(rounds, {[&] { return !t.ours_floor || time_floor(t.floor_x, t.fl_x); },
                             [&] { return time_floor(t.floor_l, t.fl_l); }},
                    true);
}

// One row of timings per library, for the tables below.
struct TimesRow {
  const char* what;
  const Times* bpfxx;
  const Times* libbpf;
};

// Prints the table of an object benchmark, wall-clock medians then CPU
// medians: the open row, the extra rows (when both libraries loaded), then
// open+load+close, the kernel floor and the library's share, each named
// "<prefix>: ...". Without bpfxx's load only libbpf's figures are printed.
inline void print_load_table(const char* prefix, const TimesRow& open, const std::vector<TimesRow>& extra,
                             const LoadAndFloorTimes& t, bool both) {
  const std::string load = std::string(prefix) + ": open+load+close";
  const std::string floor = std::string(prefix) + ": kernel floor (BTF, maps, programs)";
  const std::string share = std::string(prefix) + ": library share (open+load - floor)";
  for (const bool cpu : {false, true}) {
    auto med = [cpu](const Times& times) { return median(cpu ? times.cpu : times.wall); };
    std::printf("%s\n", cpu ? "-- CPU time of the benchmark's thread (user + kernel), medians:"
                            : "-- wall-clock time, medians:");
    line(open.what, med(*open.bpfxx), med(*open.libbpf));
    if (both) {
      for (const TimesRow& row : extra) line(row.what, med(*row.bpfxx), med(*row.libbpf));
      line(load.c_str(), med(t.load_x), med(t.load_l));
      line(floor.c_str(), med(t.fl_x), med(t.fl_l));
      line(share.c_str(), med(t.load_x) - med(t.fl_x), med(t.load_l) - med(t.fl_l));
    } else {
      only(load.c_str(), "libbpf", med(t.load_l), "bpfxx's load failed");
      only(floor.c_str(), "libbpf", med(t.fl_l), "bpfxx's load failed");
      only(share.c_str(), "libbpf", med(t.load_l) - med(t.fl_l), "bpfxx's load failed");
    }
  }
}

}  // namespace bench


