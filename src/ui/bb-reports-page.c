/* bb-reports-page.c — what came in and what is owed, as charts
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures come from core's reports (bb-reports.c), computed in a
 * thread so a big book never holds up the window, and again a moment
 * after the money in the book changes. Each report is a chart (core's
 * renderer, through BbChartView) with its table, and exports as CSV (the
 * table, as billbook-cli prints it) or as PNG or PDF (the chart).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-business.h"
#include "bb-chart-view.h"
#include "bb-reports.h"
#include "bb-reports-page.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* Months in the collections chart, this one included */
#define N_MONTHS 12
/* Customers listed under the aging chart; the CSV has them all */
#define AGING_ROWS 10
/* Figures are computed again this long after the last change */
#define RELOAD_DELAY_MS 400

struct _BbReportsPage
{
  BbPage         parent_instance;

  GCancellable  *cancellable;
  GPtrArray     *collections;     /* BbCollectionsRow */
  GPtrArray     *aging;           /* BbAgingRow, by total, largest first */
  guint          pending;         /* reports still being computed */
  guint          reload_id;

  GtkStack      *stack;
  GtkFlowBox    *summary_box;
  BbChartView   *collections_chart;
  GtkListBox    *collections_list;
  AdwPreferencesGroup *aging_group;
  BbChartView   *aging_chart;
  GtkListBox    *aging_list;
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

static void
add_row (GtkListBox *list,
         const char *title,
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
  gtk_list_box_append (list, row);
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
  g_autoptr(BbChart) chart = bb_chart_new_collections (self->collections, currency (self));
  BbMoney this_month = 0;

  bb_chart_view_set_chart (self->collections_chart, chart);
  clear_list (self->collections_list);

  /* The table: newest month first, as the owner reads it. */
  for (guint i = self->collections->len; i > 0; i--)
    {
      BbCollectionsRow *row = g_ptr_array_index (self->collections, i - 1);
      g_autofree char *amount = bb_money_format (row->amount, currency (self));

      add_row (self->collections_list, row->month, NULL, amount);
    }

  if (self->collections->len > 0)
    this_month = ((BbCollectionsRow *) g_ptr_array_index (self->collections, self->collections->len - 1))->amount;
  set_summary (self, SUMMARY_RECEIVED, this_month, TRUE);
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
show_aging (BbReportsPage *self)
{
  g_autoptr(BbChart) chart = bb_chart_new_aging (self->aging, currency (self));
  BbMoney outstanding = 0, overdue = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *description = g_strdup_printf (_("What customers owe as of %s, by how many days it is past due"), today);

  g_ptr_array_sort (self->aging, compare_total);
  bb_chart_view_set_chart (self->aging_chart, chart);
  adw_preferences_group_set_description (self->aging_group, description);
  clear_list (self->aging_list);

  for (guint i = 0; i < self->aging->len; i++)
    {
      BbAgingRow *row = g_ptr_array_index (self->aging, i);

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

  if (self->aging->len > AGING_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "…and %u more customer; Export ▸ Table as CSV lists everyone",
                                                            "…and %u more customers; Export ▸ Table as CSV lists everyone",
                                                            self->aging->len - AGING_ROWS),
                                               self->aging->len - AGING_ROWS);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->aging_list, label);
    }

  set_summary (self, SUMMARY_OUTSTANDING, outstanding, TRUE);
  set_summary (self, SUMMARY_OVERDUE, overdue, TRUE);
}

/* Nothing in the book to chart: the status page says what will be. */
static void
update_empty (BbReportsPage *self)
{
  gboolean any = FALSE;

  if (self->pending > 0)
    return;

  for (guint i = 0; self->collections && i < self->collections->len && !any; i++)
    any = ((BbCollectionsRow *) g_ptr_array_index (self->collections, i))->amount != 0;
  any = any || (self->aging && self->aging->len > 0);

  gtk_stack_set_visible_child_name (self->stack, any ? "reports" : "empty");
}

static void
collections_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BbReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = bb_reports_collections_finish (BB_DB (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (rows == NULL)
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  g_clear_pointer (&self->collections, g_ptr_array_unref);
  self->collections = rows;
  show_collections (self);
  update_empty (self);
}

static void
aging_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BbReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = bb_reports_aging_finish (BB_DB (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (rows == NULL)
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  g_clear_pointer (&self->aging, g_ptr_array_unref);
  self->aging = rows;
  show_aging (self);
  update_empty (self);
}

static void
reload (BbReportsPage *self)
{
  BbDb *db = bb_page_get_database (BB_PAGE (self));
  GDate today, from;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (db == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  bb_date_set_today (&today);
  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 1, g_date_get_month (&today), g_date_get_year (&today));
  g_date_subtract_months (&from, N_MONTHS - 1);

  self->pending = 2;
  bb_reports_collections_async (db, &from, &today, self->cancellable, collections_done, g_object_ref (self));
  bb_reports_aging_async (db, &today, self->cancellable, aging_done, g_object_ref (self));
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
      g_strcmp0 (table, "customers") != 0 && g_strcmp0 (table, "settings") != 0)
    return;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

/* ---- Export ----------------------------------------------------------- */

typedef struct
{
  BbReportsPage *self;
  char          *report;      /* "collections" or "aging" */
  char          *format;      /* "csv", "png" or "pdf" */
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_free (export->report);
  g_free (export->format);
  g_free (export);
}

static gboolean
write_export (Export      *export,
              const char  *path,
              GError     **error)
{
  BbReportsPage *self = export->self;
  gboolean collections = g_str_equal (export->report, "collections");
  BbChartView *view = collections ? self->collections_chart : self->aging_chart;
  BbChartStyle style;

  if (g_str_equal (export->format, "csv"))
    {
      g_autofree char *csv = collections
        ? bb_reports_collections_to_csv (self->collections, currency (self), error)
        : bb_reports_aging_to_csv (self->aging, currency (self), error);

      return csv != NULL && g_file_set_contents_full (path, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
    }

  /* The file in the light style, which prints well. */
  bb_chart_style_init_default (&style, FALSE);
  style.show_title = TRUE;
  if (g_str_equal (export->format, "png"))
    return bb_chart_write_png (bb_chart_view_get_chart (view), &style, path, 1200, 600, error);

  return bb_chart_write_pdf (bb_chart_view_get_chart (view), &style, path, 842, 421, error);
}

static void
on_export_chosen (GtkNativeDialog *native,
                  int              response,
                  Export          *export)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (write_export (export, path, &error))
        {
          g_autofree char *name = g_path_get_basename (path);
          g_autofree char *done = g_strdup_printf (_("Saved “%s”"), name);

          bb_widget_toast (GTK_WIDGET (export->self), done);
        }
      else
        bb_widget_toast (GTK_WIDGET (export->self), error->message);
    }

  export_free (export);
  g_object_unref (native);
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
  Export *export;

  if (g_strv_length (parts) != 2 ||
      (g_str_equal (parts[0], "collections") ? self->collections : self->aging) == NULL)
    return;

  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->report = g_strdup (parts[0]);
  export->format = g_strdup (parts[1]);

  /* TRANSLATORS: file names, e.g. "collections-2026-11-23.csv" */
  name = g_strdup_printf ("%s-%s.%s", g_str_equal (parts[0], "collections") ? _("collections") : _("aging"),
                          day, parts[1]);
  native = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_export_chosen), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- The page --------------------------------------------------------- */

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
  g_clear_pointer (&self->collections, g_ptr_array_unref);
  g_clear_pointer (&self->aging, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_reports_page_parent_class)->dispose (object);
}

static void
bb_reports_page_class_init (BbReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_reports_page_dispose;
  BB_PAGE_CLASS (klass)->database_changed = bb_reports_page_database_changed;

  g_type_ensure (BB_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BbReportsPage, summary_box);
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
                               _("Shown once prepaid cards are kept in Billbook"));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
