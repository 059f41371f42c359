/* cd_stack.c: the current thread's stack bounds, for cd_stack_low(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_getattr_np */
#endif
#include "cd_stack.h"

#include <pthread.h>
#include <stddef.h>

_Thread_local uintptr_t cd_stack_limit_ __attribute__((tls_model("initial-exec"))) = UINTPTR_MAX;
/* The stack's low bound, for the slow path only. */
static _Thread_local uintptr_t stack_low_bound;

bool cd_stack_bounds(uintptr_t *low, size_t *size)
{
    /* glibc reports a thread's own stack without its guard page; for the
     * main thread, the [stack] mapping's top and RLIMIT_STACK as the size
     * (capped by the next mapping below), which is where the kernel stops
     * growing it. An unlimited rlimit gives the gap down to that mapping. */
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return false;
    void *addr = NULL;
    size_t n = 0;
    int rc = pthread_attr_getstack(&attr, &addr, &n);
    pthread_attr_destroy(&attr);
    if (rc != 0 || addr == NULL || n == 0) return false;
    *low = (uintptr_t)addr;
    *size = n;
    return true;
}

static uintptr_t find_limit(void)
{
    uintptr_t low;
    size_t size;
    if (!cd_stack_bounds(&low, &size)) return 0;
    stack_low_bound = low;
    size_t margin = CD_STACK_MARGIN;
    if (size < 2 * (size_t)margin) margin = size / 2;
    return low + margin;
}

bool cd_stack_low_slow(uintptr_t frame)
{
    if (cd_stack_limit_ == UINTPTR_MAX) cd_stack_limit_ = find_limit();
    /* A frame below the stack is on another one (a signal handler's
     * sigaltstack, a coroutine's): its bounds are unknown, so no check, as
     * for a frame above the stack's top. */
    return frame < cd_stack_limit_ && frame >= stack_low_bound;
}
