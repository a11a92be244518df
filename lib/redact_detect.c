/*
 * redact_detect.c — the built-in detectors of secrets and personal data.
 *
 * Each is a PCRE2 pattern in byte mode, matched against decoded text.
 * Where only part of a match is secret (the value after "password="), the
 * pattern sets the start of the match with \K so that the name stays for
 * the reviewer.  Boundaries are lookarounds, never consumed, so that two
 * neighbouring values are both found.
 */
#include <arpa/inet.h>
#include <string.h>

#include "redact_impl.h"

/* Characters that may surround a token without being part of it. */
#define NB "(?<![A-Za-z0-9_])"
#define NA "(?![A-Za-z0-9_])"

/* IPv4 dotted quad, each part 0-255 without leading zeros. */
#define OCT "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define IPV4 OCT "\\." OCT "\\." OCT "\\." OCT

const struct rd_detector rd_detectors[] = {
	{ "gitlab-token",
	  NB "(?:(?:glpat|gloas|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent"
	  "|glsoat|glffct|glwt|gltst|glcst|glimt)-[0-9A-Za-z_.-]{8,}"
	  "|GR1348941[0-9A-Za-z_-]{16,})",
	  "secret", C_NONE, "GitLab tokens of every prefix, runner registration" },
	{ "aws-key",
	  "(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])",
	  "secret", C_NONE, "AWS access key ids" },
	{ "github-token",
	  NB "(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})" NA,
	  "secret", C_NONE, "GitHub tokens" },
	{ "slack-token",
	  NB "(?:xox[abposre]-[A-Za-z0-9-]{10,}"
	  "|hooks\\.slack\\.com/services/\\K[A-Za-z0-9/_-]{16,})",
	  "secret", C_NONE, "Slack tokens and webhook paths" },
	{ "jwt",
	  "(?<![A-Za-z0-9_-])ey[A-Za-z0-9_-]{8,}\\.ey[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
	  "secret", C_NONE, "JSON web tokens" },
	{ "private-key",
	  "-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
	  "(?:-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----|$)",
	  "secret", C_NONE, "PEM private key blocks, whole or cut short" },
	{ "url-userinfo",
	  "[A-Za-z][A-Za-z0-9+.-]{0,20}://\\K[^/\\s@\"'<>?#]+(?=@)",
	  "secret", C_NONE, "user:password@ in URLs" },
	{ "authorization",
	  "(?i)(?:\\bauthorization[\"']?\\s*[:=]\\s*[\"']?\\K"
	  "(?:(?:bearer|basic|token|digest|negotiate)\\s+)?[^\\s\"',;]+"
	  "|\\b(?:bearer|basic)\\s+\\K[A-Za-z0-9._~+/-]{8,}=*)",
	  "secret", C_NONE, "Authorization headers, Bearer and Basic credentials" },
	{ "secret-param",
	  "(?i)(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,40}?(?:token|passw(?:or)?d|pwd|secret"
	  "|api[_-]?key|private[_-]?key|access[_-]?key|signing[_-]?key"
	  "|encrypted[_-]?key|credentials?|otp_attempt|sentry_dsn|samlresponse"
	  "|_gitlab_session)[\"']?\\s*[=:]\\s*[\"']?\\K"
	  "(?!\\[FILTERED\\])(?!\\[REDACTED)[^\\s&\"',;}\\]]+",
	  "secret", C_NONE, "name=value and name: value with a sensitive name" },
	{ "repo-path",
	  "@hashed/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}(?:\\.wiki|\\.design)?(?:\\.git)?"
	  "|(?:/var)?/opt/gitlab/[^\\s\"']*",
	  "path", C_NONE, "repository storage and installation paths" },
	{ "internal-host",
	  "(?i)(?<![A-Za-z0-9.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
	  "(?:internal|local|localdomain|lan|intranet|intra|corp|home\\.arpa)"
	  "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])",
	  "host", C_NONE, "host names in internal domains (.internal, .local, …)" },
	{ "email",
	  "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.)+"
	  "[A-Za-z]{2,24}(?![A-Za-z0-9-])",
	  "email", C_NONE, "email addresses" },
	{ "ip",
	  "(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" IPV4
	  "|[0-9A-Fa-f]{1,4})?(?:%[A-Za-z0-9_.-]+)?(?![0-9A-Za-z_:]|\\.[0-9])"
	  "|(?<![0-9.])" IPV4 "(?![0-9]|\\.[0-9])",
	  "ip", C_IP, "IPv4 and IPv6 addresses in every form" },
	{ "ipv4", "(?<![0-9.])" IPV4 "(?![0-9]|\\.[0-9])", "ip", C_IP,
	  "IPv4 addresses" },
	{ "ipv6",
	  "(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" IPV4
	  "|[0-9A-Fa-f]{1,4})?(?:%[A-Za-z0-9_.-]+)?(?![0-9A-Za-z_:]|\\.[0-9])",
	  "ip", C_IP, "IPv6 addresses" },
	{ NULL, NULL, NULL, C_NONE, NULL }
};

const struct rd_detector *
rd_detector_find(const char *name)
{
	for (const struct rd_detector *d = rd_detectors; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

int
rd_ip_norm(const char *s, size_t n, struct ld_buf *b)
{
	char buf[INET6_ADDRSTRLEN + 64], out[INET6_ADDRSTRLEN];
	unsigned char a[16];
	char *z;

	if (n >= sizeof(buf) || n < 2)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((z = strchr(buf, '%')) != NULL)
		*z = '\0';	/* the zone id names an interface, not a host */
	if (inet_pton(AF_INET, buf, a) == 1) {
		inet_ntop(AF_INET, a, out, sizeof(out));
		ld_buf_adds(b, out);
		return 0;
	}
	if (strchr(buf, ':') == NULL || inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	/* "::" alone and "::1"-like loopbacks are addresses too, but a lone
	 * "::" is more often a separator than a host. */
	if (strcmp(buf, "::") == 0)
		return -1;
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		inet_ntop(AF_INET, a + 12, out, sizeof(out));
	else
		inet_ntop(AF_INET6, a, out, sizeof(out));
	ld_buf_adds(b, out);
	return 0;
}
