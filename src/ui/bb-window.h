/* bb-window.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-application.h"
#include "bb-db.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

#define BB_TYPE_WINDOW (bb_window_get_type ())
G_DECLARE_FINAL_TYPE (BbWindow, bb_window, BB, WINDOW, AdwApplicationWindow)

BbWindow   *bb_window_new            (BbApplication *application,
                                      BbDb          *db);
BbDb       *bb_window_get_database   (BbWindow      *self);
const char *bb_window_get_page       (BbWindow      *self);
void        bb_window_show_toast     (BbWindow      *self,
                                      const char    *text);

void        bb_window_show_page              (BbWindow       *self,
                                              const char     *name);
void        bb_window_show_customer          (BbWindow       *self,
                                              gint64          customer_id);
void        bb_window_show_bill              (BbWindow       *self,
                                              gint64          invoice_id);
void        bb_window_show_prepaid_account   (BbWindow       *self,
                                              gint64          account_id);
void        bb_window_show_reminder_subject  (BbWindow       *self,
                                              BbReminderKind  kind,
                                              gint64          subject_id,
                                              gint64          customer_id);

G_END_DECLS
