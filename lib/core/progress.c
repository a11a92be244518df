/*
 * progress.c — the progress line, drawn by a thread of its own.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/ld.h"
#include "core/progress.h"

#define FIRST_MS 500	/* nothing before: short runs stay quiet */
#define EVERY_MS 250

struct ld_progress {
	FILE *fp;
	char *name;
	ld_progress_poll poll;
	void *arg;
	uint64_t total, nsources;
	struct timespec t0;
	pthread_t tid;
	int running;		/* the thread was started */
	int stop;
	int shown;		/* a line is on the screen */
	int held;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

int
ld_progress_wanted(int fd)
{
	const char *t = getenv("TERM"), *a = getenv("LD_NO_PROGRESS"),
	    *b = getenv("NO_PROGRESS");

	if ((a && *a) || (b && *b))
		return 0;
	if (t && strcmp(t, "dumb") == 0)
		return 0;
	return isatty(fd);
}

static double
since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* n bytes as a short figure: 812 B, 3.4 MiB, 1.20 GiB. */
static void
human(char *buf, size_t size, double n)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (n >= 1024 && u < 4) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, u == 0 ? "%.0f %s" : n < 10 ? "%.2f %s" :
	    "%.1f %s", n, unit[u]);
}

/* Draw the line; p->mu held. */
static void
draw(struct ld_progress *p)
{
	struct ld_progress_state st = { 0 };
	struct ld_buf b = { 0 };
	char done[32], total[32], rate[32];
	double el = since(&p->t0), r;

	p->poll(p->arg, &st);
	r = el > 0 ? (double)st.bytes / el : 0;
	human(done, sizeof(done), (double)st.bytes);
	human(total, sizeof(total), (double)p->total);
	human(rate, sizeof(rate), r);
	ld_buf_addf(&b, "\r%s: %s", p->name, done);
	if (p->total && st.bytes <= p->total)
		ld_buf_addf(&b, " of %s (%d%%)", total,
		    (int)(100.0 * (double)st.bytes / (double)p->total));
	ld_buf_addf(&b, ", %llu/%llu sources, %llu matches, %s/s",
	    (unsigned long long)st.sources, (unsigned long long)p->nsources,
	    (unsigned long long)st.matched, rate);
	if (p->total && r > 0 && st.bytes < p->total) {
		long left = (long)((double)(p->total - st.bytes) / r + 0.5);

		ld_buf_addf(&b, ", %ld:%02ld left", left / 60, left % 60);
	}
	/* Clear what a longer line before left behind. */
	ld_buf_adds(&b, "\033[K");
	fwrite(b.p, 1, b.len, p->fp);
	fflush(p->fp);
	ld_buf_free(&b);
	p->shown = 1;
}

static void
erase(struct ld_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->fp);
		fflush(p->fp);
		p->shown = 0;
	}
}

static void
deadline(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *
run(void *arg)
{
	struct ld_progress *p = arg;
	struct timespec ts;
	long wait = FIRST_MS;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		deadline(&ts, wait);
		while (!p->stop &&
		    pthread_cond_timedwait(&p->cv, &p->mu, &ts) != ETIMEDOUT)
			;
		if (p->stop)
			break;
		if (!p->held)
			draw(p);
		wait = EVERY_MS;
	}
	erase(p);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct ld_progress *
ld_progress_start(FILE *fp, const char *name, ld_progress_poll poll,
    void *arg, uint64_t total, uint64_t nsources)
{
	struct ld_progress *p = ld_xcalloc(1, sizeof(*p));

	p->fp = fp;
	p->name = ld_xstrdup(name);
	p->poll = poll;
	p->arg = arg;
	p->total = total;
	p->nsources = nsources;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->running = pthread_create(&p->tid, NULL, run, p) == 0;
	return p;
}

void
ld_progress_lock(struct ld_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	erase(p);
	p->held = 1;
	pthread_mutex_unlock(&p->mu);
}

void
ld_progress_unlock(struct ld_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->held = 0;
	pthread_mutex_unlock(&p->mu);
}

void
ld_progress_stop(struct ld_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (p->running)
		pthread_join(p->tid, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->name);
	free(p);
}
