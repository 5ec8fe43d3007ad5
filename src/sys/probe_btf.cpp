// Probes of what BPF_BTF_LOAD accepts: one tiny blob per BTF kind or rule.
#include "sys/feature_probes.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"

#include <cstring>

namespace bpfxx::sys::detail {
namespace {

using probe::BtfBuilder;
using probe::Fd;

int loads(const BtfBuilder& btf, const Context& ctx, const char* what) {
  std::vector<uint8_t> blob = btf.blob();
  Fd fd = probe::load_btf(blob, ctx);
  if (!fd.valid()) {
    BPFXX_DEBUG("feature probe: BTF with %s rejected: %s\n", what, std::strerror(-fd.error()));
  }
  return probe::created(fd);
}

// void f(int a) with the given linkage (BTF_FUNC_STATIC or _GLOBAL).
int loads_func(const Context& ctx, uint32_t linkage, const char* what) {
  BtfBuilder b;
  uint32_t i = b.int_type("int", 4, BTF_INT_SIGNED);
  uint32_t proto = b.func_proto(0, {{"a", i}});
  b.func("f", proto, linkage);
  return loads(b, ctx, what);
}

// static int x; in a DATASEC named section.
int loads_datasec(const Context& ctx, const char* section, const char* what) {
  BtfBuilder b;
  uint32_t i = b.int_type("int", 4, BTF_INT_SIGNED);
  uint32_t x = b.var("x", i, BTF_VAR_STATIC);
  b.datasec(section, 4, {{x, 0, 4}});
  return loads(b, ctx, what);
}

}  // namespace

int probe_btf(const Context& ctx) {
  BtfBuilder b;
  b.int_type("int", 4, BTF_INT_SIGNED);
  return loads(b, ctx, "one int");
}

int probe_btf_func(const Context& ctx) { return loads_func(ctx, BTF_FUNC_STATIC, "a FUNC"); }

int probe_btf_global_func(const Context& ctx) { return loads_func(ctx, BTF_FUNC_GLOBAL, "a global FUNC"); }

int probe_btf_datasec(const Context& ctx) { return loads_datasec(ctx, ".data", "a VAR in a DATASEC"); }

int probe_btf_qmark_datasec(const Context& ctx) { return loads_datasec(ctx, "?.data", "a DATASEC named ?.data"); }

int probe_btf_float(const Context& ctx) {
  BtfBuilder b;
  b.float_type("float", 4);
  return loads(b, ctx, "a FLOAT");
}

int probe_btf_decl_tag(const Context& ctx) {
  BtfBuilder b;
  uint32_t i = b.int_type("int", 4, BTF_INT_SIGNED);
  uint32_t x = b.var("x", i, BTF_VAR_STATIC);
  b.decl_tag("tag", x, -1);
  return loads(b, ctx, "a DECL_TAG");
}

int probe_btf_type_tag(const Context& ctx) {
  // int __tag("tag") *
  BtfBuilder b;
  uint32_t i = b.int_type("int", 4, BTF_INT_SIGNED);
  uint32_t tagged = b.type_tag("tag", i);
  b.ptr(tagged);
  return loads(b, ctx, "a TYPE_TAG");
}

int probe_btf_enum64(const Context& ctx) {
  BtfBuilder b;
  b.enum64("e", 8, "big", uint64_t{1} << 40);
  return loads(b, ctx, "an ENUM64");
}

int probe_module_btf(const Context& ctx) {
  // Kernels with module BTF also fill in bpf_btf_info.name; older ones
  // reject a non-zero name pointer. So: load any BTF, ask for its name.
  BtfBuilder b;
  b.int_type("int", 4, BTF_INT_SIGNED);
  std::vector<uint8_t> blob = b.blob();
  Fd btf = probe::load_btf(blob, ctx);
  if (!btf.valid()) return 0;

  char name[16] = {};
  struct bpf_btf_info info;
  std::memset(&info, 0, sizeof(info));
  info.name = reinterpret_cast<uintptr_t>(name);
  info.name_len = sizeof(name);
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.info.bpf_fd = static_cast<uint32_t>(btf.get());
  attr.info.info_len = sizeof(info);
  attr.info.info = reinterpret_cast<uintptr_t>(&info);
  long rc = bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, BPFXX_ATTR_SIZE(info));
  if (rc < 0) BPFXX_DEBUG("feature probe: BTF info with a name: %s\n", std::strerror(static_cast<int>(-rc)));
  return rc == 0 ? 1 : 0;
}

int probe_arg_ctx_tag(const Context& ctx) {
  // A main program calling a global subprogram whose only argument is
  // tagged "arg:ctx" and which passes it on to a helper that needs the
  // context. Without kernel support for the tag the argument is a plain
  // pointer and the verifier rejects the helper call.
  BtfBuilder b;
  uint32_t int_id = b.int_type("int", 4, BTF_INT_SIGNED);
  uint32_t void_ptr = b.ptr(0);
  uint32_t main_proto = b.func_proto(int_id, {{"ctx", void_ptr}});
  uint32_t main_func = b.func("probe_main", main_proto, BTF_FUNC_GLOBAL);
  uint32_t sub_proto = b.func_proto(int_id, {{"ctx", void_ptr}});
  uint32_t sub_func = b.func("probe_sub", sub_proto, BTF_FUNC_GLOBAL);
  b.decl_tag("arg:ctx", sub_func, 0);
  std::vector<uint8_t> blob = b.blob();
  Fd btf = probe::load_btf(blob, ctx);
  if (!btf.valid()) return 0;

  const bpf_insn insns[] = {
      probe::insn::call_local(1),  // main: return probe_sub(ctx)
      probe::insn::exit(),
      probe::insn::call_helper(BPF_FUNC_get_func_ip),  // sub: needs ctx in r1
      probe::insn::exit(),
  };
  const bpf_func_info funcs[] = {{0, main_func}, {2, sub_func}};
  probe::ProgSpec spec;
  spec.type = BPF_PROG_TYPE_KPROBE;
  spec.insns = insns;
  spec.name = "probe_arg_ctx";
  spec.prog_btf_fd = btf.get();
  spec.func_info = funcs;
  Fd prog = probe::load_prog(spec, ctx);
  if (!prog.valid()) BPFXX_DEBUG("feature probe: arg:ctx program rejected: %s\n", std::strerror(-prog.error()));
  return probe::created(prog);
}

}  // namespace bpfxx::sys::detail
