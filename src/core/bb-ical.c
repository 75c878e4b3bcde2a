/* bb-ical.c — iCalendar (RFC 5545) export of bills' due dates and follow-ups
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One all-day event (VALUE=DATE) per bill still owed — issued, not a
 * credit note, with money open — on its due date, and one per follow-up
 * not done on its date, so they show in a calendar app. UTF-8, CRLF line
 * ends, lines folded at 75 octets without splitting a character, text
 * escaped (\\ ; , and new lines). An event's UID is stable — the kind,
 * the row's id and the book's own id (made once, kept in settings) — so
 * a calendar that imports the file again updates the events instead of
 * doubling them.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-db-private.h"
#include "bb-ical.h"
#include "bb-io-task-private.h"

#define BOOK_ID_SETTING "calendar.book_id"

/**
 * bb_ical_escape_text:
 * @text: a value of type TEXT
 *
 * Returns: (transfer full): @text escaped as RFC 5545, 3.3.11 says:
 *   backslash, semicolon and comma with a backslash, a line end (CRLF, LF
 *   or CR) as "\n"; other control characters but tab are left out
 */
char *
bb_ical_escape_text (const char *text)
{
  GString *out = g_string_sized_new (text ? strlen (text) + 8 : 0);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ';':
          g_string_append (out, "\\;");
          break;
        case ',':
          g_string_append (out, "\\,");
          break;
        case '\r':
          if (p[1] == '\n')
            p++;
          G_GNUC_FALLTHROUGH;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          if ((guchar) *p >= 0x20 || *p == '\t')
            g_string_append_c (out, *p);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * bb_ical_append_line:
 * @out: the file so far
 * @line: a content line, without its line end; valid UTF-8
 *
 * Appends @line folded at %BB_ICAL_LINE_OCTETS octets (a continuation
 * starts with a space, which counts), never inside a character, and
 * ended with CRLF.
 */
void
bb_ical_append_line (GString    *out,
                     const char *line)
{
  const char *p = line;
  gsize room = BB_ICAL_LINE_OCTETS;

  while (*p != '\0')
    {
      const char *end = p;

      /* As many whole characters as fit. */
      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if ((gsize) (next - p) > room)
            break;
          end = next;
        }
      if (end == p)
        end = g_utf8_next_char (p);

      if (p != line)
        g_string_append (out, "\r\n ");
      g_string_append_len (out, p, end - p);
      p = end;
      room = BB_ICAL_LINE_OCTETS - 1;
    }

  g_string_append (out, "\r\n");
}

/* NAME:VALUE with VALUE escaped as TEXT. */
static void
append_text (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = bb_ical_escape_text (value);
  g_autofree char *line = g_strconcat (name, ":", escaped, NULL);

  bb_ical_append_line (out, line);
}

/* "2026-03-01" → "20260301", and the day after as the all-day event's
 * end (DTEND is not part of the event). */
static gboolean
ical_dates (const char *iso,
            char        start[9],
            char        end[9])
{
  GDate date;
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  g_snprintf (start, 9, "%04d%02d%02d", y, m, d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_days (&date, 1);
  g_snprintf (end, 9, "%04d%02d%02d", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
  return TRUE;
}

static void
append_event (GString    *out,
              const char *uid,
              const char *stamp,
              const char *date,
              const char *summary,
              const char *description,
              const char *category)
{
  char start[9], end[9];
  g_autofree char *line = NULL;

  if (!ical_dates (date, start, end))
    return;

  bb_ical_append_line (out, "BEGIN:VEVENT");
  line = g_strconcat ("UID:", uid, NULL);
  bb_ical_append_line (out, line);
  g_free (line);
  line = g_strconcat ("DTSTAMP:", stamp, NULL);
  bb_ical_append_line (out, line);
  g_free (line);
  line = g_strconcat ("DTSTART;VALUE=DATE:", start, NULL);
  bb_ical_append_line (out, line);
  g_free (line);
  line = g_strconcat ("DTEND;VALUE=DATE:", end, NULL);
  bb_ical_append_line (out, line);
  append_text (out, "SUMMARY", summary);
  if (description != NULL && *description != '\0')
    append_text (out, "DESCRIPTION", description);
  append_text (out, "CATEGORIES", category);
  bb_ical_append_line (out, "TRANSP:TRANSPARENT");
  bb_ical_append_line (out, "END:VEVENT");
}

/* The book's own id, for UIDs that two books never share. */
static char *
book_id (BbDb    *db,
         GError **error)
{
  char *id = bb_db_get_setting (db, BOOK_ID_SETTING);

  if (id != NULL && *id != '\0')
    return id;
  g_free (id);

  id = g_uuid_string_random ();
  if (!bb_db_set_setting (db, BOOK_ID_SETTING, id, error))
    {
      g_free (id);
      return NULL;
    }
  return id;
}

/* Writes @text when it has grown, so a big book is not held in memory. */
static gboolean
flush_some (GOutputStream  *out,
            GString        *text,
            gsize           at_least,
            GCancellable   *cancellable,
            GError        **error)
{
  if (text->len < at_least)
    return TRUE;
  if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (text, 0);
  return TRUE;
}

static gboolean
export_bills (BbDb          *db,
              GOutputStream *out,
              GString       *text,
              const char    *id,
              const char    *stamp,
              GCancellable  *cancellable,
              GError       **error)
{
  const BbCurrency *book_currency = bb_business_get_currency (db);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT i.id, i.number, i.due_on, i.open_balance, i.total, i.currency, "
                         "       c.code, c.name, c.phone "
                         "FROM invoices i JOIN customers c ON c.id = i.customer_id "
                         "WHERE i.status = 'issued' AND i.open_balance > 0 AND i.kind <> 'credit_note' "
                         "ORDER BY i.due_on, i.id",
                         error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const BbCurrency *currency = bb_currency_lookup ((const char *) sqlite3_column_text (stmt, 5));
      const char *number = (const char *) sqlite3_column_text (stmt, 1);
      const char *code = (const char *) sqlite3_column_text (stmt, 6);
      const char *name = (const char *) sqlite3_column_text (stmt, 7);
      const char *phone = (const char *) sqlite3_column_text (stmt, 8);
      g_autofree char *owed = NULL;
      g_autofree char *total = NULL;
      g_autofree char *uid = NULL;
      g_autofree char *summary = NULL;
      GString *description;

      if (currency == NULL)
        currency = book_currency;
      owed = bb_money_format (sqlite3_column_int64 (stmt, 3), currency);
      total = bb_money_format (sqlite3_column_int64 (stmt, 4), currency);
      uid = g_strdup_printf ("bill-%" G_GINT64_FORMAT "@%s.billbook", (gint64) sqlite3_column_int64 (stmt, 0), id);
      /* Translators: a calendar event: bill number, customer, amount still owed */
      summary = g_strdup_printf (_("Bill %s due: %s, %s"), number, name, owed);
      description = g_string_new (NULL);
      /* Translators: in a calendar event: customer name and code */
      g_string_append_printf (description, _("Customer: %s (%s)"), name, code);
      g_string_append_c (description, '\n');
      /* Translators: in a calendar event: amount still owed, bill total */
      g_string_append_printf (description, _("Still owed: %s of %s"), owed, total);
      if (phone != NULL && *phone != '\0')
        {
          g_string_append_c (description, '\n');
          g_string_append_printf (description, _("Phone: %s"), phone);
        }

      append_event (text, uid, stamp, (const char *) sqlite3_column_text (stmt, 2), summary,
                    description->str, _("Bills"));
      g_string_free (description, TRUE);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !flush_some (out, text, 64 * 1024, cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
export_follow_ups (BbDb          *db,
                   GOutputStream *out,
                   GString       *text,
                   const char    *id,
                   const char    *stamp,
                   GCancellable  *cancellable,
                   GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT n.id, n.follow_up_on, n.summary, n.outcome, c.code, c.name, c.phone "
                         "FROM interactions n JOIN customers c ON c.id = n.customer_id "
                         "WHERE n.follow_up_on IS NOT NULL AND n.follow_up_done = 0 "
                         "ORDER BY n.follow_up_on, n.id",
                         error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *what = (const char *) sqlite3_column_text (stmt, 2);
      const char *outcome = (const char *) sqlite3_column_text (stmt, 3);
      const char *code = (const char *) sqlite3_column_text (stmt, 4);
      const char *name = (const char *) sqlite3_column_text (stmt, 5);
      const char *phone = (const char *) sqlite3_column_text (stmt, 6);
      g_autofree char *uid = NULL;
      g_autofree char *summary = NULL;
      GString *description;

      uid = g_strdup_printf ("follow-up-%" G_GINT64_FORMAT "@%s.billbook", (gint64) sqlite3_column_int64 (stmt, 0), id);
      if (what != NULL && *what != '\0')
        /* Translators: a calendar event: customer, what to follow up */
        summary = g_strdup_printf (_("Follow up with %s: %s"), name, what);
      else
        /* Translators: a calendar event: customer */
        summary = g_strdup_printf (_("Follow up with %s"), name);
      description = g_string_new (NULL);
      g_string_append_printf (description, _("Customer: %s (%s)"), name, code);
      if (phone != NULL && *phone != '\0')
        {
          g_string_append_c (description, '\n');
          g_string_append_printf (description, _("Phone: %s"), phone);
        }
      if (outcome != NULL && *outcome != '\0')
        {
          g_string_append_c (description, '\n');
          g_string_append (description, outcome);
        }

      append_event (text, uid, stamp, (const char *) sqlite3_column_text (stmt, 1), summary,
                    description->str, _("Follow-ups"));
      g_string_free (description, TRUE);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !flush_some (out, text, 64 * 1024, cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/**
 * bb_ical_export:
 * @out: where to write the calendar
 * @stamp: the DTSTAMP of every event: when the file is made
 *
 * Writes the bills still owed (on their due dates) and the follow-ups
 * not done (on their dates) as an iCalendar file. Makes the book's
 * calendar id the first time (a setting); reads only otherwise.
 */
gboolean
bb_ical_export (BbDb           *db,
                GOutputStream  *out,
                GDateTime      *stamp,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GString) text = g_string_sized_new (64 * 1024 + 4096);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(BbBusiness) business = NULL;
  g_autofree char *stamp_text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  gboolean ok;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (stamp != NULL, FALSE);

  id = book_id (db, error);
  if (id == NULL)
    return FALSE;

  utc = g_date_time_to_utc (stamp);
  stamp_text = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  business = bb_business_load (db);
  name = business->name && *business->name
         /* Translators: the name of the calendar in a calendar app: the business name */
         ? g_strdup_printf (_("%s: bills and follow-ups"), business->name)
         : g_strdup (_("Billbook: bills and follow-ups"));

  bb_ical_append_line (text, "BEGIN:VCALENDAR");
  bb_ical_append_line (text, "VERSION:2.0");
  bb_ical_append_line (text, "PRODID:-//Billbook//Billbook " PACKAGE_VERSION "//EN");
  bb_ical_append_line (text, "CALSCALE:GREGORIAN");
  bb_ical_append_line (text, "METHOD:PUBLISH");
  append_text (text, "X-WR-CALNAME", name);

  /* One read transaction: both lists of the same book. */
  if (!_bb_db_exec (db, "SAVEPOINT bb_ical_read", error))
    return FALSE;
  ok = export_bills (db, out, text, id, stamp_text, cancellable, error) &&
       export_follow_ups (db, out, text, id, stamp_text, cancellable, error);
  _bb_db_exec (db, "RELEASE bb_ical_read", NULL);
  if (!ok)
    return FALSE;

  bb_ical_append_line (text, "END:VCALENDAR");

  return flush_some (out, text, 0, cancellable, error) &&
         g_output_stream_flush (out, cancellable, error);
}

static gboolean
export_now (BbDb           *db,
            GOutputStream  *out,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return bb_ical_export (db, out, now, cancellable, error);
}

/**
 * bb_ical_export_to_file:
 * @file: replaced whole once everything was written (mode 0600)
 *
 * bb_ical_export() now, into @file. On failure an existing @file is left
 * as it was.
 */
gboolean
bb_ical_export_to_file (BbDb          *db,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return _bb_export_to_file (db, export_now, file, cancellable, error);
}

/**
 * bb_ical_export_async:
 *
 * Runs bb_ical_export_to_file() in a thread with a connection of its own.
 */
void
bb_ical_export_async (BbDb                *db,
                      GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  _bb_export_async (db, export_now, bb_ical_export_async, "[billbook] export calendar",
                    file, cancellable, callback, user_data);
}

gboolean
bb_ical_export_finish (BbDb          *db,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_export_finish (db, result, bb_ical_export_async, error);
}
