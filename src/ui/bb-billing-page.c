/* bb-billing-page.c
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-billing-page.h"

struct _BbBillingPage
{
  BbPage parent_instance;
};

G_DEFINE_FINAL_TYPE (BbBillingPage, bb_billing_page, BB_TYPE_PAGE)

static void
bb_billing_page_class_init (BbBillingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-billing-page.ui");
}

static void
bb_billing_page_init (BbBillingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
