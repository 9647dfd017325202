/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <string.h>

#include "sa-cache-private.h"

/* The FTS5 tokenizer "sa_unicode61": unicode61 (same arguments), then ё
 * folded to е, as Russian writers mostly leave out the dots ("Семенов"
 * must find "Семёнов"). Both letters are two bytes in UTF-8, so offsets
 * stay right. Registered on each connection before the schema is used. */

typedef struct
{
  fts5_tokenizer  inner_api;
  Fts5Tokenizer  *inner;
} FoldTokenizer;

typedef struct
{
  void *ctx;
  int (*token) (void *, int, const char *, int, int, int);
} FoldCall;

static int
fold_create (void           *user_data,
             const char    **argv,
             int             argc,
             Fts5Tokenizer **out)
{
  fts5_api *api = user_data;
  FoldTokenizer *tok = g_new0 (FoldTokenizer, 1);
  void *inner_data = NULL;
  int rc;

  rc = api->xFindTokenizer (api, "unicode61", &inner_data, &tok->inner_api);
  if (rc == SQLITE_OK)
    rc = tok->inner_api.xCreate (inner_data, argv, argc, &tok->inner);
  if (rc != SQLITE_OK)
    {
      g_free (tok);
      return rc;
    }
  *out = (Fts5Tokenizer *) tok;
  return SQLITE_OK;
}

static void
fold_delete (Fts5Tokenizer *t)
{
  FoldTokenizer *tok = (FoldTokenizer *) t;

  tok->inner_api.xDelete (tok->inner);
  g_free (tok);
}

static int
fold_token (void       *data,
            int         flags,
            const char *token,
            int         n,
            int         start,
            int         end)
{
  FoldCall *call = data;
  char stack[128];
  char *buf;
  int rc;

  if (n < 2 || memchr (token, 0xD1, n) == NULL)
    return call->token (call->ctx, flags, token, n, start, end);
  buf = n <= (int) sizeof stack ? stack : g_malloc (n);
  memcpy (buf, token, n);
  for (int i = 0; i + 1 < n; i++)
    if ((guchar) buf[i] == 0xD1 && (guchar) buf[i + 1] == 0x91)  /* ё */
      {
        buf[i] = (char) 0xD0;  /* е */
        buf[i + 1] = (char) 0xB5;
      }
  rc = call->token (call->ctx, flags, buf, n, start, end);
  if (buf != stack)
    g_free (buf);
  return rc;
}

static int
fold_tokenize (Fts5Tokenizer *t,
               void          *ctx,
               int            flags,
               const char    *text,
               int            n,
               int          (*token) (void *, int, const char *, int, int, int))
{
  FoldTokenizer *tok = (FoldTokenizer *) t;
  FoldCall call = { ctx, token };

  return tok->inner_api.xTokenize (tok->inner, &call, flags, text, n, fold_token);
}

gboolean
_sa_cache_register_tokenizer (SaCacheConn *c,
                              GError     **error)
{
  static fts5_tokenizer fold = { fold_create, fold_delete, fold_tokenize };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (c->db, "SELECT fts5 (?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (api == NULL ||
      api->xCreateTokenizer (api, "sa_unicode61", api, &fold, NULL) != SQLITE_OK)
    {
      _sa_cache_db_error (c, error, "This SQLite has no FTS5");
      return FALSE;
    }
  return TRUE;
}
