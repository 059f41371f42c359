/* cd_stack.h: a guard for recursion over input, so that deep input is a
 * clean error on any thread's stack instead of a crash.
 *
 * The fixed nesting limits (CD_PARSE_MAX_NESTING, CD_JSON_MAX_NESTING, ...)
 * were sized for an 8 MB main-thread stack; an application may call libcedar
 * from a thread with 128 KB (musl's default) or 256 KB. Every function that
 * recurses once per level of input calls cd_stack_low() first and fails with
 * its stage's usual "nested too deeply" error when it returns true. Not part
 * of any public interface.
 */
#ifndef CD_STACK_H
#define CD_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What must stay free below the last check: the deepest call chain that does
 * not pass a check (an error message's formatting, libc, an extension
 * function, the walks bounded by the fixed limits alone such as schema
 * types' 100 levels), with room to spare: CD_STACK_MARGIN, or a share of a
 * smaller stack (1/CD_STACK_MARGIN_DIV: inputs that fit a 256 KB stack
 * before the guard still do, e.g. schema.sh at the type limit, ~190 KB under
 * ASan), never less than CD_STACK_MARGIN_MIN. Sanitizer builds have frames
 * several times larger (redzones, no inlining at -O0), so they keep more. */
#if defined(__SANITIZE_ADDRESS__)
#define CD_STACK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CD_STACK_SANITIZED 1
#endif
#endif
#ifdef CD_STACK_SANITIZED
#define CD_STACK_MARGIN     (128u * 1024u)
#define CD_STACK_MARGIN_MIN (32u * 1024u)
#define CD_STACK_MARGIN_DIV 8u
#else
#define CD_STACK_MARGIN     (32u * 1024u)
#define CD_STACK_MARGIN_MIN (16u * 1024u)
#define CD_STACK_MARGIN_DIV 4u
#endif

/* The lowest frame address this thread may reach before cd_stack_low() says
 * so: its stack's low bound plus the margin; 0 when the bounds are unknown
 * (the check never fires, the fixed limits still apply); UINTPTR_MAX until
 * found (the first check of each thread then takes the slow path). The
 * initial-exec model keeps the access one load from the thread pointer in
 * the shared library too (a dlopen'ed copy still gets 8 bytes of glibc's
 * static TLS surplus). */
extern _Thread_local uintptr_t cd_stack_limit_ __attribute__((tls_model("initial-exec")));

/* The slow path: find the bounds (once per thread), then check. Cold, so
 * that a check does not keep its caller from being inlined. */
__attribute__((cold, noinline)) bool cd_stack_low_slow(uintptr_t frame);

/* Where the current thread's stack is: the stack pointer, or the frame
 * address, never a local's address (under ASan's
 * detect_stack_use_after_return locals live on a fake stack in the heap).
 * The stack pointer where we can read it: __builtin_frame_address(0) makes
 * the compiler set up a frame pointer in every function that checks
 * (measured: +1% instructions per DRT case, most of the guard's cost). */
static inline __attribute__((always_inline)) uintptr_t cd_stack_here(void)
{
    uintptr_t sp;
#if defined(__x86_64__)
    __asm__("mov %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
    __asm__("mov %0, sp" : "=r"(sp));
#else
    sp = (uintptr_t)__builtin_frame_address(0);
#endif
    return sp;
}

/* The current stack is nearly exhausted. Inline, so that the place is the
 * caller's. */
static inline __attribute__((always_inline)) bool cd_stack_low(void)
{
    uintptr_t here = cd_stack_here();
    if (__builtin_expect(here >= cd_stack_limit_, 1)) return false;
    return cd_stack_low_slow(here);
}

/* A recursion that starts at frame address base and needs `need` bytes more
 * (a library's own recursion, which has no check: jansson's json_dumps)
 * ends above the margin. True when the bounds are unknown. */
static inline bool cd_stack_fits(uintptr_t base, size_t need)
{
    if (cd_stack_limit_ == UINTPTR_MAX) (void)cd_stack_low_slow(base);
    uintptr_t limit = cd_stack_limit_;
    return limit == 0 || (base > need && base - need >= limit);
}

/* jansson's json_dumps recurses once per level of arrays and objects with a
 * frame of 304 bytes (libjansson 2.14, x86-64; not sanitized, so the same in
 * every build of ours): what a level costs when a tree is to be dumped. */
#define CD_STACK_JANSSON_DUMP_LEVEL 320u

/* The bounds of the current thread's stack (lowest address, size in bytes)
 * as cd_stack_low() uses them; false when they cannot be found. For tests. */
bool cd_stack_bounds(uintptr_t *low, size_t *size);

#endif
