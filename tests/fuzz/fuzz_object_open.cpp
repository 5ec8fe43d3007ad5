// libFuzzer target: bpf_object__open_mem over arbitrary bytes must open or
// fail cleanly. An opened object is walked through everything that needs
// no kernel: getters, iteration both ways, look-ups by name; a second copy
// of the object then goes through the program and map setters of the
// prepare phase. bpf_object__load is never called (it reaches the kernel).
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

volatile uint8_t g_sink;

void touch(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  uint8_t acc = 0;
  for (size_t i = 0; b != nullptr && i < n; i++) acc = static_cast<uint8_t>(acc + b[i]);
  g_sink = acc;
}

void touch(const char* s) {
  if (s != nullptr) touch(s, std::char_traits<char>::length(s));
}

void walk(bpf_object* obj) {
  touch(bpf_object__name(obj));
  (void)bpf_object__kversion(obj);
  (void)bpf_object__btf_fd(obj);
  (void)bpf_object__token_fd(obj);
  if (const btf* b = bpf_object__btf(obj); b != nullptr) {
    (void)btf__type_cnt(b);
    uint32_t sz = 0;
    touch(btf__raw_data(b, &sz), sz);
  }

  // Forwards, then backwards: both must visit the same programs.
  size_t forward = 0;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    forward++;
    touch(bpf_program__insns(prog), bpf_program__insn_cnt(prog) * sizeof(bpf_insn));
    const char* name = bpf_program__name(prog);
    touch(name);
    touch(bpf_program__section_name(prog));
    (void)bpf_program__type(prog);
    (void)bpf_program__expected_attach_type(prog);
    (void)bpf_program__autoload(prog);
    (void)bpf_program__autoattach(prog);
    (void)bpf_program__flags(prog);
    (void)bpf_program__log_level(prog);
    (void)bpf_program__fd(prog);
    if (bpf_object__find_program_by_name(obj, name) == nullptr) __builtin_trap();
  }
  size_t backward = 0;
  for (prog = bpf_object__prev_program(obj, nullptr); prog != nullptr; prog = bpf_object__prev_program(obj, prog))
    backward++;
  if (forward != backward) __builtin_trap();

  size_t maps_forward = 0;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    maps_forward++;
    size_t sz = 0;
    touch(bpf_map__initial_value(map, &sz), sz);
    const char* name = bpf_map__name(map);
    touch(name);
    touch(bpf_map__pin_path(map));
    (void)bpf_map__type(map);
    (void)bpf_map__key_size(map);
    (void)bpf_map__value_size(map);
    (void)bpf_map__max_entries(map);
    (void)bpf_map__map_flags(map);
    (void)bpf_map__map_extra(map);
    (void)bpf_map__numa_node(map);
    (void)bpf_map__btf_key_type_id(map);
    (void)bpf_map__btf_value_type_id(map);
    (void)bpf_map__is_internal(map);
    (void)bpf_map__is_pinned(map);
    (void)bpf_map__autocreate(map);
    (void)bpf_map__fd(map);
    if (bpf_map* inner = bpf_map__inner_map(map); inner != nullptr) {
      touch(bpf_map__name(inner));
      (void)bpf_map__value_size(inner);
    }
    // Two maps may share a name only in a broken object; the look-up must
    // still answer without crashing.
    (void)bpf_object__find_map_by_name(obj, name);
    (void)bpf_object__find_map_fd_by_name(obj, name);
  }
  size_t maps_backward = 0;
  for (map = bpf_object__prev_map(obj, nullptr); map != nullptr; map = bpf_object__prev_map(obj, map))
    maps_backward++;
  if (maps_forward != maps_backward) __builtin_trap();
  (void)bpf_object__find_program_by_name(obj, "no_such_program");
  (void)bpf_object__find_map_by_name(obj, ".rodata");
}

// Every setter a program may use between open and load, with values taken
// from the object itself so they stay in range half of the time.
void set_everything(bpf_object* obj) {
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    const size_t n = bpf_program__insn_cnt(prog);
    (void)bpf_program__set_type(prog, BPF_PROG_TYPE_SOCKET_FILTER);
    (void)bpf_program__set_expected_attach_type(prog, BPF_CGROUP_INET_INGRESS);
    (void)bpf_program__set_flags(prog, BPF_F_SLEEPABLE);
    (void)bpf_program__set_log_level(prog, 1);
    (void)bpf_program__set_autoload(prog, n % 2 == 0);
    bpf_program__set_autoattach(prog, false);
    if (n > 1) {
      // Drop the last instruction: relocations recorded past the new end
      // must not be followed by anything that runs without a kernel.
      std::vector<bpf_insn> shorter(bpf_program__insns(prog), bpf_program__insns(prog) + n - 1);
      (void)bpf_program__set_insns(prog, shorter.data(), shorter.size());
    }
    touch(bpf_program__insns(prog), bpf_program__insn_cnt(prog) * sizeof(bpf_insn));
  }
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    const uint32_t vs = bpf_map__value_size(map);
    (void)bpf_map__set_max_entries(map, bpf_map__max_entries(map) * 2 + 1);
    (void)bpf_map__set_map_flags(map, bpf_map__map_flags(map) | BPF_F_NO_PREALLOC);
    (void)bpf_map__set_map_extra(map, 7);
    (void)bpf_map__set_numa_node(map, 0);
    (void)bpf_map__set_key_size(map, bpf_map__key_size(map) + 4);
    (void)bpf_map__set_autocreate(map, vs % 2 == 0);
    (void)bpf_map__set_pin_path(map, "/sys/fs/bpf/fuzz_never_used");
    if (bpf_map__is_internal(map)) {
      // Grow then shrink a data map's value: its initial value follows.
      if (vs < (1u << 16)) {
        (void)bpf_map__set_value_size(map, vs + 8);
        size_t sz = 0;
        touch(bpf_map__initial_value(map, &sz), sz);
        std::vector<uint8_t> fill(vs + 8, 0xa5);
        (void)bpf_map__set_initial_value(map, fill.data(), fill.size());
        (void)bpf_map__set_value_size(map, vs > 1 ? vs / 2 : 1);
        touch(bpf_map__initial_value(map, &sz), sz);
      }
    } else {
      (void)bpf_map__set_value_size(map, vs + 4);
      (void)bpf_map__set_type(map, BPF_MAP_TYPE_HASH);
    }
  }
  walk(obj);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (libbpf_set_print(nullptr), true);
  (void)quiet;
  if (size == 0) return 0;
  bpf_object* obj = bpf_object__open_mem(data, size, nullptr);
  if (obj == nullptr) return 0;
  walk(obj);
  bpf_object__close(obj);

  // The object copies its bytes at open: a second object from the same
  // input is independent of the first.
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "fuzz_copy", .relaxed_maps = true);
  bpf_object* copy = bpf_object__open_mem(data, size, &opts);
  if (copy == nullptr) return 0;
  set_everything(copy);
  bpf_object__close(copy);
  return 0;
}
