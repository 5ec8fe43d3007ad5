// The `sz` rules of libbpf's opts structs, for every <bpf/bpf.h> wrapper
// that takes one, checked without a kernel:
//   - sz smaller than sizeof(size_t): -EINVAL, errno EINVAL, no syscall;
//   - sz larger than the struct with a non-zero byte in the unknown tail:
//     -EINVAL, errno EINVAL, no syscall;
//   - sz larger with an all-zero tail, sz == sizeof, sz == sizeof(size_t)
//     (an "old" caller knowing no field) and NULL opts: accepted, the
//     syscall is made.
#include "fake_kernel.h"

#include "capi/opts.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>
#include <string>

namespace bpfxx::test {
namespace {

constexpr int kFakeFd = 100;

// The opts struct with room for a newer caller's extra fields behind it.
template <class Opts>
struct Padded {
  Opts opts;
  unsigned char tail[40];
};

struct OptsCase {
  const char* name;
  const char* type_name;  // the opts struct, which warnings must name
  // Runs the wrapper with the given opts pointer (may be NULL); the pointer
  // is to a Padded<Opts> whose sz the test has set.
  std::function<int(void* opts)> call;
  size_t opts_size;  // sizeof(Opts)
};

template <class Opts>
OptsCase make_case(const char* name, const char* type_name, std::function<int(Opts*)> call) {
  return OptsCase{name, type_name, [call](void* p) { return call(static_cast<Opts*>(p)); }, sizeof(Opts)};
}

// Collects what the library prints.
std::string g_printed;
int capture_print(enum libbpf_print_level, const char* fmt, va_list args) {
  char buf[512];
  std::vsnprintf(buf, sizeof(buf), fmt, args);
  g_printed += buf;
  return 0;
}

// Arguments that pass every check the wrappers make themselves.
const bpf_insn kInsns[2] = {
    {0xb7, 0, 0, 0, 0},  // r0 = 0
    {0x95, 0, 0, 0, 0},  // exit
};
const unsigned char kBtf[32] = {0x9f, 0xeb, 1, 0, 24};
__u32 g_keys[4], g_count = 4;
__u64 g_values[4], g_batch;
char g_buf[64];

std::vector<OptsCase> all_cases() {
  std::vector<OptsCase> v;
  v.push_back(make_case<struct bpf_map_create_opts>("bpf_map_create", "bpf_map_create_opts", [](struct bpf_map_create_opts* o) {
    return bpf_map_create(BPF_MAP_TYPE_ARRAY, "m", 4, 4, 1, o);
  }));
  v.push_back(make_case<struct bpf_prog_load_opts>("bpf_prog_load", "bpf_prog_load_opts", [](struct bpf_prog_load_opts* o) {
    return bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "p", "GPL", kInsns, 2, o);
  }));
  v.push_back(make_case<struct bpf_btf_load_opts>("bpf_btf_load", "bpf_btf_load_opts", [](struct bpf_btf_load_opts* o) {
    return bpf_btf_load(kBtf, sizeof(kBtf), o);
  }));
  v.push_back(make_case<struct bpf_map_batch_opts>("bpf_map_delete_batch", "bpf_map_batch_opts", [](struct bpf_map_batch_opts* o) {
    g_count = 4;
    return bpf_map_delete_batch(kFakeFd, g_keys, &g_count, o);
  }));
  v.push_back(make_case<struct bpf_map_batch_opts>("bpf_map_lookup_batch", "bpf_map_batch_opts", [](struct bpf_map_batch_opts* o) {
    g_count = 4;
    return bpf_map_lookup_batch(kFakeFd, nullptr, &g_batch, g_keys, g_values, &g_count, o);
  }));
  v.push_back(make_case<struct bpf_map_batch_opts>("bpf_map_lookup_and_delete_batch", "bpf_map_batch_opts", [](struct bpf_map_batch_opts* o) {
    g_count = 4;
    return bpf_map_lookup_and_delete_batch(kFakeFd, nullptr, &g_batch, g_keys, g_values, &g_count, o);
  }));
  v.push_back(make_case<struct bpf_map_batch_opts>("bpf_map_update_batch", "bpf_map_batch_opts", [](struct bpf_map_batch_opts* o) {
    g_count = 4;
    return bpf_map_update_batch(kFakeFd, g_keys, g_values, &g_count, o);
  }));
  v.push_back(make_case<struct bpf_obj_pin_opts>("bpf_obj_pin_opts", "bpf_obj_pin_opts", [](struct bpf_obj_pin_opts* o) {
    return bpf_obj_pin_opts(kFakeFd, "/sys/fs/bpf/x", o);
  }));
  v.push_back(make_case<struct bpf_obj_get_opts>("bpf_obj_get_opts", "bpf_obj_get_opts", [](struct bpf_obj_get_opts* o) {
    return bpf_obj_get_opts("/sys/fs/bpf/x", o);
  }));
  v.push_back(make_case<struct bpf_prog_attach_opts>("bpf_prog_attach_opts", "bpf_prog_attach_opts", [](struct bpf_prog_attach_opts* o) {
    return bpf_prog_attach_opts(kFakeFd, kFakeFd + 1, BPF_CGROUP_INET_INGRESS, o);
  }));
  v.push_back(make_case<struct bpf_prog_detach_opts>("bpf_prog_detach_opts", "bpf_prog_detach_opts", [](struct bpf_prog_detach_opts* o) {
    return bpf_prog_detach_opts(kFakeFd, kFakeFd + 1, BPF_CGROUP_INET_INGRESS, o);
  }));
  v.push_back(make_case<struct bpf_link_create_opts>("bpf_link_create", "bpf_link_create_opts", [](struct bpf_link_create_opts* o) {
    return bpf_link_create(kFakeFd, kFakeFd + 1, BPF_CGROUP_INET_INGRESS, o);
  }));
  v.push_back(make_case<struct bpf_link_update_opts>("bpf_link_update", "bpf_link_update_opts", [](struct bpf_link_update_opts* o) {
    return bpf_link_update(kFakeFd, kFakeFd + 1, o);
  }));
  v.push_back(make_case<struct bpf_get_fd_by_id_opts>("bpf_prog_get_fd_by_id_opts", "bpf_get_fd_by_id_opts", [](struct bpf_get_fd_by_id_opts* o) {
    return bpf_prog_get_fd_by_id_opts(7, o);
  }));
  v.push_back(make_case<struct bpf_get_fd_by_id_opts>("bpf_map_get_fd_by_id_opts", "bpf_get_fd_by_id_opts", [](struct bpf_get_fd_by_id_opts* o) {
    return bpf_map_get_fd_by_id_opts(7, o);
  }));
  v.push_back(make_case<struct bpf_get_fd_by_id_opts>("bpf_btf_get_fd_by_id_opts", "bpf_get_fd_by_id_opts", [](struct bpf_get_fd_by_id_opts* o) {
    return bpf_btf_get_fd_by_id_opts(7, o);
  }));
  v.push_back(make_case<struct bpf_get_fd_by_id_opts>("bpf_link_get_fd_by_id_opts", "bpf_get_fd_by_id_opts", [](struct bpf_get_fd_by_id_opts* o) {
    return bpf_link_get_fd_by_id_opts(7, o);
  }));
  v.push_back(make_case<struct bpf_prog_query_opts>("bpf_prog_query_opts", "bpf_prog_query_opts", [](struct bpf_prog_query_opts* o) {
    return bpf_prog_query_opts(kFakeFd, BPF_CGROUP_INET_INGRESS, o);
  }));
  v.push_back(make_case<struct bpf_raw_tp_opts>("bpf_raw_tracepoint_open_opts", "bpf_raw_tp_opts", [](struct bpf_raw_tp_opts* o) {
    return bpf_raw_tracepoint_open_opts(kFakeFd, o);
  }));
  v.push_back(make_case<struct bpf_prog_bind_opts>("bpf_prog_bind_map", "bpf_prog_bind_opts", [](struct bpf_prog_bind_opts* o) {
    return bpf_prog_bind_map(kFakeFd, kFakeFd + 1, o);
  }));
  v.push_back(make_case<struct bpf_test_run_opts>("bpf_prog_test_run_opts", "bpf_test_run_opts", [](struct bpf_test_run_opts* o) {
    return bpf_prog_test_run_opts(kFakeFd, o);
  }));
  v.push_back(make_case<struct bpf_token_create_opts>("bpf_token_create", "bpf_token_create_opts", [](struct bpf_token_create_opts* o) {
    return bpf_token_create(kFakeFd, o);
  }));
  v.push_back(make_case<struct bpf_prog_stream_read_opts>("bpf_prog_stream_read", "bpf_prog_stream_read_opts", [](struct bpf_prog_stream_read_opts* o) {
    return bpf_prog_stream_read(kFakeFd, BPF_STREAM_STDOUT, g_buf, sizeof(g_buf), o);
  }));
  v.push_back(make_case<struct bpf_prog_assoc_struct_ops_opts>(
      "bpf_prog_assoc_struct_ops", "bpf_prog_assoc_struct_ops_opts",
      [](struct bpf_prog_assoc_struct_ops_opts* o) { return bpf_prog_assoc_struct_ops(kFakeFd, kFakeFd + 1, o); }));
  return v;
}

class OptsValidation : public testing::TestWithParam<OptsCase> {
 protected:
  void TearDown() override { libbpf_set_print(old_print_); }
  void SetUp() override {
    g_printed.clear();
    old_print_ = libbpf_set_print(capture_print);
    fake_.default_result = 0;
    // Commands that create an fd answer with one.
    for (int cmd : {BPF_MAP_CREATE, BPF_PROG_LOAD, BPF_BTF_LOAD, BPF_OBJ_GET, BPF_LINK_CREATE,
                    BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID,
                    BPF_LINK_GET_FD_BY_ID, BPF_RAW_TRACEPOINT_OPEN, BPF_TOKEN_CREATE})
      fake_.results[cmd] = kFakeFd + 50;
  }

  // Calls the wrapper with sz set to `sz` and one tail byte (offset
  // `dirty`, counted from the start of the struct; -1 for none) non-zero.
  int call_with(size_t sz, long dirty, int* err) {
    const OptsCase& c = GetParam();
    std::vector<unsigned char> mem(c.opts_size + 40 + 16, 0);
    // size_t alignment for the struct.
    void* p = mem.data();
    size_t space = mem.size();
    p = std::align(alignof(std::max_align_t), c.opts_size + 40, p, space);
    std::memcpy(p, &sz, sizeof(sz));
    if (dirty >= 0) static_cast<unsigned char*>(p)[dirty] = 0x5a;
    fake_.calls.clear();
    errno = 0;
    int rc = c.call(p);
    *err = errno;
    return rc;
  }

  FakeKernel fake_;
  libbpf_print_fn_t old_print_ = nullptr;
};

TEST_P(OptsValidation, SizeSmallerThanSizeFieldIsEinval) {
  ScopedKernel scoped(&fake_);
  for (size_t sz : {size_t{0}, size_t{1}, sizeof(size_t) - 1}) {
    int err = 0;
    int rc = call_with(sz, -1, &err);
    EXPECT_EQ(rc, -EINVAL) << GetParam().name << " with sz=" << sz << ": expected -EINVAL";
    EXPECT_EQ(err, EINVAL) << GetParam().name << " with sz=" << sz << ": expected errno EINVAL";
    EXPECT_TRUE(fake_.calls.empty()) << GetParam().name << " with sz=" << sz
                                     << ": expected no syscall for invalid opts";
  }
  EXPECT_NE(g_printed.find(GetParam().type_name), std::string::npos)
      << GetParam().name << ": expected a warning naming " << GetParam().type_name << ", got: " << g_printed;
}

TEST_P(OptsValidation, NonZeroUnknownTailIsEinval) {
  ScopedKernel scoped(&fake_);
  const size_t size = GetParam().opts_size;
  for (long dirty : {static_cast<long>(size), static_cast<long>(size + 7), static_cast<long>(size + 39)}) {
    int err = 0;
    int rc = call_with(size + 40, dirty, &err);
    EXPECT_EQ(rc, -EINVAL) << GetParam().name << " with a non-zero byte at " << dirty
                           << " of a " << size + 40 << "-byte opts: expected -EINVAL";
    EXPECT_EQ(err, EINVAL) << GetParam().name << ": expected errno EINVAL";
    EXPECT_TRUE(fake_.calls.empty()) << GetParam().name << ": expected no syscall for an unknown non-zero field";
  }
  EXPECT_NE(g_printed.find(GetParam().type_name), std::string::npos)
      << GetParam().name << ": expected a warning naming " << GetParam().type_name << ", got: " << g_printed;
}

TEST_P(OptsValidation, ZeroTailNullAndOldSizesAreAccepted) {
  ScopedKernel scoped(&fake_);
  const size_t size = GetParam().opts_size;
  struct {
    const char* what;
    size_t sz;
  } sizes[] = {{"oversized, zero tail", size + 40},
               {"exact size", size},
               {"size_t only (an old caller)", sizeof(size_t)}};
  for (auto& s : sizes) {
    int err = 0;
    int rc = call_with(s.sz, -1, &err);
    EXPECT_GE(rc, 0) << GetParam().name << " with " << s.what << " (sz=" << s.sz
                     << "): expected acceptance, got " << rc << " errno " << err;
    EXPECT_FALSE(fake_.calls.empty()) << GetParam().name << " with " << s.what << ": expected the syscall";
  }
  fake_.calls.clear();
  errno = 0;
  int rc = GetParam().call(nullptr);
  EXPECT_GE(rc, 0) << GetParam().name << " with NULL opts: expected acceptance, errno " << errno;
  EXPECT_FALSE(fake_.calls.empty()) << GetParam().name << " with NULL opts: expected the syscall";
}

INSTANTIATE_TEST_SUITE_P(EveryWrapper, OptsValidation, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<OptsCase>& i) { return std::string(i.param.name); });

// The nested log options of bpf_map_create follow the same rules.
TEST(OptsValidationNested, MapCreateLogOptsSizeIsChecked) {
  FakeKernel fake;
  fake.results[BPF_MAP_CREATE] = kFakeFd;
  ScopedKernel scoped(&fake);
  char log[64];
  struct {
    bpf_log_opts opts;
    unsigned char tail[16];
  } lo;
  std::memset(&lo, 0, sizeof(lo));
  lo.opts.buf = log;
  lo.opts.size = sizeof(log);
  lo.opts.level = 1;
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.log_opts = &lo.opts;

  lo.opts.sz = 2;
  errno = 0;
  EXPECT_EQ(bpf_map_create(BPF_MAP_TYPE_ARRAY, "m", 4, 4, 1, &opts), -EINVAL)
      << "expected a too-small bpf_log_opts.sz to be refused";
  EXPECT_EQ(errno, EINVAL);

  lo.opts.sz = sizeof(lo);
  lo.tail[3] = 1;
  errno = 0;
  EXPECT_EQ(bpf_map_create(BPF_MAP_TYPE_ARRAY, "m", 4, 4, 1, &opts), -EINVAL)
      << "expected a non-zero unknown byte in bpf_log_opts to be refused";
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(fake.count(BPF_MAP_CREATE), 0) << "expected no syscall for invalid log opts";
}

// ---- LIBBPF_OPTS from C++ ----------------------------------------------------

// Fills a stretch of stack with non-zero bytes, so that whatever LIBBPF_OPTS
// leaves uninitialized shows up.
__attribute__((noinline)) void dirty_stack() {
  volatile unsigned char junk[8192];
  for (size_t i = 0; i < sizeof(junk); i++) junk[i] = 0xa5;
}

// Bytes of a LIBBPF_OPTS-declared struct that lie past the last field this
// library knows; all must be zero, or the library refuses the opts.
template <class T>
__attribute__((noinline)) int tail_garbage(const T& opts, size_t known) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(&opts);
  int bad = 0;
  for (size_t i = known; i < sizeof(T); i++) bad |= p[i];
  return bad;
}

// One function per opts type, each declaring its opts with LIBBPF_OPTS in
// its own frame (on top of the dirtied stack), as user code does.
#define BPFXX_DEFINE_TAIL_CHECK(type)                                      \
  __attribute__((noinline)) int tail_garbage_of_##type() {                 \
    LIBBPF_OPTS(type, o);                                                  \
    if (o.sz != sizeof(struct type)) return -1;                            \
    return tail_garbage(o, BPFXX_OPTS_KNOWN_SIZE(type));                   \
  }
BPFXX_DEFINE_TAIL_CHECK(bpf_map_create_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_load_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_btf_load_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_map_batch_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_obj_pin_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_obj_get_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_attach_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_detach_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_link_create_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_link_update_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_get_fd_by_id_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_query_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_raw_tp_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_bind_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_test_run_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_token_create_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_stream_read_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_prog_assoc_struct_ops_opts)
BPFXX_DEFINE_TAIL_CHECK(bpf_log_opts)

TEST(LibbpfOptsMacro, ZeroesEverythingPastTheLastField) {
  struct {
    const char* type;
    int (*check)();
    size_t known, size;
  } checks[] = {
#define BPFXX_TAIL_ENTRY(type) {#type, tail_garbage_of_##type, BPFXX_OPTS_KNOWN_SIZE(type), sizeof(struct type)}
      BPFXX_TAIL_ENTRY(bpf_map_create_opts),     BPFXX_TAIL_ENTRY(bpf_prog_load_opts),
      BPFXX_TAIL_ENTRY(bpf_btf_load_opts),       BPFXX_TAIL_ENTRY(bpf_map_batch_opts),
      BPFXX_TAIL_ENTRY(bpf_obj_pin_opts),        BPFXX_TAIL_ENTRY(bpf_obj_get_opts),
      BPFXX_TAIL_ENTRY(bpf_prog_attach_opts),    BPFXX_TAIL_ENTRY(bpf_prog_detach_opts),
      BPFXX_TAIL_ENTRY(bpf_link_create_opts),    BPFXX_TAIL_ENTRY(bpf_link_update_opts),
      BPFXX_TAIL_ENTRY(bpf_get_fd_by_id_opts),   BPFXX_TAIL_ENTRY(bpf_prog_query_opts),
      BPFXX_TAIL_ENTRY(bpf_raw_tp_opts),         BPFXX_TAIL_ENTRY(bpf_prog_bind_opts),
      BPFXX_TAIL_ENTRY(bpf_test_run_opts),       BPFXX_TAIL_ENTRY(bpf_token_create_opts),
      BPFXX_TAIL_ENTRY(bpf_prog_stream_read_opts), BPFXX_TAIL_ENTRY(bpf_prog_assoc_struct_ops_opts),
      BPFXX_TAIL_ENTRY(bpf_log_opts),
#undef BPFXX_TAIL_ENTRY
  };
  for (auto& c : checks) {
    dirty_stack();
    int garbage = c.check();
    EXPECT_NE(garbage, -1) << "LIBBPF_OPTS(" << c.type << "): expected sz == sizeof";
    EXPECT_EQ(garbage, 0) << "LIBBPF_OPTS(" << c.type << ") left non-zero bytes after the last field (bytes "
                          << c.known << ".." << c.size << "): every call with these opts fails with -EINVAL";
  }
}

__attribute__((noinline)) int bind_with_declared_opts() {
  LIBBPF_OPTS(bpf_prog_bind_opts, o);
  return bpf_prog_bind_map(kFakeFd, kFakeFd + 1, &o);
}
__attribute__((noinline)) int update_with_declared_opts() {
  LIBBPF_OPTS(bpf_link_update_opts, o);
  return bpf_link_update(kFakeFd, kFakeFd + 1, &o);
}
__attribute__((noinline)) int token_with_declared_opts() {
  LIBBPF_OPTS(bpf_token_create_opts, o);
  return bpf_token_create(kFakeFd, &o);
}

// What users write: LIBBPF_OPTS then the call. It must be accepted.
TEST(LibbpfOptsMacro, DeclaredOptsAreAccepted) {
  FakeKernel fake;
  fake.results[BPF_TOKEN_CREATE] = kFakeFd;
  ScopedKernel scoped(&fake);
  dirty_stack();
  EXPECT_EQ(bind_with_declared_opts(), 0) << "expected LIBBPF_OPTS(bpf_prog_bind_opts) to be accepted";
  dirty_stack();
  EXPECT_EQ(update_with_declared_opts(), 0) << "expected LIBBPF_OPTS(bpf_link_update_opts) to be accepted";
  dirty_stack();
  EXPECT_EQ(token_with_declared_opts(), kFakeFd) << "expected LIBBPF_OPTS(bpf_token_create_opts) to be accepted";
}

}  // namespace
}  // namespace bpfxx::test
