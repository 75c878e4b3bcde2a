/* bb-application.c — the single-instance application object
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-application.h"
#include "bb-audit-window.h"
#include "bb-backup.h"
#include "bb-customers.h"
#include "bb-ical.h"
#include "bb-notifier.h"
#include "bb-prepaid.h"
#include "bb-recurring.h"
#include "bb-recurring-window.h"
#include "bb-statement-window.h"
#include "bb-text.h"
#include "bb-ui-util.h"
#include "bb-preferences-window.h"
#include "bb-window.h"

struct _BbApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BbDb           *db;
  char           *database_path;

  /* Reminders as notifications (bb-notifier.c), while the app runs. */
  BbNotifier     *notifier;
  guint           tick_id;
  gint64          last_check;       /* monotonic µs */
  gint64          last_tick_real;   /* wall clock µs, to see a suspend or a clock jump */
  gint64          last_tick_mono;
  char           *last_check_day;
  gboolean        notify_failed;
  char           *activation_token; /* of the notification whose Open was chosen */
  GDBusConnection *system_bus;
  guint           sleep_watch_id;
  GCancellable   *cancellable;

  GtkWindow      *updating_window;      /* while an old book is brought up to date */
  gboolean        updating;

  gboolean        start_in_background;  /* --background: the first activation opens no window */
  gboolean        background;           /* started with --background */
  gboolean        held;                 /* kept running without a window */
};

G_DEFINE_FINAL_TYPE (BbApplication, bb_application, ADW_TYPE_APPLICATION)

BbApplication *
bb_application_new (void)
{
  return g_object_new (BB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/billbook/Billbook",
                       NULL);
}

BbDb *
bb_application_get_database (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);

  return self->db;
}

GSettings *
bb_application_get_settings (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);

  return self->settings;
}

static int
bb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  BbApplication *self = BB_APPLICATION (app);
  g_autofree char *database = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("billbook %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "background"))
    {
      g_variant_dict_remove (options, "background");
      self->start_in_background = TRUE;
      self->background = TRUE;
    }

  if (g_variant_dict_lookup (options, "database", "^ay", &database))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (database);

      /* Another book is another process: the default book stays single
       * instance, and two books never share one window. */
      self->database_path = g_file_get_path (file);
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  if (self->background)
    {
      g_autoptr(GError) error = NULL;

      /* Already running on this book: that instance sends the reminders,
       * and a login must not open its window. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("billbook: %s\n", error->message);
          return 1;
        }
      if (g_application_get_is_remote (app))
        return 0;
    }

  return G_APPLICATION_CLASS (bb_application_parent_class)->handle_local_options (app, options);
}

/* Backups of a book live beside it, in backups/ (for the default book:
 * $XDG_DATA_HOME/billbook/backups). */
static char *
backup_dir_for (const char *book)
{
  g_autofree char *dir = g_path_get_dirname (book);

  return g_build_filename (dir, "backups", NULL);
}

static void bb_application_activate (GApplication *app);

/* ---- Reminders as notifications --------------------------------------
 *
 * While the app runs — with its window, or without one when started with
 * --background or kept running by the run-in-background preference — it
 * checks the book at start, every CHECK_INTERVAL_S, when the day changes,
 * and after a resume from suspend (logind's PrepareForSleep(false) on the
 * system bus, when there is one; a wall clock that jumped ahead of the
 * monotonic clock, which stands still in suspend, otherwise). The
 * notifier sends only what was not notified yet, so a machine that was
 * off gets one notification per reminder that came due meanwhile.
 */

#define CHECK_INTERVAL_S (5 * 60)
#define TICK_S 30
#define CLOCK_JUMP_US (90 * G_USEC_PER_SEC)

static void
check_reminders (BbApplication *self,
                 const char    *why)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (self->notifier == NULL || self->db == NULL)
    return;

  now = g_date_time_new_now_local ();
  self->last_check = g_get_monotonic_time ();
  g_free (self->last_check_day);
  self->last_check_day = g_date_time_format (now, "%Y-%m-%d");

  if (!bb_notifier_check (self->notifier, now, &n, &error))
    {
      /* Said once, not every few minutes while no server is there. */
      if (!self->notify_failed)
        g_message ("Sending reminders failed: %s", error->message);
      self->notify_failed = TRUE;
    }
  else
    self->notify_failed = FALSE;

  g_debug ("Reminders checked (%s): %u notified", why, n);
}

static gboolean
on_reminders_tick (gpointer user_data)
{
  BbApplication *self = user_data;
  gint64 real = g_get_real_time ();
  gint64 mono = g_get_monotonic_time ();
  gint64 jump = (real - self->last_tick_real) - (mono - self->last_tick_mono);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  self->last_tick_real = real;
  self->last_tick_mono = mono;

  if (ABS (jump) > CLOCK_JUMP_US)
    check_reminders (self, "resume or clock change");
  else if (g_strcmp0 (today, self->last_check_day) != 0)
    check_reminders (self, "new day");
  else if (mono - self->last_check >= CHECK_INTERVAL_S * G_USEC_PER_SEC)
    check_reminders (self, "interval");

  return G_SOURCE_CONTINUE;
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean sleeping;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &sleeping);
  if (!sleeping)
    check_reminders (user_data, "resume");
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  BbApplication *self;

  if (bus == NULL)
    {
      /* No system bus (a container, a test): the clock watch is enough. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, so no resume signal: %s", error->message);
      return;
    }

  self = user_data;
  self->system_bus = bus;
  self->sleep_watch_id = g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                                             "org.freedesktop.login1.Manager",
                                                             "PrepareForSleep",
                                                             "/org/freedesktop/login1",
                                                             NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                             on_prepare_for_sleep, self, NULL);
}

static void
on_open_subject (BbNotifier    *notifier,
                 int            kind,
                 gint64         subject_id,
                 gint64         customer_id,
                 const char    *token,
                 BbApplication *self)
{
  g_free (self->activation_token);
  self->activation_token = g_strdup (token);
  g_action_group_activate_action (G_ACTION_GROUP (self), "show-reminder",
                                  g_variant_new ("(ixx)", kind, subject_id, customer_id));
}

static void
on_open_reminders (BbNotifier    *notifier,
                   const char    *token,
                   BbApplication *self)
{
  g_free (self->activation_token);
  self->activation_token = g_strdup (token);
  g_action_group_activate_action (G_ACTION_GROUP (self), "show-reminders", NULL);
}

static void
start_reminders (BbApplication *self)
{
  if (self->notifier != NULL || self->db == NULL)
    return;

  self->notifier = bb_notifier_new (self->db, BB_NOTIFIER_ACTIONS);
  g_signal_connect_object (self->notifier, "open-subject", G_CALLBACK (on_open_subject), self, 0);
  g_signal_connect_object (self->notifier, "open-reminders", G_CALLBACK (on_open_reminders), self, 0);

  /* The first check is at the end of the start check (start_check_done()). */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    self->last_check_day = g_date_time_format (now, "%Y-%m-%d");
  }
  self->last_check = g_get_monotonic_time ();
  self->last_tick_real = g_get_real_time ();
  self->last_tick_mono = self->last_check;
  self->tick_id = g_timeout_add_seconds (TICK_S, on_reminders_tick, self);

  self->cancellable = g_cancellable_new ();
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, self);
}

/* Without a window the app keeps running only in the background: when
 * started so, or when the owner chose it in Preferences. */
static void
update_hold (BbApplication *self)
{
  gboolean keep = self->background || g_settings_get_boolean (self->settings, "run-in-background");

  if (keep && !self->held)
    g_application_hold (G_APPLICATION (self));
  else if (!keep && self->held)
    g_application_release (G_APPLICATION (self));
  self->held = keep;
}

static void
on_open_error_response (AdwMessageDialog *dialog,
                        const char       *response,
                        BbApplication    *self)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "backup");
  const char *book = g_object_get_data (G_OBJECT (dialog), "book");

  if (g_strcmp0 (response, "restore") == 0 && backup && book)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *kept = g_strdup_printf ("%s.damaged-%s", book, stamp);
      g_autoptr(GFile) from = g_file_new_for_path (backup);
      g_autoptr(GFile) to = g_file_new_for_path (book);

      /* The damaged book is kept under another name, never deleted. */
      if (g_rename (book, kept) != 0 ||
          !g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        {
          g_warning ("Restoring %s failed: %s", backup, error ? error->message : g_strerror (errno));
        }
      else
        {
          g_autofree char *wal = g_strconcat (book, "-wal", NULL);
          g_autofree char *shm = g_strconcat (book, "-shm", NULL);
          g_autofree char *kept_wal = g_strconcat (kept, "-wal", NULL);

          g_rename (wal, kept_wal);
          g_unlink (shm);
          g_chmod (book, 0600);
          g_application_activate (G_APPLICATION (self));
        }
    }
}

static void
show_open_error (BbApplication *self,
                 const char    *book,
                 const GError  *error)
{
  AdwMessageDialog *dialog;
  g_autofree char *dir = backup_dir_for (book);
  g_autofree char *backup = NULL;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL,
                                                       g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_CORRUPT) ?
                                                       _("The Book Is Damaged") :
                                                       _("The Book Could Not Be Opened"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Quit"));

  /* A damaged book can be replaced by its newest good backup, if the
   * owner says so; a book from a newer Billbook is never touched. */
  if (!g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_TOO_NEW) &&
      !g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_BUSY) &&
      (backup = bb_backup_find_newest_good (dir, book)) != NULL)
    {
      g_autofree char *name = g_path_get_basename (backup);
      g_autofree char *body = g_strdup_printf (_("%s\n\nThe newest good backup is “%s”. Restore it? The damaged book is kept beside it under another name."),
                                               error->message, name);

      adw_message_dialog_set_body (dialog, body);
      adw_message_dialog_add_response (dialog, "restore", _("_Restore Backup"));
      adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
      g_object_set_data_full (G_OBJECT (dialog), "backup", g_steal_pointer (&backup), g_free);
      g_object_set_data_full (G_OBJECT (dialog), "book", g_strdup (book), g_free);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (on_open_error_response), self);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* At start, in a thread with its own connection so a big book never
 * holds up the window: the book's check, then (at most once a day) the
 * automatic backup. A damaged book is never backed up: its copy would
 * push good backups out of the rotation. So the whole check (integrity
 * and foreign keys, half a minute of a core on a million bills) runs
 * when the day's copy is to be made, and SQLite's quick check, which
 * sees what a disk error does, at the other starts. Returns what is
 * wrong, or NULL. */
static void
start_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *book = task_data;
  g_autofree char *dir = backup_dir_for (book);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (book, &error);
  g_autoptr(GPtrArray) problems = NULL;
  guint n_changed = 0, n_bills = 0, n_expired = 0;
  gboolean backup = !g_getenv ("BILLBOOK_NO_AUTOMATIC_BACKUP");
  gboolean full;
  GDate today;

  if (db == NULL)
    {
      g_message ("Checking %s failed: %s", book, error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  bb_date_set_today (&today);
  full = backup && bb_backup_automatic_is_due (db, dir, &today);
  g_debug ("Checking %s: %s", book, full ? "the whole book, before its copy of the day" : "quickly");
  if (!(full ? bb_db_check (db, &problems, &error) : bb_db_check_quick (db, &problems, &error)))
    {
      /* What SQLite said when the check itself broke off names the
       * book; a finding of the check gets the book's name put first. */
      char *message = error != NULL ? g_strdup (error->message)
                                    : g_strdup_printf (_("The book “%s” is damaged: %s"), book,
                                                       problems && problems->len > 0 ?
                                                       (const char *) g_ptr_array_index (problems, 0) : "?");

      g_task_return_pointer (task, message, g_free);
      return;
    }

  if (backup && !bb_backup_automatic (db, dir, &today, NULL, &error))
    g_message ("Automatic backup of %s failed: %s", book, error->message);
  g_clear_error (&error);

  /* What the days since the last start changed: bills now overdue make
   * their customers C. The window's list hears of it when this is done. */
  if (!bb_customers_refresh_classes (db, &today, &n_changed, &error))
    g_message ("Updating the classes of %s failed: %s", book, error->message);
  g_object_set_data (G_OBJECT (task), "classes-changed", GUINT_TO_POINTER (n_changed));
  g_clear_error (&error);

  /* Due recurring charges become drafts (never twice), and prepaid money
   * past its day is written off (once), also after days switched off. */
  if (!bb_recurring_run (db, &today, &n_bills, &error))
    g_message ("Billing recurring charges of %s failed: %s", book, error->message);
  g_object_set_data (G_OBJECT (task), "recurring-bills", GUINT_TO_POINTER (n_bills));
  g_clear_error (&error);
  if (!bb_prepaid_expire (db, &today, &n_expired, &error))
    g_message ("Expiring prepaid money of %s failed: %s", book, error->message);
  g_object_set_data (G_OBJECT (task), "prepaid-expired", GUINT_TO_POINTER (n_expired));

  g_task_return_pointer (task, NULL, NULL);
}

/* The book turned out damaged after its window opened: the window goes,
 * and the same dialog as for a book that does not open offers the newest
 * good backup. Nothing is replaced without asking. */
static void
start_check_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BbApplication *self = BB_APPLICATION (source);
  g_autofree char *problem = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *book = NULL;
  GList *windows;

  if (self->db == NULL)
    return;

  if (problem == NULL)
    {
      /* What the thread wrote on its own connection, told to this one */
      if (g_object_get_data (G_OBJECT (result), "classes-changed") != NULL)
        bb_db_emit_changed (self->db, "customers", 0);
      if (g_object_get_data (G_OBJECT (result), "recurring-bills") != NULL)
        {
          bb_db_emit_changed (self->db, "invoices", 0);
          bb_db_emit_changed (self->db, "recurring_charges", 0);
        }
      if (g_object_get_data (G_OBJECT (result), "prepaid-expired") != NULL)
        {
          bb_db_emit_changed (self->db, "prepaid_accounts", 0);
          bb_db_emit_changed (self->db, "customers", 0);
        }
      /* After the recurring charges were billed, so none is notified
       * for a moment. */
      check_reminders (self, "start");
      return;
    }

  book = g_strdup (bb_db_get_path (self->db));
  g_set_error_literal (&error, BB_DB_ERROR, BB_DB_ERROR_CORRUPT, problem);
  g_message ("%s", problem);

  /* The dialog first: it keeps the application alive. */
  show_open_error (self, book, error);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (!ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
  g_clear_object (&self->db);
}

static void
start_check (BbApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, start_check_done, NULL);

  g_task_set_task_data (task, g_strdup (bb_db_get_path (self->db)), g_free);
  g_task_run_in_thread (task, start_check_thread);
}

static gboolean
start_check_idle (gpointer data)
{
  BbApplication *self = data;

  if (self->db != NULL)
    start_check (self);

  return G_SOURCE_REMOVE;
}

static void activate_with_book (BbApplication *self,
                                GtkWindow     *window,
                                gboolean       check);

static void
update_book_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  BbDb *db = bb_db_open (task_data, &error);

  if (db == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, db, g_object_unref);
}

static void
update_book_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BbApplication *self = BB_APPLICATION (source);
  g_autoptr(GError) error = NULL;
  BbDb *db = g_task_propagate_pointer (G_TASK (result), &error);

  self->updating = FALSE;
  if (db == NULL)
    show_open_error (self, g_task_get_task_data (G_TASK (result)), error);
  else
    {
      self->db = db;
      activate_with_book (self, NULL, TRUE);
    }

  /* After the window or dialog that takes its place is up. */
  if (self->updating_window)
    gtk_window_destroy (g_steal_pointer (&self->updating_window));
  g_application_release (G_APPLICATION (self));
}

/* A book from an older Billbook is brought up to date before it opens:
 * seconds on a big book, in a thread, with a window that says so (none
 * when started in the background). */
static void
update_book (BbApplication *self,
             const char    *path)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, update_book_done, NULL);

  self->updating = TRUE;
  g_application_hold (G_APPLICATION (self));

  if (!self->start_in_background)
    {
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *description = g_strdup_printf (_("Billbook is bringing “%s” up to date for this version. "
                                                        "On a big book this takes a minute."),
                                                      name);
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *status = adw_status_page_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *window = adw_window_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_set_size_request (spinner, 32, 32);
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "emblem-synchronizing-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Updating Your Book"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), description);
      adw_status_page_set_child (ADW_STATUS_PAGE (status), spinner);
      gtk_widget_set_vexpand (status, TRUE);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_box_append (GTK_BOX (box), status);
      adw_window_set_content (ADW_WINDOW (window), box);
      gtk_window_set_title (GTK_WINDOW (window), _("Billbook"));
      gtk_window_set_default_size (GTK_WINDOW (window), 480, 460);
      /* Closing it would not stop the update. */
      gtk_window_set_deletable (GTK_WINDOW (window), FALSE);
      gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
      self->updating_window = GTK_WINDOW (window);
      gtk_window_present (GTK_WINDOW (window));
    }

  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_set_name (task, "[billbook] update book");
  g_task_run_in_thread (task, update_book_thread);
}

static void
bb_application_activate (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);
  GtkWindow *window;

  if (self->updating)
    {
      if (self->updating_window)
        gtk_window_present (self->updating_window);
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && self->db == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = self->database_path ? g_strdup (self->database_path)
                                                  : bb_db_get_default_path ();

      if (bb_db_needs_update (path))
        {
          update_book (self, path);
          return;
        }

      self->db = bb_db_open (path, &error);
      if (self->db == NULL)
        {
          show_open_error (self, path, error);
          return;
        }

      activate_with_book (self, NULL, TRUE);
      return;
    }

  activate_with_book (self, window, FALSE);
}

/* @check: the book was just opened; its start-up check is to run. */
static void
activate_with_book (BbApplication *self,
                    GtkWindow     *window,
                    gboolean       check)
{
  start_reminders (self);

  /* billbook --background: no window, until the owner asks for one. */
  if (self->start_in_background)
    {
      self->start_in_background = FALSE;
      if (check)
        start_check (self);
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (bb_window_new (self, self->db));
  if (check)
    /* The start check reads the whole book (a minute on a big one) and
     * its thread would compete with the window's first frame for the
     * cores: it starts when the window has drawn that frame. */
    bb_widget_after_first_frame (GTK_WIDGET (window), start_check_idle, g_object_ref (self), g_object_unref);

  gtk_window_present (window);
}

static void
bb_application_startup (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);

  G_APPLICATION_CLASS (bb_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_icon_name (APP_ID);

  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (update_hold), self, G_CONNECT_SWAPPED);
  update_hold (self);
}

static void
bb_application_finalize (GObject *object)
{
  BbApplication *self = (BbApplication *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sleep_watch_id != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_watch_id);
  g_clear_object (&self->system_bus);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->notifier);
  g_clear_pointer (&self->last_check_day, g_free);
  g_clear_pointer (&self->activation_token, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->db);
  g_clear_pointer (&self->database_path, g_free);

  G_OBJECT_CLASS (bb_application_parent_class)->finalize (object);
}

static void
bb_application_class_init (BbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bb_application_finalize;

  app_class->activate = bb_application_activate;
  app_class->startup = bb_application_startup;
  app_class->handle_local_options = bb_application_handle_local_options;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Billbook developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Billbook"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Billbook developers"),
                         "developers", developers,
                         "comments", _("Customers, bills, payments and prepaid cards for a small shop"),
                         "translator-credits", _("translator-credits"),
                         "website", "https://github.com/billbook/billbook",
                         "issue-url", "https://github.com/billbook/billbook/issues",
                         "copyright", "© 2026 The Billbook developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  BbPreferencesWindow *prefs;

  if (self->db == NULL)
    return;

  prefs = bb_preferences_window_new (window, self->db);
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
audit_log_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  BbAuditWindow *audit;

  if (self->db == NULL)
    return;

  audit = bb_audit_window_new (window, self->db);
  gtk_window_set_application (GTK_WINDOW (audit), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (audit));
}

static void
reconcile_statement_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  BbStatementWindow *statement;

  if (self->db == NULL)
    return;

  statement = bb_statement_window_new (window, self->db);
  gtk_window_set_application (GTK_WINDOW (statement), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (statement));
}

static void
recurring_charges_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  BbRecurringWindow *recurring;

  if (self->db == NULL)
    return;

  recurring = bb_recurring_window_new (window, self->db, 0);
  gtk_window_set_application (GTK_WINDOW (recurring), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (recurring));
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_show_uri (window, "help:billbook", GDK_CURRENT_TIME);
}

static void
toast (BbApplication *self,
       const char    *text)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BB_IS_WINDOW (window))
    bb_window_show_toast (BB_WINDOW (window), text);
}

static void
on_backup_chosen (GtkNativeDialog *native,
                  int              response,
                  BbApplication   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!bb_backup_to_file (self->db, path, &error))
        toast (self, error->message);
      else
        toast (self, _("Backup saved"));
    }

  g_object_unref (native);
}

static void
backup_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkFileChooserNative *native;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "billbook-backup-%Y-%m-%d.db");

  if (self->db == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Back Up the Book"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_backup_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_calendar_exported (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BbApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_ical_export_finish (BB_DB (source), result, &error))
    toast (self, error->message);
  else
    toast (self, _("Calendar saved: open it with your calendar app to see the due dates"));
}

static void
on_calendar_chosen (GtkNativeDialog *native,
                    int              response,
                    BbApplication   *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->db != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      /* In a thread with its own connection: a big book never holds up
       * the window. */
      bb_ical_export_async (self->db, file, NULL, on_calendar_exported, g_object_ref (self));
    }

  g_object_unref (native);
}

/* The due dates of bills still owed and the follow-ups, as an iCalendar
 * file (bb-ical.c). */
static void
export_calendar_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = NULL;

  if (self->db == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Export Calendar"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  /* Translators: the file name offered for the exported calendar; keep .ics */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), _("billbook-due-dates.ics"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Calendar files"));
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (on_calendar_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_restore_confirmed (AdwMessageDialog *dialog,
                      const char       *response,
                      BbApplication    *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");
  g_autofree char *dir = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "restore") != 0)
    return;

  dir = backup_dir_for (bb_db_get_path (self->db));
  if (!bb_backup_restore (self->db, path, dir, &saved, &error))
    toast (self, error->message);
  else
    toast (self, _("Backup restored; the book as it was is kept in the backups folder"));
}

static void
on_restore_chosen (GtkNativeDialog *native,
                   int              response,
                   BbApplication   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      AdwMessageDialog *dialog;

      if (!bb_backup_check_file (path, NULL, &error))
        toast (self, error->message);
      else
        {
          dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                               _("Restore This Backup?"),
                                                               _("Everything in the book is replaced by the backup. The book as it is now is saved in the backups folder first.")));
          adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore"), NULL);
          adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_close_response (dialog, "cancel");
          g_object_set_data_full (G_OBJECT (dialog), "path", g_steal_pointer (&path), g_free);
          g_signal_connect (dialog, "response", G_CALLBACK (on_restore_confirmed), self);
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }

  g_object_unref (native);
}

static void
restore_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkFileChooserNative *native;
  g_autofree char *dir = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->db == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Restore a Backup"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  dir = backup_dir_for (bb_db_get_path (self->db));
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
  g_signal_connect (native, "response", G_CALLBACK (on_restore_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* The main window, made and raised if need be (also from the background),
 * with the activation token of the notification that asked for it. */
static BbWindow *
raise_window (BbApplication *self)
{
  GList *windows;

  self->start_in_background = FALSE;
  g_application_activate (G_APPLICATION (self));

  for (windows = gtk_application_get_windows (GTK_APPLICATION (self)); windows; windows = windows->next)
    if (BB_IS_WINDOW (windows->data))
      {
        GtkWindow *window = windows->data;

        if (self->activation_token != NULL)
          gtk_window_set_startup_id (window, self->activation_token);
        g_clear_pointer (&self->activation_token, g_free);
        gtk_window_present (window);
        return BB_WINDOW (window);
      }

  g_clear_pointer (&self->activation_token, g_free);
  return NULL;
}

/* app.show-reminder((kind, subject id, customer id)): a notification's Open. */
static void
show_reminder_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  BbApplication *self = user_data;
  BbWindow *window;
  gint32 kind;
  gint64 subject_id, customer_id;

  g_variant_get (parameter, "(ixx)", &kind, &subject_id, &customer_id);
  if (kind < 0 || kind >= BB_REMINDER_N_KINDS || (window = raise_window (self)) == NULL)
    return;

  bb_window_show_reminder_subject (window, kind, subject_id, customer_id);
}

/* app.show-reminders: a grouped notification's Open. */
static void
show_reminders_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BbWindow *window = raise_window (user_data);

  if (window != NULL)
    bb_window_show_page (window, "reminders");
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "audit-log", audit_log_action },
  { "reconcile-statement", reconcile_statement_action },
  { "recurring-charges", recurring_charges_action },
  { "help", help_action },
  { "backup", backup_action },
  { "restore", restore_action },
  { "export-calendar", export_calendar_action },
  { "show-reminder", show_reminder_action, "(ixx)" },
  { "show-reminders", show_reminders_action },
  { "quit", quit_action },
};

static void
bb_application_init (BbApplication *self)
{
  static const GOptionEntry options[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the book in FILE instead of the default one"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Run without a window and send reminders as notifications (as started with the session)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-item",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.print",
                                         (const char *[]) { "<Control>p", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.find",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::customers",
                                         (const char *[]) { "<Alt>1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::billing",
                                         (const char *[]) { "<Alt>2", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::prepaid",
                                         (const char *[]) { "<Alt>3", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::reminders",
                                         (const char *[]) { "<Alt>4", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::reports",
                                         (const char *[]) { "<Alt>5", NULL });
}
