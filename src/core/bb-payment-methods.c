/* bb-payment-methods.c — the names the shop gives its payment methods, and which it takes
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files always write a method as bb_payment_method_to_string() gives it
 * ("wechat_pay"); the window shows the name the owner gave it in
 * Preferences ("微信收款码"), or the translated label when none was given.
 * Both live in the book's settings, under
 *
 *   payments.method.CODE.name      the shown name; absent: the label
 *   payments.method.CODE.enabled   "0" when the payment dialog does not
 *                                  offer it; absent: offered
 *
 * A payment recorded with a method that was later turned off still shows
 * that method's name: only new payments are affected.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bb-payment-methods.h"
#include "bb-text.h"

static char *
setting_key (BbPaymentMethod  method,
             const char      *what)
{
  return g_strdup_printf ("payments.method.%s.%s", bb_payment_method_to_string (method), what);
}

/**
 * bb_payment_methods_get_name:
 * @db: the book
 * @method: a method
 *
 * Returns: (transfer full): the name @method is shown with: the owner's,
 *   or bb_payment_method_label()
 */
char *
bb_payment_methods_get_name (BbDb            *db,
                             BbPaymentMethod  method)
{
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (method < BB_PAYMENT_N_METHODS, g_strdup (""));

  if (db != NULL)
    {
      key = setting_key (method, "name");
      name = bb_db_get_setting (db, key);
      if (name != NULL && *name != '\0')
        return g_steal_pointer (&name);
    }

  return g_strdup (bb_payment_method_label (method));
}

/**
 * bb_payment_methods_has_own_name:
 *
 * Returns: %TRUE when the owner gave @method a name of their own
 */
gboolean
bb_payment_methods_has_own_name (BbDb            *db,
                                 BbPaymentMethod  method)
{
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (method < BB_PAYMENT_N_METHODS, FALSE);

  key = setting_key (method, "name");
  name = bb_db_get_setting (db, key);

  return name != NULL && *name != '\0';
}

/**
 * bb_payment_methods_is_enabled:
 *
 * Returns: %TRUE when new payments may be taken by @method (every method
 *   is, until the owner turns it off)
 */
gboolean
bb_payment_methods_is_enabled (BbDb            *db,
                               BbPaymentMethod  method)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (BB_IS_DB (db), TRUE);
  g_return_val_if_fail (method < BB_PAYMENT_N_METHODS, FALSE);

  key = setting_key (method, "enabled");
  value = bb_db_get_setting (db, key);

  return value == NULL || g_strcmp0 (value, "0") != 0;
}

typedef struct
{
  BbPaymentMethod  method;
  const char      *name;
  gboolean         enabled;
} SetData;

static gboolean
set_in_transaction (BbDb     *db,
                    gpointer  user_data,
                    GError  **error)
{
  SetData *d = user_data;
  g_autofree char *name_key = setting_key (d->method, "name");
  g_autofree char *enabled_key = setting_key (d->method, "enabled");
  guint n_enabled = 0;

  if (!bb_db_set_setting (db, name_key, *d->name != '\0' ? d->name : NULL, error) ||
      !bb_db_set_setting (db, enabled_key, d->enabled ? NULL : "0", error))
    return FALSE;

  /* Prepaid money comes from a card, never from the payment dialog: it
   * does not count as a way to take a payment. */
  for (guint m = 0; m < BB_PAYMENT_N_METHODS; m++)
    if (m != BB_PAYMENT_PREPAID && bb_payment_methods_is_enabled (db, (BbPaymentMethod) m))
      n_enabled++;

  if (n_enabled == 0)
    {
      g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                           _("Payment methods: at least one method must stay enabled"));
      return FALSE;
    }

  bb_db_emit_changed (db, "settings", 0);

  return TRUE;
}

/**
 * bb_payment_methods_set:
 * @db: the book
 * @method: a method
 * @name: (nullable): the name to show it with; %NULL or blank: the
 *   translated label again
 * @enabled: whether new payments may be taken by @method
 * @error: return location for an error
 *
 * Saves both in one transaction. A name is at most
 * %BB_PAYMENT_METHOD_NAME_MAX characters, with no line breaks; at least
 * one method other than prepaid stays enabled.
 *
 * Returns: %TRUE on success; else %BB_DB_ERROR_INVALID names the field
 */
gboolean
bb_payment_methods_set (BbDb             *db,
                        BbPaymentMethod   method,
                        const char       *name,
                        gboolean          enabled,
                        GError          **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *field = NULL;
  SetData data;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (method < BB_PAYMENT_N_METHODS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One line of text, no control characters, as every name in the book. */
  field = g_strdup_printf (_("Name of %s"), bb_payment_method_label (method));
  if (!bb_text_validate (name != NULL ? name : "", field, BB_PAYMENT_METHOD_NAME_MAX, FALSE, error))
    return FALSE;
  stripped = bb_text_strip (name != NULL ? name : "");

  data.method = method;
  data.name = stripped;
  data.enabled = enabled;

  return bb_db_transaction (db, set_in_transaction, &data, error);
}
