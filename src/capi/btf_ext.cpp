// The extern "C" functions of <bpf/btf.h> for struct btf_ext.
#include <bpf/btf.h>
#include <bpf/libbpf_legacy.h>

#include "btf/ext.h"
#include "capi/errors.h"

#include <cerrno>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;

extern "C" {

struct btf_ext* btf_ext__new(const __u8* data, __u32 size) {
  return bpfxx::capi::guard_ptr<struct btf_ext>([&]() -> struct btf_ext* {
    if (data == nullptr) return err_ptr<struct btf_ext>(-EINVAL);
    auto r = btf_ext::parse({data, size});
    if (!r) return err_ptr<struct btf_ext>(-r.error());
    return r->release();
  });
}

void btf_ext__free(struct btf_ext* btf_ext) { delete btf_ext; }

const void* btf_ext__raw_data(const struct btf_ext* btf_ext, __u32* size) {
  return bpfxx::capi::guard_ptr<const void>([&]() -> const void* {
    if (btf_ext == nullptr) return err_ptr<const void>(-EINVAL);
    auto raw = btf_ext->raw_data();
    if (size != nullptr) *size = static_cast<__u32>(raw.size());
    return raw.data();
  });
}

// Older name of btf_ext__raw_data() (<bpf/libbpf_legacy.h>).
const void* btf_ext__get_raw_data(
    const struct btf_ext* btf_ext, __u32* size) {
  return btf_ext__raw_data(btf_ext, size);
}

enum btf_endianness btf_ext__endianness(const struct btf_ext* btf_ext) {
  return btf_ext == nullptr ? BTF_LITTLE_ENDIAN : btf_ext->endianness();
}

int btf_ext__set_endianness(struct btf_ext* btf_ext, enum btf_endianness endian) {
  if (btf_ext == nullptr) return err(-EINVAL);
  return err(btf_ext->set_endianness(endian));
}

}  // extern "C"
