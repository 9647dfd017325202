/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-letter"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-reply-letter.h"

/* What the applicant receives for a reply: a heading that names their
 * appeal by its number and date, then the text. The heading is in the
 * reply's language, not in the language of whoever writes it, so it is
 * content rather than interface text; the desk's preview and, later, the
 * channels' delivery read it from here. */

/**
 * sa_reply_letter_heading:
 * @language: the reply's language, "ru" or "kk" (anything else reads as "ru")
 * @reg_number: the appeal's registration number
 * @received_at: when the appeal was received, unix seconds
 *
 * Returns: (transfer full): e.g. "Ответ на обращение № ALA-2026-000123 от 20.11.2026"
 */
char *
sa_reply_letter_heading (const char *language,
                         const char *reg_number,
                         gint64      received_at)
{
  GTimeZone *zone = sa_appeal_time_zone ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (received_at);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
  g_autofree char *date = local != NULL ? g_date_time_format (local, "%d.%m.%Y") : g_strdup ("");

  g_return_val_if_fail (reg_number != NULL, NULL);

  if (g_strcmp0 (language, "kk") == 0)
    return g_strdup_printf ("%s ж. № %s өтінішке жауап", date, reg_number);
  return g_strdup_printf ("Ответ на обращение № %s от %s", reg_number, date);
}

/**
 * sa_reply_letter_files_heading:
 * @language: the reply's language, "ru" or "kk" (anything else reads as "ru")
 *
 * Returns: the line above the files the applicant receives with the
 *   reply, in the reply's language: "Приложения:" or "Қосымшалар:"
 */
const char *
sa_reply_letter_files_heading (const char *language)
{
  return g_strcmp0 (language, "kk") == 0 ? "Қосымшалар:" : "Приложения:";
}

/**
 * sa_reply_letter_format:
 * @language: the reply's language
 * @reg_number: the appeal's registration number
 * @received_at: when the appeal was received, unix seconds
 * @text: the reply's text
 *
 * Returns: (transfer full): the heading, an empty line and @text, exactly
 *   as the applicant reads them
 */
char *
sa_reply_letter_format (const char *language,
                        const char *reg_number,
                        gint64      received_at,
                        const char *text)
{
  g_autofree char *heading = sa_reply_letter_heading (language, reg_number, received_at);

  g_return_val_if_fail (text != NULL, NULL);
  return g_strconcat (heading, "\n\n", text, NULL);
}
