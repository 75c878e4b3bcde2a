/* bb-bill-editor.c — write a bill, see its totals as you type, review and issue it
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor never computes money itself: every change builds a BbInvoice
 * from the form and asks core for the totals. Drafts and bills in review
 * are editable; an issued or void bill opens read-only, with Void, Credit
 * Note, Duplicate, PDF, Print, Email and Copy Payment Request.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-bill-editor.h"
#include "bb-payments.h"
#include "bb-payment-methods.h"
#include "bb-payment-dialog.h"
#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoice-pdf.h"
#include "bb-invoices.h"
#include "bb-prepaid.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* How many matching customers the picker shows. */
#define MATCHES 6

typedef struct
{
  GtkWidget *row;
  GtkEntry  *description;
  GtkEntry  *quantity;
  GtkEntry  *price;
  GtkEntry  *discount;
  GtkEntry  *tax;
  GtkLabel  *amount;
} LineWidgets;

/* The columns of the line table; the heading and every line share a
 * size group per column, so they line up. */
enum
{
  COLUMN_DESCRIPTION,
  COLUMN_QUANTITY,
  COLUMN_PRICE,
  COLUMN_DISCOUNT,
  COLUMN_TAX,
  COLUMN_AMOUNT,
  COLUMN_REMOVE,
  N_COLUMNS
};

struct _BbBillEditor
{
  AdwWindow        parent_instance;

  GtkSizeGroup    *columns[N_COLUMNS];

  BbDb            *db;
  gint64           invoice_id;
  gint64           customer_id;
  BbMoney          open_balance;
  BbMoney          customer_credit;
  BbMoney          customer_prepaid;   /* what the customer's prepaid cards hold */
  BbInvoiceStatus  status;
  BbInvoiceKind    kind;
  gint64           credit_for_id;
  gboolean         loading;
  gboolean         valid;
  GPtrArray       *lines;            /* LineWidgets */
  char            *total_text;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *close_button;
  GtkWidget       *save_button;
  GtkWidget       *issue_button;
  GtkLabel        *state_label;
  GtkLabel        *error_label;
  AdwEntryRow     *customer_row;
  AdwEntryRow     *issued_row;
  AdwEntryRow     *due_row;
  AdwEntryRow     *notes_row;
  GtkListBox      *matches_list;
  GtkWidget       *lines_group;
  GtkWidget       *add_line_button;
  GtkBox          *lines_box;
  GtkGrid         *totals_grid;
  AdwPreferencesGroup *payments_group;
  GtkListBox      *payments_list;
  GtkLabel        *subtotal_label;
  GtkLabel        *discount_label;
  GtkLabel        *tax_label;
  GtkLabel        *total_label;
};

G_DEFINE_FINAL_TYPE (BbBillEditor, bb_bill_editor, ADW_TYPE_WINDOW)

static void recompute (BbBillEditor *self);

static void
toast (BbBillEditor *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_error (BbBillEditor *self,
            const char   *text)
{
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL && *text);
}

static const BbCurrency *
currency (BbBillEditor *self)
{
  return bb_business_get_currency (self->db);
}

static gboolean
editable (BbBillEditor *self)
{
  return self->status == BB_INVOICE_DRAFT || self->status == BB_INVOICE_REVIEW;
}

/* ---- Lines ---------------------------------------------------------- */

static void
on_line_changed (GtkEditable  *editable,
                 BbBillEditor *self)
{
  if (!self->loading)
    recompute (self);
}

static void
remove_line (GtkButton    *button,
             BbBillEditor *self)
{
  LineWidgets *lw = g_object_get_data (G_OBJECT (button), "line");

  gtk_box_remove (self->lines_box, lw->row);
  g_ptr_array_remove (self->lines, lw);
  recompute (self);
}

static GtkEntry *
line_entry (GtkBox       *box,
            BbBillEditor *self,
            guint         column,
            const char   *placeholder,
            const char   *accessible,
            int           width_chars,
            gboolean      numeric)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  if (numeric)
    {
      gtk_entry_set_alignment (GTK_ENTRY (entry), 1.0);
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
    }
  else
    gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (entry, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_line_changed), self);
  gtk_size_group_add_widget (self->columns[column], entry);
  gtk_box_append (box, entry);

  return GTK_ENTRY (entry);
}

/* Column headings over the lines: the placeholders vanish once a line
 * has values, and an issued bill shows nothing but values. */
static void
add_line_heading (BbBillEditor *self)
{
  const struct { const char *text; float xalign; } headings[N_COLUMNS] = {
    [COLUMN_DESCRIPTION] = { N_("Description"), 0.0f },
    [COLUMN_QUANTITY] = { N_("Qty"), 1.0f },
    [COLUMN_PRICE] = { N_("Unit Price"), 1.0f },
    [COLUMN_DISCOUNT] = { N_("Disc. %"), 1.0f },
    [COLUMN_TAX] = { N_("Tax %"), 1.0f },
    [COLUMN_AMOUNT] = { N_("Amount"), 1.0f },
    [COLUMN_REMOVE] = { "", 0.0f },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkWidget *label = gtk_label_new (headings[i].text[0] ? _(headings[i].text) : "");

      gtk_label_set_xalign (GTK_LABEL (label), headings[i].xalign);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      if (i == COLUMN_DESCRIPTION)
        gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_size_group_add_widget (self->columns[i], label);
      gtk_box_append (GTK_BOX (box), label);
    }

  /* The entries say what they are to screen readers themselves. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (self->lines_box, box);
}

static LineWidgets *
append_line (BbBillEditor *self)
{
  LineWidgets *lw = g_new0 (LineWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *amount = gtk_label_new ("");

  lw->row = box;
  lw->description = line_entry (GTK_BOX (box), self, COLUMN_DESCRIPTION, _("Description"), _("Description"), 16, FALSE);
  lw->quantity = line_entry (GTK_BOX (box), self, COLUMN_QUANTITY, _("Qty"), _("Quantity"), 5, TRUE);
  lw->price = line_entry (GTK_BOX (box), self, COLUMN_PRICE, _("Unit price"), _("Unit price"), 9, TRUE);
  lw->discount = line_entry (GTK_BOX (box), self, COLUMN_DISCOUNT, _("Disc. %"), _("Discount %"), 5, TRUE);
  lw->tax = line_entry (GTK_BOX (box), self, COLUMN_TAX, _("Tax %"), _("Tax %"), 5, TRUE);

  gtk_label_set_xalign (GTK_LABEL (amount), 1.0);
  gtk_label_set_width_chars (GTK_LABEL (amount), 12);
  gtk_widget_add_css_class (amount, "money");
  gtk_size_group_add_widget (self->columns[COLUMN_AMOUNT], amount);
  gtk_box_append (GTK_BOX (box), amount);
  lw->amount = GTK_LABEL (amount);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove This Line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this line"), -1);
  g_object_set_data (G_OBJECT (remove), "line", lw);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_line), self);
  gtk_size_group_add_widget (self->columns[COLUMN_REMOVE], remove);
  gtk_box_append (GTK_BOX (box), remove);

  gtk_box_append (self->lines_box, box);
  g_ptr_array_add (self->lines, lw);

  return lw;
}

static void
mark (GtkEntry *entry,
      gboolean  bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

/* Builds the bill from the form. Lines with bad numbers are marked and
 * left out; @problem gets the first message. */
static BbInvoice *
form_to_invoice (BbBillEditor  *self,
                 char         **problem)
{
  BbInvoice *inv = bb_invoice_new ();
  const char *due = gtk_editable_get_text (GTK_EDITABLE (self->due_row));

  inv->id = self->invoice_id;
  inv->customer_id = self->customer_id;
  inv->kind = self->kind;
  inv->credit_for_id = self->credit_for_id;
  inv->status = self->status;
  g_free (inv->issued_on);
  inv->issued_on = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->issued_row))));
  g_free (inv->due_on);
  inv->due_on = g_strstrip (g_strdup (due));
  g_free (inv->notes);
  inv->notes = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notes_row)));
  g_free (inv->currency);
  inv->currency = g_strdup (currency (self)->code);

  for (guint i = 0; i < self->lines->len; i++)
    {
      LineWidgets *lw = g_ptr_array_index (self->lines, i);
      g_autoptr(GError) error = NULL;
      const char *desc = gtk_editable_get_text (GTK_EDITABLE (lw->description));
      const char *qty_text = gtk_editable_get_text (GTK_EDITABLE (lw->quantity));
      const char *price_text = gtk_editable_get_text (GTK_EDITABLE (lw->price));
      const char *disc_text = gtk_editable_get_text (GTK_EDITABLE (lw->discount));
      const char *tax_text = gtk_editable_get_text (GTK_EDITABLE (lw->tax));
      BbQuantity qty = BB_QUANTITY_ONE;
      BbMoney price = 0;
      BbRate disc = 0, tax = 0;
      gboolean ok = TRUE;
      g_autofree char *field = NULL;

      /* An untouched empty line is not a line. */
      if (!*desc && !*qty_text && !*price_text && !*disc_text && !*tax_text)
        continue;

      field = g_strdup_printf (_("Line %u, quantity"), i + 1);
      ok = !*qty_text || bb_quantity_parse (qty_text, field, self->kind == BB_INVOICE_KIND_CREDIT_NOTE, &qty, &error);
      mark (lw->quantity, !ok);
      if (ok)
        {
          g_free (field);
          field = g_strdup_printf (_("Line %u, unit price"), i + 1);
          ok = bb_money_parse (*price_text ? price_text : "0", currency (self), field, TRUE, &price, &error);
          mark (lw->price, !ok);
        }
      if (ok)
        {
          g_free (field);
          field = g_strdup_printf (_("Line %u, discount"), i + 1);
          ok = !*disc_text || bb_rate_parse (disc_text, field, TRUE, &disc, &error);
          mark (lw->discount, !ok);
        }
      if (ok)
        {
          g_free (field);
          field = g_strdup_printf (_("Line %u, tax"), i + 1);
          ok = !*tax_text || bb_rate_parse (tax_text, field, FALSE, &tax, &error);
          mark (lw->tax, !ok);
        }

      if (!ok)
        {
          if (problem && *problem == NULL)
            *problem = g_strdup (error->message);
          gtk_label_set_text (lw->amount, "—");
          continue;
        }

      {
        BbInvoiceLine *line = bb_invoice_add_line (inv, desc, qty, price, disc, tax);
        g_autofree char *amount = NULL;

        if (bb_invoice_line_compute (line, NULL))
          amount = bb_money_format (line->net, currency (self));
        gtk_label_set_text (lw->amount, amount ? amount : "—");
      }
    }

  return inv;
}

static void
set_total (GtkLabel   *label,
           BbMoney     amount,
           const BbCurrency *cur)
{
  g_autofree char *text = bb_money_format (amount, cur);

  gtk_label_set_text (label, text);
}

static void
recompute (BbBillEditor *self)
{
  g_autofree char *problem = NULL;
  g_autoptr(BbInvoice) inv = form_to_invoice (self, &problem);
  g_autoptr(GError) error = NULL;

  /* Totals of the lines that are right so far; a bad line is marked. */
  if (!bb_invoice_compute_totals (inv, &error) && problem == NULL)
    problem = g_strdup (error->message);

  if (problem == NULL && self->customer_id == 0 && editable (self))
    problem = g_strdup (_("Customer: choose who the bill is for"));

  set_total (self->subtotal_label, inv->subtotal, currency (self));
  set_total (self->discount_label, -inv->discount_total, currency (self));
  set_total (self->tax_label, inv->tax_total, currency (self));
  set_total (self->total_label, inv->total, currency (self));
  g_free (self->total_text);
  self->total_text = g_strdup (gtk_label_get_text (self->total_label));

  self->valid = problem == NULL;
  if (editable (self))
    show_error (self, problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.save", self->valid && editable (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.issue", self->valid && editable (self));
}

/* ---- Customer picker ------------------------------------------------ */

static void
clear_matches (BbBillEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches_list))))
    gtk_list_box_remove (self->matches_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->matches_list), FALSE);
}

static void
choose_customer (BbBillEditor *self,
                 gint64        id)
{
  g_autoptr(BbCustomer) customer = bb_customers_get (self->db, id, NULL);
  g_autofree char *title = NULL;

  if (customer == NULL)
    return;

  self->customer_id = id;
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row), customer->name);
  self->loading = FALSE;
  title = g_strdup_printf (_("Customer: %s · %s · pays in %d days"),
                           customer->code, *customer->phone ? customer->phone : "—",
                           customer->payment_terms_days);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->customer_row), title);
  clear_matches (self);
  recompute (self);
}

static void
on_match_activated (BbBillEditor  *self,
                    GtkListBoxRow *row)
{
  choose_customer (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "customer")));
}

static void
on_customer_changed (BbBillEditor *self)
{
  BbCustomerQuery query = { 0 };
  g_autoptr(GPtrArray) found = NULL;

  if (self->loading)
    return;

  self->customer_id = 0;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->customer_row),
                                 _("Customer (type a name, phone or code)"));
  clear_matches (self);

  query.text = (char *) gtk_editable_get_text (GTK_EDITABLE (self->customer_row));
  if (*query.text != '\0')
    found = bb_customers_search (self->db, &query, 0, MATCHES, NULL);

  for (guint i = 0; found && i < found->len; i++)
    {
      BbCustomer *c = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *sub = g_strdup_printf ("%s · %s", c->code, *c->phone ? c->phone : "—");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "customer", GSIZE_TO_POINTER ((gsize) c->id));
      gtk_list_box_append (self->matches_list, row);
    }

  /* One exact match is chosen as it is typed (a code, say). */
  if (found && found->len == 1)
    {
      BbCustomer *c = g_ptr_array_index (found, 0);

      if (g_ascii_strcasecmp (c->code, query.text) == 0 || g_strcmp0 (c->name, query.text) == 0)
        {
          choose_customer (self, c->id);
          return;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->matches_list), found && found->len > 0);
  recompute (self);
}

/* ---- Loading and states --------------------------------------------- */

static void
set_editable (BbBillEditor *self,
              gboolean      can_edit)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_row), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->issued_row), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->due_row), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->notes_row), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_box), can_edit);
  gtk_widget_set_visible (self->add_line_button, can_edit);
  gtk_widget_set_visible (self->save_button, can_edit);
  gtk_widget_set_visible (self->issue_button, can_edit);
}

static void
update_actions (BbBillEditor *self)
{
  gboolean issued = self->status == BB_INVOICE_ISSUED;
  gboolean saved = self->invoice_id != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.void", issued);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.credit-note",
                                 issued && self->kind != BB_INVOICE_KIND_CREDIT_NOTE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.delete", saved && editable (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.duplicate", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.export-pdf", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.print", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.email", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.copy-request", issued);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.record-payment",
                                 issued && self->kind != BB_INVOICE_KIND_CREDIT_NOTE && self->open_balance > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.use-credit",
                                 issued && self->kind != BB_INVOICE_KIND_CREDIT_NOTE && self->open_balance > 0 &&
                                 self->customer_credit > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bill.pay-prepaid",
                                 issued && self->kind != BB_INVOICE_KIND_CREDIT_NOTE && self->open_balance > 0 &&
                                 self->customer_prepaid > 0);
}

/* What was paid on the bill, by whom and how: one row per allocation,
 * refunds and credit used included, so the balance can be followed. */
static void
load_payments (BbBillEditor *self)
{
  g_autoptr(GPtrArray) allocations = NULL;
  const BbCurrency *currency = bb_business_get_currency (self->db);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->payments_list))) != NULL)
    gtk_list_box_remove (self->payments_list, child);

  if (self->invoice_id != 0 && self->status != BB_INVOICE_DRAFT && self->status != BB_INVOICE_REVIEW)
    allocations = bb_payments_list_allocations (self->db, self->invoice_id, NULL);

  for (guint i = 0; allocations != NULL && i < allocations->len; i++)
    {
      BbAllocation *allocation = g_ptr_array_index (allocations, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *amount = gtk_label_new (NULL);
      g_autofree char *formatted = bb_money_format (allocation->amount, currency);
      g_autofree char *subtitle = NULL;
      g_autofree char *method = NULL;
      const char *what;

      switch (allocation->kind)
        {
        case BB_ALLOCATION_CREDIT:
          what = _("Credit used");
          break;
        case BB_ALLOCATION_REVERSAL:
          what = _("Refunded");
          break;
        case BB_ALLOCATION_PAYMENT:
        default:
          method = bb_payment_methods_get_name (self->db, allocation->method);
          what = method;
          break;
        }
      subtitle = allocation->reference && *allocation->reference
        ? g_strdup_printf ("%s · %s", what, allocation->reference)
        : g_strdup (what);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), allocation->received_on);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_label_set_text (GTK_LABEL (amount), formatted);
      gtk_widget_add_css_class (amount, "money");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);
      gtk_list_box_append (self->payments_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->payments_group), allocations != NULL && allocations->len > 0);
}

static void
load (BbBillEditor *self)
{
  g_autoptr(BbInvoice) inv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;

  while (self->lines->len > 0)
    {
      LineWidgets *lw = g_ptr_array_index (self->lines, 0);

      gtk_box_remove (self->lines_box, lw->row);
      g_ptr_array_remove_index (self->lines, 0);
    }

  if (self->invoice_id == 0)
    {
      GDate today;
      g_autofree char *iso = NULL;

      bb_date_set_today (&today);
      iso = bb_date_to_iso (&today);
      self->status = BB_INVOICE_DRAFT;
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->issued_row), iso);
      self->loading = FALSE;
      append_line (self);
      gtk_label_set_text (self->state_label, _("New draft"));
      set_editable (self, TRUE);
      update_actions (self);
      recompute (self);
      return;
    }

  inv = bb_invoices_get (self->db, self->invoice_id, &error);
  if (inv == NULL)
    {
      show_error (self, error->message);
      return;
    }

  self->status = inv->status;
  self->kind = inv->kind;
  self->credit_for_id = inv->credit_for_id;
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->issued_row), inv->issued_on);
  gtk_editable_set_text (GTK_EDITABLE (self->due_row), inv->due_on);
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), inv->notes);

  for (guint i = 0; i < inv->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);
      LineWidgets *lw = append_line (self);
      g_autofree char *qty = bb_quantity_format (line->quantity);
      g_autofree char *price = bb_money_format_plain (line->unit_price, bb_currency_lookup (inv->currency));
      g_autofree char *disc = bb_rate_format (line->discount);
      g_autofree char *tax = bb_rate_format (line->tax_rate);

      gtk_editable_set_text (GTK_EDITABLE (lw->description), line->description);
      gtk_editable_set_text (GTK_EDITABLE (lw->quantity), qty);
      gtk_editable_set_text (GTK_EDITABLE (lw->price), price);
      gtk_editable_set_text (GTK_EDITABLE (lw->discount), line->discount ? disc : "");
      gtk_editable_set_text (GTK_EDITABLE (lw->tax), line->tax_rate ? tax : "");
    }
  self->loading = FALSE;
  choose_customer (self, inv->customer_id);

  switch (inv->status)
    {
    case BB_INVOICE_DRAFT:
      state = g_strdup (inv->kind == BB_INVOICE_KIND_CREDIT_NOTE ? _("Credit note, draft") : _("Draft"));
      break;
    case BB_INVOICE_REVIEW:
      state = g_strdup (_("In review: check it, then issue it"));
      break;
    case BB_INVOICE_ISSUED:
      {
        g_autofree char *open = bb_money_format (inv->open_balance, bb_currency_lookup (inv->currency));

        g_autoptr(BbCustomer) customer = bb_customers_get (self->db, inv->customer_id, NULL);

        self->open_balance = inv->open_balance;
        self->customer_credit = customer ? customer->credit : 0;
        self->customer_prepaid = customer ? customer->prepaid_balance : 0;
        state = g_strdup_printf (_("%s %s · issued · still owed %s"),
                                 inv->kind == BB_INVOICE_KIND_CREDIT_NOTE ? _("Credit note") : _("Bill"),
                                 inv->number, open);
      }
      break;
    case BB_INVOICE_VOID:
      state = g_strdup_printf (_("%s · void: %s"), inv->number, inv->void_reason);
      break;
    default:
      break;
    }
  if (inv->credit_for_number)
    {
      g_autofree char *with = g_strdup_printf (_("%s · corrects bill %s"), state, inv->credit_for_number);

      g_free (state);
      state = g_steal_pointer (&with);
    }
  gtk_label_set_text (self->state_label, state);
  gtk_window_set_title (GTK_WINDOW (self), inv->number ? inv->number : _("Draft Bill"));

  set_editable (self, editable (self));
  update_actions (self);
  recompute (self);
  load_payments (self);
}

/* ---- Actions -------------------------------------------------------- */

static gboolean
save (BbBillEditor *self)
{
  g_autofree char *problem = NULL;
  g_autoptr(BbInvoice) inv = form_to_invoice (self, &problem);
  g_autoptr(GError) error = NULL;

  if (problem)
    {
      show_error (self, problem);
      return FALSE;
    }

  if (!bb_invoices_save_draft (self->db, inv, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  self->invoice_id = inv->id;
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);

  if (save (self))
    {
      load (self);
      toast (self, _("Draft saved"));
    }
}

static void
add_line_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  LineWidgets *lw = append_line (self);

  gtk_widget_grab_focus (GTK_WIDGET (lw->description));
}

static void
on_issue_response (AdwMessageDialog *dialog,
                   const char       *response,
                   BbBillEditor     *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "issue") != 0)
    return;

  if (!bb_invoices_issue (self->db, self->invoice_id, &error))
    {
      show_error (self, error->message);
      load (self);
      return;
    }

  load (self);
  toast (self, _("Bill issued"));
}

static void
issue_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GPtrArray) checklist = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *block = NULL;
  gboolean all_ok = TRUE;
  AdwMessageDialog *dialog;
  GDate today;

  if (!save (self))
    return;
  if (self->status == BB_INVOICE_DRAFT && !bb_invoices_submit (self->db, self->invoice_id, &error))
    {
      show_error (self, error->message);
      return;
    }
  load (self);

  checklist = bb_invoices_review (self->db, self->invoice_id, &error);
  if (checklist == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < checklist->len; i++)
    {
      BbReviewItem *item = g_ptr_array_index (checklist, i);

      g_string_append_printf (body, "%s %s\n", item->ok ? "✓" : "✗", item->text);
      all_ok &= item->ok;
    }

  bb_date_set_today (&today);
  warnings = bb_invoices_credit_problems (self->db, self->invoice_id, &today, NULL);
  block = bb_db_get_setting (self->db, "billing.credit_block");
  for (guint i = 0; warnings && i < warnings->len; i++)
    g_string_append_printf (body, "⚠ %s\n", (const char *) g_ptr_array_index (warnings, i));
  if (warnings && warnings->len > 0 && g_strcmp0 (block, "1") == 0)
    {
      g_string_append (body, _("Preferences make this a hard block: the bill cannot be issued."));
      all_ok = FALSE;
    }
  else if (warnings && warnings->len > 0)
    g_string_append (body, _("You can still issue it."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Issue This Bill?"), NULL));
  adw_message_dialog_set_body (dialog, body->str);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep in Review"), "issue", _("_Issue"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "issue",
                                              warnings && warnings->len > 0 ? ADW_RESPONSE_DESTRUCTIVE
                                                                            : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "issue", all_ok);
  adw_message_dialog_set_default_response (dialog, all_ok ? "issue" : "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_issue_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_void_response (AdwMessageDialog *dialog,
                  const char       *response,
                  BbBillEditor     *self)
{
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "void") != 0)
    return;

  if (!bb_invoices_void (self->db, self->invoice_id, gtk_editable_get_text (reason), &error))
    {
      show_error (self, error->message);
      return;
    }

  load (self);
  toast (self, _("Bill voided"));
}

static void
void_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why is it void?"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Void This Bill?"),
                                                       _("A void bill keeps its number and stays in the book, marked void with your reason. To correct part of a bill, write a credit note instead.")));
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "void", _("_Void"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "void", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_void_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_other (BbBillEditor *self,
            gint64        id)
{
  BbBillEditor *other = bb_bill_editor_new (gtk_window_get_transient_for (GTK_WINDOW (self)), self->db, id);

  gtk_window_present (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
credit_note_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) note = bb_invoices_create_credit_note (self->db, self->invoice_id, &error);

  if (note == NULL)
    show_error (self, error->message);
  else
    open_other (self, note->id);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) copy = NULL;
  GDate today;

  bb_date_set_today (&today);
  if (editable (self) && !save (self))
    return;
  copy = bb_invoices_duplicate (self->db, self->invoice_id, &today, &error);
  if (copy == NULL)
    show_error (self, error->message);
  else
    open_other (self, copy->id);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BbBillEditor     *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  if (!bb_invoices_delete_draft (self->db, self->invoice_id, &error))
    show_error (self, error->message);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Delete This Draft?"),
                                                       _("A draft has no number yet, so nothing is missing from the book afterwards.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_request_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = bb_invoices_payment_request (self->db, self->invoice_id, &error);

  if (text == NULL)
    {
      show_error (self, error->message);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Payment request copied; paste it into WeChat or a text message"));
}

/* PDF, print and email all use core's one renderer. */
static char *
suggested_pdf_name (BbInvoice *inv)
{
  return g_strdup_printf ("%s.pdf", inv->number ? inv->number : _("draft-bill"));
}

static void
on_pdf_chosen (GtkNativeDialog *native,
               int              response,
               BbBillEditor    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(BbInvoice) inv = bb_invoices_get (self->db, self->invoice_id, NULL);
      g_autoptr(GError) error = NULL;
      BbInvoicePdfOptions options;

      bb_invoice_pdf_options_from_settings (self->db, &options);
      if (inv == NULL || !bb_invoice_pdf_write (self->db, inv, &options, path, &error))
        show_error (self, error ? error->message : _("The bill no longer exists"));
      else
        toast (self, _("PDF saved"));
    }

  g_object_unref (native);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(BbInvoice) inv = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;

  if (editable (self) && !save (self))
    return;
  inv = bb_invoices_get (self->db, self->invoice_id, NULL);
  if (inv == NULL)
    return;
  name = suggested_pdf_name (inv);

  native = gtk_file_chooser_native_new (_("Export PDF"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_pdf_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                BbInvoiceLayout   *layout)
{
  gtk_print_operation_set_n_pages (operation, (int) bb_invoice_layout_get_n_pages (layout));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              BbInvoiceLayout   *layout)
{
  bb_invoice_layout_draw_page (layout, gtk_print_context_get_cairo_context (context), (guint) page);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = NULL;
  g_autoptr(BbInvoice) inv = NULL;
  g_autoptr(GError) error = NULL;
  BbInvoiceLayout *layout;
  BbInvoicePdfOptions options;

  if (editable (self) && !save (self))
    return;
  inv = bb_invoices_get (self->db, self->invoice_id, &error);
  if (inv == NULL)
    {
      show_error (self, error->message);
      return;
    }

  bb_invoice_pdf_options_from_settings (self->db, &options);
  layout = bb_invoice_layout_new (self->db, inv, &options, NULL, &error);
  if (layout == NULL)
    {
      show_error (self, error->message);
      return;
    }

  operation = gtk_print_operation_new ();
  paper = gtk_paper_size_new (options.paper == BB_PAPER_LETTER ? GTK_PAPER_NAME_LETTER : GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_print_operation_set_default_page_setup (operation, setup);
  /* The layout draws whole pages in points, margins included, exactly as
   * in the PDF. */
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, inv->number ? inv->number : _("Draft Bill"));
  g_object_set_data_full (G_OBJECT (operation), "layout", layout, (GDestroyNotify) bb_invoice_layout_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), layout);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), layout);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error->message);
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(BbInvoice) inv = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "billbook", NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *amount = NULL;
  BbInvoicePdfOptions options;

  if (editable (self) && !save (self))
    return;
  inv = bb_invoices_get (self->db, self->invoice_id, &error);
  if (inv == NULL || (customer = bb_customers_get (self->db, inv->customer_id, &error)) == NULL)
    {
      show_error (self, error->message);
      return;
    }
  business = bb_business_load (self->db);

  g_mkdir_with_parents (dir, 0700);
  name = suggested_pdf_name (inv);
  path = g_build_filename (dir, name, NULL);
  bb_invoice_pdf_options_from_settings (self->db, &options);
  if (!bb_invoice_pdf_write (self->db, inv, &options, path, &error))
    {
      show_error (self, error->message);
      return;
    }

  amount = bb_money_format (inv->total, bb_currency_lookup (inv->currency));
  subject = g_strdup_printf (_("Bill %s from %s"), inv->number ? inv->number : _("(draft)"),
                             *business->name ? business->name : _("us"));
  body = g_strdup_printf (_("Dear %s,\n\nplease find attached bill %s of %s for %s, due on %s.\n\nThank you!\n%s"),
                          customer->name, inv->number ? inv->number : _("(draft)"), inv->issued_on,
                          amount, inv->due_on, business->name);

  {
    const char *argv[] = { "xdg-email", "--subject", subject, "--body", body, "--attach", path,
                           *customer->email ? customer->email : NULL, NULL };

    if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error))
      show_error (self, error->message);
  }
}

/* ---- Set-up --------------------------------------------------------- */

static GtkLabel *
add_total_row (BbBillEditor *self,
               int           row,
               const char   *title,
               gboolean      strong)
{
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (name), 1.0);
  gtk_label_set_xalign (GTK_LABEL (value), 1.0);
  gtk_widget_add_css_class (value, "money");
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  if (strong)
    {
      gtk_widget_add_css_class (name, "total");
      gtk_widget_add_css_class (value, "total");
    }
  else
    gtk_widget_add_css_class (name, "dim-label");
  gtk_grid_attach (self->totals_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->totals_grid, value, 1, row, 1, 1);

  return GTK_LABEL (value);
}

/* After the payment dialog closes, the bill shows what it still owes. */
static void
on_payment_dialog_destroy (GtkWidget    *dialog,
                           BbBillEditor *self)
{
  if (bb_payment_dialog_get_payment_id (BB_PAYMENT_DIALOG (dialog)) != 0)
    {
      load (self);
      update_actions (self);
    }
  g_object_unref (self);
}

/* Money the customer paid before, beyond their bills, now pays this
 * one: as much of it as the bill still owes. */
static void
use_credit_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  BbMoney amount = MIN (self->customer_credit, self->open_balance);
  g_autofree char *formatted = bb_money_format (amount, bb_business_get_currency (self->db));
  g_autofree char *done = NULL;

  if (!bb_payments_apply_credit (self->db, self->customer_id, self->invoice_id, amount, &error))
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  done = g_strdup_printf (_("%s of the customer’s credit used on this bill"), formatted);
  load (self);
  update_actions (self);
  bb_widget_toast (GTK_WIDGET (self), done);
}

/* The customer's cards that can pay now: open, with money, not expired. */
static GPtrArray *
cards_that_can_pay (BbBillEditor *self)
{
  g_autoptr(GPtrArray) all = bb_prepaid_list_customer_accounts (self->db, self->customer_id, NULL);
  GPtrArray *cards = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      BbPrepaidAccount *card = g_ptr_array_index (all, i);

      if (!card->closed && card->balance > 0 && !bb_prepaid_account_is_expired (card, NULL))
        g_ptr_array_add (cards, g_object_ref (card));
    }

  return cards;
}

static void
on_pay_prepaid_response (AdwMessageDialog *dialog,
                         const char       *response,
                         BbBillEditor     *self)
{
  GPtrArray *cards = g_object_get_data (G_OBJECT (dialog), "cards");
  GtkDropDown *choice = g_object_get_data (G_OBJECT (dialog), "choice");
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *done = NULL;
  BbPrepaidAccount *card;
  BbMoney amount;
  guint selected;

  if (g_strcmp0 (response, "pay") != 0)
    return;

  selected = gtk_drop_down_get_selected (choice);
  if (selected >= cards->len)
    return;
  card = g_ptr_array_index (cards, selected);
  amount = MIN (card->balance, self->open_balance);

  if (!bb_prepaid_pay_bill (self->db, card->id, self->invoice_id, NULL, amount, NULL, &error))
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  formatted = bb_money_format (amount, bb_business_get_currency (self->db));
  /* Translators: a toast: "¥113.00 paid from “Membership card”" */
  done = g_strdup_printf (_("%s paid from “%s”"), formatted, card->name);
  load (self);
  update_actions (self);
  bb_widget_toast (GTK_WIDGET (self), done);
}

/* The bill paid from one of the customer's prepaid cards: as much as it
 * owes, or as the card holds (bb_prepaid_pay_bill(): a charge on the card
 * and a payment of method prepaid, in one transaction). */
static void
pay_prepaid_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  const BbCurrency *currency = bb_business_get_currency (self->db);
  g_autoptr(GPtrArray) cards = cards_that_can_pay (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *owed = bb_money_format (self->open_balance, currency);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *choice;

  if (cards->len == 0)
    {
      bb_widget_toast (widget, _("The customer has no prepaid card with money on it"));
      return;
    }

  for (guint i = 0; i < cards->len; i++)
    {
      BbPrepaidAccount *card = g_ptr_array_index (cards, i);
      g_autofree char *balance = bb_money_format (card->balance, currency);
      /* Translators: a prepaid card to choose: "Membership card · holds ¥839.00" */
      g_autofree char *name = g_strdup_printf (_("%s · holds %s"), card->name, balance);

      gtk_string_list_append (names, name);
    }

  /* Translators: the body of "Pay From a Prepaid Card": what the bill still owes */
  body = g_strdup_printf (_("The bill still owes %s. The card pays all of it, or as much as it holds."), owed);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Pay From a Prepaid Card"), body));
  choice = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Prepaid card"), -1);
  adw_message_dialog_set_extra_child (dialog, choice);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "pay", _("_Pay"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "pay", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "pay");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cards", g_steal_pointer (&cards), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "choice", choice);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_pay_prepaid_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
record_payment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BbBillEditor *self = BB_BILL_EDITOR (widget);
  BbPaymentDialog *dialog = bb_payment_dialog_new (GTK_WINDOW (self), self->db,
                                                   self->customer_id, self->invoice_id);

  g_signal_connect (dialog, "destroy", G_CALLBACK (on_payment_dialog_destroy), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bb_bill_editor_dispose (GObject *object)
{
  BbBillEditor *self = BB_BILL_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_BILL_EDITOR);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->columns[i]);
  g_clear_object (&self->db);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->total_text, g_free);

  G_OBJECT_CLASS (bb_bill_editor_parent_class)->dispose (object);
}

static void
bb_bill_editor_class_init (BbBillEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_bill_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-bill-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, close_button);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, issue_button);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, state_label);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, issued_row);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, due_row);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, notes_row);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, matches_list);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, lines_group);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, add_line_button);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, lines_box);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, payments_group);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, payments_list);
  gtk_widget_class_bind_template_child (widget_class, BbBillEditor, totals_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_match_activated);

  gtk_widget_class_install_action (widget_class, "bill.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "bill.add-line", NULL, add_line_action);
  gtk_widget_class_install_action (widget_class, "bill.issue", NULL, issue_action);
  gtk_widget_class_install_action (widget_class, "bill.void", NULL, void_action);
  gtk_widget_class_install_action (widget_class, "bill.credit-note", NULL, credit_note_action);
  gtk_widget_class_install_action (widget_class, "bill.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "bill.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "bill.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "bill.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "bill.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "bill.copy-request", NULL, copy_request_action);
  gtk_widget_class_install_action (widget_class, "bill.record-payment", NULL, record_payment_action);
  gtk_widget_class_install_action (widget_class, "bill.use-credit", NULL, use_credit_action);
  gtk_widget_class_install_action (widget_class, "bill.pay-prepaid", NULL, pay_prepaid_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "bill.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "bill.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "bill.add-line", NULL);
}

static void
bb_bill_editor_init (BbBillEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < N_COLUMNS; i++)
    self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  add_line_heading (self);

  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->subtotal_label = add_total_row (self, 0, _("Subtotal"), FALSE);
  self->discount_label = add_total_row (self, 1, _("Discount"), FALSE);
  self->tax_label = add_total_row (self, 2, _("Tax"), FALSE);
  self->total_label = add_total_row (self, 3, _("Total"), TRUE);

  g_signal_connect_swapped (self->customer_row, "changed", G_CALLBACK (on_customer_changed), self);
  g_signal_connect_swapped (self->issued_row, "changed", G_CALLBACK (recompute), self);
  g_signal_connect_swapped (self->due_row, "changed", G_CALLBACK (recompute), self);
}

BbBillEditor *
bb_bill_editor_new (GtkWindow *parent,
                    BbDb      *db,
                    gint64     invoice_id)
{
  BbBillEditor *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_BILL_EDITOR, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->invoice_id = invoice_id;
  load (self);

  return self;
}

gint64
bb_bill_editor_get_invoice (BbBillEditor *self)
{
  return self->invoice_id;
}

/* For "New Bill" from a customer, and for tests. */
void
bb_bill_editor_set_customer (BbBillEditor *self,
                             gint64        customer_id)
{
  choose_customer (self, customer_id);
}

/* Fills the first empty line, or a new one; returns its index. */
guint
bb_bill_editor_add_line (BbBillEditor *self,
                         const char   *description,
                         const char   *quantity,
                         const char   *unit_price,
                         const char   *discount,
                         const char   *tax)
{
  LineWidgets *lw = NULL;

  for (guint i = 0; i < self->lines->len && lw == NULL; i++)
    {
      LineWidgets *candidate = g_ptr_array_index (self->lines, i);

      if (*gtk_editable_get_text (GTK_EDITABLE (candidate->description)) == '\0' &&
          *gtk_editable_get_text (GTK_EDITABLE (candidate->price)) == '\0')
        lw = candidate;
    }
  if (lw == NULL)
    lw = append_line (self);

  gtk_editable_set_text (GTK_EDITABLE (lw->description), description);
  gtk_editable_set_text (GTK_EDITABLE (lw->quantity), quantity ? quantity : "");
  gtk_editable_set_text (GTK_EDITABLE (lw->price), unit_price ? unit_price : "");
  gtk_editable_set_text (GTK_EDITABLE (lw->discount), discount ? discount : "");
  gtk_editable_set_text (GTK_EDITABLE (lw->tax), tax ? tax : "");

  for (guint i = 0; i < self->lines->len; i++)
    if (g_ptr_array_index (self->lines, i) == lw)
      return i;

  return 0;
}

const char *
bb_bill_editor_get_total_text (BbBillEditor *self)
{
  return self->total_text;
}

gboolean
bb_bill_editor_can_save (BbBillEditor *self)
{
  return self->valid && editable (self);
}
