/* bb-autostart.c — the XDG autostart entry that starts `billbook --background` with the session
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences ▸ Run in Background writes
 * $XDG_CONFIG_HOME/autostart/<app id>.desktop (the XDG Autostart
 * specification), so the session starts Billbook without a window to send
 * reminders, and removes it when switched off.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bb-autostart.h"

/**
 * bb_autostart_get_path:
 *
 * Returns: (transfer full): where the autostart entry is
 */
char *
bb_autostart_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* An argument of Exec, quoted as the Desktop Entry specification says. */
static void
append_exec_argument (GString    *exec,
                      const char *argument)
{
  g_string_append (exec, " \"");
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '`' || *p == '$' || *p == '\\')
        g_string_append_c (exec, '\\');
      /* A field code would be expanded by the session. */
      if (*p == '%')
        g_string_append_c (exec, '%');
      g_string_append_c (exec, *p);
    }
  g_string_append_c (exec, '"');
}

/**
 * bb_autostart_get_exec:
 * @database: (nullable): the book to watch; %NULL for the default one
 *
 * Returns: (transfer full): the entry's Exec line
 */
char *
bb_autostart_get_exec (const char *database)
{
  GString *exec = g_string_new ("billbook --background");

  if (database != NULL)
    {
      g_string_append (exec, " --database");
      append_exec_argument (exec, database);
    }

  return g_string_free (exec, FALSE);
}

/**
 * bb_autostart_is_enabled:
 *
 * Returns: whether an entry is there and not switched off in it
 */
gboolean
bb_autostart_is_enabled (void)
{
  g_autofree char *path = bb_autostart_get_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gboolean enabled;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;

  enabled = g_key_file_get_boolean (file, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", &error);
  if (error != NULL)
    enabled = TRUE;

  return enabled && !g_key_file_get_boolean (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL);
}

/**
 * bb_autostart_set_enabled:
 * @enabled: write the entry, or remove it
 * @database: (nullable): the book to watch; %NULL for the default one
 *
 * Writes or removes the autostart entry. Removing one that is not there
 * is not an error.
 */
gboolean
bb_autostart_set_enabled (gboolean     enabled,
                          const char  *database,
                          GError     **error)
{
  g_autofree char *path = bb_autostart_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *exec = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) file = NULL;
  gsize length;

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not remove the autostart entry “%s”: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  exec = bb_autostart_get_exec (database);
  file = g_key_file_new ();
  g_key_file_set_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
  g_key_file_set_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, "Billbook");
  g_key_file_set_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         "Send reminders of bills and follow-ups as notifications");
  g_key_file_set_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (file, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_boolean (file, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-UsesNotifications", TRUE);

  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      g_prefix_error (error, _("Could not write the autostart entry: "));
      return FALSE;
    }

  return TRUE;
}
