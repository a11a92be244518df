/*
 * cpus.c — an LD_PRELOAD shim for t1260: sched_getaffinity() reports
 * $LD_TEST_CPUS processors, so that ldgrep runs as many threads as on a
 * machine with that many (the threads still share this machine's).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>

int
sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	const char *e = getenv("LD_TEST_CPUS");
	int n = e ? atoi(e) : 8;

	(void)pid;
	memset(set, 0, size);
	for (int i = 0; i < n && (size_t)i < size * 8; i++)
		CPU_SET_S(i, size, set);
	return 0;
}
