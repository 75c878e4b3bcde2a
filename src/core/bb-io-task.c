/* bb-io-task.c — imports and exports in a thread, for every kind
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-io-task-private.h"

/* ---- Progress relay -------------------------------------------------- */

struct _BbProgressRelay
{
  gatomicrefcount   ref;
  GMutex            lock;
  BbImportProgress  func;
  gpointer          data;
  GMainContext     *context;
  char             *name;
  guint             done;
  guint             total;
  gboolean          pending;
  gboolean          finished;
};

BbProgressRelay *
_bb_progress_relay_new (BbImportProgress  func,
                        gpointer          data,
                        GMainContext     *context,
                        const char       *name)
{
  BbProgressRelay *relay = g_new0 (BbProgressRelay, 1);

  g_atomic_ref_count_init (&relay->ref);
  g_mutex_init (&relay->lock);
  relay->func = func;
  relay->data = data;
  relay->context = g_main_context_ref (context);
  relay->name = g_strdup (name);

  return relay;
}

BbProgressRelay *
_bb_progress_relay_ref (BbProgressRelay *relay)
{
  g_atomic_ref_count_inc (&relay->ref);
  return relay;
}

void
_bb_progress_relay_unref (BbProgressRelay *relay)
{
  if (!g_atomic_ref_count_dec (&relay->ref))
    return;

  g_mutex_clear (&relay->lock);
  g_main_context_unref (relay->context);
  g_free (relay->name);
  g_free (relay);
}

static gboolean
progress_relay_dispatch (gpointer user_data)
{
  BbProgressRelay *relay = user_data;
  gboolean finished;
  guint done, total;

  g_mutex_lock (&relay->lock);
  relay->pending = FALSE;
  finished = relay->finished;
  done = relay->done;
  total = relay->total;
  g_mutex_unlock (&relay->lock);

  if (!finished)
    relay->func (done, total, relay->data);

  return G_SOURCE_REMOVE;
}

void
_bb_progress_relay_report (guint    done,
                           guint    total,
                           gpointer user_data)
{
  BbProgressRelay *relay = user_data;

  g_mutex_lock (&relay->lock);
  relay->done = done;
  relay->total = total;
  if (!relay->pending && !relay->finished)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      relay->pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_relay_dispatch,
                             _bb_progress_relay_ref (relay),
                             (GDestroyNotify) _bb_progress_relay_unref);
      g_source_set_name (source, relay->name);
      g_source_attach (source, relay->context);
    }
  g_mutex_unlock (&relay->lock);
}

void
_bb_progress_relay_finish (BbProgressRelay *relay)
{
  g_mutex_lock (&relay->lock);
  relay->finished = TRUE;
  g_mutex_unlock (&relay->lock);
}

/* ---- Import ------------------------------------------------------------ */

typedef struct
{
  BbImportFunc      func;
  char             *path;
  GBytes           *data;
  gboolean          dry_run;
  BbProgressRelay  *relay;
  BbImportReport   *report;     /* set by the thread */
} ImportTaskData;

static void
import_task_data_free (ImportTaskData *td)
{
  g_free (td->path);
  g_bytes_unref (td->data);
  g_clear_pointer (&td->relay, _bb_progress_relay_unref);
  g_clear_pointer (&td->report, bb_import_report_free);
  g_free (td);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!td->func (db, td->data, td->dry_run,
                 td->relay ? _bb_progress_relay_report : NULL, td->relay,
                 cancellable, &td->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_bb_import_async (BbDb                *db,
                  BbImportFunc         func,
                  gpointer             source_tag,
                  const char          *name,
                  GBytes              *data,
                  gboolean             dry_run,
                  BbImportProgress     progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *progress_name = g_strdup_printf ("%s progress", name);
  ImportTaskData *td;

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  /* A finished import stays reported as imported even when Cancel was
   * pressed a moment too late. */
  g_task_set_check_cancellable (task, FALSE);

  td = g_new0 (ImportTaskData, 1);
  td->func = func;
  td->path = g_strdup (bb_db_get_path (db));
  td->data = g_bytes_ref (data);
  td->dry_run = dry_run;
  if (progress != NULL)
    td->relay = _bb_progress_relay_new (progress, progress_data, g_task_get_context (task), progress_name);
  g_task_set_task_data (task, td, (GDestroyNotify) import_task_data_free);

  g_task_run_in_thread (task, import_thread);
}

gboolean
_bb_import_finish (BbDb                *db,
                   GAsyncResult        *result,
                   gpointer             source_tag,
                   const char * const  *changed,
                   BbImportReport     **report,
                   GError             **error)
{
  ImportTaskData *td;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  td = g_task_get_task_data (G_TASK (result));
  if (td->relay != NULL)
    _bb_progress_relay_finish (td->relay);

  ok = g_task_propagate_boolean (G_TASK (result), error);

  if (ok && td->report != NULL && td->report->n_imported > 0)
    for (guint i = 0; changed[i] != NULL; i++)
      bb_db_emit_changed (db, changed[i], 0);

  if (report != NULL)
    {
      *report = g_steal_pointer (&td->report);
      if (*report == NULL)
        *report = bb_import_report_new ();
    }

  return ok;
}

/* ---- Export ------------------------------------------------------------ */

/* Closes @stream so that the file it replaces is left as it was. */
static void
abandon_stream (GOutputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  g_output_stream_close (stream, cancelled, NULL);
}

/* @func's CSV into @file, which only its owner may read (mode 0600: it
 * holds personal data or money). On failure or cancellation an existing
 * @file is left as it was, and a new one is not left behind. */
gboolean
_bb_export_to_file (BbDb          *db,
                    BbExportFunc   func,
                    GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  gboolean existed;

  existed = g_file_query_exists (file, NULL);
  stream = g_file_replace (file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return FALSE;

  if (!func (db, G_OUTPUT_STREAM (stream), cancellable, error))
    {
      abandon_stream (G_OUTPUT_STREAM (stream));
      if (!existed)
        g_file_delete (file, NULL, NULL);
      return FALSE;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error))
    {
      if (!existed)
        g_file_delete (file, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  BbExportFunc  func;
  char         *path;
  GFile        *file;
} ExportTaskData;

static void
export_task_data_free (ExportTaskData *td)
{
  g_free (td->path);
  g_object_unref (td->file);
  g_free (td);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL || !_bb_export_to_file (db, td->func, td->file, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_bb_export_async (BbDb                *db,
                  BbExportFunc         func,
                  gpointer             source_tag,
                  const char          *name,
                  GFile               *file,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportTaskData *td;

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  g_task_set_check_cancellable (task, FALSE);
  td = g_new0 (ExportTaskData, 1);
  td->func = func;
  td->path = g_strdup (bb_db_get_path (db));
  td->file = g_file_dup (file);
  g_task_set_task_data (task, td, (GDestroyNotify) export_task_data_free);

  g_task_run_in_thread (task, export_thread);
}

gboolean
_bb_export_finish (BbDb          *db,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
