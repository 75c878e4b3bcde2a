/* bb-reminders-page.c
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-reminders-page.h"

struct _BbRemindersPage
{
  BbPage parent_instance;
};

G_DEFINE_FINAL_TYPE (BbRemindersPage, bb_reminders_page, BB_TYPE_PAGE)

static void
bb_reminders_page_class_init (BbRemindersPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-reminders-page.ui");
}

static void
bb_reminders_page_init (BbRemindersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
