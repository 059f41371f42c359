/* cd_format_doc.c: Wadler-style documents and their layout.
 *
 * The layout is the one of the Rust `pretty` crate (0.12) that the official
 * formatter uses, since its choices show in the output: a group is flat when
 * it fits together with what follows up to the next possible line break; a
 * line break takes the indentation of the document that comes after it;
 * texts count their bytes, or their display width when not ASCII.
 */
#include "cd_format.h"

typedef enum { D_TEXT, D_CAT, D_GROUP, D_NEST, D_ALT, D_HARD } dkind;

struct cd_fdoc {
    dkind kind;
    const char *s; /* D_TEXT */
    size_t n, width;
    long off;             /* D_NEST */
    const cd_fdoc *x, *y; /* D_CAT: x then y; D_ALT: x broken, y flat; D_GROUP, D_NEST: x */
};

static cd_fdoc *node(cd_arena *a, dkind k)
{
    cd_fdoc *d = CD_NEW(a, cd_fdoc);
    *d = (cd_fdoc){.kind = k};
    return d;
}

/* Display width: bytes for ASCII text, else the sum of the code points'. */
static size_t text_width(const char *s, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) ascii = false;
    if (ascii) return n;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        int k = cd_utf8_decode(s + i, n - i, &c);
        if (k <= 0) {
            i++, w++;
            continue;
        }
        i += (size_t)k;
        w += cd_format_cp_width(c);
    }
    return w;
}

cd_fdoc *cd_fdoc_text(cd_arena *a, const char *s, size_t n)
{
    if (!n) return NULL;
    cd_fdoc *d = node(a, D_TEXT);
    d->s = s;
    d->n = n;
    d->width = text_width(s, n);
    return d;
}

cd_fdoc *cd_fdoc_cat(cd_arena *a, cd_fdoc *x, cd_fdoc *y)
{
    if (!x) return y;
    if (!y) return x;
    cd_fdoc *d = node(a, D_CAT);
    d->x = x;
    d->y = y;
    return d;
}

cd_fdoc *cd_fdoc_group(cd_arena *a, cd_fdoc *x)
{
    if (!x || x->kind == D_GROUP || x->kind == D_TEXT) return x;
    cd_fdoc *d = node(a, D_GROUP);
    d->x = x;
    return d;
}

cd_fdoc *cd_fdoc_nest(cd_arena *a, cd_fdoc *x, long off)
{
    if (!x || !off) return x;
    cd_fdoc *d = node(a, D_NEST);
    d->x = x;
    d->off = off;
    return d;
}

cd_fdoc *cd_fdoc_hardline(cd_arena *a)
{
    return node(a, D_HARD);
}

static cd_fdoc *alt(cd_arena *a, cd_fdoc *broken, cd_fdoc *flat)
{
    cd_fdoc *d = node(a, D_ALT);
    d->x = broken;
    d->y = flat;
    return d;
}

cd_fdoc *cd_fdoc_line(cd_arena *a)
{
    return alt(a, cd_fdoc_hardline(a), cd_fdoc_text(a, " ", 1));
}

cd_fdoc *cd_fdoc_line_(cd_arena *a)
{
    return alt(a, cd_fdoc_hardline(a), NULL);
}

/* ---- layout ---- */

typedef struct cmd {
    size_t ind;
    bool flat;
    const cd_fdoc *d;
} cmd;

typedef struct layout {
    cd_vec b; /* pending commands, a stack (cmd) */
    cd_vec f; /* fits(): its own stack (const cd_fdoc *) */
    size_t pos, width;
} layout;

static void push_b(layout *L, size_t ind, bool flat, const cd_fdoc *d)
{
    *(cmd *)cd_vec_push(&L->b) = (cmd){ind, flat, d};
}

/* Push the right parts of a concatenation (rightmost first) and return the
 * leftmost part, so the parts come off the stack in order. */
static const cd_fdoc *unfold_b(layout *L, const cd_fdoc *d, size_t ind, bool flat)
{
    while (d && d->kind == D_CAT) {
        push_b(L, ind, flat, d->y);
        d = d->x;
    }
    return d;
}

static const cd_fdoc *unfold_f(layout *L, const cd_fdoc *d)
{
    while (d && d->kind == D_CAT) {
        *(const cd_fdoc **)cd_vec_push(&L->f) = d->y;
        d = d->x;
    }
    return d;
}

/* Whether `next`, flat, fits on the rest of the line, followed by the
 * pending commands (taken as broken) up to their first line break. */
static bool fits(layout *L, const cd_fdoc *next, size_t pos)
{
    size_t bi = L->b.len;
    L->f.len = 0;
    *(const cd_fdoc **)cd_vec_push(&L->f) = next;
    bool flat = true;
    for (;;) {
        const cd_fdoc *d;
        if (L->f.len) {
            d = ((const cd_fdoc **)L->f.items)[--L->f.len];
        } else {
            if (!bi) return true;
            d = ((cmd *)L->b.items)[--bi].d;
            flat = false;
        }
        while (d) {
            if (d->kind == D_CAT) {
                d = unfold_f(L, d);
                continue;
            }
            if (d->kind == D_HARD) return !flat;
            if (d->kind == D_TEXT) {
                pos += d->width;
                if (pos > L->width) return false;
                break;
            }
            if (d->kind == D_ALT) {
                d = flat ? d->y : d->x;
                continue;
            }
            d = d->x; /* group, nest */
        }
    }
}

static void newline(cd_buf *out, size_t ind)
{
    cd_buf_putc(out, '\n');
    for (size_t i = 0; i < ind; i++)
        cd_buf_putc(out, ' ');
}

void cd_fdoc_render(const cd_fdoc *doc, size_t width, cd_buf *out)
{
    layout L = {.width = width};
    cd_vec_init(&L.b, sizeof(cmd));
    cd_vec_init(&L.f, sizeof(const cd_fdoc *));
    push_b(&L, 0, false, doc);
    while (L.b.len) {
        cmd c = ((cmd *)L.b.items)[--L.b.len];
        while (c.d) {
            const cd_fdoc *d = c.d;
            if (d->kind == D_CAT) {
                c.d = unfold_b(&L, d, c.ind, c.flat);
                continue;
            }
            if (d->kind == D_ALT) {
                c.d = c.flat ? d->y : d->x;
                continue;
            }
            if (d->kind == D_GROUP) {
                if (!c.flat && fits(&L, d->x, L.pos)) c.flat = true;
                c.d = d->x;
                continue;
            }
            if (d->kind == D_NEST) {
                c.ind = d->off >= 0 ? c.ind + (size_t)d->off
                                    : (c.ind > (size_t)-d->off ? c.ind - (size_t)-d->off : 0);
                c.d = d->x;
                continue;
            }
            if (d->kind == D_HARD) {
                /* the next document's indentation, when there is one */
                if (L.b.len) {
                    c = ((cmd *)L.b.items)[--L.b.len];
                    newline(out, c.ind);
                    L.pos = c.ind;
                    continue;
                }
                newline(out, c.ind);
                L.pos = c.ind;
                break;
            }
            cd_buf_put(out, d->s, d->n); /* text */
            L.pos += d->width;
            break;
        }
    }
    cd_vec_free(&L.b);
    cd_vec_free(&L.f);
}
