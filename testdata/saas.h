/*
 * saas.h — ldgen --saas: a month of a large multi-tenant service's
 * request logs, for the benchmark of skipping and sharding (bench/index.sh).
 *
 * Included by ldgen.c only; everything here is static and apart from the
 * rest of ldgen, which it shares nothing with but mkdirs().
 *
 * Thousands of tenants (SAAS_TENANTS) have Zipf-like popularity (weight
 * 1/rank^1.1).  Traffic comes in sessions: a tenant drawn by popularity,
 * one of its users, one address, and a run of requests whose length is
 * geometric (mean SAAS_SESSION); SAAS_ACTIVE sessions are interleaved on
 * a host at any time, so a tenant's lines cluster in its hosts' streams
 * as real bursts do.  The tenant of the request, "smallco", is the one
 * whose popularity is nearest 1 line in 100,000.
 *
 * Per day and host, archive/DAY/web-NN-production_json.log.zst holds
 * Rails production_json lines in time order (one zstd stream, level 3);
 * request.json asks for smallco over the whole month (profile sirt), and
 * saas.json says how many lines were written, and how many of smallco.
 * Same arguments, same bytes.
 */

#define SAAS_TENANTS 5000
#define SAAS_HOSTS 4
#define SAAS_ACTIVE 16
#define SAAS_SESSION 15
#define SAAS_TARGET 1e-5

struct saas_session {
	int tenant, user, left;
	unsigned ip;
	char cid[33];
};

static uint64_t
saas_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double
saas_unit(uint64_t *s)
{
	return (double)(saas_next(s) >> 11) / 9007199254740992.0;
}

static void
saas_tenant_name(char *b, size_t n, int t, int target)
{
	if (t == target)
		snprintf(b, n, "smallco");
	else
		snprintf(b, n, "tenant-%04d", t);
}

static void
saas_begin(struct saas_session *x, uint64_t *r, const double *cum,
    int target)
{
	double u = saas_unit(r) * cum[SAAS_TENANTS - 1];
	int lo = 0, hi = SAAS_TENANTS - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	x->tenant = lo;
	x->user = (int)(saas_next(r) % (uint64_t)(1 + 200 / (lo + 1) + 2));
	x->ip = (unsigned)saas_next(r);
	x->left = 1;
	while (saas_unit(r) > 1.0 / SAAS_SESSION && x->left < 2000)
		x->left++;
	for (int i = 0; i < 32; i++)
		x->cid[i] = "0123456789abcdef"[saas_next(r) & 15];
	x->cid[32] = '\0';
	(void)target;
}

static void
saas_write(ZSTD_CCtx *z, FILE *fp, const char *path, const char *p, size_t n,
    int end, char *zb, size_t zcap)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t rem;

	do {
		ZSTD_outBuffer out = { zb, zcap, 0 };

		rem = ZSTD_compressStream2(z, &out, &in, end ? ZSTD_e_end :
		    ZSTD_e_continue);
		if (ZSTD_isError(rem))
			errx(2, "%s: zstd: %s", path, ZSTD_getErrorName(rem));
		if (out.pos && fwrite(zb, 1, out.pos, fp) != out.pos)
			err(2, "%s", path);
	} while (end ? rem != 0 : in.pos < in.size);
}

static int
gen_saas(const char *outdir, uint64_t seed, int days, int64_t start_ms,
    uint64_t budget)
{
	static const char *const acts[][3] = {
		{ "GET", "Projects::IssuesController", "index" },
		{ "GET", "Projects::BlobController", "show" },
		{ "GET", "Projects::MergeRequestsController", "show" },
		{ "POST", "Projects::MergeRequestsController", "create" },
		{ "GET", "Projects::PipelinesController", "index" },
		{ "GET", "Repositories::GitHttpController", "git_upload_pack" },
		{ "GET", "ProjectsController", "show" },
		{ "POST", "Projects::NotesController", "create" },
	};
	double *cum = calloc(SAAS_TENANTS, sizeof(double)), total = 0;
	struct saas_session act[SAAS_ACTIVE];
	uint64_t lines = 0, tlines = 0, per;
	size_t zcap = ZSTD_CStreamOutSize();
	char *zb = malloc(zcap), line[1024], ns[32], day[16], path[4096];
	char *buf = malloc(1 << 20);
	int target = 0;
	double best = 1;
	ZSTD_CCtx *z = ZSTD_createCCtx();
	FILE *fp;

	if (cum == NULL || zb == NULL || buf == NULL || z == NULL)
		errx(2, "out of memory");
	for (int t = 0; t < SAAS_TENANTS; t++) {
		total += 1.0 / pow(t + 1, 1.1);
		cum[t] = total;
	}
	for (int t = 0; t < SAAS_TENANTS; t++) {
		double p = (1.0 / pow(t + 1, 1.1)) / total;

		if (fabs(p - SAAS_TARGET) < best) {
			best = fabs(p - SAAS_TARGET);
			target = t;
		}
	}
	/* ~330 bytes a line */
	per = budget / 330 / (uint64_t)days / SAAS_HOSTS + 1;
	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 3);
	snprintf(path, sizeof(path), "%s/archive", outdir);
	mkdirs(path);
	for (int d = 0; d < days; d++) {
		int64_t t0 = start_ms + (int64_t)d * 86400000;
		time_t ts = (time_t)(t0 / 1000);
		struct tm tm;

		gmtime_r(&ts, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		snprintf(path, sizeof(path), "%s/archive/%s", outdir, day);
		mkdirs(path);
		for (int h = 0; h < SAAS_HOSTS; h++) {
			uint64_t r = seed * 1000003u + (uint64_t)d * 131 + (uint64_t)h;
			size_t bl = 0;

			saas_next(&r);
			snprintf(path, sizeof(path), "%s/archive/%s/web-%02d-"
			    "production_json.log.zst", outdir, day, h + 1);
			if ((fp = fopen(path, "wb")) == NULL)
				err(2, "%s", path);
			ZSTD_CCtx_reset(z, ZSTD_reset_session_only);
			for (int i = 0; i < SAAS_ACTIVE; i++)
				saas_begin(&act[i], &r, cum, target);
			for (uint64_t k = 0; k < per; k++) {
				int64_t ms = t0 + (int64_t)(k * 86400000 / per) +
				    (int64_t)(saas_next(&r) % (86400000 / per + 1));
				struct saas_session *x = &act[saas_next(&r) % SAAS_ACTIVE];
				const char *const *a = acts[saas_next(&r) % 8];
				time_t s = (time_t)(ms / 1000);
				char tb[32];
				int n;

				if (ms >= t0 + 86400000)
					ms = t0 + 86400000 - 1;
				s = (time_t)(ms / 1000);
				gmtime_r(&s, &tm);
				strftime(tb, sizeof(tb), "%Y-%m-%dT%H:%M:%S", &tm);
				saas_tenant_name(ns, sizeof(ns), x->tenant, target);
				n = snprintf(line, sizeof(line),
				    "{\"method\":\"%s\",\"path\":\"/%s/p%d/-/x\","
				    "\"format\":\"html\",\"controller\":\"%s\","
				    "\"action\":\"%s\",\"status\":200,\"time\":"
				    "\"%s.%03dZ\",\"remote_ip\":\"10.%u.%u.%u\","
				    "\"user_id\":%d,\"username\":\"%s-u%d\","
				    "\"correlation_id\":\"%.16s%04x%.12s\",\"meta.user\":"
				    "\"%s-u%d\",\"meta.project\":\"%s/p%d\","
				    "\"meta.root_namespace\":\"%s\",\"meta.caller_id\":"
				    "\"%s#%s\",\"duration_s\":0.%03d}\n",
				    a[0], ns, x->user % 7, a[1], a[2], tb,
				    (int)(ms % 1000), x->ip >> 16 & 255, x->ip >> 8 & 255,
				    x->ip & 255, x->tenant * 1000 + x->user, ns, x->user,
				    x->cid, (unsigned)(k & 0xffff), x->cid + 16, ns,
				    x->user, ns, x->user % 7, ns, a[1], a[2],
				    (int)(saas_next(&r) % 1000));
				if (n <= 0 || (size_t)n >= sizeof(line))
					errx(2, "internal: saas line too long");
				if (bl + (size_t)n > (1 << 20)) {
					saas_write(z, fp, path, buf, bl, 0, zb, zcap);
					bl = 0;
				}
				memcpy(buf + bl, line, (size_t)n);
				bl += (size_t)n;
				lines++;
				tlines += x->tenant == target;
				if (--x->left == 0)
					saas_begin(x, &r, cum, target);
			}
			saas_write(z, fp, path, buf, bl, 1, zb, zcap);
			if (fclose(fp) != 0)
				err(2, "%s", path);
		}
	}
	snprintf(path, sizeof(path), "%s/request.json", outdir);
	if ((fp = fopen(path, "wb")) == NULL)
		err(2, "%s", path);
	{
		time_t a = (time_t)(start_ms / 1000);
		time_t b = (time_t)(start_ms / 1000 + (int64_t)days * 86400);
		char sa[32], sb[32];
		struct tm tm;

		gmtime_r(&a, &tm);
		strftime(sa, sizeof(sa), "%Y-%m-%dT%H:%M:%SZ", &tm);
		gmtime_r(&b, &tm);
		strftime(sb, sizeof(sb), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(fp, "{\"case\":\"SIRT-BENCH\",\"tenant\":\"smallco\","
		    "\"profile\":\"sirt\",\"namespaces\":[\"smallco\"],"
		    "\"since\":\"%s\",\"until\":\"%s\",\"requested_at\":\"%s\"}\n",
		    sa, sb, sb);
	}
	if (fclose(fp) != 0)
		err(2, "%s", path);
	snprintf(path, sizeof(path), "%s/saas.json", outdir);
	if ((fp = fopen(path, "wb")) == NULL)
		err(2, "%s", path);
	fprintf(fp, "{\"lines\":%" PRIu64 ",\"tenant_lines\":%" PRIu64
	    ",\"tenants\":%d,\"days\":%d,\"hosts\":%d}\n", lines, tlines,
	    SAAS_TENANTS, days, SAAS_HOSTS);
	if (fclose(fp) != 0)
		err(2, "%s", path);
	ZSTD_freeCCtx(z);
	free(cum);
	free(zb);
	free(buf);
	return 0;
}
