/* bb-payment-methods-group.c — Preferences: the names of the payment methods, and which are taken
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per method: the name the shop shows it with (empty: the
 * standard name, which is the row's title) and a switch saying whether
 * the payment dialog offers it. Saved in the book through core
 * (bb-payment-methods.c), so the names go with the book file and appear
 * wherever a method is shown.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-payment-methods.h"
#include "bb-payment-methods-group.h"

struct _BbPaymentMethodsGroup
{
  AdwPreferencesGroup  parent_instance;

  BbDb                *db;
  gboolean             loading;
  AdwEntryRow         *name_rows[BB_PAYMENT_N_METHODS];
  GtkSwitch           *switches[BB_PAYMENT_N_METHODS];
};

G_DEFINE_FINAL_TYPE (BbPaymentMethodsGroup, bb_payment_methods_group, ADW_TYPE_PREFERENCES_GROUP)

/* In the payment dialog's order; prepaid last, as it is not taken there. */
static const BbPaymentMethod shown_methods[] = {
  BB_PAYMENT_CASH,
  BB_PAYMENT_WECHAT_PAY,
  BB_PAYMENT_ALIPAY,
  BB_PAYMENT_BANK_TRANSFER,
  BB_PAYMENT_CARD,
  BB_PAYMENT_OTHER,
  BB_PAYMENT_PREPAID,
};

static void
toast (BbPaymentMethodsGroup *self,
       const char            *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

static void
load (BbPaymentMethodsGroup *self)
{
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (shown_methods); i++)
    {
      BbPaymentMethod m = shown_methods[i];
      g_autofree char *name = NULL;

      if (bb_payment_methods_has_own_name (self->db, m))
        name = bb_payment_methods_get_name (self->db, m);
      gtk_editable_set_text (GTK_EDITABLE (self->name_rows[m]), name ? name : "");
      gtk_switch_set_active (self->switches[m], bb_payment_methods_is_enabled (self->db, m));
    }
  self->loading = FALSE;
}

static void
save (BbPaymentMethodsGroup *self,
      BbPaymentMethod        method)
{
  g_autoptr(GError) error = NULL;

  if (self->loading || self->db == NULL)
    return;

  if (!bb_payment_methods_set (self->db, method,
                               gtk_editable_get_text (GTK_EDITABLE (self->name_rows[method])),
                               gtk_switch_get_active (self->switches[method]), &error))
    {
      toast (self, error->message);
      load (self);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->name_rows[method]), "error");
}

static void
on_apply (AdwEntryRow           *row,
          BbPaymentMethodsGroup *self)
{
  save (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "method")));
}

static void
on_active (GtkSwitch             *sw,
           GParamSpec            *pspec,
           BbPaymentMethodsGroup *self)
{
  save (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "method")));
}

static void
bb_payment_methods_group_dispose (GObject *object)
{
  BbPaymentMethodsGroup *self = BB_PAYMENT_METHODS_GROUP (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_payment_methods_group_parent_class)->dispose (object);
}

static void
bb_payment_methods_group_class_init (BbPaymentMethodsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_payment_methods_group_dispose;
}

static void
bb_payment_methods_group_init (BbPaymentMethodsGroup *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Payment Methods"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Give a method the name your shop uses; it is shown wherever payments are. "
                                           "Turn off the methods you do not take: Record Payment no longer offers them, "
                                           "and payments taken before keep theirs."));

  for (guint i = 0; i < G_N_ELEMENTS (shown_methods); i++)
    {
      BbPaymentMethod m = shown_methods[i];
      GtkWidget *row = adw_entry_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *tip = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bb_payment_method_label (m));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "method", GUINT_TO_POINTER (m));
      g_signal_connect (row, "apply", G_CALLBACK (on_apply), self);

      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (sw), "method", GUINT_TO_POINTER (m));
      if (m == BB_PAYMENT_PREPAID)
        {
          /* Prepaid money is drawn from a card, never taken in the dialog. */
          gtk_widget_set_visible (sw, FALSE);
          tip = g_strdup (_("Drawn from a customer’s prepaid card"));
        }
      else
        /* Translators: the switch of a payment method in Preferences */
        tip = g_strdup_printf (_("Take payments by %s"), bb_payment_method_label (m));
      gtk_widget_set_tooltip_text (sw, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_active), self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), sw);

      self->name_rows[m] = ADW_ENTRY_ROW (row);
      self->switches[m] = GTK_SWITCH (sw);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }
}

void
bb_payment_methods_group_set_database (BbPaymentMethodsGroup *self,
                                       BbDb                  *db)
{
  g_return_if_fail (BB_IS_PAYMENT_METHODS_GROUP (self));
  g_return_if_fail (BB_IS_DB (db));

  g_set_object (&self->db, db);
  load (self);
}
