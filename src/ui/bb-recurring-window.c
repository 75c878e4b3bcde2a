/* bb-recurring-window.c — recurring charges: list, add, stop, and bill the due ones
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the book's recurring charges (or one customer's), with what each
 * bills, how often, when next and until when. A new charge is entered in
 * the window's second page and checked by core (bb_recurring_validate),
 * whose messages name the field. "Bill Due Charges Now" runs the same
 * bb_recurring_run as the start of the app and `billbook-cli recur`, in
 * a thread, and says how many draft bills it made.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-ui-util.h"
#include "bb-customers.h"
#include "bb-recurring.h"
#include "bb-recurring-window.h"
#include "bb-text.h"

/* Charges shown at once; a shop has tens, a big one hundreds. */
#define MAX_SHOWN 1000

struct _BbRecurringWindow
{
  AdwWindow          parent_instance;

  BbDb              *db;
  gint64             customer_id;
  GCancellable      *cancellable;
  guint              n_shown;

  AdwToastOverlay   *toasts;
  AdwHeaderBar      *header_bar;
  GtkWidget         *back_button;
  GtkWidget         *add_button;
  GtkWidget         *save_button;
  GtkWidget         *run_button;
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkListBox        *charges_list;
  GtkLabel          *more_label;
  AdwEntryRow       *customer_row;
  GtkLabel          *customer_label;
  AdwEntryRow       *description_row;
  AdwEntryRow       *amount_row;
  AdwEntryRow       *tax_row;
  AdwComboRow       *interval_row;
  AdwEntryRow       *start_row;
  AdwEntryRow       *end_row;
};

G_DEFINE_FINAL_TYPE (BbRecurringWindow, bb_recurring_window, ADW_TYPE_WINDOW)

static void
toast (BbRecurringWindow *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static void
show_page (BbRecurringWindow *self,
           const char        *page)
{
  gboolean adding = g_str_equal (page, "add");

  gtk_widget_set_visible (self->back_button, adding);
  gtk_widget_set_visible (self->save_button, adding);
  gtk_widget_set_visible (self->add_button, !adding);
  gtk_widget_set_visible (self->run_button, !adding);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !adding);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !adding);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void on_stop_clicked (GtkButton *button, BbRecurringWindow *self);

static char *
describe (BbRecurringWindow *self,
          BbRecurringCharge *charge)
{
  g_autofree char *amount = bb_money_format (charge->amount, bb_business_get_currency (self->db));
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: "¥300.00 · Monthly" */
  g_string_append_printf (text, _("%s · %s"), amount, bb_recurring_interval_label (charge->interval));
  g_string_append (text, " · ");
  if (!charge->active)
    g_string_append (text, _("Stopped"));
  else if (charge->end_on != NULL && *charge->end_on != '\0' && g_strcmp0 (charge->next_on, charge->end_on) > 0)
    g_string_append (text, _("Ended"));
  else
    /* Translators: the next period a charge bills */
    g_string_append_printf (text, _("next %s"), charge->next_on);
  if (charge->end_on != NULL && *charge->end_on != '\0')
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("until %s"), charge->end_on);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_charge_row (BbRecurringWindow *self,
                BbRecurringCharge *charge)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = describe (self, charge);

  title = self->customer_id != 0
          ? g_strdup (charge->description)
          /* Translators: a recurring charge: "张三 · 月租" */
          : g_strdup_printf (_("%s · %s"), charge->customer_name ? charge->customer_name : "", charge->description);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (charge->active)
    {
      GtkWidget *stop = gtk_button_new_with_mnemonic (_("_Stop"));
      g_autofree char *label = g_strdup_printf (_("Stop the charge %s"), title);

      gtk_widget_set_valign (stop, GTK_ALIGN_CENTER);
      bb_cell_set_tooltip (stop, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (stop), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (stop), "charge-id", GSIZE_TO_POINTER ((gsize) charge->id));
      g_object_set_data_full (G_OBJECT (stop), "charge-title", g_strdup (title), g_free);
      g_signal_connect (stop, "clicked", G_CALLBACK (on_stop_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), stop);
    }
  else
    gtk_widget_add_css_class (row, "dim-label");

  gtk_list_box_append (self->charges_list, row);
}

static void
reload (BbRecurringWindow *self)
{
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GError) error = NULL;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  clear_list (self->charges_list);
  self->n_shown = 0;

  if (self->customer_id != 0)
    charges = bb_recurring_list_for_customer (self->db, self->customer_id, &error);
  else
    charges = bb_recurring_list (self->db, 0, MAX_SHOWN + 1, &error);
  if (charges == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < charges->len && i < MAX_SHOWN; i++)
    {
      add_charge_row (self, g_ptr_array_index (charges, i));
      self->n_shown++;
    }

  if (charges->len > MAX_SHOWN)
    {
      g_autofree char *text = g_strdup_printf (_("The first %u charges are shown, by customer code; open a customer to see theirs."),
                                               MAX_SHOWN);

      gtk_label_set_text (self->more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), charges->len > MAX_SHOWN);

  if (g_strcmp0 (page, "add") != 0)
    show_page (self, self->n_shown > 0 ? "list" : "empty");
}

static void
on_changed (BbRecurringWindow *self)
{
  reload (self);
}

/* Stopping */

static void
on_stop_response (AdwMessageDialog  *dialog,
                  const char        *response,
                  BbRecurringWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "charge-id"));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "stop") != 0)
    return;

  if (!bb_recurring_stop (self->db, id, &error))
    toast (self, error->message);
  else
    toast (self, _("Charge stopped; bills made already stay"));
}

static void
on_stop_clicked (GtkButton         *button,
                 BbRecurringWindow *self)
{
  const char *title = g_object_get_data (G_OBJECT (button), "charge-title");
  g_autofree char *heading = g_strdup_printf (_("Stop “%s”?"), title);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("No more bills are made for it. Bills made already stay as they are.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "stop", _("_Stop Charge"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "charge-id", g_object_get_data (G_OBJECT (button), "charge-id"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_stop_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Adding */

/* The customer the text names: their code, or the one customer whose
 * name or phone fits. */
static BbCustomer *
find_customer (BbRecurringWindow *self,
               const char        *text,
               GError           **error)
{
  g_autofree char *stripped = bb_text_strip (text);
  BbCustomerQuery query = { 0 };
  g_autoptr(GPtrArray) found = NULL;
  BbCustomer *customer;

  if (*stripped == '\0')
    {
      g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Customer: choose who is billed"));
      return NULL;
    }

  customer = bb_customers_get_by_code (self->db, stripped, NULL);
  if (customer != NULL)
    return customer;

  query.text = stripped;
  found = bb_customers_search (self->db, &query, 0, 2, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return g_object_ref (g_ptr_array_index (found, 0));

  if (found->len == 0)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                 _("Customer: no customer has the code, name or phone “%s”"), stripped);
  else
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                 _("Customer: several customers fit “%s”; type the customer’s code"), stripped);

  return NULL;
}

static void
on_customer_changed (BbRecurringWindow *self)
{
  g_autoptr(BbCustomer) customer = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->customer_row));

  gtk_widget_remove_css_class (GTK_WIDGET (self->customer_row), "error");
  customer = *text != '\0' ? find_customer (self, text, NULL) : NULL;
  gtk_label_set_text (self->customer_label, customer ? customer->name : "");
}

static void
clear_errors (BbRecurringWindow *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->customer_row), GTK_WIDGET (self->description_row),
                        GTK_WIDGET (self->amount_row), GTK_WIDGET (self->tax_row),
                        GTK_WIDGET (self->start_row), GTK_WIDGET (self->end_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
}

static void
on_add_clicked (BbRecurringWindow *self)
{
  GDate today;
  g_autofree char *iso = NULL;

  bb_date_set_today (&today);
  iso = bb_date_to_iso (&today);

  clear_errors (self);
  if (self->customer_id != 0)
    {
      g_autoptr(BbCustomer) customer = bb_customers_get (self->db, self->customer_id, NULL);

      gtk_editable_set_text (GTK_EDITABLE (self->customer_row), customer ? customer->code : "");
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->customer_row), "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_row), self->customer_id == 0);
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->tax_row), "0");
  adw_combo_row_set_selected (self->interval_row, BB_RECURRING_MONTHLY);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), iso);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), "");

  show_page (self, "add");
  gtk_widget_grab_focus (GTK_WIDGET (self->customer_id == 0 ? self->customer_row : self->description_row));
}

static void
on_back_clicked (BbRecurringWindow *self)
{
  show_page (self, self->n_shown > 0 ? "list" : "empty");
}

/* The row a message of core's is about, by the field it names first. */
static GtkWidget *
row_for_message (BbRecurringWindow *self,
                 const char        *message)
{
  const struct { const char *field; GtkWidget *row; } fields[] = {
    { _("Customer"), GTK_WIDGET (self->customer_row) },
    { _("Description"), GTK_WIDGET (self->description_row) },
    { _("Amount"), GTK_WIDGET (self->amount_row) },
    { _("Tax"), GTK_WIDGET (self->tax_row) },
    { _("Starts on"), GTK_WIDGET (self->start_row) },
    { _("Next bill on"), GTK_WIDGET (self->start_row) },
    { _("Ends on"), GTK_WIDGET (self->end_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_has_prefix (message, fields[i].field))
      return fields[i].row;

  return NULL;
}

static void
fail (BbRecurringWindow *self,
      GtkWidget         *row,
      const GError      *error)
{
  if (row == NULL)
    row = row_for_message (self, error->message);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
  toast (self, error->message);
}

static void
on_save_clicked (BbRecurringWindow *self)
{
  g_autoptr(BbRecurringCharge) charge = bb_recurring_charge_new ();
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  const BbCurrency *currency = bb_business_get_currency (self->db);
  const char *tax_text = gtk_editable_get_text (GTK_EDITABLE (self->tax_row));
  guint interval = adw_combo_row_get_selected (self->interval_row);

  clear_errors (self);

  customer = find_customer (self, gtk_editable_get_text (GTK_EDITABLE (self->customer_row)), &error);
  if (customer == NULL)
    {
      fail (self, GTK_WIDGET (self->customer_row), error);
      return;
    }
  charge->customer_id = customer->id;

  g_free (charge->description);
  charge->description = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));

  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), currency,
                       _("Amount"), FALSE, &charge->amount, &error))
    {
      fail (self, GTK_WIDGET (self->amount_row), error);
      return;
    }
  if (*tax_text != '\0' && !bb_rate_parse (tax_text, _("Tax"), FALSE, &charge->tax_rate, &error))
    {
      fail (self, GTK_WIDGET (self->tax_row), error);
      return;
    }

  charge->interval = interval < BB_RECURRING_N_INTERVALS ? (BbRecurringInterval) interval : BB_RECURRING_MONTHLY;
  g_free (charge->start_on);
  charge->start_on = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->start_row)));
  g_free (charge->end_on);
  charge->end_on = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->end_row)));
  charge->active = TRUE;

  if (!bb_recurring_save (self->db, charge, &error))
    {
      fail (self, NULL, error);
      return;
    }

  /* Translators: "Recurring charge added: 月租, next bill on 2026-12-01" */
  done = g_strdup_printf (_("Recurring charge added: %s, first bill on %s"), charge->description, charge->next_on);
  toast (self, done);
  show_page (self, "list");
  reload (self);
}

/* Billing the due charges */

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BbRecurringWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  g_clear_object (&self->cancellable);
  if (self->db == NULL)
    return;   /* the window was closed meanwhile */
  gtk_widget_set_sensitive (self->run_button, TRUE);

  if (!bb_recurring_run_finish (self->db, result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  text = n == 0 ? g_strdup (_("No charge is due: no bill was made"))
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u draft bill was made; review and issue it on the Billing page",
                                                "%u draft bills were made; review and issue them on the Billing page",
                                                n),
                                   n);
  toast (self, text);
  reload (self);
}

static void
on_run_clicked (BbRecurringWindow *self)
{
  GDate today;

  if (self->cancellable != NULL)
    return;

  bb_date_set_today (&today);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->run_button, FALSE);
  bb_recurring_run_async (self->db, &today, self->cancellable, run_done, g_object_ref (self));
}

static void
bb_recurring_window_dispose (GObject *object)
{
  BbRecurringWindow *self = BB_RECURRING_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_RECURRING_WINDOW);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_recurring_window_parent_class)->dispose (object);
}

static void
bb_recurring_window_class_init (BbRecurringWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_recurring_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-recurring-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, charges_list);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, more_label);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, customer_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, customer_label);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, description_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, tax_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, start_row);
  gtk_widget_class_bind_template_child (widget_class, BbRecurringWindow, end_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_customer_changed);
}

static void
bb_recurring_window_init (BbRecurringWindow *self)
{
  g_autoptr(GtkStringList) intervals = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of BbRecurringInterval */
  for (guint i = 0; i < BB_RECURRING_N_INTERVALS; i++)
    gtk_string_list_append (intervals, bb_recurring_interval_label ((BbRecurringInterval) i));
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (intervals));
}

BbRecurringWindow *
bb_recurring_window_new (GtkWindow *parent,
                         BbDb      *db,
                         gint64     customer_id)
{
  BbRecurringWindow *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_RECURRING_WINDOW, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->customer_id = customer_id;

  if (customer_id != 0)
    {
      g_autoptr(BbCustomer) customer = bb_customers_get (db, customer_id, NULL);

      if (customer != NULL)
        {
          /* Translators: the window's title for one customer's charges */
          g_autofree char *title = g_strdup_printf (_("Recurring Charges of %s"), customer->name);

          gtk_window_set_title (GTK_WINDOW (self), title);
          adw_status_page_set_title (self->empty_page, _("No Recurring Charges for This Customer"));
        }
    }

  g_signal_connect_object (db, "changed::recurring_charges", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

guint
bb_recurring_window_get_n_shown (BbRecurringWindow *self)
{
  g_return_val_if_fail (BB_IS_RECURRING_WINDOW (self), 0);

  return self->n_shown;
}
