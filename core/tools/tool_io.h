/* tool_io.h: file helpers shared by the command-line tools. */
#ifndef TOOL_IO_H
#define TOOL_IO_H

#include <stddef.h>

#include "cedar/cedar.h"

/* Read a whole file ("-" for standard input). Returns a NUL-terminated heap
 * buffer and its length, or NULL after printing why to stderr. */
char *tool_read_file(const char *path, size_t *len);
/* Print "error: file:line:column: message" to stderr and clear err. */
void tool_print_error(const char *what, cedar_error *err);

#endif
