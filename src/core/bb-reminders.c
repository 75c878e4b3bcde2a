/* bb-reminders.c — what is due: bills by dunning stage, follow-ups, prepaid cards, recurring charges, reviews
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bb_reminders_compute() is a pure function of the book and "now": it
 * reads, never writes, so the page, the notifier and `billbook-cli
 * remind` all see the same list, and tests pin the clock.
 *
 * Bills follow the ladder, the steps in Preferences counted in days from
 * the due date (BB_REMINDER_LADDER_DEFAULT): a bill with money owed is at
 * the highest step whose day has come, a due_soon reminder on a step on
 * or before the due date, an overdue one after it. Each step is its own
 * stage, so reaching the next one is a new reminder. Only bills between
 * the first step and BB_REMINDERS_LAST_STEP_DAYS after the last are read,
 * on the index of open bills, so a book of a million bills answers in
 * milliseconds.
 *
 * The other kinds (and what identifies their stage):
 * - follow_up: an interaction whose follow-up date has come and that is
 *   not done (the follow-up date);
 * - prepaid_expiry: an open card with money on it expiring within
 *   BB_REMINDERS_PREPAID_EXPIRY_DAYS, or expired (the expiry date);
 * - prepaid_low: an open card under its low-balance mark (the date of
 *   its last top-up: topping up and running low again is a new reminder);
 * - recurring: an active charge whose next period has come (the period);
 * - review: a customer, not archived, whose details were last reviewed —
 *   saved in the customer editor, which sets customers.reviewed_on, or
 *   confirmed by marking this reminder done — the days of
 *   bb_reminders_get_review_days() ago or more (the date of that
 *   review); none when the owner turned reviews off.
 *
 * What the owner and the notifier did is kept in the reminders table, one
 * row per kind, subject and stage: 'done' hides it, 'snoozed' hides it
 * until a time (then it comes back as new, to be notified again),
 * 'notified' keeps it on the page but out of the notifier's list.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-reminder-list-private.h"
#include "bb-reminders.h"
#include "bb-text.h"

#define LADDER_SETTING "reminders.ladder"
#define REVIEW_SETTING "reminders.review_days"
#define MAX_LEAD_DAYS 365
#define MAX_AFTER_DAYS 3650

G_DEFINE_FINAL_TYPE (BbReminder, bb_reminder, G_TYPE_OBJECT)

/* As the schema's CHECK writes them. */
static const char * const kind_names[BB_REMINDER_N_KINDS] = {
  [BB_REMINDER_DUE_SOON] = "due_soon",
  [BB_REMINDER_OVERDUE] = "overdue",
  [BB_REMINDER_FOLLOW_UP] = "follow_up",
  [BB_REMINDER_PREPAID_EXPIRY] = "prepaid_expiry",
  [BB_REMINDER_PREPAID_LOW] = "prepaid_low",
  [BB_REMINDER_RECURRING] = "recurring",
  [BB_REMINDER_REVIEW] = "review",
};

static const char * const kind_labels[BB_REMINDER_N_KINDS] = {
  [BB_REMINDER_DUE_SOON] = N_("Bill due soon"),
  [BB_REMINDER_OVERDUE] = N_("Bill overdue"),
  [BB_REMINDER_FOLLOW_UP] = N_("Follow-up"),
  [BB_REMINDER_PREPAID_EXPIRY] = N_("Prepaid card expiring"),
  [BB_REMINDER_PREPAID_LOW] = N_("Prepaid card running low"),
  [BB_REMINDER_RECURRING] = N_("Recurring charge to bill"),
  [BB_REMINDER_REVIEW] = N_("Customer details to review"),
};

static const char * const wording_names[] = {
  [BB_REMINDER_POLITE] = "polite",
  [BB_REMINDER_FIRM] = "firm",
  [BB_REMINDER_FINAL] = "final",
};

static const char * const group_labels[] = {
  [BB_REMINDER_GROUP_OVERDUE] = N_("Overdue"),
  [BB_REMINDER_GROUP_TODAY] = N_("Today"),
  [BB_REMINDER_GROUP_THIS_WEEK] = N_("This week"),
  [BB_REMINDER_GROUP_LATER] = N_("Later"),
};

/* ---- The record ------------------------------------------------------ */

static void
bb_reminder_finalize (GObject *object)
{
  BbReminder *self = (BbReminder *) object;

  /* The block that holds all the strings (see add_reminder()). */
  g_free ((gpointer) self->key);
  g_free (self->labels);

  G_OBJECT_CLASS (bb_reminder_parent_class)->finalize (object);
}

static void
bb_reminder_class_init (BbReminderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_reminder_finalize;
}

static void
bb_reminder_init (BbReminder *self)
{
}

const char *
bb_reminder_kind_to_string (BbReminderKind kind)
{
  g_return_val_if_fail ((guint) kind < BB_REMINDER_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
bb_reminder_kind_from_string (const char     *text,
                              BbReminderKind *kind)
{
  for (guint i = 0; i < BB_REMINDER_N_KINDS; i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        if (kind)
          *kind = (BbReminderKind) i;
        return TRUE;
      }

  return FALSE;
}

const char *
bb_reminder_kind_label (BbReminderKind kind)
{
  g_return_val_if_fail ((guint) kind < BB_REMINDER_N_KINDS, NULL);

  return _(kind_labels[kind]);
}

const char *
bb_reminder_wording_to_string (BbReminderWording wording)
{
  g_return_val_if_fail ((guint) wording < G_N_ELEMENTS (wording_names), NULL);

  return wording_names[wording];
}

const char *
bb_reminder_group_label (BbReminderGroup group)
{
  g_return_val_if_fail ((guint) group < G_N_ELEMENTS (group_labels), NULL);

  return _(group_labels[group]);
}

/* ---- Days ------------------------------------------------------------ */

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil); plain arithmetic, as the engine
 * counts the days of thousands of rows. */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (gint64) (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Writes @day as 'YYYY-MM-DD' (years 1 to 9999) into @out. */
static void
format_day (gint64 day,
            char   out[11])
{
  gint64 z = day + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);
  int y = (int) CLAMP (yoe + era * 400 + (m <= 2), 1, 9999);

  out[0] = (char) ('0' + y / 1000);
  out[1] = (char) ('0' + y / 100 % 10);
  out[2] = (char) ('0' + y / 10 % 10);
  out[3] = (char) ('0' + y % 10);
  out[4] = '-';
  out[5] = (char) ('0' + m / 10);
  out[6] = (char) ('0' + m % 10);
  out[7] = '-';
  out[8] = (char) ('0' + d / 10);
  out[9] = (char) ('0' + d % 10);
  out[10] = '\0';
}

static char *
iso_of_day (gint64 day)
{
  char text[11];

  format_day (day, text);
  return g_strdup (text);
}

/* The day of a 'YYYY-MM-DD' text; FALSE when it is not a date. */
static gboolean
day_of (const char *text,
        gint64     *day)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  y = (guint) ((text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'));
  m = (guint) ((text[5] - '0') * 10 + (text[6] - '0'));
  d = (guint) ((text[8] - '0') * 10 + (text[9] - '0'));
  if (y < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;

  *day = days_from_civil (y, m, d);
  return TRUE;
}

static gint64
day_of_now (GDateTime *now)
{
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  return days_from_civil (y, (guint) m, (guint) d);
}

/* The page's section for a date, @today being the page's. */
static BbReminderGroup
group_of_day (gint64 day,
              gint64 today)
{
  if (day < today)
    return BB_REMINDER_GROUP_OVERDUE;
  if (day == today)
    return BB_REMINDER_GROUP_TODAY;
  if (day <= today + 7)
    return BB_REMINDER_GROUP_THIS_WEEK;
  return BB_REMINDER_GROUP_LATER;
}

/**
 * bb_reminder_get_group:
 * @now: the time the page shows, in the owner's time zone
 *
 * Returns: the page's section for @reminder: Overdue when its date is
 *   before today, Today, This week for the next 7 days, else Later
 */
BbReminderGroup
bb_reminder_get_group (BbReminder *reminder,
                       GDateTime  *now)
{
  gint64 today, day = G_MAXINT64;

  g_return_val_if_fail (BB_IS_REMINDER (reminder), BB_REMINDER_GROUP_LATER);
  g_return_val_if_fail (now != NULL, BB_REMINDER_GROUP_LATER);

  today = day_of_now (now);
  day_of (reminder->due_on, &day);

  return group_of_day (day, today);
}

/* ---- The ladder ------------------------------------------------------ */

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const BbReminderStep *x = a, *y = b;

  return (x->days > y->days) - (x->days < y->days);
}

static gboolean
parse_days (const char *token,
            int        *days)
{
  const char *p = token;
  gboolean negative = FALSE;
  gint64 value = 0;

  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (*p == '\0' || strlen (p) > 5)
    return FALSE;
  for (; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }

  *days = (int) (negative ? -value : value);
  return TRUE;
}

/* Reads one step, "+30 firm fee 2%"; @number and @text name it in errors. */
static gboolean
parse_step (const char        *text,
            guint              number,
            const BbCurrency  *currency,
            BbReminderStep    *step,
            GError           **error)
{
  g_auto(GStrv) tokens = g_strsplit_set (text, " \t", -1);
  gboolean have_wording = FALSE;
  guint t = 0;

  memset (step, 0, sizeof *step);

  while (tokens[t] && *tokens[t] == '\0')
    t++;

  if (tokens[t] == NULL || !parse_days (tokens[t], &step->days))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Reminder step %u (“%s”): begin with the days from the due date, "
                     "such as -3, 0 or +7, and separate steps with “;”"),
                   number, text);
      return FALSE;
    }
  if (step->days < -MAX_LEAD_DAYS || step->days > MAX_AFTER_DAYS)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Reminder step %u (“%s”): use from %d days before to %d days after the due date"),
                   number, text, MAX_LEAD_DAYS, MAX_AFTER_DAYS);
      return FALSE;
    }

  for (t++; tokens[t]; t++)
    {
      const char *word = tokens[t];
      gboolean is_wording = FALSE;

      if (*word == '\0')
        continue;

      for (guint w = 0; w < G_N_ELEMENTS (wording_names); w++)
        if (g_ascii_strcasecmp (word, wording_names[w]) == 0)
          {
            is_wording = TRUE;
            if (have_wording)
              {
                g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                             _("Reminder step %u (“%s”): give one wording: polite, firm or final"),
                             number, text);
                return FALSE;
              }
            have_wording = TRUE;
            step->wording = (BbReminderWording) w;
          }

      if (!is_wording && g_ascii_strcasecmp (word, "fee") != 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Reminder step %u (“%s”): “%s” is not polite, firm, final or fee"),
                       number, text, word);
          return FALSE;
        }

      if (step->days <= 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Reminder step %u (“%s”): wording and late fees are for steps after the due date"),
                       number, text);
          return FALSE;
        }

      if (is_wording)
        continue;

      /* fee AMOUNT */
      if (step->fee_kind != BB_LATE_FEE_NONE)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Reminder step %u (“%s”): give one late fee"), number, text);
          return FALSE;
        }
      while (tokens[t + 1] && *tokens[t + 1] == '\0')
        t++;
      if (tokens[t + 1] == NULL)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Reminder step %u (“%s”): say how much after “fee”, such as fee 2%% or fee 50.00"),
                       number, text);
          return FALSE;
        }
      t++;

      {
        /* Translators: names the field in a message such as
         * "Reminder step 3 (“+30 fee 2x”), fee: “2x” is not a number" */
        g_autofree char *field = g_strdup_printf (_("Reminder step %u (“%s”), fee"), number, text);
        const char *amount = tokens[t];
        g_autoptr(GError) local_error = NULL;

        if (g_str_has_suffix (amount, "%"))
          {
            BbRate rate = 0;

            if (!bb_rate_parse (amount, field, TRUE, &rate, &local_error))
              {
                g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, local_error->message);
                return FALSE;
              }
            step->fee_kind = BB_LATE_FEE_PERCENT;
            step->fee = rate;
          }
        else
          {
            BbMoney money = 0;

            if (!bb_money_parse (amount, currency, field, FALSE, &money, &local_error))
              {
                g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, local_error->message);
                return FALSE;
              }
            step->fee_kind = BB_LATE_FEE_FIXED;
            step->fee = money;
          }

        if (step->fee <= 0)
          {
            g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                         _("Reminder step %u (“%s”): a late fee of nothing is no fee; leave it out"),
                         number, text);
            return FALSE;
          }
      }
    }

  return TRUE;
}

/**
 * bb_reminder_ladder_parse:
 * @text: the steps, separated by “;” or new lines; each is the days from
 *   the due date (“-3” three days before, “0” on the day, “+7” a week
 *   after), and after the due date optionally a wording (“polite”, the
 *   default, “firm” or “final”) and a late fee (“fee 2%” of what is still
 *   owed, or “fee 50.00” in the book's currency). An empty text is a
 *   ladder without steps: no bill reminders.
 * @currency: (nullable): the book's, for fixed fees
 *
 * Example: "-7; -3; -1; +1 polite; +7 polite; +30 firm fee 2%; +60 final fee 50.00"
 *
 * Returns: (transfer full) (element-type BbReminderStep) (nullable): the
 *   steps, earliest first, or %NULL with @error naming the step at fault
 */
GArray *
bb_reminder_ladder_parse (const char        *text,
                          const BbCurrency  *currency,
                          GError           **error)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, TRUE, sizeof (BbReminderStep));
  g_auto(GStrv) parts = NULL;
  guint number = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Reminder steps: not valid text"));
      return NULL;
    }

  parts = g_strsplit_set (text, ";\n", -1);
  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = bb_text_strip (parts[i]);
      BbReminderStep step;

      if (*part == '\0')
        continue;

      number++;
      if (!parse_step (part, number, currency, &step, error))
        return NULL;

      for (guint j = 0; j < steps->len; j++)
        if (g_array_index (steps, BbReminderStep, j).days == step.days)
          {
            g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                         _("Reminder step %u (“%s”): that day is already a step"),
                         number, part);
            return NULL;
          }

      g_array_append_val (steps, step);
    }

  if (steps->len > BB_REMINDER_LADDER_MAX_STEPS)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Reminder steps: at most %u steps"), BB_REMINDER_LADDER_MAX_STEPS);
      return NULL;
    }

  g_array_sort (steps, compare_steps);

  return g_steal_pointer (&steps);
}

/**
 * bb_reminder_ladder_to_string:
 * @steps: (element-type BbReminderStep): as bb_reminder_ladder_parse()
 *   gives them
 *
 * Returns: (transfer full): the text that parses back to @steps, with a
 *   wording on every after-due step: "-3; 0; +7 polite; +30 final fee 2%"
 */
char *
bb_reminder_ladder_to_string (GArray            *steps,
                              const BbCurrency  *currency)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (steps != NULL, NULL);

  for (guint i = 0; i < steps->len; i++)
    {
      const BbReminderStep *step = &g_array_index (steps, BbReminderStep, i);

      if (out->len > 0)
        g_string_append (out, "; ");
      if (step->days > 0)
        g_string_append_printf (out, "+%d %s", step->days, wording_names[step->wording]);
      else
        g_string_append_printf (out, "%d", step->days);

      if (step->fee_kind == BB_LATE_FEE_PERCENT)
        {
          g_autofree char *rate = bb_rate_format ((BbRate) step->fee);

          g_string_append_printf (out, " fee %s%%", rate);
        }
      else if (step->fee_kind == BB_LATE_FEE_FIXED)
        {
          g_autofree char *amount = bb_money_format_plain (step->fee, currency);

          g_string_append_printf (out, " fee %s", amount);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * bb_reminders_get_ladder:
 *
 * Returns: (transfer full) (element-type BbReminderStep): the book's
 *   ladder, or BB_REMINDER_LADDER_DEFAULT when none was set
 */
GArray *
bb_reminders_get_ladder (BbDb *db)
{
  g_autofree char *text = bb_db_get_setting (db, LADDER_SETTING);
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(GError) error = NULL;
  GArray *steps = NULL;

  if (text != NULL)
    {
      steps = bb_reminder_ladder_parse (text, currency, &error);
      if (steps == NULL)
        g_warning ("The reminder steps in the book are not valid, using the default ones: %s",
                   error->message);
    }

  if (steps == NULL)
    steps = bb_reminder_ladder_parse (BB_REMINDER_LADDER_DEFAULT, currency, NULL);

  return steps;
}

/**
 * bb_reminders_set_ladder:
 * @text: the steps as bb_reminder_ladder_parse() reads them, or %NULL to
 *   go back to the default ones
 *
 * Checks and stores the ladder (in its tidy form).
 */
gboolean
bb_reminders_set_ladder (BbDb        *db,
                         const char  *text,
                         GError     **error)
{
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(GArray) steps = NULL;
  g_autofree char *tidy = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (text != NULL)
    {
      steps = bb_reminder_ladder_parse (text, currency, error);
      if (steps == NULL)
        return FALSE;
      tidy = bb_reminder_ladder_to_string (steps, currency);
    }

  if (!bb_db_set_setting (db, LADDER_SETTING, tidy, error))
    return FALSE;

  bb_db_emit_changed (db, "reminders", 0);
  return TRUE;
}

/* ---- Reviews --------------------------------------------------------- */

/**
 * bb_reminders_get_review_days:
 *
 * Returns: how many days after a customer's last review their details
 *   are due for another: %BB_REMINDERS_REVIEW_DAYS until the owner
 *   chose, 0 when they turned these reminders off
 */
int
bb_reminders_get_review_days (BbDb *db)
{
  g_autofree char *text = NULL;
  gint64 days;
  char *end;

  g_return_val_if_fail (BB_IS_DB (db), BB_REMINDERS_REVIEW_DAYS);

  text = bb_db_get_setting (db, REVIEW_SETTING);
  if (text == NULL)
    return BB_REMINDERS_REVIEW_DAYS;

  days = g_ascii_strtoll (text, &end, 10);
  if (*text == '\0' || *end != '\0' || days < 0 || days > BB_REMINDERS_REVIEW_DAYS_MAX)
    {
      g_warning ("The review interval in the book is not valid (“%s”), using %d days",
                 text, BB_REMINDERS_REVIEW_DAYS);
      return BB_REMINDERS_REVIEW_DAYS;
    }

  return (int) days;
}

/**
 * bb_reminders_set_review_days:
 * @days: 1 to %BB_REMINDERS_REVIEW_DAYS_MAX, or 0 for no review reminders
 *
 * Returns: %FALSE with @error set, naming the setting, for another number
 */
gboolean
bb_reminders_set_review_days (BbDb    *db,
                              int      days,
                              GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (days < 0 || days > BB_REMINDERS_REVIEW_DAYS_MAX)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Review customer details: %d days is not a choice; give 1 to %d days, or 0 for never"),
                   days, BB_REMINDERS_REVIEW_DAYS_MAX);
      return FALSE;
    }

  text = g_strdup_printf ("%d", days);
  if (!bb_db_set_setting (db, REVIEW_SETTING, text, error))
    return FALSE;

  bb_db_emit_changed (db, "reminders", 0);
  return TRUE;
}

/* ---- Computing ------------------------------------------------------- */

/* The page cache while computing, KiB (see compute_records()). */
#define REMINDERS_CACHE_KIB 4096

/* Every row the book holds for a subject, "kind␟stage␟state␟until"
 * joined by ␞, read in the same statement as the subject. */
#define STATES_OF(kinds, subject) \
  "(SELECT group_concat(r.kind || char(31) || r.stage || char(31) || r.state || char(31) || " \
  "coalesce(r.snoozed_until, ''), char(30)) FROM reminders r " \
  "WHERE r.kind IN (" kinds ") AND r.subject_id = " subject ")"

typedef struct
{
  BbDb              *db;
  gint64             today;
  char              *today_iso;
  char              *now_utc;    /* for snoozes: 'YYYY-MM-DDTHH:MM:SSZ' */
  BbRemindersFlags   flags;
  int                review_days; /* 0: none */
  BbReminderRecords *records;
} Compute;

/* Whether a reminder with these stored rows is listed, and as what. */
static gboolean
listed (Compute          *c,
        const char       *states,
        BbReminderKind    kind,
        const char       *stage,
        BbReminderState  *state)
{
  *state = BB_REMINDER_STATE_NEW;

  if (states == NULL)
    return TRUE;

  for (const char *row = states; row != NULL; )
    {
      const char *end = strchr (row, '\x1e');
      gsize len = end ? (gsize) (end - row) : strlen (row);
      g_autofree char *copy = g_strndup (row, len);
      g_auto(GStrv) f = g_strsplit (copy, "\x1f", 4);

      row = end ? end + 1 : NULL;

      if (g_strv_length (f) != 4 ||
          !g_str_equal (f[0], kind_names[kind]) || !g_str_equal (f[1], stage))
        continue;

      if (g_str_equal (f[2], "done"))
        return FALSE;
      if (g_str_equal (f[2], "snoozed"))
        return strcmp (f[3], c->now_utc) <= 0;
      if (g_str_equal (f[2], "notified"))
        {
          *state = BB_REMINDER_STATE_NOTIFIED;
          return !(c->flags & BB_REMINDERS_SKIP_NOTIFIED);
        }
    }

  return TRUE;
}

static char *
append_string (char       *p,
               const char *text,
               gsize       length)
{
  memcpy (p, text, length);
  p[length] = '\0';
  return p + length + 1;
}

static void
set_labels (BbReminder *r,
            const char *code,
            const char *name)
{
  gsize n_code, n_name;

  code = code ? code : "";
  name = name ? name : "";
  n_code = strlen (code);
  n_name = strlen (name);
  g_free (r->labels);
  r->labels = g_malloc (n_code + n_name + 2);
  r->customer_code = r->labels;
  r->customer_name = append_string (r->labels, code, n_code);
  append_string ((char *) r->customer_name, name, n_name);
}

/* @text kept with the records. */
static const char *
keep_string (Compute    *c,
             const char *text)
{
  return g_string_chunk_insert (c->records->strings, text ? text : "");
}

/* A record of a reminder due on @due_day; its stage is @stage, kept with
 * keep_string(), or that date when NULL. @code and @name are the customer's, or NULL when they
 * are looked up later (see load_labels()). Only the strings that cannot
 * be made again from the record are kept: a big book has tens of
 * thousands of reminders, and memory touched for the first time costs. */
static BbReminderRecord *
add_reminder (Compute         *c,
              BbReminderKind   kind,
              gint64           subject_id,
              const char      *stage,
              BbReminderState  state,
              const char      *subject,
              gint64           due_day,
              gint64           customer_id,
              const char      *code,
              const char      *name)
{
  BbReminderRecord *r = _bb_reminder_records_add (c->records);

  r->day = due_day;
  r->kind = kind;
  r->state = state;
  r->group = group_of_day (due_day, c->today);
  r->subject_id = subject_id;
  r->customer_id = customer_id;
  r->stage = stage;
  r->subject = keep_string (c, subject);
  if (code != NULL || name != NULL)
    {
      r->code = keep_string (c, code);
      /* A review's subject is the customer's name. */
      r->name = name == subject ? r->subject : keep_string (c, name);
    }

  return r;
}

/* @record's stage: its own, or its date written into @date. */
const char *
_bb_reminder_record_stage (const BbReminderRecord *record,
                           char                    date[11])
{
  format_day (record->day, date);
  return record->stage ? record->stage : date;
}

/**
 * _bb_reminder_new_from_record:
 *
 * The strings of a reminder are one block, the key first and the stage
 * its tail ("overdue:42:+7"), then the subject and the date; the labels,
 * when the record has them, are a second block.
 */
BbReminder *
_bb_reminder_new_from_record (const BbReminderRecord *record)
{
  BbReminder *r = g_object_new (BB_TYPE_REMINDER, NULL);
  const char *kind_name = kind_names[record->kind];
  const char *subject = record->subject;
  char due_on[11];
  const char *stage = _bb_reminder_record_stage (record, due_on);
  char id[24];
  gsize n_kind, n_id, n_stage, n_subject, n_due;
  char *p;

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, record->subject_id);
  n_kind = strlen (kind_name);
  n_id = strlen (id);
  n_stage = strlen (stage);
  n_subject = strlen (subject);
  n_due = strlen (due_on);

  p = g_malloc (n_kind + n_id + n_stage + n_subject + n_due + 5);
  r->key = p;
  memcpy (p, kind_name, n_kind);
  p += n_kind;
  *p++ = ':';
  memcpy (p, id, n_id);
  p += n_id;
  *p++ = ':';
  r->stage = p;
  p = append_string (p, stage, n_stage);
  r->subject = p;
  p = append_string (p, subject, n_subject);
  r->due_on = p;
  append_string (p, due_on, n_due);
  if (record->code != NULL)
    set_labels (r, record->code, record->name);

  r->kind = record->kind;
  r->state = record->state;
  r->subject_id = record->subject_id;
  r->customer_id = record->customer_id;
  r->has_amount = record->has_amount;
  r->amount = record->amount;
  r->step_days = record->step_days;
  r->wording = record->wording;
  r->fee_kind = record->fee_kind;
  r->fee = record->fee;
  r->fee_drafted = record->fee_drafted;

  return r;
}

static gboolean
compute_bills (Compute  *c,
               GArray   *ladder,
               GError  **error)
{
  const BbReminderStep *first, *last;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_auto(GStrv) stages = NULL;
  g_autofree const char **kept = NULL;   /* stages[s] kept with the records, once */
  sqlite3_stmt *stmt;
  int rc;

  if (ladder->len == 0)
    return TRUE;

  stages = g_new0 (char *, ladder->len + 1);
  kept = g_new0 (const char *, ladder->len);
  for (guint s = 0; s < ladder->len; s++)
    {
      int days = g_array_index (ladder, BbReminderStep, s).days;

      stages[s] = days > 0 ? g_strdup_printf ("+%d", days) : g_strdup_printf ("%d", days);
    }

  first = &g_array_index (ladder, BbReminderStep, 0);
  last = &g_array_index (ladder, BbReminderStep, ladder->len - 1);
  /* Due on or before today − the first step, and on or after today − the
   * last step − the days the last step stays listed. */
  to = iso_of_day (c->today - first->days);
  from = iso_of_day (c->today - last->days - BB_REMINDERS_LAST_STEP_DAYS);

  /* From the covering index invoices_reminders (migration 4). INDEXED
   * BY: without statistics SQLite would take invoices_status and visit
   * every issued bill. The customers' labels are looked up afterwards:
   * joined here, the thousands of customers of a big book's open bills
   * were most of the time on a connection that had not read them yet. */
  stmt = _bb_db_prepare (c->db,
                         "SELECT i.id, i.number, i.kind, i.due_on, i.open_balance, i.customer_id, "
                         STATES_OF ("'due_soon', 'overdue'", "i.id") ", "
                         "  CASE WHEN ?3 THEN (SELECT group_concat(f.stage, char(30)) FROM late_fees f "
                         "                     WHERE f.invoice_id = i.id) END "
                         "FROM invoices i INDEXED BY invoices_reminders "
                         "WHERE i.status = 'issued' AND i.open_balance > 0 "
                         "  AND i.due_on >= ?1 AND i.due_on <= ?2 AND i.kind <> 'credit_note'",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, from);
  _bb_stmt_bind_text (stmt, 2, to);
  /* The fees drafted are only looked up when a step has a fee. */
  for (guint s = 0; s < ladder->len; s++)
    if (g_array_index (ladder, BbReminderStep, s).fee_kind != BB_LATE_FEE_NONE)
      sqlite3_bind_int (stmt, 3, 1);

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *due_on = (const char *) sqlite3_column_text (stmt, 3);
      const BbReminderStep *step = NULL;
      BbReminderKind kind;
      BbReminderState state;
      BbReminderRecord *r;
      gint64 due;
      guint s;

      if (!day_of (due_on, &due))
        continue;

      /* The highest step reached. */
      for (s = ladder->len; s > 0; s--)
        if (g_array_index (ladder, BbReminderStep, s - 1).days <= c->today - due)
          break;
      if (s == 0)
        continue;
      step = &g_array_index (ladder, BbReminderStep, s - 1);

      kind = step->days > 0 ? BB_REMINDER_OVERDUE : BB_REMINDER_DUE_SOON;
      if (!listed (c, (const char *) sqlite3_column_text (stmt, 6), kind, stages[s - 1], &state))
        continue;

      if (kept[s - 1] == NULL)
        kept[s - 1] = keep_string (c, stages[s - 1]);
      r = add_reminder (c, kind, sqlite3_column_int64 (stmt, 0), kept[s - 1], state,
                        (const char *) sqlite3_column_text (stmt, 1), due,
                        sqlite3_column_int64 (stmt, 5), NULL, NULL);
      r->has_amount = TRUE;
      r->amount = sqlite3_column_int64 (stmt, 4);
      r->step_days = step->days;
      r->wording = step->wording;
      /* No fee on a fee. */
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "fee") != 0)
        {
          r->fee_kind = step->fee_kind;
          r->fee = step->fee;
        }
      if (r->fee_kind != BB_LATE_FEE_NONE && sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        {
          g_auto(GStrv) drafted = g_strsplit ((const char *) sqlite3_column_text (stmt, 7), "\x1e", -1);

          r->fee_drafted = g_strv_contains ((const char * const *) drafted, stages[s - 1]);
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
compute_follow_ups (Compute  *c,
                    GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* From a covering index; the labels afterwards, as for bills. */
  stmt = _bb_db_prepare (c->db,
                         "SELECT n.id, n.summary, n.kind, n.follow_up_on, n.customer_id, "
                         STATES_OF ("'follow_up'", "n.id") " "
                         "FROM interactions n INDEXED BY interactions_follow_up_list "
                         "WHERE n.follow_up_on IS NOT NULL AND n.follow_up_done = 0 AND n.follow_up_on <= ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, c->today_iso);

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *summary = (const char *) sqlite3_column_text (stmt, 1);
      const char *on = (const char *) sqlite3_column_text (stmt, 3);
      BbReminderState state;
      gint64 day;

      if (!day_of (on, &day) ||
          !listed (c, (const char *) sqlite3_column_text (stmt, 5), BB_REMINDER_FOLLOW_UP, on, &state))
        continue;

      if (summary == NULL || *summary == '\0')
        summary = bb_interaction_kind_label ((const char *) sqlite3_column_text (stmt, 2));
      add_reminder (c, BB_REMINDER_FOLLOW_UP, sqlite3_column_int64 (stmt, 0),
                    NULL, state, summary, day, sqlite3_column_int64 (stmt, 4), NULL, NULL);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
compute_prepaid (Compute  *c,
                 GError  **error)
{
  g_autofree char *horizon = iso_of_day (c->today + BB_REMINDERS_PREPAID_EXPIRY_DAYS);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (c->db,
                         "SELECT a.id, a.name, a.expires_on, a.balance, a.customer_id, "
                         STATES_OF ("'prepaid_expiry'", "a.id") " "
                         "FROM prepaid_accounts a "
                         "WHERE a.expires_on IS NOT NULL AND a.expires_on <= ?1 "
                         "  AND a.closed = 0 AND a.balance > 0",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, horizon);

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *expires_on = (const char *) sqlite3_column_text (stmt, 2);
      BbReminderState state;
      BbReminderRecord *r;
      gint64 day;

      if (!day_of (expires_on, &day) ||
          !listed (c, (const char *) sqlite3_column_text (stmt, 5), BB_REMINDER_PREPAID_EXPIRY,
                   expires_on, &state))
        continue;

      r = add_reminder (c, BB_REMINDER_PREPAID_EXPIRY, sqlite3_column_int64 (stmt, 0),
                        NULL, state, (const char *) sqlite3_column_text (stmt, 1), day,
                        sqlite3_column_int64 (stmt, 4), NULL, NULL);
      r->has_amount = TRUE;
      r->amount = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  /* Under the mark, on the partial index of such cards. */
  stmt = _bb_db_prepare (c->db,
                         "SELECT a.id, a.name, a.last_used_on, a.balance, a.customer_id, "
                         STATES_OF ("'prepaid_low'", "a.id") ", "
                         "  coalesce((SELECT max(e.occurred_on) FROM prepaid_entries e "
                         "            WHERE e.account_id = a.id AND e.kind = 'topup'), '') "
                         "FROM prepaid_accounts a INDEXED BY prepaid_accounts_low "
                         "WHERE a.closed = 0 AND a.balance < a.low_balance_mark",
                         error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *last_used_on = (const char *) sqlite3_column_text (stmt, 2);
      const char *topped_up = (const char *) sqlite3_column_text (stmt, 6);
      BbReminderState state;
      BbReminderRecord *r;
      gint64 day;

      if (!listed (c, (const char *) sqlite3_column_text (stmt, 5), BB_REMINDER_PREPAID_LOW,
                   topped_up, &state))
        continue;

      /* Dated the day it was last used, if that has come. */
      if (!day_of (last_used_on, &day) || day > c->today)
        day = c->today;
      r = add_reminder (c, BB_REMINDER_PREPAID_LOW, sqlite3_column_int64 (stmt, 0),
                        keep_string (c, topped_up), state, (const char *) sqlite3_column_text (stmt, 1), day,
                        sqlite3_column_int64 (stmt, 4), NULL, NULL);
      r->has_amount = TRUE;
      r->amount = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
compute_recurring (Compute  *c,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (c->db,
                         "SELECT rc.id, rc.description, rc.next_on, rc.amount, rc.tax_rate, rc.customer_id, "
                         STATES_OF ("'recurring'", "rc.id") " "
                         "FROM recurring_charges rc "
                         "WHERE rc.active = 1 AND rc.next_on <= ?1 "
                         "  AND (rc.end_on IS NULL OR rc.end_on = '' OR rc.next_on <= rc.end_on)",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, c->today_iso);

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *next_on = (const char *) sqlite3_column_text (stmt, 2);
      BbMoney amount = sqlite3_column_int64 (stmt, 3);
      BbMoney tax = 0;
      BbReminderState state;
      BbReminderRecord *r;
      gint64 day;

      if (!day_of (next_on, &day) ||
          !listed (c, (const char *) sqlite3_column_text (stmt, 6), BB_REMINDER_RECURRING, next_on, &state))
        continue;

      r = add_reminder (c, BB_REMINDER_RECURRING, sqlite3_column_int64 (stmt, 0),
                        NULL, state, (const char *) sqlite3_column_text (stmt, 1), day,
                        sqlite3_column_int64 (stmt, 5), NULL, NULL);
      /* What the bill will say: the amount with its tax, as one line. */
      r->has_amount = bb_money_apply_rate (amount, sqlite3_column_int (stmt, 4), &tax) &&
                      bb_money_add (amount, tax, &r->amount);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
compute_reviews (Compute  *c,
                 GError  **error)
{
  g_autofree char *before = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (c->review_days == 0)
    return TRUE;
  before = iso_of_day (c->today - c->review_days);

  /* On the covering index customers_review: reviewed long enough ago,
   * then never reviewed (rare: the editor sets the date), counted from
   * when the customer was added. */
  stmt = _bb_db_prepare (c->db,
                         "SELECT c.id, c.reviewed_on, c.reviewed_on, c.id, c.code, c.name, "
                         STATES_OF ("'review'", "c.id") " "
                         "FROM customers c INDEXED BY customers_review "
                         "WHERE c.archived = 0 AND c.erased = 0 AND c.reviewed_on <= ?1 "
                         "UNION ALL "
                         "SELECT c.id, NULL, substr(c.created_at, 1, 10), c.id, c.code, c.name, "
                         STATES_OF ("'review'", "c.id") " "
                         "FROM customers c INDEXED BY customers_review "
                         "WHERE c.archived = 0 AND c.erased = 0 AND c.reviewed_on IS NULL",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, before);

  while ((rc = _bb_db_step (c->db, stmt, error)) == SQLITE_ROW)
    {
      const char *reviewed_on = (const char *) sqlite3_column_text (stmt, 1);
      const char *stage = reviewed_on ? reviewed_on : "";
      BbReminderState state;
      gint64 since, due;

      if (!day_of ((const char *) sqlite3_column_text (stmt, 2), &since))
        continue;
      due = since + c->review_days;
      if (due > c->today ||
          !listed (c, (const char *) sqlite3_column_text (stmt, 6), BB_REMINDER_REVIEW, stage, &state))
        continue;

      /* The labels come with the index read. */
      add_reminder (c, BB_REMINDER_REVIEW, sqlite3_column_int64 (stmt, 0),
                    keep_string (c, stage), state, (const char *) sqlite3_column_text (stmt, 5), due,
                    sqlite3_column_int64 (stmt, 3),
                    (const char *) sqlite3_column_text (stmt, 4),
                    (const char *) sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* ---- Customers' labels ------------------------------------------------ */

static sqlite3_stmt *
prepare_label (BbDb    *db,
               GError **error)
{
  return _bb_db_prepare (db,
                         "SELECT code, name FROM customers INDEXED BY customers_label WHERE id = ?1",
                         error);
}

/* Looks up @r's customer with @stmt from prepare_label(). */
static gboolean
load_label (BbDb         *db,
            sqlite3_stmt *stmt,
            BbReminder   *r,
            GError      **error)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, r->customer_id);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    set_labels (r, (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1));
  else if (rc == SQLITE_DONE)
    set_labels (r, "", "");
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static int
compare_customers (gconstpointer a,
                   gconstpointer b)
{
  const BbReminder *x = *(BbReminder * const *) a, *y = *(BbReminder * const *) b;

  return (x->customer_id > y->customer_id) - (x->customer_id < y->customer_id);
}

/* Every reminder's labels, in the order of the customers' ids: each
 * customer is looked up once, and the index is read front to back. */
static gboolean
load_labels (BbDb       *db,
             GPtrArray  *reminders,
             GError    **error)
{
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  BbReminder *last = NULL;

  for (guint i = 0; i < reminders->len; i++)
    {
      BbReminder *r = g_ptr_array_index (reminders, i);

      if (r->customer_code == NULL)
        g_ptr_array_add (todo, r);
    }
  if (todo->len == 0)
    return TRUE;

  stmt = prepare_label (db, error);
  if (stmt == NULL)
    return FALSE;
  g_ptr_array_sort (todo, compare_customers);
  for (guint i = 0; i < todo->len; i++)
    {
      BbReminder *r = g_ptr_array_index (todo, i);

      if (last != NULL && last->customer_id == r->customer_id)
        set_labels (r, last->customer_code, last->customer_name);
      else if (!load_label (db, stmt, r, error))
        return FALSE;
      last = r;
    }

  return TRUE;
}

/**
 * bb_reminder_load_labels:
 * @reminder: computed with %BB_REMINDERS_LABELS_LATER
 * @db: the book it was computed from
 *
 * Looks up the customer's code and name, if not yet done: the page asks
 * for them as it shows a reminder, and not for the thousands it does not
 * show. Afterwards they are "" for a customer no longer in the book.
 *
 * Returns: %FALSE with @error set if the book could not be read
 */
gboolean
bb_reminder_load_labels (BbReminder  *reminder,
                         BbDb        *db,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_REMINDER (reminder), FALSE);
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (reminder->customer_code != NULL)
    return TRUE;

  stmt = prepare_label (db, error);
  return stmt != NULL && load_label (db, stmt, reminder, error);
}

/* ---- Order ------------------------------------------------------------ */

/* By date, kind, customer, subject: a stable order for a given book. */
static int
compare_records (const BbReminderRecord *x,
                 const BbReminderRecord *y)
{
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->customer_id != y->customer_id)
    return x->customer_id < y->customer_id ? -1 : 1;
  return (x->subject_id > y->subject_id) - (x->subject_id < y->subject_id);
}

static int
compare_numbers (gconstpointer a,
                 gconstpointer b,
                 gpointer      records)
{
  return compare_records (_bb_reminder_records_numbered (records, *(const guint *) a),
                          _bb_reminder_records_numbered (records, *(const guint *) b));
}

typedef gsize (*RecordKey) (const BbReminderRecord *record,
                            gconstpointer           data);

/* Puts records->order in the order of @key (0 to @n_keys − 1), keeping
 * the order among equal keys: a counting sort, which needs no copy of
 * the records, only a count per key.
 *
 * Returns: (transfer full): where each key's records end in the order */
static guint *
order_by_key (BbReminderRecords *records,
              gsize              n_keys,
              RecordKey          key,
              gconstpointer      data)
{
  guint n = records->order->len;
  guint *counts = g_new0 (guint, n_keys + 1);
  g_autofree guint *sorted = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    counts[key (_bb_reminder_records_get (records, i), data) + 1]++;
  for (gsize k = 1; k <= n_keys; k++)
    counts[k] += counts[k - 1];

  /* counts[k] is where key k's records begin; then, where they end. */
  for (guint i = 0; i < n; i++)
    sorted[counts[key (_bb_reminder_records_get (records, i), data)]++] = g_array_index (records->order, guint, i);
  if (n > 0)
    memcpy (records->order->data, sorted, n * sizeof (guint));

  return counts;
}

/* The day, from @data (the first day), then the kind. */
static gsize
day_kind_key (const BbReminderRecord *record,
              gconstpointer           data)
{
  return (gsize) (record->day - *(const gint64 *) data) * BB_REMINDER_N_KINDS + record->kind;
}

static gsize
group_kind_key (const BbReminderRecord *record,
                gconstpointer           data)
{
  return (gsize) record->group * BB_REMINDER_N_KINDS + record->kind;
}

/* Puts records->order in the reminders' order. A sort by day and kind
 * first, counting (the days of a big book's reminders span a few
 * thousand), then each day's and kind's few by customer and subject: a
 * sort of tens of thousands that needs no copy of them, only a count per
 * day, and memory touched for the first time costs. */
static void
sort_records (BbReminderRecords *records)
{
  guint n = records->order->len;
  g_autofree guint *ends = NULL;
  gint64 first = G_MAXINT64, last = G_MININT64;
  gsize n_keys;

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      gint64 day = _bb_reminder_records_get (records, i)->day;

      first = MIN (first, day);
      last = MAX (last, day);
    }

  /* Dates far apart (a follow-up typed for the year 2062): sort as is. */
  n_keys = (gsize) (last - first + 1) * BB_REMINDER_N_KINDS;
  if (last - first > 4 * (gint64) n + 3660)
    {
      g_array_sort_with_data (records->order, compare_numbers, records);
      return;
    }

  ends = order_by_key (records, n_keys, day_kind_key, &first);

  /* Then each day's and kind's run by the rest. */
  for (gsize k = 0, begin = 0; k < n_keys; begin = ends[k], k++)
    if (ends[k] - begin > 1)
      g_qsort_with_data ((guint *) records->order->data + begin, (gint) (ends[k] - begin), sizeof (guint),
                         compare_numbers, records);
}

/* For the page: each group's reminders by kind, then as before. Bills
 * come first, then call-backs, cards, recurring charges and reviews
 * (BbReminderKind's order): a shop whose customers were last reviewed
 * years ago would otherwise see those above every overdue bill. A
 * counting sort on the 28 groups and kinds, which keeps the order
 * within each. */
static void
group_by_kind (BbReminderRecords *records)
{
  g_free (order_by_key (records, (BB_REMINDER_GROUP_LATER + 1) * BB_REMINDER_N_KINDS, group_kind_key, NULL));
}

/* ---- The computation ---------------------------------------------------- */

/* The reminders as records, in their order. */
static BbReminderRecords *
compute_records (BbDb              *db,
                 GDateTime         *now,
                 BbRemindersFlags   flags,
                 GError           **error)
{
  g_autoptr(BbReminderRecords) out = _bb_reminder_records_new ();
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GArray) ladder = NULL;
  g_autofree char *now_utc = NULL;
  g_autofree char *today_iso = NULL;
  gint64 old_cache_size;
  gboolean ok;
  Compute c;

  utc = g_date_time_to_utc (now);
  now_utc = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  ladder = bb_reminders_get_ladder (db);

  c.db = db;
  c.today = day_of_now (now);
  c.today_iso = today_iso = iso_of_day (c.today);
  c.now_utc = now_utc;
  c.flags = flags;
  c.review_days = bb_reminders_get_review_days (db);
  c.records = out;

  /* One read transaction: every kind sees the same book. On a big book
   * the indexes read (the open bills by due date, reviews and
   * follow-ups) take a few MiB: in SQLite's default cache of 2 MiB they
   * were read from the file two or three times over. */
  if (!_bb_db_exec (db, "SAVEPOINT bb_reminders_read", error))
    return NULL;
  old_cache_size = _bb_db_set_cache_size (db, -REMINDERS_CACHE_KIB);

  ok = compute_bills (&c, ladder, error) &&
       compute_follow_ups (&c, error) &&
       compute_prepaid (&c, error) &&
       compute_recurring (&c, error) &&
       compute_reviews (&c, error);

  _bb_db_set_cache_size (db, old_cache_size);
  _bb_db_exec (db, "RELEASE bb_reminders_read", NULL);
  if (!ok)
    return NULL;

  sort_records (out);

  return g_steal_pointer (&out);
}

/**
 * bb_reminders_compute:
 * @now: the time to compute for; its date, in its own time zone, is
 *   "today"
 * @flags: %BB_REMINDERS_DEFAULT for all but done reminders and those
 *   snoozed past @now; with %BB_REMINDERS_SKIP_NOTIFIED (the notifier)
 *   also without those notified at their stage; with
 *   %BB_REMINDERS_LABELS_LATER the customers' codes and names are left
 *   for bb_reminder_load_labels()
 *
 * Lists what is due, as the file's comment describes. Reads only: the
 * book is not changed. The page, which shows a few of a big book's tens
 * of thousands at a time, uses bb_reminders_compute_list() instead.
 *
 * Returns: (transfer full) (element-type BbReminder): the reminders by
 *   date, then kind, then customer
 */
GPtrArray *
bb_reminders_compute (BbDb              *db,
                      GDateTime         *now,
                      BbRemindersFlags   flags,
                      GError           **error)
{
  g_autoptr(BbReminderRecords) records = NULL;
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  records = compute_records (db, now, flags, error);
  if (records == NULL)
    return NULL;

  out = g_ptr_array_new_full (records->order->len, g_object_unref);
  for (guint i = 0; i < records->order->len; i++)
    g_ptr_array_add (out, _bb_reminder_new_from_record (_bb_reminder_records_get (records, i)));
  /* After the book's transaction: a customer renamed meanwhile shows
   * under the new name. */
  if (!(flags & BB_REMINDERS_LABELS_LATER) && !load_labels (db, out, error))
    return NULL;

  return g_steal_pointer (&out);
}

/**
 * bb_reminders_compute_list:
 * @db: the book; the list looks up customers' names in it as reminders
 *   are asked for, so use it on @db's thread
 * @flags: as for bb_reminders_compute(); the labels are always loaded
 *   later
 *
 * Computes the reminders as bb_reminders_compute() does, into a list
 * that makes a BbReminder only for the items asked for. In each group
 * (Overdue, Today…) the bills come first, then the call-backs, prepaid
 * cards, recurring charges and reviews, each by date.
 *
 * Returns: (transfer full): the list, grouped as of @now
 */
BbReminderList *
bb_reminders_compute_list (BbDb              *db,
                           GDateTime         *now,
                           BbRemindersFlags   flags,
                           GError           **error)
{
  BbReminderRecords *records;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  records = compute_records (db, now, flags | BB_REMINDERS_LABELS_LATER, error);
  if (records == NULL)
    return NULL;
  group_by_kind (records);

  return _bb_reminder_list_new (db, now, records);
}

/**
 * bb_reminders_to_csv:
 * @reminders: (element-type BbReminder): as bb_reminders_compute() gives
 *   them
 * @currency: the book's
 *
 * Returns: (transfer full): the reminders as CSV with the header row
 *   %BB_REMINDERS_CSV_HEADER; follow-ups and reviews have no amount
 */
char *
bb_reminders_to_csv (GPtrArray         *reminders,
                     const BbCurrency  *currency,
                     GError           **error)
{
  static const gboolean text_columns[] = { FALSE, FALSE, TRUE, TRUE, FALSE };
  g_autoptr(GString) out = g_string_new (BB_REMINDERS_CSV_HEADER "\n");
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);

  g_return_val_if_fail (reminders != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  for (guint i = 0; i < reminders->len; i++)
    {
      BbReminder *r = g_ptr_array_index (reminders, i);
      g_autofree char *amount = r->has_amount ? bb_money_format_plain (r->amount, currency) : g_strdup ("");
      const char *fields[] = {
        r->due_on, kind_names[r->kind], r->customer_code, r->subject, amount, NULL
      };

      if (!bb_csv_writer_write_row (writer, fields, text_columns, error))
        return NULL;
    }

  g_clear_pointer (&writer, bb_csv_writer_free);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- What the owner and the notifier did ----------------------------- */

typedef struct
{
  BbReminderKind  kind;
  gint64          subject_id;
  char           *stage;
  const char     *state;          /* done, snoozed, notified */
  char           *snoozed_until;
} StateChange;

static void
state_change_clear (StateChange *change)
{
  g_clear_pointer (&change->stage, g_free);
  g_clear_pointer (&change->snoozed_until, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StateChange, state_change_clear)

/* "overdue:42:+7" → kind, subject, stage. */
static gboolean
parse_key (const char   *key,
           StateChange  *change,
           GError      **error)
{
  g_auto(GStrv) parts = key ? g_strsplit (key, ":", 3) : NULL;
  char *end = NULL;

  if (parts == NULL || g_strv_length (parts) != 3 ||
      !bb_reminder_kind_from_string (parts[0], &change->kind) ||
      !g_ascii_isdigit (parts[1][0]) ||
      (change->subject_id = g_ascii_strtoll (parts[1], &end, 10)) <= 0 || *end != '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("“%s” is not a reminder"), key ? key : "");
      return FALSE;
    }

  change->stage = g_strdup (parts[2]);
  return TRUE;
}

static gboolean
change_state_in_transaction (BbDb     *db,
                             gpointer  user_data,
                             GError  **error)
{
  StateChange *change = user_data;
  g_autofree char *now = _bb_db_now_utc ();
  gboolean notified = g_str_equal (change->state, "notified");
  sqlite3_stmt *stmt;

  /* A notification never undoes what the owner did: done stays done and
   * a snooze that has not run out stays. */
  if (notified)
    stmt = _bb_db_prepare (db,
                           "INSERT INTO reminders (kind, subject_id, stage, state, snoozed_until, updated_at) "
                           "VALUES (?1, ?2, ?3, 'notified', NULL, ?4) "
                           "ON CONFLICT (kind, subject_id, stage) DO UPDATE "
                           "SET state = 'notified', snoozed_until = NULL, updated_at = excluded.updated_at "
                           "WHERE reminders.state = 'notified' "
                           "   OR (reminders.state = 'snoozed' AND reminders.snoozed_until <= excluded.updated_at)",
                           error);
  else
    stmt = _bb_db_prepare (db,
                           "INSERT INTO reminders (kind, subject_id, stage, state, snoozed_until, updated_at) "
                           "VALUES (?1, ?2, ?3, ?5, ?6, ?4) "
                           "ON CONFLICT (kind, subject_id, stage) DO UPDATE "
                           "SET state = excluded.state, snoozed_until = excluded.snoozed_until, "
                           "    updated_at = excluded.updated_at",
                           error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, kind_names[change->kind]);
  sqlite3_bind_int64 (stmt, 2, change->subject_id);
  _bb_stmt_bind_text (stmt, 3, change->stage);
  _bb_stmt_bind_text (stmt, 4, now);
  if (!notified)
    {
      _bb_stmt_bind_text (stmt, 5, change->state);
      _bb_stmt_bind_text (stmt, 6, change->snoozed_until);
    }
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (g_str_equal (change->state, "done"))
    {
      /* Done with a follow-up is the follow-up done; done with a review
       * is the details reviewed today, so the next review is due a
       * quarter from now. */
      if (change->kind == BB_REMINDER_FOLLOW_UP)
        {
          stmt = _bb_db_prepare (db, "UPDATE interactions SET follow_up_done = 1 WHERE id = ?1", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, change->subject_id);
          if (!_bb_db_step_done (db, stmt, error))
            return FALSE;
          bb_db_emit_changed (db, "interactions", change->subject_id);
        }
      else if (change->kind == BB_REMINDER_REVIEW)
        {
          stmt = _bb_db_prepare (db,
                                 "UPDATE customers SET reviewed_on = date('now', 'localtime') "
                                 "WHERE id = ?1 AND erased = 0",
                                 error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, change->subject_id);
          if (!_bb_db_step_done (db, stmt, error))
            return FALSE;
          bb_db_emit_changed (db, "customers", change->subject_id);
        }
    }

  bb_db_emit_changed (db, "reminders", 0);
  return TRUE;
}

/**
 * bb_reminders_mark_done:
 * @key: a reminder's key (BbReminder.key)
 *
 * The reminder at this stage is dealt with: it is not listed again (the
 * next stage of a bill is a new reminder). Done with a follow-up marks
 * the follow-up done; done with a review records the details as reviewed
 * today. One transaction.
 */
gboolean
bb_reminders_mark_done (BbDb        *db,
                        const char  *key,
                        GError     **error)
{
  g_auto(StateChange) change = { 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (!parse_key (key, &change, error))
    return FALSE;
  change.state = "done";

  return bb_db_transaction (db, change_state_in_transaction, &change, error);
}

/**
 * bb_reminders_snooze:
 * @key: a reminder's key (BbReminder.key)
 * @until: when it comes back
 *
 * Hides the reminder until @until; then it is listed as new again, and
 * notified again. One transaction.
 */
gboolean
bb_reminders_snooze (BbDb        *db,
                     const char  *key,
                     GDateTime   *until,
                     GError     **error)
{
  g_auto(StateChange) change = { 0 };
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (until != NULL, FALSE);

  if (!parse_key (key, &change, error))
    return FALSE;
  utc = g_date_time_to_utc (until);
  change.state = "snoozed";
  change.snoozed_until = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  return bb_db_transaction (db, change_state_in_transaction, &change, error);
}

/**
 * bb_reminders_mark_notified:
 * @key: a reminder's key (BbReminder.key)
 *
 * Records that a notification was shown for the reminder at its stage,
 * so the notifier does not send it again (the page still lists it). Does
 * not undo done, nor a snooze that has not run out. One transaction.
 */
gboolean
bb_reminders_mark_notified (BbDb        *db,
                            const char  *key,
                            GError     **error)
{
  g_auto(StateChange) change = { 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (!parse_key (key, &change, error))
    return FALSE;
  change.state = "notified";

  return bb_db_transaction (db, change_state_in_transaction, &change, error);
}

/* ---- Late fees ------------------------------------------------------- */

typedef struct
{
  BbReminder *reminder;
  BbInvoice  *fee_bill;
} FeeDraft;

static gboolean
draft_fee_in_transaction (BbDb     *db,
                          gpointer  user_data,
                          GError  **error)
{
  FeeDraft *draft = user_data;
  BbReminder *r = draft->reminder;
  g_autoptr(BbInvoice) bill = NULL;
  g_autoptr(BbInvoice) fee_bill = NULL;
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  BbMoney amount = 0;
  int rc;

  bill = bb_invoices_get (db, r->subject_id, error);
  if (bill == NULL)
    return FALSE;

  stmt = _bb_db_prepare (db, "SELECT 1 FROM late_fees WHERE invoice_id = ?1 AND stage = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->subject_id);
  _bb_stmt_bind_text (stmt, 2, r->stage);
  rc = _bb_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("A late fee for bill %s at %d days overdue was already drafted"),
                   bill->number, r->step_days);
      return FALSE;
    }

  if (bill->status != BB_INVOICE_ISSUED || bill->open_balance <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Bill %s owes nothing; there is no late fee to charge"),
                   bill->number ? bill->number : "");
      return FALSE;
    }
  if (bill->kind != BB_INVOICE_KIND_INVOICE)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Bill %s is itself a fee or a credit note; late fees are charged on bills"),
                   bill->number);
      return FALSE;
    }

  if (r->fee_kind == BB_LATE_FEE_PERCENT)
    {
      if (!bb_money_apply_rate (bill->open_balance, (BbRate) r->fee, &amount))
        amount = 0;
    }
  else
    amount = r->fee;
  if (amount <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The late fee on bill %s comes to nothing"), bill->number);
      return FALSE;
    }

  fee_bill = bb_invoice_new ();
  fee_bill->customer_id = bill->customer_id;
  fee_bill->kind = BB_INVOICE_KIND_FEE;
  g_free (fee_bill->currency);
  fee_bill->currency = g_strdup (bill->currency);
  text = g_strdup_printf (_("Late fee: bill %s, due on %s, %d days overdue"),
                          bill->number, bill->due_on, r->step_days);
  bb_invoice_add_line (fee_bill, text, BB_QUANTITY_ONE, amount, 0, 0);
  g_free (fee_bill->notes);
  fee_bill->notes = g_steal_pointer (&text);

  if (!bb_invoices_save_draft (db, fee_bill, error))
    return FALSE;

  stmt = _bb_db_prepare (db,
                         "INSERT INTO late_fees (invoice_id, stage, fee_invoice_id, created_at) "
                         "VALUES (?1, ?2, ?3, ?4)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->subject_id);
  _bb_stmt_bind_text (stmt, 2, r->stage);
  sqlite3_bind_int64 (stmt, 3, fee_bill->id);
  _bb_stmt_bind_text (stmt, 4, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "reminders", 0);
  draft->fee_bill = g_steal_pointer (&fee_bill);
  return TRUE;
}

/**
 * bb_reminders_draft_fee_bill:
 * @reminder: an overdue reminder whose step has a late fee
 *
 * Drafts the late fee as a bill of kind fee for the bill's customer —
 * the step's percentage of what the bill still owes, or its fixed amount
 * — for the owner to review and issue (or delete). Never twice for the
 * same bill and step, even when the draft was deleted. One transaction.
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL with @error set
 */
BbInvoice *
bb_reminders_draft_fee_bill (BbDb        *db,
                             BbReminder  *reminder,
                             GError     **error)
{
  FeeDraft draft = { reminder, NULL };

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (BB_IS_REMINDER (reminder), NULL);

  if (reminder->kind != BB_REMINDER_OVERDUE || reminder->fee_kind == BB_LATE_FEE_NONE)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("This reminder's step has no late fee"));
      return NULL;
    }

  if (!bb_db_transaction (db, draft_fee_in_transaction, &draft, error))
    {
      g_clear_object (&draft.fee_bill);
      return NULL;
    }

  reminder->fee_drafted = TRUE;
  return draft.fee_bill;
}

/* ---- In a thread ----------------------------------------------------- */

typedef struct
{
  char             *path;
  GDateTime        *now;
  BbRemindersFlags  flags;
} ComputeTaskData;

static void
compute_task_data_free (ComputeTaskData *td)
{
  g_free (td->path);
  g_date_time_unref (td->now);
  g_free (td);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  BbReminderRecords *records;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  records = compute_records (db, td->now, td->flags | BB_REMINDERS_LABELS_LATER, &error);
  if (records == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  group_by_kind (records);
  /* The labels are looked up on the caller's connection, as shown. */
  g_task_return_pointer (task, _bb_reminder_list_new (BB_DB (source_object), td->now, records),
                         g_object_unref);
}

/**
 * bb_reminders_compute_list_async:
 *
 * Runs bb_reminders_compute_list() in a thread with a connection of its
 * own, so the window never waits on a big book.
 */
void
bb_reminders_compute_list_async (BbDb                *db,
                                 GDateTime           *now,
                                 BbRemindersFlags     flags,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeTaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (now != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_reminders_compute_list_async);
  g_task_set_name (task, "[billbook] reminders");
  td = g_new0 (ComputeTaskData, 1);
  td->path = g_strdup (bb_db_get_path (db));
  td->now = g_date_time_ref (now);
  td->flags = flags;
  g_task_set_task_data (task, td, (GDestroyNotify) compute_task_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * bb_reminders_compute_list_finish:
 *
 * Returns: (transfer full): as bb_reminders_compute_list()
 */
BbReminderList *
bb_reminders_compute_list_finish (BbDb          *db,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reminders_compute_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
