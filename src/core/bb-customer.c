/* bb-customer.c — one customer, as a record
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-customer.h"
#include "bb-text.h"

G_DEFINE_FINAL_TYPE (BbCustomer, bb_customer, G_TYPE_OBJECT)

static void
bb_customer_finalize (GObject *object)
{
  BbCustomer *self = (BbCustomer *) object;

  g_free (self->code);
  g_free (self->name);
  g_free (self->company);
  g_free (self->phone);
  g_free (self->email);
  g_free (self->address);
  g_free (self->tax_id);
  g_free (self->tags);
  g_free (self->notes);
  g_clear_pointer (&self->custom_fields, g_hash_table_unref);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_free (self->last_payment_on);

  G_OBJECT_CLASS (bb_customer_parent_class)->finalize (object);
}

static void
bb_customer_class_init (BbCustomerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_customer_finalize;
}

static void
bb_customer_init (BbCustomer *self)
{
  self->code = g_strdup ("");
  self->name = g_strdup ("");
  self->company = g_strdup ("");
  self->phone = g_strdup ("");
  self->email = g_strdup ("");
  self->address = g_strdup ("");
  self->tax_id = g_strdup ("");
  self->tags = g_strdup ("");
  self->notes = g_strdup ("");
  self->klass = 'B';
  self->payment_terms_days = 30;
  self->custom_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

BbCustomer *
bb_customer_new (void)
{
  return g_object_new (BB_TYPE_CUSTOMER, NULL);
}

#define COPY_STR(field) do { g_free (copy->field); copy->field = g_strdup (self->field); } while (0)

BbCustomer *
bb_customer_copy (BbCustomer *self)
{
  BbCustomer *copy = bb_customer_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (BB_IS_CUSTOMER (self), NULL);

  copy->id = self->id;
  COPY_STR (code);
  COPY_STR (name);
  COPY_STR (company);
  COPY_STR (phone);
  COPY_STR (email);
  COPY_STR (address);
  COPY_STR (tax_id);
  COPY_STR (tags);
  COPY_STR (notes);
  COPY_STR (created_at);
  COPY_STR (updated_at);
  COPY_STR (last_payment_on);
  copy->klass = self->klass;
  copy->class_override = self->class_override;
  copy->credit_limit = self->credit_limit;
  copy->payment_terms_days = self->payment_terms_days;
  copy->archived = self->archived;
  copy->erased = self->erased;
  copy->outstanding = self->outstanding;
  copy->credit = self->credit;
  copy->prepaid_balance = self->prepaid_balance;

  g_hash_table_iter_init (&iter, self->custom_fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->custom_fields, g_strdup (key), g_strdup (value));

  return copy;
}

#undef COPY_STR

/**
 * bb_customer_normalize_tags:
 * @tags: tags as typed: "VIP, wholesale,,vip"
 *
 * Returns: the tags trimmed, without empties or duplicates, joined by
 *   commas: "VIP,wholesale" (the first spelling of a tag wins)
 */
char *
bb_customer_normalize_tags (const char *tags)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) ascii = g_string_new (tags ? tags : "");

  /* g_strsplit_set() splits on bytes: turn the full-width separators
   * into ASCII ones first, so no UTF-8 character is cut in two. */
  g_string_replace (ascii, "，", ",", 0);
  g_string_replace (ascii, "；", ",", 0);
  parts = g_strsplit_set (ascii->str, ",;", -1);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *tag = bb_text_strip (parts[i]);
      g_autofree char *folded = g_utf8_casefold (tag, -1);

      if (*tag == '\0' || g_hash_table_contains (seen, folded))
        continue;

      g_hash_table_add (seen, g_steal_pointer (&folded));
      g_ptr_array_add (kept, g_steal_pointer (&tag));
    }
  g_ptr_array_add (kept, NULL);

  return g_strjoinv (",", (char **) kept->pdata);
}

char **
bb_customer_get_tag_list (BbCustomer *self)
{
  g_return_val_if_fail (BB_IS_CUSTOMER (self), NULL);

  if (self->tags == NULL || *self->tags == '\0')
    return g_new0 (char *, 1);

  return g_strsplit (self->tags, ",", -1);
}
