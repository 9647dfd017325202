/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-registry-http"

#include "config.h"

#include <stdlib.h>

#include "sa-test-spawn.h"

/* The registry's descriptors under clients that come and go, measured in
 * /proc/<pid>/fd of the built binary (SA_REGISTRY_EXE):
 *   bench: registry.fds_after_10k_closes N fds
 *     open descriptors after 10,000 keep-alive connections, each closed by
 *     the client after one answer, minus those before (goal: within ±10)
 *   bench: registry.fds_after_1k_idle N fds
 *     the same after 1,000 connections that never sent a byte were
 *     opened at once and then left by the client
 * BENCH_CLOSES overrides 10000. */

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    g_error ("Cannot read %s", path);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits until the count stops falling for half a second, at most 10 s. */
static guint
settled_fds (GPid pid)
{
  guint last = count_fds (pid);

  for (guint waited = 0; waited < 10000; waited += 500)
    {
      guint now;

      g_usleep (500 * 1000);
      now = count_fds (pid);
      if (now == last)
        break;
      last = now;
    }
  return last;
}

static GSocket *
connect_to (GSocketAddress *address)
{
  g_autoptr(GError) error = NULL;
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                             &error);

  if (s == NULL || !g_socket_connect (s, address, NULL, &error))
    g_error ("connect: %s", error->message);
  g_socket_set_timeout (s, 10);
  return s;
}

/* One keep-alive request and its whole answer. */
static void
one_request (GSocket *s)
{
  static const char request[] = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
  g_autoptr(GString) in = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (g_socket_send (s, request, sizeof request - 1, NULL, &error) != sizeof request - 1)
    g_error ("send: %s", error != NULL ? error->message : "short");
  for (;;)
    {
      char buf[4096];
      gssize n = g_socket_receive (s, buf, sizeof buf, NULL, &error);
      const char *end;
      const char *cl;

      if (n <= 0)
        g_error ("The registry closed or failed: %s", error != NULL ? error->message : "EOF");
      g_string_append_len (in, buf, n);
      end = strstr (in->str, "\r\n\r\n");
      cl = end != NULL ? g_strstr_len (in->str, end - in->str, "Content-Length: ") : NULL;
      if (cl != NULL && in->len >= (gsize) (end + 4 - in->str) +
                                   g_ascii_strtoull (cl + 16, NULL, 10))
        return;
    }
}

int
main (int    argc,
      char **argv)
{
  SaTestSpawnedRegistry r = { 0 };
  const char *env = g_getenv ("BENCH_CLOSES");
  guint closes = env != NULL ? (guint) atoi (env) : 10000;
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GPid pid;
  guint before, after;

  sa_test_spawn_registry (&r, 10);
  pid = atoi (g_subprocess_get_identifier (r.process));
  connectable = g_network_address_parse_uri (r.url, 80, NULL);
  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, NULL, NULL);
  g_assert_nonnull (address);

  {
    /* The registry opens its database and listeners lazily: warm up. */
    g_autoptr(GSocket) s = connect_to (address);

    one_request (s);
    g_socket_close (s, NULL);
  }
  before = settled_fds (pid);
  for (guint i = 0; i < closes; i++)
    {
      g_autoptr(GSocket) s = connect_to (address);

      one_request (s);
      g_socket_close (s, NULL);
    }
  after = settled_fds (pid);
  g_print ("bench: registry.fds_after_%uk_closes %d fds\n", closes / 1000,
           (int) after - (int) before);

  {
    GSocket *idle[1000];

    for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
      idle[i] = connect_to (address);
    g_usleep (200 * 1000);
    for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
      {
        g_socket_close (idle[i], NULL);
        g_object_unref (idle[i]);
      }
    after = settled_fds (pid);
    g_print ("bench: registry.fds_after_1k_idle %d fds\n", (int) after - (int) before);
  }

  sa_test_stop_registry (&r);
  return 0;
}
