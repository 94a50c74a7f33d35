/*
 * xenstored watches: registration, the path index, event delivery
 *
 * Locking: none (single-threaded core).  Watches are indexed by their
 * absolute path in one hash table, so a change to P looks up P and each of
 * its ancestors (cost: the depth of P), never the list of all watches.  An
 * event reaches a watcher only if it may read the node (XSA-115); special
 * watches (@introduceDomain, @releaseDomain) follow the special node's
 * permissions, which only a privileged caller can change.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

#define XS_WATCH_OVERHEAD 64u

static void xs_whash_grow(struct xs_store *s)
{
    uint32_t i, nsize = s->whash_size * 2;
    struct xs_watch **nt = calloc(nsize, sizeof(*nt));
    struct xs_watch *w, *next;

    if ( !nt )
        return;
    for ( i = 0; i < s->whash_size; i++ )
        for ( w = s->whash[i]; w; w = next )
        {
            next = w->hnext;
            w->hnext = nt[w->hash & (nsize - 1)];
            nt[w->hash & (nsize - 1)] = w;
        }
    free(s->whash);
    s->whash = nt;
    s->whash_size = nsize;
}

/* Register (path, token) for c; path is absolute or special. */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token,
                 uint32_t strip)
{
    struct xs_store *s = c->store;
    uint32_t h = xs_hash(path);
    struct xs_watch *w;
    int err = 0;
    uint32_t mem = XS_WATCH_OVERHEAD + strlen(path) + strlen(token);

    for ( w = s->whash[h & (s->whash_size - 1)]; w; w = w->hnext )
        if ( w->conn == c && w->hash == h && !strcmp(w->path, path) &&
             !strcmp(w->token, token) )
            return EEXIST;
    if ( !c->priv && c->dom->watches >= s->quota.watches )
        return E2BIG;
    if ( xs_dom_over(c, mem, 0, &err) )
        return err;
    w = calloc(1, sizeof(*w));
    if ( !w || !(w->path = strdup(path)) || !(w->token = strdup(token)) )
    {
        if ( w )
            free(w->path);
        free(w);
        return ENOMEM;
    }
    w->conn = c;
    w->hash = h;
    w->strip = strip;
    w->mem = mem;
    w->hnext = s->whash[h & (s->whash_size - 1)];
    s->whash[h & (s->whash_size - 1)] = w;
    w->cnext = c->watch_first;
    if ( c->watch_first )
        c->watch_first->cprev = w;
    c->watch_first = w;
    c->dom->watches++;
    xs_dom_charge(c->dom, mem, 0);
    if ( ++s->nwatches > s->whash_size )
        xs_whash_grow(s);
    return 0;
}

static void xs_watch_free(struct xs_store *s, struct xs_watch *w)
{
    struct xs_watch **pp = &s->whash[w->hash & (s->whash_size - 1)];
    struct xs_conn *c = w->conn;

    while ( *pp && *pp != w )
        pp = &(*pp)->hnext;
    if ( *pp )
        *pp = w->hnext;
    if ( w->cprev )
        w->cprev->cnext = w->cnext;
    else
        c->watch_first = w->cnext;
    if ( w->cnext )
        w->cnext->cprev = w->cprev;
    if ( c->dom )
    {
        c->dom->watches--;
        xs_dom_charge(c->dom, -(int64_t)w->mem, 0);
    }
    s->nwatches--;
    free(w->path);
    free(w->token);
    free(w);
}

int xs_watch_del(struct xs_conn *c, const char *path, const char *token)
{
    struct xs_store *s = c->store;
    uint32_t h = xs_hash(path);
    struct xs_watch *w;

    for ( w = s->whash[h & (s->whash_size - 1)]; w; w = w->hnext )
        if ( w->conn == c && w->hash == h && !strcmp(w->path, path) &&
             !strcmp(w->token, token) )
        {
            xs_watch_free(s, w);
            return 0;
        }
    return ENOENT;
}

void xs_watch_del_all(struct xs_conn *c)
{
    while ( c->watch_first )
        xs_watch_free(c->store, c->watch_first);
}

static void xs_watch_deliver(struct xs_watch *w, const char *path,
                             const struct xs_perms *perms)
{
    if ( perms && !(xs_perms_for(w->conn, perms) & XS_PERM_READ) )
        return; /* XSA-115: no events about nodes the watcher cannot read */
    if ( w->strip && strlen(path) > w->strip )
        path += w->strip;
    xs_send_event(w->conn, path, w->token);
}

/* Fire the watches set exactly on key for a change at path. */
static void xs_watch_fire_key(struct xs_store *s, const char *key,
                              const char *path, const struct xs_perms *perms)
{
    uint32_t h = xs_hash(key);
    struct xs_watch *w;

    for ( w = s->whash[h & (s->whash_size - 1)]; w; w = w->hnext )
        if ( w->hash == h && !strcmp(w->path, key) )
            xs_watch_deliver(w, path, perms);
}

/* A change at path: watches on path and on each of its ancestors fire. */
void xs_watch_fire(struct xs_store *s, const char *path,
                   const struct xs_perms *perms)
{
    char key[XS_ABS_PATH_MAX + 1];
    size_t len = strlen(path);

    if ( !s->nwatches || len > XS_ABS_PATH_MAX )
        return;
    memcpy(key, path, len + 1);
    for ( ;; )
    {
        xs_watch_fire_key(s, key, path, perms);
        if ( len <= 1 )
            break;
        while ( len > 1 && key[len - 1] != '/' )
            len--;
        key[len > 1 ? len - 1 : 1] = '\0';
        len = strlen(key);
    }
}

void xs_watch_fire_exact(struct xs_store *s, const char *path,
                         const struct xs_perms *perms)
{
    if ( s->nwatches )
        xs_watch_fire_key(s, path, path, perms);
}

void xs_watch_fire_special(struct xs_store *s, struct xs_special *sp)
{
    xs_watch_fire_key(s, sp->path, sp->path, &sp->perms);
}
