/* bb-import-dialog.c — choose a file, see its first rows, import all or nothing
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading, checking and importing run in a thread (core's _async calls on
 * their own connection), with progress and Cancel, so the window never
 * freezes on a big file.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-customer-io.h"
#include "bb-import-dialog.h"

#define PREVIEW_ROWS 20

struct _BbImportDialog
{
  AdwWindow             parent_instance;

  BbDb                 *db;
  GBytes               *data;
  BbCustomerFileFormat  format;
  GCancellable         *cancellable;

  GtkStack             *stack;
  GtkWidget            *cancel_button;
  GtkWidget            *import_button;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *summary_label;
  GtkWidget            *problems_group;
  GtkListBox           *problems_list;
  GtkWidget            *preview_group;
  GtkListBox           *preview_list;
  AdwStatusPage        *done_page;
};

G_DEFINE_FINAL_TYPE (BbImportDialog, bb_import_dialog, ADW_TYPE_WINDOW)

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle && *subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (list, row);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  BbImportDialog *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
show_progress (BbImportDialog *self,
               const char     *text)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (self->import_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
}

static void
show_report (BbImportDialog *self,
             BbImportReport *report,
             const GError   *error)
{
  g_autofree char *summary = NULL;
  guint n_problems = report ? report->problems->len : 0;

  clear_list (self->problems_list);
  clear_list (self->preview_list);

  for (guint i = 0; i < n_problems; i++)
    {
      BbImportProblem *p = g_ptr_array_index (report->problems, i);

      add_row (self->problems_list, p->message, NULL);
    }

  for (guint i = 0; report && i < report->preview->len && i < PREVIEW_ROWS; i++)
    {
      BbCustomer *c = g_ptr_array_index (report->preview, i);
      g_autofree char *sub = g_strjoin (" · ", *c->phone ? c->phone : "—", *c->email ? c->email : "—",
                                        *c->company ? c->company : "", NULL);

      add_row (self->preview_list, c->name, sub);
    }

  if (n_problems > 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u row has a problem, so nothing will be imported.",
                                            "%u rows have problems, so nothing will be imported.",
                                            n_problems),
                               n_problems);
  else if (error != NULL)
    summary = g_strdup (error->message);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u customer is ready to import. Check the first rows below.",
                                            "%u customers are ready to import. Check the first rows below.",
                                            report->n_rows),
                               report->n_rows);

  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (self->problems_group, n_problems > 0);
  gtk_widget_set_visible (self->preview_group, report && report->preview->len > 0);
  gtk_widget_set_visible (self->import_button, report && n_problems == 0 && error == NULL && report->n_rows > 0);
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BbImportDialog) self = user_data;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_clear_object (&self->cancellable);

  if (!bb_customers_import_finish (self->db, result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_status_page_set_icon_name (self->done_page, "process-stop-symbolic");
          adw_status_page_set_title (self->done_page, _("Import Cancelled"));
          adw_status_page_set_description (self->done_page, _("Nothing was imported."));
          gtk_stack_set_visible_child_name (self->stack, "done");
        }
      else
        show_report (self, report, error);
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u customer was added to the book.",
                                       "%u customers were added to the book.",
                                       report->n_imported),
                          report->n_imported);
  adw_status_page_set_description (self->done_page, text);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("_Close"));
  gtk_stack_set_visible_child_name (self->stack, "done");
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BbImportDialog) self = user_data;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);

  if (!bb_customers_import_finish (self->db, result, &report, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_stack_set_visible_child_name (self->stack, "choose");
      return;
    }

  show_report (self, report, report && report->problems->len > 0 ? NULL : error);
}

static void
start (BbImportDialog *self,
       gboolean        dry_run)
{
  show_progress (self, dry_run ? _("Reading the file…") : _("Importing…"));
  bb_customers_import_async (self->db, self->data, self->format, dry_run,
                             on_progress, self, self->cancellable,
                             dry_run ? check_done : import_done, g_object_ref (self));
}

static void
file_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BbImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_report (self, NULL, error);
      else
        gtk_stack_set_visible_child_name (self->stack, "choose");
      return;
    }

  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_new_take (contents, length);
  start (self, TRUE);
}

void
bb_import_dialog_open_file (BbImportDialog *self,
                            GFile          *file)
{
  g_autofree char *name = g_file_get_basename (file);

  g_return_if_fail (BB_IS_IMPORT_DIALOG (self));

  self->format = g_str_has_suffix (name, ".vcf") || g_str_has_suffix (name, ".VCF") ||
                 g_str_has_suffix (name, ".vcard")
                 ? BB_CUSTOMER_FILE_VCARD : BB_CUSTOMER_FILE_CSV;

  show_progress (self, _("Reading the file…"));
  gtk_progress_bar_pulse (self->progress_bar);
  g_file_load_contents_async (file, self->cancellable, file_loaded, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog *native,
                int              response,
                BbImportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      bb_import_dialog_open_file (self, file);
    }

  g_object_unref (native);
}

static void
on_choose_clicked (BbImportDialog *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) vcf = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Import Customers"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  gtk_file_filter_set_name (all, _("CSV and vCard files"));
  gtk_file_filter_add_pattern (all, "*.csv");
  gtk_file_filter_add_pattern (all, "*.CSV");
  gtk_file_filter_add_pattern (all, "*.vcf");
  gtk_file_filter_add_pattern (all, "*.VCF");
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_filter_set_name (vcf, _("vCard files"));
  gtk_file_filter_add_pattern (vcf, "*.vcf");
  gtk_file_filter_add_pattern (vcf, "*.VCF");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), vcf);

  g_signal_connect (native, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_import_clicked (BbImportDialog *self)
{
  start (self, FALSE);
}

static void
on_cancel_clicked (BbImportDialog *self)
{
  if (self->cancellable)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
bb_import_dialog_close_request (GtkWindow *window)
{
  BbImportDialog *self = BB_IMPORT_DIALOG (window);

  /* Closing while importing cancels: nothing half-saved. */
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (bb_import_dialog_parent_class)->close_request (window);
}

static void
bb_import_dialog_dispose (GObject *object)
{
  BbImportDialog *self = BB_IMPORT_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->db);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (bb_import_dialog_parent_class)->dispose (object);
}

static void
bb_import_dialog_class_init (BbImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bb_import_dialog_dispose;
  window_class->close_request = bb_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, BbImportDialog, done_page);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_import_dialog_init (BbImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BbImportDialog *
bb_import_dialog_new (GtkWindow *parent,
                      BbDb      *db)
{
  BbImportDialog *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->db = g_object_ref (db);

  return self;
}
