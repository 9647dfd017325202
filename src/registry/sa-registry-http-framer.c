/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-http"

#include "config.h"

#include <string.h>

#include "sa-registry-http-private.h"

/* The framer: every byte of a connection passes it before libsoup sees
 * it. Request lines and heads are held to the limits, heads read as
 * strictly as RFC 9112 allows (Content-Length, Transfer-Encoding,
 * Upgrade), and bodies skipped by their length. */

static void
conn_reset_head (Conn *c)
{
  g_byte_array_set_size (c->head, 0);
  c->head_line_done = FALSE;
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *what)
{
  return strlen (what) == len && g_ascii_strncasecmp (name, what, len) == 0;
}

/* A complete head, as strictly as RFC 9112 allows: libsoup ignores lines
 * it cannot read, strips NULs and joins folded lines, so anything it
 * might read otherwise than a proxy in front is refused here (§5.1,
 * §5.2, §6.3). Sets body_left; returns 0 or the status to refuse with. */
static guint
conn_inspect_head (Conn        *c,
                   const char **out_body)
{
  const char *p = (const char *) c->head->data;
  const char *end = p + c->head->len;
  gboolean first = TRUE;
  gboolean te = FALSE;
  const char *cl = NULL;
  gsize cl_len = 0;

  c->body_left = 0;
  c->upgrade = FALSE;
  *out_body = "{\"error\":{\"code\":\"bad_request\",\"message\":"
              "\"The request head is not strict HTTP/1.1.\"}}";
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol;
      const char *colon, *value, *value_end;

      if (eol == NULL)
        return SOUP_STATUS_BAD_REQUEST;
      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      for (const char *q = p; q < line_end; q++)
        if ((guchar) *q < 0x20 && *q != '\t')
          return SOUP_STATUS_BAD_REQUEST;
      if (first || line_end == p)
        {
          first = FALSE;
          p = eol + 1;
          continue;
        }
      if (*p == ' ' || *p == '\t')
        return SOUP_STATUS_BAD_REQUEST;   /* obs-fold */
      colon = memchr (p, ':', line_end - p);
      if (colon == NULL || colon == p)
        return SOUP_STATUS_BAD_REQUEST;
      for (const char *q = p; q < colon; q++)
        if (*q == ' ' || *q == '\t')
          return SOUP_STATUS_BAD_REQUEST;
      value = colon + 1;
      value_end = line_end;
      while (value < value_end && (*value == ' ' || *value == '\t'))
        value++;
      while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;

      if (name_is (p, colon - p, "Content-Length"))
        {
          if (cl != NULL || value == value_end || value_end - value > 18)
            goto bad_length;
          for (const char *q = value; q < value_end; q++)
            if (!g_ascii_isdigit (*q))
              goto bad_length;
          cl = value;
          cl_len = value_end - value;
        }
      else if (name_is (p, colon - p, "Transfer-Encoding"))
        te = TRUE;
      else if (name_is (p, colon - p, "Upgrade"))
        c->upgrade = TRUE;
      p = eol + 1;
    }
  if (te && cl != NULL)
    goto bad_length;
  if (te)
    {
      *out_body = "{\"error\":{\"code\":\"length_required\",\"message\":"
                  "\"Send the body with a Content-Length.\"}}";
      return SOUP_STATUS_LENGTH_REQUIRED;
    }
  if (cl != NULL)
    {
      g_autofree char *digits = g_strndup (cl, cl_len);

      c->body_left = g_ascii_strtoull (digits, NULL, 10);
    }
  return 0;

bad_length:
  *out_body = "{\"error\":{\"code\":\"bad_content_length\",\"message\":"
              "\"Send one Content-Length of digits only, and no Transfer-Encoding with it.\"}}";
  return SOUP_STATUS_BAD_REQUEST;
}

/* Frames the requests in @buf as they pass: heads are collected and
 * checked (limits, conn_inspect_head()), bodies skipped by their length.
 * Returns how many bytes libsoup may have; with *status set, the rest
 * is refused (what came before the bad head still goes, so that a
 * pipelined request before it is answered first). */
gsize
_sa_http_conn_scan (Conn         *c,
                    const guchar *buf,
                    gsize         n,
                    guint        *status,
                    const char  **body)
{
  const SaHttpLimits *l = &c->front->limits;
  gsize head_start = 0;
  gboolean head_here = c->head->len > 0 ? FALSE : TRUE;

  *status = 0;
  for (gsize i = 0; i < n;)
    {
      guchar b;
      gsize len;

      if (c->scan == SCAN_OFF)
        return n;
      if (c->scan == SCAN_BODY)
        {
          gsize take = (gsize) MIN ((guint64) (n - i), c->body_left);

          i += take;
          c->body_left -= take;
          if (c->body_left == 0)
            c->scan = c->upgrade ? SCAN_OFF : SCAN_HEAD;
          continue;
        }

      b = buf[i];
      /* Blank lines before a request line are allowed (RFC 9112 §2.2). */
      if (c->head->len == 0 && (b == '\r' || b == '\n'))
        {
          i++;
          continue;
        }
      if (c->head->len == 0)
        {
          head_start = i;
          head_here = TRUE;
        }
      g_byte_array_append (c->head, &b, 1);
      i++;
      len = c->head->len;
      if (!c->head_line_done)
        {
          if (b == '\n')
            c->head_line_done = TRUE;
          else if (len > l->max_request_line)
            *status = SOUP_STATUS_REQUEST_URI_TOO_LONG;
        }
      if (*status == 0 && len > l->max_head)
        *status = c->head_line_done ? 431 : SOUP_STATUS_REQUEST_URI_TOO_LONG;
      if (*status == 0 && b == '\n' && c->head_line_done &&
          ((len >= 2 && c->head->data[len - 2] == '\n') ||
           (len >= 3 && c->head->data[len - 2] == '\r' && c->head->data[len - 3] == '\n')))
        {
          *status = conn_inspect_head (c, body);
          conn_reset_head (c);
          if (*status == 0)
            c->scan = c->body_left > 0 ? SCAN_BODY : c->upgrade ? SCAN_OFF : SCAN_HEAD;
        }
      if (*status != 0)
        {
          if (*status != SOUP_STATUS_BAD_REQUEST && *status != SOUP_STATUS_LENGTH_REQUIRED)
            *body = NULL;
          return head_here ? head_start : 0;
        }
    }
  return n;
}
