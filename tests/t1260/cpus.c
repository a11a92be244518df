/*
 * cpus.c — an LD_PRELOAD shim for t1260: sched_getaffinity() and
 * sysconf(_SC_NPROCESSORS_ONLN) report $LD_TEST_CPUS processors, so that
 * ldgrep (and ldsh, whose default is the processors online) runs as many
 * threads as on a machine with that many (the threads still share this
 * machine's).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
cpus(void)
{
	const char *e = getenv("LD_TEST_CPUS");

	return e ? atoi(e) : 8;
}

long
sysconf(int name)
{
	long (*real)(int) = (long (*)(int))dlsym(RTLD_NEXT, "sysconf");

	if (name == _SC_NPROCESSORS_ONLN || name == _SC_NPROCESSORS_CONF)
		return cpus();
	return real ? real(name) : -1;
}

int
sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	int n = cpus();

	(void)pid;
	memset(set, 0, size);
	for (int i = 0; i < n && (size_t)i < size * 8; i++)
		CPU_SET_S(i, size, set);
	return 0;
}
