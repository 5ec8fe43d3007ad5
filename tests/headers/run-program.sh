#!/usr/bin/env bash
# Builds one source file with warnings as errors against our headers and
# runs it: check-program.sh COMPILER LANG STD INCLUDE_DIR SOURCE
set -euo pipefail
cc=$1; lang=$2; std=$3; inc=$4; src=$5
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$cc" -x "$lang" -std="$std" -Wall -Wextra -pedantic -Werror -I"$inc" "$src" -o "$out"
"$out"
