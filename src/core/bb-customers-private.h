/* bb-customers-private.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-customers.h"

G_BEGIN_DECLS

char     *_bb_customer_build_search_text  (const char *code,
                                           const char *name,
                                           const char *company,
                                           const char *phone,
                                           const char *email,
                                           const char *tags);
char     *_bb_customers_next_code         (BbDb       *db,
                                           GError    **error);
gboolean  _bb_customers_refresh_summary   (BbDb       *db,
                                           gint64      id,
                                           GError    **error);

G_END_DECLS
