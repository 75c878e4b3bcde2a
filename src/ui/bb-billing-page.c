/* bb-billing-page.c — every bill, found by number or customer, filtered in SQL
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-bill-editor.h"
#include "bb-billing-page.h"
#include "bb-payment-dialog.h"
#include "bb-invoice-list.h"
#include "bb-text.h"
#include "bb-ui-util.h"

struct _BbBillingPage
{
  BbPage              parent_instance;

  BbInvoiceList      *list;
  GtkSingleSelection *selection;
  gulong              changed_id;

  GtkStack           *main_stack;
  GtkStack           *list_stack;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *state_filter;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (BbBillingPage, bb_billing_page, BB_TYPE_PAGE)

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_CUSTOMER,
  COLUMN_ISSUED,
  COLUMN_DUE,
  COLUMN_TOTAL,
  COLUMN_BALANCE,
  COLUMN_STATE,
  N_COLUMNS
} Column;

static const struct
{
  const char    *title;
  BbInvoiceSort  sort;
  gboolean       numeric;
  int            width;     /* -1: takes the rest */
} columns[N_COLUMNS] = {
  [COLUMN_NUMBER] = { N_("Number"), BB_INVOICE_SORT_NUMBER, FALSE, 140 },
  [COLUMN_CUSTOMER] = { N_("Customer"), BB_INVOICE_SORT_CUSTOMER, FALSE, -1 },
  [COLUMN_ISSUED] = { N_("Issued"), BB_INVOICE_SORT_ISSUED, FALSE, 104 },
  [COLUMN_DUE] = { N_("Due"), BB_INVOICE_SORT_DUE, FALSE, 104 },
  [COLUMN_TOTAL] = { N_("Total"), BB_INVOICE_SORT_TOTAL, TRUE, 120 },
  [COLUMN_BALANCE] = { N_("Balance Due"), BB_INVOICE_SORT_BALANCE, TRUE, 120 },
  [COLUMN_STATE] = { N_("State"), BB_INVOICE_SORT_STATUS, FALSE, 130 },
};

/* The state filter's entries, in order. */
enum { FILTER_ALL, FILTER_DRAFT, FILTER_REVIEW, FILTER_ISSUED, FILTER_OVERDUE, FILTER_VOID };

static BbDb *
get_db (BbBillingPage *self)
{
  return bb_page_get_database (BB_PAGE (self));
}

/* The coloured tag (bb_invoice_get_state_label()). */
static void
state_of (BbInvoice   *inv,
          const char **text,
          const char **css)
{
  GDate today;

  bb_date_set_today (&today);
  *text = bb_invoice_get_state_label (inv, &today, css);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);

  gtk_list_item_set_child (item, bb_cell_label_new (columns[column].numeric,
                                                    column == COLUMN_STATE ? "state-tag" : NULL));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  BbInvoice *inv = gtk_list_item_get_item (item);
  const BbCurrency *currency = bb_currency_lookup (inv->currency);
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_NUMBER:
      text = g_strdup (inv->number ? inv->number : "—");
      break;
    case COLUMN_CUSTOMER:
      text = g_strdup (inv->customer_name);
      break;
    case COLUMN_ISSUED:
      text = g_strdup (inv->issued_on);
      break;
    case COLUMN_DUE:
      text = g_strdup (inv->due_on);
      break;
    case COLUMN_TOTAL:
      text = bb_money_format (inv->total, currency);
      break;
    case COLUMN_BALANCE:
      text = inv->status == BB_INVOICE_ISSUED ? bb_money_format (inv->open_balance, currency) : g_strdup ("—");
      break;
    case COLUMN_STATE:
      {
        static const char *all[] = { "draft", "review", "void", "paid", "overdue", "partial", "issued" };
        const char *css;
        const char *state;

        state_of (inv, &state, &css);
        for (guint i = 0; i < G_N_ELEMENTS (all); i++)
          gtk_widget_remove_css_class (GTK_WIDGET (label), all[i]);
        gtk_widget_add_css_class (GTK_WIDGET (label), css);
        text = g_strdup (state);
      }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (label, text);
}

static void
update_count (BbBillingPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bill", "%u bills", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "results" : "no-results");
}

static gboolean
valid_date_or_empty (GtkEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  return *text == '\0' || bb_date_parse (text, "", NULL, NULL);
}

static void
update_query (BbBillingPage *self)
{
  BbInvoiceQuery query = { .status = -1, .sort = BB_INVOICE_SORT_ISSUED, .descending = TRUE };
  guint state;
  int column;

  if (self->list == NULL || self->state_filter == NULL)
    return;

  query.text = (char *) gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  state = gtk_drop_down_get_selected (self->state_filter);
  switch (state)
    {
    case FILTER_DRAFT: query.status = BB_INVOICE_DRAFT; break;
    case FILTER_REVIEW: query.status = BB_INVOICE_REVIEW; break;
    case FILTER_ISSUED: query.status = BB_INVOICE_ISSUED; break;
    case FILTER_VOID: query.status = BB_INVOICE_VOID; break;
    case FILTER_OVERDUE: query.overdue_only = TRUE; break;
    default: break;
    }
  /* A date being typed filters once it is a whole date. */
  if (valid_date_or_empty (self->from_entry))
    query.from = (char *) gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  if (valid_date_or_empty (self->to_entry))
    query.to = (char *) gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  if (bb_column_view_get_sort (self->column_view, &column, &query.descending))
    query.sort = columns[column].sort;

  bb_invoice_list_set_query (self->list, &query);
  update_count (self);
}

static void
on_filter_changed (BbBillingPage *self)
{
  update_query (self);
}

static void
on_dates_changed (BbBillingPage *self)
{
  if (self->from_entry == NULL || self->to_entry == NULL)
    return;

  /* Marked while not a date; the list follows once it is one. */
  if (valid_date_or_empty (self->from_entry))
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  if (valid_date_or_empty (self->to_entry))
    gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");

  update_query (self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   BbBillingPage   *self)
{
  update_query (self);
}

static void
update_empty_state (BbBillingPage *self)
{
  BbInvoiceQuery all = { .status = -1 };
  /* Bills in the list: the book has some; else count them all, as the
   * filters may hide them. */
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0 ||
                 bb_invoices_count (get_db (self), &all, NULL) > 0;

  gtk_stack_set_visible_child_name (self->main_stack, any ? "list" : "empty");
}

static void
on_invoices_changed (BbDb          *db,
                     const char    *table,
                     gint64         id,
                     BbBillingPage *self)
{
  update_empty_state (self);
  update_count (self);
}

void
bb_billing_page_open_bill (BbBillingPage *self,
                           gint64         id)
{
  BbBillEditor *editor;

  g_return_if_fail (BB_IS_BILLING_PAGE (self));

  editor = bb_bill_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), get_db (self), id);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_row_activated (BbBillingPage *self,
                  guint          position)
{
  g_autoptr(BbInvoice) inv = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (inv)
    bb_billing_page_open_bill (self, inv->id);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  bb_billing_page_open_bill (BB_BILLING_PAGE (widget), 0);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbBillingPage *self = BB_BILLING_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Ctrl+P: print the selected bill, through its editor's Print. */
static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbBillingPage *self = BB_BILLING_PAGE (widget);
  BbInvoice *inv = gtk_single_selection_get_selected_item (self->selection);
  BbBillEditor *editor;

  if (inv == NULL)
    {
      bb_widget_toast (widget, _("Select a bill to print"));
      return;
    }

  editor = bb_bill_editor_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self), inv->id);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "bill.print", NULL);
}

/* The payment dialog for the selected bill: it asks for the bill's
 * balance first, then the customer's other open bills. */
static void
record_payment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BbBillingPage *self = BB_BILLING_PAGE (widget);
  BbInvoice *inv = gtk_single_selection_get_selected_item (self->selection);
  BbPaymentDialog *dialog;

  if (inv == NULL)
    return;

  dialog = bb_payment_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self),
                                  inv->customer_id, inv->id);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Only an issued bill that is still owed takes a payment. */
static void
update_selection_actions (BbBillingPage *self)
{
  BbInvoice *inv = gtk_single_selection_get_selected_item (self->selection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.record-payment",
                                 inv != NULL && inv->status == BB_INVOICE_ISSUED &&
                                 inv->kind != BB_INVOICE_KIND_CREDIT_NOTE && inv->open_balance > 0);
}

static void
add_columns (BbBillingPage *self)
{
  for (Column c = 0; c < N_COLUMNS; c++)
    bb_column_view_add_column (self->column_view, c, _(columns[c].title), columns[c].width,
                               G_CALLBACK (setup_cell), G_CALLBACK (bind_cell), self);
  bb_column_view_sort_by (self->column_view, COLUMN_ISSUED, GTK_SORT_DESCENDING);

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);
}

static void
bb_billing_page_database_changed (BbPage *page)
{
  BbBillingPage *self = BB_BILLING_PAGE (page);
  BbDb *db = bb_page_get_database (page);

  g_clear_object (&self->list);
  if (db == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      return;
    }

  /* The query first, then the view: the view binds its rows once. */
  self->list = bb_invoice_list_new (db);
  update_query (self);
  {
    g_autoptr(GListModel) rows = bb_first_rows_model_new (G_LIST_MODEL (self->list),
                                                          GTK_WIDGET (self->column_view));

    gtk_single_selection_set_model (self->selection, rows);
  }
  g_signal_connect_object (db, "changed::invoices", G_CALLBACK (on_invoices_changed), self, G_CONNECT_AFTER);
  update_empty_state (self);
}

static void
bb_billing_page_dispose (GObject *object)
{
  BbBillingPage *self = BB_BILLING_PAGE (object);

  g_clear_object (&self->list);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (bb_billing_page_parent_class)->dispose (object);
}

static void
bb_billing_page_class_init (BbBillingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_billing_page_dispose;
  BB_PAGE_CLASS (klass)->database_changed = bb_billing_page_database_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-billing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, state_filter);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BbBillingPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_dates_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "billing.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "billing.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "billing.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "billing.record-payment", NULL, record_payment_action);
}

static void
bb_billing_page_init (BbBillingPage *self)
{
  g_autoptr(GtkStringList) states = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  states = gtk_string_list_new ((const char *[]) { _("All States"), _("Drafts"), _("In Review"),
                                                   _("Issued"), _("Overdue"), _("Void"), NULL });
  gtk_drop_down_set_model (self->state_filter, G_LIST_MODEL (states));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (update_selection_actions), self, G_CONNECT_SWAPPED);
  update_selection_actions (self);

  add_columns (self);
}
