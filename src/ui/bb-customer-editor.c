/* bb-customer-editor.c — add or edit a customer, checked as you type
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each field is checked by core as it changes; a bad one is marked and
 * explained, and Save stays off until every field is valid. Nothing is
 * written until Save, and then all of it in one transaction.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customer-editor.h"
#include "bb-customers.h"
#include "bb-text.h"

struct _BbCustomerEditor
{
  AdwWindow    parent_instance;

  BbDb        *db;
  gint64       customer_id;
  GHashTable  *problems;        /* row → message */
  GHashTable  *custom_rows;     /* field name → AdwEntryRow */

  GtkWidget   *save_button;
  GtkLabel    *error_label;
  AdwEntryRow *name_row;
  AdwEntryRow *company_row;
  AdwEntryRow *code_row;
  AdwEntryRow *phone_row;
  AdwEntryRow *email_row;
  AdwEntryRow *address_row;
  AdwEntryRow *tax_id_row;
  GtkSpinButton *terms_spin;
  AdwEntryRow *credit_limit_row;
  AdwComboRow *class_row;
  AdwEntryRow *tags_row;
  AdwEntryRow *notes_row;
  AdwPreferencesGroup *custom_group;
};

G_DEFINE_FINAL_TYPE (BbCustomerEditor, bb_customer_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* The form as a customer record; the credit limit is parsed separately. */
static BbCustomer *
form_to_customer (BbCustomerEditor *self)
{
  BbCustomer *c = self->customer_id ? bb_customers_get (self->db, self->customer_id, NULL) : NULL;
  static const char overrides[] = { 0, 'A', 'B', 'C' };
  guint klass = adw_combo_row_get_selected (self->class_row);
  GHashTableIter iter;
  gpointer key, value;

  if (c == NULL)
    c = bb_customer_new ();

#define SET(field, row) do { g_free (c->field); c->field = g_strdup (text_of (row)); } while (0)
  SET (name, self->name_row);
  SET (company, self->company_row);
  SET (code, self->code_row);
  SET (phone, self->phone_row);
  SET (email, self->email_row);
  SET (address, self->address_row);
  SET (tax_id, self->tax_id_row);
  SET (tags, self->tags_row);
  SET (notes, self->notes_row);
#undef SET

  c->payment_terms_days = gtk_spin_button_get_value_as_int (self->terms_spin);
  c->class_override = klass < G_N_ELEMENTS (overrides) ? overrides[klass] : 0;

  g_hash_table_remove_all (c->custom_fields);
  g_hash_table_iter_init (&iter, self->custom_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (c->custom_fields, g_strdup (key), g_strdup (text_of (value)));

  return c;
}

static gboolean
parse_credit_limit (BbCustomerEditor  *self,
                    BbMoney           *out,
                    GError           **error)
{
  const char *text = text_of (self->credit_limit_row);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    {
      *out = 0;
      return TRUE;
    }

  return bb_money_parse (stripped, bb_business_get_currency (self->db), _("Credit limit"),
                         FALSE, out, error);
}

static void
update_problems (BbCustomerEditor *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer value;
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));

  g_hash_table_iter_init (&iter, self->problems);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", (const char *) value);

  gtk_label_set_text (self->error_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text->len > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 g_hash_table_size (self->problems) == 0 && *name != '\0');
}

static void
mark (BbCustomerEditor *self,
      GtkWidget        *row,
      const GError     *error)
{
  if (error)
    {
      gtk_widget_add_css_class (row, "error");
      g_hash_table_insert (self->problems, row, g_strdup (error->message));
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      g_hash_table_remove (self->problems, row);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
validate_row (BbCustomerEditor *self,
              GtkWidget        *row)
{
  g_autoptr(BbCustomer) customer = form_to_customer (self);
  g_autoptr(GError) error = NULL;
  const char *field = g_object_get_data (G_OBJECT (row), "field");

  if (row == GTK_WIDGET (self->credit_limit_row))
    {
      BbMoney limit;

      parse_credit_limit (self, &limit, &error);
    }
  else if (field != NULL)
    {
      /* An empty name is not shouted about while typing; Save stays off. */
      if (!(g_str_equal (field, BB_CUSTOMER_FIELD_NAME) && *text_of (self->name_row) == '\0'))
        bb_customers_validate_field (self->db, customer, field, &error);
    }
  else
    {
      /* A custom field: text rules only. */
      const char *name = g_object_get_data (G_OBJECT (row), "custom-field");

      bb_text_validate (text_of (ADW_ENTRY_ROW (row)), name, 1000, FALSE, &error);
    }

  mark (self, row, error);
  update_problems (self);
}

static void
on_row_changed (GtkEditable      *editable,
                BbCustomerEditor *self)
{
  validate_row (self, GTK_WIDGET (editable));
}

static void
watch_row (BbCustomerEditor *self,
           AdwEntryRow      *row,
           const char       *field)
{
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbCustomerEditor *self = BB_CUSTOMER_EDITOR (widget);
  g_autoptr(BbCustomer) customer = form_to_customer (self);
  g_autoptr(GError) error = NULL;

  if (!parse_credit_limit (self, &customer->credit_limit, &error) ||
      !bb_customers_save (self->db, customer, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, customer->id);
  gtk_window_destroy (GTK_WINDOW (self));
}

gboolean
bb_customer_editor_can_save (BbCustomerEditor *self)
{
  g_return_val_if_fail (BB_IS_CUSTOMER_EDITOR (self), FALSE);

  return gtk_widget_get_sensitive (self->save_button);
}

static void
load (BbCustomerEditor *self)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_auto(GStrv) fields = bb_customer_fields_list (self->db);
  g_autoptr(GtkStringList) classes = NULL;

  classes = gtk_string_list_new ((const char *[]) { _("Automatic"), "A", "B", "C", NULL });
  adw_combo_row_set_model (self->class_row, G_LIST_MODEL (classes));

  for (guint i = 0; fields[i]; i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fields[i]);
      g_object_set_data_full (G_OBJECT (row), "custom-field", g_strdup (fields[i]), g_free);
      g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), self);
      adw_preferences_group_add (self->custom_group, row);
      g_hash_table_insert (self->custom_rows, g_strdup (fields[i]), row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->custom_group), fields[0] != NULL);

  if (self->customer_id != 0 &&
      (customer = bb_customers_get (self->db, self->customer_id, NULL)) != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Customer"));
      set_text (self->name_row, customer->name);
      set_text (self->company_row, customer->company);
      set_text (self->code_row, customer->code);
      set_text (self->phone_row, customer->phone);
      set_text (self->email_row, customer->email);
      set_text (self->address_row, customer->address);
      set_text (self->tax_id_row, customer->tax_id);
      set_text (self->tags_row, customer->tags);
      set_text (self->notes_row, customer->notes);
      gtk_spin_button_set_value (self->terms_spin, customer->payment_terms_days);
      if (customer->credit_limit > 0)
        {
          g_autofree char *limit = bb_money_format_plain (customer->credit_limit,
                                                          bb_business_get_currency (self->db));
          set_text (self->credit_limit_row, limit);
        }
      adw_combo_row_set_selected (self->class_row,
                                  customer->class_override ? (guint) (customer->class_override - 'A' + 1) : 0);

      for (guint i = 0; fields[i]; i++)
        set_text (g_hash_table_lookup (self->custom_rows, fields[i]),
                  g_hash_table_lookup (customer->custom_fields, fields[i]));
    }

  update_problems (self);
}

static void
bb_customer_editor_dispose (GObject *object)
{
  BbCustomerEditor *self = BB_CUSTOMER_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_CUSTOMER_EDITOR);
  g_clear_object (&self->db);
  g_clear_pointer (&self->problems, g_hash_table_unref);
  g_clear_pointer (&self->custom_rows, g_hash_table_unref);

  G_OBJECT_CLASS (bb_customer_editor_parent_class)->dispose (object);
}

static void
bb_customer_editor_class_init (BbCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_customer_editor_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, company_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, code_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, tax_id_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, terms_spin);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, credit_limit_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, class_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, notes_row);
  gtk_widget_class_bind_template_child (widget_class, BbCustomerEditor, custom_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_customer_editor_init (BbCustomerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->problems = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->custom_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  watch_row (self, self->name_row, BB_CUSTOMER_FIELD_NAME);
  watch_row (self, self->company_row, BB_CUSTOMER_FIELD_COMPANY);
  watch_row (self, self->code_row, BB_CUSTOMER_FIELD_CODE);
  watch_row (self, self->phone_row, BB_CUSTOMER_FIELD_PHONE);
  watch_row (self, self->email_row, BB_CUSTOMER_FIELD_EMAIL);
  watch_row (self, self->address_row, BB_CUSTOMER_FIELD_ADDRESS);
  watch_row (self, self->tax_id_row, BB_CUSTOMER_FIELD_TAX_ID);
  watch_row (self, self->tags_row, BB_CUSTOMER_FIELD_TAGS);
  watch_row (self, self->notes_row, BB_CUSTOMER_FIELD_NOTES);
  watch_row (self, self->credit_limit_row, NULL);
}

BbCustomerEditor *
bb_customer_editor_new (GtkWindow *parent,
                        BbDb      *db,
                        gint64     customer_id)
{
  BbCustomerEditor *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_CUSTOMER_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  self->customer_id = customer_id;
  load (self);

  return self;
}
