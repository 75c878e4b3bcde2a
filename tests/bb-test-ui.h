/* bb-test-ui.h — helpers the window tests share
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-application.h"
#include "bb-window.h"

G_BEGIN_DECLS

typedef struct
{
  char          *dir;
  char          *path;
  BbApplication *app;
  BbWindow      *window;
} BbTestApp;

gboolean   bb_test_ui_init               (void);
BbTestApp *bb_test_app_new               (void);
BbTestApp *bb_test_app_new_for_path      (const char *path);
void       bb_test_app_free              (BbTestApp  *t);
void       bb_test_iterate               (void);
gboolean   bb_test_wait_for              (gboolean  (*condition) (gpointer),
                                          gpointer    data,
                                          guint       timeout_ms);
GtkWidget *bb_test_find_widget           (GtkWidget  *root,
                                          GType       type);
GtkWidget *bb_test_find_widget_by_title  (GtkWidget  *root,
                                          const char *title);
const char *bb_test_get_tooltip          (GtkWidget  *widget);
GtkWidget *bb_test_find_widget_by_tooltip (GtkWidget  *root,
                                          const char *tooltip);
GtkWidget *bb_test_find_button           (GtkWidget  *root,
                                          const char *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbTestApp, bb_test_app_free)

G_END_DECLS
