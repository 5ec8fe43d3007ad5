// libFuzzer target: bpf_prog_linfo__new() over a struct bpf_prog_info whose
// counts, record sizes, present arrays and array contents come from the
// input, then lookups of every kind. Never a crash; the arrays are freed
// before the lookups (the table must own copies); a record found for an
// instruction offset never starts past it.
#include <bpf/libbpf.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// Reads the input front to back; past its end, zeros.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  void fill(uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = u8();
  }
  // A value of n bytes; in "small" mode one byte, so that the fuzzer
  // easily makes addresses and function starts coincide.
  uint64_t value(bool small) {
    if (small) return u8();
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= uint64_t{u8()} << (8 * i);
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

__u64 user_ptr(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t flags = in.u8();
  const bool small = (flags & 0x20) != 0;
  const uint32_t nr_lines = in.u8() % 33;
  const uint32_t rec_size = in.u8() % 41;
  const uint32_t nr_jited = (flags & 0x40) != 0 ? in.u8() % 33 : nr_lines;
  const uint32_t jited_rec_size = in.u8() % 25;
  const uint32_t nr_funcs = in.u8() % 9;
  const uint32_t nr_lens = (flags & 0x80) != 0 ? in.u8() % 9 : nr_funcs;

  // Each array is exactly as long as its count says, so that any read past
  // it is caught by ASan.
  std::vector<uint8_t> lines(size_t{nr_lines} * rec_size);
  for (uint32_t i = 0; i < nr_lines; i++) {
    uint8_t* rec = lines.data() + size_t{i} * rec_size;
    if (small && rec_size >= 4) {
      const uint32_t insn_off = in.u8();
      std::memcpy(rec, &insn_off, 4);
      in.fill(rec + 4, rec_size - 4);
    } else {
      in.fill(rec, rec_size);
    }
  }
  std::vector<uint8_t> addrs(size_t{nr_jited} * jited_rec_size);
  for (uint32_t i = 0; i < nr_jited; i++) {
    uint8_t* rec = addrs.data() + size_t{i} * jited_rec_size;
    if (jited_rec_size >= 8) {
      const uint64_t addr = in.value(small);
      std::memcpy(rec, &addr, 8);
      in.fill(rec + 8, jited_rec_size - 8);
    } else {
      in.fill(rec, jited_rec_size);
    }
  }
  std::vector<__u64> starts(nr_funcs);
  for (auto& s : starts) s = in.value(small);
  std::vector<__u32> lens(nr_lens);
  for (auto& l : lens) l = static_cast<__u32>(in.value(true));

  bpf_prog_info info{};
  info.nr_line_info = nr_lines;
  info.line_info_rec_size = rec_size;
  info.line_info = (flags & 0x01) != 0 ? user_ptr(lines.data()) : 0;
  info.nr_jited_line_info = nr_jited;
  info.jited_line_info_rec_size = jited_rec_size;
  info.jited_line_info = (flags & 0x02) != 0 ? user_ptr(addrs.data()) : 0;
  info.nr_jited_ksyms = nr_funcs;
  info.jited_ksyms = (flags & 0x04) != 0 ? user_ptr(starts.data()) : 0;
  info.nr_jited_func_lens = nr_lens;
  info.jited_func_lens = (flags & 0x08) != 0 ? user_ptr(lens.data()) : 0;
  // An empty vector's data() may be NULL or not; either is a valid input.

  libbpf_set_print(nullptr);
  bpf_prog_linfo* linfo = bpf_prog_linfo__new(&info);
  if (linfo == nullptr) return 0;
  // The table must not point into the info's arrays.
  const std::vector<__u64> starts_copy = starts;
  std::vector<uint8_t>().swap(lines);
  std::vector<uint8_t>().swap(addrs);
  std::vector<__u64>().swap(starts);
  std::vector<__u32>().swap(lens);

  // Lookups by instruction offset: a found record never lies past the
  // offset; the highest offset always finds one from record 0.
  for (uint32_t q = 0; q < 8; q++) {
    const uint32_t insn_off = q == 0 ? UINT32_MAX : static_cast<uint32_t>(in.value(small));
    for (uint32_t skip = 0; skip <= nr_lines + 1; skip++) {
      const bpf_line_info* rec = bpf_prog_linfo__lfind(linfo, insn_off, skip);
      if (rec != nullptr && rec->insn_off > insn_off) std::abort();
      if (q == 0 && skip == 0 && rec == nullptr) std::abort();
    }
  }
  // Lookups by address, around each function's start and elsewhere.
  for (uint32_t f = 0; f <= nr_funcs + 1; f++) {
    const uint64_t base = f < starts_copy.size() ? starts_copy[f] : 0;
    for (uint64_t addr : {base, base - 1, base + 1, base + in.value(true), in.value(small), UINT64_MAX}) {
      for (uint32_t skip = 0; skip <= nr_lines + 1; skip++) {
        (void)bpf_prog_linfo__lfind_addr_func(linfo, addr, f, skip);
      }
    }
  }
  bpf_prog_linfo__free(linfo);
  return 0;
}
