/* bb-payment-dialog.c — record money a customer paid, and what it pays
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog shows the customer's open bills, oldest due first (the bill
 * it was opened from first of all), and spreads the amount over them as
 * core would; the owner may change any share. What is left over becomes
 * the customer's credit. Core checks everything again and records the
 * payment and its shares in one transaction.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-payment-methods.h"
#include "bb-payment-dialog.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* Open bills offered; a customer with more is rare, and the rest still
 * get the credit later. */
#define MAX_BILLS 200

struct _BbPaymentDialog
{
  AdwWindow          parent_instance;

  BbDb              *db;
  gint64             customer_id;
  gint64             invoice_id;
  gint64             payment_id;
  const BbCurrency  *currency;
  GPtrArray         *bills;        /* BbInvoice, in the order they are paid */
  GPtrArray         *shares;       /* GtkEntry per bill */
  GArray            *methods;      /* BbPaymentMethod per item of method_row */
  gboolean           filling;
  gboolean           shares_edited;

  AdwToastOverlay   *toasts;
  AdwPreferencesGroup *payment_group;
  AdwEntryRow       *amount_row;
  AdwEntryRow       *date_row;
  AdwComboRow       *method_row;
  AdwEntryRow       *reference_row;
  AdwEntryRow       *note_row;
  AdwPreferencesGroup *bills_group;
  GtkListBox        *bills_list;
  GtkLabel          *rest_label;
  GtkWidget         *record_button;
};

G_DEFINE_FINAL_TYPE (BbPaymentDialog, bb_payment_dialog, ADW_TYPE_WINDOW)

/* The methods the dialog offers, in its list's order, less those turned
 * off in Preferences, each with the name the owner gave it. Prepaid
 * money is taken from a prepaid card, not recorded here. */
static const BbPaymentMethod offered_methods[] = {
  BB_PAYMENT_CASH,
  BB_PAYMENT_WECHAT_PAY,
  BB_PAYMENT_ALIPAY,
  BB_PAYMENT_BANK_TRANSFER,
  BB_PAYMENT_CARD,
  BB_PAYMENT_OTHER,
};

static void
toast (BbPaymentDialog *self,
       const char      *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static BbMoney
parse_or_zero (const char       *text,
               const BbCurrency *currency)
{
  BbMoney value = 0;

  if (!bb_money_parse (text, currency, "", FALSE, &value, NULL))
    return 0;

  return value;
}

static BbMoney
amount (BbPaymentDialog *self)
{
  return parse_or_zero (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), self->currency);
}

static void
update_rest (BbPaymentDialog *self)
{
  BbMoney total = amount (self);
  BbMoney shared = 0;
  g_autofree char *text = NULL;
  g_autofree char *formatted = NULL;

  for (guint i = 0; i < self->shares->len; i++)
    shared += parse_or_zero (gtk_editable_get_text (g_ptr_array_index (self->shares, i)), self->currency);

  if (total > shared)
    {
      formatted = bb_money_format (total - shared, self->currency);
      text = self->bills->len > 0
        ? g_strdup_printf (_("%s is not put on a bill: it becomes the customer’s credit, for later bills."), formatted)
        : g_strdup_printf (_("The customer has no open bills: %s becomes their credit, for later bills."), formatted);
      gtk_widget_remove_css_class (GTK_WIDGET (self->rest_label), "error");
    }
  else if (total < shared)
    {
      formatted = bb_money_format (shared - total, self->currency);
      text = g_strdup_printf (_("The bills get %s more than the payment."), formatted);
      gtk_widget_add_css_class (GTK_WIDGET (self->rest_label), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->rest_label), "error");

  gtk_label_set_text (self->rest_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->rest_label), text != NULL);
}

/* As core would: the oldest due first, each up to what it still owes. */
static void
spread (BbPaymentDialog *self)
{
  BbMoney left = amount (self);

  self->filling = TRUE;
  for (guint i = 0; i < self->bills->len; i++)
    {
      BbInvoice *bill = g_ptr_array_index (self->bills, i);
      BbMoney share = MIN (left, bill->open_balance);
      g_autofree char *text = share > 0 ? bb_money_format_plain (share, self->currency) : g_strdup ("");

      gtk_editable_set_text (g_ptr_array_index (self->shares, i), text);
      left -= share;
    }
  self->filling = FALSE;
}

static void
on_amount_changed (BbPaymentDialog *self)
{
  if (!self->shares_edited)
    spread (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
  update_rest (self);
}

static void
on_share_changed (GtkEditable     *entry,
                  BbPaymentDialog *self)
{
  if (!self->filling)
    self->shares_edited = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  update_rest (self);
}

static gint
compare_due (gconstpointer a,
             gconstpointer b)
{
  BbInvoice *x = *(BbInvoice **) a;
  BbInvoice *y = *(BbInvoice **) b;
  int c = g_strcmp0 (x->due_on, y->due_on);

  return c != 0 ? c : (x->id < y->id ? -1 : x->id > y->id);
}

static void
load_bills (BbPaymentDialog *self)
{
  g_autoptr(GError) error = NULL;
  BbInvoiceQuery query = { 0 };
  g_autoptr(GPtrArray) found = NULL;
  BbInvoice *first = NULL;

  query.status = BB_INVOICE_ISSUED;
  query.customer_id = self->customer_id;
  query.sort = BB_INVOICE_SORT_DUE;
  found = bb_invoices_search (self->db, &query, 0, MAX_BILLS, &error);
  if (found == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    {
      BbInvoice *bill = g_ptr_array_index (found, i);

      if (bill->open_balance <= 0 || bill->kind == BB_INVOICE_KIND_CREDIT_NOTE)
        continue;
      if (bill->id == self->invoice_id)
        first = bill;
      else
        g_ptr_array_add (self->bills, g_object_ref (bill));
    }
  g_ptr_array_sort (self->bills, compare_due);
  if (first != NULL)
    g_ptr_array_insert (self->bills, 0, g_object_ref (first));

  for (guint i = 0; i < self->bills->len; i++)
    {
      BbInvoice *bill = g_ptr_array_index (self->bills, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *entry = gtk_entry_new ();
      g_autofree char *open = bb_money_format (bill->open_balance, self->currency);
      g_autofree char *subtitle = g_strdup_printf (_("Due %s · owes %s"), bill->due_on, open);
      g_autofree char *label = g_strdup_printf (_("Amount for bill %s"), bill->number);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bill->number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
      gtk_entry_set_alignment (GTK_ENTRY (entry), 1.0);
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
      gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_widget_set_tooltip_text (entry, label);
      g_signal_connect (entry, "changed", G_CALLBACK (on_share_changed), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
      gtk_list_box_append (self->bills_list, row);
      g_ptr_array_add (self->shares, entry);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->bills_group), self->bills->len > 0);
}

static void
on_record_clicked (BbPaymentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
  guint method = adw_combo_row_get_selected (self->method_row);
  g_autofree char *done = NULL;
  g_autofree char *formatted = NULL;
  gint64 id = 0;

  payment->customer_id = self->customer_id;
  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), self->currency,
                       _("Amount"), FALSE, &payment->amount, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->amount_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < self->shares->len; i++)
    {
      GtkEditable *entry = g_ptr_array_index (self->shares, i);
      BbInvoice *bill = g_ptr_array_index (self->bills, i);
      g_autofree char *field = g_strdup_printf (_("Bill %s"), bill->number);
      BbMoney share;

      if (*gtk_editable_get_text (entry) == '\0')
        continue;
      if (!bb_money_parse (gtk_editable_get_text (entry), self->currency, field, FALSE, &share, &error))
        {
          gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
          gtk_widget_grab_focus (GTK_WIDGET (entry));
          toast (self, error->message);
          return;
        }
      if (share > 0)
        g_ptr_array_add (allocations, bb_allocation_new (bill->id, share));
    }

  g_free (payment->received_on);
  payment->received_on = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  if (method == GTK_INVALID_LIST_POSITION || method >= self->methods->len)
    {
      toast (self, _("Method: choose how the money was paid"));
      return;
    }
  payment->method = g_array_index (self->methods, BbPaymentMethod, method);
  g_free (payment->reference);
  payment->reference = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->reference_row)));
  g_free (payment->note);
  payment->note = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));

  /* The shares as shown are what is recorded, none meaning credit. */
  if (!bb_payments_record (self->db, payment, allocations, &id, &error))
    {
      if (g_str_has_prefix (error->message, _("Received on")))
        gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      toast (self, error->message);
      return;
    }

  self->payment_id = id;
  formatted = bb_money_format (payment->amount, self->currency);
  done = g_strdup_printf (_("Payment of %s recorded"), formatted);
  if (gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    bb_widget_toast (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))), done);
  gtk_window_close (GTK_WINDOW (self));
}

static void
bb_payment_dialog_dispose (GObject *object)
{
  BbPaymentDialog *self = BB_PAYMENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PAYMENT_DIALOG);
  g_clear_pointer (&self->bills, g_ptr_array_unref);
  g_clear_pointer (&self->shares, g_ptr_array_unref);
  g_clear_pointer (&self->methods, g_array_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_payment_dialog_parent_class)->dispose (object);
}

static void
bb_payment_dialog_class_init (BbPaymentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_payment_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-payment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, payment_group);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, reference_row);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, bills_group);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, bills_list);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, rest_label);
  gtk_widget_class_bind_template_child (widget_class, BbPaymentDialog, record_button);
  gtk_widget_class_bind_template_callback (widget_class, on_record_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_changed);
}

static void
load_methods (BbPaymentDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (offered_methods); i++)
    {
      g_autofree char *name = NULL;

      if (!bb_payment_methods_is_enabled (self->db, offered_methods[i]))
        continue;
      name = bb_payment_methods_get_name (self->db, offered_methods[i]);
      gtk_string_list_append (names, name);
      g_array_append_val (self->methods, offered_methods[i]);
    }
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (names));
}

static void
bb_payment_dialog_init (BbPaymentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->bills = g_ptr_array_new_with_free_func (g_object_unref);
  self->shares = g_ptr_array_new ();
  self->methods = g_array_new (FALSE, FALSE, sizeof (BbPaymentMethod));
}

BbPaymentDialog *
bb_payment_dialog_new (GtkWindow *parent,
                       BbDb      *db,
                       gint64     customer_id,
                       gint64     invoice_id)
{
  BbPaymentDialog *self;
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *today = NULL;
  BbMoney owed = 0;
  GDate date;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PAYMENT_DIALOG, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->customer_id = customer_id;
  self->invoice_id = invoice_id;
  self->currency = bb_business_get_currency (db);
  load_methods (self);

  customer = bb_customers_get (db, customer_id, NULL);
  if (customer != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("From %s"), customer->name);

      adw_preferences_group_set_title (self->payment_group, title);
    }

  bb_date_set_today (&date);
  today = bb_date_to_iso (&date);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);

  load_bills (self);

  /* The amount asked: the bill's balance, or all the customer owes. */
  for (guint i = 0; i < self->bills->len; i++)
    {
      BbInvoice *bill = g_ptr_array_index (self->bills, i);

      if (invoice_id == 0 || bill->id == invoice_id)
        owed += bill->open_balance;
    }
  if (owed > 0)
    {
      g_autofree char *text = bb_money_format_plain (owed, self->currency);

      gtk_editable_set_text (GTK_EDITABLE (self->amount_row), text);
    }
  update_rest (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));

  return self;
}

gint64
bb_payment_dialog_get_payment_id (BbPaymentDialog *self)
{
  g_return_val_if_fail (BB_IS_PAYMENT_DIALOG (self), 0);

  return self->payment_id;
}
