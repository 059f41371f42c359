/* cd_schema_print.h: a raw schema (cd_schema_int.h) printed back, as the
 * official implementation prints a schema fragment: the Cedar schema syntax
 * of its `to_cedarschema` (cd_schema_print_text.c) and the compact JSON of
 * its serde serialization (cd_schema_print_json.c).
 *
 * Both print the source form, not the resolved schema: names as written,
 * common types by name, annotations kept. Both sort what the official
 * fragment keeps in ordered maps: namespaces (the empty one first, then by
 * the last component of the name and then the components before it), and
 * in each namespace the common types, entity types, actions, record
 * attributes and annotations by their bytes.
 */
#ifndef CD_SCHEMA_PRINT_H
#define CD_SCHEMA_PRINT_H

#include "cd_schema_int.h"

/* One namespace of the sorted view: its declarations from every part of the
 * raw schema that names it. */
typedef struct cd_pns {
    const cd_rns *ns;
    size_t n_commons, n_entities, n_actions;
    const cd_rcommon **commons;
    const cd_rentity **entities;
    const cd_raction **actions;
} cd_pns;

typedef struct cd_pview {
    size_t n;
    cd_pns *nss;
} cd_pview;

/* The sorted view of rs (allocated in rs->arena). False with err set when a
 * namespace or a declaration comes twice (the official reader's errors). */
bool cd_pview_build(const cd_rschema *rs, cd_pview *v, cd_err *err);

/* The attributes of a record sorted by name; of equal names the last written
 * is kept (as the official text reader does). Allocated in rs->arena. */
size_t cd_pview_attrs(const cd_rschema *rs, const cd_rtype *rec, const cd_rattr ***out);

/* A record type with no attributes that is not open (an absent shape or
 * context counts as one). */
bool cd_pview_empty_record(const cd_rtype *t);

/* The schema in the Cedar schema syntax, appended to out. False with err set
 * when the syntax cannot express it (an entity type and a common type of one
 * name in a named namespace; an entity shape that is not a record). */
bool cd_schema_print_text(const cd_rschema *rs, cd_buf *out, cd_err *err);

/* The schema as compact JSON, appended to out. from_text: rs was read from
 * the Cedar schema syntax, where an action without `appliesTo` is written
 * with empty principal and resource lists. */
bool cd_schema_print_json(const cd_rschema *rs, bool from_text, cd_buf *out, cd_err *err);

#endif
