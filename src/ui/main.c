/* main.c
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "bb-application.h"
#include "bb-db.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BbApplication) app = NULL;

  bb_db_tune_malloc ();
  setlocale (LC_ALL, "");
  /* BILLBOOK_LOCALEDIR: translations of an uninstalled build, for tests */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BILLBOOK_LOCALEDIR") ? g_getenv ("BILLBOOK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Billbook"));
  app = bb_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
