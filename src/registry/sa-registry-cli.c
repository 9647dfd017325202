/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib-unix.h>

#include "sa-registry-cli.h"
#include "sa-registry-demo.h"
#include "sa-registry-store.h"
#include "sa-registry-reference.h"
#include "sa-registry-templates.h"

static const char usage[] =
  "Usage: smart-appeals-registry COMMAND [OPTION…]\n"
  "\n"
  "The central registry of Smart Appeals.\n"
  "\n"
  "Commands:\n"
  "  init --db PATH [--reference DIR] [--demo [--appeals N]]\n"
  "                                          create or migrate a database and load\n"
  "                                          the city's reference data\n"
  "  serve --db PATH --listen HOST:PORT [--tls-cert F --tls-key F]\n"
  "                                          serve the HTTP API\n"
  "  user add --db PATH --login L --agency CODE --role ROLE --password-stdin\n"
  "           [--full-name NAME]             add an account\n"
  "  user passwd --db PATH --login L --password-stdin\n"
  "                                          set an account's password\n"
  "  user disable --db PATH --login L        disable an account and end its sessions\n"
  "  compact --db PATH [--keep N]            prune old change-feed entries\n"
  "\n"
  "Run COMMAND --help for its options.\n";

static gboolean
parse_options (const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_printerr ("smart-appeals-registry: unexpected argument “%s”\n", (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require (const char *value,
         const char *option)
{
  if (value == NULL || *value == '\0')
    {
      g_printerr ("smart-appeals-registry: %s is required (see --help)\n", option);
      return FALSE;
    }
  return TRUE;
}

static SaRegistryDb *
open_db (const char *path)
{
  g_autoptr(GError) error = NULL;
  SaRegistryDb *db = sa_registry_db_open (path, &error);

  if (db == NULL)
    g_printerr ("smart-appeals-registry: %s\n", error->message);
  return db;
}

/* Reads one line from stdin, without its newline. */
static char *
read_password (void)
{
  char buf[1100];
  size_t len;

  if (fgets (buf, sizeof buf, stdin) == NULL)
    return NULL;
  len = strlen (buf);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    buf[--len] = '\0';
  if (len == 0 || len > 1024)
    return NULL;
  return g_strdup (buf);
}

static int
cmd_init (int    argc,
          char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *reference_dir = NULL;
  gboolean demo = FALSE;
  int n_appeals = SA_REGISTRY_DEMO_DEFAULT_APPEALS;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database file", "PATH" },
    { "reference", 0, 0, G_OPTION_ARG_FILENAME, &reference_dir,
      "Load the reference data from DIR instead of the built-in copy", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Add demo people and appeals", NULL },
    { "appeals", 0, 0, G_OPTION_ARG_INT, &n_appeals,
      "How many demo appeals (default 2000)", "N" },
    { NULL }
  };
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(SaReference) ref = NULL;
  g_autoptr(SaDemo) generator = NULL;
  g_autoptr(GError) error = NULL;
  SaRegistryReferenceCounts counts;
  guint n_templates = 0;
  gint64 start;

  if (!parse_options ("Creates the database, or migrates it to this version's schema, and loads "
                      "the city's districts, agencies, categories and streets.",
                      entries, &argc, &argv) ||
      !require (db_path, "--db"))
    return 2;
  if (n_appeals < 0 || n_appeals > 10000000)
    {
      g_printerr ("smart-appeals-registry: --appeals must be 0 to 10000000\n");
      return 2;
    }

  /* Malformed files are refused before the database is touched. */
  ref = reference_dir != NULL ? sa_reference_new_from_dir (reference_dir, &error)
                              : sa_reference_new_default (&error);
  if (ref != NULL && demo)
    generator = sa_demo_new (ref, &error);
  if (ref == NULL || (demo && generator == NULL))
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return 1;
    }

  db = open_db (db_path);
  if (db == NULL)
    return 1;
  if (!sa_registry_reference_load (db, ref, &counts, &error) ||
      !sa_registry_templates_load (db, reference_dir, &n_templates, &error))
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return 1;
    }
  g_print ("Database %s is at schema version %d, with %u districts, %u agencies, "
           "%u categories and %u streets (%u agencies and categories new or changed).\n",
           db_path, SA_REGISTRY_DB_SCHEMA_VERSION, counts.districts, counts.agencies,
           counts.categories, counts.streets, counts.changed);
  g_print ("It has %u city-wide reply templates.\n", n_templates);
  if (counts.kept > 0)
    g_print ("It keeps %u districts, agencies or categories the reference data no longer "
             "list.\n", counts.kept);
  if (!demo)
    return 0;

  start = g_get_monotonic_time ();
  if (!sa_registry_demo_insert (db, generator, n_appeals, _sa_registry_now (), &error))
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return 1;
    }
  g_print ("Inserted the demo people and %d appeals into %s in %.1f s.\n", n_appeals, db_path,
           (g_get_monotonic_time () - start) / 1e6);
  sa_registry_demo_print_users (generator);
  return 0;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping on a signal");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_listen (const char  *listen,
              char       **host,
              guint       *port)
{
  const char *colon = strrchr (listen, ':');
  guint64 value;
  g_autofree char *h = NULL;

  if (colon == NULL || colon == listen)
    return FALSE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  h = g_strndup (listen, colon - listen);
  if (h[0] == '[' && h[strlen (h) - 1] == ']')
    {
      char *inner = g_strndup (h + 1, strlen (h) - 2);

      g_free (h);
      h = inner;
    }
  *host = g_steal_pointer (&h);
  *port = value;
  return TRUE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  gboolean quiet = FALSE;
  guint port = 0;
  gint access_ttl = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database file", "PATH" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Address and port, e.g. 127.0.0.1:8080 (port 0: any free port)", "HOST:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "PEM certificate for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "PEM private key for HTTPS", "FILE" },
    { "no-access-log", 0, 0, G_OPTION_ARG_NONE, &quiet, "Do not log each request", NULL },
    { "access-ttl", 0, 0, G_OPTION_ARG_INT, &access_ttl,
      "Lifetime of access tokens in seconds (default 900)", "SECONDS" },
    { NULL }
  };
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(SaRegistryServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint sigterm, sigint;

  if (!parse_options ("Serves the registry's HTTP API until SIGTERM or SIGINT.",
                      entries, &argc, &argv) ||
      !require (db_path, "--db") || !require (listen, "--listen"))
    return 2;
  if (!parse_listen (listen, &host, &port))
    {
      g_printerr ("smart-appeals-registry: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n");
      return 2;
    }
  if (access_ttl < 0)
    {
      g_printerr ("smart-appeals-registry: --access-ttl must not be negative\n");
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("smart-appeals-registry: give both --tls-cert and --tls-key, or neither\n");
      return 2;
    }

  db = open_db (db_path);
  if (db == NULL)
    return 1;
  /* Every connection is a descriptor: take what the hard limit allows,
   * so that the front's cap (sa-registry-http.c) is the limit, not 1024. */
  {
    struct rlimit nofile;

    if (getrlimit (RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max)
      {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit (RLIMIT_NOFILE, &nofile);
      }
  }
  server = sa_registry_server_new (db);
  sa_registry_server_set_access_log (server, !quiet);
  sa_registry_server_set_access_ttl (server, (guint)access_ttl);
  if (tls_cert != NULL && !sa_registry_server_set_tls_files (server, tls_cert, tls_key, &error))
    {
      g_printerr ("smart-appeals-registry: cannot load the TLS certificate: %s\n",
                  error->message);
      return 1;
    }
  if (!sa_registry_server_listen (server, host, port, &error))
    {
      g_printerr ("smart-appeals-registry: cannot listen on %s: %s\n", listen, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  sigint = g_unix_signal_add (SIGINT, on_quit_signal, loop);

  /* Scripts and tests wait for this exact line to learn the real port. */
  uri = sa_registry_server_get_base_uri (server);
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm);
  g_source_remove (sigint);
  sa_registry_server_disconnect (server);
  g_clear_object (&server);
  /* Folds the WAL back into the database file on a clean stop. */
  sa_registry_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  g_message ("Stopped");
  return 0;
}

static int
cmd_user_add (int    argc,
              char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *login = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *role = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *password = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database file", "PATH" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, "The login", "L" },
    { "agency", 0, 0, G_OPTION_ARG_STRING, &agency, "The agency's code", "CODE" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      "executor, supervisor, curator, operator, ksk_manager or admin", "ROLE" },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &full_name, "The person's full name", "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from the first line of standard input", NULL },
    { NULL }
  };
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options ("Adds an account.", entries, &argc, &argv) ||
      !require (db_path, "--db") || !require (login, "--login") ||
      !require (agency, "--agency") || !require (role, "--role"))
    return 2;
  if (!password_stdin)
    {
      g_printerr ("smart-appeals-registry: give --password-stdin and the password on "
                  "standard input (passwords never go on the command line)\n");
      return 2;
    }
  if (!_sa_registry_role_is_valid (role))
    {
      g_printerr ("smart-appeals-registry: unknown role “%s”; use executor, supervisor, "
                  "curator, operator, ksk_manager or admin\n", role);
      return 2;
    }
  password = read_password ();
  if (password == NULL)
    {
      g_printerr ("smart-appeals-registry: no password on standard input (1 to 1024 bytes)\n");
      return 2;
    }

  db = open_db (db_path);
  if (db == NULL)
    return 1;
  if (!_sa_registry_user_add (db, login, full_name, agency, role, password, &error))
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return 1;
    }
  g_print ("Added %s (%s, %s).\n", login, role, agency);
  return 0;
}

/* Sets a password or disables an account; both end the account's sessions. */
static int
cmd_user_change (int         argc,
                 char      **argv,
                 gboolean    disable)
{
  g_autofree char *db_path = NULL;
  g_autofree char *login = NULL;
  g_autofree char *password = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database file", "PATH" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, "The login", "L" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from the first line of standard input", NULL },
    { NULL }
  };
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(SaRegistryUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (disable)
    entries[2].long_name = NULL;
  if (!parse_options (disable ? "Disables an account and ends its sessions."
                              : "Sets an account's password and ends its sessions.",
                      entries, &argc, &argv) ||
      !require (db_path, "--db") || !require (login, "--login"))
    return 2;
  if (!disable)
    {
      if (!password_stdin)
        {
          g_printerr ("smart-appeals-registry: give --password-stdin and the password on "
                      "standard input\n");
          return 2;
        }
      password = read_password ();
      if (password == NULL)
        {
          g_printerr ("smart-appeals-registry: no password on standard input\n");
          return 2;
        }
    }

  db = open_db (db_path);
  if (db == NULL)
    return 1;
  if (!disable)
    {
      /* The password policy and the sessions' end are the store's. */
      if (!_sa_registry_user_set_password (db, login, password, &error))
        {
          g_printerr ("smart-appeals-registry: %s\n", error->message);
          return 1;
        }
      g_print ("Changed the password of %s.\n", login);
      return 0;
    }

  user = _sa_registry_user_lookup (db, login);
  if (user == NULL)
    {
      g_printerr ("smart-appeals-registry: no account has the login “%s”\n", login);
      return 1;
    }
  if (!sa_store_user_disable (db, user->id, user->login, &error))
    {
      g_printerr ("smart-appeals-registry: %s\n", error != NULL ? error->message : "failed");
      return 1;
    }
  g_print ("Disabled %s.\n", login);
  return 0;
}

static int
cmd_compact (int    argc,
             char **argv)
{
  g_autofree char *db_path = NULL;
  gint64 keep = 100000;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database file", "PATH" },
    { "keep", 0, 0, G_OPTION_ARG_INT64, &keep,
      "Keep revocations of the last N sequence numbers (default 100000)", "N" },
    { NULL }
  };
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 horizon;

  if (!parse_options ("Prunes the change feed; clients behind the new horizon pull from 0.",
                      entries, &argc, &argv) ||
      !require (db_path, "--db"))
    return 2;
  if (keep < 0)
    {
      g_printerr ("smart-appeals-registry: --keep must not be negative\n");
      return 2;
    }
  db = open_db (db_path);
  if (db == NULL)
    return 1;
  horizon = sa_registry_db_compact (db, keep, &error);
  if (horizon < 0)
    {
      g_printerr ("smart-appeals-registry: %s\n", error->message);
      return 1;
    }
  /* Expired tokens are of no use, even for reuse detection. */
  sa_store_sessions_prune (db, _sa_registry_now ());
  g_print ("The change feed's horizon is now %" G_GINT64_FORMAT ".\n", horizon);
  return 0;
}

int
sa_registry_cli_run (int    argc,
                     char **argv)
{
  const char *cmd;

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      if (argc < 2)
        {
          g_printerr ("%s", usage);
          return 2;
        }
      g_print ("%s", usage);
      return 0;
    }

  cmd = argv[1];
  if (g_strcmp0 (g_getenv ("SA_REGISTRY_PWHASH"), "fast") == 0)
    g_printerr ("smart-appeals-registry: warning: SA_REGISTRY_PWHASH=fast hashes new passwords "
                "with the minimum cost; it is meant for the test suite only\n");
  if (strcmp (cmd, "init") == 0)
    return cmd_init (argc - 1, argv + 1);
  if (strcmp (cmd, "serve") == 0)
    return cmd_serve (argc - 1, argv + 1);
  if (strcmp (cmd, "compact") == 0)
    return cmd_compact (argc - 1, argv + 1);
  if (strcmp (cmd, "user") == 0 && argc >= 3)
    {
      if (strcmp (argv[2], "add") == 0)
        return cmd_user_add (argc - 2, argv + 2);
      if (strcmp (argv[2], "passwd") == 0)
        return cmd_user_change (argc - 2, argv + 2, FALSE);
      if (strcmp (argv[2], "disable") == 0)
        return cmd_user_change (argc - 2, argv + 2, TRUE);
    }
  g_printerr ("smart-appeals-registry: unknown command “%s”\n\n%s", cmd, usage);
  return 2;
}
