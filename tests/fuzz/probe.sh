#!/bin/sh
# probe.sh CC DIR: print why CC cannot build libFuzzer targets, or nothing.
cc=$1 dir=$2
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "$cc not found (libFuzzer needs clang; set FUZZ_CC)"
	exit 0
fi
mkdir -p "$dir" || exit 0
cat >"$dir/probe.c" <<'END'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return data && size ? 0 : 0; }
END
if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1; then
	echo "$cc cannot link -fsanitize=fuzzer,address,undefined (libFuzzer or the sanitizer runtimes missing)"
fi
