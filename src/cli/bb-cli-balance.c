/* bb-cli-balance.c — billbook-cli balance
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli balance [CUSTOMER_CODE]
 *
 * What each open prepaid card holds, as CSV:
 * customer_code,account,balance,expires_on (bb_prepaid_balances_csv()).
 * Money whose expiry day has come is written off first, as the window
 * does when it starts (bb_prepaid_expire()), so a card shows what it
 * holds today.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-cli.h"
#include "bb-prepaid-io.h"
#include "bb-prepaid.h"

int
bb_cli_balance (BbDb  *db,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  const char *code = NULL;

  context = g_option_context_new (_("[CUSTOMER_CODE]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print what each open prepaid card holds, as CSV with a header row "
                                  "(customer_code,account,balance,expires_on): every customer’s cards, "
                                  "or those of one customer."));
  g_set_prgname ("billbook-cli balance");
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("balance: %s\n", error->message);
      return 1;
    }

  if (g_strv_length (args) > 2)
    {
      g_printerr (_("balance: unexpected argument “%s”\n"), args[2]);
      return 1;
    }
  if (g_strv_length (args) == 2)
    code = args[1];

  if (!bb_prepaid_expire (db, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  out = g_memory_output_stream_new_resizable ();
  if (!bb_prepaid_balances_csv (db, code, out, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      g_printerr ("balance: %s\n", error->message);
      return 1;
    }

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  if (!bb_cli_write_output (NULL, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
