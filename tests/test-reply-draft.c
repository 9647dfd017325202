/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sa-appeal-model.h"
#include "sa-cache.h"
#include "sa-cache-private.h"
#include "sa-test-cache.h"

/* A reply's draft saved as one types (sa-cache-replies.c): what the
 * outbox holds, what the shown appeal says, and that the text survives. */

#define APPEAL "11111111-1111-4111-8111-111111111111"
#define REPLY  "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"

/* An appeal of ENERGY in work with "me", at version 3. */
#define APPEAL_JSON(version, replies) \
  "{\"id\":\"" APPEAL "\",\"reg_number\":\"ALA-2026-000123\",\"channel\":\"egov\"," \
  "\"status\":\"in_progress\",\"priority\":\"normal\",\"category\":\"heat.none\"," \
  "\"agency\":\"ENERGY\",\"executor\":\"me\",\"language\":\"kk\"," \
  "\"applicant\":{\"name\":\"Сапарова Әлия\"},\"address\":{\"text\":\"улица Жарокова, 7\"," \
  "\"district\":\"almaly\"},\"text\":\"Пәтерде жылу жоқ\"," \
  "\"received_at\":\"2026-11-20T10:00:00+05:00\",\"legal_due_at\":\"2026-12-10T10:00:00+05:00\"," \
  "\"version\":" #version ",\"is_repeat\":false,\"replies\":" replies "," \
  "\"history\":[{\"seq\":1,\"at\":\"2026-11-20T10:00:00+05:00\",\"actor\":\"operator1\"," \
  "\"type\":\"registered\",\"payload\":{}}]}"

typedef struct
{
  char    *dir;
  SaCache *cache;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->cache = sa_test_cache_new (&f->dir, "me", "ENERGY");
  sa_test_cache_feed (f->cache, 10,
                      "[{\"seq\":10,\"kind\":\"appeal\",\"id\":\"" APPEAL "\",\"data\":"
                      APPEAL_JSON (3, "[]") "}]");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sa_test_cache_free (f->cache, f->dir);
}

static char *
save (SaCache    *cache,
      const char *text)
{
  g_autoptr(GError) error = NULL;
  char *op_id = sa_cache_save_reply_draft_sync (cache, APPEAL, REPLY, text,
                                                SA_REPLY_VISIBILITY_PUBLIC, "kk", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  return op_id;
}

static GPtrArray *
outbox (SaCache *cache)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = sa_cache_list_outbox (cache, &error);

  g_assert_no_error (error);
  return entries;
}

static const char *
entry_arg (SaOutboxEntry *e,
           const char    *name)
{
  return json_object_get_string_member (json_node_get_object (e->args), name);
}

/* The reply as the desk shows it, from the cached (folded) appeal. */
static JsonObject *
shown_reply (SaCache   *cache,
             JsonNode **keep)
{
  g_autoptr(GError) error = NULL;
  JsonArray *replies;

  g_clear_pointer (keep, json_node_unref);
  *keep = sa_cache_get_appeal (cache, APPEAL, &error);
  g_assert_no_error (error);
  replies = json_object_get_array_member (json_node_get_object (*keep), SA_APPEAL_FIELD_REPLIES);
  g_assert_cmpuint (json_array_get_length (replies), ==, 1);
  return json_array_get_object_element (replies, 0);
}

static guint
count_events (JsonNode   *appeal,
              const char *type)
{
  JsonArray *history = json_object_get_array_member (json_node_get_object (appeal), "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (history, i),
                                                  "type"), type) == 0)
      n++;
  return n;
}

static void
test_one_op (Fixture       *f,
             gconstpointer  data)
{
  /* Saves before the push rewrite one pending reply_save; the appeal shows the last text. */
  g_autofree char *a = save (f->cache, "Құрметті");
  g_autofree char *b = save (f->cache, "Құрметті Әлия");
  g_autofree char *c = save (f->cache, "Құрметті Әлия, жылу қосылды.");
  g_autoptr(GPtrArray) entries = outbox (f->cache);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *reply;
  SaOutboxEntry *e;

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, ==, c);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpstr (e->op_id, ==, a);
  g_assert_cmpstr (e->type, ==, "reply_save");
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
  g_assert_cmpint (e->base_version, ==, 3);
  g_assert_cmpstr (entry_arg (e, "reply_id"), ==, REPLY);
  g_assert_cmpstr (entry_arg (e, "text"), ==, "Құрметті Әлия, жылу қосылды.");
  g_assert_cmpstr (entry_arg (e, "visibility"), ==, "public");
  g_assert_cmpstr (entry_arg (e, "language"), ==, "kk");

  reply = shown_reply (f->cache, &keep);
  g_assert_cmpstr (json_object_get_string_member (reply, "text"), ==,
                   "Құрметті Әлия, жылу қосылды.");
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (reply, "author"), ==, "me");
  /* Written for the signed-in user's agency, before the registry says so. */
  g_assert_cmpstr (json_object_get_string_member (reply, "agency"), ==, "ENERGY");
  g_assert_true (json_object_get_boolean_member (reply, "pending"));
  /* One event in the history, not one per pause. */
  g_assert_cmpuint (count_events (keep, sa_op_type_event (SA_OP_REPLY_SAVE)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (keep), "version"), ==, 4);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, APPEAL), ==, SA_OFFLINE_MODIFIED);
}

static void
test_in_flight (Fixture       *f,
                gconstpointer  data)
{
  /* A save being pushed is never rewritten: the next text is an op of its own after it. */
  g_autofree char *first = save (f->cache, "Первая строка");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *results = NULL;
  SaOutboxEntry *e;

  batch = sa_cache_begin_push_before (f->cache, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);

  second = save (f->cache, "Первая строка. Вторая");
  third = save (f->cache, "Первая строка. Вторая и третья");
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpstr (third, ==, second);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 2);
  e = entries->pdata[0];
  g_assert_cmpstr (e->op_id, ==, first);
  g_assert_cmpint (e->state, ==, SA_OP_SENT);
  g_assert_cmpstr (entry_arg (e, "text"), ==, "Первая строка");
  e = entries->pdata[1];
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
  /* Counted on top of the one in flight. */
  g_assert_cmpint (e->base_version, ==, 4);
  g_assert_cmpstr (e->after_op_id, ==, first);
  g_assert_cmpstr (entry_arg (e, "text"), ==, "Первая строка. Вторая и третья");

  /* The first is applied: the second stays, and the appeal shows its text. */
  results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"applied\",\"appeal\":"
                             APPEAL_JSON (4, "[{\"id\":\"" REPLY "\",\"kind\":\"answer\","
                                          "\"agency\":\"ENERGY\",\"state\":\"draft\","
                                          "\"visibility\":\"public\",\"language\":\"kk\","
                                          "\"text\":\"Первая строка\",\"author\":\"me\","
                                          "\"version\":0,\"versions\":[]}]") "}]", first);
  sa_test_cache_push_results (f->cache, results);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->op_id, ==, second);
  {
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *reply = shown_reply (f->cache, &keep);

    g_assert_cmpstr (json_object_get_string_member (reply, "text"), ==,
                     "Первая строка. Вторая и третья");
  }
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  /* Rewriting a save keeps the versions of the ops around it; a save after a submit is new. */
  g_autoptr(JsonObject) comment = json_object_new ();
  g_autoptr(JsonObject) submit = json_object_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *c = NULL;
  g_autofree char *s = NULL;
  g_autofree char *save1 = save (f->cache, "Черновик");
  g_autofree char *save2 = NULL;
  g_autofree char *save3 = NULL;

  json_object_set_string_member (comment, "text", "Позвонил заявителю");
  c = sa_cache_apply_local_op_sync (f->cache, APPEAL, "comment", comment, &error);
  g_assert_no_error (error);
  save2 = save (f->cache, "Черновик ответа");
  g_assert_cmpstr (save2, ==, save1);
  json_object_set_string_member (submit, "reply_id", REPLY);
  s = sa_cache_apply_local_op_sync (f->cache, APPEAL, "reply_submit", submit, &error);
  g_assert_no_error (error);
  save3 = save (f->cache, "Черновик ответа, исправленный");
  g_assert_cmpstr (save3, !=, save1);

  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 4);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->op_id, ==, save1);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[0])->base_version, ==, 3);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Черновик ответа");
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[1])->op_id, ==, c);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[1])->base_version, ==, 4);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[2])->op_id, ==, s);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[2])->base_version, ==, 5);
  /* The submitted text is the one before the submit, not the newer one. */
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[3])->op_id, ==, save3);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[3])->base_version, ==, 6);
  g_assert_cmpstr (entry_arg (entries->pdata[3], "text"), ==, "Черновик ответа, исправленный");
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  /* Closing and opening the cache again gives back the text and the one op. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  g_autofree char *a = save (f->cache, "Сәлеметсіз бе");
  g_autofree char *b = save (f->cache, "Сәлеметсіз бе! Жұмыс аяқталды.");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;

  g_object_unref (f->cache);
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Сәлеметсіз бе! Жұмыс аяқталды.");
  g_assert_cmpstr (json_object_get_string_member (shown_reply (f->cache, &keep), "text"), ==,
                   "Сәлеметсіз бе! Жұмыс аяқталды.");
}

/* The child: saves, then dies without closing anything. */
static int
crash_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  SaCache *cache = sa_cache_open (path, &error);
  char *op_id;

  if (cache == NULL)
    return 2;
  op_id = sa_cache_save_reply_draft_sync (cache, APPEAL, REPLY, "Сохранено перед сбоем",
                                          SA_REPLY_VISIBILITY_PRIVATE, "ru", NULL, NULL, &error);
  if (op_id == NULL)
    return 3;
  raise (SIGKILL);
  return 4;
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  /* A process killed right after a save returned leaves the text on disk. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *reply;

  g_object_unref (f->cache);
  f->cache = NULL;
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            g_test_get_filename (G_TEST_BUILT, "test-reply-draft", NULL),
                            "--crash-child", path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Сохранено перед сбоем");
  reply = shown_reply (f->cache, &keep);
  g_assert_cmpstr (json_object_get_string_member (reply, "text"), ==, "Сохранено перед сбоем");
  g_assert_cmpstr (json_object_get_string_member (reply, "visibility"), ==, "private");
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  /* A blank text, an unknown language or appeal queue nothing. */
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (sa_cache_save_reply_draft_sync (f->cache, APPEAL, REPLY, "  \n",
                                                 "public", "ru", NULL, NULL, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sa_cache_save_reply_draft_sync (f->cache, APPEAL, REPLY, "Текст",
                                                 "public", "en", NULL, NULL, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sa_cache_save_reply_draft_sync (f->cache, "nope", REPLY, "Текст",
                                                 "public", "ru", NULL, NULL, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_rejected_keeps_text (Fixture       *f,
                          gconstpointer  data)
{
  /* A refused save keeps its text in the outbox; the next save does not overwrite it. */
  g_autofree char *first = save (f->cache, "Текст, который отклонят");
  g_autofree char *second = NULL;
  g_autofree char *results = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  batch = sa_cache_begin_push_before (f->cache, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"rejected\",\"code\":\"not_author\","
                             "\"message\":\"Only the reply’s author may do this.\"}]", first);
  sa_test_cache_push_results (f->cache, results);
  second = save (f->cache, "Текст, который отклонят, и ещё");
  g_assert_cmpstr (second, !=, first);

  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[0])->state, ==, SA_OP_REJECTED);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->error_code, ==, "not_author");
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Текст, который отклонят");
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[1])->state, ==, SA_OP_PENDING);
  g_assert_cmpstr (entry_arg (entries->pdata[1], "text"), ==, "Текст, который отклонят, и ещё");
}

static void
test_returned (Fixture       *f,
               gconstpointer  data)
{
  /* Editing a returned reply keeps it returned, with the supervisor's comment, until submitted. */
  g_autofree char *op = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *reply;

  sa_test_cache_feed (f->cache, 11,
                      "[{\"seq\":11,\"kind\":\"appeal\",\"id\":\"" APPEAL "\",\"data\":"
                      APPEAL_JSON (5, "[{\"id\":\"" REPLY "\",\"kind\":\"answer\","
                                   "\"agency\":\"ENERGY\",\"state\":\"returned\","
                                   "\"visibility\":\"public\",\"language\":\"kk\","
                                   "\"text\":\"Жылу қосылды\",\"author\":\"me\","
                                   "\"version\":1,\"returned_comment\":\"Мерзімін көрсетіңіз\","
                                   "\"returned_by\":\"boss\",\"versions\":[]}]") "}]");
  op = save (f->cache, "Жылу 5 желтоқсанда қосылды");
  reply = shown_reply (f->cache, &keep);
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (reply, "text"), ==,
                   "Жылу 5 желтоқсанда қосылды");
  g_assert_cmpstr (json_object_get_string_member (reply, "returned_comment"), ==,
                   "Мерзімін көрсетіңіз");
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  char **out = data;
  g_autoptr(GError) error = NULL;

  *out = sa_cache_save_reply_draft_finish (SA_CACHE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  /* The async save writes the same op, off the calling thread. */
  g_autofree char *op_id = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  sa_cache_save_reply_draft_async (f->cache, APPEAL, REPLY, "Асинхронно", "public", "ru", NULL, NULL,
                                   NULL, save_cb, &op_id);
  while (op_id == NULL)
    g_main_context_iteration (NULL, TRUE);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->op_id, ==, op_id);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Асинхронно");
}

#define SHA_ACT "1111111111111111111111111111111111111111111111111111111111111111"

static void
files_save_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sa_cache_save_reply_draft_finish (SA_CACHE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  /* The files a save includes go in its args, whole, and the shown reply names them; a save without them takes them out of the same op; more than ten are refused. */
  g_autoptr(GString) appeal = g_string_new ("[{\"seq\":11,\"kind\":\"appeal\",\"id\":\"" APPEAL
                                            "\",\"data\":" APPEAL_JSON (4, "[]") "}]");
  const char * const one[] = { SHA_ACT, NULL };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *async_id = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) many = g_new0 (char *, SA_REPLY_ATTACHMENTS_MAX + 2);
  JsonObject *args;
  JsonArray *files;

  g_string_replace (appeal, "\"replies\":[]",
                    "\"attachments\":[{\"sha256\":\"" SHA_ACT "\",\"name\":\"act.pdf\","
                    "\"content_type\":\"application/pdf\",\"size\":1200}],\"replies\":[]", 1);
  sa_test_cache_feed (f->cache, 11, appeal->str);

  op_id = sa_cache_save_reply_draft_sync (f->cache, APPEAL, REPLY, "Акт", "public", "ru", NULL,
                                          one, &error);
  g_assert_no_error (error);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  args = json_node_get_object (((SaOutboxEntry *) entries->pdata[0])->args);
  files = json_object_get_array_member (args, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (files, 0), ==, SHA_ACT);
  files = json_object_get_array_member (shown_reply (f->cache, &keep), "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "name"), ==, "act.pdf");

  /* Without files: the same op, with none. */
  again = sa_cache_save_reply_draft_sync (f->cache, APPEAL, REPLY, "Акт", "public", "ru", NULL,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, op_id);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_false (json_object_has_member (
                    json_node_get_object (((SaOutboxEntry *) entries->pdata[0])->args),
                    "attachments"));
  files = json_object_get_array_member (shown_reply (f->cache, &keep), "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 0);

  /* The async save carries them too. */
  sa_cache_save_reply_draft_async (f->cache, APPEAL, REPLY, "Акт", "public", "ru", NULL, one,
                                   NULL, files_save_cb, &async_id);
  while (async_id == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (async_id, ==, op_id);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (((SaOutboxEntry *) entries->pdata[0])->args),
                      "attachments")), ==, 1);

  for (guint i = 0; i <= SA_REPLY_ATTACHMENTS_MAX; i++)
    many[i] = g_strdup_printf ("%064x", i + 1);
  g_assert_null (sa_cache_save_reply_draft_sync (f->cache, APPEAL, REPLY, "Акт", "public", "ru",
                                                 NULL, (const char * const *) many, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (((SaOutboxEntry *) entries->pdata[0])->args),
                      "attachments")), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2]);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sa/cache/reply-draft/" path, Fixture, NULL, fixture_setup, \
                                  fn, fixture_teardown)
  ADD ("one-op-while-typing", test_one_op);
  ADD ("in-flight-then-new-op", test_in_flight);
  ADD ("versions-around-it", test_versions);
  ADD ("reopen-keeps-text", test_reopen);
  ADD ("crash-keeps-text", test_crash);
  ADD ("invalid-queues-nothing", test_invalid);
  ADD ("rejected-keeps-text", test_rejected_keeps_text);
  ADD ("returned-stays-returned", test_returned);
  ADD ("async", test_async);
  ADD ("files", test_files);
  return g_test_run ();
}
