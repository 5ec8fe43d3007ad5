// BPF ring buffer consumption, user-space cost per record, beside Debian's
// libbpf in the same run: a BPF program fills the ring (not timed), then
// one consumer drains it (timed). Contenders: a minimal hand-written loop
// over the mmapped ring (the floor, one consumer_pos store per record like
// libbpf), libbpf's ring_buffer__consume, ours, and the header-only batch
// reader (bpfxx::RingBufferReader: the visitor inlined, no indirect call
// per record, one consumer_pos store per batch). Every consumer reads the
// record's first word. Each round runs every contender once (the first one
// rotating); the medians over the rounds are printed.
//
//   bench_ringbuf [ROUNDS]   (default 15; needs root)
#include "bench_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/ring_buffer.hpp>

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
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

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  if (rounds <= 0) {
    std::fprintf(stderr, "usage: %s [ROUNDS]\n", argv[0]);
    return 2;
  }
  bench::Libbpf lib;
  auto lib_new = lib.get("ring_buffer__new", &ring_buffer__new);
  auto lib_consume = lib.get("ring_buffer__consume", &ring_buffer__consume);
  auto lib_free = lib.get("ring_buffer__free", &ring_buffer__free);

  bench::LibbpfObject obj(lib, std::string(BPFXX_TEST_PROGS_DIR) + "/ringbuf_bench.bpf.o");
  auto* ctl = static_cast<volatile Control*>(obj.bss());
  const int map_fd = obj.map_fd("rb");
  const size_t ring_size = obj.max_entries("rb");

  ring_buffer* ours = ring_buffer__new(map_fd, sample_cb, nullptr, nullptr);
  ring_buffer* theirs = lib_new(map_fd, sample_cb, nullptr, nullptr);
  if (ours == nullptr || theirs == nullptr) {
    std::fprintf(stderr, "ring_buffer__new failed\n");
    return 1;
  }
  auto reader = bpfxx::RingBufferReader::open(ours);
  if (!reader) {
    std::fprintf(stderr, "RingBufferReader::open: %s\n", reader.message().c_str());
    return 1;
  }
  RawRing raw(map_fd, ring_size);

  std::printf("ring buffer: user-space ns per record, medians of %d rounds (fills of half the %zu KiB ring)\n",
              rounds, ring_size / 1024);
  std::printf("%-9s %8s %8s %8s %8s   %s\n", "record", "floor", "libbpf", "bpfxx", "batch",
              "bpfxx/libbpf bpfxx/floor batch/floor batch/bpfxx");
  for (int size : {16, 64, 512}) {
    const int prog_fd = obj.prog_fd("emit" + std::to_string(size));
    const uint64_t footprint = (static_cast<uint64_t>(size) + 8 + 7) & ~uint64_t{7};
    const uint64_t per_fill = ring_size / 2 / footprint;
    auto fill = [&] {
      ctl->count = per_fill;
      LIBBPF_OPTS(bpf_test_run_opts, opts);
      if (bpf_prog_test_run_opts(prog_fd, &opts) != 0 || ctl->failures != 0) {
        std::fprintf(stderr, "fill failed\n");
        std::exit(1);
      }
    };
    // One drain of a fresh fill, timed; checks that every record arrived.
    auto timed = [&](std::vector<double>& out, const std::function<uint64_t()>& drain) {
      fill();
      const double t0 = bench::thread_cpu_ns();
      const uint64_t got = drain();
      const double t1 = bench::thread_cpu_ns();
      if (got != per_fill) {
        std::fprintf(stderr, "consumed %llu of %llu records\n", static_cast<unsigned long long>(got),
                     static_cast<unsigned long long>(per_fill));
        return false;
      }
      out.push_back((t1 - t0) / static_cast<double>(got));
      return true;
    };
    std::vector<double> floor_ns, lib_ns, our_ns, batch_ns;
    const std::vector<std::function<bool()>> contenders = {
        [&] { return timed(floor_ns, [&] { return raw.consume(); }); },
        [&] { return timed(lib_ns, [&] { return static_cast<uint64_t>(lib_consume(theirs)); }); },
        [&] { return timed(our_ns, [&] { return static_cast<uint64_t>(ring_buffer__consume(ours)); }); },
        [&] {
          return timed(batch_ns, [&] {
            const int64_t got = reader->consume(
                [](const void* data, size_t len) { g_sink += *static_cast<const uint64_t*>(data) + len; });
            return got < 0 ? 0 : static_cast<uint64_t>(got);
          });
        }
    };
    const std::vector<double> medians =
        bench::warm_then_medians(rounds, contenders, {&floor_ns, &lib_ns, &our_ns, &batch_ns});
    if (medians.empty()) return 1;
    const double fl = medians[0], lb = medians[1], ox = medians[2], bt = medians[3];
    std::printf("%4d B    %8.2f %8.2f %8.2f %8.2f   %11.2fx %10.2fx %10.2fx %10.2fx\n", size, fl, lb, ox, bt,
                ox / lb, ox / fl, bt / fl, bt / ox);
  }
  std::printf("records lost: %llu\n", static_cast<unsigned long long>(ctl->failures));
  lib_free(theirs);
  ring_buffer__free(ours);
  return g_sink == 42 ? 2 : 0;  // keeps g_sink alive
}
