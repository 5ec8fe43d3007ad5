// Opening and loading a CO-RE-heavy object (tests/progs/bench_core.bpf.o:
// 50 programs, over a thousand CO-RE relocations against task_struct,
// mm_struct, file, inode, dentry, sk_buff, sock, net_device... defined
// locally, with ___flavor variants) beside Debian's libbpf, in the same
// phases as bench_object_load:
//
//   open        bpf_object__open_mem() of the file's bytes + close
//   first load  the first open+load+close of the process (one run each,
//               first-use costs included: vmlinux BTF, feature probes)
//   open+load   open + bpf_object__load() + close, after the first load
//   floor       the kernel alone: the final BTF loaded, the maps created
//               and the programs loaded from the final (relocated)
//               instructions with the plain BPF syscall wrappers
//
// The library's share of a load is (open+load) - floor: for this object
// mostly the CO-RE relocation (reading the kernel's BTF, finding and
// matching candidates) besides the usual ELF and BTF work.
//
//   bench_core_load [ITERATIONS]   (default 30; needs root)
#include "bench_support.h"

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

const char* const kObjectPath = BPFXX_TEST_PROGS_DIR "/bench_core.bpf.o";

// The number of CO-RE relocation records in the object's .BTF.ext.
size_t core_relo_count(const std::vector<uint8_t>& elf) {
  if (elf.size() < sizeof(Elf64_Ehdr)) return 0;
  Elf64_Ehdr eh;
  std::memcpy(&eh, elf.data(), sizeof eh);
  if (eh.e_shoff + static_cast<uint64_t>(eh.e_shnum) * sizeof(Elf64_Shdr) > elf.size()) return 0;
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  std::memcpy(sh.data(), elf.data() + eh.e_shoff, sh.size() * sizeof(Elf64_Shdr));
  if (eh.e_shstrndx >= sh.size()) return 0;
  const char* names = reinterpret_cast<const char*>(elf.data() + sh[eh.e_shstrndx].sh_offset);
  for (const Elf64_Shdr& s : sh) {
    if (std::strcmp(names + s.sh_name, ".BTF.ext") != 0 || s.sh_offset + s.sh_size > elf.size()) continue;
    const uint8_t* ext = elf.data() + s.sh_offset;
    uint32_t hdr_len = 0, core_off = 0, core_len = 0, rec_size = 0;
    std::memcpy(&hdr_len, ext + 4, 4);
    if (hdr_len < 32) return 0;  // no CO-RE part in the header
    std::memcpy(&core_off, ext + 24, 4);
    std::memcpy(&core_len, ext + 28, 4);
    const uint8_t* p = ext + hdr_len + core_off;
    const uint8_t* end = p + core_len;
    if (core_len < 4 || end > elf.data() + s.sh_offset + s.sh_size) return 0;
    std::memcpy(&rec_size, p, 4);
    p += 4;
    size_t total = 0;
    while (rec_size > 0 && p + 8 <= end) {
      uint32_t count = 0;
      std::memcpy(&count, p + 4, 4);
      total += count;
      p += 8 + static_cast<size_t>(count) * rec_size;
    }
    return total;
  }
  return 0;
}

// Programs whose final instructions differ between the two libraries (map
// references aside: they hold each object's own fds).
size_t differing_programs(const bench::Floor& a, const bench::Floor& b) {
  size_t differ = 0;
  for (const bench::Floor::Prog& pa : a.progs) {
    auto pb = std::find_if(b.progs.begin(), b.progs.end(), [&](const auto& p) { return p.name == pa.name; });
    if (pb == b.progs.end() || pb->insns.size() != pa.insns.size()) {
      differ++;
      continue;
    }
    for (size_t i = 0; i < pa.insns.size(); i++) {
      const bpf_insn& x = pa.insns[i];
      const bpf_insn& y = pb->insns[i];
      const bool map_ref = x.code == (BPF_LD | BPF_IMM | BPF_DW) && x.src_reg != 0;
      const bool map_ref_tail = i > 0 && pa.insns[i - 1].code == (BPF_LD | BPF_IMM | BPF_DW) &&
                                pa.insns[i - 1].src_reg != 0;
      if (x.code != y.code || x.dst_reg != y.dst_reg || x.src_reg != y.src_reg || x.off != y.off ||
          (x.imm != y.imm && !map_ref && !map_ref_tail)) {
        differ++;
        break;
      }
    }
  }
  return differ;
}

}  // namespace

using namespace bench;

int main(int argc, char** argv) {
  const int n = rounds_from_args(argc, argv, 30);
  if (n == 0) return 2;
  const ObjectBench setup("bench_core", kObjectPath);

  // The first load of the process: one run each, libbpf first (its
  // caches, if any, are its own; bpfxx's per-process ones start cold).
  Times first_x, first_l;
  const bool theirs_loads = time_load(setup.theirs, setup.file, first_l);
  settle();
  const bool ours_loads = time_load(setup.ours, setup.file, first_x);
  settle();
  if (!theirs_loads) {
    std::fprintf(stderr, "Debian's libbpf cannot load %s\n", kObjectPath);
    return 1;
  }

  Times open_x, open_l;
  if (!take_turns(n * 4,
                  {[&] { return time_open(setup.ours, setup.file, open_x); },
                   [&] { return time_open(setup.theirs, setup.file, open_l); }},
                  false))
    return 1;

  LoadAndFloorTimes t;
  if (!time_load_and_floor(setup, n, ours_loads, nullptr, t)) return 1;

  const std::string open_what = "core: open (" + std::to_string(t.floor_l.progs.size()) + " progs, " +
                                std::to_string(core_relo_count(setup.file.bytes)) + " CO-RE relos)";
  const bool both = ours_loads && t.ours_floor;
  print_load_table("core", {open_what.c_str(), &open_x, &open_l},
                   {{"core: first open+load+close of the process", &first_x, &first_l}}, t, both);

  if (both) {
    const double share_x = median(t.load_x.cpu) - median(t.fl_x.cpu);
    const double share_l = median(t.load_l.cpu) - median(t.fl_l.cpu);
    std::printf("library share, CPU: bpfxx/libbpf = %.3f (target <= 0.3)\n", share_x / share_l);
  }
  if (t.ours_floor) {
    std::printf("final instructions of all programs: bpfxx %zu, libbpf %zu; programs that differ: %zu of %zu\n",
                insn_total(t.floor_x), insn_total(t.floor_l), differing_programs(t.floor_x, t.floor_l),
                t.floor_x.progs.size());
    std::printf("final BTF: bpfxx %zu bytes, libbpf %zu bytes\n", t.floor_x.btf.size(), t.floor_l.btf.size());
  }
  std::printf("(medians of %d runs; open of %d runs; first load: 1 run; floor from each library's final "
              "instructions)\n",
              n, n * 4);
  return both ? 0 : 1;
}
