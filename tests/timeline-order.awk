# timeline-order.awk — check that ld-records (or ldcut -f ts,src,line TSV)
# are in timeline order: by time, then source, then line; untimed last.
# Times must be UTC ("Z").  Prints the first offence and exits 1.
function key(ts,    s, f) {
	if (ts == "" || ts == "null")
		return "~"
	s = ts; sub(/Z$/, "", s)
	f = ""
	if (index(s, ".")) { f = substr(s, index(s, ".") + 1); s = substr(s, 1, index(s, ".") - 1) }
	while (length(f) < 9) f = f "0"
	return s "." f
}
BEGIN { FS = "\t" }
{
	k = key($1)
	if (NR > 1 && (k < pk || (k == pk && ($2 < ps || ($2 == ps && $3 + 0 < pl + 0))))) {
		printf("line %d out of order: %s %s:%s after %s %s:%s\n", NR, $1, $2, $3, pts, ps, pl)
		bad = 1; exit 1
	}
	pk = k; pts = $1; ps = $2; pl = $3
}
END { exit bad }
