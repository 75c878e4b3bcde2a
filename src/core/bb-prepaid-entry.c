/* bb-prepaid-entry.c — one row of a prepaid card's ledger
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-prepaid-entry.h"

G_DEFINE_FINAL_TYPE (BbPrepaidEntry, bb_prepaid_entry, G_TYPE_OBJECT)

/* As the schema's CHECK and DESIGN.md write them. */
static const char * const kind_names[BB_PREPAID_N_KINDS] = {
  [BB_PREPAID_TOPUP] = "topup",
  [BB_PREPAID_BONUS] = "bonus",
  [BB_PREPAID_CHARGE] = "charge",
  [BB_PREPAID_REFUND] = "refund",
  [BB_PREPAID_EXPIRY] = "expiry",
  [BB_PREPAID_ADJUST] = "adjust",
  [BB_PREPAID_REDEEM] = "redeem",
};

static void
bb_prepaid_entry_finalize (GObject *object)
{
  BbPrepaidEntry *self = (BbPrepaidEntry *) object;

  g_free (self->occurred_on);
  g_free (self->note);
  g_free (self->created_at);
  g_free (self->invoice_number);

  G_OBJECT_CLASS (bb_prepaid_entry_parent_class)->finalize (object);
}

static void
bb_prepaid_entry_class_init (BbPrepaidEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_prepaid_entry_finalize;
}

static void
bb_prepaid_entry_init (BbPrepaidEntry *self)
{
  self->note = g_strdup ("");
}

BbPrepaidEntry *
bb_prepaid_entry_new (void)
{
  return g_object_new (BB_TYPE_PREPAID_ENTRY, NULL);
}

/* How much of the entry is the customer's own money (same sign as the
 * amount). */
BbMoney
bb_prepaid_entry_get_paid_in_part (BbPrepaidEntry *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_ENTRY (self), 0);

  return self->amount - self->bonus_part;
}

const char *
bb_prepaid_entry_kind_to_string (BbPrepaidEntryKind kind)
{
  g_return_val_if_fail ((guint) kind < BB_PREPAID_N_KINDS, "adjust");

  return kind_names[kind];
}

/**
 * bb_prepaid_entry_kind_from_string:
 * @text: a kind as written in files, in any case ("TopUp")
 *
 * Returns: %TRUE and sets @kind when @text names one
 */
gboolean
bb_prepaid_entry_kind_from_string (const char         *text,
                                   BbPrepaidEntryKind *kind)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < BB_PREPAID_N_KINDS; i++)
    if (g_ascii_strcasecmp (text, kind_names[i]) == 0)
      {
        if (kind)
          *kind = (BbPrepaidEntryKind) i;
        return TRUE;
      }

  return FALSE;
}

const char *
bb_prepaid_entry_kind_label (BbPrepaidEntryKind kind)
{
  switch (kind)
    {
    case BB_PREPAID_TOPUP:
      return _("Top-up");
    case BB_PREPAID_BONUS:
      return _("Bonus");
    case BB_PREPAID_CHARGE:
      return _("Charge");
    case BB_PREPAID_REFUND:
      return _("Refund");
    case BB_PREPAID_EXPIRY:
      return _("Expired");
    case BB_PREPAID_ADJUST:
      return _("Adjustment");
    case BB_PREPAID_REDEEM:
      return _("Points redeemed");
    default:
      g_return_val_if_reached ("");
    }
}
