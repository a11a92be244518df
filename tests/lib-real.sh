# lib-real.sh — the real GitLab lines of tests/fixtures/real (see
# SOURCES.md there) copied to ./real without their notes, and hits(): the
# lines an ldgrep query finds, as file:line, one per line.

cp -R "$TEST_DIRECTORY/fixtures/real" real &&
rm -f real/SOURCES.md real/expected.tsv

hits() {
	ldgrep "$@" real 2>/dev/null |
	sed -n 's/.*"src":"real\/\([^"]*\)","line":\([0-9]*\),.*/\1:\2/p'
}
