/* bb-io-task-private.h — imports and exports in a thread, for every kind
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customers, bills, payments and prepaid cards are imported and exported
 * alike: in a thread with a connection of its own, progress carried back
 * to the caller's main context, an export file replaced whole or not at
 * all. The kinds differ only in the function that reads or writes.
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer-io.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* Progress from a worker thread to a main context: at most one pending
 * call at a time (later numbers replace earlier ones), none after
 * _bb_progress_relay_finish(). */
typedef struct _BbProgressRelay BbProgressRelay;

BbProgressRelay *_bb_progress_relay_new    (BbImportProgress  func,
                                            gpointer          data,
                                            GMainContext     *context,
                                            const char       *name);
BbProgressRelay *_bb_progress_relay_ref    (BbProgressRelay  *relay);
void             _bb_progress_relay_unref  (BbProgressRelay  *relay);
/* A BbImportProgress: call it from the worker with the relay as data */
void             _bb_progress_relay_report (guint             done,
                                            guint             total,
                                            gpointer          relay);
void             _bb_progress_relay_finish (BbProgressRelay  *relay);

/* What bb_*_import_csv() and bb_*_export_csv() are */
typedef gboolean (*BbImportFunc) (BbDb              *db,
                                  GBytes            *data,
                                  gboolean           dry_run,
                                  BbImportProgress   progress,
                                  gpointer           progress_data,
                                  GCancellable      *cancellable,
                                  BbImportReport   **report,
                                  GError           **error);
typedef gboolean (*BbExportFunc) (BbDb              *db,
                                  GOutputStream     *out,
                                  GCancellable      *cancellable,
                                  GError           **error);

/* @source_tag: the public _async function, checked by _finish; @name: the
 * task's name */
void      _bb_import_async       (BbDb                 *db,
                                  BbImportFunc          func,
                                  gpointer              source_tag,
                                  const char           *name,
                                  GBytes               *data,
                                  gboolean              dry_run,
                                  BbImportProgress      progress,
                                  gpointer              progress_data,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
/* @changed: NULL-terminated tables announced on @db after a committed
 * import */
gboolean  _bb_import_finish      (BbDb                 *db,
                                  GAsyncResult         *result,
                                  gpointer              source_tag,
                                  const char * const   *changed,
                                  BbImportReport      **report,
                                  GError              **error);

gboolean  _bb_export_to_file     (BbDb                 *db,
                                  BbExportFunc          func,
                                  GFile                *file,
                                  GCancellable         *cancellable,
                                  GError              **error);
void      _bb_export_async       (BbDb                 *db,
                                  BbExportFunc          func,
                                  gpointer              source_tag,
                                  const char           *name,
                                  GFile                *file,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean  _bb_export_finish      (BbDb                 *db,
                                  GAsyncResult         *result,
                                  gpointer              source_tag,
                                  GError              **error);

G_END_DECLS
