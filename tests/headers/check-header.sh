#!/usr/bin/env bash
# Compiles public headers with every warning as an error, as a user would:
#   check-header.sh COMPILER LANG STD INCLUDE_DIR HEADER...
# LANG is c or c++; each HEADER is included in order into one file.
set -euo pipefail
cc=$1; lang=$2; std=$3; inc=$4; shift 4
src=$(mktemp --suffix=.$([ "$lang" = c ] && echo c || echo cpp))
trap 'rm -f "$src"' EXIT
for h in "$@"; do echo "#include <$h>" >> "$src"; done
echo "typedef int header_check_nonempty;" >> "$src"
exec "$cc" -x "$lang" -std="$std" -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$inc" "$src"
