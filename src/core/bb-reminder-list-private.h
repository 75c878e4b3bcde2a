/* bb-reminder-list-private.h — the computed reminders as plain records
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-reminder-list.h"

G_BEGIN_DECLS

/* One computed reminder: what BbReminder holds. A big book has tens of
 * thousands; a BbReminder is made only for those shown. */
typedef struct
{
  gint64           day;          /* due_on, as days since 1970-01-01 */
  gint64           subject_id;
  gint64           customer_id;
  BbMoney          amount;
  gint64           fee;
  const char      *stage;        /* in BbReminderRecords.strings; NULL: due_on */
  const char      *subject;
  const char      *code;         /* NULL: looked up when the reminder is made */
  const char      *name;
  int              step_days;
  guint8           kind;         /* BbReminderKind */
  guint8           state;        /* BbReminderState */
  guint8           wording;      /* BbReminderWording */
  guint8           fee_kind;     /* BbLateFeeKind */
  guint8           group;        /* BbReminderGroup, on the day computed */
  guint8           has_amount;
  guint8           fee_drafted;
} BbReminderRecord;

/* Records by the thousand and their strings in chunks: adding one never
 * moves the others, so tens of thousands are written once. */
#define BB_REMINDER_RECORDS_BLOCK 1024

typedef struct
{
  GPtrArray    *blocks;          /* BbReminderRecord[BB_REMINDER_RECORDS_BLOCK] */
  guint         len;
  GStringChunk *strings;
  GArray       *order;           /* guint: the records' numbers, in the reminders' order */
} BbReminderRecords;

BbReminderRecords *_bb_reminder_records_new     (void);
void               _bb_reminder_records_free    (BbReminderRecords      *records);
BbReminderRecord  *_bb_reminder_records_add     (BbReminderRecords      *records);

/* The record numbered @number, in the order added. */
static inline BbReminderRecord *
_bb_reminder_records_numbered (BbReminderRecords *records,
                               guint              number)
{
  return (BbReminderRecord *) g_ptr_array_index (records->blocks, number / BB_REMINDER_RECORDS_BLOCK) +
         number % BB_REMINDER_RECORDS_BLOCK;
}

/* The @index-th reminder in order. */
static inline BbReminderRecord *
_bb_reminder_records_get (BbReminderRecords *records,
                          guint              index)
{
  return _bb_reminder_records_numbered (records, g_array_index (records->order, guint, index));
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReminderRecords, _bb_reminder_records_free)

BbReminder     *_bb_reminder_new_from_record (const BbReminderRecord *record);
const char     *_bb_reminder_record_stage    (const BbReminderRecord *record,
                                              char                    date[11]);

BbReminderList *_bb_reminder_list_new        (BbDb                   *db,
                                              GDateTime              *now,
                                              BbReminderRecords      *records);

G_END_DECLS
