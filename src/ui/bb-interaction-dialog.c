/* bb-interaction-dialog.c — log a call, a visit or a message
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-customers.h"
#include "bb-interaction-dialog.h"
#include "bb-text.h"

static const char * const channels[] = { "phone", "visit", "email", "wechat", "sms", "other" };
static const char * const kinds[] = { "communication", "complaint", "feedback", "follow_up" };

struct _BbInteractionDialog
{
  AdwWindow    parent_instance;

  BbDb        *db;
  gint64       customer_id;

  GtkLabel    *error_label;
  AdwEntryRow *date_row;
  AdwComboRow *channel_row;
  AdwComboRow *kind_row;
  AdwEntryRow *summary_row;
  AdwEntryRow *outcome_row;
  AdwEntryRow *follow_up_row;
};

G_DEFINE_FINAL_TYPE (BbInteractionDialog, bb_interaction_dialog, ADW_TYPE_WINDOW)

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbInteractionDialog *self = BB_INTERACTION_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  BbInteraction interaction = { 0 };
  guint channel = adw_combo_row_get_selected (self->channel_row);
  guint kind = adw_combo_row_get_selected (self->kind_row);
  g_autofree char *follow_up = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_row))));

  interaction.customer_id = self->customer_id;
  interaction.occurred_on = (char *) gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  interaction.channel = (char *) channels[MIN (channel, G_N_ELEMENTS (channels) - 1)];
  interaction.kind = (char *) kinds[MIN (kind, G_N_ELEMENTS (kinds) - 1)];
  interaction.summary = (char *) gtk_editable_get_text (GTK_EDITABLE (self->summary_row));
  interaction.outcome = (char *) gtk_editable_get_text (GTK_EDITABLE (self->outcome_row));
  interaction.follow_up_on = *follow_up ? follow_up : NULL;

  if (!bb_interactions_add (self->db, &interaction, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
bb_interaction_dialog_dispose (GObject *object)
{
  BbInteractionDialog *self = BB_INTERACTION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_INTERACTION_DIALOG);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_interaction_dialog_parent_class)->dispose (object);
}

static void
bb_interaction_dialog_class_init (BbInteractionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_interaction_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-interaction-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, BbInteractionDialog, follow_up_row);

  gtk_widget_class_install_action (widget_class, "interaction.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_interaction_dialog_init (BbInteractionDialog *self)
{
  g_autoptr(GtkStringList) channel_list = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kind_list = gtk_string_list_new (NULL);
  g_autofree char *today_iso = NULL;
  GDate today;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    gtk_string_list_append (channel_list, bb_interaction_channel_label (channels[i]));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (kind_list, bb_interaction_kind_label (kinds[i]));
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (channel_list));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kind_list));

  bb_date_set_today (&today);
  today_iso = bb_date_to_iso (&today);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today_iso);
}

BbInteractionDialog *
bb_interaction_dialog_new (GtkWindow *parent,
                           BbDb      *db,
                           gint64     customer_id)
{
  BbInteractionDialog *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_INTERACTION_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  self->customer_id = customer_id;

  return self;
}

/* Sets what the entry is likely to be, for "Log Call" on a reminder:
 * @channel and @kind as the book writes them ("phone", "follow_up"),
 * each nullable. */
void
bb_interaction_dialog_prefill (BbInteractionDialog *self,
                               const char          *channel,
                               const char          *kind,
                               const char          *summary)
{
  g_return_if_fail (BB_IS_INTERACTION_DIALOG (self));

  for (guint i = 0; channel && i < G_N_ELEMENTS (channels); i++)
    if (g_strcmp0 (channels[i], channel) == 0)
      adw_combo_row_set_selected (self->channel_row, i);
  for (guint i = 0; kind && i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i], kind) == 0)
      adw_combo_row_set_selected (self->kind_row, i);
  if (summary)
    gtk_editable_set_text (GTK_EDITABLE (self->summary_row), summary);
}
