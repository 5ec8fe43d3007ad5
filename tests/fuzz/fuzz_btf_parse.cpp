// libFuzzer target: raw BTF parsing and every query over what it accepts.
//
// Whatever the bytes, parsing either fails cleanly or yields an object on
// which every query terminates without a fault; what it accepts survives
// a write -> parse round trip unchanged, as plain and as split BTF.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/load.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

void exercise(struct btf* b) {
  const __u32 cnt = btf__type_cnt(b);
  const __u32 limit = cnt < 4096 ? cnt : 4096;  // bound the work per input
  for (__u32 id = 0; id < limit; id++) {
    const btf_type* t = btf__type_by_id(b, id);
    if (t == nullptr) std::abort();
    (void)btf__resolve_size(b, id);
    (void)btf__resolve_type(b, id);
    (void)btf__align_of(b, id);
    const char* name = btf__name_by_offset(b, t->name_off);
    if (name == nullptr) std::abort();  // validated: every name offset is good
    if (*name != 0) {
      const int found = btf__find_by_name_kind(b, name, btf_kind(t));
      if (found < 0 || static_cast<__u32>(found) > id) std::abort();  // first match wins
    }
  }
  (void)btf__type_by_id(b, cnt);
  (void)btf__pointer_size(b);
  (void)bpfxx::btf::sanitize(*b, bpfxx::btf::SanitizeNeeds{true, false, true, false, true, true,
                                                            true, true});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  libbpf_set_print(quiet);
  struct btf* b = btf__new(data, static_cast<__u32>(size));
  if (b == nullptr) return 0;
  exercise(b);

  // Round trip: what we write back parses to the same bytes.
  __u32 raw_size = 0;
  const void* raw = btf__raw_data(b, &raw_size);
  if (raw == nullptr) std::abort();
  struct btf* again = btf__new(raw, raw_size);
  if (again == nullptr) std::abort();
  __u32 size2 = 0;
  const void* raw2 = btf__raw_data(again, &size2);
  if (size2 != raw_size || std::memcmp(raw, raw2, size2) != 0) std::abort();

  // The same bytes as split BTF over the accepted object, then modified.
  struct btf* split = btf__new_split(data, static_cast<__u32>(size), b);
  if (split != nullptr) {
    exercise(split);
    btf__free(split);
  }
  if (btf__add_int(again, "fuzz_int", 4, 0) < 0) std::abort();
  if (btf__add_btf(again, b) < 0 && btf__base_btf(b) == nullptr) std::abort();
  exercise(again);
  btf__free(again);
  btf__free(b);
  return 0;
}
