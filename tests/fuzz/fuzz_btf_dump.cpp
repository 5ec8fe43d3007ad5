// libFuzzer target: raw BTF parsed, then dumped whole as C, every type's
// declaration emitted, and every type's data printed from the input bytes
// themselves. Nothing may crash, hang or read out of bounds, whatever the
// parser lets through.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

// Formats like a real callback would (the format and its arguments must
// agree), into a fixed buffer.
void sink(void* ctx, const char* fmt, va_list args) {
  static char buf[1 << 16];
  int n = std::vsnprintf(buf, sizeof(buf), fmt, args);
  if (n > 0) *static_cast<size_t*>(ctx) += static_cast<size_t>(n);
}

int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool init = [] {
    libbpf_set_print(quiet);
    return true;
  }();
  (void)init;
  struct btf* btf = btf__new(data, static_cast<__u32>(size));
  if (btf == nullptr) return 0;
  size_t written = 0;
  struct btf_dump* d = btf_dump__new(btf, sink, &written, nullptr);
  if (d != nullptr) {
    const uint32_t cnt = btf__type_cnt(btf);
    for (uint32_t id = 1; id < cnt; id++) btf_dump__dump_type(d, id);
    LIBBPF_OPTS(btf_dump_emit_type_decl_opts, decl_opts);
    decl_opts.field_name = "f";
    decl_opts.indent_level = 1;
    // Declarations and data of the first types only: each call is bounded
    // by the dumper's work budget, but hundreds of worst cases add up.
    for (uint32_t id = 0; id < cnt && id < 128; id++) btf_dump__emit_type_decl(d, id, &decl_opts);
    LIBBPF_OPTS(btf_dump_type_data_opts, data_opts);
    data_opts.compact = true;
    data_opts.emit_zeroes = (size & 1) != 0;
    data_opts.emit_strings = (size & 2) != 0;
    for (uint32_t id = 1; id < cnt && id < 64; id++) btf_dump__dump_type_data(d, id, data, size, &data_opts);
    btf_dump__free(d);
  }
  btf__free(btf);
  return 0;
}
