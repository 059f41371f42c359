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
 * function), with room to spare. Sanitizer builds have frames several times
 * larger (redzones, no inlining at -O0), so they keep more. On a stack
 * smaller than twice the margin, half of it is kept instead (the check would
 * otherwise refuse everything there). */
#if defined(__SANITIZE_ADDRESS__)
#define CD_STACK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CD_STACK_SANITIZED 1
#endif
#endif
#ifdef CD_STACK_SANITIZED
#define CD_STACK_MARGIN (256u * 1024u)
#else
#define CD_STACK_MARGIN (64u * 1024u)
#endif

/* The lowest frame address this thread may reach before cd_stack_low() says
 * so: its stack's low bound plus the margin; 0 when the bounds are unknown
 * (the check never fires, the fixed limits still apply); UINTPTR_MAX until
 * found (the first check of each thread then takes the slow path). The
 * initial-exec model keeps the access one load from the thread pointer in
 * the shared library too (a dlopen'ed copy still gets 8 bytes of glibc's
 * static TLS surplus). */
extern _Thread_local uintptr_t cd_stack_limit_ __attribute__((tls_model("initial-exec")));

/* The slow path: find the bounds (once per thread), then check. */
bool cd_stack_low_slow(uintptr_t frame);

/* The current stack is nearly exhausted. The frame address, not a local's:
 * under ASan's detect_stack_use_after_return locals live on a fake stack in
 * the heap. Inline so that the frame is the caller's. */
static inline __attribute__((always_inline)) bool cd_stack_low(void)
{
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (__builtin_expect(frame >= cd_stack_limit_, 1)) return false;
    return cd_stack_low_slow(frame);
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
