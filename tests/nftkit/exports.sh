#!/usr/bin/env bash
# tests/nftkit/exports.sh [BUILD_DIR]: libnftkit exports exactly the functions
# include/nftkit.h declares, and lib/nftkit/libnftkit.map lists exactly those:
# an internal helper that leaks out, or a declared function that the list
# forgets (the library would then hide it), fails here.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
lib=$(ls "$build"/lib/nftkit/libnftkit.so.*.*.* 2>/dev/null | head -n 1)
[ -n "$lib" ] || { echo "no libnftkit in $build (build it first)"; exit 1; }
work=$(mktemp -d /tmp/nftkit-exports.XXXX)
trap 'rm -rf "$work"' EXIT

# Declared: identifiers called like functions in the preprocessed header
# (comments gone); a function pointer's name, "(*name)(", is not one.
${CC:-cc} -E -P include/nftkit.h |
	perl -ne 'while (/(\(\s*\*\s*)?\b(nftkit_\w+)\s*\(/g) { print "$2\n" unless $1 }' |
	sort -u >"$work/header"
# Exported: defined functions in the dynamic symbol table, version dropped.
nm -D --defined-only "$lib" | awk '$2 ~ /^[TWi]$/ { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$work/exported"
# Listed: the global names of the version script.
sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);[[:space:]]*$/\1/p' lib/nftkit/libnftkit.map |
	sort -u >"$work/map"

status=0
compare() {
	local what=$1 a=$2 b=$3 extra
	extra=$(comm -23 "$work/$a" "$work/$b")
	if [ -n "$extra" ]; then
		echo "$what:"; sed 's/^/  /' <<<"$extra"; status=1
	fi
}
compare "exported but not declared in include/nftkit.h" exported header
compare "declared in include/nftkit.h but not exported" header exported
compare "listed in libnftkit.map but not declared" map header
compare "declared but not listed in libnftkit.map" header map
[ -s "$work/header" ] || { echo "no declarations found in include/nftkit.h"; status=1; }
[ "$status" = 0 ] && echo "$(wc -l <"$work/header") functions: header, version script and library agree"
exit "$status"
