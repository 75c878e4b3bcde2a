/* bb-reports-page.c — what came in and what is owed, as charts
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures come from core's reports (bb-reports.c), computed in a
 * thread so a big book never holds up the window, and again a moment
 * after the money in the book changes. Each report is a chart (core's
 * renderer, through BbChartView) with its table, and exports as CSV (the
 * table, as billbook-cli prints it) or as PNG or PDF (the chart and its
 * table, bb-report-doc.c, written in a thread). The period chosen at the
 * top applies to every report but aging, which is as of today.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-business.h"
#include "bb-chart-view.h"
#include "bb-report-doc.h"
#include "bb-reports.h"
#include "bb-reports-page.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* Customers listed under the aging chart; the CSV has them all */
#define AGING_ROWS 10
/* Customers in the top customers chart */
#define TOP_ROWS 10
/* Figures are computed again this long after the last change */
#define RELOAD_DELAY_MS 400

/* The reports of the page other than collections and aging, each a
 * section built in code: a group with its chart and list. */
enum
{
  SECTION_METHODS,
  SECTION_TOP,
  SECTION_CLASSES,
  SECTION_LIABILITY,
  SECTION_ON_TIME,
  N_SECTIONS
};

static const char * const section_ids[N_SECTIONS] = { "methods", "top", "classes", "liability", "on-time" };

struct _BbReportsPage
{
  BbPage         parent_instance;

  GCancellable  *cancellable;
  BbReportSet   *set;
  GDate          from;            /* the period of the reports shown */
  GDate          to;
  guint          pending;         /* reports still being computed */
  guint          reload_id;
  gboolean       stale;           /* the book changed while the page was not shown */

  GtkStack      *stack;
  GtkBox        *sections;
  GtkFlowBox    *summary_box;
  GtkDropDown   *period_dropdown;
  AdwPreferencesGroup *collections_group;
  BbChartView   *collections_chart;
  GtkListBox    *collections_list;
  AdwPreferencesGroup *aging_group;
  BbChartView   *aging_chart;
  GtkListBox    *aging_list;
  AdwPreferencesGroup *section_groups[N_SECTIONS];
  BbChartView   *section_charts[N_SECTIONS];
  GtkListBox    *section_lists[N_SECTIONS];
  GtkLabel      *summary_values[4];
};

G_DEFINE_FINAL_TYPE (BbReportsPage, bb_reports_page, BB_TYPE_PAGE)

enum
{
  SUMMARY_RECEIVED,
  SUMMARY_OUTSTANDING,
  SUMMARY_OVERDUE,
  SUMMARY_PREPAID,
};

static const BbCurrency *
currency (BbReportsPage *self)
{
  BbDb *db = bb_page_get_database (BB_PAGE (self));

  return db ? bb_business_get_currency (db) : bb_currency_lookup ("CNY");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "money");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle,
         const char *value)
{
  gtk_list_box_append (list, new_row (title, subtitle, value));
}

/* A table by month folds into one row, so the page shows the charts one
 * after the other; the chart says the same, and its tooltips the exact
 * values. */
static GtkWidget *
add_months_row (GtkListBox *list,
                guint       n_months)
{
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month, the newest first",
                                                            "%u months, the newest first", n_months),
                                               n_months);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Month by Month"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  gtk_list_box_append (list, expander);

  return expander;
}

static void
add_month (GtkWidget  *expander,
           const char *title,
           const char *subtitle,
           const char *value)
{
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), new_row (title, subtitle, value));
}

static void
set_summary (BbReportsPage *self,
             guint          which,
             BbMoney        amount,
             gboolean       known)
{
  g_autofree char *text = known ? bb_money_format (amount, currency (self)) : g_strdup ("—");

  gtk_label_set_text (self->summary_values[which], text);
}

static void
show_collections (BbReportsPage *self)
{
  GPtrArray *rows = self->set->collections;
  g_autoptr(BbChart) chart = bb_chart_new_collections (rows, currency (self));
  g_autofree char *first = bb_date_to_iso (&self->from);
  g_autofree char *last = bb_date_to_iso (&self->to);
  /* TRANSLATORS: the description of the collections chart; the period's first and last days */
  g_autofree char *description = g_strdup_printf (_("Money received from %s to %s, refunds taken off"),
                                                  first, last);
  GtkWidget *months;

  bb_chart_view_set_chart (self->collections_chart, chart);
  adw_preferences_group_set_description (self->collections_group, description);
  clear_list (self->collections_list);

  /* The table: newest month first, as the owner reads it. */
  months = add_months_row (self->collections_list, rows->len);
  for (guint i = rows->len; i > 0; i--)
    {
      BbCollectionsRow *row = g_ptr_array_index (rows, i - 1);
      g_autofree char *amount = bb_money_format (row->amount, currency (self));

      add_month (months, row->month, NULL, amount);
    }
}

static gint
compare_total (gconstpointer a,
               gconstpointer b)
{
  const BbAgingRow *x = *(BbAgingRow **) a;
  const BbAgingRow *y = *(BbAgingRow **) b;

  return x->total < y->total ? 1 : x->total > y->total ? -1 : g_strcmp0 (x->customer_code, y->customer_code);
}

static void
add_more_label (GtkListBox *list,
                guint       more)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "…and %u more customer; Export ▸ Table as CSV lists everyone",
                                                        "…and %u more customers; Export ▸ Table as CSV lists everyone",
                                                        more),
                                           more);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_list_box_append (list, label);
}

static void
show_aging (BbReportsPage *self)
{
  GPtrArray *rows = self->set->aging;
  g_autoptr(BbChart) chart = bb_chart_new_aging (rows, currency (self));
  BbMoney outstanding = 0, overdue = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *description = g_strdup_printf (_("What customers owe as of %s, by how many days it is past due"), today);

  g_ptr_array_sort (rows, compare_total);
  bb_chart_view_set_chart (self->aging_chart, chart);
  adw_preferences_group_set_description (self->aging_group, description);
  clear_list (self->aging_list);

  for (guint i = 0; i < rows->len; i++)
    {
      BbAgingRow *row = g_ptr_array_index (rows, i);

      outstanding += row->total;
      overdue += row->d1_30 + row->d31_60 + row->d61_90 + row->d90_plus;

      if (i < AGING_ROWS)
        {
          const BbCurrency *c = currency (self);
          g_autofree char *total = bb_money_format (row->total, c);
          g_autofree char *current = bb_money_format (row->current, c);
          g_autofree char *late = bb_money_format (row->d1_30 + row->d31_60 + row->d61_90, c);
          g_autofree char *old = bb_money_format (row->d90_plus, c);
          g_autofree char *title = g_strdup_printf ("%s · %s", row->customer_code, row->name);
          /* TRANSLATORS: the buckets of one customer in the aging table */
          g_autofree char *subtitle = g_strdup_printf (_("Not yet due %s · 1–90 days late %s · over 90 days %s"),
                                                       current, late, old);

          add_row (self->aging_list, title, subtitle, total);
        }
    }

  if (rows->len > AGING_ROWS)
    add_more_label (self->aging_list, rows->len - AGING_ROWS);

  set_summary (self, SUMMARY_OUTSTANDING, outstanding, TRUE);
  set_summary (self, SUMMARY_OVERDUE, overdue, TRUE);
}

static void
show_methods (BbReportsPage *self)
{
  GPtrArray *rows = self->set->methods;
  g_autoptr(BbChart) chart = bb_chart_new_methods (rows, currency (self));
  GtkListBox *list = self->section_lists[SECTION_METHODS];

  bb_chart_view_set_chart (self->section_charts[SECTION_METHODS], chart);
  clear_list (list);
  for (guint i = 0; i < rows->len; i++)
    {
      BbMethodRow *row = g_ptr_array_index (rows, i);
      g_autofree char *amount = bb_money_format (row->amount, currency (self));
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld payment", "%lld payments",
                                                             (gulong) row->count),
                                                (long long) row->count);

      add_row (list, row->label, count, amount);
    }
}

static void
show_top (BbReportsPage *self)
{
  GPtrArray *rows = self->set->top;
  g_autoptr(BbChart) chart = bb_chart_new_top (rows, BB_TOP_BY_PAID, currency (self));
  GtkListBox *list = self->section_lists[SECTION_TOP];

  bb_chart_view_set_chart (self->section_charts[SECTION_TOP], chart);
  clear_list (list);
  for (guint i = 0; i < rows->len; i++)
    {
      BbTopRow *row = g_ptr_array_index (rows, i);
      g_autofree char *amount = bb_money_format (row->amount, currency (self));
      g_autofree char *title = g_strdup_printf ("%s · %s", row->customer_code, row->name);

      add_row (list, title, NULL, amount);
    }
}

static char *
percent_text (BbRate rate)
{
  g_autofree char *number = g_strdup_printf ("%.1f", (double) rate / 100.0);

  /* TRANSLATORS: a share in percent, "12.5%" */
  return g_strdup_printf (_("%s%%"), number);
}

static void
show_classes (BbReportsPage *self)
{
  GPtrArray *rows = self->set->classes;
  g_autoptr(BbChart) chart = bb_chart_new_classes (rows, currency (self));
  GtkListBox *list = self->section_lists[SECTION_CLASSES];

  bb_chart_view_set_chart (self->section_charts[SECTION_CLASSES], chart);
  clear_list (list);
  for (guint i = 0; i < rows->len; i++)
    {
      BbClassRow *row = g_ptr_array_index (rows, i);
      g_autofree char *billed = bb_money_format (row->billed, currency (self));
      g_autofree char *title = g_strdup_printf (_("Class %c"), row->klass);
      g_autofree char *customers_share = percent_text (row->customers_share);
      g_autofree char *billed_share = percent_text (row->billed_share);
      /* TRANSLATORS: a class in the A/B/C table: "12 customers (24.0%) · 61.5% of billed" */
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%lld customer (%s) · %s of billed",
                                                                "%lld customers (%s) · %s of billed",
                                                                (gulong) row->customers),
                                                   (long long) row->customers, customers_share, billed_share);

      add_row (list, title, subtitle, billed);
    }
}

static void
show_liability (BbReportsPage *self)
{
  GPtrArray *rows = self->set->liability;
  g_autoptr(BbChart) chart = bb_chart_new_liability (rows, currency (self));
  GtkListBox *list = self->section_lists[SECTION_LIABILITY];
  GtkWidget *months;

  bb_chart_view_set_chart (self->section_charts[SECTION_LIABILITY], chart);
  clear_list (list);
  months = add_months_row (list, rows->len);
  for (guint i = rows->len; i > 0; i--)
    {
      BbLiabilityRow *row = g_ptr_array_index (rows, i - 1);
      g_autofree char *balance = bb_money_format (row->balance, currency (self));

      add_month (months, row->month, NULL, balance);
    }

  set_summary (self, SUMMARY_PREPAID, self->set->liability_today, TRUE);
}

static void
show_on_time (BbReportsPage *self)
{
  GPtrArray *rows = self->set->on_time;
  g_autoptr(BbChart) chart = bb_chart_new_on_time (rows);
  GtkListBox *list = self->section_lists[SECTION_ON_TIME];
  GtkWidget *months;

  bb_chart_view_set_chart (self->section_charts[SECTION_ON_TIME], chart);
  clear_list (list);
  months = add_months_row (list, rows->len);
  for (guint i = rows->len; i > 0; i--)
    {
      BbOnTimeRow *row = g_ptr_array_index (rows, i - 1);
      g_autofree char *rate = row->due > 0 ? percent_text (row->rate) : g_strdup ("—");
      /* TRANSLATORS: "9 of 12 bills paid by their due date" */
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%lld of %lld bill paid by its due date",
                                                                "%lld of %lld bills paid by their due date",
                                                                (gulong) row->due),
                                                   (long long) row->on_time, (long long) row->due);

      add_month (months, row->month, subtitle, rate);
    }
}

/* Nothing in the book to chart: the status page says what will be. */
static void
update_empty (BbReportsPage *self)
{
  BbReportSet *set = self->set;
  gboolean any = FALSE;

  if (set == NULL || set->collections == NULL || set->aging == NULL || set->methods == NULL ||
      set->liability == NULL)
    return;

  for (guint i = 0; i < set->collections->len && !any; i++)
    any = ((BbCollectionsRow *) g_ptr_array_index (set->collections, i))->amount != 0;
  any = any || set->aging->len > 0 || set->methods->len > 0 || set->liability_today != 0;

  gtk_stack_set_visible_child_name (self->stack, any ? "reports" : "empty");
}

/* Takes a report computed into the page's set, if it was computed. */
static gboolean
take (GPtrArray **shown,
      GPtrArray **computed)
{
  if (*computed == NULL)
    return FALSE;

  g_clear_pointer (shown, g_ptr_array_unref);
  *shown = g_steal_pointer (computed);
  return TRUE;
}

#define TAKE(field) take (&self->set->field, &from->field)

static void
reports_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BbReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbReportSet) from = bb_reports_period_finish (BB_DB (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (from == NULL)
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  /* The quick reports come first, the slow ones (on a big book) after. */
  if (self->set == NULL)
    self->set = g_new0 (BbReportSet, 1);
  if (from->collections != NULL)
    self->set->received_this_month = from->received_this_month;
  if (TAKE (collections))
    {
      show_collections (self);
      set_summary (self, SUMMARY_RECEIVED, self->set->received_this_month, TRUE);
    }
  if (TAKE (aging))
    show_aging (self);
  if (TAKE (methods))
    show_methods (self);
  if (TAKE (top))
    show_top (self);
  if (TAKE (classes))
    show_classes (self);
  if (from->liability != NULL)
    self->set->liability_today = from->liability_today;
  if (TAKE (liability))
    show_liability (self);
  if (TAKE (on_time))
    show_on_time (self);

  update_empty (self);
}

#undef TAKE

/* The period the drop-down names, ending today or at last year's end. */
static void
chosen_period (BbReportsPage *self,
               GDate         *from,
               GDate         *to)
{
  GDate today;

  bb_date_set_today (&today);
  g_date_clear (from, 1);
  *to = today;

  switch (gtk_drop_down_get_selected (self->period_dropdown))
    {
    case 1:   /* this year */
      g_date_set_dmy (from, 1, G_DATE_JANUARY, g_date_get_year (&today));
      break;
    case 2:   /* last year */
      g_date_set_dmy (from, 1, G_DATE_JANUARY, g_date_get_year (&today) - 1);
      g_date_set_dmy (to, 31, G_DATE_DECEMBER, g_date_get_year (&today) - 1);
      break;
    case 3:   /* the last 24 months */
      g_date_set_dmy (from, 1, g_date_get_month (&today), g_date_get_year (&today));
      g_date_subtract_months (from, 23);
      break;
    case 0:   /* the last 12 months, this one included */
    default:
      g_date_set_dmy (from, 1, g_date_get_month (&today), g_date_get_year (&today));
      g_date_subtract_months (from, 11);
      break;
    }
}

static void
reload (BbReportsPage *self)
{
  BbDb *db = bb_page_get_database (BB_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (db == NULL)
    return;

  /* Computed when the page is shown: at start-up they would compete
   * with the window's first frame for the cores, for a page nobody
   * looks at yet (tests/bench/RESULTS.md). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  self->cancellable = g_cancellable_new ();
  chosen_period (self, &self->from, &self->to);

  self->pending = 2;
  bb_reports_period_async (db, &self->from, &self->to, TOP_ROWS, BB_REPORT_ALL & ~BB_REPORT_SLOW,
                           self->cancellable, reports_done, g_object_ref (self));
  bb_reports_period_async (db, &self->from, &self->to, TOP_ROWS, BB_REPORT_SLOW,
                           self->cancellable, reports_done, g_object_ref (self));
}

static void
bb_reports_page_map (GtkWidget *widget)
{
  BbReportsPage *self = BB_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (bb_reports_page_parent_class)->map (widget);

  if (self->stale)
    reload (self);
}

static void
on_period_changed (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   BbReportsPage *self)
{
  reload (self);
}

static gboolean
reload_timeout (gpointer data)
{
  BbReportsPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_db_changed (BbDb          *db,
               const char    *table,
               gint64         id,
               BbReportsPage *self)
{
  if (g_strcmp0 (table, "invoices") != 0 && g_strcmp0 (table, "payments") != 0 &&
      g_strcmp0 (table, "customers") != 0 && g_strcmp0 (table, "settings") != 0 &&
      g_strcmp0 (table, "prepaid_entries") != 0 && g_strcmp0 (table, "prepaid_accounts") != 0)
    return;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

/* ---- Export ----------------------------------------------------------- */

/* What one export writes: the rows are the page's, shared, never changed
 * after they are shown, so the thread reads them as they are. */
typedef struct
{
  BbReportsPage    *self;
  char             *report;      /* "collections", "aging", "methods", … */
  char             *format;      /* "csv", "png" or "pdf" */
  char             *path;
  GPtrArray        *rows;
  const BbCurrency *currency;
  char             *note;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_free (export->report);
  g_free (export->format);
  g_free (export->path);
  g_clear_pointer (&export->rows, g_ptr_array_unref);
  g_free (export->note);
  g_free (export);
}

static GPtrArray *
rows_of (BbReportsPage *self,
         const char    *report)
{
  if (self->set == NULL)
    return NULL;
  if (g_str_equal (report, "collections"))
    return self->set->collections;
  if (g_str_equal (report, "aging"))
    return self->set->aging;
  if (g_str_equal (report, "methods"))
    return self->set->methods;
  if (g_str_equal (report, "top"))
    return self->set->top;
  if (g_str_equal (report, "classes"))
    return self->set->classes;
  if (g_str_equal (report, "liability"))
    return self->set->liability;
  if (g_str_equal (report, "on-time"))
    return self->set->on_time;
  return NULL;
}

static gboolean
write_export (Export  *export,
              GError **error)
{
  const char *report = export->report;
  const BbCurrency *c = export->currency;
  GPtrArray *rows = export->rows;
  g_autoptr(BbChart) chart = NULL;
  g_autoptr(BbReportTable) table = NULL;
  g_autofree char *csv = NULL;

  if (g_str_equal (report, "collections"))
    {
      csv = bb_reports_collections_to_csv (rows, c, error);
      chart = bb_chart_new_collections (rows, c);
      table = bb_report_table_new_collections (rows, c);
    }
  else if (g_str_equal (report, "aging"))
    {
      csv = bb_reports_aging_to_csv (rows, c, error);
      chart = bb_chart_new_aging (rows, c);
      table = bb_report_table_new_aging (rows, c);
    }
  else if (g_str_equal (report, "methods"))
    {
      csv = bb_reports_methods_to_csv (rows, c, error);
      chart = bb_chart_new_methods (rows, c);
      table = bb_report_table_new_methods (rows, c);
    }
  else if (g_str_equal (report, "top"))
    {
      csv = bb_reports_top_to_csv (rows, BB_TOP_BY_PAID, c, error);
      chart = bb_chart_new_top (rows, BB_TOP_BY_PAID, c);
      table = bb_report_table_new_top (rows, BB_TOP_BY_PAID, c);
    }
  else if (g_str_equal (report, "classes"))
    {
      csv = bb_reports_classes_to_csv (rows, c, error);
      chart = bb_chart_new_classes (rows, c);
      table = bb_report_table_new_classes (rows, c);
    }
  else if (g_str_equal (report, "liability"))
    {
      csv = bb_reports_liability_to_csv (rows, c, error);
      chart = bb_chart_new_liability (rows, c);
      table = bb_report_table_new_liability (rows, c);
    }
  else
    {
      csv = bb_reports_on_time_to_csv (rows, error);
      chart = bb_chart_new_on_time (rows);
      table = bb_report_table_new_on_time (rows);
    }

  if (csv == NULL)
    return FALSE;
  if (g_str_equal (export->format, "csv"))
    return g_file_set_contents_full (export->path, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  if (g_str_equal (export->format, "png"))
    return bb_report_write_png (chart, table, export->note, export->path, error);
  return bb_report_write_pdf (chart, table, export->note, export->path, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_export (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BbReportsPage *self = BB_REPORTS_PAGE (source);
  Export *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_path_get_basename (export->path);
      g_autofree char *done = g_strdup_printf (_("Saved “%s”"), name);

      bb_widget_toast (GTK_WIDGET (self), done);
    }
  else
    bb_widget_toast (GTK_WIDGET (self), error->message);
}

static void
on_export_chosen (GtkNativeDialog *native,
                  int              response,
                  Export          *export)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autoptr(GTask) task = g_task_new (export->self, NULL, export_done, NULL);

      export->path = g_file_get_path (file);
      g_task_set_source_tag (task, on_export_chosen);
      g_task_set_task_data (task, export, (GDestroyNotify) export_free);
      g_task_run_in_thread (task, export_thread);
    }
  else
    export_free (export);

  g_object_unref (native);
}

static const char *
file_name_of (const char *report)
{
  /* TRANSLATORS: the start of file names, e.g. "collections-2026-11-23.csv" */
  if (g_str_equal (report, "collections"))
    return _("collections");
  if (g_str_equal (report, "aging"))
    return _("aging");
  if (g_str_equal (report, "methods"))
    return _("payment-methods");
  if (g_str_equal (report, "top"))
    return _("top-customers");
  if (g_str_equal (report, "classes"))
    return _("customer-classes");
  if (g_str_equal (report, "liability"))
    return _("prepaid-liability");
  return _("on-time-payment");
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbReportsPage *self = BB_REPORTS_PAGE (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  g_auto(GStrv) parts = g_strsplit (target, ".", 2);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  GPtrArray *rows;
  Export *export;

  if (g_strv_length (parts) != 2 || (rows = rows_of (self, parts[0])) == NULL)
    return;

  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->report = g_strdup (parts[0]);
  export->format = g_strdup (parts[1]);
  export->rows = g_ptr_array_ref (rows);
  export->currency = currency (self);
  if (g_str_equal (parts[0], "aging"))
    /* TRANSLATORS: the day an aging report is for */
    export->note = g_strdup_printf (_("As of %s"), day);
  else
    export->note = bb_report_period_note (&self->from, &self->to);

  name = g_strdup_printf ("%s-%s.%s", file_name_of (parts[0]), day, parts[1]);
  native = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_export_chosen), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- The page --------------------------------------------------------- */

/* A report's group: title, description, the Export menu, chart and list. */
static void
add_section (BbReportsPage *self,
             guint          section,
             const char    *title,
             const char    *description,
             int            chart_height)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *chart = bb_chart_view_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) items = g_menu_new ();
  static const struct { const char *label; const char *format; } formats[] = {
    { N_("Table as _CSV…"), "csv" },
    { N_("Chart and Table as _PNG…"), "png" },
    { N_("Chart and Table as P_DF…"), "pdf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *target = g_strdup_printf ("%s.%s", section_ids[section], formats[i].format);
      g_autoptr(GMenuItem) item = g_menu_item_new (_(formats[i].label), NULL);

      g_menu_item_set_action_and_target (item, "reports.export", "s", target);
      g_menu_append_item (items, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (items));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("_Export"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (button), TRUE);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* TRANSLATORS: the tooltip of a report's Export button; the report's title */
  {
    g_autofree char *tooltip = g_strdup_printf (_("Export %s"), title);

    gtk_widget_set_tooltip_text (button, tooltip);
  }
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);

  gtk_widget_set_size_request (chart, -1, chart_height);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), chart);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);

  gtk_box_append (self->sections, group);
  self->section_groups[section] = ADW_PREFERENCES_GROUP (group);
  self->section_charts[section] = BB_CHART_VIEW (chart);
  self->section_lists[section] = GTK_LIST_BOX (list);
}

static void
add_summary_card (BbReportsPage *self,
                  guint          which,
                  const char    *title)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("—");

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "summary-card");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (value, "title-3");
  gtk_widget_add_css_class (value, "money");
  gtk_box_append (GTK_BOX (card), heading);
  gtk_box_append (GTK_BOX (card), value);
  gtk_flow_box_append (self->summary_box, card);
  gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
  self->summary_values[which] = GTK_LABEL (value);
}

static void
bb_reports_page_database_changed (BbPage *page)
{
  BbReportsPage *self = BB_REPORTS_PAGE (page);
  BbDb *db = bb_page_get_database (page);

  if (db != NULL)
    g_signal_connect_object (db, "changed", G_CALLBACK (on_db_changed), self, G_CONNECT_AFTER);
  reload (self);
}

static void
bb_reports_page_dispose (GObject *object)
{
  BbReportsPage *self = BB_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_pointer (&self->set, bb_report_set_free);

  G_OBJECT_CLASS (bb_reports_page_parent_class)->dispose (object);
}

static void
bb_reports_page_class_init (BbReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_reports_page_dispose;
  widget_class->map = bb_reports_page_map;
  BB_PAGE_CLASS (klass)->database_changed = bb_reports_page_database_changed;

  g_type_ensure (BB_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, sections);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, summary_box);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, collections_group);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, collections_chart);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, collections_list);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, aging_group);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, aging_chart);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, aging_list);

  gtk_widget_class_install_action (widget_class, "reports.export", "s", export_action);
}

static void
bb_reports_page_init (BbReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_summary_card (self, SUMMARY_RECEIVED, _("Received This Month"));
  add_summary_card (self, SUMMARY_OUTSTANDING, _("Outstanding"));
  add_summary_card (self, SUMMARY_OVERDUE, _("Overdue"));
  add_summary_card (self, SUMMARY_PREPAID, _("Prepaid Liability"));
  gtk_widget_set_tooltip_text (gtk_widget_get_parent (GTK_WIDGET (self->summary_values[SUMMARY_PREPAID])),
                               _("What all prepaid cards hold today: money owed to customers in goods or service"));

  add_section (self, SECTION_METHODS, _("Payment Methods"),
               _("How customers paid in the period, refunds taken off; “Prepaid card” is money taken from a card"),
               240);
  add_section (self, SECTION_TOP, _("Top Customers"),
               _("The customers who paid the most in the period"), 260);
  add_section (self, SECTION_CLASSES, _("A/B/C Classes"),
               _("Each class’s share of the customers, and of what was billed in the period"), 240);
  add_section (self, SECTION_LIABILITY, _("Prepaid Liability"),
               _("What all prepaid cards held at the end of each month"), 240);
  add_section (self, SECTION_ON_TIME, _("On-Time Payment"),
               _("The share of the bills that fell due in each month paid in full by their due date"), 240);

  g_signal_connect (self->period_dropdown, "notify::selected", G_CALLBACK (on_period_changed), self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}
