#!/bin/sh
# bench/peer.sh — the pipelines a user would run without logdive, as one
# command each so that bench/run.sh can time them.
#
#   sh peer.sh cat FILE...			decode everything to stdout
#   sh peer.sh jq TENANT SINCE UNTIL FILE...	the stock exact pipeline
#
# "cat" is zstd -dc or zcat as the file needs.  "jq" decodes every stream
# holding JSON lines (members of the tars included, with tar -xO; the gzip
# files hold only nginx text lines, which jq cannot read) into
# jq -R 'fromjson? | select(...)' with the filter of bench/scope.jq.
here=$(cd "$(dirname "$0")" && pwd)
what=$1
shift
case $what in
cat)
	for f; do
		case $f in
		*.zst) zstd -dcq "$f" ;;
		*.gz) zcat "$f" ;;
		*) cat "$f" ;;
		esac
	done 2>/dev/null
	;;
jq)
	tenant=$1 since=${2%Z} until=${3%Z}
	shift 3
	for f; do
		case $f in
		*.tar.zst) zstd -dcq "$f" | tar -xOf - ;;
		*.zst) zstd -dcq "$f" ;;
		*.gz) ;;
		*) cat "$f" ;;
		esac
	done 2>/dev/null |
	jq -R -r --arg ns "$tenant" --arg since "$since" --arg until "$until" \
	    -f "$here/scope.jq"
	;;
*)
	echo "usage: peer.sh cat|jq ..." >&2
	exit 2
	;;
esac
