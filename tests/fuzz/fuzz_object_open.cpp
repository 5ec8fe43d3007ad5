// libFuzzer target: bpf_object__open_mem over arbitrary bytes must open or
// fail cleanly; an opened object is walked through its getters.
#include <bpf/libbpf.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (libbpf_set_print(nullptr), true);
  (void)quiet;
  if (size == 0) return 0;
  bpf_object* obj = bpf_object__open_mem(data, size, nullptr);
  if (obj == nullptr) return 0;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    const bpf_insn* insns = bpf_program__insns(prog);
    size_t n = bpf_program__insn_cnt(prog);
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < n; i++) sink = sink + insns[i].code;
    (void)bpf_program__section_name(prog);
    (void)bpf_program__type(prog);
  }
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    size_t sz = 0;
    const auto* v = static_cast<const uint8_t*>(bpf_map__initial_value(map, &sz));
    volatile uint8_t sink = 0;
    for (size_t i = 0; v != nullptr && i < sz; i++) sink = sink + v[i];
    (void)bpf_map__name(map);
    (void)bpf_map__inner_map(map);
  }
  bpf_object__close(obj);
  return 0;
}
