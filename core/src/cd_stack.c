/* cd_stack.c: the current thread's stack bounds, for cd_stack_low(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_getattr_np */
#endif
#include "cd_stack.h"

#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

_Thread_local uintptr_t cd_stack_limit_ __attribute__((tls_model("initial-exec"))) = UINTPTR_MAX;
/* The stack's low bound, for the slow path only. */
static _Thread_local uintptr_t stack_low_bound;

/* The main thread's stack, as glibc's pthread_getattr_np finds it: the
 * mapping in /proc/self/maps that holds `here`, its top less RLIMIT_STACK
 * (where the kernel stops growing it), not below the mapping under it. Read
 * into a buffer on the stack: glibc reads the file through stdio, whose
 * allocations, once in a process's first check, left the heap in another
 * state (+0.8% instructions per DRT case, all in malloc). */
static bool main_bounds(uintptr_t here, uintptr_t *low, size_t *size)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0) return false;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buf[1024];
    /* each line starts "start-end ": field 0 is start, 1 is end, 2 the rest */
    uintptr_t v[2] = {0, 0}, prev_end = 0, top = 0;
    int field = 0;
    ssize_t n;
    while (top == 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n && top == 0; i++) {
            char c = buf[i];
            if (c == '\n') {
                if (v[0] <= here && here < v[1])
                    top = v[1];
                else
                    prev_end = v[1];
                v[0] = v[1] = 0;
                field = 0;
            } else if (field < 2) {
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d >= 0)
                    v[field] = v[field] << 4 | (uintptr_t)d;
                else
                    field++; /* `-`, then ` ` */
            }
        }
    }
    close(fd);
    if (top == 0) return false;
    uintptr_t lim =
        rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > top ? top : (uintptr_t)rl.rlim_cur;
    uintptr_t bottom = top - (lim & ~(uintptr_t)4095);
    if (bottom < prev_end) bottom = prev_end;
    *low = bottom;
    *size = top - bottom;
    return true;
}

bool cd_stack_bounds(uintptr_t *low, size_t *size)
{
    if (getpid() == (pid_t)syscall(SYS_gettid)) return main_bounds(cd_stack_here(), low, size);
    /* another thread: glibc reports its stack without the guard page */
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
    size_t margin = size / CD_STACK_MARGIN_DIV;
    if (margin > CD_STACK_MARGIN) margin = CD_STACK_MARGIN;
    if (margin < CD_STACK_MARGIN_MIN) margin = CD_STACK_MARGIN_MIN;
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
