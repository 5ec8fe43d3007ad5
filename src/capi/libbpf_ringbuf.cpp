// The C API of the BPF ring buffer consumer and the user ring buffer
// producer: argument checks, opts, errno. The work is in src/buffers/.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "buffers/ring_buffer.h"
#include "buffers/user_ring_buffer.h"
#include "capi/errors.h"
#include "capi/opts.h"

#include <cerrno>
#include <climits>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;
using bpfxx::capi::guard_ptr;


struct ring_buffer* ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, void* ctx,
                                     const struct ring_buffer_opts* opts) {
  return guard_ptr<ring_buffer>([&]() -> ring_buffer* {
    if (!BPFXX_OPTS_VALID(opts, ring_buffer_opts)) return err_ptr<ring_buffer>(-EINVAL);
    if (sample_cb == nullptr) {
      BPFXX_WARN("ring_buffer__new: map fd %d: sample callback is NULL\n", map_fd);
      return err_ptr<ring_buffer>(-EINVAL);
    }
    auto rb = ring_buffer::create();
    if (!rb) {
      BPFXX_WARN("ring_buffer__new: %s\n", rb.message().c_str());
      return err_ptr<ring_buffer>(-rb.error());
    }
    auto added = (*rb)->add(map_fd, sample_cb, ctx);
    if (!added) {
      BPFXX_WARN("ring_buffer__new: %s\n", added.message().c_str());
      return err_ptr<ring_buffer>(-added.error());
    }
    return rb->release();
  });
}

void ring_buffer__free(struct ring_buffer* rb) { delete rb; }

int ring_buffer__add(struct ring_buffer* rb, int map_fd, ring_buffer_sample_fn sample_cb, void* ctx) {
  return guard([&]() -> int {
    if (rb == nullptr || sample_cb == nullptr) {
      BPFXX_WARN("ring_buffer__add: map fd %d: %s is NULL\n", map_fd, rb == nullptr ? "ring buffer" : "sample callback");
      return err(-EINVAL);
    }
    auto added = rb->add(map_fd, sample_cb, ctx);
    if (!added) {
      BPFXX_WARN("ring_buffer__add: %s\n", added.message().c_str());
      return err(-added.error());
    }
    return 0;
  });
}

int ring_buffer__poll(struct ring_buffer* rb, int timeout_ms) {
  if (rb == nullptr) return err(-EINVAL);
  return err(rb->poll(timeout_ms));
}

int ring_buffer__consume(struct ring_buffer* rb) {
  if (rb == nullptr) return err(-EINVAL);
  return err(rb->consume_n(static_cast<size_t>(INT_MAX)));
}

int ring_buffer__consume_n(struct ring_buffer* rb, size_t n) {
  if (rb == nullptr) return err(-EINVAL);
  return err(rb->consume_n(n));
}

int ring_buffer__epoll_fd(const struct ring_buffer* rb) {
  if (rb == nullptr) return err(-EINVAL);
  return rb->epoll_fd();
}

struct ring* ring_buffer__ring(struct ring_buffer* rb, unsigned int idx) {
  if (rb == nullptr) return err_ptr<ring>(-EINVAL);
  ring* r = rb->ring_at(idx);
  return r != nullptr ? r : err_ptr<ring>(-ENOENT);
}

unsigned long ring__consumer_pos(const struct ring* r) { return r == nullptr ? 0 : r->consumer_pos(); }

unsigned long ring__producer_pos(const struct ring* r) { return r == nullptr ? 0 : r->producer_pos(); }

size_t ring__avail_data_size(const struct ring* r) {
  if (r == nullptr) return 0;
  const uint64_t cons = r->consumer_pos();
  return static_cast<size_t>(r->producer_pos() - cons);
}

size_t ring__size(const struct ring* r) { return r == nullptr ? 0 : r->size(); }

int ring__map_fd(const struct ring* r) { return r == nullptr ? err(-EINVAL) : r->map_fd(); }

int ring__consume(struct ring* r) {
  if (r == nullptr) return err(-EINVAL);
  return err(r->consume_n(static_cast<size_t>(INT_MAX)));
}

int ring__consume_n(struct ring* r, size_t n) {
  if (r == nullptr) return err(-EINVAL);
  return err(r->consume_n(n));
}

struct user_ring_buffer* user_ring_buffer__new(int map_fd, const struct user_ring_buffer_opts* opts) {
  return guard_ptr<user_ring_buffer>([&]() -> user_ring_buffer* {
    if (!BPFXX_OPTS_VALID(opts, user_ring_buffer_opts)) return err_ptr<user_ring_buffer>(-EINVAL);
    auto rb = user_ring_buffer::open(map_fd);
    if (!rb) {
      BPFXX_WARN("user_ring_buffer__new: %s\n", rb.message().c_str());
      return err_ptr<user_ring_buffer>(-rb.error());
    }
    return rb->release();
  });
}

void* user_ring_buffer__reserve(struct user_ring_buffer* rb, __u32 size) {
  if (rb == nullptr) return err_ptr(-EINVAL);
  int e = 0;
  void* sample = rb->reserve(size, &e);
  return sample != nullptr ? sample : err_ptr(-e);
}

void* user_ring_buffer__reserve_blocking(struct user_ring_buffer* rb, __u32 size, int timeout_ms) {
  if (rb == nullptr) return err_ptr(-EINVAL);
  if (timeout_ms < -1) {
    BPFXX_WARN("user_ring_buffer__reserve_blocking: timeout %d ms: must be -1 (forever) or >= 0\n", timeout_ms);
    return err_ptr(-EINVAL);
  }
  int e = 0;
  void* sample = rb->reserve_blocking(size, timeout_ms, &e);
  return sample != nullptr ? sample : err_ptr(-e);
}

void user_ring_buffer__submit(struct user_ring_buffer* rb, void* sample) {
  if (rb != nullptr && sample != nullptr) rb->submit(sample);
}

void user_ring_buffer__discard(struct user_ring_buffer* rb, void* sample) {
  if (rb != nullptr && sample != nullptr) rb->discard(sample);
}

void user_ring_buffer__free(struct user_ring_buffer* rb) { delete rb; }
