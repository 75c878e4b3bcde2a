/* bb-prepaid-account.c — one prepaid card of a customer, with its terms
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules of the terms are computed here and nowhere else:
 *
 *   bonus of a top-up T    = ⌊T / bonus_threshold⌋ × bonus_amount
 *                            ("top up 1000, get 100": 2500 brings 200)
 *   points of a charge C   = ⌊C / points_unit⌋ × points_per_unit
 *   value of P points      = P / redeem_points × redeem_value
 *                            (P a whole number of steps)
 *
 * A card is expired on and after its expires_on: the money can be used
 * on the days before it.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-prepaid-account.h"
#include "bb-text.h"

G_DEFINE_FINAL_TYPE (BbPrepaidAccount, bb_prepaid_account, G_TYPE_OBJECT)

static const char * const validity_names[] = {
  [BB_PREPAID_VALIDITY_NONE] = "none",
  [BB_PREPAID_VALIDITY_FIXED] = "fixed",
  [BB_PREPAID_VALIDITY_MONTHS] = "months",
};

static void
bb_prepaid_account_finalize (GObject *object)
{
  BbPrepaidAccount *self = (BbPrepaidAccount *) object;

  g_free (self->name);
  g_free (self->expires_on);
  g_free (self->refund_policy);
  g_free (self->created_at);
  g_free (self->last_used_on);
  g_free (self->customer_code);
  g_free (self->customer_name);

  G_OBJECT_CLASS (bb_prepaid_account_parent_class)->finalize (object);
}

static void
bb_prepaid_account_class_init (BbPrepaidAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_prepaid_account_finalize;
}

static void
bb_prepaid_account_init (BbPrepaidAccount *self)
{
  self->name = g_strdup ("");
  self->refund_policy = g_strdup ("");
  self->validity = BB_PREPAID_VALIDITY_NONE;
  self->validity_months = 12;
  self->points_unit = 100;
}

/**
 * bb_prepaid_account_new:
 *
 * Returns: (transfer full): a card without a name or customer yet, with
 *   no expiry, no bonus and no points; set them and save it
 */
BbPrepaidAccount *
bb_prepaid_account_new (void)
{
  return g_object_new (BB_TYPE_PREPAID_ACCOUNT, NULL);
}

/* What a refund may pay out now: the paid-in money, and the bonus money
 * too when the terms say it is refundable. */
BbMoney
bb_prepaid_account_get_refundable (BbPrepaidAccount *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), 0);

  return self->paid_in + (self->bonus_refundable ? self->bonus : 0);
}

/* Under its low-balance mark (a mark of 0 is none). */
gboolean
bb_prepaid_account_is_low (BbPrepaidAccount *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), FALSE);

  return self->low_balance_mark > 0 && self->balance < self->low_balance_mark && !self->closed;
}

/* On or after its expiry day; @today: %NULL for today. */
gboolean
bb_prepaid_account_is_expired (BbPrepaidAccount *self,
                               const GDate      *today)
{
  g_autofree char *iso = NULL;
  GDate d;

  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), FALSE);

  if (self->expires_on == NULL || *self->expires_on == '\0')
    return FALSE;

  if (today == NULL)
    {
      bb_date_set_today (&d);
      today = &d;
    }
  iso = bb_date_to_iso (today);

  return g_strcmp0 (self->expires_on, iso) <= 0;
}

/* ⌊amount / step⌋ × per, or -1 when it does not fit in 64 bits */
static gint64
per_step (BbMoney amount,
          gint64  step,
          gint64  per)
{
  __int128 n;

  if (amount <= 0 || step <= 0 || per <= 0)
    return 0;

  n = (__int128) (amount / step) * per;
  if (n > G_MAXINT64)
    return -1;

  return (gint64) n;
}

/**
 * bb_prepaid_account_compute_bonus:
 * @top_up: money paid in, > 0
 *
 * Returns: the bonus the terms give for @top_up (0 without a bonus rule),
 *   or -1 when it is too large to count
 */
BbMoney
bb_prepaid_account_compute_bonus (BbPrepaidAccount *self,
                                  BbMoney           top_up)
{
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), 0);

  return per_step (top_up, self->bonus_threshold, self->bonus_amount);
}

/**
 * bb_prepaid_account_compute_points:
 * @charge: money charged, > 0
 *
 * Returns: the points the terms give for @charge (0 without a points
 *   rule), or -1 when too many to count
 */
gint64
bb_prepaid_account_compute_points (BbPrepaidAccount *self,
                                   BbMoney           charge)
{
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), 0);

  return per_step (charge, self->points_unit, self->points_per_unit);
}

/**
 * bb_prepaid_account_compute_redeem_value:
 * @points: points to redeem
 *
 * Returns: the bonus money @points bring, or -1 when they are not a whole
 *   number of steps of redeem_points (or the card redeems none)
 */
BbMoney
bb_prepaid_account_compute_redeem_value (BbPrepaidAccount *self,
                                         gint64            points)
{
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (self), -1);

  if (points <= 0 || self->redeem_points <= 0 || self->redeem_value <= 0 ||
      points % self->redeem_points != 0)
    return -1;

  return per_step (points, self->redeem_points, self->redeem_value);
}

const char *
bb_prepaid_validity_to_string (BbPrepaidValidity validity)
{
  g_return_val_if_fail ((guint) validity < G_N_ELEMENTS (validity_names), "none");

  return validity_names[validity];
}

gboolean
bb_prepaid_validity_from_string (const char        *text,
                                 BbPrepaidValidity *validity)
{
  for (guint i = 0; i < G_N_ELEMENTS (validity_names); i++)
    if (g_strcmp0 (text, validity_names[i]) == 0)
      {
        if (validity)
          *validity = (BbPrepaidValidity) i;
        return TRUE;
      }

  return FALSE;
}
