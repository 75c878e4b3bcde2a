/* bb-dunning-pdf.h — a dunning letter: a customer's overdue bills on paper
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for "Dunning Letter…" on the Reminders page and
 * `billbook-cli remind letter`.
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-invoice-pdf.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

/* A new pay-by date this many days after the letter's date. */
#define BB_DUNNING_PAY_BY_DAYS 14

typedef struct
{
  BbPaperSize        paper;
  int                pay_by_days;   /* > 0 */
  gboolean           auto_wording;  /* TRUE: the stage the bills reached */
  BbReminderWording  wording;       /* when not auto_wording */
} BbDunningOptions;

void      bb_dunning_options_from_settings (BbDb                    *db,
                                            BbDunningOptions        *options);

gboolean  bb_dunning_pdf_write             (BbDb                    *db,
                                            gint64                   customer_id,
                                            GDateTime               *now,
                                            const BbDunningOptions  *options,
                                            const char              *path,
                                            GError                 **error);
void      bb_dunning_pdf_write_async       (BbDb                    *db,
                                            gint64                   customer_id,
                                            GDateTime               *now,
                                            const BbDunningOptions  *options,
                                            GFile                   *file,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
gboolean  bb_dunning_pdf_write_finish      (BbDb                    *db,
                                            GAsyncResult            *result,
                                            GError                 **error);

G_END_DECLS
