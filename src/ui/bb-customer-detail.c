/* bb-customer-detail.c — one customer: profile, balances, history, calls
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customer-detail.h"
#include "bb-ui-util.h"
#include "bb-payment-dialog.h"
#include "bb-recurring-window.h"
#include "bb-payment.h"
#include "bb-payment-methods.h"
#include "bb-text.h"
#include "bb-payments.h"
#include "bb-prepaid.h"
#include "bb-customer-editor.h"
#include "bb-customers.h"
#include "bb-interaction-dialog.h"
#include "bb-invoice.h"

/* The detail shows the newest rows; the Billing page has them all. */
#define HISTORY_ROWS 20

struct _BbCustomerDetail
{
  AdwBin      parent_instance;

  BbDb       *db;
  gint64      customer_id;
  gulong      changed_id;
  gboolean    show_back_button;
  gboolean    drawn;            /* has painted: the history can come at once */
  gboolean    history_pending;  /* to be filled after the first frame */

  GtkStack   *stack;
  GtkWidget  *back_button;
  AdwAvatar  *avatar;
  GtkLabel   *name_label;
  GtkLabel   *class_label;
  GtkLabel   *subtitle_label;
  GtkWidget  *archived_label;
  GtkWidget  *edit_button;
  GtkLabel   *outstanding_label;
  GtkLabel   *prepaid_label;
  GtkLabel   *points_label;     /* under the prepaid balance */
  GtkLabel   *credit_label;
  GtkListBox *details_list;
  GtkListBox *interactions_list;
  GtkListBox *bills_list;
  GtkListBox *payments_list;
};

G_DEFINE_FINAL_TYPE (BbCustomerDetail, bb_customer_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_BACK_BUTTON,
  N_PROPS
};

enum {
  BACK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* Rows only: the placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (list, 0)))
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle,
         const char *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle && *subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  if (suffix)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "money");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  gtk_list_box_append (list, row);

  return row;
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_set_placeholder (list, label);
}

static void
add_detail (BbCustomerDetail *self,
            const char       *title,
            const char       *value)
{
  if (value == NULL || *value == '\0')
    return;

  /* The value is what matters: it goes in the title, big; the label is
   * the subtitle. */
  add_row (self->details_list, value, title, NULL);
}

static void on_refund_clicked (GtkButton        *button,
                               BbCustomerDetail *self);

/* Under a bill of the history: its tag as the bill list shows it, and
 * what is still owed when something is. */
static char *
bill_summary (BbCustomerHistoryRow *row,
              const BbCurrency     *currency,
              const GDate          *today)
{
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  BbInvoiceStatus status = BB_INVOICE_DRAFT;
  const char *state;

  bb_invoice_status_from_string (row->status, &status);
  bill->status = status;
  /* A credit note is a negative bill. */
  bill->kind = row->amount < 0 ? BB_INVOICE_KIND_CREDIT_NOTE : BB_INVOICE_KIND_INVOICE;
  bill->total = row->amount;
  bill->paid = row->amount - row->balance;
  bill->open_balance = row->balance;
  g_free (bill->due_on);
  bill->due_on = g_strdup (row->due_on);
  state = bb_invoice_get_state_label (bill, today, NULL);

  if (status == BB_INVOICE_ISSUED && row->balance > 0)
    {
      g_autofree char *balance = bb_money_format (row->balance, currency);

      return g_strdup_printf (_("%s · still open %s"), state, balance);
    }
  return g_strdup (state);
}

static void
clear_history (BbCustomerDetail *self)
{
  clear_list (self->interactions_list);
  clear_list (self->bills_list);
  clear_list (self->payments_list);
}

/* @customer's interactions, bills and payments, under the details. */
static void
show_history (BbCustomerDetail *self,
              BbCustomer       *customer)
{
  g_autoptr(GPtrArray) interactions = NULL;
  g_autoptr(GPtrArray) bills = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  const BbCurrency *currency = bb_business_get_currency (self->db);
  GDate today;

  clear_history (self);

  interactions = bb_interactions_list (self->db, customer->id, NULL);
  for (guint i = 0; interactions && i < interactions->len; i++)
    {
      BbInteraction *it = g_ptr_array_index (interactions, i);
      g_autofree char *title = g_strdup_printf ("%s · %s · %s", it->occurred_on,
                                                bb_interaction_channel_label (it->channel),
                                                bb_interaction_kind_label (it->kind));
      g_autoptr(GString) body = g_string_new (it->summary);

      if (it->outcome && *it->outcome)
        {
          g_string_append_c (body, '\n');
          g_string_append_printf (body, _("Outcome: %s"), it->outcome);
        }
      if (it->follow_up_on)
        g_string_append_printf (body, "\n%s %s%s", _("Follow up on"), it->follow_up_on,
                                it->follow_up_done ? _(" (done)") : "");
      add_row (self->interactions_list, title, body->str, NULL);
    }

  bills = bb_customers_list_invoices (self->db, customer->id, HISTORY_ROWS, NULL);
  bb_date_set_today (&today);
  for (guint i = 0; bills && i < bills->len; i++)
    {
      BbCustomerHistoryRow *row = g_ptr_array_index (bills, i);
      const char *reference = *row->reference ? row->reference : _("Draft");
      g_autofree char *total = bb_money_format (row->amount, currency);
      g_autofree char *title = row->date ? g_strdup_printf ("%s · %s", reference, row->date) : g_strdup (reference);
      g_autofree char *sub = bill_summary (row, currency, &today);

      add_row (self->bills_list, title, sub, total);
    }

  payments = bb_payments_list_for_customer (self->db, customer->id, 0, HISTORY_ROWS, NULL);
  for (guint i = 0; payments && i < payments->len; i++)
    {
      BbPayment *payment = g_ptr_array_index (payments, i);
      g_autofree char *amount = bb_money_format (payment->amount, currency);
      g_autofree char *method = bb_payment_methods_get_name (self->db, payment->method);
      g_autofree char *title = g_strdup_printf ("%s · %s", payment->received_on, method);
      g_autofree char *detail = NULL;
      GtkWidget *row;

      if (bb_payment_is_refund (payment))
        detail = g_strdup_printf (_("Refund: %s"), payment->note ? payment->note : "");
      else if (bb_payment_is_reversed (payment))
        detail = g_strdup_printf (_("%s · refunded"), payment->reference ? payment->reference : "");
      else
        detail = g_strdup (payment->reference);

      row = add_row (self->payments_list, title, detail, amount);
      if (!bb_payment_is_refund (payment) && !bb_payment_is_reversed (payment) && !customer->erased)
        {
          GtkWidget *button = gtk_button_new_from_icon_name ("edit-undo-symbolic");

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          /* Twenty rows: set_tooltip_text() would ask the X server where
           * the pointer is twenty times (bb_cell_set_tooltip()). */
          bb_cell_set_tooltip (button, _("Refund This Payment…"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Refund this payment"), -1);
          g_object_set_data_full (G_OBJECT (button), "payment", g_object_ref (payment), g_object_unref);
          g_signal_connect (button, "clicked", G_CALLBACK (on_refund_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
    }
}

static gboolean
history_after_first_frame (gpointer user_data)
{
  BbCustomerDetail *self = user_data;

  self->drawn = TRUE;
  if (self->history_pending)
    {
      g_autoptr(BbCustomer) customer = NULL;

      self->history_pending = FALSE;
      if (self->db != NULL && self->customer_id != 0 &&
          (customer = bb_customers_get (self->db, self->customer_id, NULL)) != NULL)
        show_history (self, customer);
      else
        clear_history (self);
    }
  return G_SOURCE_REMOVE;
}

static void
reload (BbCustomerDetail *self)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *klass = NULL;
  g_autofree char *outstanding = NULL;
  g_autofree char *prepaid = NULL;
  g_autofree char *credit = NULL;
  const BbCurrency *currency;
  static const char *class_css[] = { "class-a", "class-b", "class-c" };

  if (self->db == NULL || self->customer_id == 0 ||
      (customer = bb_customers_get (self->db, self->customer_id, NULL)) == NULL)
    {
      clear_history (self);
      gtk_stack_set_visible_child_name (self->stack, "none");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.edit", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.archive", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.unarchive", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.erase", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.log-interaction", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.record-payment", FALSE);
      return;
    }

  currency = bb_business_get_currency (self->db);
  gtk_stack_set_visible_child_name (self->stack, "customer");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.edit", !customer->erased);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.archive", !customer->archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.unarchive", customer->archived && !customer->erased);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.erase", !customer->erased);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.log-interaction", !customer->erased);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.record-payment", !customer->erased);

  adw_avatar_set_text (self->avatar, customer->name);
  gtk_label_set_text (self->name_label, customer->name);

  klass = g_strdup_printf (customer->class_override ? _("Class %c (set by hand)") : _("Class %c"),
                           customer->klass);
  gtk_label_set_text (self->class_label, klass);
  for (guint i = 0; i < G_N_ELEMENTS (class_css); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->class_label), class_css[i]);
  if (customer->klass >= 'A' && customer->klass <= 'C')
    gtk_widget_add_css_class (GTK_WIDGET (self->class_label), class_css[customer->klass - 'A']);

  if (customer->company && *customer->company)
    subtitle = g_strdup_printf ("%s · %s", customer->code, customer->company);
  else
    subtitle = g_strdup (customer->code);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (self->archived_label, customer->archived);

  outstanding = bb_money_format (customer->outstanding, currency);
  prepaid = bb_money_format (customer->prepaid_balance, currency);
  credit = bb_money_format (customer->credit, currency);
  gtk_label_set_text (self->outstanding_label, outstanding);
  gtk_label_set_text (self->prepaid_label, prepaid);
  {
    /* The points on their cards, under the balance they belong to. */
    BbMoney card_balance = 0;
    gint64 points = 0;
    g_autofree char *text = NULL;

    if (bb_prepaid_get_customer_totals (self->db, customer->id, &card_balance, &points, NULL) && points > 0)
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld point on their prepaid cards",
                                           "%lld points on their prepaid cards", points),
                              (long long) points);
    gtk_label_set_text (self->points_label, text ? text : "");
    gtk_widget_set_visible (GTK_WIDGET (self->points_label), text != NULL);
  }
  gtk_label_set_text (self->credit_label, credit);

  clear_list (self->details_list);
  add_detail (self, _("Phone"), customer->phone);
  add_detail (self, _("Email"), customer->email);
  add_detail (self, _("Address"), customer->address);
  add_detail (self, _("Tax ID"), customer->tax_id);
  {
    g_autofree char *terms = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                                           customer->payment_terms_days),
                                              customer->payment_terms_days);
    g_autofree char *limit = customer->credit_limit > 0
                             ? bb_money_format (customer->credit_limit, currency)
                             : g_strdup (_("No limit"));

    add_detail (self, _("Payment terms"), terms);
    add_detail (self, _("Credit limit"), limit);
  }
  add_detail (self, _("Tags"), customer->tags);
  {
    g_auto(GStrv) fields = bb_customer_fields_list (self->db);

    for (guint i = 0; fields[i]; i++)
      add_detail (self, fields[i], g_hash_table_lookup (customer->custom_fields, fields[i]));
  }
  add_detail (self, _("Notes"), customer->notes);
  {
    g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (customer->created_at, NULL);
    g_autoptr(GDateTime) local = created ? g_date_time_to_local (created) : NULL;
    g_autofree char *since = local ? g_date_time_format (local, "%Y-%m-%d") : NULL;

    add_detail (self, _("Customer since"), since);
  }

  /* Below the fold: before the window's first frame they cost a tenth
   * of a second (twenty bills and twenty payments of a busy customer),
   * so they come a frame later then; afterwards at once. */
  if (self->drawn)
    show_history (self, customer);
  else if (!self->history_pending)
    {
      clear_history (self);
      self->history_pending = TRUE;
      bb_widget_after_first_frame (GTK_WIDGET (self), history_after_first_frame,
                                   g_object_ref (self), g_object_unref);
    }
}

static void
on_db_changed (BbDb             *db,
               const char       *table,
               gint64            id,
               BbCustomerDetail *self)
{
  if (self->customer_id == 0)
    return;

  /* Anything about money or this customer may change what is shown. */
  if (id == 0 || id == self->customer_id || g_strcmp0 (table, "customers") != 0)
    reload (self);
}

void
bb_customer_detail_set_database (BbCustomerDetail *self,
                                 BbDb             *db)
{
  g_return_if_fail (BB_IS_CUSTOMER_DETAIL (self));

  if (self->db == db)
    return;

  g_clear_signal_handler (&self->changed_id, self->db);
  g_set_object (&self->db, db);
  if (db)
    self->changed_id = g_signal_connect_object (db, "changed", G_CALLBACK (on_db_changed), self, 0);

  self->customer_id = 0;
  reload (self);
}

BbDb *
bb_customer_detail_get_database (BbCustomerDetail *self)
{
  g_return_val_if_fail (BB_IS_CUSTOMER_DETAIL (self), NULL);

  return self->db;
}

void
bb_customer_detail_set_customer (BbCustomerDetail *self,
                                 gint64            id)
{
  g_return_if_fail (BB_IS_CUSTOMER_DETAIL (self));

  self->customer_id = id;
  reload (self);
}

gint64
bb_customer_detail_get_customer (BbCustomerDetail *self)
{
  g_return_val_if_fail (BB_IS_CUSTOMER_DETAIL (self), 0);

  return self->customer_id;
}

static void
on_back_clicked (BbCustomerDetail *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static GtkWindow *
get_window (BbCustomerDetail *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

static void
toast (BbCustomerDetail *self,
       const char       *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (widget);
  BbCustomerEditor *editor;

  editor = bb_customer_editor_new (get_window (self), self->db, self->customer_id);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
record_payment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (widget);
  BbPaymentDialog *dialog;

  dialog = bb_payment_dialog_new (get_window (self), self->db, self->customer_id, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The recurring charges window, showing this customer's only. */
static void
recurring_charges_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (widget);
  BbRecurringWindow *window;

  window = bb_recurring_window_new (get_window (self), self->db, self->customer_id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
log_interaction_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (widget);
  BbInteractionDialog *dialog;

  dialog = bb_interaction_dialog_new (get_window (self), self->db, self->customer_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A refund is a new row that reverses the payment; the payment itself
 * stays as it was. The owner says why. */
static void
on_refund_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BbCustomerDetail *self)
{
  BbPayment *payment = g_object_get_data (G_OBJECT (dialog), "payment");
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *amount = NULL;

  if (g_strcmp0 (response, "refund") != 0)
    return;

  text = bb_text_strip (gtk_editable_get_text (reason));
  if (!bb_payments_reverse (self->db, payment->id, text, &error))
    {
      toast (self, error->message);
      return;
    }

  amount = bb_money_format (payment->amount, bb_business_get_currency (self->db));
  text = (g_free (text), g_strdup_printf (_("Payment of %s refunded"), amount));
  toast (self, text);
}

static void
on_refund_clicked (GtkButton        *button,
                   BbCustomerDetail *self)
{
  BbPayment *payment = g_object_get_data (G_OBJECT (button), "payment");
  g_autofree char *amount = bb_money_format (payment->amount, bb_business_get_currency (self->db));
  g_autofree char *body = g_strdup_printf (_("The payment of %s on %s is given back: its bills are owed again. The payment stays in the history, with the refund beside it."),
                                           amount, payment->received_on);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                                          _("Refund This Payment?"),
                                                                          body));
  GtkWidget *reason = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Why? (shown in the history)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for the refund"), -1);
  adw_message_dialog_set_extra_child (dialog, reason);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "refund", _("_Refund"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "refund", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "payment", g_object_ref (payment), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refund_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  BbCustomerDetail *self;
  gint64            id;
  const char       *what;   /* archive, unarchive, erase */
} Confirm;

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (g_strcmp0 (response, "confirm") == 0)
    {
      if (g_str_equal (confirm->what, "erase"))
        ok = bb_customers_erase (confirm->self->db, confirm->id, &error);
      else
        ok = bb_customers_set_archived (confirm->self->db, confirm->id,
                                        g_str_equal (confirm->what, "archive"), &error);
      if (!ok)
        toast (confirm->self, error->message);
      else if (g_str_equal (confirm->what, "erase"))
        toast (confirm->self, _("Personal data erased"));
      else if (g_str_equal (confirm->what, "archive"))
        toast (confirm->self, _("Customer archived"));
      else
        toast (confirm->self, _("Customer restored"));
    }

  g_object_unref (confirm->self);
  g_free (confirm);
}

static void
confirm (BbCustomerDetail *self,
         const char       *what,
         const char       *heading,
         const char       *body,
         const char       *label,
         AdwResponseAppearance appearance)
{
  AdwMessageDialog *dialog;
  Confirm *data = g_new0 (Confirm, 1);

  data->self = g_object_ref (self);
  data->id = self->customer_id;
  data->what = what;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", appearance);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  confirm (BB_CUSTOMER_DETAIL (widget), "archive",
           _("Archive Customer?"),
           _("The customer is hidden from the list. Their bills, payments and prepaid cards stay, and they can be restored at any time."),
           _("_Archive"), ADW_RESPONSE_SUGGESTED);
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  confirm (BB_CUSTOMER_DETAIL (widget), "unarchive",
           _("Restore Customer?"),
           _("The customer is shown in the list again."),
           _("_Restore"), ADW_RESPONSE_SUGGESTED);
}

static void
erase_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  confirm (BB_CUSTOMER_DETAIL (widget), "erase",
           _("Erase Personal Data?"),
           _("The name, contact details, notes, tags, custom fields and every logged interaction are removed for good. Bills and payments stay under the customer code so your totals still add up. This cannot be undone."),
           _("_Erase"), ADW_RESPONSE_DESTRUCTIVE);
}

static void
bb_customer_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SHOW_BACK_BUTTON:
      g_value_set_boolean (value, self->show_back_button);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_customer_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SHOW_BACK_BUTTON:
      self->show_back_button = g_value_get_boolean (value);
      gtk_widget_set_visible (self->back_button, self->show_back_button);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_customer_detail_dispose (GObject *object)
{
  BbCustomerDetail *self = BB_CUSTOMER_DETAIL (object);

  g_clear_signal_handler (&self->changed_id, self->db);
  g_clear_object (&self->db);
  /* AdwBin unparents the template's child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (bb_customer_detail_parent_class)->dispose (object);
}

static void
bb_customer_detail_class_init (BbCustomerDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_customer_detail_dispose;
  object_class->get_property = bb_customer_detail_get_property;
  object_class->set_property = bb_customer_detail_set_property;

  properties[PROP_SHOW_BACK_BUTTON] =
    g_param_spec_boolean ("show-back-button", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-customer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, back_button);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, avatar);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, class_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, archived_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, edit_button);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, outstanding_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, prepaid_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, credit_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, details_list);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, interactions_list);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, bills_list);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerDetail, payments_list);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "customer.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "customer.log-interaction", NULL, log_interaction_action);
  gtk_widget_class_install_action (widget_class, "customer.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "customer.unarchive", NULL, unarchive_action);
  gtk_widget_class_install_action (widget_class, "customer.erase", NULL, erase_action);
  gtk_widget_class_install_action (widget_class, "customer.record-payment", NULL, record_payment_action);
  gtk_widget_class_install_action (widget_class, "customer.recurring-charges", NULL, recurring_charges_action);
}

static void
bb_customer_detail_init (BbCustomerDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->points_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->points_label, 0);
  gtk_label_set_wrap (self->points_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->points_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->points_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->points_label), FALSE);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->prepaid_label))),
                  GTK_WIDGET (self->points_label));

  gtk_widget_set_visible (self->back_button, FALSE);
  add_placeholder (self->interactions_list, _("No calls or visits logged yet"));
  add_placeholder (self->bills_list, _("No bills yet"));
  add_placeholder (self->payments_list, _("No payments yet"));
  reload (self);
}
