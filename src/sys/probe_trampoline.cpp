// Probe of BPF trampolines on kernel functions: whether a fentry program
// on a vmlinux function loads. Kernels built without trampoline support
// (or locked down) refuse it (EPERM, ENOTSUPP, EINVAL) before the verifier
// runs; fentry, fexit, fmod_ret and LSM programs then cannot be used.
//
// The target is bpf_fentry_test1, which the kernel keeps for this kind of
// test; its BTF id is found by walking the type section of
// /sys/kernel/btf/vmlinux (this layer sits below the BTF parser).
#include "sys/features.h"
#include "sys/files.h"
#include "sys/probe_support.h"

#include <cstring>
#include <string_view>

namespace bpfxx::sys::detail {
namespace {

// Bytes that follow a btf_type of this kind (vlen entries or one extra).
bool extra_bytes(uint32_t kind, uint32_t vlen, size_t* out) {
  switch (kind) {
    case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: *out = 4; return true;
    case BTF_KIND_ARRAY: *out = 12; return true;
    case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
      *out = static_cast<size_t>(vlen) * 12; return true;
    case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO: *out = static_cast<size_t>(vlen) * 8; return true;
    case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
    case BTF_KIND_TYPE_TAG:
      *out = 0; return true;
    default: return false;
  }
}

// The id of FUNC `name` in the raw vmlinux BTF; 0 if absent or unreadable.
uint32_t vmlinux_func_id(const std::string& blob, std::string_view name) {
  struct btf_header hdr;
  if (blob.size() < sizeof hdr) return 0;
  std::memcpy(&hdr, blob.data(), sizeof hdr);
  if (hdr.magic != BTF_MAGIC || hdr.hdr_len > blob.size()) return 0;
  const size_t types = static_cast<size_t>(hdr.hdr_len) + hdr.type_off;
  const size_t strs = static_cast<size_t>(hdr.hdr_len) + hdr.str_off;
  if (types + hdr.type_len > blob.size() || strs + hdr.str_len > blob.size()) return 0;
  size_t off = types;
  const size_t end = types + hdr.type_len;
  for (uint32_t id = 1; off + sizeof(struct btf_type) <= end; id++) {
    struct btf_type t;
    std::memcpy(&t, blob.data() + off, sizeof t);
    const uint32_t kind = BTF_INFO_KIND(t.info);
    size_t extra = 0;
    if (!extra_bytes(kind, BTF_INFO_VLEN(t.info), &extra)) return 0;
    if (kind == BTF_KIND_FUNC && t.name_off < hdr.str_len) {
      const char* s = blob.data() + strs + t.name_off;
      const size_t max = hdr.str_len - t.name_off;
      if (name.size() < max && std::memcmp(s, name.data(), name.size()) == 0 && s[name.size()] == '\0') return id;
    }
    off += sizeof t + extra;
  }
  return 0;
}

}  // namespace

int probe_trampoline(const probe::Context& ctx) {
  auto blob = read_file("/sys/kernel/btf/vmlinux", size_t{256} << 20);
  if (!blob) return 0;  // no kernel BTF: no BTF-targeted programs at all
  const uint32_t id = vmlinux_func_id(*blob, "bpf_fentry_test1");
  if (id == 0) return 0;
  const bpf_insn insns[] = {probe::insn::mov64_imm(0, 0), probe::insn::exit()};
  probe::ProgSpec spec;
  spec.type = BPF_PROG_TYPE_TRACING;
  spec.expected_attach_type = BPF_TRACE_FENTRY;
  spec.attach_btf_id = id;
  spec.insns = insns;
  spec.name = "probe_fentry";
  const probe::Fd fd = probe::load_prog(spec, ctx);
  return probe::created(fd);
}

}  // namespace bpfxx::sys::detail
