// bpf_object__prepare() / bpf_object__load(): the steps of load.h in order,
// with everything released when one fails.
#include "object/load.h"

#include "base/log.h"
#include "object/externs.h"
#include "object/struct_ops.h"
#include "sys/kernel.h"
#include "sys/memlock.h"

namespace bpfxx::object {
namespace {

Result<void> run_prepare_steps(bpf_object& obj) {
  // Old kernels charge maps and programs to RLIMIT_MEMLOCK.
  sys::bump_memlock_rlimit();
  if (auto r = prepare_token(obj); !r) return r;
  if (auto r = prepare_struct_ops(obj); !r) return r;
  if (auto r = upload_btf(obj); !r) return r;
  if (auto r = resolve_externs(obj); !r) return r;
  if (auto r = relocate_core(obj); !r) return r;
  if (auto r = create_maps(obj); !r) return r;
  if (auto r = link_programs(obj); !r) return r;
  return {};
}

}  // namespace

// Runs step; whatever way it fails -- a failed Result or an exception such
// as bad_alloc -- what the load created is released and the object is left
// in the loaded state (no second attempt), like libbpf's failed load.
template <class Step>
Result<void> all_or_nothing(bpf_object& obj, Step&& step) {
  Result<void> r;
  try {
    r = step();
  } catch (...) {
    release(obj);
    obj.state = State::kLoaded;
    throw;
  }
  if (!r) {
    release(obj);
    obj.state = State::kLoaded;
  }
  return r;
}

Result<void> prepare(bpf_object& obj) {
  if (obj.state != State::kOpened) {
    BPFXX_WARN("object '%s': already %s\n", obj.name.c_str(),
               obj.state == State::kLoaded ? "loaded" : "prepared");
    return fail(EINVAL, obj.name + ": already prepared");
  }
  Result<void> r = all_or_nothing(obj, [&] { return run_prepare_steps(obj); });
  if (r) obj.state = State::kPrepared;
  return r;
}

Result<void> load(bpf_object& obj) {
  if (obj.state == State::kLoaded) {
    BPFXX_WARN("object '%s': already loaded\n", obj.name.c_str());
    return fail(EINVAL, obj.name + ": already loaded");
  }
  if (obj.state == State::kOpened) {
    if (auto r = prepare(obj); !r) return r;
  }
  Result<void> r = all_or_nothing(obj, [&]() -> Result<void> {
    if (auto s = load_programs(obj); !s) return s;
    if (auto s = fill_struct_ops_values(obj); !s) return s;
    return fill_prog_slots(obj);
  });
  obj.state = State::kLoaded;
  return r;
}

void release(bpf_object& obj) {
  sys::Kernel& k = sys::kernel();
  for (auto& p : obj.programs) {
    if (p->fd >= 0) k.close(p->fd);
    p->fd = -1;
    if (p->attach_btf_obj_fd >= 0) k.close(p->attach_btf_obj_fd);
    p->attach_btf_obj_fd = -1;
  }
  release_maps(obj);
  release_externs(obj);
  if (obj.btf_data && btf__fd(obj.btf_data.get()) >= 0) {
    k.close(btf__fd(obj.btf_data.get()));
    btf__set_fd(obj.btf_data.get(), -1);
  }
  if (obj.token_fd > 0) k.close(obj.token_fd);
  obj.token_fd = -1;
}

}  // namespace bpfxx::object
