// The C API of the perf buffer consumer: argument checks, opts, the perf
// event attributes of perf_buffer__new(), errno. The work is in
// src/buffers/perf_buffer.cpp.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "buffers/perf_buffer.h"
#include "capi/errors.h"
#include "capi/opts.h"

#include <linux/perf_event.h>

#include <cerrno>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard_ptr;

namespace {

perf_buffer* open_or_warn(const perf_buffer::Params& params, const char* fn) {
  auto pb = perf_buffer::open(params);
  if (!pb) {
    BPFXX_WARN("%s: map fd %d: %s\n", fn, params.map_fd, pb.message().c_str());
    return err_ptr<perf_buffer>(-pb.error());
  }
  return pb->release();
}

}  // namespace

struct perf_buffer* perf_buffer__new(int map_fd, size_t page_cnt, perf_buffer_sample_fn sample_cb,
                                     perf_buffer_lost_fn lost_cb, void* ctx, const struct perf_buffer_opts* opts) {
  return guard_ptr<perf_buffer>([&]() -> perf_buffer* {
    if (!BPFXX_OPTS_VALID(opts, perf_buffer_opts)) return err_ptr<perf_buffer>(-EINVAL);
    __u32 period = BPFXX_OPTS_GET(opts, sample_period, 1u);
    if (period == 0) period = 1;
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_BPF_OUTPUT;
    attr.sample_type = PERF_SAMPLE_RAW;
    attr.sample_period = period;
    attr.wakeup_events = period;
    perf_buffer::Params p;
    p.map_fd = map_fd;
    p.page_cnt = page_cnt;
    p.attr = &attr;
    p.sample_cb = sample_cb;
    p.lost_cb = lost_cb;
    p.ctx = ctx;
    return open_or_warn(p, "perf_buffer__new");
  });
}

struct perf_buffer* perf_buffer__new_raw(int map_fd, size_t page_cnt, struct perf_event_attr* attr,
                                         perf_buffer_event_fn event_cb, void* ctx,
                                         const struct perf_buffer_raw_opts* opts) {
  return guard_ptr<perf_buffer>([&]() -> perf_buffer* {
    if (!BPFXX_OPTS_VALID(opts, perf_buffer_raw_opts)) return err_ptr<perf_buffer>(-EINVAL);
    if (attr == nullptr || event_cb == nullptr) {
      BPFXX_WARN("perf_buffer__new_raw: map fd %d: %s is NULL\n", map_fd,
                 attr == nullptr ? "perf event attr" : "event callback");
      return err_ptr<perf_buffer>(-EINVAL);
    }
    perf_buffer::Params p;
    p.map_fd = map_fd;
    p.page_cnt = page_cnt;
    p.attr = attr;
    p.event_cb = event_cb;
    p.ctx = ctx;
    p.cpu_cnt = BPFXX_OPTS_GET(opts, cpu_cnt, 0);
    p.cpus = BPFXX_OPTS_GET(opts, cpus, nullptr);
    p.map_keys = BPFXX_OPTS_GET(opts, map_keys, nullptr);
    if (p.cpu_cnt < 0 || (p.cpu_cnt > 0 && (p.cpus == nullptr || p.map_keys == nullptr))) {
      BPFXX_WARN("perf_buffer__new_raw: map fd %d: cpu_cnt %d needs both cpus and map_keys arrays\n", map_fd,
                 p.cpu_cnt);
      return err_ptr<perf_buffer>(-EINVAL);
    }
    return open_or_warn(p, "perf_buffer__new_raw");
  });
}

void perf_buffer__free(struct perf_buffer* pb) { delete pb; }

int perf_buffer__epoll_fd(const struct perf_buffer* pb) { return pb == nullptr ? err(-EINVAL) : pb->epoll_fd(); }

int perf_buffer__poll(struct perf_buffer* pb, int timeout_ms) {
  if (pb == nullptr) return err(-EINVAL);
  return err(pb->poll(timeout_ms));
}

int perf_buffer__consume(struct perf_buffer* pb) {
  if (pb == nullptr) return err(-EINVAL);
  return err(pb->consume());
}

int perf_buffer__consume_buffer(struct perf_buffer* pb, size_t buf_idx) {
  if (pb == nullptr) return err(-EINVAL);
  return err(pb->consume_buffer(buf_idx));
}

size_t perf_buffer__buffer_cnt(const struct perf_buffer* pb) { return pb == nullptr ? 0 : pb->buffer_cnt(); }

int perf_buffer__buffer_fd(const struct perf_buffer* pb, size_t buf_idx) {
  if (pb == nullptr) return err(-EINVAL);
  return err(pb->buffer_fd(buf_idx));
}

int perf_buffer__buffer(struct perf_buffer* pb, int buf_idx, void** buf, size_t* buf_size) {
  if (pb == nullptr || buf == nullptr || buf_size == nullptr || buf_idx < 0) return err(-EINVAL);
  return err(pb->buffer(static_cast<size_t>(buf_idx), buf, buf_size));
}
