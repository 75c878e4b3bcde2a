/* bb-business.c — the shop's own details, kept in the book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-db-private.h"
#include "bb-text.h"

void
bb_business_free (BbBusiness *business)
{
  if (business == NULL)
    return;

  g_free (business->name);
  g_free (business->address);
  g_free (business->phone);
  g_free (business->tax_id);
  g_free (business->currency);
  g_free (business);
}

static char *
setting_or_empty (BbDb       *db,
                  const char *key)
{
  char *value = bb_db_get_setting (db, key);

  return value ? value : g_strdup ("");
}

/**
 * bb_business_load:
 *
 * Returns: (transfer full): the business details; empty strings for what
 *   was never set, the default currency when none was chosen
 */
BbBusiness *
bb_business_load (BbDb *db)
{
  BbBusiness *business = g_new0 (BbBusiness, 1);

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  business->name = setting_or_empty (db, "business.name");
  business->address = setting_or_empty (db, "business.address");
  business->phone = setting_or_empty (db, "business.phone");
  business->tax_id = setting_or_empty (db, "business.tax_id");
  business->currency = bb_db_get_setting (db, "business.currency");

  if (business->currency == NULL || bb_currency_lookup (business->currency) == NULL)
    {
      g_free (business->currency);
      business->currency = g_strdup (bb_currency_get_default ()->code);
    }

  return business;
}

gboolean
bb_business_validate (const BbBusiness  *business,
                      GError           **error)
{
  struct { const char *value; const char *field; gsize max; gboolean multiline; } fields[] = {
    { business->name, _("Business name"), 200, FALSE },
    { business->address, _("Address"), 1000, TRUE },
    { business->phone, _("Phone"), 50, FALSE },
    { business->tax_id, _("Tax ID"), 50, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!bb_text_validate (fields[i].value, fields[i].field, fields[i].max,
                           fields[i].multiline, error))
      return FALSE;

  if (business->phone && *business->phone && !bb_text_is_phone (business->phone))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Phone: “%s” is not a phone number (digits, spaces, + - ( ) only)"),
                   business->phone);
      return FALSE;
    }

  if (business->currency == NULL || bb_currency_lookup (business->currency) == NULL)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Currency: “%s” is not a currency Billbook knows"),
                   business->currency ? business->currency : "");
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_business_save:
 *
 * Validates and stores all details in one transaction.
 */
gboolean
bb_business_save (BbDb              *db,
                  const BbBusiness  *business,
                  GError           **error)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *tax_id = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (business != NULL, FALSE);

  if (!bb_business_validate (business, error))
    return FALSE;

  name = bb_text_strip (business->name);
  address = bb_text_strip (business->address);
  phone = bb_text_strip (business->phone);
  tax_id = bb_text_strip (business->tax_id);

  if (!bb_db_begin (db, error))
    return FALSE;

  if (!bb_db_set_setting (db, "business.name", name, error) ||
      !bb_db_set_setting (db, "business.address", address, error) ||
      !bb_db_set_setting (db, "business.phone", phone, error) ||
      !bb_db_set_setting (db, "business.tax_id", tax_id, error) ||
      !bb_db_set_setting (db, "business.currency", business->currency, error) ||
      !_bb_db_audit (db, "update", "settings", 0, "business", error) ||
      !bb_db_commit (db, error))
    {
      bb_db_rollback (db);
      return FALSE;
    }

  bb_db_emit_changed (db, "settings", 0);

  return TRUE;
}

const BbCurrency *
bb_business_get_currency (BbDb *db)
{
  g_autofree char *code = bb_db_get_setting (db, "business.currency");
  const BbCurrency *currency = code ? bb_currency_lookup (code) : NULL;

  return currency ? currency : bb_currency_get_default ();
}
