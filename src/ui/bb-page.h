/* bb-page.h — what the five pages of the window have in common
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PAGE (bb_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (BbPage, bb_page, BB, PAGE, AdwBin)

struct _BbPageClass
{
  AdwBinClass parent_class;

  /* Called when the page is given its book (or loses it). */
  void (*database_changed) (BbPage *self);
};

BbDb *bb_page_get_database (BbPage *self);
void  bb_page_set_database (BbPage *self,
                            BbDb   *db);

G_END_DECLS
