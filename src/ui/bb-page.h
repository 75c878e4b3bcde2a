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

  /* Called when the page is given its book (or loses it); for a page
   * given it while hidden, when it is first shown (bb_page_load()). */
  void     (*database_changed) (BbPage *self);

  /* Reads its book at once even while hidden (a badge to keep). */
  gboolean   load_when_hidden;
};

BbDb *bb_page_get_database (BbPage *self);
void  bb_page_set_database (BbPage *self,
                            BbDb   *db);
void  bb_page_load         (BbPage *self);

G_END_DECLS
