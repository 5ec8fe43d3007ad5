// libFuzzer target: .BTF.ext parsing. Bad input fails cleanly; accepted
// input has records that all lie inside the data, and its raw bytes come
// back unchanged (and survive a byte-order round trip).
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/ext.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

void check_info(const bpfxx::btf::ExtInfo& info, const uint8_t* lo, const uint8_t* hi) {
  for (const auto& s : info.sections) {
    if (s.num == 0 || s.records < lo) std::abort();
    if (s.records + static_cast<size_t>(s.num) * info.rec_size > hi) std::abort();
    // Read every record (ASan checks each read); the volatile store keeps
    // the loop from being optimised away.
    uint32_t sum = 0;
    for (uint32_t i = 0; i < s.num; i++) sum += *info.record<uint32_t>(s, i);
    volatile uint32_t sink = sum;
    (void)sink;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  libbpf_set_print(quiet);
  struct btf_ext* ext = btf_ext__new(data, static_cast<__u32>(size));
  if (ext == nullptr) return 0;
  __u32 raw_size = 0;
  const auto* raw = static_cast<const uint8_t*>(btf_ext__raw_data(ext, &raw_size));
  if (raw == nullptr || raw_size != size || std::memcmp(raw, data, size) != 0) std::abort();
  // Record views point into the object's host-order copy of the bytes.
  const auto host = ext->host_data();
  check_info(ext->func_info(), host.data(), host.data() + host.size());
  check_info(ext->line_info(), host.data(), host.data() + host.size());
  check_info(ext->core_relo(), host.data(), host.data() + host.size());
  const enum btf_endianness e = btf_ext__endianness(ext);
  if (btf_ext__set_endianness(ext, e == BTF_LITTLE_ENDIAN ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN) != 0)
    std::abort();
  const auto* swapped = static_cast<const uint8_t*>(btf_ext__raw_data(ext, &raw_size));
  std::vector<uint8_t> copy(swapped, swapped + raw_size);
  struct btf_ext* back = btf_ext__new(copy.data(), static_cast<__u32>(copy.size()));
  if (back == nullptr) std::abort();
  if (btf_ext__set_endianness(back, e) != 0) std::abort();
  raw = static_cast<const uint8_t*>(btf_ext__raw_data(back, &raw_size));
  if (raw_size != size || std::memcmp(raw, data, size) != 0) std::abort();
  btf_ext__free(back);
  btf_ext__free(ext);
  return 0;
}
