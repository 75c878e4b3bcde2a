/* bb-cli-bench.c — billbook-cli bench [--queries N] [--seed S] [--markdown]
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times, on the current book, what the window does when it is used:
 * a keystroke in the customer search, opening a customer, scrolling the
 * bill list, the reports and a bill's PDF. Each operation goes through
 * the same core calls as the window (BbCustomerList and BbInvoiceList,
 * the detail pane's queries, bb-reports, bb-invoice-pdf), and beside its
 * wall time stands the floor: the time SQLite itself takes to run the
 * queries the operation ran. Their ratio is the cost of everything
 * that is not SQLite (building row objects, the list model, layout).
 *
 * The floor is the same statements alone: sqlite3_trace_v2() on the
 * book's own handle, taken with _bb_db_get_handle() from
 * bb-db-private.h, notes each query an operation runs with its bound
 * values (sqlite3_expanded_sql()); after the operation's wall time is
 * taken, each is prepared again and stepped to its end with nothing done
 * with its rows, and those steps are timed on CLOCK_MONOTONIC. So the
 * floor leaves out what the caller does with each row (row objects,
 * sorting, layout), which can be much of an operation that gives
 * thousands of rows. Nothing outside core should touch the handle; a
 * benchmark that must see inside the calls it times is the one
 * exception, and it only watches and reads. SQLite's own profile
 * figures (SQLITE_TRACE_PROFILE; they tick in whole milliseconds on
 * Linux) are summed too and printed below the table as a check.
 *
 * A few untimed statements choose what to time (the customer with the
 * most bills, the bill with the most lines) and count the book's rows
 * for the heading. They are the bench's own, run through the same
 * private handle; the window never needs them.
 *
 * No test asserts a timing: this prints figures, tests/bench/run
 * collects them with the window's into one table, and
 * tests/bench/RESULTS.md keeps the last run.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-customer-list.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoice-list.h"
#include "bb-invoice-pdf.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-reminder-list.h"
#include "bb-reminders.h"
#include "bb-reports.h"
#include "bb-text.h"

#define DEFAULT_QUERIES       200
#define DEFAULT_SEED          1
#define OPEN_CUSTOMER_RUNS    20
#define BILL_PAGE_RUNS        50
#define REPORT_RUNS           5
#define PDF_RUNS              5
/* The slowest search keystrokes named below the table. */
#define SLOWEST_SHOWN         8
/* As BbCustomerDetail shows (HISTORY_ROWS in bb-customer-detail.c). */
#define DETAIL_HISTORY_ROWS   20
/* The Reminders page's first screen: the rows a list shows until it is
 * painted (bb_first_rows_model_new()). */
#define REMINDER_ROWS_SHOWN   24
/* Rows per page of BbPagedList (PAGE_SIZE in bb-paged-list.c). */
#define LIST_PAGE_SIZE        64

#define NS_PER_MS 1000000.0

/* ---- Watching SQLite ------------------------------------------------ */

typedef struct
{
  GHashTable *running;        /* sqlite3_stmt * that began and did not finish */
  GPtrArray  *queries;        /* char *: the expanded SQL of each query of the run */
  sqlite3    *handle;
  const char *cold_path;      /* if set, replay on a connection to it opened for the purpose */
  gint64      sqlite_ns;      /* SQLite's own profile figures, summed */
  guint       n_statements;
} Tracer;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
trace_callback (unsigned int  type,
                void         *context,
                void         *p,
                void         *x)
{
  Tracer *tracer = context;

  if (type == SQLITE_TRACE_STMT)
    {
      /* Also called for each trigger a statement fires, with the
       * trigger's name as "-- …": note the statement once. */
      if (!g_hash_table_contains (tracer->running, p) && !g_str_has_prefix (x, "--"))
        {
          g_hash_table_add (tracer->running, p);
          /* Queries only: not savepoints, not writes. */
          if (sqlite3_stmt_readonly (p) && sqlite3_column_count (p) > 0)
            {
              char *sql = sqlite3_expanded_sql (p);

              if (sql != NULL)
                g_ptr_array_add (tracer->queries, g_strdup (sql));
              sqlite3_free (sql);
            }
        }
    }
  else if (type == SQLITE_TRACE_PROFILE)
    {
      tracer->sqlite_ns += *(sqlite3_int64 *) x;
      tracer->n_statements++;
      g_hash_table_remove (tracer->running, p);
    }

  return 0;
}

/* The time SQLite takes to run the queries of a run again, each alone,
 * to its last row: on the traced connection, or for an operation that
 * opens its own, on a new one. Tracing is off meanwhile. */
static gint64
replay_queries (Tracer *tracer)
{
  sqlite3 *cold = NULL;
  sqlite3 *handle = tracer->handle;
  gint64 total = 0;

  sqlite3_trace_v2 (tracer->handle, 0, NULL, NULL);
  if (tracer->cold_path != NULL)
    {
      if (sqlite3_open_v2 (tracer->cold_path, &cold, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        g_printerr ("bench: %s\n", sqlite3_errmsg (cold));
      handle = cold;
    }
  for (guint i = 0; i < tracer->queries->len; i++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 started;

      if (sqlite3_prepare_v2 (handle, g_ptr_array_index (tracer->queries, i), -1, &stmt, NULL) != SQLITE_OK)
        {
          g_printerr ("bench: %s\n", sqlite3_errmsg (handle));
          continue;
        }
      started = now_ns ();
      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      total += now_ns () - started;
      sqlite3_finalize (stmt);
    }
  sqlite3_close (cold);
  sqlite3_trace_v2 (tracer->handle, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, trace_callback, tracer);

  return total;
}

/* ---- Samples -------------------------------------------------------- */

typedef struct
{
  Tracer *tracer;
  GArray *wall;               /* gint64 ns, one per run */
  GArray *floor;
  gint64  started;
} Samples;

static void
samples_init (Samples *s,
              Tracer  *tracer)
{
  s->tracer = tracer;
  s->wall = g_array_new (FALSE, FALSE, sizeof (gint64));
  s->floor = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
samples_clear (Samples *s)
{
  g_clear_pointer (&s->wall, g_array_unref);
  g_clear_pointer (&s->floor, g_array_unref);
}

static void
run_begin (Samples *s)
{
  g_hash_table_remove_all (s->tracer->running);
  g_ptr_array_set_size (s->tracer->queries, 0);
  s->started = now_ns ();
}

static void
run_end (Samples *s)
{
  gint64 wall = now_ns () - s->started;
  gint64 floor_ns;

  g_hash_table_remove_all (s->tracer->running);
  floor_ns = replay_queries (s->tracer);

  g_array_append_val (s->wall, wall);
  g_array_append_val (s->floor, floor_ns);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value at least @p of the runs do not exceed. */
static double
percentile_ms (GArray *values,
               double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint rank;

  if (values->len == 0)
    return NAN;

  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_gint64);
  rank = (guint) ceil (p * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);

  return g_array_index (sorted, gint64, rank - 1) / NS_PER_MS;
}

/* ---- The table ------------------------------------------------------ */

typedef struct
{
  char    *operation;
  guint    runs;              /* 0: not measured */
  double   wall_p50, wall_p95;
  double   floor_p50, floor_p95;
  double   target_ms;         /* 0: none */
  char    *note;              /* instead of figures, when not measured */
} Row;

static void
row_free (Row *row)
{
  g_free (row->operation);
  g_free (row->note);
  g_free (row);
}

static Row *
row_from_samples (const char *operation,
                  Samples    *s,
                  double      target_ms)
{
  Row *row = g_new0 (Row, 1);

  row->operation = g_strdup (operation);
  row->runs = s->wall->len;
  row->wall_p50 = percentile_ms (s->wall, 0.50);
  row->wall_p95 = percentile_ms (s->wall, 0.95);
  row->floor_p50 = percentile_ms (s->floor, 0.50);
  row->floor_p95 = percentile_ms (s->floor, 0.95);
  row->target_ms = target_ms;

  return row;
}

/* Columns on a terminal: East Asian wide characters take two. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  return width;
}

static char *
format_ms (double ms)
{
  if (isnan (ms))
    return g_strdup ("—");
  if (ms < 10)
    return g_strdup_printf ("%.2f ms", ms);
  if (ms < 100)
    return g_strdup_printf ("%.1f ms", ms);
  return g_strdup_printf ("%.0f ms", ms);
}

/* The cells of one row, in column order; NULL-terminated. */
static GStrv
row_cells (const Row *row)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add (b, row->operation);
  if (row->runs == 0)
    {
      g_strv_builder_add (b, "—");
      for (guint i = 0; i < 5; i++)
        g_strv_builder_add (b, i == 0 ? row->note : "");
    }
  else
    {
      g_autofree char *runs = g_strdup_printf ("%u", row->runs);
      g_autofree char *w50 = format_ms (row->wall_p50);
      g_autofree char *w95 = format_ms (row->wall_p95);
      g_autofree char *f50 = format_ms (row->floor_p50);
      g_autofree char *f95 = format_ms (row->floor_p95);
      g_autofree char *ratio = row->floor_p50 > 0
                               ? g_strdup_printf ("%.2f", row->wall_p50 / row->floor_p50)
                               : g_strdup ("—");

      g_strv_builder_add (b, runs);
      g_strv_builder_add (b, w50);
      g_strv_builder_add (b, w95);
      g_strv_builder_add (b, f50);
      g_strv_builder_add (b, f95);
      g_strv_builder_add (b, ratio);
    }

  if (row->target_ms > 0)
    {
      g_autofree char *target = g_strdup_printf ("< %g ms", row->target_ms);

      g_strv_builder_add (b, target);
      if (row->runs == 0)
        g_strv_builder_add (b, "—");
      else
        /* TRANSLATORS: whether the time met its target */
        g_strv_builder_add (b, row->wall_p95 < row->target_ms ? _("met") : _("not met"));
    }
  else
    {
      g_strv_builder_add (b, "—");
      g_strv_builder_add (b, "—");
    }

  return g_strv_builder_end (b);
}

static void
print_table (GPtrArray *rows,
             gboolean   markdown)
{
  const char *headings[] = {
    _("operation"), _("runs"), _("wall p50"), _("wall p95"),
    _("floor p50"), _("floor p95"), _("wall/floor"), _("target (p95)"), _("result"), NULL
  };
  const guint n_columns = g_strv_length ((GStrv) headings);
  g_autofree guint *widths = g_new0 (guint, n_columns);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (cells, row_cells (g_ptr_array_index (rows, i)));

  for (guint c = 0; c < n_columns; c++)
    {
      widths[c] = display_width (headings[c]);
      for (guint i = 0; i < cells->len; i++)
        widths[c] = MAX (widths[c], display_width (((GStrv) g_ptr_array_index (cells, i))[c]));
    }

  if (markdown)
    {
      g_autoptr(GString) line = g_string_new ("|");

      for (guint c = 0; c < n_columns; c++)
        g_string_append_printf (line, " %s |", headings[c]);
      g_print ("%s\n|", line->str);
      for (guint c = 0; c < n_columns; c++)
        g_print (c == 0 ? " --- |" : " ---: |");
      g_print ("\n");

      for (guint i = 0; i < cells->len; i++)
        {
          GStrv row = g_ptr_array_index (cells, i);

          g_string_assign (line, "|");
          for (guint c = 0; c < n_columns; c++)
            g_string_append_printf (line, " %s |", row[c]);
          g_print ("%s\n", line->str);
        }
      return;
    }

  for (guint i = 0; i <= cells->len; i++)
    {
      const char * const *row = i == 0 ? headings : (const char * const *) g_ptr_array_index (cells, i - 1);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          guint pad = widths[c] - display_width (row[c]);

          if (c > 0)
            g_string_append (line, "  ");
          /* The operation left-aligned, figures right-aligned. */
          if (c == 0)
            {
              g_string_append (line, row[c]);
              if (c + 1 < n_columns)
                for (guint k = 0; k < pad; k++)
                  g_string_append_c (line, ' ');
            }
          else
            {
              for (guint k = 0; k < pad; k++)
                g_string_append_c (line, ' ');
              g_string_append (line, row[c]);
            }
        }
      g_print ("%s\n", line->str);
    }
}

/* ---- Choosing what to time (untimed) --------------------------------- */

static gint64
query_int64 (BbDb       *db,
             const char *sql,
             gint64     *second)
{
  sqlite3_stmt *stmt = _bb_db_prepare (db, sql, NULL);
  gint64 value = -1;

  if (stmt == NULL)
    return -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      value = sqlite3_column_int64 (stmt, 0);
      if (second)
        *second = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  return value;
}

static gboolean
has_wide (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    if (g_unichar_iswide (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* The first @n characters of @text. */
static char *
utf8_head (const char *text,
           glong       n)
{
  return g_utf8_substring (text, 0, MIN (n, g_utf8_strlen (text, -1)));
}

/* What someone looking for @c might type, chosen by @kind: a Chinese
 * name, a given name without the family name (小明 of 王小明), a family
 * name, the start or the end of a mobile number, a customer code, the
 * start of a company's name. NULL when @c has nothing of that kind. */
static char *
typed_text (BbCustomer *c,
            guint       kind,
            GRand      *rand)
{
  switch (kind)
    {
    case 0:   /* the name as written */
      if (has_wide (c->name))
        return utf8_head (c->name, 3);
      {
        g_auto(GStrv) words = g_strsplit (c->name, " ", 2);

        return utf8_head (words[0], 5);
      }

    case 1:   /* 小明 of 王小明; "Anderson" of "Lisa Anderson" */
      if (has_wide (c->name))
        return g_utf8_strlen (c->name, -1) >= 3 ? g_utf8_substring (c->name, 1, 3)
                                                 : g_utf8_substring (c->name, 1, 2);
      {
        const char *space = strrchr (c->name, ' ');

        return space ? utf8_head (space + 1, 5) : NULL;
      }

    case 2:   /* a mobile number: its start or its last four digits */
      {
        g_autofree char *digits = bb_text_phone_digits (c->phone);
        gsize len = strlen (digits);

        if (len < 8)
          return NULL;
        if (g_rand_boolean (rand))
          return g_strndup (digits, 7);
        return g_strdup (digits + len - 4);
      }

    case 3:   /* the code as written: c000123 */
      return g_ascii_strdown (c->code, -1);

    case 4:   /* a company */
      if (c->company == NULL || *c->company == '\0')
        return NULL;
      return has_wide (c->company) ? utf8_head (c->company, 4) : utf8_head (c->company, 6);
    }

  return NULL;
}

/* @n search texts as they are typed, one a keystroke: 王, 王小, 王小明,
 * then the next customer's. Reproducible for a book and a seed. */
static GPtrArray *
make_search_texts (BbDb    *db,
                   guint    n,
                   guint64  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  gint64 max_id = query_int64 (db, "SELECT max(id) FROM customers", NULL);
  guint kind = 0;
  guint tries = 0;

  if (max_id <= 0)
    return texts;

  while (texts->len < n && tries++ < n * 20)
    {
      g_autoptr(BbCustomer) c = bb_customers_get (db, g_rand_int_range (rand, 1, (gint32) MIN (max_id, G_MAXINT32 - 1) + 1), NULL);
      g_autofree char *typed = NULL;
      glong length;

      if (c == NULL || c->archived)
        continue;

      typed = typed_text (c, kind++ % 5, rand);
      if (typed == NULL || *typed == '\0')
        continue;

      length = g_utf8_strlen (typed, -1);
      for (glong i = 1; i <= length && texts->len < n; i++)
        g_ptr_array_add (texts, utf8_head (typed, i));
    }

  return texts;
}

/* "小明 23.1 ms (floor 22.9), …": the @n slowest of @texts. */
static char *
slowest_texts (GPtrArray *texts,
               GArray    *wall,
               GArray    *floor,
               guint      n)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint *order = g_new (guint, texts->len);

  for (guint i = 0; i < texts->len; i++)
    order[i] = i;
  /* A few of two hundred: picking them one by one is enough. */
  for (guint k = 0; k < n && k < texts->len; k++)
    {
      guint best = k;

      for (guint i = k + 1; i < texts->len; i++)
        if (g_array_index (wall, gint64, order[i]) > g_array_index (wall, gint64, order[best]))
          best = i;
      if (best != k)
        {
          guint t = order[k];

          order[k] = order[best];
          order[best] = t;
        }
      if (k > 0)
        g_string_append (out, ", ");
      /* TRANSLATORS: one search text and its time, e.g. “c0” 23.1 ms (floor 22.9) */
      g_string_append_printf (out, _("“%s” %.1f ms (floor %.1f)"),
                              (const char *) g_ptr_array_index (texts, order[k]),
                              g_array_index (wall, gint64, order[k]) / NS_PER_MS,
                              g_array_index (floor, gint64, order[k]) / NS_PER_MS);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- What the window does ------------------------------------------- */

/* BbCustomerDetail's reload(): the customer, the book's currency and
 * custom fields, the interaction log, the newest bills and payments. */
static void
open_customer (BbDb   *db,
               gint64  id)
{
  g_autoptr(BbCustomer) customer = bb_customers_get (db, id, NULL);
  g_auto(GStrv) fields = NULL;
  g_autoptr(GPtrArray) interactions = NULL;
  g_autoptr(GPtrArray) bills = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  if (customer == NULL)
    return;

  (void) bb_business_get_currency (db);
  fields = bb_customer_fields_list (db);
  interactions = bb_interactions_list (db, customer->id, NULL);
  bills = bb_customers_list_invoices (db, customer->id, DETAIL_HISTORY_ROWS, NULL);
  payments = bb_payments_list_for_customer (db, customer->id, 0, DETAIL_HISTORY_ROWS, NULL);
}

/* A keystroke in the Customers page's search: the list's query changes
 * (one count), the view asks for the first rows (one page). With
 * @open_first, also what autoselect then does: the first match opens
 * in the detail pane. */
static void
search_keystroke (BbCustomerList *list,
                  const char     *text,
                  gboolean        open_first)
{
  BbCustomerQuery query = { 0 };
  g_autoptr(BbCustomer) first = NULL;

  query.text = (char *) text;
  query.sort = BB_CUSTOMER_SORT_NAME;
  bb_customer_list_set_query (list, &query);

  if (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
    first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  if (open_first && first != NULL)
    open_customer (bb_paged_list_get_database (BB_PAGED_LIST (list)), first->id);
}

static gboolean
write_pdf (BbDb        *db,
           gint64       invoice_id,
           const char  *path,
           GError     **error)
{
  g_autoptr(BbInvoice) invoice = bb_invoices_get (db, invoice_id, error);
  BbInvoicePdfOptions options;

  if (invoice == NULL)
    return FALSE;

  bb_invoice_pdf_options_from_settings (db, &options);
  return bb_invoice_pdf_write (db, invoice, &options, path, error);
}

/* ---- The command ---------------------------------------------------- */

int
bb_cli_bench (BbDb  *db,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *queries_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *cache_text = NULL;
  gboolean markdown = FALSE;
  guint64 cache_mib = 0;
  guint64 n_queries = DEFAULT_QUERIES;
  guint64 seed = DEFAULT_SEED;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GHashTable) running = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = NULL;
  g_autofree char *slowest = NULL;
  g_autofree char *load = NULL;
  struct rusage usage_before, usage_after;
  gint64 bench_started;
  Tracer tracer = { 0 };
  sqlite3 *handle;
  gint64 n_customers, n_bills, n_lines, n_payments;
  gint64 busiest_id, busiest_bills = 0;
  gint64 longest_id, longest_lines = 0;
  gint64 first_sqlite_ns;
  GDate today;

  GOptionEntry entries[] = {
    { "queries", 0, 0, G_OPTION_ARG_STRING, &queries_text,
      N_("Time N search keystrokes (default 200)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Choose what to type and where to scroll from seed S (default 1)"), N_("S") },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
      N_("Print the table as Markdown"), NULL },
    { "cache-mib", 0, 0, G_OPTION_ARG_STRING, &cache_text,
      N_("Give SQLite N MiB of page cache, to see what more would do (default: as the window has it)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Time what the window does on this book (search, opening a customer, "
                                  "scrolling bills, reports, a bill’s PDF) beside the time SQLite itself "
                                  "takes for the same statements. The book is only read."));
  g_set_prgname ("billbook-cli bench");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  if (g_strv_length (args) > 1)
    {
      g_printerr (_("bench: unexpected argument “%s”\n"), args[1]);
      return 1;
    }
  if ((queries_text != NULL &&
       !bb_cli_parse_count ("--queries", queries_text, 1, 100000, &n_queries, &error)) ||
      (seed_text != NULL &&
       !bb_cli_parse_count ("--seed", seed_text, 0, G_MAXUINT32, &seed, &error)) ||
      (cache_text != NULL &&
       !bb_cli_parse_count ("--cache-mib", cache_text, 1, 4096, &cache_mib, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (cache_mib > 0)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%" G_GUINT64_FORMAT, cache_mib * 1024); /* sql-ok: a number checked above */

      if (!_bb_db_exec (db, pragma, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  /* What the book holds, and what to time on it (untimed). */
  n_customers = query_int64 (db, "SELECT count(*) FROM customers", NULL);
  n_bills = query_int64 (db, "SELECT count(*) FROM invoices", NULL);
  n_lines = query_int64 (db, "SELECT count(*) FROM invoice_lines", NULL);
  n_payments = query_int64 (db, "SELECT count(*) FROM payments", NULL);
  busiest_id = query_int64 (db,
                            "SELECT customer_id, count(*) FROM invoices "
                            "GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1",
                            &busiest_bills);
  longest_id = query_int64 (db,
                            "SELECT invoice_id, count(*) FROM invoice_lines "
                            "GROUP BY invoice_id ORDER BY count(*) DESC, invoice_id LIMIT 1",
                            &longest_lines);
  if (n_customers <= 0)
    {
      g_printerr (_("bench: the book has no customers; fill it first, e.g. with "
                    "“billbook-cli demo --customers 100000 --invoices 1000000”\n"));
      return 1;
    }

  g_print (_("Book: %s\n"), bb_db_get_path (db));
  g_print (_("%lld customers, %lld bills with %lld lines, %lld payments; SQLite %s\n"),
           (long long) n_customers, (long long) n_bills, (long long) n_lines, (long long) n_payments,
           sqlite3_libversion ());
  if (cache_mib > 0)
    g_print (_("SQLite page cache: %llu MiB (--cache-mib), not as the window has it\n"),
             (unsigned long long) cache_mib);

  texts = make_search_texts (db, (guint) n_queries, seed);
  rand = g_rand_new_with_seed ((guint32) seed);
  bb_date_set_today (&today);

  bench_started = now_ns ();
  getrusage (RUSAGE_SELF, &usage_before);

  /* From here on every statement on the book's handle is watched. */
  tracer.running = running;
  tracer.queries = queries;
  handle = _bb_db_get_handle (db);
  tracer.handle = handle;
  sqlite3_trace_v2 (handle, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, trace_callback, &tracer);
  first_sqlite_ns = tracer.sqlite_ns;

  /* Customer search, a keystroke at a time, on one list as the page
   * keeps one. Once without and once with the detail pane. */
  {
    g_autoptr(BbCustomerList) list = bb_customer_list_new (db);

    for (int open_first = 0; open_first <= 1; open_first++)
      {
        Samples s;
        g_autofree char *label = NULL;

        samples_init (&s, &tracer);
        for (guint i = 0; i < texts->len; i++)
          {
            run_begin (&s);
            search_keystroke (list, g_ptr_array_index (texts, i), open_first);
            run_end (&s);
          }
        label = open_first ? g_strdup (_("search keystroke + open first match"))
                           : g_strdup (_("search keystroke (count + first page)"));
        g_ptr_array_add (rows, row_from_samples (label, &s, 16));
        if (!open_first)
          slowest = slowest_texts (texts, s.wall, s.floor, SLOWEST_SHOWN);
        samples_clear (&s);
      }
  }

  /* Opening the customer with the most bills. */
  if (busiest_id > 0)
    {
      Samples s;
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "open customer (%lld bill)",
                                                             "open customer (%lld bills)",
                                                             (gulong) busiest_bills),
                                                (long long) busiest_bills);

      samples_init (&s, &tracer);
      for (guint i = 0; i < OPEN_CUSTOMER_RUNS; i++)
        {
          run_begin (&s);
          open_customer (db, busiest_id);
          run_end (&s);
        }
      g_ptr_array_add (rows, row_from_samples (label, &s, 50));
      samples_clear (&s);
    }

  /* The bill list as the Billing page opens it (newest first, every
   * state), then pages at random places, as scrolling fetches them. */
  {
    g_autoptr(BbInvoiceList) list = NULL;
    Samples open, scroll;
    guint n_items;

    samples_init (&open, &tracer);
    run_begin (&open);
    list = bb_invoice_list_new (db);
    n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
    if (n_items > 0)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), 0));
    run_end (&open);
    g_ptr_array_add (rows, row_from_samples (_("bill list: open (count + first page)"), &open, 0));
    samples_clear (&open);

    if (n_items > LIST_PAGE_SIZE)
      {
        guint n_pages = (n_items + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE;

        samples_init (&scroll, &tracer);
        for (guint i = 0; i < BILL_PAGE_RUNS; i++)
          {
            /* Pages other than the first; the list keeps the last few
             * it read, and a page it has costs nothing. */
            guint page = (guint) g_rand_int_range (rand, 1, (gint32) MIN (n_pages, G_MAXINT32));
            gpointer item;

            run_begin (&scroll);
            item = g_list_model_get_item (G_LIST_MODEL (list), page * LIST_PAGE_SIZE);
            run_end (&scroll);
            g_clear_object (&item);
          }
        g_ptr_array_add (rows, row_from_samples (_("bill list: page at a random place"), &scroll, 0));
        samples_clear (&scroll);
      }
  }

  /* The reminders, as the Reminders page computes them: on a
   * connection it opens for the purpose (in a thread), so none of the
   * book is in SQLite's cache, into a list that makes the reminders of
   * the rows on screen when they are shown. The floor is on a new
   * connection too. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *label = NULL;
    guint n_reminders = 0;
    Samples s;

    samples_init (&s, &tracer);
    tracer.cold_path = bb_db_get_path (db);
    for (guint i = 0; i < REPORT_RUNS; i++)
      {
        g_autoptr(BbReminderList) reminders = NULL;
        g_autoptr(BbDb) own = NULL;

        run_begin (&s);
        own = bb_db_open (bb_db_get_path (db), NULL);
        if (own != NULL)
          {
            sqlite3_trace_v2 (_bb_db_get_handle (own), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
                              trace_callback, &tracer);
            reminders = bb_reminders_compute_list (own, now, BB_REMINDERS_DEFAULT, NULL);
          }
        /* The reminders of the first screen's rows, with their
         * customers' names (read here on the same new connection; the
         * page reads them on its own, which has read more before). */
        for (guint r = 0; reminders != NULL && r < MIN (bb_reminder_list_get_n_reminders (reminders),
                                                        REMINDER_ROWS_SHOWN); r++)
          bb_reminder_list_get_reminder (reminders, r);
        run_end (&s);
        g_debug ("reminders run %u: %.1f ms, floor %.1f ms", i,
                 g_array_index (s.wall, gint64, i) / NS_PER_MS, g_array_index (s.floor, gint64, i) / NS_PER_MS);
        if (own != NULL)
          sqlite3_trace_v2 (_bb_db_get_handle (own), 0, NULL, NULL);
        n_reminders = reminders != NULL ? bb_reminder_list_get_n_reminders (reminders) : 0;
      }
    tracer.cold_path = NULL;
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "reminders (%u due)",
                                          "reminders (%u due)",
                                          n_reminders),
                             n_reminders);
    g_ptr_array_add (rows, row_from_samples (label, &s, 50));
    samples_clear (&s);
  }

  /* The reports, as the reports page asks for them. */
  {
    Samples aging, months, all;
    GDate from = today;

    /* The last 24 months, from the first of the month. */
    g_date_set_day (&from, 1);
    g_date_subtract_months (&from, 23);

    samples_init (&aging, &tracer);
    samples_init (&months, &tracer);
    samples_init (&all, &tracer);
    for (guint i = 0; i < REPORT_RUNS; i++)
      {
        g_autoptr(GPtrArray) a = NULL;
        g_autoptr(GPtrArray) m = NULL;
        g_autoptr(GPtrArray) w = NULL;

        run_begin (&aging);
        a = bb_reports_aging (db, &today, NULL);
        run_end (&aging);

        run_begin (&months);
        m = bb_reports_collections (db, &from, &today, NULL);
        run_end (&months);

        run_begin (&all);
        w = bb_reports_collections (db, NULL, NULL, NULL);
        run_end (&all);
      }
    g_ptr_array_add (rows, row_from_samples (_("aging report (as of today)"), &aging, 300));
    g_ptr_array_add (rows, row_from_samples (_("collections report (24 months)"), &months, 300));
    g_ptr_array_add (rows, row_from_samples (_("collections report (whole book)"), &all, 300));
    samples_clear (&aging);
    samples_clear (&months);
    samples_clear (&all);
  }

  /* The other reports of the reports page, over its default period: the
   * last 12 months. */
  {
    Samples methods, top, classes, liability, on_time;
    GDate from = today;

    g_date_set_day (&from, 1);
    g_date_subtract_months (&from, 11);

    samples_init (&methods, &tracer);
    samples_init (&top, &tracer);
    samples_init (&classes, &tracer);
    samples_init (&liability, &tracer);
    samples_init (&on_time, &tracer);
    for (guint i = 0; i < REPORT_RUNS; i++)
      {
        g_autoptr(GPtrArray) r1 = NULL;
        g_autoptr(GPtrArray) r2 = NULL;
        g_autoptr(GPtrArray) r3 = NULL;
        g_autoptr(GPtrArray) r4 = NULL;
        g_autoptr(GPtrArray) r5 = NULL;

        run_begin (&methods);
        r1 = bb_reports_methods (db, &from, &today, NULL);
        run_end (&methods);

        run_begin (&top);
        r2 = bb_reports_top (db, BB_TOP_BY_PAID, &from, &today, 10, NULL);
        run_end (&top);

        run_begin (&classes);
        r3 = bb_reports_classes (db, &from, &today, NULL);
        run_end (&classes);

        run_begin (&liability);
        r4 = bb_reports_liability (db, &from, &today, NULL);
        run_end (&liability);

        run_begin (&on_time);
        r5 = bb_reports_on_time (db, &from, &today, &today, NULL);
        run_end (&on_time);
      }
    g_ptr_array_add (rows, row_from_samples (_("payment methods report (12 months)"), &methods, 300));
    g_ptr_array_add (rows, row_from_samples (_("top customers report (12 months)"), &top, 300));
    g_ptr_array_add (rows, row_from_samples (_("A/B/C classes report (12 months)"), &classes, 300));
    g_ptr_array_add (rows, row_from_samples (_("prepaid liability report (12 months)"), &liability, 300));
    g_ptr_array_add (rows, row_from_samples (_("on-time payment report (12 months)"), &on_time, 300));
    samples_clear (&methods);
    samples_clear (&top);
    samples_clear (&classes);
    samples_clear (&liability);
    samples_clear (&on_time);
  }

  /* One bill as PDF: the one with the most lines. */
  if (longest_id > 0)
    {
      g_autofree char *path = NULL;
      g_autofree char *label = NULL;
      Samples s;
      int fd;
      gint64 first_start, first_ns;

      fd = g_file_open_tmp ("billbook-bench-XXXXXX.pdf", &path, &error);
      if (fd < 0)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      close (fd);

      /* The first PDF of a process loads the fonts, which the window has
       * done before anything is printed: it is shown apart. */
      first_start = now_ns ();
      if (!write_pdf (db, longest_id, path, &error))
        {
          g_printerr ("%s\n", error->message);
          g_unlink (path);
          return 1;
        }
      first_ns = now_ns () - first_start;

      samples_init (&s, &tracer);
      for (guint i = 0; i < PDF_RUNS; i++)
        {
          run_begin (&s);
          write_pdf (db, longest_id, path, NULL);
          run_end (&s);
        }
      g_unlink (path);

      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "bill PDF (%lld line)",
                                            "bill PDF (%lld lines)",
                                            (gulong) longest_lines),
                               (long long) longest_lines);
      g_ptr_array_add (rows, row_from_samples (label, &s, 30));
      samples_clear (&s);

      g_print (_("The first PDF of the run, which loads the fonts, took %.0f ms.\n"), first_ns / NS_PER_MS);
    }

  sqlite3_trace_v2 (handle, 0, NULL, NULL);
  getrusage (RUSAGE_SELF, &usage_after);
  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL) && strchr (load, ' '))
    {
      /* The first three fields: over 1, 5 and 15 minutes. */
      char *p = load;

      for (int i = 0; i < 3 && p; i++)
        p = strchr (p + 1, ' ');
      if (p)
        *p = '\0';
    }

  g_print ("\n");
  print_table (rows, markdown);
  g_print ("\n");
  g_print (_("wall: the operation through the same core calls as the window; floor: the same queries "
             "run again alone by SQLite, each to its last row, nothing done with the rows (%u statements; SQLite’s own millisecond-tick figures "
             "sum to %.0f ms). Single runs are repeated; p95 of a few runs is their slowest. "
             "Search: %u keystrokes typed from the book’s names, phones, codes and companies.\n"),
           tracer.n_statements, (tracer.sqlite_ns - first_sqlite_ns) / NS_PER_MS, texts->len);
  if (slowest != NULL)
    g_print (_("Slowest search keystrokes: %s.\n"), slowest);
  /* On a busy machine the wall times grow while the CPU time does not. */
  g_print (_("The timed part took %.1f s, in which this process had %.1f s of CPU; "
             "load average at the end %s.\n"),
           (now_ns () - bench_started) / 1e9,
           (usage_after.ru_utime.tv_sec - usage_before.ru_utime.tv_sec) +
           (usage_after.ru_stime.tv_sec - usage_before.ru_stime.tv_sec) +
           ((usage_after.ru_utime.tv_usec - usage_before.ru_utime.tv_usec) +
            (usage_after.ru_stime.tv_usec - usage_before.ru_stime.tv_usec)) / 1e6,
           load ? g_strstrip (load) : "?");

  return 0;
}
