// BPF ring buffer consumption, user-space cost per record, beside Debian's
// libbpf in the same run: a BPF program fills the ring (not timed), then
// one consumer drains it (timed). Contenders: a minimal hand-written loop
// over the mmapped ring (the floor), libbpf's ring_buffer__consume, ours,
// and our inline C++ batch consumer (ring::consume_with) with no indirect
// call per record. Every callback reads the record's first word.
#include "bench_support.h"

#include "buffers/ring_buffer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <sys/mman.h>

#include <cstdio>
#include <string>

namespace {

struct Control {
  uint64_t count;
  uint64_t next_seq;
  uint64_t failures;
};

uint64_t g_sink = 0;
uint64_t g_seen = 0;

int sample_cb(void*, void* data, size_t size) {
  g_sink += *static_cast<const uint64_t*>(data) + size;
  ++g_seen;
  return 0;
}

// The floor: the same protocol as any consumer, inlined, nothing else.
struct RawRing {
  uint64_t* consumer_pos = nullptr;
  const uint64_t* producer_pos = nullptr;
  const uint8_t* data = nullptr;
  uint64_t mask = 0;
  void* cons_map = MAP_FAILED;
  void* prod_map = MAP_FAILED;
  size_t page = 0, size = 0;

  explicit RawRing(int fd, size_t ring_size) : page(static_cast<size_t>(getpagesize())), size(ring_size) {
    cons_map = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    prod_map = mmap(nullptr, page + 2 * size, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(page));
    if (cons_map == MAP_FAILED || prod_map == MAP_FAILED) {
      std::perror("mmap of the ring");
      std::exit(1);
    }
    consumer_pos = static_cast<uint64_t*>(cons_map);
    producer_pos = static_cast<const uint64_t*>(prod_map);
    data = static_cast<const uint8_t*>(prod_map) + page;
    mask = size - 1;
  }
  ~RawRing() {
    munmap(cons_map, page);
    munmap(prod_map, page + 2 * size);
  }

  uint64_t consume() {
    uint64_t n = 0;
    uint64_t cons = __atomic_load_n(consumer_pos, __ATOMIC_ACQUIRE);
    const uint64_t prod = __atomic_load_n(producer_pos, __ATOMIC_ACQUIRE);
    while (cons < prod) {
      const uint8_t* hdr = data + (cons & mask);
      const uint32_t len = __atomic_load_n(reinterpret_cast<const uint32_t*>(hdr), __ATOMIC_ACQUIRE);
      if (len & BPF_RINGBUF_BUSY_BIT) break;
      const uint32_t sz = len & ~static_cast<uint32_t>(BPF_RINGBUF_DISCARD_BIT);
      cons += (sz + BPF_RINGBUF_HDR_SZ + 7) & ~uint64_t{7};
      if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
        g_sink += *reinterpret_cast<const uint64_t*>(hdr + BPF_RINGBUF_HDR_SZ) + sz;
        ++n;
      }
      __atomic_store_n(consumer_pos, cons, __ATOMIC_RELEASE);
    }
    return n;
  }
};

}  // namespace

int main() {
  bench::Libbpf lib;
  auto lib_new = lib.get("ring_buffer__new", &ring_buffer__new);
  auto lib_consume = lib.get("ring_buffer__consume", &ring_buffer__consume);
  auto lib_free = lib.get("ring_buffer__free", &ring_buffer__free);

  const std::string path = std::string(BPFXX_TEST_PROGS_DIR) + "/ringbuf_bench.bpf.o";
  bpf_object* obj = bpf_object__open_file(path.c_str(), nullptr);
  if (obj == nullptr || bpf_object__load(obj) != 0) {
    std::fprintf(stderr, "cannot load %s: %s\n", path.c_str(), std::strerror(errno));
    return 1;
  }
  bpf_map* bss = nullptr;
  bpf_map* m;
  bpf_object__for_each_map(m, obj) {
    const std::string name = bpf_map__name(m);
    if (name.size() >= 4 && name.compare(name.size() - 4, 4, ".bss") == 0) bss = m;
  }
  size_t bss_size = 0;
  auto* ctl = static_cast<volatile Control*>(bss != nullptr ? bpf_map__initial_value(bss, &bss_size) : nullptr);
  if (ctl == nullptr) {
    std::fprintf(stderr, "no .bss mapping\n");
    return 1;
  }
  const int map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "rb"));
  const size_t ring_size = bpf_map__max_entries(bpf_object__find_map_by_name(obj, "rb"));

  ring_buffer* ours = ring_buffer__new(map_fd, sample_cb, nullptr, nullptr);
  ring_buffer* theirs = lib_new(map_fd, sample_cb, nullptr, nullptr);
  if (ours == nullptr || theirs == nullptr) {
    std::fprintf(stderr, "ring_buffer__new failed\n");
    return 1;
  }
  ring* our_ring = ring_buffer__ring(ours, 0);
  RawRing raw(map_fd, ring_size);

  std::printf("ring buffer: user-space ns per record (best of 9 fills of half the %zu KiB ring)\n",
              ring_size / 1024);
  for (int size : {16, 64, 512}) {
    bpf_program* prog = bpf_object__find_program_by_name(obj, ("emit" + std::to_string(size)).c_str());
    const uint64_t footprint = (static_cast<uint64_t>(size) + 8 + 7) & ~uint64_t{7};
    const uint64_t per_fill = ring_size / 2 / footprint;
    auto fill = [&] {
      ctl->count = per_fill;
      LIBBPF_OPTS(bpf_test_run_opts, opts);
      if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0 || ctl->failures != 0) {
        std::fprintf(stderr, "fill failed\n");
        std::exit(1);
      }
    };
    // Time one drain of a fresh fill; checks that every record arrived.
    auto time_drain = [&](const std::function<uint64_t()>& drain) {
      double best = 1e300;
      for (int round = 0; round < 9; ++round) {
        fill();
        const auto t0 = std::chrono::steady_clock::now();
        const uint64_t got = drain();
        const auto t1 = std::chrono::steady_clock::now();
        if (got != per_fill) {
          std::fprintf(stderr, "consumed %llu of %llu records\n", static_cast<unsigned long long>(got),
                       static_cast<unsigned long long>(per_fill));
          std::exit(1);
        }
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(got));
      }
      return best;
    };
    const double floor_ns = time_drain([&] { return raw.consume(); });
    const double lib_ns = time_drain([&] { return static_cast<uint64_t>(lib_consume(theirs)); });
    const double our_ns = time_drain([&] { return static_cast<uint64_t>(ring_buffer__consume(ours)); });
    const double batch_ns = time_drain([&] {
      return static_cast<uint64_t>(our_ring->consume_with(UINT64_MAX, [](void* data, size_t len) {
        g_sink += *static_cast<const uint64_t*>(data) + len;
        return 0;
      }));
    });
    std::printf("%4d-byte records: floor %6.2f   libbpf %6.2f   bpfxx %6.2f (%.2fx libbpf, %+.1f%% vs floor)"
                "   bpfxx C++ batch %6.2f ns/record\n",
                size, floor_ns, lib_ns, our_ns, lib_ns / our_ns, (our_ns / floor_ns - 1) * 100, batch_ns);
  }
  std::printf("records lost: %llu\n", static_cast<unsigned long long>(ctl->failures));
  lib_free(theirs);
  ring_buffer__free(ours);
  bpf_object__close(obj);
  return g_sink == 42 ? 2 : 0;  // keeps g_sink alive
}
