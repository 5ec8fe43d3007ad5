// An iterator link: a hand-assembled "iter/bpf_map" program attached with
// bpf_link_create(BPF_TRACE_ITER), read through bpf_iter_create; it writes
// one byte per map, so the output counts the maps (ours among them).
#include "bpf_test_util.h"
#include "link_support.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

using namespace insn;

// Finds the id of a BTF type of `kind` named `name` in the kernel's BTF by
// walking the raw type section; 0 if absent or unreadable.
std::uint32_t vmlinux_btf_id(const std::string& name, std::uint32_t kind) {
  UniqueFd fd(::open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return 0;
  std::vector<unsigned char> data;
  unsigned char chunk[65536];
  ssize_t n;
  while ((n = ::read(fd.get(), chunk, sizeof(chunk))) > 0) data.insert(data.end(), chunk, chunk + n);
  struct Header {
    std::uint16_t magic;
    std::uint8_t version, flags;
    std::uint32_t hdr_len, type_off, type_len, str_off, str_len;
  } h;
  if (data.size() < sizeof(h)) return 0;
  std::memcpy(&h, data.data(), sizeof(h));
  if (h.magic != 0xeB9F || std::uint64_t{h.hdr_len} + h.str_off + h.str_len > data.size()) return 0;
  const unsigned char* types = data.data() + h.hdr_len + h.type_off;
  const char* strings = reinterpret_cast<const char*>(data.data() + h.hdr_len + h.str_off);
  std::size_t off = 0;
  std::uint32_t id = 1;
  while (off + 12 <= h.type_len) {
    std::uint32_t name_off, info;
    std::memcpy(&name_off, types + off, 4);
    std::memcpy(&info, types + off + 4, 4);
    std::uint32_t k = (info >> 24) & 0x1f, vlen = info & 0xffff;
    if (k == kind && name_off < h.str_len && name == strings + name_off) return id;
    std::size_t extra = 0;
    switch (k) {
      case 1: case 14: case 17: extra = 4; break;             // INT, VAR, DECL_TAG
      case 3: extra = 12; break;                               // ARRAY
      case 4: case 5: case 15: case 19: extra = 12u * vlen; break;  // STRUCT, UNION, DATASEC, ENUM64
      case 6: case 13: extra = 8u * vlen; break;               // ENUM, FUNC_PROTO
      default: break;                                          // no trailing data
    }
    off += 12 + extra;
    id++;
  }
  return 0;
}

constexpr std::uint32_t kBtfKindFunc = 12;

// For each map: bpf_seq_write(ctx->meta->seq, "M", 1). The last call has
// ctx->map == NULL and writes nothing.
Program dump_maps_prog() {
  Program p;
  p << mov64_reg(R6, R1)
    << ldx_mem(BPF_DW, R7, R6, 8)           // r7 = ctx->map
    << jmp_imm(BPF_JEQ, R7, 0, 7)           // no map: done
    << ldx_mem(BPF_DW, R1, R6, 0)           // r1 = ctx->meta
    << ldx_mem(BPF_DW, R1, R1, 0)           // r1 = meta->seq
    << st_mem(BPF_W, R10, -8, 'M')          // the byte on the stack
    << mov64_reg(R2, R10) << alu64_imm(BPF_ADD, R2, -8)
    << mov64_imm(R3, 1)
    << call_helper(BPF_FUNC_seq_write)
    << mov64_imm(R0, 0) << exit_insn();
  return p;
}

TEST(LinkIter, MapIteratorSeesOurMaps) {
  BPFXX_REQUIRE_ROOT();
  std::uint32_t target = vmlinux_btf_id("bpf_iter_bpf_map", kBtfKindFunc);
  if (target == 0) GTEST_SKIP() << "kernel BTF has no bpf_iter_bpf_map (no map iterator)";

  UniqueFd m1 = create_counter_map("iter_a");
  UniqueFd m2 = create_counter_map("iter_b");
  UniqueFd m3 = create_counter_map("iter_c");
  BPFXX_ASSERT_FD(m3, "creating maps to iterate over");

  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = BPF_TRACE_ITER;
  opts.attach_btf_id = target;
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_TRACING, "dump_maps", dump_maps_prog(), &opts, &log);
  BPFXX_ASSERT_FD(prog, "loading the iter/bpf_map program") << " log: " << log;

  UniqueFd link(bpf_link_create(prog.get(), 0, BPF_TRACE_ITER, nullptr));
  BPFXX_ASSERT_FD(link, "bpf_link_create(BPF_TRACE_ITER)");
  char target_name[32] = {};
  bpf_link_info info;
  std::memset(&info, 0, sizeof(info));
  info.iter.target_name = reinterpret_cast<__u64>(target_name);
  info.iter.target_name_len = sizeof(target_name);
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_LINK_TYPE_ITER)) << "expected an iterator link";
  EXPECT_STREQ(target_name, "bpf_map") << "expected the iterator's target name";

  // Each bpf_iter_create starts a fresh pass.
  for (int pass = 0; pass < 2; pass++) {
    UniqueFd iter(bpf_iter_create(link.get()));
    BPFXX_ASSERT_FD(iter, "bpf_iter_create");
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(iter.get(), buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
    EXPECT_EQ(n, 0) << "expected the iterator to end cleanly";
    EXPECT_EQ(out.find_first_not_of('M'), std::string::npos) << "expected only the program's bytes";
    EXPECT_GE(out.size(), 3u) << "expected one byte for each map, ours included (pass " << pass << ")";
  }
  BPFXX_EXPECT_ERR(bpf_iter_create(prog.get()), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
