/* fuzz_main.c: the libFuzzer entry point of fuzz-<target>; the build names
 * the target's function in DRT_TARGET_FN (e.g. drt_target_abac_typed). */
#include <stddef.h>
#include <stdint.h>

int DRT_TARGET_FN(const uint8_t *data, size_t size);

/* ASan defaults for fuzzing (the environment's ASAN_OPTIONS still win): no
 * 0xbe filling of every allocation, and a 4 MB quarantine (freed memory is
 * reused sooner, so far fewer page faults; a use after free is still caught
 * within the last 4 MB of frees), and allocation stacks of 10 frames instead
 * of 30. Together they cut the cost of an execution of these
 * allocation-heavy targets to about a third. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_malloc_fill_size=0:quarantine_size_mb=4:malloc_context_size=10";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    DRT_TARGET_FN(data, size);
    return 0;
}
