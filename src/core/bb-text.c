/* bb-text.c — checks every text field and date goes through
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-db.h"
#include "bb-text.h"

/**
 * bb_text_validate:
 * @text: (nullable): the text as typed or read; %NULL counts as empty
 * @field: the field's name as the user sees it
 * @max_chars: the most characters the field may hold
 * @multiline: whether line breaks and tabs are allowed
 *
 * Refuses invalid UTF-8, control characters and overlong text with a
 * message that names @field.
 */
gboolean
bb_text_validate (const char  *text,
                  const char  *field,
                  gsize        max_chars,
                  gboolean     multiline,
                  GError     **error)
{
  const char *p;
  gsize n_chars = 0;

  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: the text is not valid UTF-8"), field);
      return FALSE;
    }

  for (p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++n_chars > max_chars)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "%s: longer than %u character",
                                    "%s: longer than %u characters",
                                    max_chars),
                       field, (guint) max_chars);
          return FALSE;
        }

      if (multiline && (c == '\n' || c == '\t' || c == '\r'))
        continue;

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: contains a control character (U+%04X)"), field, c);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_space (const char *p)
{
  gunichar c = g_utf8_get_char (p);

  return g_unichar_isspace (c) || (c < 0x80 && g_ascii_isspace ((char) c));
}

/* Strips white space at both ends, including the ideographic space a
 * Chinese input method types (U+3000) and the no-break space pasted from
 * web pages (U+00A0). */
char *
bb_text_strip (const char *text)
{
  const char *start;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  /* Invalid text is stripped of ASCII spaces only; validation refuses it. */
  if (!g_utf8_validate (text, -1, NULL))
    return g_strstrip (g_strdup (text));

  for (start = text; *start && is_space (start); start = g_utf8_next_char (start))
    ;

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_space (prev))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

/* Digits, spaces and + - ( ) . /, with at least three digits. */
gboolean
bb_text_is_phone (const char *text)
{
  guint digits = 0;

  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!strchr (" +-().", *p))
        return FALSE;
    }

  return digits >= 3 && digits <= 20;
}

char *
bb_text_phone_digits (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

/* A pragmatic check: one @, something before it, a dotted domain after
 * it, no spaces. Mail servers decide the rest. */
gboolean
bb_text_is_email (const char *text)
{
  const char *at;
  const char *dot;

  if (text == NULL || *text == '\0' || strchr (text, ' ') || strlen (text) > 254)
    return FALSE;

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@'))
    return FALSE;

  dot = strrchr (at + 1, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0')
    return FALSE;

  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x21 || strchr ("<>()[]\\,;:\"", *p))
      return FALSE;

  return TRUE;
}

/**
 * bb_date_parse:
 *
 * Parses an ISO 8601 calendar date, YYYY-MM-DD, and refuses dates that
 * do not exist (2026-02-30) or lie outside 1900–2199.
 */
/* How much of the user's text an error message quotes. */
#define MAX_QUOTED_CHARS 40

/**
 * bb_text_quote:
 *
 * The user's text as an error message quotes it: always valid UTF-8,
 * control characters shown as U+FFFD, outer blanks trimmed, and long
 * text (a 10 MB paste) shortened to its first 40 characters and "…".
 */
char *
bb_text_quote (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = g_strstrip (valid); *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == MAX_QUOTED_CHARS)
        {
          g_string_append (out, "…");
          break;
        }

      if (g_unichar_iscntrl (c))
        c = 0xFFFD;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
bb_date_parse (const char  *text,
               const char  *field,
               GDate       *out,
               GError     **error)
{
  guint year, month, day;
  g_autofree char *stripped = bb_text_strip (text);
  g_autofree char *quoted = bb_text_quote (text);

  if (strlen (stripped) != 10 ||
      !g_ascii_isdigit (stripped[0]) || !g_ascii_isdigit (stripped[1]) ||
      !g_ascii_isdigit (stripped[2]) || !g_ascii_isdigit (stripped[3]) ||
      stripped[4] != '-' ||
      !g_ascii_isdigit (stripped[5]) || !g_ascii_isdigit (stripped[6]) ||
      stripped[7] != '-' ||
      !g_ascii_isdigit (stripped[8]) || !g_ascii_isdigit (stripped[9]))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: “%s” is not a date; write it as YYYY-MM-DD"),
                   field, quoted);
      return FALSE;
    }

  year = (guint) g_ascii_strtoull (stripped, NULL, 10);
  month = (guint) g_ascii_strtoull (stripped + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (stripped + 8, NULL, 10);

  if (year < 1900 || year > 2199 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s does not exist"), field, quoted);
      return FALSE;
    }

  if (out)
    g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);

  return TRUE;
}

char *
bb_date_to_iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

void
bb_date_set_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}
