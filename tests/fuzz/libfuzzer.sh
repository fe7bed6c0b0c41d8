#!/usr/bin/env bash
# tests/fuzz/libfuzzer.sh TARGET [SECONDS]: builds tests/fuzz/fuzz-TARGET.c with
# clang's libFuzzer, ASan and UBSan, and runs it for a bounded time from its
# corpus (copied: new inputs it finds stay out of the tree). The sources a
# target needs are listed in a "// sources:" line of its file, relative to
# the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$1 seconds=${2:-10}
src=tests/fuzz/fuzz-$target.c
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
sources=$(sed -n 's|^// sources: *||p' "$src")
work=$(mktemp -d /tmp/connd-fuzz.XXXX)
trap 'rm -rf "$work"' EXIT
conf_dir=$(ls -d build*/ 2>/dev/null | head -n 1)
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -Isrc -I"${conf_dir:-build/}" $(pkg-config --cflags ell) \
	"$src" $sources $(pkg-config --libs ell) -o "$work/fuzzer"
mkdir "$work/corpus"
cp tests/fuzz/corpus/"$target"/* "$work/corpus/"
# Artifacts go to the scratch folder; a failing input is printed in hex so
# the report alone is enough to reproduce it.
status=0
"$work/fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	grep -v '^INFO\|^#' "$work/log" | head -n 60
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -e "$a" ] && { echo "failing input ${a##*/}:"; od -A x -t x1z "$a" | head -n 40; }
	done
	exit "$status"
fi
tail -n 15 "$work/log"
