/* bb-reminder-ladder-group.c — Preferences: the reminder ladder, step by step
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One expander row per step of the ladder (bb-reminders.c): the days from
 * the due date, and for steps after it the wording of the reminder and an
 * optional late fee, a percentage of what is owed or a fixed amount.
 * Every change is written to the book through bb_reminders_set_ladder()
 * a moment after the last keystroke; what core refuses is shown under the
 * steps, naming the step, and nothing is saved until it is put right.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-reminder-ladder-group.h"
#include "bb-reminder-text.h"
#include "bb-reminders.h"

#define SAVE_DELAY_MS 500

typedef struct
{
  AdwExpanderRow *row;
  GtkSpinButton  *days;
  AdwComboRow    *wording;
  AdwComboRow    *fee_kind;
  AdwEntryRow    *fee;
} StepRows;

struct _BbReminderLadderGroup
{
  AdwPreferencesGroup  parent_instance;

  BbDb                *db;
  gboolean             loading;
  GPtrArray           *steps;       /* StepRows */
  GtkWidget           *add_row;
  GtkLabel            *error_label;
  guint                save_id;
};

G_DEFINE_FINAL_TYPE (BbReminderLadderGroup, bb_reminder_ladder_group, ADW_TYPE_PREFERENCES_GROUP)

static void schedule_save (BbReminderLadderGroup *self);

static void
step_rows_free (StepRows *rows)
{
  g_free (rows);
}

static char *
days_title (int days)
{
  int n = ABS (days);

  if (days == 0)
    return g_strdup (_("On the due date"));
  if (days < 0)
    return g_strdup_printf (ngettext ("%d day before the due date", "%d days before the due date", n), n);
  return g_strdup_printf (ngettext ("%d day after the due date", "%d days after the due date", n), n);
}

/* The step as bb_reminder_ladder_parse() reads it: "+30 firm fee 2%". */
static char *
step_text (StepRows *rows)
{
  static const char * const wordings[] = { "polite", "firm", "final" };
  int days = gtk_spin_button_get_value_as_int (rows->days);
  guint fee_kind = adw_combo_row_get_selected (rows->fee_kind);
  g_autofree char *fee = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->fee))));
  GString *out = g_string_new (NULL);

  if (days <= 0)
    {
      g_string_append_printf (out, "%d", days);
      return g_string_free (out, FALSE);
    }

  g_string_append_printf (out, "+%d %s", days, wordings[MIN (adw_combo_row_get_selected (rows->wording), 2)]);
  if (fee_kind == BB_LATE_FEE_PERCENT)
    g_string_append_printf (out, " fee %s%s", *fee ? fee : "0", g_str_has_suffix (fee, "%") ? "" : "%");
  else if (fee_kind == BB_LATE_FEE_FIXED)
    g_string_append_printf (out, " fee %s", *fee ? fee : "0");

  return g_string_free (out, FALSE);
}

/* Title and subtitle follow the step's fields; after-due fields only
 * apply to steps after the due date. */
static void
update_row (StepRows *rows)
{
  int days = gtk_spin_button_get_value_as_int (rows->days);
  guint fee_kind = adw_combo_row_get_selected (rows->fee_kind);
  g_autofree char *title = days_title (days);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), title);
  gtk_widget_set_visible (GTK_WIDGET (rows->wording), days > 0);
  gtk_widget_set_visible (GTK_WIDGET (rows->fee_kind), days > 0);
  gtk_widget_set_visible (GTK_WIDGET (rows->fee), days > 0 && fee_kind != BB_LATE_FEE_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->fee),
                                 /* xgettext:no-c-format */
                                 fee_kind == BB_LATE_FEE_PERCENT ? _("Late Fee, % of What Is Owed")
                                                                 : _("Late Fee Amount"));

  if (days <= 0)
    subtitle = g_strdup (_("Reminds of the bill falling due"));
  else if (fee_kind == BB_LATE_FEE_NONE)
    /* Translators: a reminder step's subtitle: its wording, "Firm, no late fee" */
    subtitle = g_strdup_printf (_("%s, no late fee"),
                                bb_reminder_wording_label ((BbReminderWording) MIN (adw_combo_row_get_selected (rows->wording), 2)));
  else
    {
      g_autofree char *fee = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->fee))));

      /* Translators: a reminder step's subtitle: its wording and late fee, "Firm, late fee 2%" */
      subtitle = g_strdup_printf (_("%s, late fee %s%s"),
                                  bb_reminder_wording_label ((BbReminderWording) MIN (adw_combo_row_get_selected (rows->wording), 2)),
                                  fee, fee_kind == BB_LATE_FEE_PERCENT && !g_str_has_suffix (fee, "%") ? "%" : "");
    }
  adw_expander_row_set_subtitle (rows->row, subtitle);
}

static char *
ladder_text (BbReminderLadderGroup *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      g_autofree char *text = step_text (g_ptr_array_index (self->steps, i));

      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, text);
    }

  return g_string_free (out, FALSE);
}

static void
show_error (BbReminderLadderGroup *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Saves the steps; FALSE, with the reason shown, when core refuses them. */
static gboolean
save (BbReminderLadderGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->db == NULL)
    return FALSE;

  /* The steps are written as one text that ";" and line breaks divide:
   * in a fee they would make a step of their own, so they are refused
   * here, naming the step. */
  for (guint i = 0; i < self->steps->len; i++)
    {
      StepRows *rows = g_ptr_array_index (self->steps, i);
      const char *fee = gtk_editable_get_text (GTK_EDITABLE (rows->fee));

      if (gtk_widget_get_visible (GTK_WIDGET (rows->fee)) && strpbrk (fee, ";\r\n") != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Reminder step %u, late fee: “%s” is not an amount"),
                                                      i + 1, fee);

          show_error (self, message);
          return FALSE;
        }
    }

  text = ladder_text (self);
  if (!bb_reminders_set_ladder (self->db, text, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  show_error (self, NULL);
  return TRUE;
}

static gboolean
save_timeout (gpointer user_data)
{
  BbReminderLadderGroup *self = user_data;

  self->save_id = 0;
  save (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (BbReminderLadderGroup *self)
{
  if (self->loading)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout, self);
}

static void
on_step_changed (BbReminderLadderGroup *self)
{
  if (self->loading)
    return;

  for (guint i = 0; i < self->steps->len; i++)
    update_row (g_ptr_array_index (self->steps, i));
  schedule_save (self);
}

static void load (BbReminderLadderGroup *self);

static void
on_remove_clicked (GtkButton             *button,
                   BbReminderLadderGroup *self)
{
  AdwExpanderRow *row = g_object_get_data (G_OBJECT (button), "step-row");

  for (guint i = 0; i < self->steps->len; i++)
    {
      StepRows *rows = g_ptr_array_index (self->steps, i);

      if (rows->row == row)
        {
          adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
          g_ptr_array_remove_index (self->steps, i);
          break;
        }
    }

  if (save (self))
    load (self);
}

static StepRows *
add_step_rows (BbReminderLadderGroup *self,
               const BbReminderStep  *step,
               const BbCurrency      *currency)
{
  g_autoptr(GtkStringList) wordings = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) fee_kinds = gtk_string_list_new (NULL);
  StepRows *rows = g_new0 (StepRows, 1);
  GtkWidget *days_row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());

  rows->days = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (-365, 3650, 1));
  gtk_spin_button_set_value (rows->days, step->days);
  gtk_widget_set_valign (GTK_WIDGET (rows->days), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (days_row), _("Days from the Due Date"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (days_row), _("Negative before it, positive after it"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (days_row), GTK_WIDGET (rows->days));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (days_row), GTK_WIDGET (rows->days));
  adw_expander_row_add_row (rows->row, days_row);

  for (guint w = BB_REMINDER_POLITE; w <= BB_REMINDER_FINAL; w++)
    gtk_string_list_append (wordings, bb_reminder_wording_label ((BbReminderWording) w));
  rows->wording = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->wording), _("Wording"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (rows->wording), _("Of the message to copy and the dunning letter"));
  adw_combo_row_set_model (rows->wording, G_LIST_MODEL (wordings));
  adw_combo_row_set_selected (rows->wording, step->wording);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->wording));

  gtk_string_list_append (fee_kinds, _("No Late Fee"));
  gtk_string_list_append (fee_kinds, _("Percentage of What Is Owed"));
  gtk_string_list_append (fee_kinds, _("Fixed Amount"));
  rows->fee_kind = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->fee_kind), _("Late Fee"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (rows->fee_kind), _("Drafted as a fee bill for you to confirm"));
  adw_combo_row_set_model (rows->fee_kind, G_LIST_MODEL (fee_kinds));
  adw_combo_row_set_selected (rows->fee_kind, step->fee_kind);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->fee_kind));

  rows->fee = ADW_ENTRY_ROW (adw_entry_row_new ());
  if (step->fee_kind == BB_LATE_FEE_PERCENT)
    {
      g_autofree char *rate = bb_rate_format ((BbRate) step->fee);

      gtk_editable_set_text (GTK_EDITABLE (rows->fee), rate);
    }
  else if (step->fee_kind == BB_LATE_FEE_FIXED)
    {
      g_autofree char *amount = bb_money_format_plain (step->fee, currency);

      gtk_editable_set_text (GTK_EDITABLE (rows->fee), amount);
    }
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->fee));

  gtk_widget_set_tooltip_text (remove, _("Remove Step"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "step-row", rows->row);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
  adw_expander_row_add_action (rows->row, remove);

  g_signal_connect_swapped (rows->days, "value-changed", G_CALLBACK (on_step_changed), self);
  g_signal_connect_swapped (rows->wording, "notify::selected", G_CALLBACK (on_step_changed), self);
  g_signal_connect_swapped (rows->fee_kind, "notify::selected", G_CALLBACK (on_step_changed), self);
  g_signal_connect_swapped (rows->fee, "changed", G_CALLBACK (on_step_changed), self);

  update_row (rows);
  g_ptr_array_add (self->steps, rows);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (rows->row));

  return rows;
}

static void
clear_steps (BbReminderLadderGroup *self)
{
  for (guint i = 0; i < self->steps->len; i++)
    {
      StepRows *rows = g_ptr_array_index (self->steps, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (rows->row));
    }
  g_ptr_array_set_size (self->steps, 0);
}

/* The rows, from the ladder in the book, earliest step first. */
static void
load (BbReminderLadderGroup *self)
{
  g_autoptr(GArray) ladder = NULL;
  const BbCurrency *currency;

  self->loading = TRUE;
  clear_steps (self);

  if (self->db)
    {
      ladder = bb_reminders_get_ladder (self->db);
      currency = bb_business_get_currency (self->db);
      for (guint i = 0; i < ladder->len; i++)
        add_step_rows (self, &g_array_index (ladder, BbReminderStep, i), currency);
    }
  self->loading = FALSE;
}

static void
on_add_clicked (BbReminderLadderGroup *self)
{
  BbReminderStep step = { 0 };
  int last = G_MININT;

  if (self->db == NULL)
    return;

  for (guint i = 0; i < self->steps->len; i++)
    last = MAX (last, gtk_spin_button_get_value_as_int (((StepRows *) g_ptr_array_index (self->steps, i))->days));

  /* A week after the last step; one day after the due date for the first. */
  step.days = last == G_MININT ? 1 : MAX (last + 7, 1);
  step.wording = BB_REMINDER_POLITE;
  step.fee_kind = BB_LATE_FEE_NONE;

  self->loading = TRUE;
  adw_expander_row_set_expanded (add_step_rows (self, &step, bb_business_get_currency (self->db))->row, TRUE);
  self->loading = FALSE;

  save (self);
}

static void
on_defaults_clicked (BbReminderLadderGroup *self)
{
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return;

  if (!bb_reminders_set_ladder (self->db, NULL, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  load (self);
}

void
bb_reminder_ladder_group_set_database (BbReminderLadderGroup *self,
                                       BbDb                  *db)
{
  g_return_if_fail (BB_IS_REMINDER_LADDER_GROUP (self));

  if (self->save_id && self->db)
    save (self);
  g_set_object (&self->db, db);
  load (self);
}

static void
bb_reminder_ladder_group_dispose (GObject *object)
{
  BbReminderLadderGroup *self = BB_REMINDER_LADDER_GROUP (object);

  /* A change still waiting is saved as the window closes. */
  if (self->save_id && self->db)
    save (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_object (&self->db);
  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_reminder_ladder_group_parent_class)->dispose (object);
}

static void
bb_reminder_ladder_group_class_init (BbReminderLadderGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bb_reminder_ladder_group_dispose;
}

static void
bb_reminder_ladder_group_init (BbReminderLadderGroup *self)
{
  GtkWidget *add_button = gtk_button_new ();
  GtkWidget *add_content = adw_button_content_new ();
  GtkWidget *defaults = gtk_button_new_with_mnemonic (_("_Reset"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_rows_free);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Reminder Steps"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("When bills are brought up on the Reminders page and in "
                                           "notifications, in days from their due date. Steps after the "
                                           "due date set how firmly to ask, and may draft a late fee."));

  gtk_widget_set_tooltip_text (defaults, _("Go back to the standard steps"));
  gtk_widget_set_valign (defaults, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (defaults, "flat");
  g_signal_connect_swapped (defaults, "clicked", G_CALLBACK (on_defaults_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), defaults);

  /* Under the steps: what is wrong, and a button to add one */
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (add_content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (add_content), _("_Add Step"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (add_content), TRUE);
  gtk_button_set_child (GTK_BUTTON (add_button), add_content);
  gtk_widget_set_halign (add_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (add_button, 12);
  g_signal_connect_swapped (add_button, "clicked", G_CALLBACK (on_add_clicked), self);
  gtk_box_append (GTK_BOX (box), add_button);

  /* Not a row: the group keeps it under the rows. */
  self->add_row = box;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), box);
}
