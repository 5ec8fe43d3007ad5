// struct btf_dump: turns BTF back into C.
//
// Three jobs, one file each:
//  - dump_c.cpp: definitions. Types are sorted so that every type is
//    defined before anything embeds it (pointers only need a forward
//    declaration), then printed: structs with the padding and attributes
//    their BTF layout needs, enums, typedefs, forward declarations.
//  - dump_decl.cpp: declarators. A chain of BTF types (pointer -> const ->
//    array -> function prototype ...) becomes one C declaration around a
//    name, with C's inside-out syntax.
//  - dump_data.cpp: typed data. Bytes of some type printed as a C-like
//    initializer, never reading past the bytes given.
//
// The dumper reads the BTF only through the public <bpf/btf.h> API. All
// text is built in one string and handed to the caller's printf callback
// once per public call (with "%s"), so the callback's cost does not grow
// with the number of tokens.
//
// A dumper keeps state between calls (what was already printed, renamed
// duplicates): use one per thread. Several dumpers may share one BTF.
// Hostile BTF is bounded by a work and output budget per call (-E2BIG).
#pragma once

#include <bpf/btf.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bpfxx::btf {

// Stable storage for the names the dumper keeps as map keys: the BTF's
// own string section may move when the BTF grows between calls.
class NameArena {
 public:
  std::string_view keep(std::string_view s);

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
  size_t cap_ = 0;
};

// Counts of each name seen so far in one C namespace: a flat
// open-addressing table (names are looked up once per printed type and
// enumerator, the hottest path of a full dump).
class NameCounts {
 public:
  // Adds one occurrence of name; returns its count so far (1 the first
  // time). New keys are copied into arena.
  uint32_t bump(std::string_view name, NameArena& arena);
  // Makes room for n more names without growing.
  void reserve(size_t n);

 private:
  struct Slot {
    uint64_t hash = 0;
    const char* key = nullptr;
    uint32_t len = 0;
    uint32_t count = 0;
  };
  void grow(size_t cap = 0);

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// Options of one typed-data dump (btf_dump_type_data_opts, resolved).
struct DataOptions {
  std::string indent_str = "\t";
  int indent_level = 0;
  bool compact = false;
  bool skip_names = false;
  bool emit_zeroes = false;
  bool emit_strings = false;
};

}  // namespace bpfxx::btf

struct btf_dump {
 public:
  btf_dump(const ::btf* btf, btf_dump_printf_fn_t fn, void* ctx);
  btf_dump(const btf_dump&) = delete;
  btf_dump& operator=(const btf_dump&) = delete;

  // Catches up with types added to the BTF since the last call; checks
  // every type id the new records reference. 0 or -errno.
  int refresh();

  // btf_dump__dump_type(): 0 or -errno.
  int dump_type(uint32_t id);
  // btf_dump__emit_type_decl(): 0 or -errno.
  int emit_type_decl(uint32_t id, const char* field_name, int indent, bool strip_mods);
  // btf_dump__dump_type_data(): bytes consumed or -errno.
  int dump_type_data(uint32_t id, const void* data, size_t size, const bpfxx::btf::DataOptions& o);

 private:
  enum : uint8_t { kNotOrdered = 0, kOrdering = 1, kOrdered = 2 };
  enum : uint8_t { kNotEmitted = 0, kEmitting = 1, kEmitted = 2 };
  struct TypeState {
    uint8_t order = kNotOrdered;
    uint8_t emit = kNotEmitted;
    bool fwd_emitted = false;
    bool name_resolved = false;
    bool referenced = false;
    // Layout facts of a struct/union, computed once (see layout()).
    bool layout_done = false;
    bool packed = false;
    uint8_t align_log2 = 0;   // alignment clang gives the emitted type
    uint8_t attr_align_log2 = 0;  // N of __attribute__((aligned(N))), 0 none
    uint8_t union_pad_bytes = 0;  // size an unnamed bitfield gives a union
    bool inline_active = false;   // anonymous type being printed inline
  };

  // ---- shared (dump_c.cpp) ----
  const btf_type* type(uint32_t id) const noexcept;
  const char* str(uint32_t off) const noexcept;
  void flush();
  void put(std::string_view s) { out_.append(s); }
  void put(char c) { out_.push_back(c); }
  void put_uint(uint64_t v);
  void put_int(int64_t v);
  void put_tabs(int n);

  // ---- ordering and definitions (dump_c.cpp) ----
  int order_type(uint32_t id, bool through_ptr, int depth);
  void emit_type(uint32_t id, uint32_t cont_id, int depth);
  bool is_builtin_typedef(uint32_t id) const;
  void emit_struct_fwd(uint32_t id, const btf_type* t);
  void emit_struct_def(uint32_t id, const btf_type* t, int lvl);
  void emit_padding(uint64_t cur, uint64_t target, int lvl, bool packed, bool in_bitfield,
                    uint64_t next_at);
  // Counts one step of work; false (and err_ set) once a public call has
  // done more than any real BTF needs: bad input must not hang the dumper.
  bool step();
  // Starts counting the steps of a public call, allowing at most limit.
  void start_work(uint64_t limit);
  void emit_enum_fwd(uint32_t id);
  void emit_enum_def(uint32_t id, const btf_type* t, int lvl);
  void emit_fwd(uint32_t id, const btf_type* t);
  void emit_typedef_def(uint32_t id, const btf_type* t, int lvl);
  void emit_missing_alias(uint32_t id);
  std::string_view resolve_name(uint32_t id, bpfxx::btf::NameCounts& counts);
  std::string_view type_name(uint32_t id) { return resolve_name(id, type_names_); }
  std::string_view ident_name(uint32_t id) { return resolve_name(id, ident_names_); }
  uint32_t count_name(bpfxx::btf::NameCounts& counts, std::string_view name);

  // Layout of emitted C (dump_c.cpp).
  uint32_t natural_align(uint32_t id, int depth = 0);
  void layout(uint32_t id, const btf_type* t, int depth);
  uint32_t resolved_bytes(uint32_t id);
  // Bit offset where clang would put a member of type_id (bitfield of
  // bits, or whole when bits == 0) if the previous one ended at cur.
  uint64_t place(uint64_t cur, uint32_t type_id, uint32_t bits, bool packed);

  // ---- declarators (dump_decl.cpp) ----
  void emit_decl(uint32_t id, std::string_view fname, int lvl);
  void emit_chain(size_t lo, size_t& top, std::string_view fname, int lvl);
  void emit_mods(size_t lo, size_t& top);
  void drop_mods(size_t lo, size_t& top);
  void emit_name(std::string_view name, bool last_was_ptr);

  // ---- typed data (dump_data.cpp) ----
  int data_value(const char* fname, uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz);
  int data_check_size(uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz);
  int data_check_zero(uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz, int depth);
  int data_bits(const btf_type* t, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz, uint64_t* v);
  int data_enum_value(uint32_t id, const btf_type* t, const uint8_t* p, int64_t* v);
  void data_value_end();
  void data_prefix();
  void data_cast(uint32_t id, bool top_level);
  int data_int(uint32_t id, const btf_type* t, const uint8_t* p);
  int data_float(uint32_t id, const btf_type* t, const uint8_t* p);
  int data_array(uint32_t id, const btf_type* t, const uint8_t* p);
  int data_string(const btf_type* t, const uint8_t* p);
  int data_struct(uint32_t id, const btf_type* t, const uint8_t* p);
  int data_enum(const btf_type* t, int64_t v);
  int data_var(uint32_t id, const btf_type* t, const uint8_t* p);
  int data_datasec(uint32_t id, const btf_type* t, const uint8_t* p);
  uint32_t skip_mods_typedefs(uint32_t id) const;

  const ::btf* btf_;
  btf_dump_printf_fn_t printf_fn_;
  void* ctx_;
  uint32_t ptr_sz_;
  uint32_t nr_types_ = 1;  // ids below this are known (0 is void)

  std::vector<TypeState> states_;
  std::unordered_map<uint32_t, std::string> dup_names_;  // ids renamed with ___N
  bpfxx::btf::NameArena arena_;
  bpfxx::btf::NameCounts type_names_;   // struct, union, enum tags
  bpfxx::btf::NameCounts ident_names_;  // typedefs and enumerators

  std::vector<uint32_t> queue_;  // types to define, in order
  std::vector<uint32_t> stack_;  // declarator chains
  std::string out_;
  bool strip_mods_ = false;
  bool skip_anon_defs_ = false;
  int decl_depth_ = 0;
  int err_ = 0;  // first error met while printing
  uint64_t work_ = 0;        // steps done in the current public call
  uint64_t work_limit_ = 0;  // and the most it may do

  // Typed data state, live during dump_type_data().
  const uint8_t* data_end_ = nullptr;
  const bpfxx::btf::DataOptions* dopts_ = nullptr;
  int ddepth_ = 0;
  int nest_ = 0;  // VAR/DATASEC levels being dumped (recursion bound)
  bool in_array_ = false;
  bool array_terminated_ = false;
  bool array_char_ = false;
};
