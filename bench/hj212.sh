#!/usr/bin/env bash
# HJ 212 benchmark (prints figures; not pass/fail). Codec: frames/s per core parsing + CRC on a
# realistic 2011/2051/2061 mix with 6-12 factors (target >= 1,000,000). The end-to-end gateway
# figures (5,000 simulated devices, acks after commit) join this script with the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/codec" bench/hj212_codec.c src/monitor/hj212.c \
  src/core/util.c src/core/log.c $(pkg-config --cflags --libs libsodium)
"$work/codec"
