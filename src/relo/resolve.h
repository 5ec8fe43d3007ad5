// Resolving one CO-RE relocation and patching its instruction.
//
// resolve() parses the record's access spec in the local BTF, tries every
// candidate target type, and computes the value the instruction holds now
// (orig, from the local BTF, checked against the instruction) and the one
// it must hold (new, from the matching candidates). All matching
// candidates must agree; when none matches, field offsets and enum values
// become a "poison" (the instruction turns into a call of a helper that
// does not exist) while existence checks simply answer 0.
// patch_insn() writes the result into the instruction: the immediate of an
// ALU op, the offset (and, if the field changed size, the width) of a
// memory access, or the 64-bit immediate of an ld_imm64.
#pragma once

#include <linux/bpf.h>

#include <bpfxx/result.hpp>
#include <cstdint>
#include <span>
#include <string>

#include "btf/btf.h"
#include "btf/ext.h"
#include "relo/candidates.h"
#include "relo/spec.h"

namespace bpfxx::relo {

struct Resolution {
  uint64_t orig_val = 0;
  uint64_t new_val = 0;
  // Memory access sizes of a field offset relocation (0: not a plain
  // field), with the field's type, for resizing loads and stores.
  uint32_t orig_sz = 0, new_sz = 0;
  uint32_t orig_type_id = 0, new_type_id = 0;
  bool validate = true;  // the instruction must hold orig_val now
  bool poison = false;
  bool fail_memsz_adjust = false;  // resizing a load/store would read a wrong value
  // Why the relocation was poisoned (for messages).
  std::string poison_reason;
  // What the local spec named, for messages.
  std::string local_desc;
};

// Identifies the relocation in messages: "prog 'x': relo #3: ...".
struct ReloSite {
  std::string_view prog;
  uint32_t relo_idx = 0;
  uint32_t insn_idx = 0;  // in the program
};

Result<Resolution> resolve(const ::btf& local, const btf::CoreRelo& rec, std::span<const Candidate> cands,
                           const ReloSite& site);

// Patches insns[site.insn_idx] (and the next for ld_imm64).
Result<void> patch_insn(std::span<bpf_insn> insns, const Resolution& res, const ReloSite& site);

// Turns insns[idx] into the poison call.
void poison_insn(bpf_insn& insn) noexcept;

}  // namespace bpfxx::relo
