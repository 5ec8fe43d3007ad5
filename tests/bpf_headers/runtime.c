/* Part of bpfxx. Runtime checks of the BPF-side headers. */
/*
 * Loads the programs of tests/bpf_headers/progs/runtime/ (compiled against
 * bpfxx's BPF-side headers) with bpfxx's own loader (libbpfxx.so, through
 * the libbpf C API only), runs them in the kernel and checks what they
 * computed: headers and loader are tested together (kfuncs, CO-RE, uprobe
 * argument access, BTF-defined globals).
 *
 *   bpf_headers_runtime <check> <object>
 *
 * checks: loops, core_task, uprobe_args, stream_printk.
 * Exit status: 0 pass, 1 fail, 77 skipped (not root, the kernel lacks
 * what the check needs, or BPFXX_TEST_SKIP_MISSING_OBJECT is set and the
 * object was not built).
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SKIP 77

static int failures;

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			failures++;                                         \
		}                                                           \
	} while (0)

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("BPFXX_TEST_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Offset of global variable name in data section sec (".bss", ".rodata"). */
static long var_offset(struct bpf_object *obj, const char *sec, const char *name)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	const struct btf_var_secinfo *vs;
	int id, i;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, v->name_off), name) == 0)
			return vs->offset;
	}
	return -1;
}

static struct bpf_map *data_map(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *n = bpf_map__name(m);
		size_t ln = strlen(n), ls = strlen(sec);

		/* internal maps are named <object prefix><section> */
		if (ln >= ls && strcmp(n + ln - ls, sec) == 0)
			return m;
	}
	return NULL;
}

/* Before load: set an int in .rodata. */
static int set_rodata_int(struct bpf_object *obj, const char *name, int value)
{
	struct bpf_map *m = data_map(obj, ".rodata");
	long off = var_offset(obj, ".rodata", name);
	const void *init;
	size_t size = 0;
	char *copy;
	int err;

	if (!m || off < 0)
		return -1;
	init = bpf_map__initial_value(m, &size);
	if (!init || (size_t)off + sizeof(int) > size)
		return -1;
	copy = malloc(size);
	if (!copy)
		return -1;
	memcpy(copy, init, size);
	memcpy(copy + off, &value, sizeof(value));
	err = bpf_map__set_initial_value(m, copy, size);
	free(copy);
	return err;
}

/* After load: a copy of a global data section. */
static char *read_section(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *m = data_map(obj, sec);
	char *buf;
	int key = 0;

	if (!m)
		return NULL;
	buf = calloc(1, bpf_map__value_size(m));
	if (buf && bpf_map_lookup_elem(bpf_map__fd(m), &key, buf)) {
		free(buf);
		return NULL;
	}
	return buf;
}

#define VAR(buf, obj, sec, type, name)                                      \
	({                                                                  \
		long __off = var_offset(obj, sec, name);                    \
		type __v;                                                   \
		CHECK(__off >= 0, "no variable %s in %s", name, sec);       \
		memset(&__v, 0, sizeof(__v));                               \
		if (__off >= 0)                                             \
			memcpy(&__v, (buf) + __off, sizeof(__v));           \
		__v;                                                        \
	})

static struct bpf_object *open_only(const char *path, const char **progs)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p;

	if (!obj) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* load just the programs this check runs */
	bpf_object__for_each_program(p, obj) {
		int want = 0;

		for (const char **n = progs; *n; n++)
			want |= strcmp(*n, bpf_program__name(p)) == 0;
		bpf_program__set_autoload(p, want);
	}
	return obj;
}

static int test_run(struct bpf_object *obj, const char *prog, void *pkt, __u32 pkt_len, __u32 *retval)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, prog);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = pkt_len);
	int err;

	if (!p)
		return -ENOENT;
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	if (retval)
		*retval = opts.retval;
	return err;
}

/*
 * Attaching. bpfxx has no attach API yet (issue 8), so the checks attach
 * with the kernel interfaces directly, to program fds our loader produced.
 * Each returns an fd whose close detaches, or -1 with errno set.
 */

/* BPF_RAW_TRACEPOINT_OPEN: the raw tracepoint tp. */
static int attach_raw_tp(struct bpf_object *obj, const char *prog, const char *tp)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, prog);
	union bpf_attr attr;

	if (!p) {
		errno = ENOENT;
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (__u64)(uintptr_t)tp;
	attr.raw_tracepoint.prog_fd = (__u32)bpf_program__fd(p);
	return (int)syscall(__NR_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

/* The file offset of code address addr in this process's executable. */
static long exe_file_offset(const void *addr)
{
	unsigned long start, end, off, a = (unsigned long)addr;
	char line[512];
	long found = -1;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &off) == 3 && a >= start && a < end) {
			found = (long)(a - start + off);
			break;
		}
	}
	fclose(f);
	return found;
}

/* A uprobe (or uretprobe) on func in /proc/self/exe, through the uprobe PMU. */
static int attach_uprobe(struct bpf_object *obj, const char *prog, const void *func, int retprobe)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, prog);
	struct perf_event_attr pe;
	long offset = exe_file_offset(func);
	int type, fd;
	FILE *f;

	if (!p || offset < 0) {
		errno = ENOENT;
		return -1;
	}
	f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &type) != 1) {
		fclose(f);
		errno = EINVAL;
		return -1;
	}
	fclose(f);
	memset(&pe, 0, sizeof(pe));
	pe.size = sizeof(pe);
	pe.type = (__u32)type;
	pe.config = retprobe ? 1 : 0; /* format/retprobe: config:0 */
	pe.config1 = (__u64)(uintptr_t)"/proc/self/exe";
	pe.config2 = (__u64)offset;
	fd = (int)syscall(__NR_perf_event_open, &pe, 0 /* this process */, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, bpf_program__fd(p)) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int check_loops(const char *path)
{
	const char *progs[] = { "loops", NULL };
	struct bpf_object *obj = open_only(path, progs);
	char *bss;
	int err;

	if (!obj)
		return 1;
	err = bpf_object__load(obj);
	CHECK(err == 0, "load: %d", err);
	if (err)
		goto out;
	err = test_run(obj, "loops", NULL, 0, NULL);
	CHECK(err == 0, "test_run: %d", err);
	bss = read_section(obj, ".bss");
	CHECK(bss, "no .bss");
	if (bss) {
		CHECK(VAR(bss, obj, ".bss", int, "for_sum") == 28, "bpf_for sum");
		CHECK(VAR(bss, obj, ".bss", int, "repeat_count") == 3, "bpf_repeat count");
		CHECK(VAR(bss, obj, ".bss", int, "each_sum") == 6, "bpf_for_each sum");
		CHECK(VAR(bss, obj, ".bss", int, "may_goto_done") == 1, "may_goto loops ended");
		CHECK(VAR(bss, obj, ".bss", __u64, "spins") > 0, "may_goto loops ran");
		free(bss);
	}
out:
	bpf_object__close(obj);
	return failures ? 1 : 0;
}

static int check_core_task(const char *path)
{
	const char *progs[] = { "task_probe", "skb_probe", "bitfield_write", NULL };
	struct bpf_object *obj = open_only(path, progs);
	int link;
	char pkt[64] = { 0 }, name[16] = { 0 }, *bss;
	unsigned char insn[8];
	long comm_ret;
	int err;

	if (!obj)
		return 1;
	CHECK(set_rodata_int(obj, "target_pid", getpid()) == 0, "set target_pid");
	err = bpf_object__load(obj);
	CHECK(err == 0, "load: %d", err);
	if (err)
		goto out;

	link = attach_raw_tp(obj, "task_probe", "sys_enter");
	CHECK(link >= 0, "attach raw_tp/sys_enter: %s", strerror(errno));
	syscall(SYS_getpid);
	if (link >= 0)
		close(link);

	CHECK(test_run(obj, "skb_probe", pkt, sizeof(pkt), NULL) == 0, "test_run skb_probe");
	CHECK(test_run(obj, "bitfield_write", NULL, 0, NULL) == 0, "test_run bitfield_write");

	bss = read_section(obj, ".bss");
	CHECK(bss, "no .bss");
	if (!bss)
		goto out;
	prctl(PR_GET_NAME, name);
	CHECK(VAR(bss, obj, ".bss", int, "task_seen") == 1, "the probe ran");
	CHECK(VAR(bss, obj, ".bss", int, "pid") == (int)syscall(SYS_gettid), "pid");
	CHECK(VAR(bss, obj, ".bss", int, "tgid") == getpid(), "tgid");
	CHECK(VAR(bss, obj, ".bss", int, "parent_tgid") == getppid(), "real_parent->tgid");
	CHECK(VAR(bss, obj, ".bss", int, "leader_pid") == getpid(), "group_leader->pid");
	CHECK(var_offset(obj, ".bss", "comm") >= 0 &&
		      strncmp(bss + var_offset(obj, ".bss", "comm"), name, 16) == 0,
	      "comm is '%s'", name);
	comm_ret = VAR(bss, obj, ".bss", long, "comm_ret");
	CHECK(comm_ret == (long)strlen(name) + 1, "BPF_CORE_READ_STR_INTO returned %ld", comm_ret);

	CHECK(VAR(bss, obj, ".bss", __u32, "ctx_len") == sizeof(pkt), "__sk_buff len");
	CHECK(VAR(bss, obj, ".bss", __u32, "skb_len") == sizeof(pkt), "sk_buff len via CO-RE");
	CHECK(VAR(bss, obj, ".bss", __u64, "pkt_type") == 0, "pkt_type bitfield == PACKET_HOST");

	memcpy(insn, bss + (var_offset(obj, ".bss", "insn") >= 0 ? var_offset(obj, ".bss", "insn") : 0),
	       sizeof(insn));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	CHECK(insn[1] == 0xa5, "dst_reg/src_reg byte is 0x%02x", insn[1]);
#else
	CHECK(insn[1] == 0x5a, "dst_reg/src_reg byte is 0x%02x", insn[1]);
#endif
	CHECK(insn[0] == 0 && insn[2] == 0 && insn[3] == 0, "neighbouring bytes untouched");
	CHECK(VAR(bss, obj, ".bss", __u64, "dst_readback") == 5, "dst_reg read back");
	CHECK(VAR(bss, obj, ".bss", __u64, "src_readback") == 10, "src_reg read back");
	free(bss);
out:
	bpf_object__close(obj);
	return failures ? 1 : 0;
}

/* The probed function: external linkage, never inlined. */
__attribute__((noinline, used)) long bpfxx_uprobe_target(int a, long b, const char *c,
							  unsigned short d, long e, long f)
{
	asm volatile("" ::: "memory");
	return a + b + d + e + f + (c[0] == 0);
}

static int check_uprobe_args(const char *path)
{
	const char *progs[] = { "target_entry", "target_exit", NULL };
	struct bpf_object *obj = open_only(path, progs);
	int entry, exit_link;
	long (*volatile target)(int, long, const char *, unsigned short, long, long) =
		bpfxx_uprobe_target;
	long expect, got;
	char *bss;
	int err;

	if (!obj)
		return 1;
	CHECK(set_rodata_int(obj, "target_pid", getpid()) == 0, "set target_pid");
	err = bpf_object__load(obj);
	CHECK(err == 0, "load: %d", err);
	if (err)
		goto out;
	entry = attach_uprobe(obj, "target_entry", (const void *)bpfxx_uprobe_target, 0);
	exit_link = attach_uprobe(obj, "target_exit", (const void *)bpfxx_uprobe_target, 1);
	if (entry < 0 || exit_link < 0) {
		fprintf(stderr, "SKIP: uprobe attach: %s\n", strerror(errno));
		if (entry >= 0)
			close(entry);
		if (exit_link >= 0)
			close(exit_link);
		bpf_object__close(obj);
		return SKIP;
	}
	expect = target(7, -123456789012L, "bpfxx", 0xbeef, 5, 6);
	close(entry);
	close(exit_link);

	bss = read_section(obj, ".bss");
	CHECK(bss, "no .bss");
	if (!bss)
		goto out;
	CHECK(VAR(bss, obj, ".bss", int, "hits") == 1, "entry probe hits");
	CHECK(VAR(bss, obj, ".bss", int, "ret_hits") == 1, "return probe hits");
	CHECK(VAR(bss, obj, ".bss", int, "a") == 7, "int argument");
	CHECK(VAR(bss, obj, ".bss", long, "b") == -123456789012L, "long argument");
	CHECK(VAR(bss, obj, ".bss", unsigned short, "d") == 0xbeef, "unsigned short argument");
	CHECK(VAR(bss, obj, ".bss", long, "e") == 5, "5th argument");
	CHECK(VAR(bss, obj, ".bss", long, "f") == 6, "6th argument");
	CHECK(var_offset(obj, ".bss", "str") >= 0 &&
		      strcmp(bss + var_offset(obj, ".bss", "str"), "bpfxx") == 0,
	      "string argument");
	got = VAR(bss, obj, ".bss", long, "ret");
	CHECK(got == expect, "return value %ld, expected %ld", got, expect);
	CHECK(VAR(bss, obj, ".bss", unsigned long, "raw_a") == 7, "PT_REGS_PARM1");
	CHECK(VAR(bss, obj, ".bss", long, "raw_b") == -123456789012L, "PT_REGS_PARM2_CORE");
	CHECK(VAR(bss, obj, ".bss", unsigned long, "raw_f") == 6, "PT_REGS_PARM6");
	CHECK(VAR(bss, obj, ".bss", unsigned long, "ip") != 0, "PT_REGS_IP");
	free(bss);
out:
	bpf_object__close(obj);
	return failures ? 1 : 0;
}

static int stream_read(int prog_fd, int stream, char *buf, int len)
{
	/* BPF_PROG_STREAM_READ_BY_FD (37): buffer, length, stream id, program */
	struct {
		__u64 buf;
		__u32 len;
		__u32 stream_id;
		__u32 prog_fd;
	} attr;

	/* the kernel rejects non-zero bytes past the last field, padding included */
	memset(&attr, 0, sizeof(attr));
	attr.buf = (unsigned long)buf;
	attr.len = (__u32)len;
	attr.stream_id = (__u32)stream;
	attr.prog_fd = (__u32)prog_fd;
	return (int)syscall(__NR_bpf, 37, &attr, sizeof(attr));
}

static void check_stream_output(struct bpf_object *obj, const char *prog, int ret, int stream,
				const char *expect)
{
	char text[512];
	int n = stream_read(bpf_program__fd(bpf_object__find_program_by_name(obj, prog)), stream,
			    text, sizeof(text) - 1);

	CHECK(n >= 0, "%s: reading stream %d: %s", prog, stream, strerror(errno));
	if (n < 0)
		return;
	text[n] = 0;
	if (ret == 0) {
		CHECK(strcmp(text, expect) == 0, "%s: stream %d holds '%s', expected '%s'", prog,
		      stream, text, expect);
		printf("%s: bpf_stream_printk succeeded, stream %d: %s", prog, stream, text);
	} else {
		/* the kernel refused the message: it must be a -errno, and nothing written */
		CHECK(ret < 0 && ret > -4096, "%s: returned %d", prog, ret);
		CHECK(n == 0, "%s: %d bytes in stream %d after an error", prog, n, stream);
		printf("%s: bpf_stream_printk returned %d (%s); stream %d empty\n", prog, ret,
		       strerror(-ret), stream);
	}
}

static int check_stream_printk(const char *path)
{
	const char *progs[] = { "stream_syscall", "stream_tc", "stream_xdp", "stream_tp", NULL };
	struct bpf_object *obj = open_only(path, progs);
	int link;
	char pkt[64] = { 0 }, *data;
	int err;

	if (!obj)
		return 1;
	CHECK(set_rodata_int(obj, "target_pid", getpid()) == 0, "set target_pid");
	err = bpf_object__load(obj);
	if (err == -ENOENT || err == -ESRCH) {
		fprintf(stderr, "SKIP: the kernel has no BPF streams (load: %d)\n", err);
		bpf_object__close(obj);
		return SKIP;
	}
	CHECK(err == 0, "load (the stream kfunc must resolve and verify): %d", err);
	if (err)
		goto out;
	CHECK(test_run(obj, "stream_syscall", NULL, 0, NULL) == 0, "test_run syscall");
	CHECK(test_run(obj, "stream_tc", pkt, sizeof(pkt), NULL) == 0, "test_run tc");
	CHECK(test_run(obj, "stream_xdp", pkt, sizeof(pkt), NULL) == 0, "test_run xdp");
	link = attach_raw_tp(obj, "stream_tp", "sys_enter");
	CHECK(link >= 0, "attach raw_tp: %s", strerror(errno));
	syscall(SYS_getppid);
	if (link >= 0)
		close(link);

	data = read_section(obj, ".data");
	CHECK(data, "no .data");
	if (!data)
		goto out;
	check_stream_output(obj, "stream_syscall", VAR(data, obj, ".data", int, "syscall_ret"),
			    1, "bpfxx stream syscall 24301\n");
	check_stream_output(obj, "stream_syscall", VAR(data, obj, ".data", int, "stderr_ret"),
			    2, "bpfxx stderr 1 2 3 4\n");
	check_stream_output(obj, "stream_tc", VAR(data, obj, ".data", int, "tc_ret"), 1,
			    "bpfxx stream tc 24301\n");
	check_stream_output(obj, "stream_xdp", VAR(data, obj, ".data", int, "xdp_ret"), 1,
			    "bpfxx stream xdp 24301\n");
	check_stream_output(obj, "stream_tp", VAR(data, obj, ".data", int, "tp_ret"), 1,
			    "bpfxx stream tp 24301\n");
	free(data);
out:
	bpf_object__close(obj);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s loops|core_task|uprobe_args|stream_printk <object>\n", argv[0]);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return SKIP;
	}
	/* objects built against a generated vmlinux.h are absent where that was skipped */
	if (getenv("BPFXX_TEST_SKIP_MISSING_OBJECT") && access(argv[2], R_OK) != 0) {
		fprintf(stderr, "SKIP: %s was not built\n", argv[2]);
		return SKIP;
	}
	/* the loader under test must be libbpfxx, not some other libbpf.so.1 */
	{
		Dl_info where = { 0 };

		if (!dladdr((void *)bpf_object__load, &where) || !where.dli_fname ||
		    !strstr(where.dli_fname, "libbpfxx")) {
			fprintf(stderr, "FAIL: bpf_object__load comes from %s, not libbpfxx\n",
				where.dli_fname ? where.dli_fname : "?");
			return 1;
		}
	}
	libbpf_set_print(quiet_print);
	if (strcmp(argv[1], "loops") == 0)
		return check_loops(argv[2]);
	if (strcmp(argv[1], "core_task") == 0)
		return check_core_task(argv[2]);
	if (strcmp(argv[1], "uprobe_args") == 0)
		return check_uprobe_args(argv[2]);
	if (strcmp(argv[1], "stream_printk") == 0)
		return check_stream_printk(argv[2]);
	fprintf(stderr, "unknown check %s\n", argv[1]);
	return 2;
}
