/* Unit tests of lib/format/lit.c: the fast case-insensitive search finds what a
 * plain search finds, at every position and length. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/lit.h"
#include "tap.h"

static const char *
naive(const char *h, size_t hn, const char *n, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++)
		if (strncasecmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

int
main(void)
{
	static const char *const needles[] = { "acme-corp", "a", "AB", "zz",
	    "alice", "acme-corp/web", "--", "0123456789abcdefghij", NULL };
	static const char alpha[] = "aAbBcCeEmMoOpPrR-/zZ0 \"";
	char h[200];
	int bad = 0, found = 0;
	unsigned seed = 1;

	for (int k = 0; needles[k]; k++) {
		struct ld_lit l;
		size_t nn = strlen(needles[k]);

		ld_lit_init(&l, needles[k]);
		for (int t = 0; t < 20000; t++) {
			size_t hn = (size_t)(rand_r(&seed) % sizeof(h));

			for (size_t i = 0; i < hn; i++)
				h[i] = alpha[rand_r(&seed) % (sizeof(alpha) - 1)];
			/* plant the needle, in some case, somewhere */
			if (hn >= nn && rand_r(&seed) % 2) {
				size_t at = (size_t)rand_r(&seed) % (hn - nn + 1);

				for (size_t i = 0; i < nn; i++)
					h[at + i] = rand_r(&seed) % 2 ? needles[k][i] :
					    (char)(needles[k][i] ^ ((needles[k][i] | 0x20) >=
					    'a' && (needles[k][i] | 0x20) <= 'z' ? 0x20 : 0));
			}
			if (ld_lit_find(&l, h, hn) != naive(h, hn, needles[k], nn))
				bad++;
			found += naive(h, hn, needles[k], nn) != NULL;
		}
		ld_lit_free(&l);
	}
	ok(bad == 0, "the same first match as a plain search (%d differ)", bad);
	ok(found > 10000, "the needles were found often enough (%d)", found);
	{
		struct ld_lit l;

		ld_lit_init(&l, "");
		ok(ld_lit_find(&l, "x", 1) != NULL, "the empty needle is found");
		ld_lit_free(&l);
	}
	return tap_done();
}
