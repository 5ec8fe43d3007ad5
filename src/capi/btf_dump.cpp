// The btf_dump__* functions of <bpf/btf.h>: argument and opts checks,
// errno, and no C++ exception crossing into C.
#include <bpf/btf.h>

#include "btf/dump.h"
#include "capi/errors.h"
#include "capi/opts.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;

extern "C" {

LIBBPF_API struct btf_dump* btf_dump__new(const struct btf* btf, btf_dump_printf_fn_t printf_fn, void* ctx,
                                          const struct btf_dump_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, btf_dump_opts)) return err_ptr<btf_dump>(-EINVAL);
  if (btf == nullptr || printf_fn == nullptr) return err_ptr<btf_dump>(-EINVAL);
  return bpfxx::capi::guard_ptr<btf_dump>([&]() -> btf_dump* {
    std::unique_ptr<btf_dump> d(new btf_dump(btf, printf_fn, ctx));
    int e = d->refresh();
    if (e != 0) return err_ptr<btf_dump>(e);
    return d.release();
  });
}

LIBBPF_API void btf_dump__free(struct btf_dump* d) {
  delete d;
}

LIBBPF_API int btf_dump__dump_type(struct btf_dump* d, __u32 id) {
  if (d == nullptr) return err(-EINVAL);
  return bpfxx::capi::guard([&] { return err(d->dump_type(id)); });
}

LIBBPF_API int btf_dump__emit_type_decl(struct btf_dump* d, __u32 id,
                                        const struct btf_dump_emit_type_decl_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, btf_dump_emit_type_decl_opts)) return err(-EINVAL);
  if (d == nullptr) return err(-EINVAL);
  const char* fname = BPFXX_OPTS_GET(opts, field_name, nullptr);
  const int indent = BPFXX_OPTS_GET(opts, indent_level, 0);
  const bool strip = BPFXX_OPTS_GET(opts, strip_mods, false);
  return bpfxx::capi::guard([&] { return err(d->emit_type_decl(id, fname, indent, strip)); });
}

LIBBPF_API int btf_dump__dump_type_data(struct btf_dump* d, __u32 id, const void* data, size_t data_sz,
                                        const struct btf_dump_type_data_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, btf_dump_type_data_opts)) return err(-EINVAL);
  if (d == nullptr || (data == nullptr && data_sz != 0)) return err(-EINVAL);
  return bpfxx::capi::guard([&] {
    bpfxx::btf::DataOptions o;
    if (const char* s = BPFXX_OPTS_GET(opts, indent_str, nullptr); s != nullptr) {
      // libbpf keeps at most 31 characters of the indent string.
      o.indent_str.assign(s, strnlen(s, 31));
    }
    o.indent_level = BPFXX_OPTS_GET(opts, indent_level, 0);
    o.compact = BPFXX_OPTS_GET(opts, compact, false);
    o.skip_names = BPFXX_OPTS_GET(opts, skip_names, false);
    o.emit_zeroes = BPFXX_OPTS_GET(opts, emit_zeroes, false);
    o.emit_strings = BPFXX_OPTS_GET(opts, emit_strings, false);
    return err(d->dump_type_data(id, data, data_sz, o));
  });
}

}  // extern "C"
