#!/bin/bash
# Part of bpfxx. `bpfxx gen` on bad input: every case must print exactly
# one line on stderr, nothing on stdout, and exit with the documented
# status (1 failure, 2 usage, 3 not yet); none may crash.
# Usage: cli_errors.sh BPFXX PROGS_DIR SCRATCH_DIR [NO_BTF_OBJECT]
set -u
tool=$1 progs=$2 scratch=$3 nobtf=${4:-}
mkdir -p "$scratch"
failures=0

expect() {  # expect STATUS PATTERN -- ARGS...
	local want=$1 pattern=$2
	shift 3
	"$tool" "$@" >"$scratch/out" 2>"$scratch/err"
	local got=$?
	local lines
	lines=$(wc -l <"$scratch/err")
	if [ "$got" != "$want" ] || [ "$lines" != 1 ] || [ -s "$scratch/out" ] ||
		! grep -q -- "$pattern" "$scratch/err"; then
		echo "FAIL: bpfxx $* -> status $got (want $want), $lines stderr lines:"
		sed 's/^/    /' "$scratch/err"
		failures=$((failures + 1))
	else
		echo "ok: bpfxx $* -> $got: $(cat "$scratch/err")"
	fi
}

printf 'not an object at all\n' >"$scratch/text.o"
head -c 100 "$progs/skelgen_data.bpf.o" >"$scratch/truncated.o"
: >"$scratch/empty.o"

expect 1 "cannot read" -- gen skeleton "$scratch/missing.o"
expect 1 "cannot open the BPF object" -- gen skeleton "$scratch/text.o"
expect 1 "cannot open the BPF object" -- gen skeleton "$scratch/truncated.o"
expect 1 "cannot open the BPF object" -- gen skeleton "$scratch/empty.o"
expect 1 "cannot read" -- gen skeleton "$scratch"
expect 1 "invalid skeleton name" -- gen skeleton "$progs/skelgen_data.bpf.o" name 9lives
expect 1 "invalid skeleton name" -- gen skeleton "$progs/skelgen_data.bpf.o" name "a-b"
expect 1 "keyword" -- gen skeleton "$progs/skelgen_data.bpf.o" name class
expect 1 "invalid skeleton name" -- gen subskeleton "$progs/skelgen_data.bpf.o" name ""
expect 2 "unknown argument" -- gen skeleton "$progs/skelgen_data.bpf.o" label x
expect 2 "expected FILE" -- gen skeleton
expect 2 "unknown command" -- gen frobnicate
expect 3 "not yet: needs the BPF linker" -- gen object "$scratch/out.o" "$progs/skelgen_data.bpf.o"
expect 2 "expected OUTPUT_FILE" -- gen object "$scratch/out.o"

# An object without BTF: a skeleton still works (untyped sections), a
# subskeleton cannot name its variables.
if [ -n "$nobtf" ]; then
	expect 1 "has no BTF" -- gen subskeleton "$nobtf"
	if "$tool" gen skeleton "$nobtf" name nobtf >"$scratch/nobtf.h" 2>"$scratch/err" &&
		grep -q 'struct bpf_map \*bss;' "$scratch/nobtf.h" &&
		gcc -std=gnu11 -Wall -Wextra -Werror -I"$(dirname "$0")/../../include" -include "$scratch/nobtf.h" \
			-x c -c /dev/null -o /dev/null 2>>"$scratch/err"; then
		echo "ok: skeleton of an object without BTF compiles"
	else
		echo "FAIL: skeleton without BTF:"; sed 's/^/    /' "$scratch/err"; failures=$((failures + 1))
	fi
fi

# The default name comes from the file name, without ".o".
if "$tool" gen skeleton "$progs/skelgen_arena.bpf.o" >"$scratch/default.h" 2>"$scratch/err" &&
	grep -q '^struct skelgen_arena_bpf {$' "$scratch/default.h" &&
	grep -q '__SKELGEN_ARENA_BPF_SKEL_H__' "$scratch/default.h"; then
	echo "ok: default name"
else
	echo "FAIL: default name"; failures=$((failures + 1))
fi

[ "$failures" = 0 ] && echo "PASS" || echo "$failures failure(s)"
exit $((failures != 0))
