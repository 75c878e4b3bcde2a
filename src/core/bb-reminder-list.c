/* bb-reminder-list.c — the Reminders page's list: headings and reminders, made as shown
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of a BbReminderHeading above each group that has
 * reminders (Overdue, Today, This week, Later, as of the time computed)
 * and the group's BbReminders, the bills first, then the other kinds,
 * each by date (bb_reminders_compute_list()). A big book has tens of thousands due; the list keeps them as
 * plain records (BbReminderRecords) and makes a BbReminder, with
 * its customer's code and name looked up in the book, only when an item
 * is asked for: the rows on screen, an action on one. The one it made is
 * kept, so an item is the same object each time.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>

#include "bb-reminder-list-private.h"

/* ---- The records ---------------------------------------------------------- */

BbReminderRecords *
_bb_reminder_records_new (void)
{
  BbReminderRecords *records = g_new0 (BbReminderRecords, 1);

  records->blocks = g_ptr_array_new_with_free_func (g_free);
  records->strings = g_string_chunk_new (64 * 1024);
  records->order = g_array_new (FALSE, FALSE, sizeof (guint));

  return records;
}

void
_bb_reminder_records_free (BbReminderRecords *records)
{
  if (records == NULL)
    return;

  g_ptr_array_unref (records->blocks);
  g_string_chunk_free (records->strings);
  g_array_unref (records->order);
  g_free (records);
}

/* A new record, zeroed, last in order until sorted. */
BbReminderRecord *
_bb_reminder_records_add (BbReminderRecords *records)
{
  guint number = records->len++;

  if (number % BB_REMINDER_RECORDS_BLOCK == 0)
    g_ptr_array_add (records->blocks, g_new (BbReminderRecord, BB_REMINDER_RECORDS_BLOCK));
  g_array_append_val (records->order, number);

  return memset (_bb_reminder_records_get (records, records->order->len - 1), 0, sizeof (BbReminderRecord));
}

/* ---- The heading --------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (BbReminderHeading, bb_reminder_heading, G_TYPE_OBJECT)

static void
bb_reminder_heading_class_init (BbReminderHeadingClass *klass)
{
}

static void
bb_reminder_heading_init (BbReminderHeading *self)
{
}

/* ---- The list ------------------------------------------------------------ */

#define N_GROUPS (BB_REMINDER_GROUP_LATER + 1)

struct _BbReminderList
{
  GObject             parent_instance;

  BbDb               *db;         /* for the labels; NULL in an empty list */
  GDateTime          *now;
  BbReminderRecords  *records;    /* grouped, in order */
  GPtrArray          *objects;    /* BbReminder made for each in order, or NULL */
  BbReminderHeading  *headings[N_GROUPS];
};

static void bb_reminder_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BbReminderList, bb_reminder_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bb_reminder_list_model_init))

static void
bb_reminder_list_finalize (GObject *object)
{
  BbReminderList *self = BB_REMINDER_LIST (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->records, _bb_reminder_records_free);
  g_clear_pointer (&self->objects, g_ptr_array_unref);
  for (guint g = 0; g < N_GROUPS; g++)
    g_clear_object (&self->headings[g]);

  G_OBJECT_CLASS (bb_reminder_list_parent_class)->finalize (object);
}

static void
bb_reminder_list_class_init (BbReminderListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_reminder_list_finalize;
}

static void
bb_reminder_list_init (BbReminderList *self)
{
  for (guint g = 0; g < N_GROUPS; g++)
    {
      self->headings[g] = g_object_new (BB_TYPE_REMINDER_HEADING, NULL);
      self->headings[g]->group = (BbReminderGroup) g;
    }
}

/* For the objects array, which holds NULL for the reminders not made. */
static void
unref_made (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static guint
n_records (BbReminderList *self)
{
  return self->records->order->len;
}

static const BbReminderRecord *
record_at (BbReminderList *self,
           guint           index)
{
  return _bb_reminder_records_get (self->records, index);
}

/* The position of group @group's heading; its reminders follow it. */
static guint
heading_position (BbReminderList  *self,
                  BbReminderGroup  group)
{
  guint position = 0;

  for (guint g = 0; g < (guint) group; g++)
    if (self->headings[g]->count > 0)
      position += 1 + self->headings[g]->count;

  return position;
}

/* Whether @position is a heading (its group in @group) or a reminder
 * (its record in @index). */
static gboolean
locate (BbReminderList  *self,
        guint            position,
        guint           *group,
        guint           *index)
{
  guint first = 0;

  for (guint g = 0; g < N_GROUPS; g++)
    {
      guint count = self->headings[g]->count;

      if (count == 0)
        continue;
      if (position == 0)
        {
          *group = g;
          return TRUE;
        }
      if (position <= count)
        {
          *group = g;
          *index = first + position - 1;
          return FALSE;
        }
      position -= 1 + count;
      first += count;
    }

  g_return_val_if_reached (FALSE);
}

static GType
bb_reminder_list_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
bb_reminder_list_get_n_items (GListModel *model)
{
  BbReminderList *self = BB_REMINDER_LIST (model);
  guint n = n_records (self);

  for (guint g = 0; g < N_GROUPS; g++)
    n += self->headings[g]->count > 0;

  return n;
}

static gpointer
bb_reminder_list_get_item (GListModel *model,
                           guint       position)
{
  BbReminderList *self = BB_REMINDER_LIST (model);
  guint group = 0, index = 0;

  if (position >= bb_reminder_list_get_n_items (model))
    return NULL;

  if (locate (self, position, &group, &index))
    return g_object_ref (self->headings[group]);

  return g_object_ref (bb_reminder_list_get_reminder (self, index));
}

static void
bb_reminder_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bb_reminder_list_get_item_type;
  iface->get_n_items = bb_reminder_list_get_n_items;
  iface->get_item = bb_reminder_list_get_item;
}

/**
 * _bb_reminder_list_new:
 * @db: (nullable): where the customers' labels are looked up
 * @records: (transfer full): in their order, which is their groups'
 *   order
 */
BbReminderList *
_bb_reminder_list_new (BbDb              *db,
                       GDateTime         *now,
                       BbReminderRecords *records)
{
  BbReminderList *self = g_object_new (BB_TYPE_REMINDER_LIST, NULL);

  self->db = db ? g_object_ref (db) : NULL;
  self->now = g_date_time_ref (now);
  self->records = records;
  self->objects = g_ptr_array_new_full (n_records (self), unref_made);
  g_ptr_array_set_size (self->objects, n_records (self));
  for (guint i = 0; i < n_records (self); i++)
    {
      const BbReminderRecord *record = record_at (self, i);

      g_assert (i == 0 || record->group >= record_at (self, i - 1)->group);
      self->headings[record->group]->count++;
    }

  return self;
}

/**
 * bb_reminder_list_new:
 *
 * Returns: (transfer full): a list with no reminders, for no book
 */
BbReminderList *
bb_reminder_list_new (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return _bb_reminder_list_new (NULL, now, _bb_reminder_records_new ());
}

/**
 * bb_reminder_list_get_now:
 *
 * Returns: (transfer none): the time the reminders were computed for,
 *   which their groups are counted from
 */
GDateTime *
bb_reminder_list_get_now (BbReminderList *self)
{
  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), NULL);

  return self->now;
}

guint
bb_reminder_list_get_n_reminders (BbReminderList *self)
{
  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), 0);

  return n_records (self);
}

/* How many reminders are under @group's heading. */
guint
bb_reminder_list_get_count (BbReminderList  *self,
                            BbReminderGroup  group)
{
  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), 0);
  g_return_val_if_fail ((guint) group < N_GROUPS, 0);

  return self->headings[group]->count;
}

/**
 * bb_reminder_list_get_reminder:
 * @index: of the reminders alone, headings not counted
 *
 * Makes the reminder if it was not made yet, with its customer's code
 * and name (empty if the book could not be read: a warning says why).
 *
 * Returns: (transfer none): the reminder
 */
BbReminder *
bb_reminder_list_get_reminder (BbReminderList *self,
                               guint           index)
{
  BbReminder *r;

  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), NULL);
  g_return_val_if_fail (index < n_records (self), NULL);

  r = g_ptr_array_index (self->objects, index);
  if (r == NULL)
    {
      g_autoptr(GError) error = NULL;

      r = _bb_reminder_new_from_record (record_at (self, index));
      if (r->customer_code == NULL &&
          (self->db == NULL || !bb_reminder_load_labels (r, self->db, &error)))
        {
          if (error != NULL)
            g_warning ("Could not read the customer of reminder %s: %s", r->key, error->message);
          r->customer_code = r->customer_name = "";
        }
      self->objects->pdata[index] = r;
    }

  return r;
}

/* The index of the record @key names ("kind:subject_id:stage"), or -1. */
static int
find_index (BbReminderList *self,
            const char     *key)
{
  g_auto(GStrv) parts = g_strsplit (key, ":", 3);
  BbReminderKind kind;
  gint64 subject_id;
  char *end;

  if (g_strv_length (parts) != 3 || !bb_reminder_kind_from_string (parts[0], &kind))
    return -1;
  subject_id = g_ascii_strtoll (parts[1], &end, 10);
  if (*parts[1] == '\0' || *end != '\0')
    return -1;

  for (guint i = 0; i < n_records (self); i++)
    {
      const BbReminderRecord *record = record_at (self, i);
      char date[11];

      if (record->kind == kind && record->subject_id == subject_id &&
          strcmp (_bb_reminder_record_stage (record, date), parts[2]) == 0)
        return (int) i;
    }

  return -1;
}

/**
 * bb_reminder_list_find:
 * @key: a reminder's key
 *
 * Returns: (transfer none) (nullable): the reminder in the list with
 *   @key, made as bb_reminder_list_get_reminder() makes it
 */
BbReminder *
bb_reminder_list_find (BbReminderList *self,
                       const char     *key)
{
  int index;

  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  index = find_index (self, key);
  return index < 0 ? NULL : bb_reminder_list_get_reminder (self, (guint) index);
}

/**
 * bb_reminder_list_remove:
 * @key: a reminder's key
 *
 * Takes the reminder off the list, and its heading with it if it was
 * the group's last; the heading that stays shows one fewer.
 *
 * Returns: whether the list had it
 */
gboolean
bb_reminder_list_remove (BbReminderList *self,
                         const char     *key)
{
  BbReminderGroup group;
  guint heading, position, first;
  int index;

  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  index = find_index (self, key);
  if (index < 0)
    return FALSE;

  group = record_at (self, (guint) index)->group;
  heading = heading_position (self, group);
  first = 0;
  for (guint g = 0; g < (guint) group; g++)
    first += self->headings[g]->count;
  position = heading + 1 + ((guint) index - first);

  g_array_remove_index (self->records->order, (guint) index);
  g_ptr_array_remove_index (self->objects, (guint) index);
  self->headings[group]->count--;

  if (self->headings[group]->count == 0)
    g_list_model_items_changed (G_LIST_MODEL (self), heading, 2, 0);
  else
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      /* The heading shows its count: the view binds it again. */
      g_list_model_items_changed (G_LIST_MODEL (self), heading, 1, 1);
    }

  return TRUE;
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/**
 * bb_reminder_list_shows_same:
 * @other: a list computed since
 *
 * Whether @other shows as @self does: on the same day, the same
 * reminders in the same groups, with the same subjects, amounts, stages
 * and fees, and for the reminders @self has made, the same customers'
 * names. A page can then keep @self and the rows built for it.
 */
gboolean
bb_reminder_list_shows_same (BbReminderList *self,
                             BbReminderList *other)
{
  g_return_val_if_fail (BB_IS_REMINDER_LIST (self), FALSE);
  g_return_val_if_fail (BB_IS_REMINDER_LIST (other), FALSE);

  if (!same_day (self->now, other->now) || n_records (self) != n_records (other))
    return FALSE;

  for (guint i = 0; i < n_records (self); i++)
    {
      const BbReminderRecord *a = record_at (self, i), *b = record_at (other, i);
      BbReminder *shown = g_ptr_array_index (self->objects, i);
      char a_date[11], b_date[11];

      if (a->day != b->day || a->kind != b->kind || a->subject_id != b->subject_id || a->group != b->group ||
          a->state != b->state || a->has_amount != b->has_amount || a->amount != b->amount ||
          a->fee_drafted != b->fee_drafted || a->fee_kind != b->fee_kind || a->fee != b->fee ||
          a->wording != b->wording || a->step_days != b->step_days || a->customer_id != b->customer_id ||
          strcmp (_bb_reminder_record_stage (a, a_date), _bb_reminder_record_stage (b, b_date)) != 0 ||
          strcmp (a->subject, b->subject) != 0)
        return FALSE;

      /* A customer renamed: only the reminders made have their names. */
      if (shown != NULL)
        {
          BbReminder *fresh = bb_reminder_list_get_reminder (other, i);

          if (g_strcmp0 (shown->customer_code, fresh->customer_code) != 0 ||
              g_strcmp0 (shown->customer_name, fresh->customer_name) != 0)
            return FALSE;
        }
    }

  return TRUE;
}
