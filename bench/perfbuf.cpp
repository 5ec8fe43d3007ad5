// Perf buffer consumption, user-space cost per record, beside Debian's
// libbpf in the same run: a BPF program run on CPU 0 fills that CPU's ring
// (not timed), then one consumer drains it (timed). Contenders: a minimal
// hand-written loop over the mmapped perf ring (the floor), libbpf's
// perf_buffer__consume_buffer, ours, and the header-only batch reader
// (bpfxx::PerfBufferReader: the visitor inlined, no indirect call per
// record). The two libraries' buffers both claim the map's slot for CPU 0,
// which is pointed at the one in use. Each round runs every contender once
// (the first one rotating); the medians over the rounds are printed.
//
// The "lines" column is no consumer: it loads one word from each 64-byte
// line of the same backlog, the memory system's bound for anything that
// reads every record header. When the backlog is larger than the L2 cache
// (the default 4 MiB ring, filled half-way), records of 64 bytes and less
// are bound by it, not by the consumer's instructions.
//
//   bench_perfbuf [ROUNDS [PAGES]]   (defaults 15 and 1024 pages per CPU
//                                     ring; needs root)
#include "bench_support.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpfxx/detail/page_ahead.hpp>
#include <bpfxx/perf_buffer.hpp>

#include <linux/perf_event.h>
#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct Control {
  uint64_t count;
  uint64_t next_seq;
  uint64_t failures;
};

size_t g_pages = 1024;  // per CPU ring: 4 MiB
uint64_t g_sink = 0;
uint64_t g_seen = 0;
uint64_t g_lost = 0;

void sample_cb(void*, int, void* data, __u32 size) {
  g_sink += *static_cast<const uint64_t*>(data) + size;
  ++g_seen;
}

void lost_cb(void*, int, __u64 cnt) { g_lost += cnt; }

// The floor: walk the records of one perf ring, copying only those that
// run past its end.
uint64_t raw_consume(void* base, size_t data_size) {
  auto* ctl = static_cast<perf_event_mmap_page*>(base);
  const uint8_t* data = static_cast<const uint8_t*>(base) + getpagesize();
  const uint64_t head = __atomic_load_n(&ctl->data_head, __ATOMIC_ACQUIRE);
  uint64_t tail = ctl->data_tail;
  uint64_t n = 0;
  alignas(8) static uint8_t copy[65536];
  while (tail != head) {
    const uint64_t off = tail & (data_size - 1);
    const auto* h = reinterpret_cast<const perf_event_header*>(data + off);
    const uint16_t size = h->size;
    if (off + size > data_size) {
      const size_t first = data_size - off;
      std::memcpy(copy, data + off, first);
      std::memcpy(copy + first, data, size - first);
      h = reinterpret_cast<const perf_event_header*>(copy);
    }
    if (h->type == PERF_RECORD_SAMPLE) {
      const auto* raw_size = reinterpret_cast<const uint32_t*>(h + 1);
      g_sink += *reinterpret_cast<const uint64_t*>(raw_size + 1) + *raw_size;
      ++n;
    }
    tail += size;
  }
  __atomic_store_n(&ctl->data_tail, tail, __ATOMIC_RELEASE);
  return n;
}

// The bound: one load per 64-byte line of the published bytes, with the
// readers' page-ahead prefetch. Reads no headers, so it returns `records`
// (what the fill made) and the record count check does not apply to it.
uint64_t touch_lines(void* base, size_t data_size, uint64_t records) {
  auto* ctl = static_cast<perf_event_mmap_page*>(base);
  const uint8_t* data = static_cast<const uint8_t*>(base) + getpagesize();
  const uint64_t head = __atomic_load_n(&ctl->data_head, __ATOMIC_ACQUIRE);
  const uint64_t mask = data_size - 1;
  uint64_t sum = 0;
  for (uint64_t pos = ctl->data_tail & ~uint64_t{63}; pos < head; pos += 64) {
    bpfxx::detail::prefetch_pages_ahead(data, mask, pos - 64, pos);
    uint64_t word;
    std::memcpy(&word, data + (pos & mask), sizeof(word));
    sum += word;
  }
  g_sink += sum;
  __atomic_store_n(&ctl->data_tail, head, __ATOMIC_RELEASE);
  return records;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  if (argc > 2) g_pages = std::strtoul(argv[2], nullptr, 0);
  if (rounds <= 0 || g_pages == 0 || (g_pages & (g_pages - 1)) != 0) {
    std::fprintf(stderr, "usage: %s [ROUNDS [PAGES (a power of two)]]\n", argv[0]);
    return 2;
  }
  // Producer (test_run on CPU 0) and consumer on one CPU: the records are
  // in this core's cache, so the figures are the consumer's own cost, not
  // cache-line transfers between cores.
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  if (sched_setaffinity(0, sizeof(set), &set) != 0) std::perror("sched_setaffinity");
  bench::Libbpf lib;
  auto lib_new = lib.get("perf_buffer__new", &perf_buffer__new);
  auto lib_consume_buffer = lib.get("perf_buffer__consume_buffer", &perf_buffer__consume_buffer);
  auto lib_free = lib.get("perf_buffer__free", &perf_buffer__free);
  auto lib_buffer_fd = lib.get("perf_buffer__buffer_fd", &perf_buffer__buffer_fd);

  bench::LibbpfObject obj(lib, std::string(BPFXX_TEST_PROGS_DIR) + "/perfbuf_bench.bpf.o");
  auto* ctl = static_cast<volatile Control*>(obj.bss());
  const int map_fd = obj.map_fd("events");
  const size_t data_size = g_pages * static_cast<size_t>(getpagesize());

  std::printf("perf buffer: user-space ns per record, medians of %d rounds (fills of half a %zu KiB CPU ring)\n",
              rounds, data_size / 1024);
  std::printf("%-9s %8s %8s %8s %8s %8s   %s\n", "record", "lines", "floor", "libbpf", "bpfxx", "batch",
              "bpfxx/libbpf batch/libbpf batch/floor");
  for (int size : {16, 64, 512}) {
    const int prog_fd = obj.prog_fd("send" + std::to_string(size));
    const uint64_t footprint = (8 + 4 + static_cast<uint64_t>(size) + 7) & ~uint64_t{7};
    const uint64_t per_fill = data_size / 2 / footprint;
    auto fill = [&] {
      for (uint64_t left = per_fill; left > 0;) {
        const uint64_t now = left < 1024 ? left : 1024;
        ctl->count = now;
        LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = 0);
        if (bpf_prog_test_run_opts(prog_fd, &opts) != 0 || ctl->failures != 0) {
          std::fprintf(stderr, "fill failed\n");
          std::exit(1);
        }
        left -= now;
      }
    };
    // Both libraries' buffers live through all rounds (a fresh perf
    // mapping takes a page fault per page on first touch, which would
    // swamp the consumer's own cost); map slot 0 is pointed at the event
    // of the library whose turn it is.
    perf_buffer* theirs = lib_new(map_fd, g_pages, sample_cb, lost_cb, nullptr, nullptr);
    perf_buffer* ours = perf_buffer__new(map_fd, g_pages, sample_cb, lost_cb, nullptr, nullptr);
    if (theirs == nullptr || ours == nullptr) {
      std::fprintf(stderr, "perf_buffer__new failed\n");
      return 1;
    }
    auto reader = bpfxx::PerfBufferReader::open(ours);
    if (!reader) {
      std::fprintf(stderr, "PerfBufferReader::open: %s\n", reader.message().c_str());
      return 1;
    }
    const int their_fd = lib_buffer_fd(theirs, 0), our_fd = perf_buffer__buffer_fd(ours, 0);
    auto select = [&](int fd) {
      const int key = 0;
      if (bpf_map_update_elem(map_fd, &key, &fd, BPF_ANY) != 0) {
        std::perror("bpf_map_update_elem");
        std::exit(1);
      }
    };
    void* base = nullptr;
    size_t buf_size = 0;
    perf_buffer__buffer(ours, 0, &base, &buf_size);
    std::vector<double> lines_ns, floor_ns, lib_ns, our_ns, batch_ns;
    // One fill of the selected event's ring, drained and timed.
    auto timed = [&](int fd, std::vector<double>& out, const std::function<uint64_t()>& drain) {
      select(fd);
      fill();
      const double t0 = bench::thread_cpu_ns();
      const uint64_t got = drain();
      const double t1 = bench::thread_cpu_ns();
      if (got != per_fill || g_lost != 0) {
        std::fprintf(stderr, "consumed %llu of %llu records, %llu lost\n", static_cast<unsigned long long>(got),
                     static_cast<unsigned long long>(per_fill), static_cast<unsigned long long>(g_lost));
        return false;
      }
      out.push_back((t1 - t0) / static_cast<double>(got));
      return true;
    };
    const std::vector<std::function<bool()>> contenders = {
        [&] { return timed(our_fd, lines_ns, [&] { return touch_lines(base, buf_size, per_fill); }); },
        [&] { return timed(our_fd, floor_ns, [&] { return raw_consume(base, buf_size); }); },
        [&] {
          return timed(their_fd, lib_ns, [&] {
            const uint64_t before = g_seen;
            lib_consume_buffer(theirs, 0);
            return g_seen - before;
          });
        },
        [&] {
          return timed(our_fd, our_ns, [&] {
            const uint64_t before = g_seen;
            perf_buffer__consume_buffer(ours, 0);
            return g_seen - before;
          });
        },
        [&] {
          return timed(our_fd, batch_ns, [&] {
            const int64_t got = reader->consume_buffer(
                0, [](const void* data, uint32_t len) { g_sink += *static_cast<const uint64_t*>(data) + len; },
                [](uint64_t lost) { g_lost += lost; });
            return got < 0 ? 0 : static_cast<uint64_t>(got);
          });
        }};
    const std::vector<double> medians =
        bench::warm_then_medians(rounds, contenders, {&lines_ns, &floor_ns, &lib_ns, &our_ns, &batch_ns});
    lib_free(theirs);
    perf_buffer__free(ours);
    if (medians.empty()) return 1;
    const double ln = medians[0], fl = medians[1], lb = medians[2], ox = medians[3], bt = medians[4];
    std::printf("%4d B    %8.2f %8.2f %8.2f %8.2f %8.2f   %11.2fx %11.2fx %10.2fx\n", size, ln, fl, lb, ox, bt, ox / lb,
                bt / lb, bt / fl);
  }
  std::printf("records lost: %llu\n", static_cast<unsigned long long>(g_lost + ctl->failures));
  return g_sink == 42 ? 2 : 0;
}
