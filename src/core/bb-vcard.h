/* bb-vcard.h — vCard 2.1/3.0/4.0 reader for the customer import
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BB_VCARD_ERROR (bb_vcard_error_quark ())

typedef enum
{
  BB_VCARD_ERROR_SYNTAX,     /* no END:VCARD, unknown VERSION, no name, … */
  BB_VCARD_ERROR_ENCODING,   /* neither UTF-8 nor GB18030, bad CHARSET */
  BB_VCARD_ERROR_EMPTY,      /* no BEGIN:VCARD in the file */
  BB_VCARD_ERROR_TOO_LARGE,  /* over BB_VCARD_MAX_FILE_BYTES */
} BbVCardError;

#define BB_VCARD_MAX_FILE_BYTES (20 * 1024 * 1024)

/* Strings are UTF-8, trimmed, and NULL when the card has no such value;
 * name is never NULL and categories never NULL (maybe empty). */
typedef struct
{
  guint   line;         /* line of BEGIN:VCARD */
  char   *name;         /* FN, else N assembled, else ORG */
  char   *company;      /* ORG, first component */
  char   *phone;        /* preferred TEL */
  char   *email;        /* preferred EMAIL */
  char   *address;      /* preferred ADR on one line */
  char   *note;         /* NOTE (several joined by "\n") */
  char   *tax_id;       /* not in vCard: always NULL */
  char  **categories;   /* CATEGORIES, split on commas */
} BbVCardContact;

GQuark      bb_vcard_error_quark    (void);

void        bb_vcard_contact_free   (BbVCardContact  *contact);

GPtrArray  *bb_vcard_parse          (GBytes          *data,
                                     GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbVCardContact, bb_vcard_contact_free)

G_END_DECLS
