/* bb-preferences-window.c — business details and settings of the book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The business details live in the book (not GSettings): they belong to
 * the shop, and go wherever the book file goes.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-preferences-window.h"

struct _BbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BbDb                 *db;
  gboolean              loading;

  AdwEntryRow          *name_row;
  AdwEntryRow          *address_row;
  AdwEntryRow          *phone_row;
  AdwEntryRow          *tax_id_row;
  AdwComboRow          *currency_row;
  AdwEntryRow          *threshold_row;
  AdwPreferencesGroup  *fields_group;
  AdwEntryRow          *new_field_row;
  GPtrArray            *field_rows;
};

G_DEFINE_FINAL_TYPE (BbPreferencesWindow, bb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static char *
currency_label (const BbCurrency *currency)
{
  return g_strdup_printf ("%s (%s)", currency->code, currency->symbol);
}

static BbBusiness *
business_from_rows (BbPreferencesWindow *self)
{
  g_autoptr(BbBusiness) business = bb_business_load (self->db);
  const BbCurrency * const *currencies = bb_currency_list ();
  guint selected = adw_combo_row_get_selected (self->currency_row);

  g_free (business->name);
  business->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_free (business->address);
  business->address = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  g_free (business->phone);
  business->phone = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row)));
  g_free (business->tax_id);
  business->tax_id = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tax_id_row)));

  if (selected != GTK_INVALID_LIST_POSITION && currencies[selected] != NULL)
    {
      g_free (business->currency);
      business->currency = g_strdup (currencies[selected]->code);
    }

  return g_steal_pointer (&business);
}

static void
save (BbPreferencesWindow *self,
      GtkWidget           *row)
{
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;

  business = business_from_rows (self);

  if (!bb_business_save (self->db, business, &error))
    {
      if (row)
        gtk_widget_add_css_class (row, "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }

  if (row)
    gtk_widget_remove_css_class (row, "error");
}

static void
on_entry_apply (BbPreferencesWindow *self,
                AdwEntryRow         *row)
{
  save (self, GTK_WIDGET (row));
}

static void
on_currency_selected (BbPreferencesWindow *self,
                      GParamSpec          *pspec,
                      AdwComboRow         *row)
{
  save (self, NULL);
}

static void
toast (BbPreferencesWindow *self,
       const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_threshold_apply (BbPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  BbMoney threshold;

  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (row)),
                       bb_business_get_currency (self->db),
                       _("Class A threshold"), FALSE, &threshold, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return;
    }

  stored = g_strdup_printf ("%" G_GINT64_FORMAT, threshold);
  if (!bb_db_set_setting (self->db, "customers.class_a_threshold", stored, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void load_fields (BbPreferencesWindow *self);

static void
on_remove_field_clicked (GtkButton           *button,
                         BbPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "field");
  g_autoptr(GError) error = NULL;

  if (!bb_customer_fields_remove (self->db, name, &error))
    toast (self, error->message);
  load_fields (self);
}

static void
load_fields (BbPreferencesWindow *self)
{
  g_auto(GStrv) fields = bb_customer_fields_list (self->db);

  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->fields_group, g_ptr_array_index (self->field_rows, i));
  g_ptr_array_set_size (self->field_rows, 0);

  for (guint i = 0; fields[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = g_strdup_printf (_("Remove the field “%s”"), fields[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fields[i]);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "field", g_strdup (fields[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_field_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->fields_group, row);
      g_ptr_array_add (self->field_rows, row);
    }
}

static void
on_new_field_apply (BbPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;

  if (!bb_customer_fields_add (self->db, gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  load_fields (self);
}

static void
load (BbPreferencesWindow *self)
{
  g_autoptr(BbBusiness) business = bb_business_load (self->db);
  const BbCurrency * const *currencies = bb_currency_list ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  self->loading = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), business->name);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), business->address);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), business->phone);
  gtk_editable_set_text (GTK_EDITABLE (self->tax_id_row), business->tax_id);

  for (guint i = 0; currencies[i] != NULL; i++)
    {
      g_autofree char *label = currency_label (currencies[i]);

      gtk_string_list_append (list, label);
      if (g_strcmp0 (currencies[i]->code, business->currency) == 0)
        selected = i;
    }

  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->currency_row, selected);

  {
    g_autofree char *threshold = bb_money_format_plain (bb_customers_get_class_a_threshold (self->db),
                                                        bb_business_get_currency (self->db));

    gtk_editable_set_text (GTK_EDITABLE (self->threshold_row), threshold);
  }
  load_fields (self);

  self->loading = FALSE;
}

static void
bb_preferences_window_dispose (GObject *object)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->db);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_preferences_window_parent_class)->dispose (object);
}

static void
bb_preferences_window_class_init (BbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, tax_id_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, fields_group);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, new_field_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_threshold_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_new_field_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_selected);
}

static void
bb_preferences_window_init (BbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->field_rows = g_ptr_array_new ();
}

BbPreferencesWindow *
bb_preferences_window_new (GtkWindow *parent,
                           BbDb      *db)
{
  BbPreferencesWindow *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  load (self);

  return self;
}
