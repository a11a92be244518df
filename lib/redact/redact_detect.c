/*
 * redact_detect.c — the built-in detectors of secrets and personal data.
 *
 * Each is a PCRE2 pattern in byte mode, matched against decoded text.
 * Where only part of a match is secret (the value after "password="), the
 * pattern sets the start of the match with \K so that the name stays for
 * the reviewer.  Boundaries are lookarounds, never consumed, so that two
 * neighbouring values are both found.
 *
 * Most strings of a log hold none of these, and a pattern that may start
 * at any byte (an email, an address) costs a JIT scan of every string.
 * So each detector also says what a string must hold for it to match at
 * all: classes of characters (an "@" for an email), a minimum length, and
 * literals of which one must occur (a token prefix), with how far before
 * the literal a match may start.  Emails and addresses have candidate
 * finders instead: a match can only start where a run of the characters
 * it is made of starts, so the pattern is tried there, anchored.  These
 * are exact, never heuristics: a string they pass over cannot match.
 * rd_plan asks all of them at once, in one pass over the string that
 * stops only at the bytes a question is about: most strings (times, ids,
 * paths) cost little more than reading them.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "redact/redact_impl.h"

/* The base64 forms of the token prefixes and PEM markers base64-secret
 * looks for, at each of the three alignments (a prefix n bytes into a
 * group of three, n = 0, 1, 2): of each, the run of characters that
 * depends on the prefix alone.  The detector's pattern and its literal
 * prefilter are made of the one list. */
#define B64_PREFIXES \
	"Z2xwYXQt|dscGF0L|nbHBhdC|Z2xkdC|dsZHQt|nbGR0L|Z2xydC|dscnQt" \
	"|nbHJ0L|Z2xwdHQt|dscHR0L|nbHB0dC|Z2xjYnQt|dsY2J0L|nbGNidC" \
	"|Z2xvYXMt|dsb2FzL|nbG9hcy|Z2xmdC|dsZnQt|nbGZ0L|Z2xpbXQt" \
	"|dsaW10L|nbGltdC|Z2xhZ2VudC|dsYWdlbnQt|nbGFnZW50L|Z2xzb2F0L" \
	"|dsc29hdC|nbHNvYXQt|R1IxMzQ4OTQx|dSMTM0ODk0M|HUjEzNDg5ND|Z2hwX" \
	"|docF|naHBf|Z2hvX|dob1|naG9f|Z2h1X|dodV|naHVf|Z2hzX|doc1|naHNf" \
	"|Z2hyX|docl|naHJf|Z2l0aHViX3BhdF|dpdGh1Yl9wYXRf|naXRodWJfcGF0X" \
	"|eG94Yi|hveGIt|4b3hiL|eG94cC|hveHAt|4b3hwL|eG94YS|hveGEt" \
	"|4b3hhL|eG94ZS|hveGUt|4b3hlL|eGFwcC|hhcHAt|4YXBwL|QUtJQ|FLSU" \
	"|BS0lB|QVNJQ|FTSU|BU0lB|LS0tLS1CRUdJT|0tLS0tQkVHSU" \
	"|tLS0tLUJFR0lO|c2stcHJvai|NrLXByb2ot|zay1wcm9qL|c2stYW50L" \
	"|NrLWFudC|zay1hbnQt|c2tfbGl2ZV|NrX2xpdmVf|za19saXZlX" \
	"|cmtfbGl2ZV|JrX2xpdmVf|ya19saXZlX|bnBtX|5wbV|ucG1f|QUl6Y|FJem" \
	"|BSXph|c2hwYXRf|NocGF0X|zaHBhdF|ZGNrcl9wYXRf|Rja3JfcGF0X" \
	"|kY2tyX3BhdF|cHlwaS1BZ0VJ|B5cGktQWdFS|weXBpLUFnRU" \
	"|UHVUVFktVXNlc|B1VFRZLVVzZX|QdVRUWS1Vc2Vy|R0xQQVQt|dMUEFUL" \
	"|HTFBBVC|R0hQX|dIUF|HSFBf" \
	"|b3BlbnNzaC1rZXktdjE|BgkqhkiG9w0BAQEFAASC|AIBAAKCA|MHcCAQEEI" \
	"|AgEAMBMGByqGSM49|MC4CAQAwBQYDK2VwBCIEI" \
	B64_NAMES

/* The base64 forms of the names whose value is a secret ("password",
 * "passwd", "secret", "token", in lower case, capitalised and in upper
 * case), at the three alignments: a base64 blob that holds
 * {"password":"…"} or token=… is masked whole, as a prefix's is. */
#define B64_NAMES \
	"|cGFzc3dvcm|Bhc3N3b3Jk|wYXNzd29yZ|UGFzc3dvcm|QYXNzd29yZ" \
	"|UEFTU1dPUk|BBU1NXT1JE|QQVNTV09SR|cGFzc3dk|Bhc3N3Z|wYXNzd2" \
	"|c2VjcmV0|NlY3Jld|zZWNyZX|U2VjcmV0|TZWNyZX|U0VDUkVU|NFQ1JFV" \
	"|TRUNSRV|dG9rZW|Rva2Vu|0b2tlb|VG9rZW|Ub2tlb|VE9LRU|RPS0VO|UT0tFT"

/* The hexadecimal forms of the token prefixes and PEM markers
 * (hex-secret), without case. */
#define HEX_PREFIXES \
	"676c7061742d|676c6f61732d|676c64742d|676c72742d|676c7074742d" \
	"|676c6362742d|676c66742d|676c696d742d|676c6167656e742d" \
	"|676c736f61742d|475231333438393431|6768705f|67686f5f|6768755f" \
	"|6768735f|6768725f|6769746875625f7061745f|786f78622d" \
	"|786f78702d|414b4941|41534941|2d2d2d2d2d424547494e" \
	"|736b2d70726f6a2d|736b2d616e742d|6e706d5f|50755454592d55736572"

/*
 * Tokens with a prefix of their own are found wherever the prefix is,
 * whatever comes before it: "GITLAB_TOKEN_glpat-…", "1glpat-…" and
 * "\nglpat-…" (a newline escape in Ruby's inspect text) hide nothing.
 */

/* IPv4 dotted quad, each part 0-255, leading zeros taken (010.1.2.3 is
 * written by some tools and read by others). */
#define OCT "(?:0{0,2}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))"
#define IPV4 OCT "\\." OCT "\\." OCT "\\." OCT
/* Where an IPv4 address may start: not inside a longer dotted number,
 * but after a label's dot (app.203.0.113.9.nip.io). */
#define V4START "(?<![0-9])(?<![0-9]\\.)"
/* An address written with dashes inside a host name
 * (ec2-203-0-113-25.compute-1.amazonaws.com, ip-10-1-2-3.ec2.internal). */
#define IPV4D OCT "-" OCT "-" OCT "-" OCT "(?=\\.[A-Za-z])"
/* The forms inet_aton() reads as well, hexadecimal and octal parts
 * (0xC0.0xA8.0.1, 0300.0250.0.1): a browser or curl goes there. */
#define XP "(?:0[xX][0-9A-Fa-f]{1,2}|0[0-7]{1,3}|[0-9]{1,3})"
#define IPV4X "(?<![0-9A-Za-z.])" XP "\\." XP "\\." XP "\\." XP \
	"(?![0-9A-Za-z]|\\.[0-9])"
#define IPV6 "(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" IPV4 "|[0-9A-Fa-f]{1,4})?" \
	"(?:%[A-Za-z0-9_.-]+)?(?![0-9A-Za-z_:]|\\.[0-9])"

/* The "@" and "." of an address written in words (email-obfuscated):
 * in brackets, (at) [dot], or as words, " at ", " dot ".  An address
 * with a word "at" needs a word "dot" too: "failed at gitlab.com" is
 * no address. */
#define OBF_OPEN "[\\(\\[\\{<]"
#define OBF_CLOSE "[\\)\\]\\}>]"
#define OBF_AT_B "\\s*" OBF_OPEN "\\s*at\\s*" OBF_CLOSE "\\s*"
#define OBF_AT_W "\\s+at\\s+"
/* An "@" with blanks around it ("jane.roe @ example.org"). */
#define OBF_AT_S "(?:[ \\t]+@[ \\t]*|@[ \\t]+)"
#define OBF_DOT_W "(?:\\s*" OBF_OPEN "\\s*dot\\s*" OBF_CLOSE "\\s*|\\s+dot\\s+)"
#define OBF_DOT "(?:" OBF_DOT_W "|\\.)"
#define OBF_LABEL "[A-Za-z0-9-]{1,63}"

/* Names whose value is a secret, as name=value, name: value, "name"=>…,
 * name[…]=… (secret-param; rd_plan's words below are their last words). */
#define SECRET_NAMES "(?:(?:passw(?:or)?d|pass_?phrase|passcode|secret)" \
	"[A-Za-z0-9_.-]{0,30}?|token|pwd|pw|pass|key|auth" \
	"|credentials?|otp_attempt|sentry_dsn|samlresponse|_gitlab_session" \
	"|session_?id|token_?value|sig|signature)"
/* Names whose value prose gives after "is" or "was" (secret-param):
 * "the password is …", not "the token is expired". */
#define PW_NAMES "(?:passw(?:or)?d|pass_?phrase|passcode|secret|pwd|pw)"

/* A word of a person's name: letters, any script, with ' . - inside. */
#define NAME_WORD "[A-Za-z\\x80-\\xff][A-Za-z\\x80-\\xff'.-]{0,40}"

const struct rd_detector rd_detectors[] = {
	{ "gitlab-token",
	  "(?:(?:glpat|gloas|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent"
	  "|glsoat|glffct|glwt|gltst|glcst)(?:-|=2[Dd])[0-9A-Za-z_.-]{8,}"
	  "|GR1348941[0-9A-Za-z_-]{16,})",
	  "secret", C_NONE, "GitLab tokens of every prefix, runner registration",
	  T_DASH | T_DIGIT, 0, 13, "gl|GR1348941", 1, 0, CAND_LIT },
	{ "aws-key",
	  "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
	  "secret", C_NONE, "AWS access key ids",
	  0, T_UPPER, 20, "AKIA|ASIA|ABIA|ACCA|A3T", 0, 0, CAND_LIT },
	{ "github-token",
	  "(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})",
	  "secret", C_NONE, "GitHub tokens",
	  0, T_UNDER, 33, "ghp_|gho_|ghu_|ghs_|ghr_|github_pat_", 1, 0, CAND_LIT },
	{ "slack-token",
	  "(?:xox[a-z](?:\\.xox[a-z])?-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}"
	  "|hooks\\.slack\\.com/(?:services|workflows|triggers)/\\K[A-Za-z0-9/_+-]{16,})",
	  "secret", C_NONE, "Slack tokens and webhook paths",
	  T_DASH | T_DOT, 0, 14, "xox|xapp-|hooks.slack.com/", 1, 0, CAND_LIT },
	{ "jwt",
	  "ey[A-Za-z0-9_-]{8,}\\.ey[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"
	  "|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]{8,}"
	  "\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
	  "secret", C_NONE, "JSON web tokens, signed (three parts) or "
	  "encrypted (JWE, five parts)",
	  0, T_DOT, 22, ".ey|eyJ", 0, -1, CAND_LIT },
	{ "cloud-key",
	  "AIza[0-9A-Za-z_-]{35}"
	  "|(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,99}|whsec_[A-Za-z0-9]{24,}"
	  "|npm_[A-Za-z0-9]{36}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{16,}"
	  "|rubygems_[a-f0-9]{48}|dckr_pat_[A-Za-z0-9_-]{20,}"
	  "|AKCp[A-Za-z0-9]{60,}|cmVmd[A-Za-z0-9]{59}"
	  "|(?:discord(?:app)?\\.com/api/webhooks/[0-9]{15,22}/)\\K[A-Za-z0-9_-]{20,}"
	  "|[0-9]{8,10}:AA[0-9A-Za-z_-]{30,}"
	  "|sk-(?:proj|svcacct|admin|ant-api[0-9]{2}|ant-admin[0-9]{2})-[A-Za-z0-9_-]{20,}"
	  "|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
	  "|(?:hf_|api_org_)[A-Za-z]{34}|pplx-[A-Za-z0-9]{40,}"
	  "|SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}"
	  "|SK[0-9a-fA-F]{32}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"
	  "|do[opr]_v1_[a-f0-9]{64}|LTAI[A-Za-z0-9]{20}|dapi[a-f0-9]{32}"
	  "|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"
	  "|hv[sb]\\.[A-Za-z0-9_-]{24,}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}"
	  "|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,3}"
	  "|eyJrIjoi[A-Za-z0-9]{40,}={0,3}|key-[a-f0-9]{32}"
	  "|lin_api_[A-Za-z0-9]{40}|pul-[a-f0-9]{40}|sntry[su]_[A-Za-z0-9+/=_]{40,}"
	  "|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}|shippo_(?:live|test)_[a-f0-9]{40}"
	  "|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,}|pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_.=-]{32,64}"
	  "|rdme_[a-z0-9]{70}|ntn_[0-9]{11}[A-Za-z0-9]{35}|pnu_[A-Za-z0-9]{36}"
	  "|HRKU-AA[0-9A-Za-z_-]{58}|dp\\.pt\\.[A-Za-z0-9]{43}"
	  "|dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}|ops_eyJ[A-Za-z0-9+/]{100,}={0,3}"
	  "|p8e-[A-Za-z0-9]{32}|EZ[AT]K[A-Za-z0-9]{54}|sha256~[A-Za-z0-9_-]{43}"
	  "|FLW(?:SECK|PUBK)_TEST-[A-Za-z0-9]{12,32}(?:-X)?|ABSK[A-Za-z0-9+/]{100,}={0,2}"
	  "|[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
	  "|NR(?:AK|JS|II)-[A-Za-z0-9]{19,32}|ATATT3[A-Za-z0-9_=-]{40,}"
	  "|ATBB[A-Za-z0-9_=.-]{28,}|tskey-[a-z]+-[A-Za-z0-9_-]{16,}"
	  "|sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,}|gsk_[A-Za-z0-9]{48,}"
	  "|r8_[A-Za-z0-9]{37,}|CFPAT-[A-Za-z0-9_-]{40,}"
	  "|sk\\.eyJ[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}"
	  "|fo1_[A-Za-z0-9_-]{39,}|fm[12][ar]?_[A-Za-z0-9+/=_-]{64,}"
	  "|dp\\.(?:st|sa|ct|scim|audit)\\.[A-Za-z0-9_-]{40,}|EAA[A-Za-z0-9]{90,}"
	  "|sgp_(?:local_)?[a-f0-9]{16}_[a-f0-9]{40}|CLOJARS_[a-z0-9]{60}"
	  "|duffel_(?:test|live)_[A-Za-z0-9_=-]{43}|tfp_[A-Za-z0-9_=.-]{59}"
	  "|ico-[A-Za-z0-9]{32}|v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}"
	  "|ya29\\.[A-Za-z0-9_-]{20,}|GOCSPX-[A-Za-z0-9_-]{20,}|xai-[A-Za-z0-9]{40,}"
	  "|oy2[a-z0-9]{43}|EAAA[A-Za-z0-9_=+-]{60,}|figd_[A-Za-z0-9_-]{38,}"
	  "|ATCTT3[A-Za-z0-9_=-]{40,}"
	  "|[a-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}|fio-u-[A-Za-z0-9_=-]{64}"
	  "|tk-us-[A-Za-z0-9_-]{48}|AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38}"
	  "|t1\\.[A-Za-z0-9_-]+={0,2}\\.[A-Za-z0-9_-]{86}={0,2}"
	  "|API-[A-Z0-9]{26}(?![A-Z0-9])|(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}"
	  "|sm_(?:pat|aat|sat)_[A-Za-z0-9]{16,}|[0-9a-f]{32}-us[0-9]{1,2}(?![0-9])",
	  "secret", C_NONE, "cloud, payment, package registry, chat and AI "
	  "provider keys (the prefixed kinds of gitleaks' rules)",
	  0, T_LONG, 16, "AIza|sk_|rk_|whsec_|npm_|pypi-|rubygems_|dckr_pat_|AKCp|cmVmd"
	  "|discord|:AA|sk-|hf_|api_org_|pplx-|SG.|SK|shp|_v1_|LTAI|dapi|AGE-SECRET"
	  "|hvs.|hvb.|PMAK-|glsa_|glc_|eyJrIjoi|key-|lin_api_|pul-|sntry|xkeysib-"
	  "|shippo_|sq0|pscale_|rdme_|ntn_|pnu_|HRKU-|dp.pt.|dt0c01.|ops_eyJ|p8e-"
	  "|EZ|sha256~|FLW|ABSK|Q~|NRAK-|NRJS-|NRII-|ATATT3|ATBB|tskey-|sbp_"
	  "|sb_secret_|gsk_|r8_|CFPAT-|sk.eyJ|fo1_|fm1|fm2|dp.st.|dp.sa.|dp.ct."
	  "|dp.scim.|dp.audit.|EAA|sgp_|CLOJARS_|duffel_|tfp_|ico-|v1.0-"
	  "|ya29.|GOCSPX-|xai-|oy2|figd_|ATCTT3|.atlasv1.|fio-u-|tk-us-|AQVN|YC"
	  "|t1.|API-|pat.|sat.|sm_pat_|sm_aat_|sm_sat_|-us", 0, 32,
	  CAND_LIT },
	{ "vendor-key",
	  "(?i)[A-Za-z0-9_.-]{0,50}?(?:adafruit|adobe|airtable|algolia|alibaba|asana|atlassian|confluence|jira|beamer|bitbucket|bittrex|cloudflare|codecov|cohere|coinbase|contentful|datadog|discord|droneci|dropbox|etsy|facebook|fastly|finicity|finnhub|flickr|freshbooks|gitter|gocardless|hubspot|intercom|jfrog|kraken|kucoin|launchdarkly|linkedin|lob|looker|mailchimp|mailgun|mapbox|mattermost|messagebird|netlify|newrelic|nytimes|okta|plaid|rapidapi|sendbird|sendgrid|snyk|sonar|squarespace|sumologic|telegram|travis|twitch|twitter|typeform|yandex|zendesk|heroku|sentry|meraki)[A-Za-z0-9_.-]{0,20}"
	  "(?:\\\\?[\"'])?\\s*(?:=>|[=:])\\s*(?:\\\\?[\"'])?\\K[A-Za-z0-9_=+/.~-]{16,}",
	  "secret", C_NONE, "values of 16 characters or more after a name that "
	  "holds a provider's name (ADOBE_CLIENT_ID=…, cloudflare_api_token: …)",
	  T_EQ | T_COLON, 0, 20, NULL, 0, 0, CAND_PARAM },
	{ "bundler-credential",
	  "(?i)(?<![A-Za-z0-9_])BUNDLE_[A-Z0-9_]*?__[A-Z0-9]+(?:\\\\?[\"'])?\\s*[=:]\\s*"
	  "(?:\\\\?[\"'])?\\K(?!\\[FILTERED\\])(?!\\[REDACTED)[^\\s\"',;&\\\\]+",
	  "secret", C_NONE, "Bundler's credentials of a gem host in the "
	  "environment (BUNDLE_GEMS__CONTRIBSYS__COM=user:password, "
	  "BUNDLE_GITLAB__EXAMPLE__COM=token)",
	  T_EQ | T_COLON, 0, 12, "BUNDLE_", 1, 0, CAND_LIT },
	{ "signed-url",
	  "(?i)[?&;#](?:x-amz-signature|x-amz-credential|x-amz-security-token"
	  "|x-goog-signature|x-goog-credential|sig|signature|code|access_token"
	  "|id_token|refresh_token|client_secret|private_token|job_token"
	  "|feed_token|rss_token)=\\K[^&#\\s\"'<>]+",
	  "secret", C_NONE, "signatures and codes in query strings: presigned "
	  "S3 and GCS URLs, Azure SAS sig=, OAuth code= and tokens (in a "
	  "fragment too)",
	  T_EQ | T_LONG, 0, 20, "?|&|;|#", 0, 0, CAND_LIT },
	{ "base64-secret",
	  "(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]{24})[A-Za-z0-9+/_-]*?(?:"
	  B64_PREFIXES
	  ")[A-Za-z0-9+/_-]*={0,2}",
	  "secret", C_NONE, "base64 (and base64url) text that holds a GitLab, "
	  "GitHub, Slack, AWS, OpenAI or Anthropic token, a PEM block or the "
	  "DER or OpenSSH body of a private key without its PEM lines (a "
	  "docker auth, a Basic credential, an encoded config), whole: at "
	  "every alignment where the prefix leaves five or more base64 "
	  "characters of its own",
	  0, T_LONG, 24,
	  B64_PREFIXES, 0, -1, CAND_LIT },
	{ "hex-secret",
	  "(?<![0-9A-Fa-f])[0-9A-Fa-f]*?(?:" HEX_PREFIXES ")[0-9A-Fa-f]{16,}",
	  "secret", C_NONE, "hexadecimal text that holds a GitLab, GitHub, "
	  "Slack, AWS, OpenAI, Anthropic or npm token, a PEM block or a PuTTY "
	  "key, whole",
	  0, T_LONG, 28, HEX_PREFIXES, 1, -1, CAND_LIT },
	{ "private-key",
	  "-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
	  "(?:-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----|$)"
	  "|---- BEGIN SSH2[ A-Z0-9]{0,20}PRIVATE KEY ----(?s:.*?)"
	  "(?:---- END SSH2[ A-Z0-9]{0,20}PRIVATE KEY ----|$)"
	  "|PuTTY-User-Key-File-[0-9]+:(?s:.*?)(?:Private-MAC:[^\\r\\n]*|$)",
	  "secret", C_NONE, "PEM private key blocks, SSH.com's (RFC 4716 "
	  "armour) and PuTTY keys, whole, cut short, or split over the "
	  "members of a record",
	  0, T_DASH, 20, "-----BEGIN|---- BEGIN SSH2|PuTTY-User-Key-File-", 1,
	  0, CAND_LIT },
	{ "url-userinfo",
	  "(?:[A-Za-z][A-Za-z0-9+.-]{0,20}:|(?<![A-Za-z0-9+.:/-]))//\\K"
	  "(?:[^/\\s\"'<>?#]+(?=@)"
	  "|[^/\\s\"'<>?#:@]{0,64}:(?![0-9]{1,5}(?:[/?#]|$))"
	  "[^\"'<>@\\r\\n]{1,128}(?=@[A-Za-z0-9\\[]))",
	  "secret", C_NONE, "user:password@ in URLs, of a scheme or "
	  "protocol-relative (//user:password@host), the password with "
	  "blanks, slashes, ? or # in it too",
	  0, T_AT | T_COLON | T_SLASH, 6, "//", 0, 22, CAND_LIT },
	{ "host-userinfo",
	  "(?<![A-Za-z0-9._%+:/-])[A-Za-z0-9._%+-]{1,64}:\\K[^\\s:@/\"'<>]{1,256}"
	  "(?=@[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/\\s\"',;?#]|$))",
	  "secret", C_NONE, "user:password@host without a scheme (a "
	  "database or cache address)",
	  T_AT | T_COLON, 0, 6, "@", 0, -1, CAND_LIT },
	{ "incoming-email",
	  "(?i)(?:incoming|reply)\\+\\K[^@\\s\"'<>]+(?=@)",
	  "secret", C_NONE, "the token part of GitLab's incoming-email and reply "
	  "addresses (incoming+ns-proj-42-TOKEN-issue@…)",
	  0, T_AT, 10, "incoming+|reply+|INCOMING+", 0, 0, CAND_LIT },
	{ "authorization",
	  "(?i)(?:\\bauthorization(?:\\\\?[\"'])?\\s*[:=]\\s*(?:\\\\?[\"'])?\\K"
	  "(?:digest\\s[^\\r\\n]*|(?:bearer|basic|token|negotiate|ntlm|apikey"
	  "|api-key|key|sso-key)\\s+[^\\s\"',;\\\\]+|[^\\s\"',;\\\\]+)"
	  "|\\b(?:bearer|basic)\\s+\\K[A-Za-z0-9._~+/-]{8,}=*"
	  "|\\b(?:set-)?cookie(?:\\\\?[\"'])?\\s*[:=]\\s*(?:\\\\?[\"'])?\\K"
	  "[^\\r\\n\"\\\\]+)",
	  "secret", C_NONE, "Authorization headers of every scheme (Bearer, "
	  "Basic, Token, Digest, …), Bearer and Basic credentials, Cookie "
	  "and Set-Cookie headers whole",
	  T_SPACE | T_COLON | T_EQ, 0, 6, NULL, 0, 0, CAND_AUTH },
	{ "secret-param",
	  "(?i)(?:[A-Za-z0-9_.-]{0,40}?" SECRET_NAMES
	  "(?:\\\\?[\"'])?\\]?(?:\\\\?[\"'])?\\s*(?:=>|->|:=|==|[=:])"
	  "|[A-Za-z0-9_.-]{0,40}?" PW_NAMES "\\s+(?:is|was)\\s)"
	  "\\s*(?:\\\\?[\"'])?\\K"
	  "(?!\\[FILTERED\\])(?!\\[REDACTED)"
	  "(?:(?<=\")(?:[^\"\\\\\\r\\n]|\\\\[^\\r\\n])+(?=\")"
	  "|(?<=')(?:[^'\\\\\\r\\n]|\\\\[^\\r\\n])+(?=')"
	  "|(?:[^\\s&\"',;}\\]<>\\\\]|\\\\(?![\"']))+)",
	  "secret", C_NONE, "name=value, name: value, \"name\"=>value, "
	  "name[…]=value with a sensitive name, and \"the password is "
	  "value\" in prose; quoted values whole",
	  T_EQ | T_COLON | T_SPACE, 0, 4, NULL, 0, 0, CAND_PARAM },
	{ "secret-option",
	  "(?i)(?:(?<![A-Za-z0-9_-])--(?!-)[A-Za-z0-9_.-]{0,40}?" SECRET_NAMES
	  "(?:[ \\t]+|=)"
	  "|\\b(?:mysql|mysqldump|mariadb)\\b[^\\r\\n|;&]{0,200}?\\s-p(?=[^\\s-])"
	  "|\\bsshpass\\s+-p\\s*|\\bredis-cli\\b[^\\r\\n|;&]{0,200}?\\s-a\\s+"
	  "|\\b(?:docker|podman|buildah|nerdctl|helm)\\b[^\\r\\n|;&]{0,40}?"
	  "\\blogin\\b[^\\r\\n|;&]{0,200}?\\s-p(?:[ \\t]+|=)"
	  "|(?<![A-Za-z0-9_-])(?:-u|--user)(?:[ \\t]+|=)?[\"']?[^\\s\"':@]{1,64}:)"
	  "\\K(?!-)(?!\\[FILTERED\\])(?!\\[REDACTED)"
	  "(?:\"[^\"\\r\\n]+\"|'[^'\\r\\n]+'|[^\\s\"'&;,]+)",
	  "secret", C_NONE, "command-line options with a sensitive name, and "
	  "their value (--password VALUE, --api-token=VALUE), the password "
	  "of mysql -pVALUE, sshpass -p, redis-cli -a, docker login -p "
	  "(podman, buildah, nerdctl, helm) and curl -u user:VALUE",
	  T_DASH, 0, 8, "--|mysql|mariadb|sshpass|redis-cli|-u|-p", 1,
	  7 + 41 + 6 + 201, CAND_LIT },
	{ "xml-secret",
	  "(?i)<[A-Za-z0-9_:.-]{0,40}?(?:password|passwd|pwd|secret|token|key"
	  "|credentials?)(?:\\s[^<>]*)?>\\K[^<]+(?=</)",
	  "secret", C_NONE, "XML elements with a sensitive name",
	  T_EQ, 0, 8, NULL, 0, 0, CAND_PARAM },
	{ "repo-path",
	  "@hashed/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}(?:\\.wiki|\\.design)?(?:\\.git)?"
	  "|(?:/var)?/opt/gitlab/[^\\s\"']*",
	  "path", C_NONE, "repository storage and installation paths",
	  0, T_SLASH, 8, "@hashed/|/opt/gitlab/", 0, 4, CAND_LIT },
	{ "internal-host",
	  "(?i)(?<![A-Za-z0-9.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
	  "(?:internal|local|localdomain|lan|intranet|intra|corp|home\\.arpa)"
	  "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])",
	  "host", C_NONE, "host names in internal domains (.internal, .local, …)",
	  0, T_DOT, 5, NULL, 0, 0, CAND_HOST },
	{ "email",
	  "(?:\"[^\"\\r\\n@]{1,64}\"|[A-Za-z0-9._%+'!#$*^`{|}~\\x80-\\xff-]{1,64})@"
	  "(?:(?:[A-Za-z0-9\\x80-\\xff-]{1,63}\\.)+[A-Za-z\\x80-\\xff]"
	  "[A-Za-z0-9\\x80-\\xff-]{1,62}(?![A-Za-z0-9\\x80-\\xff-]|\\.[A-Za-z0-9])"
	  "|[A-Za-z][A-Za-z-]{1,62}(?![A-Za-z0-9\\x80-\\xff_.:-])"
	  "|\\[(?:IPv6:)?[0-9A-Fa-f:.]{2,45}\\])",
	  "email", C_NONE, "email addresses: IDN and punycode domains, quoted "
	  "and apostrophed local parts, hosts without a dot, address literals "
	  "([192.0.2.1]), &#64; and &commat;",
	  0, T_AT, 4, NULL, 0, 0, CAND_EMAIL },
	{ "email-obfuscated",
	  "(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]{1,64}"
	  "(?:(?:" OBF_AT_B "|" OBF_AT_S ")(?:" OBF_LABEL OBF_DOT ")*" OBF_LABEL
	  "\\.[A-Za-z]{2,24}"
	  "|(?:" OBF_AT_B "|" OBF_AT_W ")(?:" OBF_LABEL OBF_DOT ")*" OBF_LABEL
	  OBF_DOT_W "[A-Za-z]{2,24})(?![A-Za-z0-9-])",
	  "email", C_NONE, "email addresses written to dodge a reader: "
	  "name(at)example.com, name [at] example [dot] com, "
	  "name AT example DOT com, {at} and <at>, name @ example.com",
	  0, 0, 9, "(at|[at|{at|<at| at |( at|[ at|{ at|< at|@ |@\t", 1, -1,
	  CAND_LIT },
	{ "ip",
	  IPV6 "|" V4START IPV4 "(?![0-9]|\\.[0-9])|" IPV4D "|" IPV4X,
	  "ip", C_IP, "IPv4 and IPv6 addresses in every form (leading zeros, "
	  "after letters, digits or colons, dashed in host names)",
	  T_COLON | T_DOT, 0, 2, NULL, 0, 0, CAND_IP },
	{ "ip-dashed",
	  "(?<=ip-)" OCT "-" OCT "-" OCT "-" OCT "(?![0-9])",
	  "ip", C_IP, "IPv4 addresses in the dashed host names clouds give "
	  "(ip-10-1-2-3, without a domain too)",
	  0, T_DIGIT, 10, "ip-", 1, 0, CAND_LIT },
	{ "ipv4", V4START IPV4 "(?![0-9]|\\.[0-9])|" IPV4D "|" IPV4X, "ip", C_IP,
	  "IPv4 addresses",
	  0, T_DOT | T_DIGIT, 7, NULL, 0, 0, CAND_IP },
	{ "ipv6", IPV6, "ip", C_IP, "IPv6 addresses",
	  0, T_COLON, 2, NULL, 0, 0, CAND_IP },
	{ "ip-int",
	  "(?<=://)(?:[0-9]{8,10}|0[xX][0-9A-Fa-f]{8}"
	  "|(?:[0-9]{1,3}|0[xX][0-9A-Fa-f]{1,2})(?:\\.(?:[0-9]{1,3}|0[xX][0-9A-Fa-f]{1,2}))?"
	  "\\.(?:[0-9]{1,8}|0[xX][0-9A-Fa-f]{1,6}))(?=[:/?#\\s\"']|$)",
	  "ip", C_IP, "IPv4 addresses written as one number in a URL's host, "
	  "or as two or three (http://10.1/, http://192.168.257/: what "
	  "inet_aton() reads)",
	  0, T_DIGIT | T_COLON | T_SLASH, 6, "://", 0, 0, CAND_LIT },
	{ "user-id-path",
	  "/users/\\K[0-9]+(?=[/?#\\s\"'.]|$)|gid://gitlab/User/\\K[0-9]+"
	  "|(?<![A-Za-z0-9])[A-Za-z_.]{0,40}?(?:user|author|assignee|reviewer"
	  "|owner|member|impersonator|_by)_ids?(?:\\[\\])?(?:\\\\?[\"'])?\\s*"
	  "(?:=>|[=:])\\s*(?:\\\\?[\"'])?\\[?\\K[0-9]+(?![0-9])",
	  "uid", C_NONE, "user ids in paths (/api/v4/users/42/keys), and "
	  "after a user's id name in query strings and text (?user_id=42, "
	  "author_id: 42, assignee_ids[]=42)",
	  0, T_DIGIT, 8, "/users/|_id|gid://", 1, 60, CAND_LIT },
	{ "user-name-path",
	  "/users/\\K(?!(?:sign_in|sign_up|sign_out|password|auth|confirmation"
	  "|unlock|almost_there|edit|terms|identity_verification"
	  "|resend_verification_code|successful_verification|update_email"
	  "|[0-9]+)(?:[/?#.\\s\"']|$))(?=[A-Za-z0-9_.-]*[A-Za-z_])"
	  "[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}?(?=\\.json|\\.atom|[/?#\\s\"',;]|$)"
	  "|(?<![A-Za-z0-9_.~-])/~\\K[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}?"
	  "(?=[/?#\\s\"',;]|$)",
	  "user", C_NONE, "user names in GitLab's paths of a user "
	  "(/users/NAME/calendar.json, /api/v4/users/NAME/projects) and in "
	  "a home directory's path (/~NAME/)",
	  0, T_SLASH, 3, "/users/|/~", 1, 0, CAND_LIT },
	{ "route-token",
	  "/(?:-/)?invites/\\K[A-Za-z0-9_-]{8,}"
	  "|/(?:-/)?sent_notifications/\\K[A-Za-z0-9_-]{16,}"
	  "|/(?:-/)?unsubscribes/\\K[A-Za-z0-9+/=_%-]{4,}",
	  "secret", C_NONE, "the secrets GitLab puts in a route's path: an "
	  "invitation's token (/-/invites/TOKEN), a notification's reply "
	  "key (/sent_notifications/KEY/unsubscribe) and the encoded address "
	  "of /-/unsubscribes/",
	  0, T_SLASH, 12, "vites/|_notifications/|ubscribes/", 1, 7,
	  CAND_LIT },
	{ "user-mention",
	  "(?<![A-Za-z0-9_.+/@-])@\\K[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}"
	  "(?<![.-])(?![A-Za-z0-9_@/-]|\\.[A-Za-z0-9_])",
	  "user", C_NONE, "a user mentioned in text (@jane.roe), not an "
	  "address, a scope (@group/name) or a path (@hashed/…)",
	  0, T_AT, 2, "@", 0, 0, CAND_LIT },
	{ "email-name",
	  "(?<![A-Za-z0-9\\x80-\\xff'.-])(?:\"[^\"\\r\\n<>@]{1,80}\"|" NAME_WORD
	  "(?:[ \\t]{1,3}" NAME_WORD "){0,4})(?=[ \\t]{0,3}<[^<>\\s\"@]{1,64}@)",
	  "user", C_NONE, "the name written before an email address in "
	  "angle brackets (Signed-off-by: Jane Roe <jane@example.com>, "
	  "From: \"Roe, Jane\" <…>): up to five words, or quoted",
	  0, T_AT, 6, "<", 0, 5 * 41 + 4 * 3 + 3, CAND_LIT },
	{ NULL, NULL, NULL, C_NONE, NULL, 0, 0, 0, NULL, 0, 0, CAND_LIT }
};

const unsigned short rd_cls[256] = {
	['%'] = T_ESC, ['\\'] = T_ESC, ['&'] = T_ESC,
	/* full-width "＠" and "．", characters that show nothing
	 * (redact_text.c) */
	[0xc2] = T_ESC, [0xe2] = T_ESC, [0xef] = T_ESC,
	['@'] = T_AT, ['.'] = T_DOT, [':'] = T_COLON, ['='] = T_EQ,
	['>'] = T_EQ,	/* ends a name too: <password>… (xml-secret) */
	['-'] = T_DASH, ['_'] = T_UNDER, ['/'] = T_SLASH,
	[' '] = T_SPACE, ['\t'] = T_SPACE | T_NL, ['\n'] = T_SPACE | T_NL,
	['\r'] = T_SPACE | T_NL,
	['\f'] = T_SPACE, ['\v'] = T_SPACE,
	['0'] = T_DIGIT, ['1'] = T_DIGIT, ['2'] = T_DIGIT, ['3'] = T_DIGIT, ['4'] = T_DIGIT,
	['5'] = T_DIGIT, ['6'] = T_DIGIT, ['7'] = T_DIGIT, ['8'] = T_DIGIT, ['9'] = T_DIGIT,
	['A'] = T_UPPER, ['B'] = T_UPPER, ['C'] = T_UPPER, ['D'] = T_UPPER,
	['E'] = T_UPPER, ['F'] = T_UPPER, ['G'] = T_UPPER, ['H'] = T_UPPER,
	['I'] = T_UPPER, ['J'] = T_UPPER, ['K'] = T_UPPER, ['L'] = T_UPPER,
	['M'] = T_UPPER, ['N'] = T_UPPER, ['O'] = T_UPPER, ['P'] = T_UPPER,
	['Q'] = T_UPPER, ['R'] = T_UPPER, ['S'] = T_UPPER, ['T'] = T_UPPER,
	['U'] = T_UPPER, ['V'] = T_UPPER, ['W'] = T_UPPER, ['X'] = T_UPPER,
	['Y'] = T_UPPER, ['Z'] = T_UPPER,
	['a'] = T_LOWER, ['b'] = T_LOWER, ['c'] = T_LOWER, ['d'] = T_LOWER,
	['e'] = T_LOWER, ['f'] = T_LOWER, ['g'] = T_LOWER, ['h'] = T_LOWER,
	['i'] = T_LOWER, ['j'] = T_LOWER, ['k'] = T_LOWER, ['l'] = T_LOWER,
	['m'] = T_LOWER, ['n'] = T_LOWER, ['o'] = T_LOWER, ['p'] = T_LOWER,
	['q'] = T_LOWER, ['r'] = T_LOWER, ['s'] = T_LOWER, ['t'] = T_LOWER,
	['u'] = T_LOWER, ['v'] = T_LOWER, ['w'] = T_LOWER, ['x'] = T_LOWER,
	['y'] = T_LOWER, ['z'] = T_LOWER,
};

unsigned
rd_classes(const char *v, size_t n)
{
	unsigned c = 0, run = 0;
	size_t i;

	if (n < RD_LONG_RUN) {
		/* (too short for a long run: the classes alone) */
		for (i = 0; i < n; i++)
			c |= rd_cls[(unsigned char)v[i]];
		return c;
	}
	for (i = 0; i < n; i++) {
		unsigned k = rd_cls[(unsigned char)v[i]];

		c |= k;
		run = k & (T_UPPER | T_LOWER | T_DIGIT) ? run + 1 : 0;
		if (run >= RD_LONG_RUN) {
			/* found: the rest only for its classes */
			c |= T_LONG;
			for (i++; i < n; i++)
				c |= rd_cls[(unsigned char)v[i]];
			break;
		}
	}
	return c;
}

#define ALNUM (T_UPPER | T_LOWER | T_DIGIT)
#define BIT(k) ((unsigned)1 << (k))

static int
lower(int c)
{
	return (unsigned)c - 'A' < 26 ? c | 0x20 : c;
}

static int
is_hex(int c)
{
	return (rd_cls[c] & T_DIGIT) || (unsigned)(c | 0x20) - 'a' < 6;
}

/* Characters an email's local part, and an address, are made of. */
static int
in_local(int c)
{
	static const unsigned char other[256] = { ['%'] = 1, ['+'] = 1,
	    ['\''] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['*'] = 1, ['^'] = 1,
	    ['`'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1 };

	return (rd_cls[c] & (ALNUM | T_DOT | T_UNDER | T_DASH)) || other[c] ||
	    c >= 0x80;
}

/* A byte of a part of an address inet_aton() reads (0xC0, 0300). */
static int
hex_x(int c)
{
	return is_hex(c) || (c | 0x20) == 'x';
}

static int
in_v6run(int c)
{
	return rd_cls[c] & (ALNUM | T_UNDER | T_COLON | T_DOT);
}

static int
in_v4run(int c)
{
	return rd_cls[c] & (T_DIGIT | T_DOT);
}

/* A word of a trigger, with its length. */
struct word {
	const char *s;
	size_t n;
};
#define W(s) { s, sizeof(s) - 1 }
#define NW(a) (sizeof(a) / sizeof((a)[0]))

/* Are the n bytes at v word w, without case?  (strncasecmp in the C
 * locale, which ldredact runs in, without the call.) */
static int
word_at(const unsigned char *v, const struct word *w)
{
	for (size_t k = 0; k < w->n; k++)
		if (lower(v[k]) != w->s[k])
			return 0;
	return 1;
}

/* Does one of the n words end at v[e], without case?  (All end in a
 * letter: anything else before e is no match.) */
static int
ends_with(const unsigned char *v, size_t e, const struct word *w, size_t n)
{
	int c;

	if (e == 0 || !(rd_cls[v[e - 1]] & (T_UPPER | T_LOWER)))
		return 0;
	c = lower(v[e - 1]);
	for (size_t k = 0; k < n; k++)
		if (w[k].n <= e && c == w[k].s[w[k].n - 1] &&
		    word_at(v + e - w[k].n, &w[k]))
			return 1;
	return 0;
}

/* Words that make a name sensitive wherever they are in it, as GitLab's
 * own filter takes /password/ and /secret/ (password_confirmation). */
static const struct word inner[] = { W("passw"), W("passphrase"),
    W("pass_phrase"), W("passcode"), W("secret") };

/* Does the name that ends at v[e] (at most 70 bytes of [A-Za-z0-9_.-]
 * before it) hold one of the words inner[]?  (secret-param takes 40
 * before the word and 30 after it.) */
static int
holds_inner(const unsigned char *v, size_t e)
{
	size_t a = e;

	while (a > 0 && e - a < 70 && ((rd_cls[v[a - 1]] & (ALNUM | T_UNDER |
	    T_DASH | T_DOT))))
		a--;
	for (size_t i = a; i + 5 <= e; i++) {
		int c = lower(v[i]);

		if (c != 'p' && c != 's')
			continue;
		for (size_t k = 0; k < NW(inner); k++)
			if (inner[k].n <= e - i && word_at(v + i, &inner[k]))
				return 1;
	}
	return 0;
}

/* Where a name would end before the "=" or ":" at v[q]: ["']? \s*
 * between them, as in secret-param and authorization. */
static size_t
name_end(const unsigned char *v, size_t q)
{
	/* the second byte of "->", ":=", "==": the name ends before the
	 * first */
	if (q > 0 && (v[q - 1] == '-' || v[q - 1] == ':' || v[q - 1] == '='))
		q--;
	while (q > 0 && (rd_cls[v[q - 1]] & T_SPACE))
		q--;
	/* name"  name\"  name]  name]"  (as secret-param takes them) */
	if (q > 0 && (v[q - 1] == '"' || v[q - 1] == '\''))
		q--;
	if (q > 0 && v[q - 1] == '\\')
		q--;
	if (q > 0 && v[q - 1] == ']')
		q--;
	if (q > 0 && (v[q - 1] == '"' || v[q - 1] == '\''))
		q--;
	if (q > 0 && v[q - 1] == '\\')
		q--;
	return q;
}

static const struct word params[] = { W("token"), W("passwd"),
    W("password"), W("pwd"), W("pass"), W("secret"), W("key"),
    W("credential"), W("credentials"), W("otp_attempt"), W("sentry_dsn"),
    W("samlresponse"), W("_gitlab_session"), W("session_id"),
    W("sessionid"), W("token_value"), W("tokenvalue"), W("sig"),
    W("signature"), W("pw"), W("auth"),
    W("id") };	/* "id": vendor-key's ADOBE_CLIENT_ID */
static const struct word header[] = { W("authorization"), W("cookie") };

/* Does the space at v[q] end "NAME is" or "NAME was", NAME a password's
 * (PW_NAMES of secret-param)? */
static int
said_is(const unsigned char *v, size_t q)
{
	static const struct word verb[] = { W("is"), W("was") };
	static const struct word pw[] = { W("pwd"), W("pw") };
	size_t e;

	if (!ends_with(v, q, verb, NW(verb)))
		return 0;
	e = q >= 3 && word_at(v + q - 3, &verb[1]) ? q - 3 : q - 2;
	if (e == 0 || !(rd_cls[v[e - 1]] & T_SPACE))
		return 0;
	while (e > 0 && (rd_cls[v[e - 1]] & T_SPACE))
		e--;
	return holds_inner(v, e) || ends_with(v, e, pw, NW(pw));
}
static const struct word schemes[] = { W("bearer"), W("basic") };

/* Does an internal domain's last label start right after the dot at
 * v[d]?  (internal-host: the pattern ends in one of them.) */
static int
tld_after(const unsigned char *v, size_t vn, size_t d)
{
	static const struct word tlds[] = { W("internal"), W("local"),
	    W("lan"), W("intra"), W("corp"), W("home.arpa") };
	size_t left = vn - d - 1;

	if (left < 3)
		return 0;
	switch (lower(v[d + 1])) {
	case 'i': case 'l': case 'c': case 'h':
		break;
	default:
		return 0;
	}
	for (size_t k = 0; k < NW(tlds); k++)
		if (left >= tlds[k].n && word_at(v + d + 1, &tlds[k]))
			return 1;
	return 0;
}

/*
 * Can the run of address characters from the colon at v[q] on hold an
 * IPv6 address?  Every one has "::" or six colons at least (eight groups,
 * or six and an IPv4 address): "02:13:12" of a time has neither.
 */
static int
v6_shape(const unsigned char *v, size_t vn, size_t q)
{
	size_t colons = 0;

	for (; q < vn && in_v6run(v[q]); q++)
		if (v[q] == ':') {
			if (q + 1 < vn && v[q + 1] == ':')
				return 1;
			if (++colons >= 6)
				return 1;
		}
	return 0;
}

/*
 * Is the colon at v[q] where an IPv6 candidate of rd_scan_next opens: a
 * second colon in the run of address characters it starts?  (What comes
 * before it does not matter: an address glued to a word is one too.)
 */
static int
v6_colon(const unsigned char *v, size_t vn, size_t q)
{
	size_t i = q;

	while (i < vn && v[i] == ':')
		i++;
	/* after the colons, hex digits or the end ("s::MergeRequests" is
	 * not an address) */
	if (i < vn && !is_hex(v[i]) && in_v6run(v[i]))
		return 0;
	return v6_shape(v, vn, q);
}

/*
 * Is the dot at v[q] the third of a run of [0-9.]?  pd is the dot before
 * it (or vn), *dots the dots of its run.  Every v4 candidate's run has
 * one.
 */
static int
v4_dot(const unsigned char *v, size_t vn, size_t q, size_t pd, size_t *dots)
{
	size_t i = q;

	while (i > 0 && i - 1 != pd && hex_x(v[i - 1]))
		i--;
	*dots = pd != vn && i == pd + 1 ? *dots + 1 : 1;
	return *dots >= 3;
}

/* Does a dashed quad (10-1-2-3) end right before the dot at v[q]?
 * Where it starts, or (size_t)-1. */
static size_t
dashed_start(const unsigned char *v, size_t q)
{
	size_t i = q, dashes = 0, digits = 0;

	while (i > 0 && ((rd_cls[v[i - 1]] & T_DIGIT) || v[i - 1] == '-')) {
		if (v[i - 1] == '-') {
			if (digits == 0 || dashes == 3)
				break;
			dashes++;
			digits = 0;
		} else if (++digits > 3)
			return (size_t)-1;
		i--;
	}
	if (v[i] == '-')
		i++;
	return dashes == 3 && digits > 0 && (rd_cls[v[i]] & T_DIGIT) ? i :
	    (size_t)-1;
}

static int
dashed_before(const unsigned char *v, size_t q)
{
	return q > 6 && (rd_cls[v[q - 1]] & T_DIGIT) &&
	    dashed_start(v, q) != (size_t)-1;
}

/* Where scan sc starts when the first of its literals is at v[a]. */
static size_t
lit_start(const struct rd_scan *sc, size_t a)
{
	int back = sc->d->back;

	return back < 0 || a < (size_t)back ? 0 : a - (size_t)back;
}

/* Are the n bytes at a those at b, without case?  (strncasecmp
 * without the call: literals are short.) */
static int
same_nocase(const char *a, const char *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (lower((unsigned char)a[k]) != lower((unsigned char)b[k]))
			return 0;
	return 1;
}

/* The scans in m (a literal's first byte is at v[q]) whose literal is
 * there: their bits, and q in at[]. */
static uint64_t
lits_at(const struct ld_policy *p, uint64_t m, const char *v, size_t vn,
    size_t q, size_t *at)
{
	uint64_t found = 0;

	while (m != 0) {
		int k = __builtin_ctzll(m);
		const struct rd_scan *sc = &p->scans[k];

		m &= m - 1;
		/* (the literals sorted by their first byte: a detector has
		 * tens of them) */
		for (size_t j = sc->litfrom[(unsigned char)v[q]],
		    je = j + sc->litcount[(unsigned char)v[q]]; j < je; j++) {
			size_t n = sc->litlen[j];
			const char *l = sc->lits[j];

			if (n > vn - q || (n > 1 && l[1] != v[q + 1]))
				continue;
			if (sc->d->caseless ? same_nocase(v + q + 2, l + 2,
			    n < 2 ? 0 : n - 2) : memcmp(v + q, l, n) == 0) {
				found |= (uint64_t)1 << k;
				at[k] = q;
				break;
			}
		}
	}
	return found;
}

/*
 * The bytes the open questions of rd_plan look at: "=" and ":" end a
 * sensitive name, a space a scheme (Bearer), a dot comes before an
 * internal domain and inside an IPv4 address, an IPv6 address and "://"
 * have a colon.
 */
static unsigned
events(unsigned need, int url)
{
	unsigned ev = 0;

	if (need & (BIT(CAND_PARAM) | BIT(CAND_AUTH)))
		ev |= T_EQ | T_COLON;
	if (need & (BIT(CAND_AUTH) | BIT(CAND_PARAM)))
		ev |= T_SPACE;
	if (need & BIT(CAND_HOST))
		ev |= T_DOT;
	if (need & BIT(CAND_IP))
		ev |= T_COLON | T_DOT;
	if (url)
		ev |= T_COLON;
	return ev;
}

/* Can detector d match a string of vn bytes holding classes at all? */
static int
gate(const struct rd_detector *d, size_t vn, unsigned classes)
{
	return d == NULL || (vn >= d->minlen && (classes & d->need) == d->need &&
	    (d->any == 0 || (classes & d->any) != 0));
}

/*
 * The gates of the scans as tables, so that a string's cost does not grow
 * with the number of scans that cannot match it: by the classes it holds
 * and by its length.
 */
void
rd_plan_init(struct ld_policy *p)
{
	size_t n = p->nscans < 64 ? p->nscans : 64;

	for (size_t i = 0; i < n; i++) {
		const struct rd_scan *sc = &p->scans[i];
		const struct rd_detector *d = sc->d;
		enum rd_cand cand = d ? d->cand : CAND_LIT;
		uint64_t bit = (uint64_t)1 << i;

		for (size_t k = 0; k < sc->nlits; k++) {
			const unsigned char *l = (unsigned char *)sc->lits[k];

			p->litmask[l[0]] |= bit;
			/* (a literal of one byte is at any second byte, and
			 * at the end, where rd_plan takes it to be NUL) */
			for (unsigned c = 0; c < 256; c++)
				if (l[1] == '\0' || l[1] == c)
					p->lit2[c] |= bit;
		}
		for (unsigned c = 0; c <= T_GATES; c++)
			if (d == NULL || gate(d, d->minlen, c))
				p->gate[c] |= bit;
		/* (a minimum length past the table: every long string) */
		for (size_t k = 0; k < 64; k++)
			if (d == NULL || d->minlen <= k || k == 63)
				p->lenok[k] |= bit;
		if (cand == CAND_LIT && sc->nlits)
			p->lits |= bit;
		else if (cand == CAND_LIT || cand == CAND_EMAIL)
			p->always |= bit;
		else
			p->cand[cand] |= bit;
	}
	for (unsigned c = 0; c < 256; c++)
		p->ev[c] = (rd_cls[c] & (T_EQ | T_COLON | T_SPACE | T_DOT)) |
		    (p->litmask[c] ? T_LIT : 0);
}

uint64_t
rd_plan(const struct ld_policy *p, const char *v, size_t vn, unsigned classes,
    size_t *start, int *url)
{
	const unsigned char *u = (const unsigned char *)v;
	uint64_t gated, want, found = 0, run, m;
	unsigned need = 0, got = 0, ev;
	size_t at[64], q, pd = vn, dots = 0;
	int wurl = *url && (classes & T_COLON), k;

	gated = p->gate[classes & T_GATES] & p->lenok[vn < 64 ? vn : 63];
	want = gated & p->lits;
	run = gated & p->always;
	for (k = 0; k < CAND_N; k++)
		if (gated & p->cand[k])
			need |= BIT(k);

	/*
	 * One pass over the string answers what the scans wait for, stopping
	 * only at the bytes that may answer: a literal's first byte, or one
	 * of events().  A question is settled by the same test as the
	 * pattern's trigger, so a string passed over is one the pattern
	 * cannot match.
	 */
	*url = 0;
	ev = events(need, wurl) | (want ? T_LIT : 0);
	for (q = 0; q < vn && ev != 0; q++) {
		unsigned e = p->ev[u[q]] & ev;
		unsigned had = got;
		uint64_t fh = found;

		/* (most bytes are no event: one load and a test; a
		 * literal's first byte is one only for the scans still
		 * waiting for one) */
		if (e == 0 || (e == T_LIT && (p->litmask[u[q]] & want &
		    ~found) == 0))
			continue;
		if ((e & T_LIT) && (p->litmask[u[q]] & want & ~found) == 0)
			e &= ~T_LIT;
		/* Scans with a literal of these first two bytes: at the last
		 * byte, NUL stands for the byte after. */
		if ((e & T_LIT) && (m = p->litmask[u[q]] &
		    p->lit2[q + 1 < vn ? u[q + 1] : 0] & want & ~found) != 0)
			found |= lits_at(p, m, v, vn, q, at);
		if ((e & (T_EQ | T_COLON)) &&
		    (need & (BIT(CAND_PARAM) | BIT(CAND_AUTH)))) {
			size_t ne = name_end(u, q);

			if ((need & BIT(CAND_PARAM)) &&
			    (ends_with(u, ne, params, NW(params)) ||
			    holds_inner(u, ne)))
				got |= BIT(CAND_PARAM);
			if ((need & BIT(CAND_AUTH)) &&
			    ends_with(u, ne, header, NW(header)))
				got |= BIT(CAND_AUTH);
		}
		if ((e & T_SPACE) && (need & BIT(CAND_AUTH)) &&
		    ends_with(u, q, schemes, NW(schemes)))
			got |= BIT(CAND_AUTH);
		if ((e & T_SPACE) && (need & BIT(CAND_PARAM)) && said_is(u, q))
			got |= BIT(CAND_PARAM);
		if ((e & T_DOT) && (need & BIT(CAND_HOST)) && tld_after(u, vn, q))
			got |= BIT(CAND_HOST);
		if ((e & T_DOT) && (need & BIT(CAND_IP))) {
			if (v4_dot(u, vn, q, pd, &dots) || dashed_before(u, q))
				got |= BIT(CAND_IP);
			pd = q;
		}
		if ((e & T_COLON) && (need & BIT(CAND_IP)) && v6_colon(u, vn, q))
			got |= BIT(CAND_IP);
		if ((e & T_COLON) && wurl && vn - q >= 3 && u[q + 1] == '/' &&
		    u[q + 2] == '/')
			*url = 1;
		if (got != had || found != fh || *url) {
			need &= ~got;
			ev = events(need, wurl && !*url) |
			    (want != found ? T_LIT : 0);
		}
	}

	for (m = found; m != 0; m &= m - 1) {
		k = __builtin_ctzll(m);
		start[k] = lit_start(&p->scans[k], at[k]);
	}
	for (k = 0; k < CAND_N; k++)
		if (got & BIT(k))
			run |= gated & p->cand[k];
	for (m = run; m != 0; m &= m - 1)
		start[__builtin_ctzll(m)] = 0;
	return run | found;
}

size_t
rd_scan_next(const struct rd_scan *sc, const char *v, size_t vn, size_t off)
{
	const unsigned char *u = (const unsigned char *)v;
	const char *nc;

	switch (sc->d ? sc->d->cand : CAND_LIT) {
	case CAND_EMAIL:
		/* The local part is the whole run before an "@": 1..64. */
		for (const char *at; off < vn &&
		    (at = memchr(v + off, '@', vn - off)) != NULL;
		    off = (size_t)(at - v) + 1) {
			size_t a = (size_t)(at - v);

			if (a > 1 && u[a - 1] == '"') {
				/* a quoted local part: "john doe"@example.com */
				const char *oq = NULL;

				for (size_t k = a - 1; k > 0 && a - k < 66; k--)
					if (u[k - 1] == '"') {
						oq = v + k - 1;
						break;
					}
				if (oq != NULL && (size_t)(oq - v) >= off)
					return (size_t)(oq - v);
			}
			while (a > 0 && in_local(u[a - 1]))
				a--;
			if (a < off || a == (size_t)(at - v) ||
			    (size_t)(at - v) - a > 64)
				continue;
			return a;
		}
		return vn + 1;
	case CAND_IP:
		/* Where a v6 address can start (see below), or a run of [0-9.]
		 * with three dots (v4), or a dashed quad before a dot. */
		nc = memchr(v + off, ':', vn - off);
		for (size_t i = off; i < vn; i++) {
			size_t e, colons = 0, dots = 0, c;

			if (nc != NULL && nc < v + i)
				nc = memchr(v + i, ':', vn - i);
			if (nc == NULL || (size_t)(nc - v) - i > 4)
				goto v4;

			/*
			 * v6: the hex digits (at most four) before the first
			 * colon of a run of them, or the colon itself ("::1"),
			 * or the place after a lone colon ("client:2001:db8::1"),
			 * whatever comes before: an address glued to a word or
			 * a number is found as well.
			 */
			if (is_hex(u[i]) || u[i] == ':') {
				for (c = i; c < vn && c - i < 5 && is_hex(u[c]); c++)
					;
				if (c < vn && u[c] == ':' && c - i <= 4 &&
				    (i == 0 || !is_hex(u[i - 1]) || c - i == 4) &&
				    (c > i || i == 0 || u[i - 1] != ':') &&
				    v6_shape(u, vn, c)) {
					for (e = c; e < vn && in_v6run(u[e]); e++)
						colons += u[e] == ':';
					if (colons >= 2 && (c > i || u[c + 1] == ':' ||
					    (i > 0 && !in_v6run(u[i - 1]))))
						return i;
					if (colons >= 3 && c == i && u[c + 1] != ':')
						return i + 1;
				}
			}
v4:
			if (i > 0 && (rd_cls[u[i - 1]] & (T_DIGIT | T_DOT)) &&
			    (rd_cls[u[i]] & (T_DIGIT | T_DOT)))
				continue;	/* (inside a run: no start) */
			if ((rd_cls[u[i]] & T_DIGIT) && (i == 0 ||
			    !(rd_cls[u[i - 1]] & T_DIGIT))) {
				for (e = i; e < vn && ((rd_cls[u[e]] & T_DIGIT) ||
				    u[e] == '-'); e++)
					;
				if (e < vn && u[e] == '.' && dashed_start(u, e) == i)
					return i;
			}
			if ((rd_cls[u[i]] & T_DIGIT) && (i == 0 ||
			    !(hex_x(u[i - 1]) || u[i - 1] == '.'))) {
				/* hexadecimal parts (0xC0.0xA8.0.1) */
				int x = 0;

				for (e = i, dots = 0; e < vn && (hex_x(u[e]) ||
				    u[e] == '.'); e++) {
					dots += u[e] == '.';
					x |= (u[e] | 0x20) == 'x';
				}
				if (x && dots >= 3)
					return i;
				dots = 0;
			}
			if (in_v4run(u[i]) && (i == 0 || !in_v4run(u[i - 1]))) {
				for (e = i; e < vn && in_v4run(u[e]); e++)
					dots += u[e] == '.';
				if (dots >= 3)
					/* (after a label's dot: app.10.1.2.3) */
					return u[i] == '.' ? i + 1 : i;
			}
		}
		return vn + 1;
	default:
		return off;
	}
}

int
rd_key_end(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '-' && n - i >= 8 &&
		    (strncasecmp(s + i, "-----END", 8) == 0 ||
		    strncasecmp(s + i, "---- END", 8) == 0)) ||
		    ((s[i] | 0x20) == 'p' && n - i >= 12 &&
		    strncasecmp(s + i, "Private-MAC:", 12) == 0))
			return 1;
	return 0;
}

const struct rd_detector *
rd_detector_find(const char *name)
{
	for (const struct rd_detector *d = rd_detectors; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/*
 * A dotted quad of digits and dots only: 1 when it is one (four numbers
 * of at most 255, of at most three digits each), 0 when it is not, -1
 * when it has other bytes (a zone, a colon) and inet_pton() is to tell.
 * *zeros says it was written with leading zeros, which inet_pton() does
 * not take, and the normal form drops.  Every address of a log passes
 * here: this spares it a copy and a library call.
 */
static int
quad(const char *s, size_t n, int *zeros)
{
	unsigned v = 0, parts = 0, digits = 0, bad = 0, z = 0;

	*zeros = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];

		if (c - '0' < 10) {
			z |= digits == 1 && v == 0;	/* a leading zero */
			v = v * 10 + (c - '0');
			digits++;
		} else if (c == '.') {
			/* (a part is 1 to 3 digits, at most 255: told at its
			 * end, as digits counts every digit) */
			bad |= digits - 1 > 2 || v > 255;
			parts++;
			v = digits = 0;
		} else
			return -1;
	}
	*zeros = (int)z;
	return !bad && parts == 3 && digits - 1 <= 2 && v <= 255;
}

/* The normal form of a quad written with leading zeros, or with dashes
 * (ec2-10-1-2-3), into b. */
static void
quad_norm(const char *s, size_t n, struct ld_buf *b)
{
	unsigned v = 0;
	int have = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && (unsigned)s[i] - '0' < 10) {
			v = v * 10 + (unsigned)(s[i] - '0');
			have = 1;
			continue;
		}
		if (have)
			ld_buf_addf(b, "%u", v);
		if (i < n)
			ld_buf_addc(b, '.');
		v = 0;
		have = 0;
	}
}

/* A dotted quad with hexadecimal or octal parts (0xC0.0xA8.0.1,
 * 0300.0250.0.1), or two or three parts (10.1, 192.168.257), as
 * inet_aton() reads it, into b; 0 or -1. */
static int
aton_quad(const char *s, size_t n, struct ld_buf *b)
{
	char buf[64];
	struct in_addr a;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_aton(buf, &a) == 0 || n == 0 || buf[n - 1] == '.')
		return -1;
	ld_buf_adds(b, inet_ntoa(a));
	return 0;
}

/* An address as one number (3232235876, 0xC0A80064), into b; 0 or -1. */
static int
int_addr(const char *s, size_t n, struct ld_buf *b)
{
	unsigned long long v = 0;
	size_t i = 0;
	int hex = n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x';

	if (hex)
		i = 2;
	if (n - i < (hex ? 8 : 8) || n - i > 10)
		return -1;
	for (; i < n; i++) {
		int c = (unsigned char)s[i], d;

		if ((unsigned)c - '0' < 10)
			d = c - '0';
		else if (hex && (unsigned)(c | 0x20) - 'a' < 6)
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * (hex ? 16 : 10) + (unsigned)d;
	}
	if (v > 0xffffffffULL || v < 0x01000000ULL)
		return -1;
	ld_buf_addf(b, "%llu.%llu.%llu.%llu", v >> 24, v >> 16 & 255, v >> 8 & 255,
	    v & 255);
	return 0;
}

int
rd_ip_norm(const char *s, size_t n, struct ld_buf *b)
{
	char buf[INET6_ADDRSTRLEN + 64], out[INET6_ADDRSTRLEN];
	unsigned char a[16];
	char *z;
	int q, zeros;

	if (n >= sizeof(buf) || n < 2)
		return -1;
	if (memchr(s, '.', n) == NULL && memchr(s, ':', n) == NULL &&
	    memchr(s, '-', n) == NULL)
		return int_addr(s, n, b);
	if ((q = quad(s, n, &zeros)) == 0 || (q < 0 &&
	    memchr(s, ':', n) == NULL && memchr(s, '-', n) == NULL &&
	    memchr(s, '%', n) == NULL))
		return aton_quad(s, n, b);
	if (q > 0) {
		/* Its own normal form, but for leading zeros. */
		if (q && zeros)
			quad_norm(s, n, b);
		else if (q)
			ld_buf_add(b, s, n);
		return q ? 0 : -1;
	}
	if (memchr(s, '-', n) != NULL && memchr(s, ':', n) == NULL) {
		/* dashed, in a host name */
		memcpy(buf, s, n);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '-')
				buf[i] = '.';
		if (quad(buf, n, &zeros) != 1)
			return -1;
		quad_norm(buf, n, b);
		return 0;
	}

	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((z = strchr(buf, '%')) != NULL)
		*z = '\0';	/* the zone id names an interface, not a host */
	if (inet_pton(AF_INET, buf, a) == 1) {
		/* inet_pton takes only the canonical dotted quad (no leading
		 * zeros): it is its own normal form. */
		ld_buf_adds(b, buf);
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
