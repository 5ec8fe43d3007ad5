#include "buffers/perf_buffer.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"
#include "sys/cpus.h"
#include "sys/kernel.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>

using bpfxx::fail;
using bpfxx::Result;
using bpfxx::buffers::Mapping;

namespace {

// The record layouts of the two kinds the default handler knows.
struct SampleRecord {
  perf_event_header header;
  uint32_t size;
  uint8_t data[];
};
struct LostRecord {
  perf_event_header header;
  uint64_t id;
  uint64_t lost;
};

int map_update(int map_fd, int key, int value) {
  union bpf_attr attr {};
  attr.map_fd = static_cast<__u32>(map_fd);
  attr.key = reinterpret_cast<uintptr_t>(&key);
  attr.value = reinterpret_cast<uintptr_t>(&value);
  attr.flags = BPF_ANY;
  return static_cast<int>(bpfxx::sys::bpf(BPF_MAP_UPDATE_ELEM, &attr, BPFXX_ATTR_SIZE(flags)));
}

void map_delete(int map_fd, int key) {
  union bpf_attr attr {};
  attr.map_fd = static_cast<__u32>(map_fd);
  attr.key = reinterpret_cast<uintptr_t>(&key);
  (void)bpfxx::sys::bpf(BPF_MAP_DELETE_ELEM, &attr, BPFXX_ATTR_SIZE(flags));
}

}  // namespace

Result<std::unique_ptr<perf_buffer>> perf_buffer::open(const Params& p) {
  if (p.page_cnt == 0 || (p.page_cnt & (p.page_cnt - 1)) != 0)
    return fail(EINVAL, "perf buffer: page count " + std::to_string(p.page_cnt) + " is not a power of two");
  auto info = bpfxx::buffers::map_info(p.map_fd);
  if (!info) return info.failure();
  if (info->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
    return fail(EINVAL, "map fd " + std::to_string(p.map_fd) + " ('" + info->name + "') is of type " +
                            std::to_string(info->type) + ", not BPF_MAP_TYPE_PERF_EVENT_ARRAY");
  const size_t page = bpfxx::buffers::page_size();
  if (p.page_cnt > SIZE_MAX / page - 1) return fail(E2BIG, "perf buffer: page count too large");

  std::unique_ptr<perf_buffer> pb(new perf_buffer());
  auto dup = bpfxx::buffers::dup_map_fd(p.map_fd, "perf event array map");
  if (!dup) return dup.failure();
  pb->map_fd_ = std::move(*dup);
  auto ep = bpfxx::buffers::new_epoll();
  if (!ep) return ep.failure();
  pb->epoll_fd_ = std::move(*ep);
  pb->data_size_ = p.page_cnt * page;
  pb->event_cb_ = p.event_cb;
  pb->sample_cb_ = p.sample_cb;
  pb->lost_cb_ = p.lost_cb;
  pb->ctx_ = p.ctx;
  pb->scratch_ = std::make_unique<uint8_t[]>(bpfxx::buffers::kPerfScratchSize);

  if (p.cpu_cnt > 0) {
    pb->bufs_.resize(static_cast<size_t>(p.cpu_cnt));
    for (int i = 0; i < p.cpu_cnt; ++i) {
      auto r = pb->open_cpu(static_cast<size_t>(i), p.cpus[i], p.map_keys[i], p.attr);
      if (!r) return r.failure();
    }
  } else {
    auto possible = bpfxx::sys::num_possible_cpus();
    if (!possible) return possible.failure();
    auto online = bpfxx::sys::online_cpus();
    if (!online) return online.failure();
    size_t cnt = static_cast<size_t>(*possible);
    if (info->max_entries != 0 && info->max_entries < cnt) cnt = info->max_entries;
    pb->bufs_.resize(cnt);
    for (size_t cpu = 0; cpu < cnt; ++cpu) {
      if (cpu >= online->size() || !(*online)[cpu]) continue;
      auto r = pb->open_cpu(cpu, static_cast<int>(cpu), static_cast<int>(cpu), p.attr);
      if (!r) return r.failure();
    }
  }
  pb->events_.resize(pb->bufs_.empty() ? 1 : pb->bufs_.size());
  return pb;
}

Result<void> perf_buffer::open_cpu(size_t slot, int cpu, int map_key, perf_event_attr* attr) {
  auto buf = std::make_unique<CpuBuffer>();
  buf->cpu = cpu;
  buf->map_key = map_key;
  const std::string where = "perf buffer: CPU " + std::to_string(cpu) + " (map key " + std::to_string(map_key) + ")";
  int fd = bpfxx::sys::kernel().perf_event_open(attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return fail(-fd, where + ": perf_event_open failed: " + std::strerror(-fd));
  fd = bpfxx::sys::ensure_good_fd(fd);
  if (fd < 0) return fail(-fd, where + ": could not move the perf event fd");
  buf->fd = bpfxx::UniqueFd(fd);
  auto m =
      Mapping::map_shared(fd, data_size_ + bpfxx::buffers::page_size(), PROT_READ | PROT_WRITE, 0, "perf event ring");
  if (!m) return fail(m.error(), where + ": " + m.message());
  buf->mapping = std::move(*m);
  int rc = bpfxx::sys::kernel().ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
  if (rc < 0) return fail(-rc, where + ": PERF_EVENT_IOC_ENABLE failed: " + std::strerror(-rc));
  rc = map_update(map_fd_.get(), map_key, fd);
  if (rc < 0) return fail(-rc, where + ": storing the perf event fd in the map failed: " + std::strerror(-rc));
  rc = bpfxx::buffers::epoll_add(epoll_fd_.get(), fd, EPOLLIN, slot);
  if (rc < 0) {
    map_delete(map_fd_.get(), map_key);
    return fail(-rc, where + ": adding the perf event fd to epoll failed: " + std::strerror(-rc));
  }
  bufs_[slot] = std::move(buf);
  return {};
}

perf_buffer::~perf_buffer() {
  for (auto& b : bufs_)
    if (b) map_delete(map_fd_.get(), b->map_key);
}

// Everything but a well-formed sample: loss reports, malformed samples,
// unknown record types. Kept out of line so the sample path stays short.
__attribute__((noinline, cold)) int perf_buffer::handle_other(int cpu, perf_event_header* event,
                                                              uint64_t size) noexcept {
  switch (event->type) {
    case PERF_RECORD_SAMPLE: {
      const auto* s = reinterpret_cast<const SampleRecord*>(event);
      const uint32_t raw = size >= sizeof(SampleRecord) ? s->size : 0;
      BPFXX_WARN("perf buffer: CPU %d: sample of %u bytes in a record of %u bytes, skipped\n", cpu, raw,
                 static_cast<unsigned>(size));
      return LIBBPF_PERF_EVENT_CONT;
    }
    case PERF_RECORD_LOST: {
      if (size < sizeof(LostRecord)) {
        BPFXX_WARN("perf buffer: CPU %d: loss record of %u bytes, skipped\n", cpu, static_cast<unsigned>(size));
        return LIBBPF_PERF_EVENT_CONT;
      }
      const auto* l = reinterpret_cast<const LostRecord*>(event);
      if (lost_cb_ != nullptr) lost_cb_(ctx_, cpu, l->lost);
      return LIBBPF_PERF_EVENT_CONT;
    }
    default:
      BPFXX_WARN("perf buffer: CPU %d: unknown record type %u\n", cpu, event->type);
      return LIBBPF_PERF_EVENT_ERROR;
  }
}

int perf_buffer::process(CpuBuffer& buf) noexcept {
  auto* ctl = static_cast<perf_event_mmap_page*>(buf.mapping.get());
  const uint8_t* data = static_cast<const uint8_t*>(buf.mapping.get()) + bpfxx::buffers::page_size();
  const uint64_t head = __atomic_load_n(&ctl->data_head, __ATOMIC_ACQUIRE);
  const uint64_t tail = ctl->data_tail;
  if (head == tail) return 0;
  const int cpu = buf.cpu;
  void* const ctx = ctx_;
  bpfxx::buffers::PerfReadResult res;
  if (event_cb_ != nullptr) {
    const perf_buffer_event_fn event_cb = event_cb_;
    res = bpfxx::buffers::read_perf_records(
        data, data_size_, head, tail, scratch_.get(), LIBBPF_PERF_EVENT_CONT,
        [event_cb, ctx, cpu](perf_event_header* e, uint64_t) { return static_cast<int>(event_cb(ctx, cpu, e)); });
  } else {
    // Callback and context in locals: the callback cannot change them, and
    // the compiler need not reload them after each call.
    const perf_buffer_sample_fn sample_cb = sample_cb_;
    res = bpfxx::buffers::read_perf_records(data, data_size_, head, tail, scratch_.get(), LIBBPF_PERF_EVENT_CONT,
                                            [this, sample_cb, ctx, cpu](perf_event_header* e, uint64_t size) {
                                              auto* s = reinterpret_cast<SampleRecord*>(e);
                                              if (e->type == PERF_RECORD_SAMPLE && size >= sizeof(SampleRecord) &&
                                                  s->size <= size - sizeof(SampleRecord)) [[likely]] {
                                                if (sample_cb != nullptr) sample_cb(ctx, cpu, s->data, s->size);
                                                return static_cast<int>(LIBBPF_PERF_EVENT_CONT);
                                              }
                                              return handle_other(cpu, e, size);
                                            });
  }
  __atomic_store_n(&ctl->data_tail, res.tail, __ATOMIC_RELEASE);
  if (res.status == bpfxx::buffers::PerfReadStatus::kCorrupt) {
    if (!warned_corrupt_)
      BPFXX_WARN("perf buffer: CPU %d: corrupt record header in the ring, dropped what was left\n", cpu);
    warned_corrupt_ = true;
    return -EINVAL;
  }
  if (res.status == bpfxx::buffers::PerfReadStatus::kStopped) return res.callback_ret;
  return 0;
}

int perf_buffer::poll(int timeout_ms) noexcept {
  const int ready =
      bpfxx::buffers::epoll_wait(epoll_fd_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
  if (ready < 0) return ready;
  for (int i = 0; i < ready; ++i) {
    const uint64_t slot = events_[static_cast<size_t>(i)].data.u64;
    if (slot >= bufs_.size() || !bufs_[slot]) continue;
    const int rc = process(*bufs_[slot]);
    if (rc != 0) {
      BPFXX_WARN("perf buffer: error %d while processing records\n", rc);
      return rc;
    }
  }
  return ready;
}

int perf_buffer::consume() noexcept {
  for (auto& b : bufs_) {
    if (!b) continue;
    const int rc = process(*b);
    if (rc != 0) {
      BPFXX_WARN("perf buffer: error %d while processing records\n", rc);
      return rc;
    }
  }
  return 0;
}

int perf_buffer::consume_buffer(size_t idx) noexcept {
  if (idx >= bufs_.size()) return -EINVAL;
  if (!bufs_[idx]) return -ENOENT;
  return process(*bufs_[idx]);
}

int perf_buffer::buffer_fd(size_t idx) const noexcept {
  if (idx >= bufs_.size()) return -EINVAL;
  if (!bufs_[idx]) return -ENOENT;
  return bufs_[idx]->fd.get();
}

int perf_buffer::buffer(size_t idx, void** buf, size_t* buf_size) const noexcept {
  if (idx >= bufs_.size()) return -EINVAL;
  if (!bufs_[idx]) return -ENOENT;
  *buf = bufs_[idx]->mapping.get();
  *buf_size = data_size_;
  return 0;
}
