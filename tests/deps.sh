#!/bin/sh
# Make sure what the build and the tests need is installed.  Run as root on a
# Debian machine it installs what is missing with apt-get; otherwise it says
# what to install and fails.  "deps.sh bench" adds the benchmark's peers,
# "deps.sh fuzz" clang and libFuzzer.
pkgs="libpcre2-8 libzstd jansson libarchive libcrypto readline yaml-0.1 zlib"
debs=""
pkg-config --exists $pkgs 2>/dev/null || debs="pkg-config libpcre2-dev libzstd-dev libjansson-dev libarchive-dev libssl-dev libreadline-dev libyaml-dev zlib1g-dev"
[ -f /usr/include/bzlib.h ] || debs="$debs libbz2-dev"
command -v prove >/dev/null 2>&1 || debs="$debs perl"
command -v mandoc >/dev/null 2>&1 || debs="$debs mandoc"
command -v zstd >/dev/null 2>&1 || debs="$debs zstd"
command -v cc >/dev/null 2>&1 || debs="$debs gcc make"
# what the tests use besides the tools: stock compressors and archivers to
# make inputs, openssl to check signatures, python3 and xmllint for the
# independent validators, zsh and fish to load the completions
for c in xz:xz-utils zip:zip unzip:unzip openssl:openssl python3:python3 \
    xmllint:libxml2-utils zsh:zsh fish:fish gzip:gzip tar:tar bzip2:bzip2 \
    lz4:lz4; do
	command -v "${c%%:*}" >/dev/null 2>&1 || debs="$debs ${c#*:}"
done
# make fuzz: clang with the libFuzzer runtime
if [ "$1" = fuzz ]; then
	command -v clang >/dev/null 2>&1 || debs="$debs clang"
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
	    >/dev/null 2>&1 || debs="$debs libclang-rt-dev"
fi
# the sharded recipe's test: GNU parallel over a local sshd
command -v parallel >/dev/null 2>&1 || debs="$debs parallel"
command -v ssh >/dev/null 2>&1 || debs="$debs openssh-client"
[ -x /usr/sbin/sshd ] || command -v sshd >/dev/null 2>&1 || debs="$debs openssh-server"
if [ "$1" = bench ]; then
	command -v ugrep >/dev/null 2>&1 || debs="$debs ugrep"
	command -v rg >/dev/null 2>&1 || debs="$debs ripgrep"
	command -v jq >/dev/null 2>&1 || debs="$debs jq"
	[ -x /usr/bin/time ] || debs="$debs time"
fi
[ -n "$debs" ] || exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "logdive: missing build dependencies; install:$debs" >&2
	exit 1
fi
echo "logdive: installing$debs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $debs >/dev/null
