/*
 * xform.c — the transforms of field alternatives: tenants and projects out
 * of request paths, URLs, remotes and SSH commands; the client of a proxy
 * chain; one form of an id.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "format/xform.h"

static const char *const names[] = { "", "seg1", "urlns", "host",
	"nodash", "ip", "id", "urlproject", "msguser", "ifproject", NULL };

int
ld_xform_parse(const char *name)
{
	for (int k = 1; names[k] != NULL; k++)
		if (strcmp(name, names[k]) == 0)
			return k;
	return -1;
}

/* A word of a list below, with its length (they are compared to path
 * segments of many lines: no strlen(3) a word a segment). */
struct word {
	const char *s;
	size_t n;
};
#define W(s) { s, sizeof(s) - 1 }

/* Namespaces of GitLab's own routes, which never name a tenant. */
static int
reserved_segment(const char *s, size_t n)
{
	static const struct word words[] = { W("-"), W("api"), W("users"),
	    W("admin"), W("help"), W("assets"), W("oauth"), W("dashboard"),
	    W("explore"), W("search"), W("uploads"), W("import"),
	    W("profile"), W("groups"), W("projects"), W(".well-known"),
	    W("jwt"), W("v2"), W("favicon.ico"), W("robots.txt") };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].n == n && strncasecmp(s, words[i].s, n) == 0)
			return 1;
	return 0;
}

/* Whether a path segment can be a GitLab name at all: a placeholder of
 * a documentation example or a route ("<path to repo>", ":id", "{id}",
 * "[FILTERED]") never names a group or project.  The bytes that cannot
 * be in a name are those of "<>{}[]:\"' |\\^`". */
static int
name_segment(const char *s, size_t n)
{
	static const unsigned char bad[256] = {
		['<'] = 1, ['>'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1,
		[']'] = 1, [':'] = 1, ['"'] = 1, ['\''] = 1, [' '] = 1,
		['|'] = 1, ['\\'] = 1, ['^'] = 1, ['`'] = 1
	};

	for (size_t i = 0; i < n; i++)
		if (bad[(unsigned char)s[i]])
			return 0;
	return 1;
}

/* Route words that follow a project's path in GitLab's older routes
 * (before "/-/" separated them): "/group/project/blob/…". */
static int
project_route(const char *s, size_t n)
{
	static const struct word words[] = { W("activity"), W("archive"),
	    W("blame"), W("blob"), W("branches"), W("builds"), W("commit"),
	    W("commits"), W("compare"), W("edit"), W("environments"),
	    W("forks"), W("git-receive-pack"), W("git-upload-pack"),
	    W("graphs"), W("import"), W("info"), W("issues"), W("jobs"),
	    W("labels"), W("manifests"), W("blobs"), W("merge_requests"),
	    W("milestones"), W("network"), W("new"), W("pipelines"),
	    W("raw"), W("refs"), W("releases"), W("settings"), W("snippets"),
	    W("tags"), W("tree"), W("uploads"), W("wikis") };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].n == n && memcmp(s, words[i].s, n) == 0)
			return 1;
	return 0;
}
#undef W

/* Percent-decode n bytes of s onto out. */
static void
pct_decode(struct ld_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;

		if (s[i] == '%' && i + 2 < n &&
		    (h = ld_hexval(s[i + 1])) >= 0 &&
		    (l = ld_hexval(s[i + 2])) >= 0) {
			ld_buf_addc(out, (char)(h * 16 + l));
			i += 2;
		} else
			ld_buf_addc(out, s[i]);
	}
}

/*
 * The path of a request path, URL or Git remote in b, reduced to what
 * names a tenant: the query and fragment dropped; of an absolute URL the
 * scheme and authority, of an scp-style remote ("git@host:group/p.git")
 * the user and host, of an SSH command ("git-upload-pack 'group/p.git'")
 * all but its quoted argument; leading slashes; GitLab's Web IDE prefix
 * "-/ide/project/" and the registry API's "v2/".  Returns a pointer into b->p (which it may change).
 */
static char *
url_path(struct ld_buf *b)
{
	char *s = b->p, *q;
	size_t k;

	if ((q = strpbrk(s, "?#")) != NULL)
		*q = '\0';
	if ((q = strstr(s, "://")) != NULL) {
		if ((q = strchr(q + 3, '/')) == NULL)
			return NULL;
		s = q;
	} else if ((k = strcspn(s, ":/ ")) > 0 && s[k] == ':' &&
	    strchr(s, '@') != NULL && strchr(s, '@') < s + k)
		s += k + 1;		/* git@host:group/project.git */
	else if (strncmp(s, "git", 3) == 0 && (q = strchr(s, '\'')) != NULL) {
		/* An SSH command: git-upload-pack '/group/project.git' */
		s = q + 1;
		if ((q = strchr(s, '\'')) != NULL)
			*q = '\0';
	}
	while (*s == '/')
		s++;
	if (strncmp(s, "-/ide/project/", 14) == 0)
		s += 14;
	else if (strncmp(s, "v2/", 3) == 0 && s[3] != '_' && s[3] != '\0')
		s += 3;			/* the registry API: /v2/group/project/… */
	return s;
}

/*
 * The full project path a request path names (see ld-formats(5), urlproject),
 * into b; b is emptied when it names none.
 */
static void
url_project(struct ld_buf *b)
{
	/* A value that is neither a request path nor a URL nor a remote
	 * ("namespace2/project2") is a full path already. */
	int plain = b->len > 0 && b->p[0] != '/' && strstr(b->p, "://") == NULL &&
	    strchr(b->p, '@') == NULL;
	char *s = url_path(b), *seg[64];
	size_t len[64], n = 0, k, end = 0;
	struct ld_buf out = { 0 };

	if (s == NULL || *s == '\0') {
		ld_buf_reset(b);
		return;
	}
	if (strncmp(s, "api/v4/projects/", 16) == 0) {
		s += 16;
		pct_decode(&out, s, strcspn(s, "/"));
		ld_buf_reset(b);
		if (out.len > 0 && memchr(out.p, '/', out.len) != NULL)
			ld_buf_add(b, out.p, out.len);
		ld_buf_free(&out);
		return;
	}
	while (*s && n < 64) {
		k = strcspn(s, "/");
		seg[n] = s;
		len[n++] = k;
		s += k;
		while (*s == '/')
			s++;
	}
	if (n == 0 || reserved_segment(seg[0], len[0])) {
		ld_buf_reset(b);
		return;
	}
	for (k = 0; k < n; k++)
		if (!name_segment(seg[k], len[k]))
			n = k;		/* the project ends before a placeholder */
	if (plain && n >= 2 && strchr(b->p, ' ') == NULL) {
		end = n;
		if (len[n - 1] > 4 && memcmp(seg[n - 1] + len[n - 1] - 4, ".git",
		    4) == 0)
			len[n - 1] -= 4;
		/* A project's wiki or design repository ("g/p.wiki", as Gitaly
		 * names it in glProjectPath) is the project's. */
		if (len[n - 1] > 5 && memcmp(seg[n - 1] + len[n - 1] - 5, ".wiki",
		    5) == 0)
			len[n - 1] -= 5;
		else if (len[n - 1] > 7 && memcmp(seg[n - 1] + len[n - 1] - 7,
		    ".design", 7) == 0)
			len[n - 1] -= 7;
	}
	for (k = 1; k < n && end == 0; k++) {
		if (len[k] == 1 && seg[k][0] == '-')
			end = k;		/* group/project/-/… */
		else if (len[k] > 4 && memcmp(seg[k] + len[k] - 4, ".git", 4) == 0) {
			len[k] -= 4;		/* group/project.git/… */
			if (len[k] > 5 && memcmp(seg[k] + len[k] - 5, ".wiki", 5) == 0)
				len[k] -= 5;
			end = k + 1;
		} else if (k >= 2 && project_route(seg[k], len[k]))
			end = k;
	}
	if (end < 2) {
		ld_buf_reset(b);
		return;
	}
	/* Join the segments in place: each lies at or after where it goes. */
	s = b->p;
	for (k = 0; k < end; k++) {
		if (k > 0)
			*s++ = '/';
		memmove(s, seg[k], len[k]);
		s += len[k];
	}
	*s = '\0';
	b->len = (size_t)(s - b->p);
}

/*
 * The tenant of a request path: the first segment of the project it names,
 * else of a group ("/groups/acme/-/…", the API's group or project id when
 * it is a path), else the first segment unless it is one of GitLab's own
 * routes.  Rewrites b to the namespace, or empties it.
 */
static void
url_ns(struct ld_buf *b)
{
	char *s, tmp[1024];
	size_t n;
	struct ld_buf out = { 0 }, copy = { 0 };

	/* url_project() only shortens its value: a short one is copied to
	 * the stack, not the heap (this runs for many lines). */
	if (b->len < sizeof(tmp)) {
		memcpy(tmp, b->p, b->len + 1);
		copy = (struct ld_buf){ tmp, b->len, sizeof(tmp) };
	} else
		ld_buf_add(&copy, b->p, b->len);
	url_project(&copy);
	if (copy.len > 0) {
		n = strcspn(copy.p, "/");
		memmove(b->p, copy.p, n);
		b->len = n;
		b->p[n] = '\0';
		if (copy.p != tmp)
			ld_buf_free(&copy);
		return;
	}
	if (copy.p != tmp)
		ld_buf_free(&copy);
	if ((s = url_path(b)) == NULL) {
		ld_buf_reset(b);
		return;
	}
	if (strncmp(s, "api/v4/projects/", 16) == 0 ||
	    strncmp(s, "api/v4/groups/", 14) == 0) {
		s += s[7] == 'p' ? 16 : 14;
		pct_decode(&out, s, strcspn(s, "/"));
		ld_buf_reset(b);
		if (out.len > 0 && strspn(out.p, "0123456789") != out.len)
			ld_buf_add(b, out.p, strcspn(out.p, "/"));
		ld_buf_free(&out);
		return;
	}
	if (strncmp(s, "groups/", 7) == 0)
		s += 7;
	n = strcspn(s, "/");
	/* A one-segment path ("/acme-corp") is the group's own page and names
	 * the tenant; GitLab's own routes and placeholders never do. */
	if (n == 0 || reserved_segment(s, n) || !name_segment(s, n)) {
		ld_buf_reset(b);
		return;
	}
	memmove(b->p, s, n);
	b->len = n;
	b->p[n] = '\0';
}

/* The client address of a value: the left-most of a proxy chain
 * ("203.0.113.7, 10.0.0.1"), without its port, and only when it is an
 * IPv4 or IPv6 address (a placeholder such as "[filtered]" is not). */
static void
client_ip(struct ld_buf *b)
{
	char *s = b->p, *e, tmp[INET6_ADDRSTRLEN + 8];
	unsigned char bin[16];
	size_t n;

	while (*s == ' ')
		s++;
	n = strcspn(s, ",");
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n > 0 && s[0] == '[') {
		if ((e = memchr(s, ']', n)) == NULL)
			goto none;
		s++;
		n = (size_t)(e - s);
	} else if ((e = memchr(s, ':', n)) != NULL &&
	    memchr(e + 1, ':', n - (size_t)(e + 1 - s)) == NULL)
		n = (size_t)(e - s);		/* 203.0.113.7:443 */
	if (n == 0 || n >= sizeof(tmp))
		goto none;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if ((e = strchr(tmp, '%')) != NULL)
		*e = '\0';			/* fe80::1%eth0 */
	if (inet_pton(AF_INET, tmp, bin) != 1 &&
	    inet_pton(AF_INET6, tmp, bin) != 1)
		goto none;
	memmove(b->p, s, n);
	b->len = n;
	b->p[n] = '\0';
	return;
none:
	ld_buf_reset(b);
}

/* One form for a user id: "user-1", "user/1" and "1" all give "1"; "-3"
 * stays; anything else gives nothing: "x", and the id of something that
 * is not a user ("key-5", a deploy key as GitLab Shell's GL_ID may name
 * it, or "ip/203.0.113.7" of meta.client_id). */
static void
num_id(struct ld_buf *b)
{
	const char *s = b->p, *d;
	size_t i = 0;

	if (*s == '-')
		i = 1;
	if (s[i] != '\0' && strspn(s + i, "0123456789") == strlen(s + i))
		return;
	if (strncasecmp(s, "user", 4) != 0)
		goto none;
	d = s + 4;
	if ((*d != '-' && *d != '/') || d[1] == '\0' ||
	    strspn(d + 1, "0123456789") != strlen(d + 1))
		goto none;
	i = strlen(d + 1);
	memmove(b->p, d + 1, i);
	b->len = i;
	b->p[i] = '\0';
	return;
none:
	ld_buf_reset(b);
}

/* The account a message of GitLab's sign-in log names: NAME of a word
 * "username=NAME" ("Failed Login: username=alice ip=203.0.113.7"), or
 * nothing. */
static void
msg_user(struct ld_buf *b)
{
	char *s = b->p, *u;
	size_t n;

	for (u = strstr(s, "username="); u != NULL;
	    u = strstr(u + 1, "username="))
		if (u == s || u[-1] == ' ')
			break;
	if (u == NULL || (n = strcspn(u + 9, " ,;")) == 0) {
		ld_buf_reset(b);
		return;
	}
	memmove(b->p, u + 9, n);
	b->len = n;
	b->p[n] = '\0';
}

/* The PATH of "TYPE:PATH", as a template "{entity_type?}:{entity_path}"
 * writes it, when TYPE is Project (any case) or empty (not known): an
 * audit event's entity path is a project's only when its entity is one, a
 * group's or a user's namespace otherwise.  Nothing for any other TYPE. */
static void
if_project(struct ld_buf *b)
{
	size_t n = sizeof("project:") - 1;

	if (b->len > 1 && b->p[0] == ':')
		n = 1;
	else if (b->len <= n || strncasecmp(b->p, "project:", n) != 0) {
		ld_buf_reset(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n + 1);
	b->len -= n;
}

void
ld_xform_apply(enum ld_xform x, struct ld_buf *b)
{
	char *p;
	size_t n;

	switch (x) {
	case LD_X_NONE:
		break;
	case LD_X_SEG1:
		if ((p = memchr(b->p, '/', b->len)) != NULL) {
			b->len = (size_t)(p - b->p);
			b->p[b->len] = '\0';
		}
		break;
	case LD_X_URLNS:
		url_ns(b);
		break;
	case LD_X_HOST:
		if (b->p[0] == '[') {
			if ((p = strchr(b->p, ']')) != NULL) {
				n = (size_t)(p - b->p - 1);
				memmove(b->p, b->p + 1, n);
				b->len = n;
				b->p[n] = '\0';
			}
		} else if ((p = strchr(b->p, ':')) != NULL &&
		    strchr(p + 1, ':') == NULL) {
			b->len = (size_t)(p - b->p);
			b->p[b->len] = '\0';
		}
		break;
	case LD_X_NODASH:
		if (strcmp(b->p, "-") == 0)
			ld_buf_reset(b);
		break;
	case LD_X_IP:
		client_ip(b);
		break;
	case LD_X_ID:
		num_id(b);
		break;
	case LD_X_URLPROJECT:
		url_project(b);
		break;
	case LD_X_MSGUSER:
		msg_user(b);
		break;
	case LD_X_IFPROJECT:
		if_project(b);
		break;
	}
}
