/* bb-reminders-page.c — what is due: Overdue, Today, This week, Later
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page lists the reminders under a heading per group, computed in a
 * thread (a big book has tens of thousands) again whenever the book
 * changes, every few minutes (snoozes run out) and when the day changes.
 * The rows are a GtkListView over a BbReminderList, which makes only the
 * reminders on screen, so only their rows are built.
 *
 * Every row action is a page action with the reminder's key as target:
 * reminders.open, .done, .snooze ((ss): key and "hour", "tomorrow",
 * "week" or a date YYYY-MM-DD), .log-call, .copy-message ((ss): key and
 * "polite", "firm" or "final"), .letter and .draft-fee.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-dunning-pdf.h"
#include "bb-interaction-dialog.h"
#include "bb-reminder-list.h"
#include "bb-reminder-text.h"
#include "bb-reminders-page.h"
#include "bb-reminders.h"
#include "bb-text.h"
#include "bb-ui-util.h"
#include "bb-window.h"

/* Computed again this often, for snoozes that run out. */
#define REFRESH_SECONDS (5 * 60)
/* Changes to the book in a burst are computed once. */
#define CHANGED_DELAY_MS 250

/* ---- The page ------------------------------------------------------- */

struct _BbRemindersPage
{
  BbPage        parent_instance;

  GtkStack     *stack;
  GtkListView  *list_view;

  BbReminderList *list;       /* shown, or to be given to the view */
  GCancellable *cancellable;
  BbDb         *changed_db;
  gulong        changed_id;
  guint         changed_source;
  guint         tick_source;
  guint         midnight_source;
  guint         badge_number;
  gboolean      needs_attention;
  gboolean      loaded;
  gboolean      model_pending;  /* list not given to the view yet */
};

G_DEFINE_FINAL_TYPE (BbRemindersPage, bb_reminders_page, BB_TYPE_PAGE)

enum {
  PROP_0,
  PROP_BADGE_NUMBER,
  PROP_NEEDS_ATTENTION,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_midnight (BbRemindersPage *self);

static BbDb *
get_db (BbRemindersPage *self)
{
  return bb_page_get_database (BB_PAGE (self));
}

/* The time the page shows: now, in the owner's time zone. */
static GDateTime *
page_now (void)
{
  return g_date_time_new_now_local ();
}

/* ---- Filling the list ----------------------------------------------- */

static void
set_badge (BbRemindersPage *self,
           guint            number,
           gboolean         attention)
{
  if (self->badge_number != number)
    {
      self->badge_number = number;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BADGE_NUMBER]);
    }
  if (self->needs_attention != attention)
    {
      self->needs_attention = attention;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
    }
}

/* Counts what is overdue or due today: the number on the page switcher. */
static void
update_badge (BbRemindersPage *self)
{
  guint overdue = bb_reminder_list_get_count (self->list, BB_REMINDER_GROUP_OVERDUE);
  guint today = bb_reminder_list_get_count (self->list, BB_REMINDER_GROUP_TODAY);

  set_badge (self, overdue + today, overdue > 0);
  gtk_stack_set_visible_child_name (self->stack,
                                    bb_reminder_list_get_n_reminders (self->list) > 0 ? "list" : "empty");
}

/* Gives the view the list as it is now: a new model rather than a change
 * of the old one, so the view builds its rows once. */
static void
attach_model (BbRemindersPage *self)
{
  GListModel *rows = bb_first_rows_model_new (G_LIST_MODEL (self->list), GTK_WIDGET (self->list_view));
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (rows);
  gint64 start = g_get_monotonic_time ();

  self->model_pending = FALSE;
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_debug ("Reminders list given to the view in %" G_GINT64_FORMAT " ms",
           (g_get_monotonic_time () - start) / 1000);
}

static void
bb_reminders_page_map (GtkWidget *widget)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);

  GTK_WIDGET_CLASS (bb_reminders_page_parent_class)->map (widget);

  if (self->model_pending)
    attach_model (self);
}

static void
show_reminders (BbRemindersPage *self,
                BbReminderList  *list)
{
  /* The same reminders as shown: the rows stay as they are (a big book
   * has a couple of hundred built), and so does the scroll. */
  if (self->loaded && bb_reminder_list_shows_same (self->list, list))
    return;

  g_set_object (&self->list, list);
  /* The view builds its rows when the page is shown, not while the
   * window starts on another page. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    attach_model (self);
  else
    self->model_pending = TRUE;
  update_badge (self);
  g_debug ("Reminders shown: %u", bb_reminder_list_get_n_reminders (list));

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
compute_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BbRemindersPage) self = user_data;
  g_autoptr(BbReminderList) list = NULL;
  g_autoptr(GError) error = NULL;

  list = bb_reminders_compute_list_finish (BB_DB (source), result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not list the reminders: %s", error->message);
          bb_widget_toast (GTK_WIDGET (self), error->message);
        }
      return;
    }

  show_reminders (self, list);
}

/* Computes the reminders again in a thread; a computation still running
 * is dropped. */
static void
refresh (BbRemindersPage *self)
{
  BbDb *db = get_db (self);
  g_autoptr(GDateTime) now = NULL;

  g_clear_handle_id (&self->changed_source, g_source_remove);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (db == NULL)
    {
      g_autoptr(BbReminderList) empty = bb_reminder_list_new ();

      show_reminders (self, empty);
      return;
    }

  self->cancellable = g_cancellable_new ();
  now = page_now ();
  bb_reminders_compute_list_async (db, now, BB_REMINDERS_DEFAULT, self->cancellable,
                                   compute_done, g_object_ref (self));
}

static gboolean
changed_timeout (gpointer user_data)
{
  BbRemindersPage *self = user_data;

  self->changed_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Anything in the book can make a reminder come or go. */
static void
on_db_changed (BbDb            *db,
               const char      *table,
               gint64           id,
               BbRemindersPage *self)
{
  if (self->changed_source == 0)
    self->changed_source = g_timeout_add (CHANGED_DELAY_MS, changed_timeout, self);
}

static gboolean
tick_timeout (gpointer user_data)
{
  refresh (BB_REMINDERS_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

static gboolean
midnight_timeout (gpointer user_data)
{
  BbRemindersPage *self = user_data;

  self->midnight_source = 0;
  refresh (self);
  schedule_midnight (self);
  return G_SOURCE_REMOVE;
}

/* The groups move with the date: compute again just after midnight. */
static void
schedule_midnight (BbRemindersPage *self)
{
  g_autoptr(GDateTime) now = page_now ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  GTimeSpan until = g_date_time_difference (tomorrow, now);

  g_clear_handle_id (&self->midnight_source, g_source_remove);
  self->midnight_source = g_timeout_add_seconds ((guint) (MAX (until, 0) / G_TIME_SPAN_SECOND) + 2,
                                                 midnight_timeout, self);
}

static void
bb_reminders_page_database_changed (BbPage *page)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (page);
  BbDb *db = get_db (self);

  if (self->changed_db)
    g_clear_signal_handler (&self->changed_id, self->changed_db);
  g_clear_object (&self->changed_db);

  if (db)
    {
      self->changed_db = g_object_ref (db);
      self->changed_id = g_signal_connect (db, "changed", G_CALLBACK (on_db_changed), self);
    }

  refresh (self);
}

/* ---- Actions -------------------------------------------------------- */

static BbReminder *
lookup (BbRemindersPage *self,
        const char      *key)
{
  BbReminder *r = bb_reminder_list_find (self->list, key);

  if (r == NULL)
    bb_widget_toast (GTK_WIDGET (self), _("That reminder is no longer due"));
  return r;
}

static void
show_error (BbRemindersPage *self,
            const GError    *error)
{
  bb_widget_toast (GTK_WIDGET (self), error->message);
}

/* Takes a reminder off the list at once, ahead of the computation the
 * change starts. */
static void
remove_reminder (BbRemindersPage *self,
                 BbReminder      *reminder)
{
  bb_reminder_list_remove (self->list, reminder->key);
  update_badge (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  BbReminder *r = lookup (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);

  if (r && BB_IS_WINDOW (root))
    bb_window_show_reminder_subject (BB_WINDOW (root), r->kind, r->subject_id, r->customer_id);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  g_autoptr(BbReminder) r = NULL;
  g_autoptr(GError) error = NULL;
  BbReminder *found = lookup (self, g_variant_get_string (parameter, NULL));

  if (found == NULL)
    return;
  r = g_object_ref (found);

  if (!bb_reminders_mark_done (get_db (self), r->key, &error))
    {
      show_error (self, error);
      return;
    }

  remove_reminder (self, r);
  bb_widget_toast (GTK_WIDGET (self), _("Marked done"));
}

/* @when: "hour", "tomorrow" (9:00), "week" (9:00 in 7 days) or a date
 * YYYY-MM-DD (9:00 that day) */
static GDateTime *
snooze_until (const char *when,
              GDateTime  *now)
{
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 9, 0, 0);
  GDate date;

  if (g_strcmp0 (when, "hour") == 0)
    return g_date_time_add_hours (now, 1);
  if (g_strcmp0 (when, "tomorrow") == 0)
    return g_date_time_add_days (today, 1);
  if (g_strcmp0 (when, "week") == 0)
    return g_date_time_add_days (today, 7);
  if (bb_date_parse (when, NULL, &date, NULL))
    return g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                  g_date_get_day (&date), 9, 0, 0);
  return NULL;
}

static void
snooze_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  g_autoptr(BbReminder) r = NULL;
  g_autoptr(GDateTime) now = page_now ();
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *toast = NULL;
  const char *key, *when;
  BbReminder *found;

  g_variant_get (parameter, "(&s&s)", &key, &when);
  found = lookup (self, key);
  if (found == NULL)
    return;
  r = g_object_ref (found);

  until = snooze_until (when, now);
  if (until == NULL || g_date_time_compare (until, now) <= 0)
    {
      bb_widget_toast (GTK_WIDGET (self), _("Snooze until a time to come"));
      return;
    }

  if (!bb_reminders_snooze (get_db (self), r->key, until, &error))
    {
      show_error (self, error);
      return;
    }

  remove_reminder (self, r);
  text = g_date_time_format (until, g_strcmp0 (when, "hour") == 0 ? "%H:%M" : "%Y-%m-%d");
  /* Translators: %s is a time (14:30) or a date (2026-12-01) */
  toast = g_strdup_printf (_("Snoozed until %s"), text);
  bb_widget_toast (GTK_WIDGET (self), toast);
}

static void
log_call_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  BbReminder *r = lookup (self, g_variant_get_string (parameter, NULL));
  g_autofree char *summary = NULL;
  BbInteractionDialog *dialog;

  if (r == NULL)
    return;

  switch (r->kind)
    {
    case BB_REMINDER_DUE_SOON:
    case BB_REMINDER_OVERDUE:
      /* Translators: the summary of a call logged from a reminder; %s is a bill number */
      summary = g_strdup_printf (_("Called about bill %s"), r->subject);
      break;
    case BB_REMINDER_PREPAID_EXPIRY:
    case BB_REMINDER_PREPAID_LOW:
      /* Translators: the summary of a call logged from a reminder; %s is a prepaid card */
      summary = g_strdup_printf (_("Called about prepaid card %s"), r->subject);
      break;
    case BB_REMINDER_FOLLOW_UP:
      /* Translators: the summary of a call logged from a reminder; %s is what the follow-up was about */
      summary = g_strdup_printf (_("Follow-up: %s"), r->subject);
      break;
    case BB_REMINDER_RECURRING:
    case BB_REMINDER_REVIEW:
    default:
      break;
    }

  dialog = bb_interaction_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self), r->customer_id);
  bb_interaction_dialog_prefill (dialog, "phone", "communication", summary);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GDateTime) now = page_now ();
  g_autofree char *payment_text = NULL;
  g_autofree char *message = NULL;
  BbReminderMessageContext context = { 0 };
  BbReminderWording wording = BB_REMINDER_POLITE;
  const char *key, *tone;
  BbReminder *r;

  g_variant_get (parameter, "(&s&s)", &key, &tone);
  r = lookup (self, key);
  if (r == NULL)
    return;

  if (g_strcmp0 (tone, "firm") == 0)
    wording = BB_REMINDER_FIRM;
  else if (g_strcmp0 (tone, "final") == 0)
    wording = BB_REMINDER_FINAL;

  business = bb_business_load (get_db (self));
  payment_text = bb_db_get_setting (get_db (self), "billing.payment_text");
  context.business_name = business ? business->name : NULL;
  context.payment_text = payment_text;
  context.currency = bb_business_get_currency (get_db (self));

  message = bb_reminder_format_message (r, wording, &context, now);
  if (message == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message);
  bb_widget_toast (GTK_WIDGET (self), _("Message copied: paste it into WeChat or a text message"));
}

static void
draft_fee_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  BbReminder *r = lookup (self, g_variant_get_string (parameter, NULL));
  g_autoptr(BbInvoice) fee = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (r == NULL)
    return;

  fee = bb_reminders_draft_fee_bill (get_db (self), r, &error);
  if (fee == NULL)
    {
      show_error (self, error);
      return;
    }

  if (BB_IS_WINDOW (root))
    bb_window_show_bill (BB_WINDOW (root), fee->id);
}

/* ---- Dunning letter -------------------------------------------------- */

typedef struct
{
  BbRemindersPage *page;
  char            *customer_name;
  gint64           customer_id;
} LetterData;

static void
letter_data_free (LetterData *data)
{
  g_clear_object (&data->page);
  g_free (data->customer_name);
  g_free (data);
}

static void
letter_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LetterData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_dunning_pdf_write_finish (BB_DB (source), result, &error))
    show_error (data->page, error);
  else
    bb_widget_toast (GTK_WIDGET (data->page), _("Dunning letter saved"));

  letter_data_free (data);
}

static void
on_letter_chosen (GtkNativeDialog *native,
                  int              response,
                  LetterData      *data)
{
  if (response == GTK_RESPONSE_ACCEPT && get_db (data->page))
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autoptr(GDateTime) now = page_now ();
      BbDunningOptions options;

      bb_dunning_options_from_settings (get_db (data->page), &options);
      bb_dunning_pdf_write_async (get_db (data->page), data->customer_id, now, &options, file,
                                  NULL, letter_written, data);
    }
  else
    letter_data_free (data);

  g_object_unref (native);
}

static void
letter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (widget);
  BbReminder *r = lookup (self, g_variant_get_string (parameter, NULL));
  g_autoptr(GDateTime) now = page_now ();
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  LetterData *data;

  if (r == NULL)
    return;

  date = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: the file name offered for a dunning letter: customer code and date */
  name = g_strdup_printf (_("reminder-%s-%s.pdf"), r->customer_code, date);

  data = g_new0 (LetterData, 1);
  data->page = g_object_ref (self);
  data->customer_id = r->customer_id;
  data->customer_name = g_strdup (r->customer_name);

  native = gtk_file_chooser_native_new (_("Save Dunning Letter"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_letter_chosen), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- Rows ----------------------------------------------------------- */

typedef struct
{
  GtkWidget  *heading_box;
  GtkLabel   *heading_label;
  GtkLabel   *heading_count;
  GtkWidget  *row_box;
  GtkLabel   *title;
  GtkLabel   *who;
  GtkLabel   *when;
  GtkLabel   *stage;
  GtkLabel   *amount;
  GtkButton  *done_button;
  GtkMenuButton *snooze_button;
  GtkCalendar *calendar;       /* these four are made on the first click */
  GtkWidget  *snooze_buttons[4];
  GtkMenuButton *more_button;
  BbReminder *reminder;        /* the row's, for its menus */
} RowWidgets;

static void
row_widgets_free (RowWidgets *w)
{
  g_clear_object (&w->reminder);
  g_free (w);
}

static const char * const stage_classes[] = {
  [BB_REMINDER_POLITE] = "review",
  [BB_REMINDER_FIRM] = "partial",
  [BB_REMINDER_FINAL] = "overdue",
};

static GtkLabel *
label_new (const char *css_class,
           gboolean    ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return GTK_LABEL (label);
}

static void
popdown_from (GtkWidget *button)
{
  GtkWidget *popover = gtk_widget_get_ancestor (button, GTK_TYPE_POPOVER);

  if (popover)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static GtkWidget *
snooze_button_new (const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "snooze-choice");
  gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (button)), GTK_ALIGN_START);
  g_signal_connect_after (button, "clicked", G_CALLBACK (popdown_from), NULL);
  return button;
}

/* The chosen date goes into the "Snooze Until Date" button's target. */
static void
on_calendar_day (GtkCalendar *calendar,
                 GtkWidget   *button)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);
  g_autoptr(GVariant) target = NULL;
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  const char *key = g_object_get_data (G_OBJECT (button), "reminder-key");

  if (key == NULL)
    return;
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", key, date);
}

static GMenuModel *row_menu_new (BbReminder *r);

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  const char *text)
{
  gtk_tooltip_set_text (tooltip, _(text));
  return TRUE;
}

/* A tooltip and accessible name for an icon button, the tooltip made
 * only when asked for: the list builds a couple of hundred rows at once,
 * and gtk_widget_set_tooltip_text() costs. */
static void
set_lazy_tooltip (GtkWidget  *widget,
                  const char *text)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), (gpointer) text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, _(text), -1);
}

/* Fills the snooze popover, made on the first click, for the row's
 * reminder; the calendar starts a week on. */
static void
snooze_popup (GtkMenuButton *button,
              gpointer       user_data)
{
  RowWidgets *w = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 7);
  const char *key;

  if (w->calendar == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *calendar_button;

      w->snooze_buttons[0] = snooze_button_new (_("For an _Hour"));
      w->snooze_buttons[1] = snooze_button_new (_("Until _Tomorrow"));
      w->snooze_buttons[2] = snooze_button_new (_("Until _Next Week"));
      for (guint i = 0; i < 3; i++)
        gtk_box_append (GTK_BOX (box), w->snooze_buttons[i]);
      gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      w->calendar = GTK_CALENDAR (gtk_calendar_new ());
      gtk_widget_set_margin_top (GTK_WIDGET (w->calendar), 6);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (w->calendar));
      calendar_button = gtk_button_new_with_mnemonic (_("_Snooze Until This Day"));
      gtk_widget_set_margin_top (calendar_button, 6);
      gtk_widget_add_css_class (calendar_button, "suggested-action");
      g_signal_connect_after (calendar_button, "clicked", G_CALLBACK (popdown_from), NULL);
      gtk_box_append (GTK_BOX (box), calendar_button);
      w->snooze_buttons[3] = calendar_button;
      g_signal_connect (w->calendar, "day-selected", G_CALLBACK (on_calendar_day), calendar_button);

      gtk_popover_set_child (GTK_POPOVER (popover), box);
      gtk_menu_button_set_popover (button, popover);
    }

  if (w->reminder == NULL)
    return;
  key = w->reminder->key;

  gtk_actionable_set_action_target (GTK_ACTIONABLE (w->snooze_buttons[0]), "(ss)", key, "hour");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (w->snooze_buttons[1]), "(ss)", key, "tomorrow");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (w->snooze_buttons[2]), "(ss)", key, "week");
  g_object_set_data_full (G_OBJECT (w->snooze_buttons[3]), "reminder-key", g_strdup (key), g_free);
  gtk_calendar_select_day (w->calendar, day);
  on_calendar_day (w->calendar, w->snooze_buttons[3]);
  for (guint i = 0; i < 4; i++)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (w->snooze_buttons[i]), "reminders.snooze");
}

static void
more_popup (GtkMenuButton *button,
            gpointer       user_data)
{
  RowWidgets *w = user_data;
  g_autoptr(GMenuModel) menu = NULL;

  if (w->reminder == NULL)
    return;

  menu = row_menu_new (w->reminder);
  gtk_menu_button_set_menu_model (button, menu);
}

static void
setup_row (GtkListItemFactory *factory,
           GtkListItem        *item,
           BbRemindersPage    *self)
{
  RowWidgets *w = g_new0 (RowWidgets, 1);
  GtkWidget *root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *snooze_button = gtk_menu_button_new ();

  /* A heading (made when a heading is first bound), or a reminder */
  w->row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (w->row_box, "reminder-row");
  w->title = label_new ("reminder-title", TRUE);
  w->who = label_new (NULL, TRUE);
  w->when = label_new ("dim-label", TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (w->when), "caption");
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (w->title));
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (w->who));
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (w->when));
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (w->row_box), text_box);

  w->stage = label_new ("state-tag", FALSE);
  gtk_widget_set_valign (GTK_WIDGET (w->stage), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (w->row_box), GTK_WIDGET (w->stage));

  w->amount = label_new ("money", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (w->amount), "numeric");
  gtk_label_set_xalign (w->amount, 1);
  gtk_widget_set_size_request (GTK_WIDGET (w->amount), 110, -1);
  gtk_box_append (GTK_BOX (w->row_box), GTK_WIDGET (w->amount));

  w->done_button = GTK_BUTTON (gtk_button_new_from_icon_name ("object-select-symbolic"));
  set_lazy_tooltip (GTK_WIDGET (w->done_button), N_("Mark Done"));
  gtk_widget_set_valign (GTK_WIDGET (w->done_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (w->done_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (w->done_button), "circular");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (w->done_button), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (w->done_button), "reminders.done");
  gtk_box_append (GTK_BOX (w->row_box), GTK_WIDGET (w->done_button));

  /* Snooze and More: their popovers are made when first opened, as a
   * list view keeps a couple of hundred rows. */
  w->snooze_button = GTK_MENU_BUTTON (snooze_button);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (snooze_button), snooze_popup, w, NULL);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (snooze_button), "alarm-symbolic");
  set_lazy_tooltip (snooze_button, N_("Snooze"));
  gtk_widget_set_valign (snooze_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (snooze_button, "flat");
  gtk_widget_add_css_class (snooze_button, "circular");
  gtk_box_append (GTK_BOX (w->row_box), snooze_button);

  w->more_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (w->more_button, "view-more-symbolic");
  set_lazy_tooltip (GTK_WIDGET (w->more_button), N_("More Actions"));
  gtk_widget_set_valign (GTK_WIDGET (w->more_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (w->more_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (w->more_button), "circular");
  gtk_menu_button_set_create_popup_func (w->more_button, more_popup, w, NULL);
  gtk_box_append (GTK_BOX (w->row_box), GTK_WIDGET (w->more_button));

  gtk_box_append (GTK_BOX (root), w->row_box);

  g_object_set_data_full (G_OBJECT (root), "row-widgets", w, (GDestroyNotify) row_widgets_free);
  gtk_list_item_set_child (item, root);
}

static GMenuModel *
row_menu_new (BbReminder *r)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) main = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) money = g_menu_new ();

  g_autoptr(GMenuItem) open = g_menu_item_new (_("_Open"), NULL);
  g_autoptr(GMenuItem) call = g_menu_item_new (_("_Log Call…"), NULL);

  g_menu_item_set_action_and_target (open, "reminders.open", "s", r->key);
  g_menu_item_set_action_and_target (call, "reminders.log-call", "s", r->key);
  g_menu_append_item (main, open);
  g_menu_append_item (main, call);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (main));

  if (bb_reminder_has_message (r))
    {
      static const struct { const char *tone; const char *label; } tones[] = {
        { "polite", N_("Copy _Polite Message") },
        { "firm", N_("Copy _Firm Message") },
        { "final", N_("Copy Fi_nal Message") },
      };

      for (guint i = 0; i < G_N_ELEMENTS (tones); i++)
        {
          g_autoptr(GMenuItem) item = NULL;

          /* Bills not yet due and prepaid cards get the friendly one only. */
          if (i > 0 && r->kind != BB_REMINDER_OVERDUE)
            break;
          item = g_menu_item_new (i == 0 && r->kind != BB_REMINDER_OVERDUE ? _("_Copy Message")
                                                                          : _(tones[i].label), NULL);
          g_menu_item_set_action_and_target (item, "reminders.copy-message", "(ss)", r->key, tones[i].tone);
          g_menu_append_item (copy, item);
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
    }

  if (r->kind == BB_REMINDER_OVERDUE)
    {
      g_autoptr(GMenuItem) letter = g_menu_item_new (_("_Dunning Letter…"), NULL);

      g_menu_item_set_action_and_target (letter, "reminders.letter", "s", r->key);
      g_menu_append_item (money, letter);
      if (r->fee_kind != BB_LATE_FEE_NONE && !r->fee_drafted)
        {
          g_autoptr(GMenuItem) fee = g_menu_item_new (_("Draft Late _Fee"), NULL);

          g_menu_item_set_action_and_target (fee, "reminders.draft-fee", "s", r->key);
          g_menu_append_item (money, fee);
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (money));
    }

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static char *
stage_text (BbReminder *r)
{
  if (r->kind != BB_REMINDER_OVERDUE)
    return NULL;

  /* Translators: the dunning stage of an overdue bill: "Firm reminder" */
  switch (r->wording)
    {
    case BB_REMINDER_FIRM:
      return g_strdup (C_("dunning stage", "Firm reminder"));
    case BB_REMINDER_FINAL:
      return g_strdup (C_("dunning stage", "Final reminder"));
    case BB_REMINDER_POLITE:
    default:
      return g_strdup (C_("dunning stage", "Polite reminder"));
    }
}

static void
bind_row (GtkListItemFactory *factory,
          GtkListItem        *item,
          BbRemindersPage    *self)
{
  GtkWidget *root = gtk_list_item_get_child (item);
  RowWidgets *w = g_object_get_data (G_OBJECT (root), "row-widgets");
  GObject *object = gtk_list_item_get_item (item);
  BbReminder *r;
  g_autofree char *title = NULL;
  g_autofree char *who = NULL;
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *stage = NULL;
  GDateTime *now = bb_reminder_list_get_now (self->list);
  g_autofree char *count = NULL;

  if (BB_IS_REMINDER_HEADING (object) && w->heading_box == NULL)
    {
      w->heading_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_widget_add_css_class (w->heading_box, "reminders-heading");
      w->heading_label = label_new ("heading", FALSE);
      w->heading_count = label_new ("dim-label", FALSE);
      gtk_box_append (GTK_BOX (w->heading_box), GTK_WIDGET (w->heading_label));
      gtk_box_append (GTK_BOX (w->heading_box), GTK_WIDGET (w->heading_count));
      gtk_box_prepend (GTK_BOX (root), w->heading_box);
    }
  if (w->heading_box)
    gtk_widget_set_visible (w->heading_box, BB_IS_REMINDER_HEADING (object));
  gtk_widget_set_visible (w->row_box, BB_IS_REMINDER (object));

  if (BB_IS_REMINDER_HEADING (object))
    {
      BbReminderHeading *heading = BB_REMINDER_HEADING (object);

      gtk_list_item_set_activatable (item, FALSE);
      gtk_list_item_set_selectable (item, FALSE);
      gtk_label_set_text (w->heading_label, bb_reminder_group_label (heading->group));
      count = g_strdup_printf ("%u", heading->count);
      gtk_label_set_text (w->heading_count, count);
      return;
    }

  r = BB_REMINDER (object);
  gtk_list_item_set_activatable (item, TRUE);
  gtk_list_item_set_selectable (item, FALSE);

  if (r->kind == BB_REMINDER_REVIEW || *r->subject == '\0')
    title = g_strdup (bb_reminder_kind_label (r->kind));
  else
    /* Translators: a reminder's kind and subject: "Bill overdue · INV-2026-0012" */
    title = g_strdup_printf (_("%s · %s"), bb_reminder_kind_label (r->kind), r->subject);
  gtk_label_set_text (w->title, title);

  if (r->customer_code && *r->customer_code)
    /* Translators: a customer's name and code: "Wang Fang (C0012)" */
    who = g_strdup_printf (_("%s (%s)"), r->customer_name, r->customer_code);
  else
    who = g_strdup (r->customer_name ? r->customer_name : "");
  gtk_label_set_text (w->who, who);

  relative = bb_reminder_format_when (r, now);
  /* Translators: a reminder's date and how far it is from today: "2026-11-01 · 22 days overdue" */
  when = g_strdup_printf (_("%s · %s"), r->due_on, relative);
  if (r->kind == BB_REMINDER_OVERDUE && r->fee_kind != BB_LATE_FEE_NONE && !r->fee_drafted)
    {
      /* Translators: after the date of an overdue bill whose dunning step charges a late fee */
      g_autofree char *with_fee = g_strdup_printf (_("%s · late fee to draft"), when);

      g_free (when);
      when = g_steal_pointer (&with_fee);
    }
  gtk_label_set_text (w->when, when);

  stage = stage_text (r);
  gtk_widget_set_visible (GTK_WIDGET (w->stage), stage != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (stage_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (w->stage), stage_classes[i]);
  if (stage)
    {
      gtk_label_set_text (w->stage, stage);
      gtk_widget_add_css_class (GTK_WIDGET (w->stage), stage_classes[r->wording]);
    }

  if (r->has_amount && get_db (self))
    {
      g_autofree char *amount = bb_money_format (r->amount, bb_business_get_currency (get_db (self)));

      gtk_label_set_text (w->amount, amount);
    }
  else
    gtk_label_set_text (w->amount, "");

  gtk_actionable_set_action_target (GTK_ACTIONABLE (w->done_button), "s", r->key);
  g_set_object (&w->reminder, r);
  if (w->calendar)
    snooze_popup (w->snooze_button, w);
  /* The menu is made again for this reminder when opened. */
  gtk_menu_button_set_menu_model (w->more_button, NULL);
}

static void
on_activate (GtkListView     *view,
             guint            position,
             BbRemindersPage *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (BB_IS_REMINDER (item))
    gtk_widget_activate_action (GTK_WIDGET (self), "reminders.open", "s", BB_REMINDER (item)->key);
}

/* ---- Public --------------------------------------------------------- */

/**
 * bb_reminders_page_get_badge_number:
 *
 * Returns: how many reminders are overdue or due today
 */
guint
bb_reminders_page_get_badge_number (BbRemindersPage *self)
{
  g_return_val_if_fail (BB_IS_REMINDERS_PAGE (self), 0);

  return self->badge_number;
}

/**
 * bb_reminders_page_get_model:
 *
 * Returns: (transfer none): the list: BbReminder items under a heading
 *   per group
 */
GListModel *
bb_reminders_page_get_model (BbRemindersPage *self)
{
  g_return_val_if_fail (BB_IS_REMINDERS_PAGE (self), NULL);

  return G_LIST_MODEL (self->list);
}

/**
 * bb_reminders_page_refresh:
 *
 * Computes the reminders again now.
 */
void
bb_reminders_page_refresh (BbRemindersPage *self)
{
  g_return_if_fail (BB_IS_REMINDERS_PAGE (self));

  refresh (self);
}

/* ---- GObject -------------------------------------------------------- */

static void
bb_reminders_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BADGE_NUMBER:
      g_value_set_uint (value, self->badge_number);
      break;

    case PROP_NEEDS_ATTENTION:
      g_value_set_boolean (value, self->needs_attention);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_reminders_page_dispose (GObject *object)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->changed_db)
    g_clear_signal_handler (&self->changed_id, self->changed_db);
  g_clear_object (&self->changed_db);
  g_clear_handle_id (&self->changed_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->midnight_source, g_source_remove);

  G_OBJECT_CLASS (bb_reminders_page_parent_class)->dispose (object);
}

static void
bb_reminders_page_finalize (GObject *object)
{
  BbRemindersPage *self = BB_REMINDERS_PAGE (object);

  g_clear_object (&self->list);

  G_OBJECT_CLASS (bb_reminders_page_parent_class)->finalize (object);
}

static void
bb_reminders_page_class_init (BbRemindersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BbPageClass *page_class = BB_PAGE_CLASS (klass);

  object_class->dispose = bb_reminders_page_dispose;
  object_class->finalize = bb_reminders_page_finalize;
  object_class->get_property = bb_reminders_page_get_property;
  widget_class->map = bb_reminders_page_map;
  page_class->database_changed = bb_reminders_page_database_changed;
  /* Its count is the badge on the page switcher, shown from the start. */
  page_class->load_when_hidden = TRUE;

  properties[PROP_BADGE_NUMBER] =
    g_param_spec_uint ("badge-number", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEEDS_ATTENTION] =
    g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-reminders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbRemindersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BbRemindersPage, list_view);

  gtk_widget_class_install_action (widget_class, "reminders.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "reminders.done", "s", done_action);
  gtk_widget_class_install_action (widget_class, "reminders.snooze", "(ss)", snooze_action);
  gtk_widget_class_install_action (widget_class, "reminders.log-call", "s", log_call_action);
  gtk_widget_class_install_action (widget_class, "reminders.copy-message", "(ss)", copy_message_action);
  gtk_widget_class_install_action (widget_class, "reminders.letter", "s", letter_action);
  gtk_widget_class_install_action (widget_class, "reminders.draft-fee", "s", draft_fee_action);
}

static void
bb_reminders_page_init (BbRemindersPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->list = bb_reminder_list_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  attach_model (self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);

  self->tick_source = g_timeout_add_seconds (REFRESH_SECONDS, tick_timeout, self);
  schedule_midnight (self);
}
