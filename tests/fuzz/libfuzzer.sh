#!/usr/bin/env bash
# tests/fuzz/libfuzzer.sh TARGET [SECONDS]: builds tests/fuzz/fuzz-TARGET.c with
# clang's libFuzzer, ASan and UBSan, and runs it for a bounded time from its
# corpus (copied: new inputs it finds stay out of the tree). The sources a
# target needs are listed in a "// sources:" line of its file, relative to
# the repository.
set -eu
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
"$work/fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
	"$work/corpus" 2>&1 | tail -n 15
