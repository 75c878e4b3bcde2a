/* fuzz-vcard.c — libFuzzer target for the vCard reader
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a .vcf file and reads every field of every contact,
 * checking what bb-vcard.h promises: UTF-8 strings, trimmed, NULL rather
 * than empty, a name always, categories never NULL and without repeats.
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bb-vcard.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* A warning or a g_return_if_fail() reached from hostile input is a bug
 * too. abort() rather than GLib's fatal-criticals, whose breakpoint trap
 * libFuzzer would not catch: it saves the input on SIGABRT. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return result;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}

/* UTF-8, not empty, no blanks at either end. */
static void
check_text (const char *what,
            const char *text)
{
  gsize len;

  if (text == NULL)
    return;

  len = strlen (text);
  if (!g_utf8_validate (text, -1, NULL) || len == 0 ||
      g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]))
    {
      g_printerr ("contact %s is not trimmed UTF-8 text: “%s”\n", what, text);
      abort ();
    }
}

/* A single line: name, company, phone, email and address go into entries. */
static void
check_one_line (const char *what,
                const char *text)
{
  check_text (what, text);
  if (text != NULL && strpbrk (text, "\r\n") != NULL)
    {
      g_printerr ("contact %s has a line break: “%s”\n", what, text);
      abort ();
    }
}

static void
check_contact (const BbVCardContact *contact)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  fuzz_check (contact != NULL);
  fuzz_check (contact->line >= 1);
  fuzz_check (contact->name != NULL);

  check_one_line ("name", contact->name);
  check_one_line ("company", contact->company);
  check_one_line ("phone", contact->phone);
  check_one_line ("email", contact->email);
  check_one_line ("address", contact->address);
  check_text ("note", contact->note);
  fuzz_check (contact->tax_id == NULL);

  fuzz_check (contact->categories != NULL);
  for (guint i = 0; contact->categories[i] != NULL; i++)
    {
      check_one_line ("category", contact->categories[i]);
      fuzz_check (!g_hash_table_contains (seen, contact->categories[i]));
      g_hash_table_add (seen, contact->categories[i]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  guint last_line = 0;

  contacts = bb_vcard_parse (bytes, &error);
  if (contacts == NULL)
    {
      fuzz_check (error != NULL);
      fuzz_check (error->domain == BB_VCARD_ERROR);
      fuzz_check (error->code == BB_VCARD_ERROR_SYNTAX ||
                  error->code == BB_VCARD_ERROR_ENCODING ||
                  error->code == BB_VCARD_ERROR_EMPTY ||
                  error->code == BB_VCARD_ERROR_TOO_LARGE);
      fuzz_check (error->message != NULL && *error->message != '\0');
      /* It ends up in a dialog: it must be UTF-8. */
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  fuzz_check (error == NULL);
  /* A file without cards is an error, not an empty list. */
  fuzz_check (contacts->len > 0);

  for (guint i = 0; i < contacts->len; i++)
    {
      const BbVCardContact *contact = g_ptr_array_index (contacts, i);

      check_contact (contact);
      /* In file order. */
      fuzz_check (contact->line > last_line);
      last_line = contact->line;
    }

  return 0;
}
