/* Part of bpfxx. Object-open test program: sections the next phases
 * handle, which open must recognise and record: an arena global
 * (.addr_space.1), a struct_ops variable (.struct_ops.link), a kfunc and a
 * typeless ksym, and a string literal section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
} arena SEC(".maps");

int __attribute__((address_space(1))) arena_counter;

struct test_ops {
	int (*handler)(void *ctx);
	int value;
};

SEC("struct_ops/handler")
int ops_handler(void *ctx)
{
	return 0;
}

SEC(".struct_ops.link")
struct test_ops my_ops = {
	.handler = (void *)ops_handler,
	.value = 3,
};

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern const void bpf_prog_active __ksym;

SEC("syscall")
int use_externs(void *ctx)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	arena_counter++;
	bpf_printk("hello %d", (int)(long)&bpf_prog_active);
	return 0;
}
