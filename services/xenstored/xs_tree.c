/*
 * xenstored node tree: paths, the node hash table, child lists
 *
 * Locking: none (single-threaded core).  Nodes are found by their canonical
 * path in one hash table and linked to their parent's child list; nothing
 * walks the tree recursively and nothing scans nodes that an operation does
 * not touch.  Deleting a subtree walks it iteratively (post-order through the
 * parent pointers).
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

#define XS_NHASH_INITIAL 1024u
#define XS_NODE_OVERHEAD 64u /* bytes charged per node besides its data */

uint32_t xs_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    while ( *s )
    {
        h ^= (uint8_t)*s++;
        h *= 16777619u;
    }
    return h;
}

static bool xs_path_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '_' ||
           ch == '@';
}

/* A canonical absolute path: "/" or "/a/b", no "//", no trailing "/". */
bool xs_path_valid(const char *path)
{
    size_t i, len = strlen(path);

    if ( len == 0 || path[0] != '/' || len > XS_ABS_PATH_MAX )
        return false;
    if ( len == 1 )
        return true;
    if ( path[len - 1] == '/' )
        return false;
    for ( i = 0; i < len; i++ )
    {
        if ( !xs_path_char_ok(path[i]) )
            return false;
        if ( path[i] == '/' && path[i + 1] == '/' )
            return false;
    }
    return true;
}

uint32_t xs_path_depth(const char *path)
{
    uint32_t d = 0;

    if ( path[1] == '\0' )
        return 0;
    for ( ; *path; path++ )
        d += *path == '/';
    return d;
}

/* Parent of a canonical path other than "/"; 0 or EINVAL. */
int xs_path_parent(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    size_t n;

    if ( !slash || path[1] == '\0' )
        return EINVAL;
    n = slash == path ? 1 : (size_t)(slash - path);
    if ( n + 1 > len )
        return EINVAL;
    memcpy(buf, path, n);
    buf[n] = '\0';
    return 0;
}

uint32_t xs_node_size(uint32_t vlen, uint32_t nperms, uint32_t kids_bytes)
{
    return 16 + 4 * nperms + vlen + kids_bytes;
}

static uint32_t xs_node_mem(const struct xs_node *n)
{
    return XS_NODE_OVERHEAD + strlen(n->path) + n->vlen + 4 * n->perms.n;
}

struct xs_node *xs_node_lookup(struct xs_store *s, const char *path)
{
    uint32_t h = xs_hash(path);
    struct xs_node *n;

    for ( n = s->nhash[h & (s->nhash_size - 1)]; n; n = n->hnext )
        if ( n->hash == h && !strcmp(n->path, path) )
            return n;
    return NULL;
}

/* Double the hash table; amortised O(1) per node. */
static void xs_nhash_grow(struct xs_store *s)
{
    uint32_t i, nsize = s->nhash_size * 2;
    struct xs_node **nt = calloc(nsize, sizeof(*nt));
    struct xs_node *n, *next;

    if ( !nt )
        return; /* keep the old table: slower, still correct */
    for ( i = 0; i < s->nhash_size; i++ )
        for ( n = s->nhash[i]; n; n = next )
        {
            next = n->hnext;
            n->hnext = nt[n->hash & (nsize - 1)];
            nt[n->hash & (nsize - 1)] = n;
        }
    free(s->nhash);
    s->nhash = nt;
    s->nhash_size = nsize;
}

static void xs_nhash_remove(struct xs_store *s, struct xs_node *n)
{
    struct xs_node **pp = &s->nhash[n->hash & (s->nhash_size - 1)];

    while ( *pp && *pp != n )
        pp = &(*pp)->hnext;
    if ( *pp )
        *pp = n->hnext;
}

static void xs_node_own(struct xs_node *n, struct xs_dom *d)
{
    n->owner = d;
    n->own_prev = NULL;
    n->own_next = d->own_first;
    if ( d->own_first )
        d->own_first->own_prev = n;
    d->own_first = n;
    n->mem = xs_node_mem(n);
    xs_dom_charge(d, n->mem, 1);
}

static void xs_node_disown(struct xs_node *n)
{
    struct xs_dom *d = n->owner;

    if ( !d )
        return;
    if ( n->own_prev )
        n->own_prev->own_next = n->own_next;
    else
        d->own_first = n->own_next;
    if ( n->own_next )
        n->own_next->own_prev = n->own_prev;
    xs_dom_charge(d, -(int64_t)n->mem, -1);
    n->owner = NULL;
}

/*
 * Create one node under an existing parent (NULL only for "/").  The owner
 * record of perms->p[0] must exist.  Returns NULL when out of memory.
 */
struct xs_node *xs_node_new(struct xs_store *s, struct xs_node *parent,
                            const char *path, const char *value, uint32_t vlen,
                            const struct xs_perms *perms)
{
    struct xs_dom *owner = xs_dom_get(s, perms->p[0].domid);
    struct xs_node *n = calloc(1, sizeof(*n));

    if ( !n || !owner )
        goto fail;
    n->path = strdup(path);
    n->value = malloc(vlen ? vlen : 1);
    if ( !n->path || !n->value || xs_perms_copy(&n->perms, perms) )
        goto fail;
    memcpy(n->value, value, vlen);
    n->vlen = vlen;
    n->name = parent ? strrchr(n->path, '/') + 1 : n->path;
    n->hash = xs_hash(path);
    n->gen = ++s->gen;
    if ( !n->perms.gen )
        n->perms.gen = n->gen;
    n->parent = parent;
    if ( parent )
    {
        n->sib_prev = parent->kid_last;
        if ( parent->kid_last )
            parent->kid_last->sib_next = n;
        else
            parent->kid_first = n;
        parent->kid_last = n;
        parent->nkids++;
        parent->kids_bytes += strlen(n->name) + 1;
        parent->gen = n->gen;
    }
    n->hnext = s->nhash[n->hash & (s->nhash_size - 1)];
    s->nhash[n->hash & (s->nhash_size - 1)] = n;
    xs_node_own(n, owner);
    if ( ++s->nnodes > s->nhash_size )
        xs_nhash_grow(s);
    return n;

fail:
    if ( n )
    {
        free(n->path);
        free(n->value);
        free(n->perms.p);
    }
    free(n);
    return NULL;
}

int xs_node_set_value(struct xs_store *s, struct xs_node *n, const char *value,
                      uint32_t vlen)
{
    char *nv = malloc(vlen ? vlen : 1);
    struct xs_dom *d = n->owner;

    if ( !nv )
        return ENOMEM;
    memcpy(nv, value, vlen);
    free(n->value);
    n->value = nv;
    xs_node_disown(n);
    n->vlen = vlen;
    n->gen = ++s->gen;
    xs_node_own(n, d);
    return 0;
}

/* Replace the permissions (and possibly the owner): 0 or ENOMEM/ENOENT. */
int xs_node_set_perms(struct xs_store *s, struct xs_node *n,
                      const struct xs_perms *perms)
{
    struct xs_dom *owner = xs_dom_get(s, perms->p[0].domid);
    struct xs_perms np;

    if ( !owner )
        return ENOENT;
    if ( xs_perms_copy(&np, perms) )
        return ENOMEM;
    xs_node_disown(n);
    free(n->perms.p);
    n->perms = np;
    n->gen = ++s->gen;
    if ( !n->perms.gen )
        n->perms.gen = n->gen;
    xs_node_own(n, owner);
    return 0;
}

static void xs_node_unlink_free(struct xs_store *s, struct xs_node *n)
{
    struct xs_node *p = n->parent;

    if ( p )
    {
        if ( n->sib_prev )
            n->sib_prev->sib_next = n->sib_next;
        else
            p->kid_first = n->sib_next;
        if ( n->sib_next )
            n->sib_next->sib_prev = n->sib_prev;
        else
            p->kid_last = n->sib_prev;
        p->nkids--;
        p->kids_bytes -= strlen(n->name) + 1;
        p->gen = ++s->gen;
    }
    xs_nhash_remove(s, n);
    xs_node_disown(n);
    s->nnodes--;
    free(n->path);
    free(n->value);
    free(n->perms.p);
    free(n);
}

/*
 * Delete n and everything below it, iteratively.  Watches set exactly on a
 * deleted descendant fire with its path; the caller fires for n itself.
 */
void xs_node_delete(struct xs_store *s, struct xs_node *n)
{
    struct xs_node *cur = n, *up;

    for ( ;; )
    {
        while ( cur->kid_first )
            cur = cur->kid_first;
        if ( cur == n )
            break;
        up = cur->parent;
        xs_watch_fire_exact(s, cur->path, &cur->perms);
        xs_node_unlink_free(s, cur);
        cur = up;
    }
    xs_node_unlink_free(s, n);
}

void xs_view_of_node(struct xs_node *n, struct xs_view *v)
{
    v->value = n->value;
    v->vlen = n->vlen;
    v->perms = &n->perms;
    v->node = n;
    v->txe = NULL;
    v->gen = n->gen;
}

const char *xs_kid_first(const struct xs_view *v, struct xs_kid_iter *it)
{
    if ( v->txe )
    {
        it->n = NULL;
        it->p = v->txe->kids;
        it->end = v->txe->kids + v->txe->kids_len;
        return it->p < it->end ? it->p : NULL;
    }
    it->n = v->node->kid_first;
    it->p = it->end = NULL;
    return it->n ? it->n->name : NULL;
}

const char *xs_kid_next(struct xs_kid_iter *it)
{
    if ( it->p )
    {
        it->p += strlen(it->p) + 1;
        return it->p < it->end ? it->p : NULL;
    }
    it->n = it->n ? it->n->sib_next : NULL;
    return it->n ? it->n->name : NULL;
}

/* The initial tree, as Xen's daemons make it: /, /tool, /tool/xenstored. */
int xs_tree_init(struct xs_store *s)
{
    static const char *const paths[] = { "/", "/tool", "/tool/xenstored" };
    struct xs_perm p0 = { .domid = 0, .bits = XS_PERM_NONE };
    struct xs_perms perms = { .p = &p0, .n = 1 };
    struct xs_node *parent = NULL;
    unsigned int i;

    s->nhash_size = XS_NHASH_INITIAL;
    s->nhash = calloc(s->nhash_size, sizeof(*s->nhash));
    if ( !s->nhash )
        return ENOMEM;
    for ( i = 0; i < sizeof(paths) / sizeof(paths[0]); i++ )
    {
        parent = xs_node_new(s, parent, paths[i], "", 0, &perms);
        if ( !parent )
            return ENOMEM;
        if ( i == 0 )
            s->root = parent;
    }
    return 0;
}

void xs_tree_free(struct xs_store *s)
{
    if ( s->root )
        xs_node_delete(s, s->root);
    s->root = NULL;
    free(s->nhash);
    s->nhash = NULL;
}
