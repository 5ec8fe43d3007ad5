// libFuzzer target of the USDT parsers: arbitrary bytes as an ELF file
// whose .note.stapsdt notes are read and located (every probe found is
// looked up again by its own provider and name, its argument string
// parsed into a spec), and as an argument string and a /proc/<pid>/maps
// text. Any answer is fine; a crash, a hang or a read outside the input
// is not.
#include "elf/elf_reader.h"
#include "elf/usdt_notes.h"
#include "link/usdt.h"
#include "link/usdt_args.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace {

int silent(enum libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (libbpf_set_print(silent), true);
  static_cast<void>(quiet);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(bpfxx::link::parse_usdt_args(text, 1));
  static_cast<void>(bpfxx::link::usdt_runtime_address(text, "/usr/bin/x", 0x1000));
  auto elf = bpfxx::elf::Reader::open(std::span<const uint8_t>(data, size), "fuzz");
  if (!elf) return 0;
  static_cast<void>(bpfxx::elf::load_segments(*elf));
  auto notes = bpfxx::elf::usdt_notes(*elf);
  if (!notes) return 0;
  size_t looked_up = 0;
  for (const auto& n : *notes) {
    static_cast<void>(bpfxx::link::parse_usdt_args(n.args, 0));
    // Bounded: a file of many notes must not make this quadratic for long.
    if (looked_up++ < 16) static_cast<void>(bpfxx::elf::usdt_locations(*elf, n.provider, n.name));
  }
  static_cast<void>(bpfxx::elf::usdt_locations(*elf, "p", "n"));
  return 0;
}
