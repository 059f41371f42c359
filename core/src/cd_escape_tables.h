/* cd_escape_tables.h: Unicode properties used by Cedar's string escaping
 * (private to cd_value_print.c; see cd_escape_tables.c). */
#ifndef CD_ESCAPE_TABLES_H
#define CD_ESCAPE_TABLES_H

#include <stdbool.h>
#include <stdint.h>

/* Printable as itself by Rust's escape_debug (not a control, format,
 * private-use, unassigned or non-space separator character). */
bool cd_unicode_is_printable(uint32_t cp);
/* A printable character with the Grapheme_Extend property: escaped when it
 * starts a string. */
bool cd_unicode_is_grapheme_extend(uint32_t cp);

#endif
