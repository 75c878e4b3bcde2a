/* bb-test-ui.c — helpers the window tests share
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "bb-test-ui.h"

gboolean
bb_test_ui_init (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display: run under build-aux/headless\n");
      return FALSE;
    }

  gtk_init ();
  adw_init ();
  return TRUE;
}

void
bb_test_iterate (void)
{
  /* Let GTK lay out, draw and run idles. */
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

gboolean
bb_test_wait_for (gboolean (*condition) (gpointer),
                  gpointer   data,
                  guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
find_main_window (gpointer data)
{
  BbTestApp *t = data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t->app)); l != NULL; l = l->next)
    if (BB_IS_WINDOW (l->data))
      {
        t->window = l->data;
        return TRUE;
      }

  return FALSE;
}

static void
on_activate (GApplication *app,
             BbTestApp    *t)
{
  find_main_window (t);
}

BbTestApp *
bb_test_app_new_for_path (const char *path)
{
  BbTestApp *t = g_new0 (BbTestApp, 1);
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "billbook", (char *) "--database", NULL, NULL };

  t->path = g_strdup (path);
  argv[2] = t->path;

  t->app = bb_application_new ();
  {
    /* One process may run several test applications one after the other;
     * each needs its own object path on the bus. */
    static guint serial;
    g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++serial);

    g_application_set_application_id (G_APPLICATION (t->app), id);
  }
  g_signal_connect_after (t->app, "activate", G_CALLBACK (on_activate), t);

  /* Run the application's own start-up (option parsing, register,
   * activate) without entering its main loop. */
  g_application_set_flags (G_APPLICATION (t->app), G_APPLICATION_NON_UNIQUE);
  {
    GVariantDict options;
    g_auto(GStrv) args = g_strdupv (argv);
    int status;

    g_variant_dict_init (&options, NULL);
    g_variant_dict_insert (&options, "database", "^ay", t->path);
    status = G_APPLICATION_GET_CLASS (t->app)->handle_local_options (G_APPLICATION (t->app), &options);
    g_variant_dict_clear (&options);
    g_assert_cmpint (status, ==, -1);
  }
  g_application_register (G_APPLICATION (t->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (t->app));
  bb_test_iterate ();

  /* A book from an older Billbook is brought up to date first. */
  if (t->window == NULL)
    bb_test_wait_for (find_main_window, t, 30000);
  g_assert_nonnull (t->window);

  return t;
}

BbTestApp *
bb_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-ui-XXXXXX", &error);
  g_autofree char *path = NULL;
  BbTestApp *t;

  g_assert_no_error (error);
  path = g_build_filename (dir, "book.db", NULL);
  t = bb_test_app_new_for_path (path);
  t->dir = g_steal_pointer (&dir);

  return t;
}

static void
remove_book_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

void
bb_test_app_free (BbTestApp *t)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (t->app))))
    gtk_window_destroy (windows->data);
  bb_test_iterate ();

  g_application_quit (G_APPLICATION (t->app));
  g_clear_object (&t->app);

  if (t->dir)
    {
      remove_book_files (t->path);
      g_rmdir (t->dir);
    }

  g_free (t->path);
  g_free (t->dir);
  g_free (t);
}

GtkWidget *
bb_test_find_widget (GtkWidget *root,
                     GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bb_test_find_widget (child, type);

      if (found)
        return found;
    }

  return NULL;
}

GtkWidget *
bb_test_find_widget_by_title (GtkWidget  *root,
                              const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bb_test_find_widget_by_title (child, title);

      if (found)
        return found;
    }

  return NULL;
}

GtkWidget *
bb_test_find_button (GtkWidget  *root,
                     const char *label)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bb_test_find_button (child, label);

      if (found)
        return found;
    }

  return NULL;
}

/* Set with gtk_widget_set_tooltip_text(), or given when asked for
 * (bb_cell_set_tooltip()). */
const char *
bb_test_get_tooltip (GtkWidget *widget)
{
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    return gtk_widget_get_tooltip_text (widget);
  if (gtk_widget_get_has_tooltip (widget))
    return g_object_get_data (G_OBJECT (widget), "bb-cell-tooltip");

  return NULL;
}

GtkWidget *
bb_test_find_widget_by_tooltip (GtkWidget  *root,
                                const char *tooltip)
{
  if (g_strcmp0 (bb_test_get_tooltip (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bb_test_find_widget_by_tooltip (child, tooltip);

      if (found)
        return found;
    }

  return NULL;
}
