/* bb-prepaid-card-editor.c — a new prepaid card, or a card's terms
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core validates the terms (bb_prepaid_save_account()); its messages
 * start with the field's name, which the editor marks. A new card is
 * given to a customer found by name, code or phone as one types.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-prepaid.h"
#include "bb-prepaid-card-editor.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* Customers offered as one types */
#define MAX_MATCHES 6

struct _BbPrepaidCardEditor
{
  AdwWindow          parent_instance;

  BbDb              *db;
  BbPrepaidAccount  *account;
  const BbCurrency  *currency;
  gint64             customer_id;
  gboolean           choosing;      /* the customer is chosen here */
  gboolean           filling;

  GtkLabel          *error_label;
  AdwEntryRow       *customer_row;
  GtkListBox        *customer_list;
  AdwEntryRow       *name_row;
  AdwComboRow       *validity_row;
  AdwEntryRow       *expires_row;
  AdwActionRow      *months_row;
  GtkSpinButton     *months_spin;
  AdwEntryRow       *bonus_threshold_row;
  AdwEntryRow       *bonus_amount_row;
  AdwActionRow      *refundable_row;
  GtkSwitch         *refundable_switch;
  AdwEntryRow       *policy_row;
  AdwEntryRow       *points_per_unit_row;
  AdwEntryRow       *points_unit_row;
  AdwEntryRow       *redeem_points_row;
  AdwEntryRow       *redeem_value_row;
  AdwEntryRow       *low_row;
  AdwActionRow      *closed_row;
  GtkSwitch         *closed_switch;
};

G_DEFINE_FINAL_TYPE (BbPrepaidCardEditor, bb_prepaid_card_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget **
all_rows (BbPrepaidCardEditor *self,
          guint               *n)
{
  static GtkWidget *rows[16];
  guint i = 0;

  rows[i++] = GTK_WIDGET (self->customer_row);
  rows[i++] = GTK_WIDGET (self->name_row);
  rows[i++] = GTK_WIDGET (self->validity_row);
  rows[i++] = GTK_WIDGET (self->expires_row);
  rows[i++] = GTK_WIDGET (self->months_row);
  rows[i++] = GTK_WIDGET (self->bonus_threshold_row);
  rows[i++] = GTK_WIDGET (self->bonus_amount_row);
  rows[i++] = GTK_WIDGET (self->policy_row);
  rows[i++] = GTK_WIDGET (self->points_per_unit_row);
  rows[i++] = GTK_WIDGET (self->points_unit_row);
  rows[i++] = GTK_WIDGET (self->redeem_points_row);
  rows[i++] = GTK_WIDGET (self->redeem_value_row);
  rows[i++] = GTK_WIDGET (self->low_row);
  rows[i++] = GTK_WIDGET (self->closed_row);
  *n = i;

  return rows;
}

static void
clear_error (BbPrepaidCardEditor *self)
{
  guint n;
  GtkWidget **rows = all_rows (self, &n);

  for (guint i = 0; i < n; i++)
    gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
show_error (BbPrepaidCardEditor *self,
            const GError        *error)
{
  struct { const char *field; GtkWidget *row; } fields[] = {
    { _("Customer"), GTK_WIDGET (self->customer_row) },
    { _("Name"), GTK_WIDGET (self->name_row) },
    { _("Card name"), GTK_WIDGET (self->name_row) },
    { _("Validity"), GTK_WIDGET (self->validity_row) },
    { _("Expires on"), GTK_WIDGET (self->expires_row) },
    { _("Months"), GTK_WIDGET (self->months_row) },
    { _("Refund policy"), GTK_WIDGET (self->policy_row) },
    { _("Low-balance mark"), GTK_WIDGET (self->low_row) },
    { _("Bonus threshold"), GTK_WIDGET (self->bonus_threshold_row) },
    { _("Bonus"), GTK_WIDGET (self->bonus_amount_row) },
    { _("Points unit"), GTK_WIDGET (self->points_unit_row) },
    { _("Points"), GTK_WIDGET (self->points_per_unit_row) },
    { _("Redeem value"), GTK_WIDGET (self->redeem_value_row) },
    { _("Redeem"), GTK_WIDGET (self->redeem_points_row) },
    { _("Closed"), GTK_WIDGET (self->closed_row) },
  };

  clear_error (self);
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s:", fields[i].field);

      if (g_str_has_prefix (error->message, prefix))
        {
          gtk_widget_add_css_class (fields[i].row, "error");
          gtk_widget_grab_focus (fields[i].row);
          break;
        }
    }
}

static void
on_changed (BbPrepaidCardEditor *self)
{
  if (!self->filling)
    clear_error (self);
}

static void
on_validity_changed (BbPrepaidCardEditor *self)
{
  guint v = adw_combo_row_get_selected (self->validity_row);

  gtk_widget_set_visible (GTK_WIDGET (self->expires_row), v == BB_PREPAID_VALIDITY_FIXED);
  gtk_widget_set_visible (GTK_WIDGET (self->months_row), v == BB_PREPAID_VALIDITY_MONTHS);
  on_changed (self);
}

/* ---- Choosing the customer ------------------------------------------ */

static void
clear_matches (BbPrepaidCardEditor *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->customer_list, 0)))
    gtk_list_box_remove (self->customer_list, GTK_WIDGET (row));
  gtk_widget_set_visible (GTK_WIDGET (self->customer_list), FALSE);
}

static void
on_customer_text_changed (BbPrepaidCardEditor *self)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *text = NULL;
  BbCustomerQuery query = { 0 };

  if (self->filling || !self->choosing)
    return;

  /* Typing again chooses again. */
  self->customer_id = 0;
  clear_matches (self);
  text = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->customer_row)));
  if (*text == '\0')
    return;

  query.text = text;
  query.sort = BB_CUSTOMER_SORT_NAME;
  found = bb_customers_search (self->db, &query, 0, MAX_MATCHES, NULL);
  for (guint i = 0; found && i < found->len; i++)
    {
      BbCustomer *customer = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf ("%s%s%s", customer->code,
                                                   customer->phone && *customer->phone ? " · " : "",
                                                   customer->phone ? customer->phone : "");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), customer->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "customer-id", GSIZE_TO_POINTER ((gsize) customer->id));
      g_object_set_data_full (G_OBJECT (row), "customer-name", g_strdup (customer->name), g_free);
      gtk_list_box_append (self->customer_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->customer_list), found && found->len > 0);
}

static void
on_customer_activated (BbPrepaidCardEditor *self,
                       GtkListBoxRow       *row)
{
  g_autofree char *text = NULL;

  self->customer_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "customer-id"));
  text = g_strdup_printf ("%s (%s)", (char *) g_object_get_data (G_OBJECT (row), "customer-name"),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row), text);
  self->filling = FALSE;
  clear_matches (self);
  clear_error (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/* ---- Saving --------------------------------------------------------- */

static gboolean
read_money (BbPrepaidCardEditor  *self,
            AdwEntryRow          *row,
            const char           *field,
            BbMoney              *out,
            GError              **error)
{
  g_autofree char *text = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (row)));

  *out = 0;
  if (*text == '\0')
    return TRUE;

  return bb_money_parse (text, self->currency, field, FALSE, out, error);
}

static gboolean
read_count (AdwEntryRow  *row,
            const char   *field,
            gint64       *out,
            GError      **error)
{
  g_autofree char *text = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (row)));
  char *end = NULL;

  *out = 0;
  if (*text == '\0')
    return TRUE;

  *out = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != '\0' || *out < 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("%s: a whole number from 0 up"), field);
      return FALSE;
    }

  return TRUE;
}

static void
on_save_clicked (BbPrepaidCardEditor *self)
{
  BbPrepaidAccount *a = self->account;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  gboolean is_new = a->id == 0;

  clear_error (self);

  if (is_new)
    {
      if (self->customer_id == 0)
        {
          g_set_error (&error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Customer: type part of a name, code or phone and pick the customer"));
          show_error (self, error);
          return;
        }
      a->customer_id = self->customer_id;
    }

  g_free (a->name);
  a->name = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  a->validity = (BbPrepaidValidity) adw_combo_row_get_selected (self->validity_row);
  g_clear_pointer (&a->expires_on, g_free);
  if (a->validity == BB_PREPAID_VALIDITY_FIXED)
    a->expires_on = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->expires_row)));
  a->validity_months = gtk_spin_button_get_value_as_int (self->months_spin);
  g_free (a->refund_policy);
  a->refund_policy = bb_text_strip (gtk_editable_get_text (GTK_EDITABLE (self->policy_row)));
  a->bonus_refundable = gtk_switch_get_active (self->refundable_switch);
  a->closed = gtk_switch_get_active (self->closed_switch);

  if (!read_money (self, self->bonus_threshold_row, _("Bonus threshold"), &a->bonus_threshold, &error) ||
      !read_money (self, self->bonus_amount_row, _("Bonus"), &a->bonus_amount, &error) ||
      !read_count (self->points_per_unit_row, _("Points"), &a->points_per_unit, &error) ||
      !read_money (self, self->points_unit_row, _("Points unit"), &a->points_unit, &error) ||
      !read_count (self->redeem_points_row, _("Redeem"), &a->redeem_points, &error) ||
      !read_money (self, self->redeem_value_row, _("Redeem value"), &a->redeem_value, &error) ||
      !read_money (self, self->low_row, _("Low-balance mark"), &a->low_balance_mark, &error))
    {
      show_error (self, error);
      return;
    }
  /* No amount for the points: per 1.00, the usual rule. */
  if (a->points_unit == 0)
    {
      a->points_unit = 1;
      for (guint i = 0; i < self->currency->digits; i++)
        a->points_unit *= 10;
    }

  if (!bb_prepaid_save_account (self->db, a, &error))
    {
      show_error (self, error);
      return;
    }

  done = is_new ? g_strdup_printf (_("Card “%s” added"), a->name)
                : g_strdup_printf (_("Terms of “%s” saved"), a->name);
  g_signal_emit (self, signals[SAVED], 0, a->id);
  if (gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    bb_widget_toast (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))), done);
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- Set-up --------------------------------------------------------- */

static void
set_money (BbPrepaidCardEditor *self,
           AdwEntryRow         *row,
           BbMoney              value)
{
  g_autofree char *text = value > 0 ? bb_money_format_plain (value, self->currency) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
set_count (AdwEntryRow *row,
           gint64       value)
{
  g_autofree char *text = value > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
fill (BbPrepaidCardEditor *self)
{
  BbPrepaidAccount *a = self->account;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), a->name ? a->name : "");
  adw_combo_row_set_selected (self->validity_row, a->validity);
  gtk_editable_set_text (GTK_EDITABLE (self->expires_row),
                         a->validity == BB_PREPAID_VALIDITY_FIXED && a->expires_on ? a->expires_on : "");
  if (a->validity_months > 0)
    gtk_spin_button_set_value (self->months_spin, a->validity_months);
  set_money (self, self->bonus_threshold_row, a->bonus_threshold);
  set_money (self, self->bonus_amount_row, a->bonus_amount);
  gtk_switch_set_active (self->refundable_switch, a->bonus_refundable);
  gtk_editable_set_text (GTK_EDITABLE (self->policy_row), a->refund_policy ? a->refund_policy : "");
  set_count (self->points_per_unit_row, a->points_per_unit);
  set_money (self, self->points_unit_row, a->points_per_unit > 0 ? a->points_unit : 0);
  set_count (self->redeem_points_row, a->redeem_points);
  set_money (self, self->redeem_value_row, a->redeem_value);
  set_money (self, self->low_row, a->low_balance_mark);
  gtk_switch_set_active (self->closed_switch, a->closed);
  self->filling = FALSE;
  on_validity_changed (self);
}

static void
bb_prepaid_card_editor_dispose (GObject *object)
{
  BbPrepaidCardEditor *self = BB_PREPAID_CARD_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PREPAID_CARD_EDITOR);
  g_clear_object (&self->account);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_prepaid_card_editor_parent_class)->dispose (object);
}

static void
bb_prepaid_card_editor_class_init (BbPrepaidCardEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_prepaid_card_editor_dispose;

  /* A card was saved: its id. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-prepaid-card-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, customer_list);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, validity_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, expires_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, months_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, months_spin);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, bonus_threshold_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, bonus_amount_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, refundable_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, refundable_switch);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, policy_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, points_per_unit_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, points_unit_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, redeem_points_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, redeem_value_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, low_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, closed_row);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidCardEditor, closed_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_validity_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_customer_activated);
}

static void
bb_prepaid_card_editor_init (BbPrepaidCardEditor *self)
{
  g_autoptr(GtkStringList) validity = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In BbPrepaidValidity's order */
  validity = gtk_string_list_new ((const char *[]) { _("Without End"), _("Until a Fixed Day"),
                                                     _("For Months from Each Top-Up"), NULL });
  adw_combo_row_set_model (self->validity_row, G_LIST_MODEL (validity));
  g_signal_connect_swapped (self->customer_row, "changed", G_CALLBACK (on_customer_text_changed), self);
  gtk_widget_set_visible (GTK_WIDGET (self->customer_list), FALSE);
}

BbPrepaidCardEditor *
bb_prepaid_card_editor_new (GtkWindow *parent,
                            BbDb      *db,
                            gint64     account_id,
                            gint64     customer_id)
{
  BbPrepaidCardEditor *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PREPAID_CARD_EDITOR, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->currency = bb_business_get_currency (db);

  if (account_id != 0)
    self->account = bb_prepaid_get_account (db, account_id, NULL);

  if (self->account != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Terms of %s"), self->account->name);
      g_autofree char *who = g_strdup_printf ("%s (%s)", self->account->customer_name, self->account->customer_code);

      gtk_window_set_title (GTK_WINDOW (self), title);
      self->customer_id = self->account->customer_id;
      gtk_editable_set_text (GTK_EDITABLE (self->customer_row), who);
      gtk_widget_set_sensitive (GTK_WIDGET (self->customer_row), FALSE);
    }
  else
    {
      self->account = bb_prepaid_account_new ();
      self->account->validity = BB_PREPAID_VALIDITY_MONTHS;
      self->account->validity_months = 12;
      gtk_widget_set_visible (GTK_WIDGET (self->closed_row), FALSE);
      self->customer_id = customer_id;
      if (customer_id != 0)
        {
          g_autoptr(BbCustomer) customer = bb_customers_get (db, customer_id, NULL);

          if (customer)
            {
              g_autofree char *who = g_strdup_printf ("%s (%s)", customer->name, customer->code);

              gtk_editable_set_text (GTK_EDITABLE (self->customer_row), who);
            }
          gtk_widget_set_sensitive (GTK_WIDGET (self->customer_row), FALSE);
        }
      else
        self->choosing = TRUE;
    }

  fill (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->choosing ? self->customer_row : self->name_row));

  return self;
}
