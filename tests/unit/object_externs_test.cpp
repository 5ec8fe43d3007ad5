// The extern step without a kernel: kconfig types and values, kfunc
// prototype compatibility, the .kconfig map an open object gets, and how
// patch_extern() rewrites instructions for each kind of resolved or
// missing extern.
#include "object/externs.h"
#include "object/load.h"
#include "object_test_util.h"

#include <bpf/btf.h>

#include <gtest/gtest.h>

#include <cstring>

namespace bpfxx::object {
namespace {

using test::ObjectPtr;

struct BtfFree {
  void operator()(::btf* b) const noexcept { btf__free(b); }
};
using BtfPtr = std::unique_ptr<::btf, BtfFree>;

// A BTF with one VAR of each kconfig-able type (and some that are not).
class KconfigTypes : public ::testing::Test {
 protected:
  void SetUp() override {
    b_.reset(btf__new_empty());
    ASSERT_TRUE(b_);
    ::btf* b = b_.get();
    const int boolean = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
    const int chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
    const int s16 = btf__add_int(b, "short", 2, BTF_INT_SIGNED);
    const int u32 = btf__add_int(b, "unsigned int", 4, 0);
    const int s64 = btf__add_int(b, "long long", 8, BTF_INT_SIGNED);
    const int tri = btf__add_enum(b, "libbpf_tristate", 4);
    btf__add_enum_value(b, "TRI_NO", 0);
    const int other_enum = btf__add_enum(b, "other", 4);
    btf__add_enum_value(b, "X", 0);
    const int arr = btf__add_array(b, u32, chr, 8);
    const int cnst = btf__add_const(b, s64);
    const int ptr = btf__add_ptr(b, u32);
    bool_ = btf__add_var(b, "CONFIG_B", BTF_VAR_GLOBAL_EXTERN, boolean);
    char_ = btf__add_var(b, "CONFIG_C", BTF_VAR_GLOBAL_EXTERN, chr);
    short_ = btf__add_var(b, "CONFIG_S", BTF_VAR_GLOBAL_EXTERN, s16);
    u32_ = btf__add_var(b, "CONFIG_U", BTF_VAR_GLOBAL_EXTERN, u32);
    s64_ = btf__add_var(b, "CONFIG_L", BTF_VAR_GLOBAL_EXTERN, cnst);
    tri_ = btf__add_var(b, "CONFIG_T", BTF_VAR_GLOBAL_EXTERN, tri);
    str_ = btf__add_var(b, "CONFIG_STR", BTF_VAR_GLOBAL_EXTERN, arr);
    bad_enum_ = btf__add_var(b, "CONFIG_E", BTF_VAR_GLOBAL_EXTERN, other_enum);
    bad_ptr_ = btf__add_var(b, "CONFIG_P", BTF_VAR_GLOBAL_EXTERN, ptr);
    ASSERT_GT(bad_ptr_, 0);
  }
  KconfigSlot slot(int id) { return kconfig_slot(*b_, static_cast<uint32_t>(id)); }

  static sys::KconfigValue val(const char* text) {
    Result<sys::KconfigValue> v = sys::decode_kconfig_value(text);
    EXPECT_TRUE(v) << text;
    return v ? *v : sys::KconfigValue{};
  }
  // Stores text into a fresh 8-byte buffer (0xAA filled); the bytes.
  Result<std::vector<uint8_t>> store(int id, const char* text) {
    std::vector<uint8_t> buf(8, 0xAA);
    const KconfigSlot s = slot(id);
    Result<void> r = store_kconfig_value("CONFIG_X", s, val(text), std::span<uint8_t>(buf.data(), s.size));
    if (!r) return r.failure();
    return buf;
  }

  BtfPtr b_;
  int bool_ = 0, char_ = 0, short_ = 0, u32_ = 0, s64_ = 0, tri_ = 0, str_ = 0, bad_enum_ = 0, bad_ptr_ = 0;
};

TEST_F(KconfigTypes, EachTypeIsClassified) {
  EXPECT_EQ(slot(bool_).type, KconfigType::kBool);
  EXPECT_EQ(slot(char_).type, KconfigType::kChar);
  EXPECT_EQ(slot(short_).type, KconfigType::kInt);
  EXPECT_TRUE(slot(short_).is_signed);
  EXPECT_EQ(slot(u32_).type, KconfigType::kInt);
  EXPECT_FALSE(slot(u32_).is_signed);
  EXPECT_EQ(slot(s64_).type, KconfigType::kInt) << "through const";
  EXPECT_EQ(slot(s64_).size, 8u);
  EXPECT_EQ(slot(tri_).type, KconfigType::kTristate);
  EXPECT_EQ(slot(str_).type, KconfigType::kCharArray);
  EXPECT_EQ(slot(str_).size, 8u);
  EXPECT_EQ(slot(bad_enum_).type, KconfigType::kUnknown) << "only enum libbpf_tristate";
  EXPECT_EQ(slot(bad_ptr_).type, KconfigType::kUnknown);
}

TEST_F(KconfigTypes, TristateLettersGoToBoolCharAndTristate) {
  EXPECT_EQ((*store(bool_, "y"))[0], 1);
  EXPECT_EQ((*store(bool_, "n"))[0], 0);
  EXPECT_FALSE(store(bool_, "m")) << "m does not fit a bool";
  EXPECT_EQ((*store(char_, "m"))[0], 'm');
  auto t = store(tri_, "m");
  ASSERT_TRUE(t);
  EXPECT_EQ(std::vector<uint8_t>(t->begin(), t->begin() + 4), (std::vector<uint8_t>{2, 0, 0, 0}));
  EXPECT_EQ((*store(tri_, "y"))[0], 1);
  EXPECT_EQ((*store(tri_, "n"))[0], 0);
  EXPECT_FALSE(store(u32_, "y")) << "a letter for an int";
  EXPECT_FALSE(store(str_, "y"));
}

TEST_F(KconfigTypes, StringsGoToCharArraysTruncated) {
  auto s = store(str_, "\"abc\"");
  ASSERT_TRUE(s);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(s->data())), "abc");
  EXPECT_EQ((*s)[7], 0) << "the rest zeroed";
  test::CapturePrint cap;
  s = store(str_, "\"0123456789\"");
  ASSERT_TRUE(s);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(s->data())), "0123456") << "7 chars and the NUL";
  EXPECT_NE(cap.text().find("truncated"), std::string::npos);
  EXPECT_FALSE(store(u32_, "\"12\"")) << "a string for an int";
}

TEST_F(KconfigTypes, NumbersAreRangeChecked) {
  auto v = store(short_, "-32768");
  ASSERT_TRUE(v);
  int16_t s16;
  std::memcpy(&s16, v->data(), 2);
  EXPECT_EQ(s16, -32768);
  EXPECT_EQ((*v)[2], 0xAA) << "only the slot's bytes are written";
  EXPECT_TRUE(store(short_, "32767"));
  EXPECT_FALSE(store(short_, "32768"));
  EXPECT_FALSE(store(short_, "-32769"));
  EXPECT_TRUE(store(u32_, "0xffffffff"));
  EXPECT_FALSE(store(u32_, "0x100000000"));
  Result<std::vector<uint8_t>> neg = store(u32_, "-1");
  ASSERT_FALSE(neg);
  EXPECT_NE(neg.message().find("CONFIG_X"), std::string::npos) << neg.message();
  int64_t s64;
  v = store(s64_, "-9223372036854775808");
  ASSERT_TRUE(v);
  std::memcpy(&s64, v->data(), 8);
  EXPECT_EQ(s64, INT64_MIN);
  EXPECT_TRUE(store(char_, "-128"));
  EXPECT_FALSE(store(char_, "128"));
  EXPECT_TRUE(store(bool_, "1"));
  EXPECT_FALSE(store(bool_, "2"));
  EXPECT_FALSE(store(tri_, "1")) << "a number for a tristate";
}

TEST(KfuncCompat, PrototypesMatchByCountAndKind) {
  BtfPtr l(btf__new_empty());
  BtfPtr k(btf__new_empty());
  // kernel: struct task_struct *f(int pid); void g(struct task_struct *, unsigned long)
  const int kint = btf__add_int(k.get(), "int", 4, BTF_INT_SIGNED);
  const int kul = btf__add_int(k.get(), "unsigned long", 8, 0);
  const int ktask = btf__add_struct(k.get(), "task_struct", 16);
  const int kptr = btf__add_ptr(k.get(), ktask);
  const int kf = btf__add_func_proto(k.get(), kptr);
  btf__add_func_param(k.get(), "pid", kint);
  const int kg = btf__add_func_proto(k.get(), 0);
  btf__add_func_param(k.get(), "p", kptr);
  btf__add_func_param(k.get(), "n", kul);
  // local: a forward declaration, a typedef'd int, another int size.
  const int lint = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  const int ltd = btf__add_typedef(l.get(), "pid_t", lint);
  const int lfwd = btf__add_fwd(l.get(), "task_struct", BTF_FWD_STRUCT);
  const int lptr = btf__add_ptr(l.get(), lfwd);
  const int lf = btf__add_func_proto(l.get(), lptr);
  btf__add_func_param(l.get(), "", ltd);
  const int lg = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lptr);
  btf__add_func_param(l.get(), "", lint);
  const int lg_short = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lptr);
  const int lf_int_ret = btf__add_func_proto(l.get(), lint);
  btf__add_func_param(l.get(), "", lint);
  const int lf_void_ret = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lint);
  ASSERT_GT(lf_void_ret, 0);
  auto compat = [&](int a, int b) {
    return types_compatible(*l, static_cast<uint32_t>(a), *k, static_cast<uint32_t>(b));
  };
  EXPECT_TRUE(compat(lf, kf));
  EXPECT_TRUE(compat(lg, kg)) << "ints of different sizes are compatible";
  EXPECT_FALSE(compat(lg_short, kg)) << "argument count";
  EXPECT_FALSE(compat(lf_int_ret, kf)) << "int returned where the kernel returns a pointer";
  EXPECT_FALSE(compat(lf_void_ret, kf)) << "void returned where the kernel returns a pointer";
  EXPECT_FALSE(compat(lf, kg));
}

TEST(KfuncCompat, KindsFollowLibbpfAndTheMismatchIsNamed) {
  BtfPtr l(btf__new_empty());
  BtfPtr k(btf__new_empty());
  // kernel: void f(struct task_struct *p, unsigned long n, enum e x); float g(void)
  const int kul = btf__add_int(k.get(), "unsigned long", 8, 0);
  const int ktask = btf__add_struct(k.get(), "task_struct", 16);
  const int kptr = btf__add_ptr(k.get(), ktask);
  const int kenum = btf__add_enum(k.get(), "e", 4);
  btf__add_enum_value(k.get(), "A", 0);
  const int kf = btf__add_func_proto(k.get(), 0);
  btf__add_func_param(k.get(), "p", kptr);
  btf__add_func_param(k.get(), "n", kul);
  btf__add_func_param(k.get(), "x", kenum);
  const int kflt = btf__add_float(k.get(), "float", 4);
  const int kg = btf__add_func_proto(k.get(), kflt);

  const int lint = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  const int lunion_fwd = btf__add_fwd(l.get(), "task_struct", BTF_FWD_UNION);
  const int lstruct_fwd = btf__add_fwd(l.get(), "task_struct", BTF_FWD_STRUCT);
  const int lenum64 = btf__add_enum64(l.get(), "e", 8, false);
  btf__add_enum64_value(l.get(), "A", 0);
  const int lvolatile = btf__add_volatile(l.get(), lint);
  const int lptr_struct = btf__add_ptr(l.get(), lstruct_fwd);
  const int lptr_union = btf__add_ptr(l.get(), lunion_fwd);
  const int lptr_int = btf__add_ptr(l.get(), lint);
  // The kernel's prototype, with an enum64 for the enum and a volatile int.
  const int lf = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lptr_struct);
  btf__add_func_param(l.get(), "", lvolatile);
  btf__add_func_param(l.get(), "", lenum64);
  // A union declared where the kernel has a struct.
  const int lf_union = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lptr_union);
  btf__add_func_param(l.get(), "", lint);
  btf__add_func_param(l.get(), "", lenum64);
  // An int where the kernel takes a pointer, second argument.
  const int lf_int = btf__add_func_proto(l.get(), 0);
  btf__add_func_param(l.get(), "", lptr_struct);
  btf__add_func_param(l.get(), "", lptr_int);
  btf__add_func_param(l.get(), "", lenum64);
  const int lflt = btf__add_float(l.get(), "float", 4);
  const int lg = btf__add_func_proto(l.get(), lflt);
  ASSERT_GT(lg, 0);
  auto why = [&](int a, int b) {
    return type_mismatch(*l, static_cast<uint32_t>(a), *k, static_cast<uint32_t>(b));
  };
  EXPECT_EQ(why(lf, kf), "") << "enum matches enum64; modifiers skipped; a struct's forward declaration";
  EXPECT_EQ(why(lf_union, kf), "argument #1 ('p'): pointers to different types: fwd task_struct here, "
                               "struct task_struct in the kernel");
  EXPECT_EQ(why(lf_int, kf), "argument #2 ('n'): ptr here, unsigned long in the kernel");
  EXPECT_EQ(why(lg, kg), "return value: a kind kernel symbols cannot be matched by (float here, float in "
                         "the kernel)")
      << "libbpf does not match floats";
  EXPECT_EQ(why(lint, kptr), "int here, ptr in the kernel");
}

TEST(KsymNames, KfuncsDropTheirFlavorVariablesKeepTheWholeName) {
  Extern f;
  f.kind = ExternKind::kKsymFunc;
  f.name = "bpf_task_from_pid___v2";
  EXPECT_EQ(kernel_lookup_name(f), "bpf_task_from_pid");
  f.name = "a___b___c";
  EXPECT_EQ(kernel_lookup_name(f), "a___b") << "the last flavor only";
  f.name = "x____y";
  EXPECT_EQ(kernel_lookup_name(f), "x____y") << "four underscores are no flavor";
  Extern v;
  v.kind = ExternKind::kKsymVar;
  v.name = "runqueues___v2";
  EXPECT_EQ(kernel_lookup_name(v), "runqueues___v2") << "libbpf looks variables up by their whole name";
}

TEST(KconfigMap, AnOpenObjectHasTheKconfigMapSizedAfterItsDatasec) {
  ObjectPtr obj(bpf_object__open_file(test::prog_path("extern_kconfig").c_str(), nullptr));
  ASSERT_TRUE(obj);
  const bpf_map* m = kconfig_map(*obj);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(std::string(bpf_map__name(m)), "extern_.kconfig");
  EXPECT_TRUE(bpf_map__is_internal(m));
  EXPECT_EQ(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
  EXPECT_EQ(bpf_map__max_entries(m), 1u);
  EXPECT_EQ(bpf_map__map_flags(m), static_cast<__u32>(BPF_F_RDONLY_PROG | BPF_F_MMAPABLE));
  const int sec = btf__find_by_name_kind(bpf_object__btf(obj.get()), ".kconfig", BTF_KIND_DATASEC);
  ASSERT_GT(sec, 0);
  EXPECT_EQ(bpf_map__value_size(m), btf__type_by_id(bpf_object__btf(obj.get()), sec)->size);
  EXPECT_EQ(bpf_map__btf_value_type_id(m), static_cast<__u32>(sec));
  size_t size = 0;
  EXPECT_NE(bpf_map__initial_value(const_cast<bpf_map*>(m), &size), nullptr);
  EXPECT_EQ(size, bpf_map__value_size(m));
  // An object without kconfig externs has none.
  ObjectPtr other(bpf_object__open_file(test::prog_path("extern_ksyms").c_str(), nullptr));
  ASSERT_TRUE(other);
  EXPECT_EQ(kconfig_map(*other), nullptr);
}

// patch_extern() over the relocations of an opened (not loaded) object,
// with resolution results set by hand.
class PatchExtern : public ::testing::Test {
 protected:
  void SetUp() override {
    obj_.reset(bpf_object__open_file(test::prog_path("extern_ksyms").c_str(), nullptr));
    ASSERT_TRUE(obj_);
    prog_ = bpf_object__find_program_by_name(obj_.get(), "use_ksyms");
    ASSERT_NE(prog_, nullptr);
  }
  Extern& ext(const char* name) {
    for (Extern& e : obj_->externs) {
      if (e.name == name) return e;
    }
    ADD_FAILURE() << name;
    return obj_->externs.front();
  }
  const Relocation* relo(const char* name, RelocKind kind) {
    for (const Relocation& r : prog_->relos) {
      if (r.sym_name == name && r.kind == kind) return &r;
    }
    ADD_FAILURE() << name;
    return nullptr;
  }
  ObjectPtr obj_;
  bpf_program* prog_ = nullptr;
};

TEST_F(PatchExtern, EachKindBecomesWhatTheKernelExpects) {
  // Typeless: a 64-bit constant.
  Extern& stext = ext("_stext");
  stext.resolved = true;
  stext.typeless = true;
  stext.addr = 0xffffffff81000000ull;
  const Relocation* r = relo("_stext", RelocKind::kExternVar);
  ASSERT_NE(r, nullptr);
  bpf_insn in[2] = {prog_->insns[r->insn_idx], prog_->insns[r->insn_idx + 1]};
  ASSERT_TRUE(patch_extern(*obj_, *r, in));
  EXPECT_EQ(in[0].src_reg, 0);
  EXPECT_EQ(static_cast<uint32_t>(in[0].imm), 0x81000000u);
  EXPECT_EQ(static_cast<uint32_t>(in[1].imm), 0xffffffffu);

  // A kfunc call: its kernel id, the module's fd_array slot.
  Extern& f = ext("bpf_task_from_pid");
  f.resolved = true;
  f.kernel_btf_id = 4242;
  f.fd_array_idx = 3;
  r = relo("bpf_task_from_pid", RelocKind::kExternCall);
  ASSERT_NE(r, nullptr);
  bpf_insn call = prog_->insns[r->insn_idx];
  ASSERT_TRUE(patch_extern(*obj_, *r, &call));
  EXPECT_EQ(call.src_reg, BPF_PSEUDO_KFUNC_CALL);
  EXPECT_EQ(call.imm, 4242);
  EXPECT_EQ(call.off, 3);

  // A weak kfunc that is missing: its address reads 0 and its call keeps
  // imm 0 / off 0 for the verifier to drop.
  r = relo("bpfxx_no_such_kfunc", RelocKind::kExternCall);
  ASSERT_NE(r, nullptr);
  call = prog_->insns[r->insn_idx];
  ASSERT_TRUE(patch_extern(*obj_, *r, &call));
  EXPECT_EQ(call.src_reg, BPF_PSEUDO_KFUNC_CALL);
  EXPECT_EQ(call.imm, 0);
  EXPECT_EQ(call.off, 0);
  r = relo("bpfxx_no_such_kfunc", RelocKind::kExternVar);
  ASSERT_NE(r, nullptr);
  in[0] = prog_->insns[r->insn_idx];
  in[1] = prog_->insns[r->insn_idx + 1];
  ASSERT_TRUE(patch_extern(*obj_, *r, in));
  EXPECT_EQ(in[0].src_reg, 0);
  EXPECT_EQ(in[0].imm, 0);
  EXPECT_EQ(in[1].imm, 0);

  // A resolved kfunc's address (bpf_ksym_exists()): a BTF id load.
  Extern& rel = ext("bpf_task_release");
  rel.resolved = true;
  rel.kernel_btf_id = 99;
  rel.kernel_btf_fd = 7;
  Relocation fake = *relo("bpf_task_release", RelocKind::kExternCall);
  fake.kind = RelocKind::kExternVar;
  in[0] = bpf_insn{BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 0};
  in[1] = bpf_insn{};
  ASSERT_TRUE(patch_extern(*obj_, fake, in));
  EXPECT_EQ(in[0].src_reg, BPF_PSEUDO_BTF_ID);
  EXPECT_EQ(in[0].imm, 99);
  EXPECT_EQ(in[1].imm, 7);

  // fd_array: slot 3 holds the module fd, the rest 0.
  f.kernel_btf_fd = 11;
  EXPECT_EQ(extern_fd_array(*obj_), (std::vector<int>{0, 0, 0, 11}));
  release_externs(*obj_);
  EXPECT_TRUE(extern_fd_array(*obj_).empty());
  EXPECT_FALSE(ext("_stext").resolved);
}

TEST_F(PatchExtern, StrongUnresolvedAndMisusedExternsFailNamingThem) {
  test::CapturePrint cap;
  const Relocation* r = relo("bpf_task_from_pid", RelocKind::kExternCall);
  ASSERT_NE(r, nullptr);
  bpf_insn call = prog_->insns[r->insn_idx];
  Result<void> res = patch_extern(*obj_, *r, &call);
  ASSERT_FALSE(res);
  EXPECT_NE(cap.text().find("bpf_task_from_pid"), std::string::npos) << cap.text();
  // A call of something that is not a kfunc.
  Relocation wrong = *relo("_stext", RelocKind::kExternVar);
  wrong.kind = RelocKind::kExternCall;
  res = patch_extern(*obj_, wrong, &call);
  ASSERT_FALSE(res);
  EXPECT_NE(res.message().find("not declared as a kfunc"), std::string::npos) << res.message();
  wrong.ext_idx = 1000;
  EXPECT_FALSE(patch_extern(*obj_, wrong, &call));
}

}  // namespace
}  // namespace bpfxx::object
