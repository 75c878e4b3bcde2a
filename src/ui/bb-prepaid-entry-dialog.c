/* bb-prepaid-entry-dialog.c — top up, charge, refund, adjust, redeem
 * points or take a charge back: one entry on a card's ledger
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each kind is one core call, one transaction. The dialog says what the
 * entry will do (the bonus a top-up brings, how much can be refunded)
 * and, when core refuses, shows its message, which starts with the
 * field's name, marks that field and stays open: nothing was written.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-payment-methods.h"
#include "bb-prepaid.h"
#include "bb-prepaid-entry-dialog.h"
#include "bb-text.h"
#include "bb-ui-util.h"

struct _BbPrepaidEntryDialog
{
  AdwWindow            parent_instance;

  BbDb                *db;
  BbPrepaidDialogKind  kind;
  BbPrepaidAccount    *account;
  BbPrepaidEntry      *charge;      /* REVERSE: the charge taken back */
  const BbCurrency    *currency;
  gint64               entry_id;

  AdwPreferencesGroup *group;
  AdwEntryRow         *amount_row;
  AdwEntryRow         *points_row;
  AdwEntryRow         *date_row;
  AdwComboRow         *method_row;
  AdwEntryRow         *note_row;
  GtkLabel            *hint_label;
  GtkLabel            *error_label;
  GtkWidget           *ok_button;
};

G_DEFINE_FINAL_TYPE (BbPrepaidEntryDialog, bb_prepaid_entry_dialog, ADW_TYPE_WINDOW)

/* How money moves onto or off a card, in the list's order. */
static const BbPaymentMethod offered_methods[] = {
  BB_PAYMENT_CASH,
  BB_PAYMENT_WECHAT_PAY,
  BB_PAYMENT_ALIPAY,
  BB_PAYMENT_BANK_TRANSFER,
  BB_PAYMENT_CARD,
  BB_PAYMENT_OTHER,
};

static gboolean
parse_amount (BbPrepaidEntryDialog *self,
              BbMoney              *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));

  return bb_money_parse (text, self->currency, "", self->kind == BB_PREPAID_DIALOG_ADJUST, out, NULL);
}

static gboolean
parse_points (BbPrepaidEntryDialog *self,
              gint64               *out)
{
  g_autofree char *text = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->points_row)));
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtoll (text, &end, 10);

  return end && *end == '\0';
}

static void
clear_error (BbPrepaidEntryDialog *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->amount_row), GTK_WIDGET (self->points_row), GTK_WIDGET (self->date_row),
    GTK_WIDGET (self->method_row), GTK_WIDGET (self->note_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Core's messages start with the field's name: "Amount: …". */
static void
show_error (BbPrepaidEntryDialog *self,
            const GError         *error)
{
  struct { const char *field; GtkWidget *row; } fields[] = {
    { _("Amount"), GTK_WIDGET (self->amount_row) },
    { _("Points"), GTK_WIDGET (self->points_row) },
    { _("Date"), GTK_WIDGET (self->date_row) },
    { _("Method"), GTK_WIDGET (self->method_row) },
    { _("Note"), GTK_WIDGET (self->note_row) },
    { _("Reason"), GTK_WIDGET (self->note_row) },
  };

  clear_error (self);
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s:", fields[i].field);

      if (g_str_has_prefix (error->message, prefix) && gtk_widget_get_visible (fields[i].row))
        {
          gtk_widget_add_css_class (fields[i].row, "error");
          gtk_widget_grab_focus (fields[i].row);
          break;
        }
    }
}

static void
update_hint (BbPrepaidEntryDialog *self)
{
  BbPrepaidAccount *a = self->account;
  g_autofree char *balance = bb_money_format (a->balance, self->currency);
  g_autofree char *text = NULL;
  BbMoney amount = 0;
  gint64 points = 0;

  switch (self->kind)
    {
    case BB_PREPAID_DIALOG_TOP_UP:
      if (parse_amount (self, &amount) && amount > 0)
        {
          BbMoney bonus = bb_prepaid_account_compute_bonus (a, amount);
          g_autofree char *after = bb_money_format (a->balance + amount + MAX (bonus, 0), self->currency);

          if (bonus > 0)
            {
              g_autofree char *b = bb_money_format (bonus, self->currency);

              text = g_strdup_printf (_("The bonus rule adds %s: the card will hold %s."), b, after);
            }
          else
            text = g_strdup_printf (_("No bonus for this amount: the card will hold %s."), after);
        }
      else
        text = g_strdup_printf (_("The card holds %s."), balance);
      break;

    case BB_PREPAID_DIALOG_CHARGE:
      if (parse_amount (self, &amount) && amount > 0)
        {
          gint64 earned = bb_prepaid_account_compute_points (a, amount);
          g_autofree char *left = bb_money_format (a->balance - amount, self->currency);

          if (amount > a->balance)
            text = g_strdup_printf (_("The card holds only %s."), balance);
          else if (earned > 0)
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s will be left on the card; the charge earns %lld point.",
                                                 "%s will be left on the card; the charge earns %lld points.",
                                                 earned),
                                    left, (long long) earned);
          else
            text = g_strdup_printf (_("%s will be left on the card."), left);
        }
      else
        text = g_strdup_printf (_("The card holds %s."), balance);
      break;

    case BB_PREPAID_DIALOG_REFUND:
      {
        g_autofree char *max = bb_money_format (bb_prepaid_account_get_refundable (a), self->currency);
        g_autofree char *bonus = bb_money_format (a->bonus, self->currency);

        if (a->bonus_refundable || a->bonus == 0)
          text = g_strdup_printf (_("At most %s can be refunded: the whole balance."), max);
        else
          text = g_strdup_printf (_("At most %s can be refunded: the balance is %s, of which %s is bonus "
                                    "money, which the card’s terms do not refund."), max, balance, bonus);
      }
      break;

    case BB_PREPAID_DIALOG_ADJUST:
      text = g_strdup_printf (_("The card holds %s. A positive amount adds money, a negative one "
                                "(such as −20) takes it off. Say why: the reason stays in the ledger."), balance);
      break;

    case BB_PREPAID_DIALOG_REDEEM:
      {
        g_autofree char *step_value = bb_money_format (a->redeem_value, self->currency);

        if (parse_points (self, &points) && points > 0 &&
            bb_prepaid_account_compute_redeem_value (a, points) > 0)
          {
            g_autofree char *v = bb_money_format (bb_prepaid_account_compute_redeem_value (a, points),
                                                  self->currency);

            text = g_strdup_printf (_("The card holds %lld points. These bring %s of bonus money, spent "
                                      "by later charges."), (long long) a->points, v);
          }
        else
          text = g_strdup_printf (_("The card holds %lld points, redeemed in steps of %lld for %s each."),
                                  (long long) a->points, (long long) a->redeem_points, step_value);
      }
      break;

    case BB_PREPAID_DIALOG_REVERSE:
      {
        g_autofree char *c = bb_money_format (-self->charge->amount, self->currency);

        if (self->charge->points > 0)
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The charge of %s on %s is taken back: the money returns to "
                                               "the card and its %lld point is taken off. The charge stays "
                                               "in the ledger.",
                                               "The charge of %s on %s is taken back: the money returns to "
                                               "the card and its %lld points are taken off. The charge stays "
                                               "in the ledger.",
                                               self->charge->points),
                                  c, self->charge->occurred_on, (long long) self->charge->points);
        else
          text = g_strdup_printf (_("The charge of %s on %s is taken back: the money returns to the card. "
                                    "The charge stays in the ledger."), c, self->charge->occurred_on);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (self->hint_label, text);
}

static void
on_changed (BbPrepaidEntryDialog *self)
{
  clear_error (self);
  update_hint (self);
}

static void
on_ok_clicked (BbPrepaidEntryDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *date = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  g_autofree char *note = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
  g_autofree char *done = NULL;
  g_autofree char *formatted = NULL;
  guint selected = adw_combo_row_get_selected (self->method_row);
  BbPaymentMethod method = offered_methods[MIN (selected, G_N_ELEMENTS (offered_methods) - 1)];
  gint64 id = 0, account_id = self->account->id;
  BbMoney amount = 0;
  gint64 points = 0;
  gboolean ok = FALSE;

  clear_error (self);

  if (self->kind != BB_PREPAID_DIALOG_REDEEM && self->kind != BB_PREPAID_DIALOG_REVERSE)
    {
      if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), self->currency,
                           _("Amount"), self->kind == BB_PREPAID_DIALOG_ADJUST, &amount, &error))
        {
          show_error (self, error);
          return;
        }
    }
  if (self->kind == BB_PREPAID_DIALOG_REDEEM && !parse_points (self, &points))
    {
      g_set_error (&error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("%s: give a whole number of points"), _("Points"));
      show_error (self, error);
      return;
    }

  switch (self->kind)
    {
    case BB_PREPAID_DIALOG_TOP_UP:
      ok = bb_prepaid_top_up (self->db, account_id, date, amount, method, note, &id, &error);
      formatted = bb_money_format (amount, self->currency);
      done = g_strdup_printf (_("Top-up of %s recorded"), formatted);
      break;
    case BB_PREPAID_DIALOG_CHARGE:
      ok = bb_prepaid_charge (self->db, account_id, date, amount, note, &id, &error);
      formatted = bb_money_format (amount, self->currency);
      done = g_strdup_printf (_("Charge of %s recorded"), formatted);
      break;
    case BB_PREPAID_DIALOG_REFUND:
      ok = bb_prepaid_refund (self->db, account_id, date, amount, method, note, &id, &error);
      formatted = bb_money_format (amount, self->currency);
      done = g_strdup_printf (_("Refund of %s recorded"), formatted);
      break;
    case BB_PREPAID_DIALOG_ADJUST:
      ok = bb_prepaid_adjust (self->db, account_id, date, amount, note, &id, &error);
      formatted = bb_money_format (amount, self->currency);
      done = g_strdup_printf (_("Balance adjusted by %s"), formatted);
      break;
    case BB_PREPAID_DIALOG_REDEEM:
      ok = bb_prepaid_redeem_points (self->db, account_id, date, points, note, &id, &error);
      done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld point redeemed", "%lld points redeemed", points),
                              (long long) points);
      break;
    case BB_PREPAID_DIALOG_REVERSE:
      ok = bb_prepaid_reverse_charge (self->db, self->charge->id, date, note, &id, &error);
      done = g_strdup (_("Charge taken back"));
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      show_error (self, error);
      return;
    }

  self->entry_id = id;
  if (gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    bb_widget_toast (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))), done);
  gtk_window_close (GTK_WINDOW (self));
}

static void
bb_prepaid_entry_dialog_dispose (GObject *object)
{
  BbPrepaidEntryDialog *self = BB_PREPAID_ENTRY_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PREPAID_ENTRY_DIALOG);
  g_clear_object (&self->account);
  g_clear_object (&self->charge);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_prepaid_entry_dialog_parent_class)->dispose (object);
}

static void
bb_prepaid_entry_dialog_class_init (BbPrepaidEntryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_prepaid_entry_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-prepaid-entry-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, group);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, points_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidEntryDialog, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, on_ok_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
bb_prepaid_entry_dialog_init (BbPrepaidEntryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_default_widget (GTK_WINDOW (self), self->ok_button);
}

/**
 * bb_prepaid_entry_dialog_new:
 * @id: the card; for %BB_PREPAID_DIALOG_REVERSE the charge entry
 */
BbPrepaidEntryDialog *
bb_prepaid_entry_dialog_new (GtkWindow           *parent,
                             BbDb                *db,
                             BbPrepaidDialogKind  kind,
                             gint64               id)
{
  static const struct
  {
    const char *title;
    const char *button;
    const char *note;
    gboolean    amount, points, method;
  } kinds[] = {
    [BB_PREPAID_DIALOG_TOP_UP] = { N_("Top Up"), N_("_Top Up"), N_("Note"), TRUE, FALSE, TRUE },
    [BB_PREPAID_DIALOG_CHARGE] = { N_("Charge"), N_("_Charge"), N_("Note (what was sold)"), TRUE, FALSE, FALSE },
    [BB_PREPAID_DIALOG_REFUND] = { N_("Refund"), N_("_Refund"), N_("Note"), TRUE, FALSE, TRUE },
    [BB_PREPAID_DIALOG_ADJUST] = { N_("Adjust Balance"), N_("_Adjust"), N_("Reason (needed)"), TRUE, FALSE, FALSE },
    [BB_PREPAID_DIALOG_REDEEM] = { N_("Redeem Points"), N_("_Redeem"), N_("Note"), FALSE, TRUE, FALSE },
    [BB_PREPAID_DIALOG_REVERSE] = { N_("Take Charge Back"), N_("_Take Back"), N_("Reason (needed)"), FALSE, FALSE, FALSE },
  };
  BbPrepaidEntryDialog *self;
  g_autofree char *today = NULL;
  g_autofree char *title = NULL;
  gint64 account_id = id;
  GDate date;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);

  self = g_object_new (BB_TYPE_PREPAID_ENTRY_DIALOG, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->kind = kind;
  self->currency = bb_business_get_currency (db);

  /* The methods by the names the owner gave them in Preferences. */
  {
    g_autoptr(GtkStringList) methods = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (offered_methods); i++)
      {
        g_autofree char *name = bb_payment_methods_get_name (db, offered_methods[i]);

        gtk_string_list_append (methods, name);
      }
    adw_combo_row_set_model (self->method_row, G_LIST_MODEL (methods));
  }

  if (kind == BB_PREPAID_DIALOG_REVERSE)
    {
      self->charge = bb_prepaid_get_entry (db, id, NULL);
      account_id = self->charge ? self->charge->account_id : 0;
    }
  self->account = bb_prepaid_get_account (db, account_id, NULL);
  if (self->account == NULL || (kind == BB_PREPAID_DIALOG_REVERSE && self->charge == NULL))
    {
      /* Gone meanwhile: an empty card, so nothing below fails. */
      g_clear_object (&self->account);
      self->account = bb_prepaid_account_new ();
      if (self->charge == NULL)
        self->charge = bb_prepaid_entry_new ();
    }

  gtk_window_set_title (GTK_WINDOW (self), _(kinds[kind].title));
  gtk_button_set_label (GTK_BUTTON (self->ok_button), _(kinds[kind].button));
  title = g_strdup_printf ("%s · %s", self->account->name,
                           self->account->customer_name ? self->account->customer_name : "");
  adw_preferences_group_set_title (self->group, title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _(kinds[kind].note));
  if (kind == BB_PREPAID_DIALOG_ADJUST)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), _("Amount (+ adds, − takes off)"));
  if (kind == BB_PREPAID_DIALOG_REFUND)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->method_row), _("Paid Back By"));

  gtk_widget_set_visible (GTK_WIDGET (self->amount_row), kinds[kind].amount);
  gtk_widget_set_visible (GTK_WIDGET (self->points_row), kinds[kind].points);
  gtk_widget_set_visible (GTK_WIDGET (self->method_row), kinds[kind].method);

  bb_date_set_today (&date);
  today = bb_date_to_iso (&date);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);

  if (kind == BB_PREPAID_DIALOG_REDEEM && self->account->redeem_points > 0)
    {
      /* All the points that can be redeemed. */
      gint64 n = self->account->points - self->account->points % self->account->redeem_points;
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, n);

      gtk_editable_set_text (GTK_EDITABLE (self->points_row), text);
    }

  update_hint (self);
  clear_error (self);
  if (kinds[kind].amount)
    gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
  else if (kinds[kind].points)
    gtk_widget_grab_focus (GTK_WIDGET (self->points_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->note_row));

  return self;
}

gint64
bb_prepaid_entry_dialog_get_entry_id (BbPrepaidEntryDialog *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_ENTRY_DIALOG (self), 0);

  return self->entry_id;
}
