/* Record layouts that are hard to reproduce from BTF: compiled with
 * clang -g -target bpf, dumped back to C with bpfxx, and checked with the
 * generated _Static_assert file (check-vmlinux-h.sh cases). */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

struct packed_basic { char a; int b; } __attribute__((packed));
struct packed_aligned { char a; int b; } __attribute__((packed, aligned(4)));
struct holds_packed { short x; struct packed_basic p; };
struct aligned16 { int x; } __attribute__((aligned(16)));
struct holds_aligned { char c; struct aligned16 a; char d; };
struct cacheline { long x; } __attribute__((aligned(64)));
struct after_cacheline { char flag; struct cacheline line; int tail; };
union aligned_union { char c; } __attribute__((aligned(8)));
union sized_union { int a; char b[5]; } __attribute__((aligned(8)));
struct holds_unions { char c; union aligned_union u; char d; union sized_union s; };
struct bits { int a: 3; int: 5; int b: 5; unsigned c: 20; long long d: 40; char e; };
struct bits_gap { char a; int: 0; int b: 3; };
struct bits_straddle { unsigned char lo: 4; unsigned char hi: 6; } ;
struct packed_bits { char a; int b: 20; int c: 20; } __attribute__((packed));
enum small_enum { SE_A = 1, SE_B = 2 } __attribute__((packed));
enum half_enum { HE_A = 1, HE_B = 1000 } __attribute__((packed));
enum wide_enum { WE_A = 1ULL << 40 };
struct enums { char c; enum small_enum s; enum half_enum h; enum wide_enum w; };
struct with_int128 { char c; __int128 big; char d; };
struct nested_anon {
	int kind;
	union {
		struct { u8 a, b; u16 c; };
		struct { u32 whole; } __attribute__((packed));
		u64 raw;
	};
	struct { char name[3]; } tail;
};
struct flex { u32 len; u8 data[]; };
struct ptrs { void (*fn)(int, ...); int (*arr)[4]; const char *const *names; };
struct tail_pad { u64 a; char b; } __attribute__((aligned(32)));
struct holes { char a; long b __attribute__((aligned(32))); char c; };

struct all {
	struct packed_basic a1;
	struct packed_aligned a2;
	struct holds_packed a3;
	struct holds_aligned a4;
	struct after_cacheline a5;
	struct holds_unions a6;
	struct bits a7;
	struct bits_gap a8;
	struct bits_straddle a9;
	struct packed_bits a10;
	struct enums a11;
	struct with_int128 a12;
	struct nested_anon a13;
	struct ptrs a14;
	struct tail_pad a15;
	struct holes a16;
	struct flex a17;
};

struct all everything;
