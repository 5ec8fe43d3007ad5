// Info by fd (generic and typed), BTF loading with a log, run-time
// statistics, and binding a map to a program.
#include "bpf_test_util.h"
#include "btf_blob.h"
#include "sys/features.h"

#include <vector>

namespace bpfxx::test {
namespace {

TEST(ObjInfo, GenericInfoMatchesTypedInfo) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_map(BPF_MAP_TYPE_HASH, "generic", 4, 16, 8);
  BPFXX_ASSERT_FD(map, "creating the map");
  bpf_map_info a;
  std::memset(&a, 0, sizeof(a));
  __u32 len = sizeof(a);
  BPFXX_ASSERT_OK(bpf_obj_get_info_by_fd(map.get(), &a, &len));
  EXPECT_EQ(a.type, static_cast<__u32>(BPF_MAP_TYPE_HASH));
  EXPECT_EQ(a.value_size, 16u);
  EXPECT_STREQ(a.name, "generic");
  EXPECT_EQ(a.id, map_id(map.get())) << "expected the same id from the typed call";

  // A short info_len: the kernel fills only what fits and reports it.
  bpf_map_info b;
  std::memset(&b, 0xff, sizeof(b));
  len = offsetof(bpf_map_info, key_size);  // type and id only
  BPFXX_ASSERT_OK(bpf_map_get_info_by_fd(map.get(), &b, &len));
  EXPECT_EQ(len, offsetof(bpf_map_info, key_size)) << "expected info_len to stay at the short size";
  EXPECT_EQ(b.id, a.id) << "expected the id inside the short window";
  EXPECT_EQ(b.key_size, 0xffffffffu) << "expected bytes past info_len to be left alone";

  // A larger info_len than the kernel knows, with a zero tail, is accepted
  // and info_len is cut down to the kernel's size.
  struct {
    bpf_map_info info;
    char tail[64];
  } big;
  std::memset(&big, 0, sizeof(big));
  len = sizeof(big);
  BPFXX_ASSERT_OK(bpf_map_get_info_by_fd(map.get(), &big.info, &len));
  EXPECT_LE(len, sizeof(big)) << "expected info_len not to grow";
  EXPECT_EQ(big.info.id, a.id);

  // The kernel answers a bad fd here with EBADFD, not EBADF.
  BPFXX_EXPECT_ERR(bpf_map_get_info_by_fd(-1, &a, &len), EBADFD);
}

TEST(ObjInfo, ProgInfoNameTypeTagAndInstructions) {
  BPFXX_REQUIRE_ROOT();
  insn::Program p = insn::return_imm(3);
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "info_prog", p);
  BPFXX_ASSERT_FD(prog, "loading the program");
  std::vector<bpf_insn> xlated(16);
  bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  info.xlated_prog_insns = reinterpret_cast<__u64>(xlated.data());
  info.xlated_prog_len = static_cast<__u32>(xlated.size() * sizeof(bpf_insn));
  __u32 len = sizeof(info);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(prog.get(), &info, &len));
  EXPECT_STREQ(info.name, "info_prog");
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_PROG_TYPE_SOCKET_FILTER));
  ASSERT_EQ(info.xlated_prog_len, 2 * sizeof(bpf_insn)) << "expected two translated instructions";
  EXPECT_EQ(xlated[0].code, p.data()[0].code) << "expected the translated program to start with our mov";
  EXPECT_EQ(xlated[0].imm, 3) << "expected the mov of 3";
  EXPECT_EQ(xlated[1].code, p.data()[1].code) << "expected exit";
  bool tag_set = false;
  for (auto b : info.tag) tag_set |= b != 0;
  EXPECT_TRUE(tag_set) << "expected a program tag";
  EXPECT_GT(info.load_time, 0u) << "expected a load time";
}

// Kernels with the reworked verifier log report the size the whole BTF log
// needs; older ones leave btf_log_true_size at 0, handed back as is (libbpf
// does the same).
bool kernel_reports_btf_log_size() { return bpfxx::sys::has_feature(bpfxx::sys::Feature::BtfLogTrueSize); }

__u32 expected_true_size(size_t log_len) {
  return kernel_reports_btf_log_size() ? static_cast<__u32>(log_len + 1) : 0u;
}

TEST(ObjInfo, BtfLoadWithLogReportsErrors) {
  BPFXX_REQUIRE_ROOT();
  // A good blob with a log: loads, the log is NUL-terminated.
  std::vector<unsigned char> good = tiny_btf();
  std::vector<char> log(65536, 'Q');
  LIBBPF_OPTS(bpf_btf_load_opts, opts);
  opts.log_buf = log.data();
  opts.log_size = static_cast<__u32>(log.size());
  opts.log_level = 1;
  UniqueFd btf(bpf_btf_load(good.data(), good.size(), &opts));
  BPFXX_ASSERT_FD(btf, "bpf_btf_load with a log") << " log: " << std::string(log.data(), 200);
  EXPECT_EQ(opts.log_true_size, expected_true_size(std::strlen(log.data())))
      << "expected log_true_size = strlen(log) + 1";

  // A type referring to a type id that does not exist.
  BtfBlob bad;
  bad.add_int("int", 4, true);
  bad.add_ptr(42);
  std::vector<unsigned char> bytes = bad.bytes();
  log.assign(log.size(), 'Q');
  LIBBPF_OPTS(bpf_btf_load_opts, bopts);
  bopts.log_buf = log.data();
  bopts.log_size = static_cast<__u32>(log.size());
  bopts.log_level = 1;
  errno = 0;
  int fd = bpf_btf_load(bytes.data(), bytes.size(), &bopts);
  int e = errno;
  EXPECT_EQ(fd, -EINVAL) << "expected a dangling type reference to be refused";
  EXPECT_EQ(e, EINVAL) << "expected errno EINVAL";
  std::string text(log.data());
  EXPECT_NE(text.find("type_id"), std::string::npos)
      << "expected the kernel's BTF log to name the bad type id, got: " << text;
  EXPECT_EQ(bopts.log_true_size, expected_true_size(text.size())) << "expected log_true_size = strlen(log) + 1";
  if (fd >= 0) close(fd);

  // A wrong magic number.
  bytes[0] ^= 0xff;
  log.assign(log.size(), 'Q');
  errno = 0;
  fd = bpf_btf_load(bytes.data(), bytes.size(), &bopts);
  EXPECT_EQ(fd, -EINVAL) << "expected a bad magic to be refused";
  EXPECT_NE(std::string(log.data()).find("magic"), std::string::npos)
      << "expected the log to mention the magic, got: " << log.data();
  if (fd >= 0) close(fd);
}

TEST(ObjInfo, BtfLoadTooSmallLogIsEnospc) {
  BPFXX_REQUIRE_ROOT();
  BtfBlob bad;
  bad.add_int("int", 4, true);
  bad.add_ptr(42);
  std::vector<unsigned char> bytes = bad.bytes();
  char log[129];
  // Older kernels refuse a log buffer under 128 bytes (EINVAL) and do not
  // say how much was needed; newer ones take any size.
  const bool reports = kernel_reports_btf_log_size();
  const size_t size = reports ? 8 : 128;
  LIBBPF_OPTS(bpf_btf_load_opts, opts);
  opts.log_buf = log;
  opts.log_level = 1;
  int fd;
  if (!reports) {
    std::memset(log, 'Q', sizeof(log));
    opts.log_size = 8;
    errno = 0;
    fd = bpf_btf_load(bytes.data(), bytes.size(), &opts);
    EXPECT_EQ(fd, -EINVAL) << "expected an 8-byte BTF log buffer to be refused";
    EXPECT_EQ(errno, EINVAL);
    if (fd >= 0) close(fd);
  }
  std::memset(log, 'Q', sizeof(log));
  log[size] = 0;  // just past the buffer the kernel may use
  opts.log_size = static_cast<__u32>(size);
  // Older kernels report a full log only for a blob they accept (a refused
  // one gives its own error): use the good blob there, whose log (176 bytes)
  // does not fit either.
  if (!reports) bytes = tiny_btf();
  errno = 0;
  fd = bpf_btf_load(bytes.data(), bytes.size(), &opts);
  EXPECT_EQ(fd, -ENOSPC) << "expected -ENOSPC when the BTF log does not fit";
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(std::strlen(log), size - 1) << "expected a full, NUL-terminated log buffer";
  if (reports) {
    EXPECT_GT(opts.log_true_size, size) << "expected log_true_size to say how much was needed";
  } else {
    EXPECT_EQ(opts.log_true_size, 0u) << "expected no log_true_size from this kernel";
  }
  if (fd >= 0) close(fd);
}

TEST(ObjInfo, EnableStatsCountsRuns) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "stats", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading the program");
  UniqueFd stats(bpf_enable_stats(BPF_STATS_RUN_TIME));
  BPFXX_ASSERT_FD(stats, "bpf_enable_stats(BPF_STATS_RUN_TIME)");
  bpf_prog_info before = prog_info(prog.get());

  __u8 pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = pkt;
  opts.data_size_in = sizeof(pkt);
  opts.repeat = 100;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  bpf_prog_info after = prog_info(prog.get());
  EXPECT_GE(after.run_cnt, before.run_cnt + 100) << "expected run_cnt to grow by the 100 runs";
  EXPECT_GT(after.run_time_ns, before.run_time_ns) << "expected run_time_ns to grow";

  // An unknown statistics type.
  BPFXX_EXPECT_ERR(bpf_enable_stats(static_cast<bpf_stats_type>(1000)), EINVAL);
}

TEST(ObjInfo, BindMapAddsItToTheProgram) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "bind", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading the program");
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "bound", 4, 4, 1);
  BPFXX_ASSERT_FD(map, "creating the map");
  EXPECT_EQ(prog_info(prog.get()).nr_map_ids, 0u) << "expected no maps before binding";
  BPFXX_ASSERT_OK(bpf_prog_bind_map(prog.get(), map.get(), nullptr));

  __u32 ids[2] = {};
  bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  info.nr_map_ids = 2;
  info.map_ids = reinterpret_cast<__u64>(ids);
  __u32 len = sizeof(info);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(prog.get(), &info, &len));
  EXPECT_EQ(info.nr_map_ids, 1u) << "expected the bound map to be listed";
  __u32 mid = map_id(map.get());
  EXPECT_EQ(ids[0], mid) << "expected the bound map's id";

  // Binding twice is harmless; the map lives as long as the program.
  LIBBPF_OPTS(bpf_prog_bind_opts, opts);
  BPFXX_EXPECT_OK(bpf_prog_bind_map(prog.get(), map.get(), &opts));
  EXPECT_EQ(prog_info(prog.get()).nr_map_ids, 1u) << "expected no duplicate binding";
  map.reset();
  UniqueFd again(bpf_map_get_fd_by_id(mid));
  BPFXX_ASSERT_FD(again, "reopening the bound map by id after closing its fd");

  // Unknown flags are refused.
  opts.flags = 1;
  BPFXX_EXPECT_ERR(bpf_prog_bind_map(prog.get(), again.get(), &opts), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
