/* bb-cli-recur.c — billbook-cli recur
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli recur [--as-of DATE]
 *   billbook-cli recur add CUSTOMER_CODE --every INTERVAL --from DATE --amount X
 *                          --description TEXT [--until DATE] [--tax PERCENT]
 *   billbook-cli recur list [-o FILE]
 *   billbook-cli recur stop ID
 *
 * Billing is bb_recurring_run(), the same call the window makes when it
 * starts: the two may run at once and still bill each period once.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-csv.h"
#include "bb-customers.h"
#include "bb-recurring.h"
#include "bb-text.h"

#define LIST_PAGE 500

typedef struct
{
  char *as_of;
  char *every;
  char *from;
  char *until;
  char *amount;
  char *tax;
  char *description;
  char *output;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->as_of);
  g_free (o->every);
  g_free (o->from);
  g_free (o->until);
  g_free (o->amount);
  g_free (o->tax);
  g_free (o->description);
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
usage (void)
{
  g_printerr (_("Usage: billbook-cli recur [--as-of DATE]\n"
                "       billbook-cli recur add CUSTOMER_CODE --every weekly|monthly|quarterly|yearly "
                "--from DATE --amount X --description TEXT [--until DATE] [--tax PERCENT]\n"
                "       billbook-cli recur list [-o FILE]\n"
                "       billbook-cli recur stop ID\n"));
  return 1;
}

/* Options given that the subcommand does not take: a mistake, said so. */
static gboolean
only_options (const char    *command,
              const Options *o,
              gboolean       as_of,
              gboolean       charge,
              gboolean       output)
{
  const char *wrong = NULL;

  if (!as_of && o->as_of)
    wrong = "--as-of";
  else if (!charge && (o->every || o->from || o->until || o->amount || o->tax || o->description))
    wrong = o->every ? "--every" : o->from ? "--from" : o->until ? "--until"
          : o->amount ? "--amount" : o->tax ? "--tax" : "--description";
  else if (!output && o->output)
    wrong = "--output";

  if (wrong == NULL)
    return TRUE;

  /* TRANSLATORS: "recur list: --as-of is not an option of this command" */
  g_printerr (_("%s: %s is not an option of this command\n"), command, wrong);
  return FALSE;
}

static int
run (BbDb          *db,
     const Options *o)
{
  g_autoptr(GError) error = NULL;
  guint n_bills = 0;
  GDate as_of;

  if (o->as_of != NULL)
    {
      if (!bb_date_parse (o->as_of, "--as-of", &as_of, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  else
    bb_date_set_today (&as_of);

  if (!bb_recurring_run (db, &as_of, &n_bills, &error))
    {
      if (n_bills > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "Made %u draft bill before the problem.\n",
                                 "Made %u draft bills before the problem.\n",
                                 n_bills),
                    n_bills);
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "Made %u draft bill.\n", "Made %u draft bills.\n", n_bills),
           n_bills);
  return 0;
}

static int
add (BbDb           *db,
     const char     *code,
     const Options  *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(BbRecurringCharge) charge = bb_recurring_charge_new ();
  g_autofree char *amount = NULL;
  g_autofree char *id = NULL;
  const BbCurrency *currency = bb_business_get_currency (db);
  GDate from, until;

  if (o->every == NULL || o->from == NULL || o->amount == NULL || o->description == NULL)
    {
      g_printerr (_("recur add: %s is required\n"),
                  o->every == NULL ? "--every" : o->from == NULL ? "--from"
                  : o->amount == NULL ? "--amount" : "--description");
      return 1;
    }

  customer = bb_customers_get_by_code (db, code, &error);
  if (customer == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  charge->customer_id = customer->id;

  if (!bb_recurring_interval_from_string (o->every, &charge->interval))
    {
      g_printerr (_("--every: “%s” is not an interval; use weekly, monthly, quarterly or yearly\n"), o->every);
      return 1;
    }

  if (!bb_money_parse (o->amount, currency, "--amount", FALSE, &charge->amount, &error) ||
      (o->tax != NULL && !bb_rate_parse (o->tax, "--tax", FALSE, &charge->tax_rate, &error)) ||
      !bb_date_parse (o->from, "--from", &from, &error) ||
      (o->until != NULL && !bb_date_parse (o->until, "--until", &until, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Said with the options' names; the rest core checks and names. */
  if (charge->amount == 0)
    {
      g_printerr (_("--amount: must be more than zero\n"));
      return 1;
    }
  if (o->until != NULL && g_date_compare (&until, &from) < 0)
    {
      g_printerr (_("--until: %s is before --from %s\n"), o->until, o->from);
      return 1;
    }

  g_free (charge->description);
  charge->description = g_strdup (o->description);
  g_free (charge->start_on);
  charge->start_on = bb_date_to_iso (&from);
  charge->end_on = o->until ? bb_date_to_iso (&until) : NULL;

  if (!bb_recurring_save (db, charge, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  amount = bb_money_format (charge->amount, currency);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, charge->id);
  /* TRANSLATORS: "Charge 3: Monthly, ¥99.00 for C000001, first bill on 2026-01-31." */
  g_print (_("Charge %s: %s, %s for %s, first bill on %s.\n"),
           id, bb_recurring_interval_label (charge->interval), amount,
           customer->code, charge->next_on);
  return 0;
}

static int
list (BbDb           *db,
      const Options  *o)
{
  static const char * const header[] = {
    "id", "customer_code", "description", "amount", "tax_rate_percent",
    "interval", "start_on", "next_on", "end_on", "active", NULL
  };
  static const gboolean is_text[] = { FALSE, TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  const BbCurrency *currency = bb_business_get_currency (db);

  if (!bb_csv_writer_write_row (writer, header, NULL, &error))
    goto fail;

  for (guint offset = 0; ; offset += LIST_PAGE)
    {
      g_autoptr(GPtrArray) page = bb_recurring_list (db, offset, LIST_PAGE, &error);

      if (page == NULL)
        goto fail;

      for (guint i = 0; i < page->len; i++)
        {
          BbRecurringCharge *c = g_ptr_array_index (page, i);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);
          g_autofree char *amount = bb_money_format_plain (c->amount, currency);
          g_autofree char *tax = bb_rate_format (c->tax_rate);
          const char *fields[] = {
            id, c->customer_code, c->description, amount, tax,
            bb_recurring_interval_to_string (c->interval), c->start_on, c->next_on,
            c->end_on ? c->end_on : "", c->active ? "1" : "0", NULL
          };

          if (!bb_csv_writer_write_row (writer, fields, is_text, &error))
            goto fail;
        }

      if (page->len < LIST_PAGE)
        break;
    }

  if (!bb_cli_write_output (o->output, out->str, out->len, &error))
    goto fail;

  return 0;

fail:
  g_printerr ("%s\n", error->message);
  return 1;
}

static int
stop (BbDb        *db,
      const char  *id_text)
{
  g_autoptr(GError) error = NULL;
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr (_("recur stop: “%s” is not the number of a charge; see recur list\n"), id_text);
      return 1;
    }

  if (!bb_recurring_stop (db, (gint64) id, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* TRANSLATORS: %s is the charge's id, as recur list shows it */
  g_print (_("Charge %s stopped; it makes no more bills.\n"), id_text);
  return 0;
}

int
bb_cli_recur (BbDb  *db,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_auto(Options) o = { NULL, };
  const char *sub;
  guint n_args;

  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &o.as_of,
      N_("Bill the periods up to this day (default: today)"), N_("DATE") },
    { "every", 0, 0, G_OPTION_ARG_STRING, &o.every,
      N_("add: weekly, monthly, quarterly or yearly"), N_("INTERVAL") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o.from,
      N_("add: the date of the first bill"), N_("DATE") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &o.until,
      N_("add: no bill after this day"), N_("DATE") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &o.amount,
      N_("add: the amount of each bill, before tax"), N_("AMOUNT") },
    { "tax", 0, 0, G_OPTION_ARG_STRING, &o.tax,
      N_("add: the tax rate in percent (default: 0)"), N_("PERCENT") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &o.description,
      N_("add: the line on each bill"), N_("TEXT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("list: write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("[add|list|stop]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Make draft bills for the recurring charges that are due, once per "
                                  "period; add, list or stop charges."));
  g_set_prgname ("billbook-cli recur");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("recur: %s\n", error->message);
      return 1;
    }

  /* args[0] is "recur" */
  n_args = g_strv_length (args);
  sub = n_args > 1 ? args[1] : NULL;

  if (sub == NULL)
    {
      if (!only_options ("recur", &o, TRUE, FALSE, FALSE))
        return 1;
      return run (db, &o);
    }

  if (g_str_equal (sub, "add"))
    {
      if (n_args < 3)
        {
          g_printerr (_("recur add: say which customer, by code\n"));
          return usage ();
        }
      if (n_args > 3)
        {
          g_printerr (_("recur add: unexpected argument “%s”\n"), args[3]);
          return usage ();
        }
      if (!only_options ("recur add", &o, FALSE, TRUE, FALSE))
        return 1;
      return add (db, args[2], &o);
    }

  if (g_str_equal (sub, "list"))
    {
      if (n_args != 2)
        {
          g_printerr (_("recur list: unexpected argument “%s”\n"), args[2]);
          return 1;
        }
      if (!only_options ("recur list", &o, FALSE, FALSE, TRUE))
        return 1;
      return list (db, &o);
    }

  if (g_str_equal (sub, "stop"))
    {
      if (n_args != 3)
        {
          g_printerr (_("recur stop: say which charge, by the id recur list shows\n"));
          return 1;
        }
      if (!only_options ("recur stop", &o, FALSE, FALSE, FALSE))
        return 1;
      return stop (db, args[2]);
    }

  g_printerr (_("recur: unknown command “%s”; use add, list or stop, or no command to bill what is due\n"),
              sub);
  return usage ();
}
