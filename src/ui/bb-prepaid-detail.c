/* bb-prepaid-detail.c — one prepaid card: balance, terms, ledger, and what
 * can be done with it
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger is a GtkListView over BbPrepaidLedger, which reads pages of
 * entries on demand, newest first: a card used daily for years has
 * thousands. Every button opens a dialog that makes one core call.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-payment-methods.h"
#include "bb-prepaid.h"
#include "bb-prepaid-card-editor.h"
#include "bb-prepaid-detail.h"
#include "bb-prepaid-entry-dialog.h"
#include "bb-prepaid-ledger.h"
#include "bb-prepaid-statement.h"
#include "bb-text.h"
#include "bb-ui-util.h"
#include "bb-window.h"

struct _BbPrepaidDetail
{
  AdwBin            parent_instance;

  BbDb             *db;
  gint64            account_id;
  gint64            customer_id;
  gulong            changed_id;
  gboolean          show_back_button;
  BbPrepaidLedger  *ledger;
  GtkNoSelection   *ledger_selection;
  GPtrArray        *term_rows;
  GCancellable     *statement_cancellable;

  GtkStack         *stack;
  GtkWidget        *back_button;
  GtkLabel         *name_label;
  GtkLabel         *state_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *balance_label;
  GtkLabel         *paid_in_label;
  GtkLabel         *bonus_label;
  GtkLabel         *points_label;
  AdwExpanderRow   *terms_row;
  GtkStack         *ledger_stack;
  GtkListView      *ledger_view;
};

G_DEFINE_FINAL_TYPE (BbPrepaidDetail, bb_prepaid_detail, ADW_TYPE_BIN)

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

static const char * const card_actions[] = {
  "card.top-up", "card.charge", "card.refund", "card.adjust", "card.redeem",
  "card.edit", "card.statement", "card.show-customer",
};

static GtkWindow *
get_window (BbPrepaidDetail *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

/* ---- Ledger rows ---------------------------------------------------- */

static void on_reverse_clicked (GtkButton       *button,
                                BbPrepaidDetail *self);

static void
setup_entry (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             BbPrepaidDetail          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *figures = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *amount = gtk_label_new (NULL);
  GtkWidget *after = gtk_label_new (NULL);
  GtkWidget *reverse = gtk_button_new_from_icon_name ("edit-undo-symbolic");

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);

  gtk_widget_set_valign (figures, GTK_ALIGN_CENTER);
  /* One width for every row, so the buttons before it line up too */
  gtk_widget_set_size_request (figures, 120, -1);
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  gtk_widget_add_css_class (amount, "money");
  gtk_widget_add_css_class (amount, "heading");
  gtk_label_set_xalign (GTK_LABEL (after), 1);
  gtk_widget_add_css_class (after, "money");
  gtk_widget_add_css_class (after, "dim-label");
  gtk_widget_add_css_class (after, "caption");
  gtk_box_append (GTK_BOX (figures), amount);
  gtk_box_append (GTK_BOX (figures), after);

  gtk_widget_set_valign (reverse, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (reverse, "flat");
  bb_cell_set_tooltip (reverse, _("Take This Charge Back…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reverse), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Take this charge back"), -1);
  g_signal_connect (reverse, "clicked", G_CALLBACK (on_reverse_clicked), self);

  /* The button before the figures, so that the amounts of every row
   * line up at the right. */
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), reverse);
  gtk_box_append (GTK_BOX (box), figures);

  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (box), "amount", amount);
  g_object_set_data (G_OBJECT (box), "after", after);
  g_object_set_data (G_OBJECT (box), "reverse", reverse);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static char *
signed_money (BbMoney           amount,
              const BbCurrency *currency)
{
  g_autofree char *text = bb_money_format (amount < 0 ? -amount : amount, currency);

  /* U+2212 MINUS SIGN: as wide as the plus, and read as minus. */
  return g_strdup_printf ("%s%s", amount < 0 ? "−" : "+", text);
}

static void
bind_entry (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            BbPrepaidDetail          *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  BbPrepaidEntry *entry = gtk_list_item_get_item (item);
  const BbCurrency *currency = bb_business_get_currency (self->db);
  GtkWidget *amount = g_object_get_data (G_OBJECT (box), "amount");
  GtkWidget *reverse = g_object_get_data (G_OBJECT (box), "reverse");
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) sub = g_string_new (NULL);
  g_autofree char *money = signed_money (entry->amount, currency);
  g_autofree char *balance = bb_money_format (entry->balance_after, currency);
  g_autofree char *after = g_strdup_printf (_("Balance %s"), balance);

  g_string_append_printf (title, "%s · %s", entry->occurred_on,
                          entry->reverses_id != 0 ? _("Charge taken back") : bb_prepaid_entry_kind_label (entry->kind));
  if (entry->has_method)
    {
      g_autofree char *method = bb_payment_methods_get_name (self->db, entry->method);

      g_string_append_printf (title, " · %s", method);
    }

  if (entry->invoice_number && *entry->invoice_number)
    g_string_append_printf (sub, _("Bill %s"), entry->invoice_number);
  if (entry->note && *entry->note && g_strcmp0 (entry->note, entry->invoice_number) != 0)
    g_string_append_printf (sub, "%s%s", sub->len ? " · " : "", entry->note);
  if (entry->bonus_part != 0 && entry->kind != BB_PREPAID_BONUS && entry->kind != BB_PREPAID_REDEEM)
    {
      g_autofree char *b = bb_money_format (ABS (entry->bonus_part), currency);

      g_string_append_printf (sub, "%s", sub->len ? " · " : "");
      g_string_append_printf (sub, _("bonus money %s"), b);
    }
  if (entry->points > 0)
    {
      g_string_append_printf (sub, "%s", sub->len ? " · " : "");
      g_string_append_printf (sub, g_dngettext (GETTEXT_PACKAGE, "+%lld point", "+%lld points", entry->points),
                              (long long) entry->points);
    }
  else if (entry->points < 0)
    {
      g_string_append_printf (sub, "%s", sub->len ? " · " : "");
      g_string_append_printf (sub, g_dngettext (GETTEXT_PACKAGE, "−%lld point", "−%lld points", -entry->points),
                              (long long) -entry->points);
    }
  if (entry->reversed_by_id != 0)
    {
      g_string_append_printf (sub, "%s", sub->len ? " · " : "");
      g_string_append (sub, _("taken back"));
    }

  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "title"), title->str);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "subtitle"), sub->str);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "subtitle"), sub->len > 0);
  gtk_label_set_text (GTK_LABEL (amount), money);
  if (entry->amount > 0)
    gtk_widget_add_css_class (amount, "success");
  else
    gtk_widget_remove_css_class (amount, "success");
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "after"), after);

  g_object_set_data (G_OBJECT (reverse), "entry-id", GSIZE_TO_POINTER ((gsize) entry->id));
  gtk_widget_set_visible (reverse, entry->kind == BB_PREPAID_CHARGE && entry->reversed_by_id == 0);
}

/* ---- Showing the card ----------------------------------------------- */

static void
set_state (BbPrepaidDetail  *self,
           BbPrepaidAccount *account)
{
  static const char *css[] = { "overdue", "partial", "void", "paid" };
  const char *text = NULL;
  const char *klass = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (css); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), css[i]);

  if (account->closed)
    text = _("Closed"), klass = "void";
  else if (bb_prepaid_account_is_expired (account, NULL))
    text = _("Expired"), klass = "overdue";
  else if (bb_prepaid_account_is_low (account))
    text = _("Low balance"), klass = "partial";

  gtk_widget_set_visible (GTK_WIDGET (self->state_label), text != NULL);
  if (text)
    {
      gtk_label_set_text (self->state_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), klass);
    }
}

static void
set_terms (BbPrepaidDetail  *self,
           BbPrepaidAccount *account,
           const BbCurrency *currency)
{
  g_auto(GStrv) terms = bb_prepaid_describe_terms (account, currency);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < self->term_rows->len; i++)
    adw_expander_row_remove (self->terms_row, g_ptr_array_index (self->term_rows, i));
  g_ptr_array_set_size (self->term_rows, 0);

  for (guint i = 0; terms[i] && terms[i + 1]; i += 2)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), terms[i + 1]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), terms[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, "property");
      adw_expander_row_add_row (self->terms_row, row);
      g_ptr_array_add (self->term_rows, row);
    }

  /* Collapsed, the row says the first term: how long the money is good. */
  if (terms[0] && terms[1])
    adw_expander_row_set_subtitle (self->terms_row, terms[1]);
  (void) summary;
}

static void
reload (BbPrepaidDetail *self)
{
  g_autoptr(BbPrepaidAccount) account = NULL;
  const BbCurrency *currency;
  g_autofree char *subtitle = NULL;
  g_autofree char *balance = NULL;
  g_autofree char *paid_in = NULL;
  g_autofree char *bonus = NULL;
  g_autofree char *points = NULL;

  if (self->db && self->account_id != 0)
    account = bb_prepaid_get_account (self->db, self->account_id, NULL);

  if (account == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      for (guint i = 0; i < G_N_ELEMENTS (card_actions); i++)
        gtk_widget_action_set_enabled (GTK_WIDGET (self), card_actions[i], FALSE);
      gtk_list_view_set_model (self->ledger_view, NULL);
      g_clear_object (&self->ledger);
      self->customer_id = 0;
      return;
    }

  currency = bb_business_get_currency (self->db);
  self->customer_id = account->customer_id;
  gtk_stack_set_visible_child_name (self->stack, "card");

  for (guint i = 0; i < G_N_ELEMENTS (card_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), card_actions[i], TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.top-up", !account->closed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.charge", !account->closed && account->balance > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.refund", !account->closed && account->balance > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.adjust", !account->closed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.redeem",
                                 !account->closed && account->redeem_points > 0 && account->redeem_value > 0 &&
                                 account->points >= account->redeem_points);

  gtk_label_set_text (self->name_label, account->name);
  subtitle = g_strdup_printf ("%s · %s", account->customer_name ? account->customer_name : "",
                              account->customer_code ? account->customer_code : "");
  gtk_label_set_text (self->subtitle_label, subtitle);
  set_state (self, account);

  balance = bb_money_format (account->balance, currency);
  paid_in = bb_money_format (account->paid_in, currency);
  bonus = bb_money_format (account->bonus, currency);
  points = g_strdup_printf ("%" G_GINT64_FORMAT, account->points);
  gtk_label_set_text (self->balance_label, balance);
  gtk_label_set_text (self->paid_in_label, paid_in);
  gtk_label_set_text (self->bonus_label, bonus);
  gtk_label_set_text (self->points_label, points);

  set_terms (self, account, currency);

  if (self->ledger == NULL || bb_prepaid_ledger_get_account_id (self->ledger) != account->id)
    {
      g_clear_object (&self->ledger);
      self->ledger = bb_prepaid_ledger_new (self->db, account->id);
      gtk_no_selection_set_model (self->ledger_selection, G_LIST_MODEL (self->ledger));
      gtk_list_view_set_model (self->ledger_view, GTK_SELECTION_MODEL (self->ledger_selection));
    }
  else
    bb_paged_list_reload (BB_PAGED_LIST (self->ledger));

  gtk_stack_set_visible_child_name (self->ledger_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->ledger)) > 0 ? "entries" : "empty");
}

static void
on_db_changed (BbDb            *db,
               const char      *table,
               gint64           id,
               BbPrepaidDetail *self)
{
  if (self->account_id == 0)
    return;

  /* This card (every entry written on it announces the card too), its
   * customer, or many rows at once: the figures may differ. Others'
   * cards leave the ledger, and where it is scrolled to, alone. */
  if (id == 0 ||
      (g_strcmp0 (table, "prepaid_accounts") == 0 && id == self->account_id) ||
      (g_strcmp0 (table, "customers") == 0 && id == self->customer_id))
    reload (self);
}

void
bb_prepaid_detail_set_database (BbPrepaidDetail *self,
                                BbDb            *db)
{
  g_return_if_fail (BB_IS_PREPAID_DETAIL (self));

  if (self->db == db)
    return;

  g_clear_signal_handler (&self->changed_id, self->db);
  gtk_list_view_set_model (self->ledger_view, NULL);
  g_clear_object (&self->ledger);
  g_set_object (&self->db, db);
  if (db)
    self->changed_id = g_signal_connect_object (db, "changed", G_CALLBACK (on_db_changed), self, G_CONNECT_AFTER);

  self->account_id = 0;
  reload (self);
}

BbDb *
bb_prepaid_detail_get_database (BbPrepaidDetail *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_DETAIL (self), NULL);

  return self->db;
}

void
bb_prepaid_detail_set_account (BbPrepaidDetail *self,
                               gint64           id)
{
  g_return_if_fail (BB_IS_PREPAID_DETAIL (self));

  if (self->account_id == id && id != 0)
    return;

  self->account_id = id;
  reload (self);
}

gint64
bb_prepaid_detail_get_account (BbPrepaidDetail *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_DETAIL (self), 0);

  return self->account_id;
}

/* ---- Actions -------------------------------------------------------- */

static void
open_dialog (BbPrepaidDetail     *self,
             BbPrepaidDialogKind  kind,
             gint64               id)
{
  BbPrepaidEntryDialog *dialog = bb_prepaid_entry_dialog_new (get_window (self), self->db, kind, id);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
entry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (widget);
  BbPrepaidDialogKind kind;

  if (g_str_equal (action_name, "card.top-up"))
    kind = BB_PREPAID_DIALOG_TOP_UP;
  else if (g_str_equal (action_name, "card.charge"))
    kind = BB_PREPAID_DIALOG_CHARGE;
  else if (g_str_equal (action_name, "card.refund"))
    kind = BB_PREPAID_DIALOG_REFUND;
  else if (g_str_equal (action_name, "card.adjust"))
    kind = BB_PREPAID_DIALOG_ADJUST;
  else
    kind = BB_PREPAID_DIALOG_REDEEM;

  open_dialog (self, kind, self->account_id);
}

static void
on_reverse_clicked (GtkButton       *button,
                    BbPrepaidDetail *self)
{
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "entry-id"));

  if (id != 0)
    open_dialog (self, BB_PREPAID_DIALOG_REVERSE, id);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (widget);
  BbPrepaidCardEditor *editor = bb_prepaid_card_editor_new (get_window (self), self->db, self->account_id, 0);

  gtk_window_present (GTK_WINDOW (editor));
}

static void
show_customer_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (widget);
  GtkWindow *window = get_window (self);

  if (BB_IS_WINDOW (window) && self->customer_id != 0)
    bb_window_show_customer (BB_WINDOW (window), self->customer_id);
}

/* Statement: a date range, a file, then the PDF written in a thread. */

static void
statement_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BbPrepaidDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_prepaid_statement_write_finish (BB_DB (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bb_widget_toast (GTK_WIDGET (self), error->message);
    }
  else
    bb_widget_toast (GTK_WIDGET (self), _("Statement saved"));

  g_clear_object (&self->statement_cancellable);
}

static void
on_statement_file (GtkNativeDialog *native,
                   int              response,
                   BbPrepaidDetail *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->db)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      const char *from = g_object_get_data (G_OBJECT (native), "from");
      const char *to = g_object_get_data (G_OBJECT (native), "to");

      if (self->statement_cancellable)
        g_cancellable_cancel (self->statement_cancellable);
      g_clear_object (&self->statement_cancellable);
      self->statement_cancellable = g_cancellable_new ();
      bb_widget_toast (GTK_WIDGET (self), _("Writing the statement…"));
      bb_prepaid_statement_write_async (self->db, self->account_id, from, to, file,
                                        self->statement_cancellable, statement_done, g_object_ref (self));
    }

  g_object_unref (native);
}

static void
on_range_response (AdwMessageDialog *dialog,
                   const char       *response,
                   BbPrepaidDetail  *self)
{
  GtkEditable *from_entry = g_object_get_data (G_OBJECT (dialog), "from");
  GtkEditable *to_entry = g_object_get_data (G_OBJECT (dialog), "to");
  g_autoptr(BbPrepaidAccount) account = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *native;
  GDate d;

  if (g_strcmp0 (response, "save") != 0 || self->db == NULL)
    return;

  from = bb_text_strip (gtk_editable_get_text (from_entry));
  to = bb_text_strip (gtk_editable_get_text (to_entry));
  if ((*from && !bb_date_parse (from, _("From"), &d, &error)) ||
      (*to && !bb_date_parse (to, _("To"), &d, &error)))
    {
      bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  account = bb_prepaid_get_account (self->db, self->account_id, NULL);
  if (account == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Save Statement"), get_window (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  /* Translators: a file name: "statement-C0012-Membership card.pdf" */
  name = g_strdup_printf (_("statement-%s-%s.pdf"), account->customer_code ? account->customer_code : "",
                          account->name);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_object_set_data_full (G_OBJECT (native), "from", *from ? g_steal_pointer (&from) : NULL, g_free);
  g_object_set_data_full (G_OBJECT (native), "to", *to ? g_steal_pointer (&to) : NULL, g_free);
  g_signal_connect (native, "response", G_CALLBACK (on_statement_file), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static GtkWidget *
date_entry (const char *placeholder,
            const char *label,
            const char *text)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
  gtk_widget_set_tooltip_text (entry, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return entry;
}

static void
statement_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (widget);
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *from, *to;
  g_autofree char *today = NULL;
  g_autofree char *first = NULL;
  GDate d;

  bb_date_set_today (&d);
  today = bb_date_to_iso (&d);
  g_date_set_day (&d, 1);
  first = bb_date_to_iso (&d);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), _("Statement PDF"),
                                                       _("The statement lists every entry between the two days, "
                                                         "with the balance before and after. Leave the first day "
                                                         "empty to start from the card’s first entry.")));
  from = date_entry (_("First entry"), _("From (YYYY-MM-DD)"), first);
  to = date_entry (_("Today"), _("To (YYYY-MM-DD)"), today);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), from);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (box), to);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save PDF…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "from", from);
  g_object_set_data (G_OBJECT (dialog), "to", to);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_range_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_back_clicked (BbPrepaidDetail *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

/* ---- Set-up --------------------------------------------------------- */

static void
bb_prepaid_detail_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (object);

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
bb_prepaid_detail_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (object);

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
bb_prepaid_detail_dispose (GObject *object)
{
  BbPrepaidDetail *self = BB_PREPAID_DETAIL (object);

  if (self->statement_cancellable)
    g_cancellable_cancel (self->statement_cancellable);
  g_clear_object (&self->statement_cancellable);
  g_clear_signal_handler (&self->changed_id, self->db);
  if (self->ledger_view)
    gtk_list_view_set_model (self->ledger_view, NULL);
  g_clear_object (&self->ledger_selection);
  g_clear_object (&self->ledger);
  g_clear_object (&self->db);
  g_clear_pointer (&self->term_rows, g_ptr_array_unref);
  /* AdwBin unparents the template's child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (bb_prepaid_detail_parent_class)->dispose (object);
}

static void
bb_prepaid_detail_class_init (BbPrepaidDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_prepaid_detail_dispose;
  object_class->get_property = bb_prepaid_detail_get_property;
  object_class->set_property = bb_prepaid_detail_set_property;

  properties[PROP_SHOW_BACK_BUTTON] =
    g_param_spec_boolean ("show-back-button", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-prepaid-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, back_button);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, balance_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, paid_in_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, bonus_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, points_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, terms_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, ledger_stack);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidDetail, ledger_view);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "card.top-up", NULL, entry_action);
  gtk_widget_class_install_action (widget_class, "card.charge", NULL, entry_action);
  gtk_widget_class_install_action (widget_class, "card.refund", NULL, entry_action);
  gtk_widget_class_install_action (widget_class, "card.adjust", NULL, entry_action);
  gtk_widget_class_install_action (widget_class, "card.redeem", NULL, entry_action);
  gtk_widget_class_install_action (widget_class, "card.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "card.statement", NULL, statement_action);
  gtk_widget_class_install_action (widget_class, "card.show-customer", NULL, show_customer_action);
}

static void
bb_prepaid_detail_init (BbPrepaidDetail *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->term_rows = g_ptr_array_new ();
  self->ledger_selection = gtk_no_selection_new (NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_entry), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_entry), self);
  gtk_list_view_set_factory (self->ledger_view, factory);
  g_object_unref (factory);

  gtk_widget_set_visible (self->back_button, FALSE);
  reload (self);
}
