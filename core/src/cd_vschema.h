/* cd_vschema.h: the schema prepared for typechecking (cd_validate_schema.c):
 * per entity type and action its types and descendants, and the request
 * environments the typechecker runs in. */
#ifndef CD_VSCHEMA_H
#define CD_VSCHEMA_H

#include "cd_schema.h"
#include "cd_vtype.h"

typedef struct cd_vent {
    const cd_entity_decl *decl;
    cd_vrec attrs;        /* open when the JSON schema says additionalAttributes */
    const cd_vtype *tags; /* NULL: no tags */
    size_t n_desc;        /* entity types that can be `in` an entity of this type */
    const cd_name **desc; /* (transitively), sorted by pointer */
} cd_vent;

typedef struct cd_vact {
    const cd_action_decl *decl;
    const cd_vtype *context; /* a record type */
    size_t n_desc;           /* actions that are (transitively) in this one */
    const cd_action_decl **desc;
} cd_vact;

typedef struct cd_vschema {
    const cd_schema *s;
    cd_arena *arena;
    cd_vent *ents; /* parallel to s->entities */
    cd_vact *acts; /* parallel to s->actions */
} cd_vschema;

void cd_vschema_init(cd_vschema *vs, const cd_schema *s, cd_arena *arena);
const cd_vent *cd_vschema_ent(const cd_vschema *vs, const cd_name *type);
const cd_vact *cd_vschema_act(const cd_vschema *vs, const cd_uid *uid);
bool cd_vschema_ent_has_desc(const cd_vent *e, const cd_name *n);
bool cd_vschema_act_has_desc(const cd_vact *a, const cd_action_decl *d);
/* The official EntityType::is_action: the last name component is `Action`. */
bool cd_vschema_is_action_type(const cd_name *n);
/* Is `type` an entity type the validator knows (declared, or an action type)? */
bool cd_vschema_knows_type(const cd_vschema *vs, const cd_name *type);
/* Can some entity of type lhs be `in` some entity of type rhs (entity or action hierarchy)? */
bool cd_vschema_may_be_in(const cd_vschema *vs, const cd_name *lhs, const cd_name *rhs);

/* A request environment: one (principal, action, resource) of the schema. */
typedef struct cd_venv {
    const cd_name *principal, *resource;
    const cd_vact *action;
    const cd_name *principal_slot, *resource_slot; /* NULL: no slot (AnyEntity) */
} cd_venv;

#endif
