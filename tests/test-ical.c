/* test-ical.c — the iCalendar export: escaping, folding at 75 octets without
 * splitting a character, CRLF, all-day events of the bills still owed and the
 * follow-ups not done, stable UIDs
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-ical.h"

static void sql_exec (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
sql_exec (BbDb       *db,
          const char *format,
          ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
test_escape (void)
{
  g_autofree char *escaped = bb_ical_escape_text ("a,b;c\\d\r\ne\nf\rg\001h\ti 王");

  g_assert_cmpstr (escaped, ==, "a\\,b\\;c\\\\d\\ne\\nf\\ngh\ti 王");
}

/* Every physical line of @text: ends with CRLF, at most 75 octets, valid
 * UTF-8 on its own. Returns the logical lines, unfolded. */
static GStrv
check_lines (const char *text)
{
  g_autoptr(GStrvBuilder) logical = g_strv_builder_new ();
  g_autoptr(GString) current = NULL;
  const char *p = text;

  g_assert_true (g_str_has_suffix (text, "\r\n"));
  while (*p != '\0')
    {
      const char *end = strstr (p, "\r\n");
      g_autofree char *line = NULL;

      g_assert_nonnull (end);
      line = g_strndup (p, end - p);
      g_assert_null (strchr (line, '\n'));
      g_assert_null (strchr (line, '\r'));
      g_assert_cmpuint (strlen (line), <=, BB_ICAL_LINE_OCTETS);
      g_assert_true (g_utf8_validate (line, -1, NULL));

      if (line[0] == ' ')
        {
          g_assert_nonnull (current);
          g_string_append (current, line + 1);
        }
      else
        {
          if (current != NULL)
            {
              g_strv_builder_add (logical, current->str);
              g_string_free (current, TRUE);
            }
          current = g_string_new (line);
        }
      p = end + 2;
    }
  if (current != NULL)
    g_strv_builder_add (logical, current->str);

  return g_strv_builder_end (logical);
}

static void
test_fold (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) long_line = g_string_new ("SUMMARY:");
  g_auto(GStrv) lines = NULL;

  bb_ical_append_line (out, "VERSION:2.0");
  g_assert_cmpstr (out->str, ==, "VERSION:2.0\r\n");
  g_string_truncate (out, 0);

  /* Exactly 75 octets: not folded; 76: folded after 75. */
  {
    g_autofree char *s75 = g_strnfill (75, 'a');
    g_autofree char *s76 = g_strnfill (76, 'b');

    bb_ical_append_line (out, s75);
    g_assert_cmpuint (out->len, ==, 77);
    g_string_truncate (out, 0);
    bb_ical_append_line (out, s76);
    g_assert_cmpuint (out->len, ==, 75 + 2 + 1 + 1 + 2);
    g_assert_true (g_str_has_prefix (out->str + 75, "\r\n b\r\n"));
    g_string_truncate (out, 0);
  }

  /* Chinese, three octets a character: never split. */
  for (int i = 0; i < 100; i++)
    g_string_append (long_line, "账单");
  bb_ical_append_line (out, long_line->str);
  lines = check_lines (out->str);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpstr (lines[0], ==, long_line->str);
}

static gint64
add_customer (BbDb       *db,
              const char *code,
              const char *name,
              const char *phone)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->phone);
  c->phone = g_strdup (phone);
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static gint64
add_bill (BbDb       *db,
          gint64      customer,
          const char *number,
          const char *status,
          const char *due_on,
          BbMoney     total,
          BbMoney     open)
{
  sql_exec (db,
            "INSERT INTO invoices (number, customer_id, status, issued_on, due_on, currency, "
            "  subtotal, total, paid, open_balance, void_reason, created_at, updated_at) "
            "VALUES ('%s', %" G_GINT64_FORMAT ", '%s', '2024-01-01', '%s', 'CNY', "
            "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", "
            "  %s, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            number, customer, status, due_on, total, total, total - open, open,
            g_str_equal (status, "void") ? "'wrong'" : "NULL");

  return sqlite3_last_insert_rowid (_bb_db_get_handle (db));
}

static char *
export (BbDb      *db,
        GDateTime *stamp)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_ical_export (db, out, stamp, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

static guint
count (GStrv       lines,
       const char *line)
{
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (lines[i], line))
      n++;
  return n;
}

static void
test_export (void)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-ical-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "book.db", NULL);
  g_autoptr(BbDb) db = bb_db_open (path, &error);
  g_autoptr(GDateTime) stamp = g_date_time_new_utc (2024, 3, 1, 4, 0, 0);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *book_id = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 wang, zhang, leap;

  g_assert_no_error (error);
  wang = add_customer (db, "C1", "王小明", "138 0013 8000");
  zhang = add_customer (db, "C2", "Zhang, Wei; \\ Ltd", "");

  leap = add_bill (db, wang, "INV-0001", "issued", "2024-02-29", 120050, 100000);
  add_bill (db, zhang, "INV-0002", "issued", "2024-12-31", 5000, 5000);
  add_bill (db, wang, "INV-0003", "issued", "2024-03-05", 5000, 0);        /* paid */
  add_bill (db, wang, "INV-0004", "void", "2024-03-05", 5000, 5000);       /* void */
  sql_exec (db,
            "INSERT INTO interactions (customer_id, occurred_on, channel, kind, summary, outcome, "
            "  follow_up_on, follow_up_done, created_at) VALUES "
            "(%" G_GINT64_FORMAT ", '2024-02-20', 'phone', 'follow_up', '回电话：确认订单', "
            " 'Asked for a quote,\nwill call back', '2024-03-02', 0, '2024-02-20T00:00:00Z'), "
            "(%" G_GINT64_FORMAT ", '2024-02-20', 'phone', 'follow_up', 'Done already', '', "
            " '2024-03-03', 1, '2024-02-20T00:00:00Z')",
            wang, zhang);

  text = export (db, stamp);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
  g_assert_true (g_str_has_suffix (text, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
  lines = check_lines (text);

  /* Two bills still owed and one follow-up not done. */
  g_assert_cmpuint (count (lines, "BEGIN:VEVENT"), ==, 3);
  g_assert_cmpuint (count (lines, "END:VEVENT"), ==, 3);
  g_assert_cmpuint (count (lines, "DTSTAMP:20240301T040000Z"), ==, 3);
  g_assert_cmpuint (count (lines, "TRANSP:TRANSPARENT"), ==, 3);

  /* All day on a leap day, to the next day. */
  g_assert_cmpuint (count (lines, "DTSTART;VALUE=DATE:20240229"), ==, 1);
  g_assert_cmpuint (count (lines, "DTEND;VALUE=DATE:20240301"), ==, 1);
  g_assert_cmpuint (count (lines, "DTSTART;VALUE=DATE:20241231"), ==, 1);
  g_assert_cmpuint (count (lines, "DTEND;VALUE=DATE:20250101"), ==, 1);
  g_assert_cmpuint (count (lines, "DTSTART;VALUE=DATE:20240302"), ==, 1);

  /* Who, what and how much; escaped. */
  g_assert_cmpuint (count (lines, "SUMMARY:Bill INV-0001 due: 王小明\\, ¥1\\,000.00"), ==, 1);
  g_assert_cmpuint (count (lines, "DESCRIPTION:Customer: 王小明 (C1)\\nStill owed: ¥1\\,000.00 of ¥1\\,200.50\\n"
                                  "Phone: 138 0013 8000"), ==, 1);
  g_assert_cmpuint (count (lines, "SUMMARY:Bill INV-0002 due: Zhang\\, Wei\\; \\\\ Ltd\\, ¥50.00"), ==, 1);
  g_assert_cmpuint (count (lines, "SUMMARY:Follow up with 王小明: 回电话：确认订单"), ==, 1);
  g_assert_cmpuint (count (lines, "DESCRIPTION:Customer: 王小明 (C1)\\nPhone: 138 0013 8000\\n"
                                  "Asked for a quote\\,\\nwill call back"), ==, 1);
  g_assert_null (strstr (text, "INV-0003"));
  g_assert_null (strstr (text, "INV-0004"));
  g_assert_null (strstr (text, "Done already"));

  /* UIDs name the row and the book, and stay the same. */
  book_id = bb_db_get_setting (db, "calendar.book_id");
  g_assert_nonnull (book_id);
  uid = g_strdup_printf ("UID:bill-%" G_GINT64_FORMAT "@%s.billbook", leap, book_id);
  g_assert_cmpuint (count (lines, uid), ==, 1);
  again = export (db, stamp);
  g_assert_cmpstr (again, ==, text);

  g_clear_object (&db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ical/escape", test_escape);
  g_test_add_func ("/ical/fold", test_fold);
  g_test_add_func ("/ical/export", test_export);

  return g_test_run ();
}
