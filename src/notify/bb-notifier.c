/* bb-notifier.c — desktop notifications of reminders, shared by the app and billbook-cli
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A check computes the reminders the book has not notified yet at their
 * stage (BB_REMINDERS_SKIP_NOTIFIED), sends one notification per
 * reminder — or one for all of them when there are more than
 * BB_NOTIFIER_MAX_SINGLE — and records each in the book as notified as
 * soon as the server took its notification. The record is the book's
 * reminders table, so the app and `billbook-cli remind --notify` never
 * send the same reminder twice, after a restart neither; a machine that
 * was off gets one notification per reminder that came due meanwhile,
 * not one per missed check. Done and snoozed reminders are not computed.
 *
 * Texts come from bb_notices_plan(), a pure function tested without a
 * notification server. GLib, core and libnotify only: no GTK.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <libnotify/notify.h>

#include "bb-business.h"
#include "bb-notifier.h"

struct _BbNotifier
{
  GObject          parent_instance;

  BbDb            *db;
  BbNotifierFlags  flags;
  GPtrArray       *shown;        /* NotifyNotification with actions, until closed */
};

G_DEFINE_FINAL_TYPE (BbNotifier, bb_notifier, G_TYPE_OBJECT)

enum {
  OPEN_SUBJECT,
  OPEN_REMINDERS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Notifications whose actions are still answered; older ones lose them. */
#define MAX_SHOWN 64

void
bb_notice_free (BbNotice *notice)
{
  if (notice == NULL)
    return;

  g_free (notice->summary);
  g_free (notice->body);
  g_strfreev (notice->keys);
  g_free (notice);
}

/* ---- Texts ----------------------------------------------------------- */

static gint64
julian_of (const char *iso)
{
  GDate date;
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return 0;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

static gint64
julian_of_now (GDateTime *now)
{
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

static char *
amount_text (BbReminder       *r,
             const BbCurrency *currency)
{
  return bb_money_format (r->amount, currency);
}

static const char *
customer_of (BbReminder *r)
{
  return r->customer_name && *r->customer_name ? r->customer_name : r->customer_code;
}

static char *
single_summary (BbReminder       *r,
                const BbCurrency *currency)
{
  g_autofree char *amount = r->has_amount ? amount_text (r, currency) : NULL;
  const char *who = customer_of (r);

  switch (r->kind)
    {
    case BB_REMINDER_DUE_SOON:
    case BB_REMINDER_OVERDUE:
      /* Translators: a notification's title: customer, amount still owed */
      return g_strdup_printf (_("%s owes %s"), who, amount);
    case BB_REMINDER_FOLLOW_UP:
      /* Translators: a notification's title: customer */
      return g_strdup_printf (_("Follow up with %s"), who);
    case BB_REMINDER_PREPAID_EXPIRY:
      /* Translators: a notification's title: customer, card balance */
      return g_strdup_printf (_("%s has %s on a prepaid card that expires"), who, amount);
    case BB_REMINDER_PREPAID_LOW:
      /* Translators: a notification's title: customer, card balance */
      return g_strdup_printf (_("%s has only %s left on a prepaid card"), who, amount);
    case BB_REMINDER_RECURRING:
      /* Translators: a notification's title: customer, amount of the charge */
      return g_strdup_printf (_("Time to bill %s %s"), who, amount);
    case BB_REMINDER_REVIEW:
    default:
      /* Translators: a notification's title: customer */
      return g_strdup_printf (_("Review the details of %s"), who);
    }
}

static char *
single_body (BbReminder       *r,
             const BbCurrency *currency,
             gint64            today)
{
  gint64 day = julian_of (r->due_on);
  int days = day > 0 ? (int) (day - today) : 0;
  GString *body = g_string_new (NULL);

  switch (r->kind)
    {
    case BB_REMINDER_DUE_SOON:
      if (days <= 0)
        g_string_append_printf (body, _("Bill %s falls due today."), r->subject);
      else if (days == 1)
        g_string_append_printf (body, _("Bill %s falls due tomorrow, %s."), r->subject, r->due_on);
      else
        g_string_append_printf (body,
                                ngettext ("Bill %s falls due in %d day, on %s.",
                                          "Bill %s falls due in %d days, on %s.", days),
                                r->subject, days, r->due_on);
      break;

    case BB_REMINDER_OVERDUE:
      g_string_append_printf (body,
                              ngettext ("Bill %s is %d day overdue (due %s).",
                                        "Bill %s is %d days overdue (due %s).", -days),
                              r->subject, -days, r->due_on);
      g_string_append_c (body, '\n');
      if (r->wording == BB_REMINDER_FINAL)
        g_string_append (body, _("Final notice: send the final reminder now."));
      else if (r->wording == BB_REMINDER_FIRM)
        g_string_append (body, _("Time for a firm reminder."));
      else
        g_string_append (body, _("Time for a polite reminder."));
      if (r->fee_kind != BB_LATE_FEE_NONE && !r->fee_drafted)
        {
          g_string_append_c (body, '\n');
          g_string_append (body, _("A late fee can be drafted on the Reminders page."));
        }
      break;

    case BB_REMINDER_FOLLOW_UP:
      g_string_append (body, r->subject);
      g_string_append_c (body, '\n');
      if (days >= 0)
        g_string_append (body, _("Planned for today."));
      else
        g_string_append_printf (body,
                                ngettext ("Planned %d day ago, on %s.",
                                          "Planned %d days ago, on %s.", -days),
                                -days, r->due_on);
      break;

    case BB_REMINDER_PREPAID_EXPIRY:
      if (days > 0)
        g_string_append_printf (body,
                                ngettext ("Card “%s” expires in %d day, on %s.",
                                          "Card “%s” expires in %d days, on %s.", days),
                                r->subject, days, r->due_on);
      else if (days == 0)
        g_string_append_printf (body, _("Card “%s” expires today."), r->subject);
      else
        g_string_append_printf (body, _("Card “%s” expired on %s."), r->subject, r->due_on);
      break;

    case BB_REMINDER_PREPAID_LOW:
      g_string_append_printf (body, _("Card “%s” is under its low-balance mark: offer a top-up."),
                              r->subject);
      break;

    case BB_REMINDER_RECURRING:
      g_string_append_printf (body, _("Recurring charge “%s” for the period from %s."),
                              r->subject, r->due_on);
      break;

    case BB_REMINDER_REVIEW:
    default:
      g_string_append (body, _("Not reviewed for three months: check the phone number, address and terms."));
      break;
    }

  return g_string_free (body, FALSE);
}

static char *
group_summary (GPtrArray *reminders,
               guint      n_kinds,
               gint64     today)
{
  BbReminder *first = g_ptr_array_index (reminders, 0);
  guint n = reminders->len;
  gboolean all_today = TRUE;

  if (n_kinds > 1)
    return g_strdup_printf (ngettext ("%u reminder", "%u reminders", n), n);

  switch (first->kind)
    {
    case BB_REMINDER_DUE_SOON:
      for (guint i = 0; i < n; i++)
        if (julian_of (((BbReminder *) g_ptr_array_index (reminders, i))->due_on) != today)
          all_today = FALSE;
      if (all_today)
        return g_strdup_printf (ngettext ("%u bill falls due today", "%u bills fall due today", n), n);
      return g_strdup_printf (ngettext ("%u bill falls due soon", "%u bills fall due soon", n), n);
    case BB_REMINDER_OVERDUE:
      return g_strdup_printf (ngettext ("%u bill is overdue", "%u bills are overdue", n), n);
    case BB_REMINDER_FOLLOW_UP:
      return g_strdup_printf (ngettext ("%u follow-up is due", "%u follow-ups are due", n), n);
    case BB_REMINDER_PREPAID_EXPIRY:
      return g_strdup_printf (ngettext ("%u prepaid card expires soon", "%u prepaid cards expire soon", n), n);
    case BB_REMINDER_PREPAID_LOW:
      return g_strdup_printf (ngettext ("%u prepaid card is running low", "%u prepaid cards are running low", n), n);
    case BB_REMINDER_RECURRING:
      return g_strdup_printf (ngettext ("%u recurring charge to bill", "%u recurring charges to bill", n), n);
    case BB_REMINDER_REVIEW:
    default:
      return g_strdup_printf (ngettext ("%u customer to review", "%u customers to review", n), n);
    }
}

static char *
kind_count (BbReminderKind kind,
            guint          n)
{
  switch (kind)
    {
    case BB_REMINDER_DUE_SOON:
      return g_strdup_printf (ngettext ("%u bill due soon", "%u bills due soon", n), n);
    case BB_REMINDER_OVERDUE:
      return g_strdup_printf (ngettext ("%u overdue bill", "%u overdue bills", n), n);
    case BB_REMINDER_FOLLOW_UP:
      return g_strdup_printf (ngettext ("%u follow-up", "%u follow-ups", n), n);
    case BB_REMINDER_PREPAID_EXPIRY:
      return g_strdup_printf (ngettext ("%u card expiring", "%u cards expiring", n), n);
    case BB_REMINDER_PREPAID_LOW:
      return g_strdup_printf (ngettext ("%u card running low", "%u cards running low", n), n);
    case BB_REMINDER_RECURRING:
      return g_strdup_printf (ngettext ("%u charge to bill", "%u charges to bill", n), n);
    case BB_REMINDER_REVIEW:
    default:
      return g_strdup_printf (ngettext ("%u customer to review", "%u customers to review", n), n);
    }
}

/* Lines of a group: the kinds counted (when mixed), the first few
 * reminders, and how many more. */
#define GROUP_LINES 4

static char *
group_body (GPtrArray        *reminders,
            const guint      *counts,
            guint             n_kinds,
            const BbCurrency *currency)
{
  GString *body = g_string_new (NULL);
  guint shown;

  if (n_kinds > 1)
    {
      gboolean first = TRUE;

      for (guint k = 0; k < BB_REMINDER_N_KINDS; k++)
        {
          g_autofree char *count = NULL;

          if (counts[k] == 0)
            continue;
          count = kind_count (k, counts[k]);
          if (!first)
            /* Translators: between the counts of a list, "3 overdue bills, 2 follow-ups" */
            g_string_append (body, C_("list separator", ", "));
          g_string_append (body, count);
          first = FALSE;
        }
      g_string_append_c (body, '\n');
    }

  shown = MIN (reminders->len, GROUP_LINES);
  for (guint i = 0; i < shown; i++)
    {
      BbReminder *r = g_ptr_array_index (reminders, i);
      g_autofree char *amount = r->has_amount ? amount_text (r, currency) : NULL;

      if (i > 0)
        g_string_append_c (body, '\n');
      if (amount != NULL)
        /* Translators: a line of a grouped notification: customer, subject (bill number, card), amount */
        g_string_append_printf (body, _("%s · %s · %s"), customer_of (r), r->subject, amount);
      else
        /* Translators: a line of a grouped notification: customer, subject */
        g_string_append_printf (body, _("%s · %s"), customer_of (r), r->subject);
    }
  if (reminders->len > shown)
    {
      guint more = reminders->len - shown;

      g_string_append_c (body, '\n');
      g_string_append_printf (body, ngettext ("and %u more", "and %u more", more), more);
    }

  return g_string_free (body, FALSE);
}

/**
 * bb_notices_plan:
 * @reminders: (element-type BbReminder): the new ones, as
 *   bb_reminders_compute() with %BB_REMINDERS_SKIP_NOTIFIED gives them
 * @currency: the book's
 * @now: the time of the check; its date is "today"
 *
 * What to send for @reminders: one notice per reminder, or, for more
 * than %BB_NOTIFIER_MAX_SINGLE, one notice standing for all of them.
 * Only the final dunning stage is critical (in a group: when one of them
 * is at that stage).
 *
 * Returns: (transfer full) (element-type BbNotice): the notices
 */
GPtrArray *
bb_notices_plan (GPtrArray        *reminders,
                 const BbCurrency *currency,
                 GDateTime        *now)
{
  GPtrArray *notices = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_notice_free);
  gint64 today;

  g_return_val_if_fail (reminders != NULL, notices);
  g_return_val_if_fail (currency != NULL, notices);
  g_return_val_if_fail (now != NULL, notices);

  today = julian_of_now (now);

  if (reminders->len > BB_NOTIFIER_MAX_SINGLE)
    {
      BbNotice *notice = g_new0 (BbNotice, 1);
      guint counts[BB_REMINDER_N_KINDS] = { 0 };
      guint n_kinds = 0;

      notice->keys = g_new0 (char *, reminders->len + 1);
      for (guint i = 0; i < reminders->len; i++)
        {
          BbReminder *r = g_ptr_array_index (reminders, i);

          if (counts[r->kind]++ == 0)
            n_kinds++;
          notice->keys[i] = g_strdup (r->key);
          if (r->kind == BB_REMINDER_OVERDUE && r->wording == BB_REMINDER_FINAL)
            notice->critical = TRUE;
        }
      notice->grouped = TRUE;
      notice->summary = group_summary (reminders, n_kinds, today);
      notice->body = group_body (reminders, counts, n_kinds, currency);
      g_ptr_array_add (notices, notice);
      return notices;
    }

  for (guint i = 0; i < reminders->len; i++)
    {
      BbReminder *r = g_ptr_array_index (reminders, i);
      BbNotice *notice = g_new0 (BbNotice, 1);

      notice->summary = single_summary (r, currency);
      notice->body = single_body (r, currency, today);
      notice->critical = r->kind == BB_REMINDER_OVERDUE && r->wording == BB_REMINDER_FINAL;
      notice->keys = g_new0 (char *, 2);
      notice->keys[0] = g_strdup (r->key);
      notice->kind = r->kind;
      notice->subject_id = r->subject_id;
      notice->customer_id = r->customer_id;
      g_ptr_array_add (notices, notice);
    }

  return notices;
}

/**
 * bb_notifier_snooze_until:
 * @now: when Snooze was chosen
 *
 * Returns: (transfer full): %BB_NOTIFIER_SNOOZE_HOUR o'clock the next day
 */
GDateTime *
bb_notifier_snooze_until (GDateTime *now)
{
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  return g_date_time_new (g_date_time_get_timezone (now),
                          g_date_time_get_year (tomorrow),
                          g_date_time_get_month (tomorrow),
                          g_date_time_get_day_of_month (tomorrow),
                          BB_NOTIFIER_SNOOZE_HOUR, 0, 0);
}

/* ---- Sending --------------------------------------------------------- */

static const char *
activation_token (NotifyNotification *notification)
{
#if NOTIFY_CHECK_VERSION (0, 8, 0)
  return notify_notification_get_activation_token (notification);
#else
  return NULL;
#endif
}

static void
on_open (NotifyNotification *notification,
         char               *action,
         gpointer            user_data)
{
  BbNotifier *self = user_data;
  BbNotice *notice = g_object_get_data (G_OBJECT (notification), "bb-notice");

  if (notice == NULL)
    return;

  if (notice->grouped)
    g_signal_emit (self, signals[OPEN_REMINDERS], 0, activation_token (notification));
  else
    g_signal_emit (self, signals[OPEN_SUBJECT], 0, (int) notice->kind, notice->subject_id,
                   notice->customer_id, activation_token (notification));
}

static gboolean
snooze_in_transaction (BbDb     *db,
                       gpointer  user_data,
                       GError  **error)
{
  BbNotice *notice = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) until = bb_notifier_snooze_until (now);

  for (guint i = 0; notice->keys[i] != NULL; i++)
    if (!bb_reminders_snooze (db, notice->keys[i], until, error))
      return FALSE;

  return TRUE;
}

static void
on_snooze (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  BbNotifier *self = user_data;
  BbNotice *notice = g_object_get_data (G_OBJECT (notification), "bb-notice");
  g_autoptr(GError) error = NULL;

  if (notice == NULL)
    return;

  if (!bb_db_transaction (self->db, snooze_in_transaction, notice, &error))
    g_warning ("Snoozing a reminder failed: %s", error->message);
}

static void
on_closed (NotifyNotification *notification,
           BbNotifier         *self)
{
  g_ptr_array_remove (self->shown, notification);
}

static gboolean
mark_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  BbNotice *notice = user_data;

  for (guint i = 0; notice->keys[i] != NULL; i++)
    if (!bb_reminders_mark_notified (db, notice->keys[i], error))
      return FALSE;

  return TRUE;
}

/* Whether a notification server is there or can be started, asked
 * before libnotify is: libnotify warns when there is none, every time. */
static gboolean
server_is_there (GError **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autofree const char **list = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;

  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (owner == NULL)
    return FALSE;
  g_variant_get (owner, "(b)", &has_owner);
  if (has_owner)
    return TRUE;

  names = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (names == NULL)
    return FALSE;
  g_variant_get (names, "(^a&s)", &list);
  if (list != NULL && g_strv_contains (list, "org.freedesktop.Notifications"))
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("No notification service is running"));
  return FALSE;
}

static gboolean
server_reads_markup (void)
{
  GList *caps = notify_get_server_caps ();
  gboolean markup = g_list_find_custom (caps, "body-markup", (GCompareFunc) g_strcmp0) != NULL;

  g_list_free_full (caps, g_free);
  return markup;
}

/* Takes @notice. */
static gboolean
send_notice (BbNotifier  *self,
             BbNotice    *notice,
             gboolean     markup,
             GError     **error)
{
  NotifyNotification *notification;
  g_autofree char *body = markup ? g_markup_escape_text (notice->body, -1) : g_strdup (notice->body);

  notification = notify_notification_new (notice->summary, body, APP_ID);
  notify_notification_set_app_name (notification, _("Billbook"));
  notify_notification_set_hint_string (notification, "desktop-entry", APP_ID);
  notify_notification_set_category (notification, BB_NOTIFIER_CATEGORY);
  notify_notification_set_urgency (notification, notice->critical ? NOTIFY_URGENCY_CRITICAL
                                                                  : NOTIFY_URGENCY_NORMAL);
  g_object_set_data_full (G_OBJECT (notification), "bb-notice", notice, (GDestroyNotify) bb_notice_free);

  if (self->flags & BB_NOTIFIER_ACTIONS)
    {
      notify_notification_add_action (notification, "default", _("Open"), on_open, self, NULL);
      notify_notification_add_action (notification, "open", _("Open"), on_open, self, NULL);
      notify_notification_add_action (notification, "snooze", _("Snooze"), on_snooze, self, NULL);
    }

  if (!notify_notification_show (notification, error) ||
      /* Shown: not sent again, in this process or another. */
      !bb_db_transaction (self->db, mark_in_transaction, notice, error))
    {
      g_object_unref (notification);
      return FALSE;
    }

  if (self->flags & BB_NOTIFIER_ACTIONS)
    {
      /* Kept so that its actions are answered. */
      g_signal_connect_object (notification, "closed", G_CALLBACK (on_closed), self, 0);
      if (self->shown->len >= MAX_SHOWN)
        g_ptr_array_remove_index (self->shown, 0);
      g_ptr_array_add (self->shown, notification);
    }
  else
    g_object_unref (notification);

  return TRUE;
}

/**
 * bb_notifier_check:
 * @now: the time of the check
 * @n_reminders: (out) (optional): how many reminders were notified
 *
 * Sends what is new since the last check (of this process or another),
 * and records it as notified. Stops at the first notification the server
 * does not take; what was not sent is sent at the next check.
 *
 * Returns: whether all were sent
 */
gboolean
bb_notifier_check (BbNotifier  *self,
                   GDateTime   *now,
                   guint       *n_reminders,
                   GError     **error)
{
  g_autoptr(GPtrArray) reminders = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  gboolean markup;
  guint n = 0;

  g_return_val_if_fail (BB_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (n_reminders)
    *n_reminders = 0;

  reminders = bb_reminders_compute (self->db, now, BB_REMINDERS_SKIP_NOTIFIED, error);
  if (reminders == NULL)
    return FALSE;
  if (reminders->len == 0)
    return TRUE;

  if (!server_is_there (error))
    return FALSE;

  notices = bb_notices_plan (reminders, bb_business_get_currency (self->db), now);
  markup = server_reads_markup ();

  /* Each notice goes to send_notice(), which owns it from then on. */
  g_ptr_array_set_free_func (notices, NULL);
  for (guint i = 0; i < notices->len; i++)
    {
      BbNotice *notice = g_ptr_array_index (notices, i);
      guint n_keys = g_strv_length (notice->keys);

      if (!send_notice (self, notice, markup, error))
        {
          for (guint j = i + 1; j < notices->len; j++)
            bb_notice_free (g_ptr_array_index (notices, j));
          if (n_reminders)
            *n_reminders = n;
          return FALSE;
        }
      n += n_keys;
    }

  if (n_reminders)
    *n_reminders = n;
  return TRUE;
}

/* ---- The object ------------------------------------------------------ */

/**
 * bb_notifier_new:
 * @db: the book whose reminders are sent, and where what was sent is kept
 * @flags: %BB_NOTIFIER_ACTIONS for a process that stays to answer Open
 *   (the #BbNotifier::open-subject and #BbNotifier::open-reminders
 *   signals) and Snooze (done here: until tomorrow morning)
 */
BbNotifier *
bb_notifier_new (BbDb            *db,
                 BbNotifierFlags  flags)
{
  BbNotifier *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  if (!notify_is_initted ())
    notify_init ("Billbook");

  self = g_object_new (BB_TYPE_NOTIFIER, NULL);
  self->db = g_object_ref (db);
  self->flags = flags;

  return self;
}

static void
bb_notifier_dispose (GObject *object)
{
  BbNotifier *self = BB_NOTIFIER (object);

  if (self->shown != NULL)
    {
      /* Their actions point here: answered no more. */
      for (guint i = 0; i < self->shown->len; i++)
        {
          NotifyNotification *notification = g_ptr_array_index (self->shown, i);

          g_signal_handlers_disconnect_by_data (notification, self);
          notify_notification_clear_actions (notification);
        }
      g_ptr_array_set_size (self->shown, 0);
    }

  G_OBJECT_CLASS (bb_notifier_parent_class)->dispose (object);
}

static void
bb_notifier_finalize (GObject *object)
{
  BbNotifier *self = BB_NOTIFIER (object);

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_notifier_parent_class)->finalize (object);
}

static void
bb_notifier_class_init (BbNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_notifier_dispose;
  object_class->finalize = bb_notifier_finalize;

  /**
   * BbNotifier::open-subject:
   * @kind: the BbReminderKind
   * @subject_id: the bill, interaction, card, charge or customer
   * @customer_id: its customer
   * @activation_token: (nullable): to raise the window with
   *
   * Open was chosen on a single reminder's notification.
   */
  signals[OPEN_SUBJECT] = g_signal_new ("open-subject", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT64,
                                        G_TYPE_INT64, G_TYPE_STRING);

  /**
   * BbNotifier::open-reminders:
   * @activation_token: (nullable): to raise the window with
   *
   * Open was chosen on a grouped notification.
   */
  signals[OPEN_REMINDERS] = g_signal_new ("open-reminders", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bb_notifier_init (BbNotifier *self)
{
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
}
