/* bb-vcard.c — vCard 2.1/3.0/4.0 reader for the customer import
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-vcard.h"

/*
 * The whole file is decoded to UTF-8 first (UTF-8, else GB18030, or
 * UTF-16 with a byte order mark), then read one logical line at a time:
 * physical lines end in CRLF, LF or CR; a line starting with a space or
 * TAB continues the previous one (RFC 6350 3.2), and so does any line
 * after a QUOTED-PRINTABLE value that ends in "=" (a soft line break, as
 * phones write vCard 2.1 and 3.0).
 *
 * Every access is bounded by lengths, never by a terminating NUL alone:
 * the parser is meant to be fuzzed.
 */

#define MAX_REPORTED_PROBLEMS 100
#define NO_PREF 101

G_DEFINE_QUARK (bb-vcard-error-quark, bb_vcard_error)

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       line;     /* number of the next physical line */
} Scanner;

typedef struct
{
  char       *name;     /* without group, as written */
  char       *charset;
  gboolean    quoted_printable;
  gboolean    base64;
  gboolean    cell;
  guint       pref;     /* 1 (most preferred) … 100, NO_PREF */
  const char *value;    /* into the logical line */
  gsize       value_len;
} Property;

typedef struct
{
  guint       line;
  gboolean    failed;
  GError     *problem;  /* the first problem of the card */

  char       *fn;
  char       *n;
  char       *org;
  char       *phone;
  guint       phone_rank;
  char       *email;
  guint       email_rank;
  char       *address;
  guint       address_rank;
  GString    *note;
  GPtrArray  *categories;
  GHashTable *seen_categories;  /* the strings of categories */
} Card;

/* Text helpers */

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static guint
line_at_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r' && !(i + 1 < offset && data[i + 1] == '\n'))
        line++;
    }

  return line;
}

static gboolean
is_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      switch ((int) g_unichar_get_script (g_utf8_get_char (p)))
        {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
        case G_UNICODE_SCRIPT_BOPOMOFO:
          return TRUE;
        default:
          break;
        }
    }

  return FALSE;
}

/* Takes @s; returns it trimmed, with line breaks as spaces, or NULL if
 * nothing is left. */
static char *
one_line (char *s)
{
  if (s == NULL)
    return NULL;

  for (char *p = s; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r')
        *p = ' ';
    }
  g_strstrip (s);

  if (*s == '\0')
    {
      g_free (s);
      return NULL;
    }

  return s;
}

/* Splits @len bytes of @value on @sep where it is not escaped by a
 * backslash; the pieces keep their escapes. */
static GPtrArray *
split_escaped (const char *value,
               gsize       len,
               char        sep)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gsize start = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] == '\\' && i + 1 < len)
        i++;
      else if (value[i] == sep)
        {
          g_ptr_array_add (parts, g_strndup (value + start, i - start));
          start = i + 1;
        }
    }
  g_ptr_array_add (parts, g_strndup (value + start, len - start));

  return parts;
}

/* RFC 6350 3.4: \n \N are line breaks; \\ \, \; (and \: from some
 * exporters) are the character itself; other backslashes are kept. */
static char *
unescape (const char *text)
{
  gsize len = strlen (text);
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\\' && i + 1 < len)
        {
          char c = text[i + 1];

          if (c == 'n' || c == 'N')
            {
              g_string_append_c (out, '\n');
              i++;
              continue;
            }
          if (c == '\\' || c == ',' || c == ';' || c == ':')
            {
              g_string_append_c (out, c);
              i++;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }

  return g_string_free (out, FALSE);
}

/* Encoding of the whole file */

/* Whether @data is UTF-8 once every line break followed by a blank is
 * removed with that blank, as the scanner below unfolds. */
static gboolean
utf8_valid_when_unfolded (const char *data,
                          gsize       len)
{
  g_autofree char *copy = g_malloc (len + 1);
  gsize j = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        {
          gsize k = i + 1;

          if (data[i] == '\r' && k < len && data[k] == '\n')
            k++;
          if (k < len && is_blank (data[k]))
            {
              i = k;
              continue;
            }
        }
      copy[j++] = data[i];
    }

  return g_utf8_validate_len (copy, j, NULL);
}

static char *
decode_file (GBytes  *bytes,
             gsize   *out_len,
             GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *end = NULL;
  const char *from = NULL;
  g_autofree char *converted = NULL;
  gsize written = 0;

  if (data == NULL)
    data = "";

  if (len >= 2 && (guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
    from = "UTF-16LE";
  else if (len >= 2 && (guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)
    from = "UTF-16BE";

  if (from != NULL)
    {
      converted = g_convert (data + 2, len - 2, "UTF-8", from, NULL, &written, NULL);
      if (converted == NULL || !g_utf8_validate_len (converted, written, &end))
        {
          g_set_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_ENCODING,
                       _("The file starts like UTF-16 text but is not; save it as UTF-8 and try again"));
          return NULL;
        }
      *out_len = written;
      return g_steal_pointer (&converted);
    }

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  /* g_utf8_validate_len() also refuses NUL bytes. A fold may split a
   * character (RFC 6350 3.2), so check again without the folds. */
  if (g_utf8_validate_len (data, len, &end) ||
      utf8_valid_when_unfolded (data, len))
    {
      *out_len = len;
      return g_strndup (data, len);
    }

  /* Phones and PC suites sold in China write GB18030 (or its GBK subset). */
  converted = g_convert (data, len, "UTF-8", "GB18030", NULL, &written, NULL);
  if (converted != NULL && g_utf8_validate_len (converted, written, NULL))
    {
      *out_len = written;
      return g_steal_pointer (&converted);
    }

  g_set_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_ENCODING,
               _("Line %u is not UTF-8 or GB18030 text; export the contacts as UTF-8 and try again"),
               line_at_offset (data, (gsize) (end - data)));
  return NULL;
}

/* Lines */

static gboolean
scanner_next_physical (Scanner *s,
                       gsize   *start,
                       gsize   *n)
{
  gsize e;

  if (s->pos >= s->len)
    return FALSE;

  e = s->pos;
  while (e < s->len && s->text[e] != '\n' && s->text[e] != '\r')
    e++;

  *start = s->pos;
  *n = e - s->pos;

  if (e < s->len)
    {
      if (s->text[e] == '\r' && e + 1 < s->len && s->text[e + 1] == '\n')
        e += 2;
      else
        e++;
    }
  s->pos = e;
  s->line++;

  return TRUE;
}

static gboolean
scanner_next_starts_with (Scanner    *s,
                          const char *prefix)
{
  gsize n = strlen (prefix);

  return s->len - s->pos >= n && g_ascii_strncasecmp (s->text + s->pos, prefix, n) == 0;
}

/* Whether the parameters of logical line @line (before the first ':')
 * ask for quoted-printable. */
static gboolean
line_is_quoted_printable (const char *line,
                          gsize       len)
{
  static const char qp[] = "QUOTED-PRINTABLE";
  const gsize qp_len = sizeof qp - 1;
  const char *colon = memchr (line, ':', len);
  gsize end = colon != NULL ? (gsize) (colon - line) : 0;

  for (gsize i = 0; i + qp_len <= end; i++)
    {
      if (g_ascii_strncasecmp (line + i, qp, qp_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Reads one logical line into @out; @start_line is its first physical
 * line. */
static gboolean
scanner_next_logical (Scanner *s,
                      GString *out,
                      guint   *start_line)
{
  gsize start, n;
  int qp = -1;  /* unknown yet */

  g_string_truncate (out, 0);
  *start_line = s->line;

  if (!scanner_next_physical (s, &start, &n))
    return FALSE;
  g_string_append_len (out, s->text + start, (gssize) n);

  while (s->pos < s->len)
    {
      gboolean soft_break = FALSE;

      if (out->len > 0 && out->str[out->len - 1] == '=' &&
          !scanner_next_starts_with (s, "END:VCARD") &&
          !scanner_next_starts_with (s, "BEGIN:VCARD"))
        {
          if (qp < 0)
            qp = line_is_quoted_printable (out->str, out->len);
          soft_break = qp;
        }

      if (soft_break)
        {
          g_string_truncate (out, out->len - 1);
          scanner_next_physical (s, &start, &n);
          /* A folded soft break: drop the fold's blank too. */
          if (n > 0 && is_blank (s->text[start]))
            {
              start++;
              n--;
            }
          g_string_append_len (out, s->text + start, (gssize) n);
        }
      else if (is_blank (s->text[s->pos]))
        {
          scanner_next_physical (s, &start, &n);
          g_string_append_len (out, s->text + start + 1, (gssize) n - 1);
        }
      else
        break;
    }

  return TRUE;
}

/* Properties */

static void
property_clear (Property *prop)
{
  g_clear_pointer (&prop->name, g_free);
  g_clear_pointer (&prop->charset, g_free);
}

/* Handles one parameter or, in vCard 2.1, a bare type ("TEL;CELL:"). */
static void
property_add_param (Property   *prop,
                    const char *param,
                    gsize       len)
{
  const char *eq = memchr (param, '=', len);
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) tokens = NULL;

  if (eq != NULL)
    {
      key = g_strstrip (g_strndup (param, (gsize) (eq - param)));
      value = g_strndup (eq + 1, len - (gsize) (eq - param) - 1);
    }
  else
    {
      key = g_strdup ("TYPE");
      value = g_strndup (param, len);
    }

  /* Parameter values may be quoted and are comma-separated lists. */
  g_strdelimit (value, "\"", ' ');
  tokens = g_strsplit (value, ",", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *token = g_strstrip (tokens[i]);

      if (g_ascii_strcasecmp (key, "ENCODING") == 0 ||
          g_ascii_strcasecmp (key, "TYPE") == 0)
        {
          if (g_ascii_strcasecmp (token, "QUOTED-PRINTABLE") == 0)
            prop->quoted_printable = TRUE;
          else if (g_ascii_strcasecmp (token, "BASE64") == 0 ||
                   (g_ascii_strcasecmp (token, "B") == 0 && eq != NULL &&
                    g_ascii_strcasecmp (key, "ENCODING") == 0))
            prop->base64 = TRUE;
          else if (g_ascii_strcasecmp (token, "CELL") == 0)
            prop->cell = TRUE;
          else if (g_ascii_strcasecmp (token, "PREF") == 0)
            prop->pref = 1;
        }
      else if (g_ascii_strcasecmp (key, "PREF") == 0)
        {
          guint64 pref = 0;

          if (g_ascii_string_to_unsigned (token, 10, 1, 100, &pref, NULL) &&
              pref < prop->pref)
            prop->pref = (guint) pref;
        }
      else if (g_ascii_strcasecmp (key, "CHARSET") == 0 && *token != '\0')
        {
          g_free (prop->charset);
          prop->charset = g_strdup (token);
        }
    }
}

/* Parses "[group.]NAME[;param…]:value". Returns FALSE for a line that is
 * not a property. */
static gboolean
property_parse (Property   *prop,
                const char *line,
                gsize       len,
                gboolean    honour_quotes)
{
  gsize i = 0;
  gsize name_start = 0;

  memset (prop, 0, sizeof *prop);
  prop->pref = NO_PREF;

  while (i < len && line[i] != ';' && line[i] != ':')
    {
      if (line[i] == '.')
        name_start = i + 1;
      i++;
    }
  if (i >= len || i == name_start)
    return FALSE;

  prop->name = g_strndup (line + name_start, i - name_start);
  g_strstrip (prop->name);

  while (i < len && line[i] == ';')
    {
      gsize param_start = ++i;
      gboolean quoted = FALSE;

      while (i < len && (quoted || (line[i] != ';' && line[i] != ':')))
        {
          if (line[i] == '"' && honour_quotes)
            quoted = !quoted;
          i++;
        }
      if (i > param_start)
        property_add_param (prop, line + param_start, i - param_start);
    }

  if (i >= len || line[i] != ':')
    {
      property_clear (prop);
      /* A stray quote in a vCard 2.1 parameter: read it unquoted. */
      if (honour_quotes)
        return property_parse (prop, line, len, FALSE);
      return FALSE;
    }

  prop->value = line + i + 1;
  prop->value_len = len - i - 1;

  return TRUE;
}

static gboolean
property_is (const Property *prop,
             const char     *name)
{
  return g_ascii_strcasecmp (prop->name, name) == 0;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static GByteArray *
decode_quoted_printable (const char *value,
                         gsize       len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) MIN (len, G_MAXUINT));

  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = (guint8) value[i];

      if (value[i] == '=')
        {
          int hi = i + 1 < len ? hex_value (value[i + 1]) : -1;
          int lo = i + 2 < len ? hex_value (value[i + 2]) : -1;

          if (hi >= 0 && lo >= 0)
            {
              byte = (guint8) (hi * 16 + lo);
              i += 2;
            }
          else if (i + 1 == len)
            break;  /* soft line break at the very end */
        }
      g_byte_array_append (out, &byte, 1);
    }

  return out;
}

static gboolean
charset_is_utf8 (const char *charset)
{
  return g_ascii_strcasecmp (charset, "UTF-8") == 0 ||
         g_ascii_strcasecmp (charset, "UTF8") == 0;
}

/* Bytes in @charset (or unknown) to UTF-8; NULL if that fails. */
static char *
bytes_to_utf8 (const char *data,
               gsize       len,
               const char *charset)
{
  char *converted;
  gsize written = 0;

  /* An empty value ("NOTE;ENCODING=QUOTED-PRINTABLE:") decodes to no
   * bytes, whose data pointer may be NULL: g_convert() refuses it and
   * g_strndup() would return NULL, failing the card. */
  if (len == 0)
    return g_strdup ("");

  if (charset != NULL && !charset_is_utf8 (charset))
    {
      /* GB18030 reads everything GB2312 and GBK do, and more. */
      const char *from = charset;

      if (g_ascii_strcasecmp (charset, "GB2312") == 0 ||
          g_ascii_strcasecmp (charset, "GBK") == 0 ||
          g_ascii_strcasecmp (charset, "CP936") == 0)
        from = "GB18030";

      converted = g_convert (data, len, "UTF-8", from, NULL, &written, NULL);
      if (converted != NULL && g_utf8_validate_len (converted, written, NULL))
        return converted;
      g_free (converted);
    }

  if (g_utf8_validate_len (data, len, NULL))
    return g_strndup (data, len);

  converted = g_convert (data, len, "UTF-8", "GB18030", NULL, &written, NULL);
  if (converted != NULL && g_utf8_validate_len (converted, written, NULL))
    return converted;
  g_free (converted);

  return NULL;
}

/* Cards */

static void
card_free (Card *card)
{
  if (card == NULL)
    return;

  g_clear_error (&card->problem);
  g_free (card->fn);
  g_free (card->n);
  g_free (card->org);
  g_free (card->phone);
  g_free (card->email);
  g_free (card->address);
  g_string_free (card->note, TRUE);
  g_hash_table_unref (card->seen_categories);
  g_ptr_array_unref (card->categories);
  g_free (card);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Card, card_free)

static Card *
card_new (guint line)
{
  Card *card = g_new0 (Card, 1);

  card->line = line;
  card->phone_rank = G_MAXUINT;
  card->email_rank = G_MAXUINT;
  card->address_rank = G_MAXUINT;
  card->note = g_string_new (NULL);
  card->categories = g_ptr_array_new_with_free_func (g_free);
  card->seen_categories = g_hash_table_new (g_str_hash, g_str_equal);

  return card;
}

static void card_fail (Card       *card,
                       int         code,
                       const char *format,
                       ...) G_GNUC_PRINTF (3, 4);

/* Keeps the first problem of a card: one line per bad card. */
static void
card_fail (Card       *card,
           int         code,
           const char *format,
           ...)
{
  va_list args;

  if (card->problem != NULL)
    return;

  va_start (args, format);
  card->problem = g_error_new_valist (BB_VCARD_ERROR, code, format, args);
  va_end (args);
}

/* The value of a text property as UTF-8, escapes still in; NULL when it
 * is skipped (base64) or undecodable (the card then fails). */
static char *
property_get_text (const Property *prop,
                   Card           *card,
                   guint           line)
{
  g_autoptr(GByteArray) bytes = NULL;
  char *text;

  if (prop->base64)
    return NULL;

  if (!prop->quoted_printable)
    return g_strndup (prop->value, prop->value_len);

  bytes = decode_quoted_printable (prop->value, prop->value_len);
  text = bytes_to_utf8 ((const char *) bytes->data, bytes->len, prop->charset);
  if (text == NULL)
    card_fail (card, BB_VCARD_ERROR_ENCODING,
               _("Line %u: the “%s” value is not readable text (character set “%s”)"),
               line, prop->name, prop->charset != NULL ? prop->charset : "UTF-8");

  return text;
}

/* Splits a structured value on unescaped ';', unescaping each part. */
static GPtrArray *
structured_parts (const char *text,
                  guint       min_parts)
{
  GPtrArray *raw = split_escaped (text, strlen (text), ';');
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < raw->len; i++)
    g_ptr_array_add (parts, unescape (g_ptr_array_index (raw, i)));
  while (parts->len < min_parts)
    g_ptr_array_add (parts, g_strdup (""));
  g_ptr_array_unref (raw);

  return parts;
}

/* Items of one component of a structured value: split on unescaped ','
 * and on line breaks, unescaped, trimmed, empty ones left out. */
static GPtrArray *
component_items (const char *raw)
{
  g_autoptr(GPtrArray) split = split_escaped (raw, strlen (raw), ',');
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < split->len; i++)
    {
      g_autofree char *text = unescape (g_ptr_array_index (split, i));
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_strstrip (lines[j]);
          if (*lines[j] != '\0')
            g_ptr_array_add (items, g_strdup (lines[j]));
        }
    }

  return items;
}

/* Splits on unescaped ';' keeping escapes, then each part into items. */
static GPtrArray *
structured_items (const char *text,
                  guint       n_parts)
{
  g_autoptr(GPtrArray) raw = split_escaped (text, strlen (text), ';');
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < n_parts; i++)
    {
      if (i < raw->len)
        g_ptr_array_add (parts, component_items (g_ptr_array_index (raw, i)));
      else
        g_ptr_array_add (parts, g_ptr_array_new_with_free_func (g_free));
    }

  return parts;
}

static char *
join_items (GPtrArray  *items,
            const char *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      if (*item == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, item);
    }

  return g_string_free (out, FALSE);
}

static gboolean
items_are_cjk (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      if (is_cjk (g_ptr_array_index (items, i)))
        return TRUE;
    }

  return FALSE;
}

/* N: family;given;additional;prefix;suffix. "王小明" for CJK names,
 * "Dr. John Quincy Public Jr." otherwise. */
static char *
assemble_n (const char *text)
{
  g_autoptr(GPtrArray) parts = structured_items (text, 5);
  GPtrArray *family = g_ptr_array_index (parts, 0);
  GPtrArray *given = g_ptr_array_index (parts, 1);
  GPtrArray *additional = g_ptr_array_index (parts, 2);
  g_autofree char *f = NULL, *g = NULL, *a = NULL, *p = NULL, *s = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  gboolean cjk = TRUE;
  gboolean any = FALSE;

  /* CJK when every non-empty one of family, given, additional is. */
  for (guint i = 0; i < 3; i++)
    {
      GPtrArray *items = g_ptr_array_index (parts, i);

      for (guint j = 0; j < items->len; j++)
        {
          any = TRUE;
          if (!is_cjk (g_ptr_array_index (items, j)))
            cjk = FALSE;
        }
    }

  if (any && cjk)
    {
      f = join_items (family, "");
      g = join_items (given, "");
      a = join_items (additional, "");
      return g_strconcat (f, g, a, NULL);
    }

  f = join_items (family, " ");
  g = join_items (given, " ");
  a = join_items (additional, " ");
  p = join_items (g_ptr_array_index (parts, 3), " ");
  s = join_items (g_ptr_array_index (parts, 4), " ");

  g_ptr_array_add (order, p);
  g_ptr_array_add (order, g);
  g_ptr_array_add (order, a);
  g_ptr_array_add (order, f);
  g_ptr_array_add (order, s);

  return join_items (order, " ");
}

/* ADR: post office box;extended;street;locality;region;postal code;
 * country, as "street, extended, box, locality region code, country", or
 * for a CJK address "country region locality street extended box code"
 * without separators (but before the postal code), parts the street
 * already holds left out. */
static char *
assemble_adr (const char *text)
{
  g_autoptr(GPtrArray) parts = structured_items (text, 7);
  gboolean cjk = FALSE;
  g_autofree char *box = NULL, *extended = NULL, *street = NULL;
  g_autofree char *locality = NULL, *region = NULL, *code = NULL, *country = NULL;

  for (guint i = 0; i < parts->len; i++)
    cjk = cjk || items_are_cjk (g_ptr_array_index (parts, i));

  {
    const char *sep = cjk ? "" : ", ";

    box = join_items (g_ptr_array_index (parts, 0), sep);
    extended = join_items (g_ptr_array_index (parts, 1), sep);
    street = join_items (g_ptr_array_index (parts, 2), sep);
    locality = join_items (g_ptr_array_index (parts, 3), sep);
    region = join_items (g_ptr_array_index (parts, 4), sep);
    code = join_items (g_ptr_array_index (parts, 5), sep);
    country = join_items (g_ptr_array_index (parts, 6), sep);
  }

  if (cjk)
    {
      GString *out = g_string_new (NULL);
      const char *big[] = { country, region, locality };

      for (guint i = 0; i < G_N_ELEMENTS (big); i++)
        {
          if (*big[i] == '\0' || strstr (street, big[i]) != NULL ||
              strstr (out->str, big[i]) != NULL)
            continue;
          g_string_append (out, big[i]);
        }
      g_string_append (out, street);
      g_string_append (out, extended);
      g_string_append (out, box);
      if (*code != '\0')
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append (out, code);
        }

      return g_string_free (out, FALSE);
    }
  else
    {
      g_autoptr(GPtrArray) first = g_ptr_array_new ();
      g_autoptr(GPtrArray) second = g_ptr_array_new ();
      g_autoptr(GPtrArray) all = g_ptr_array_new ();
      g_autofree char *first_text = NULL;
      g_autofree char *second_text = NULL;

      g_ptr_array_add (first, street);
      g_ptr_array_add (first, extended);
      g_ptr_array_add (first, box);
      g_ptr_array_add (second, locality);
      g_ptr_array_add (second, region);
      g_ptr_array_add (second, code);
      first_text = join_items (first, ", ");
      second_text = join_items (second, " ");

      g_ptr_array_add (all, first_text);
      g_ptr_array_add (all, second_text);
      g_ptr_array_add (all, country);

      return join_items (all, ", ");
    }
}

/* "tel:+1-555-555-0100;ext=42" → "+1-555-555-0100 ext. 42" */
static char *
phone_from_value (const char *text)
{
  g_autofree char *number = NULL;
  g_auto(GStrv) params = NULL;
  const char *ext = NULL;

  if (g_ascii_strncasecmp (text, "tel:", 4) != 0)
    return unescape (text);

  params = g_strsplit (text + 4, ";", -1);
  number = g_strdup (params[0] != NULL ? params[0] : "");
  for (guint i = 1; params[0] != NULL && params[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (params[i], "ext=", 4) == 0 && params[i][4] != '\0')
        ext = params[i] + 4;
    }

  if (ext != NULL)
    return g_strdup_printf ("%s ext. %s", number, ext);

  return g_steal_pointer (&number);
}

static void
take_if_better (char  **slot,
                guint  *slot_rank,
                char   *value,
                guint   rank)
{
  value = one_line (value);
  if (value == NULL)
    return;

  if (*slot == NULL || rank < *slot_rank)
    {
      g_free (*slot);
      *slot = value;
      *slot_rank = rank;
    }
  else
    g_free (value);
}

static void
card_add_categories (Card       *card,
                     const char *text)
{
  g_autoptr(GPtrArray) raw = split_escaped (text, strlen (text), ',');

  for (guint i = 0; i < raw->len; i++)
    {
      char *tag = one_line (unescape (g_ptr_array_index (raw, i)));

      if (tag == NULL)
        continue;

      if (g_hash_table_contains (card->seen_categories, tag))
        g_free (tag);
      else
        {
          g_ptr_array_add (card->categories, tag);
          g_hash_table_add (card->seen_categories, tag);
        }
    }
}

static void
card_add_property (Card           *card,
                   const Property *prop,
                   guint           line)
{
  g_autofree char *text = NULL;

  if (property_is (prop, "VERSION"))
    {
      g_autofree char *version = g_strstrip (g_strndup (prop->value, prop->value_len));

      if (!g_str_equal (version, "2.1") && !g_str_equal (version, "3.0") &&
          !g_str_equal (version, "4.0"))
        {
          /* Keep hostile input from flooding the message. */
          if (g_utf8_strlen (version, -1) > 20)
            *g_utf8_offset_to_pointer (version, 20) = '\0';
          card_fail (card, BB_VCARD_ERROR_SYNTAX,
                     _("Line %u: vCard version “%s” is not supported; use 2.1, 3.0 or 4.0"),
                     line, version);
        }
      return;
    }

  if (!property_is (prop, "FN") && !property_is (prop, "N") &&
      !property_is (prop, "ORG") && !property_is (prop, "TEL") &&
      !property_is (prop, "EMAIL") && !property_is (prop, "ADR") &&
      !property_is (prop, "NOTE") && !property_is (prop, "CATEGORIES"))
    return;

  text = property_get_text (prop, card, line);
  if (text == NULL)
    return;

  if (property_is (prop, "FN"))
    {
      if (card->fn == NULL)
        card->fn = one_line (unescape (text));
    }
  else if (property_is (prop, "N"))
    {
      if (card->n == NULL)
        card->n = one_line (assemble_n (text));
    }
  else if (property_is (prop, "ORG"))
    {
      if (card->org == NULL)
        {
          g_autoptr(GPtrArray) parts = structured_parts (text, 1);

          card->org = one_line (g_strdup (g_ptr_array_index (parts, 0)));
        }
    }
  else if (property_is (prop, "TEL"))
    take_if_better (&card->phone, &card->phone_rank, phone_from_value (text),
                    prop->pref * 2 + (prop->cell ? 0 : 1));
  else if (property_is (prop, "EMAIL"))
    {
      char *email = unescape (text);

      if (g_ascii_strncasecmp (email, "mailto:", 7) == 0)
        memmove (email, email + 7, strlen (email + 7) + 1);
      take_if_better (&card->email, &card->email_rank, email, prop->pref);
    }
  else if (property_is (prop, "ADR"))
    take_if_better (&card->address, &card->address_rank, assemble_adr (text), prop->pref);
  else if (property_is (prop, "NOTE"))
    {
      g_autofree char *note = g_strstrip (unescape (text));

      if (*note != '\0')
        {
          if (card->note->len > 0)
            g_string_append_c (card->note, '\n');
          g_string_append (card->note, note);
        }
    }
  else if (property_is (prop, "CATEGORIES"))
    card_add_categories (card, text);
}

/* The contact of a card that ended well, or NULL with its problem set. */
static BbVCardContact *
card_finish (Card *card)
{
  BbVCardContact *contact;

  if (card->problem != NULL)
    return NULL;

  if (card->fn == NULL && card->n == NULL && card->org == NULL)
    {
      card_fail (card, BB_VCARD_ERROR_SYNTAX,
                 _("Line %u: the contact that starts here has no name (no “FN”, “N” or “ORG”)"),
                 card->line);
      return NULL;
    }

  contact = g_new0 (BbVCardContact, 1);
  contact->line = card->line;
  contact->name = g_strdup (card->fn != NULL ? card->fn : card->n != NULL ? card->n : card->org);
  contact->company = g_strdup (card->org);
  contact->phone = g_steal_pointer (&card->phone);
  contact->email = g_steal_pointer (&card->email);
  contact->address = g_steal_pointer (&card->address);
  contact->note = card->note->len > 0 ? g_strdup (card->note->str) : NULL;
  contact->tax_id = NULL;
  g_hash_table_remove_all (card->seen_categories);
  g_ptr_array_add (card->categories, NULL);
  contact->categories = (char **) g_ptr_array_steal (card->categories, NULL);

  return contact;
}

/**
 * bb_vcard_contact_free:
 * @contact: (nullable): a contact
 */
void
bb_vcard_contact_free (BbVCardContact *contact)
{
  if (contact == NULL)
    return;

  g_free (contact->name);
  g_free (contact->company);
  g_free (contact->phone);
  g_free (contact->email);
  g_free (contact->address);
  g_free (contact->note);
  g_free (contact->tax_id);
  g_strfreev (contact->categories);
  g_free (contact);
}

typedef struct
{
  GString *message;
  int      code;
  guint    count;
} Problems;

static void
problems_add (Problems     *problems,
              const GError *error)
{
  if (problems->count == 0)
    problems->code = error->code;
  problems->count++;

  if (problems->count > MAX_REPORTED_PROBLEMS)
    return;

  if (problems->message->len > 0)
    g_string_append_c (problems->message, '\n');
  g_string_append (problems->message, error->message);
}

static void
problems_add_card (Problems *problems,
                   Card     *card)
{
  if (card->problem != NULL)
    problems_add (problems, card->problem);
}

static void G_GNUC_PRINTF (3, 4)
problems_add_printf (Problems   *problems,
                     int         code,
                     const char *format,
                     ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (BB_VCARD_ERROR, code, format, args);
  va_end (args);

  problems_add (problems, error);
}

static void
missing_end (Problems *problems,
             Card     *card)
{
  problems_add_printf (problems, BB_VCARD_ERROR_SYNTAX,
                       _("Line %u: the contact that starts here has no “END:VCARD”"),
                       card->line);
}

static gboolean
value_is_vcard (const Property *prop)
{
  g_autofree char *value = g_strstrip (g_strndup (prop->value, prop->value_len));

  return g_ascii_strcasecmp (value, "VCARD") == 0;
}

/**
 * bb_vcard_parse:
 * @data: the bytes of a .vcf file, at most %BB_VCARD_MAX_FILE_BYTES
 * @error: return location for an error
 *
 * Reads every contact of a vCard 2.1, 3.0 or 4.0 file, as phones and
 * address books export them: folded lines, `item1.` groups, any case,
 * quoted-printable values in their CHARSET, escapes; photos and other
 * base64 values are skipped. A file that is not UTF-8 is read as GB18030
 * (or UTF-16 with a byte order mark).
 *
 * A card with no FN and no N takes its ORG as name. The file fails as a
 * whole if any card is bad (no END:VCARD, a VERSION other than 2.1, 3.0
 * or 4.0, no name at all, an unreadable CHARSET): the error message then
 * has one line per bad card, "Line N: …", so an import can show them all;
 * the error code is that of the first.
 *
 * Returns: (transfer container) (element-type BbVCardContact): the
 *   contacts in file order, freed with g_ptr_array_unref(); or %NULL
 */
GPtrArray *
bb_vcard_parse (GBytes  *data,
                GError **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GString) line = NULL;
  g_autoptr(Card) card = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) message = NULL;
  Problems problems = { NULL, 0, 0 };
  Scanner scanner = { NULL, 0, 0, 1 };
  gboolean seen_begin = FALSE;
  guint line_number = 0;
  gsize len = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_bytes_get_size (data) > BB_VCARD_MAX_FILE_BYTES)
    {
      g_set_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB"),
                   (guint) (BB_VCARD_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  text = decode_file (data, &len, error);
  if (text == NULL)
    return NULL;

  scanner.text = text;
  scanner.len = len;
  contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_vcard_contact_free);
  line = g_string_new (NULL);
  message = g_string_new (NULL);
  problems.message = message;

  while (scanner_next_logical (&scanner, line, &line_number))
    {
      Property prop;

      /* Always true after decode_file(); kept as a guard for fuzzing. */
      if (!g_utf8_validate_len (line->str, line->len, NULL))
        continue;

      if (!property_parse (&prop, line->str, line->len, TRUE))
        continue;

      if (property_is (&prop, "BEGIN") && value_is_vcard (&prop))
        {
          if (card != NULL)
            missing_end (&problems, card);
          g_clear_pointer (&card, card_free);
          card = card_new (line_number);
          seen_begin = TRUE;
        }
      else if (property_is (&prop, "END") && value_is_vcard (&prop))
        {
          if (card == NULL)
            problems_add_printf (&problems, BB_VCARD_ERROR_SYNTAX,
                                 _("Line %u: “END:VCARD” without a “BEGIN:VCARD” before it"),
                                 line_number);
          else
            {
              BbVCardContact *contact = card_finish (card);

              if (contact != NULL)
                g_ptr_array_add (contacts, contact);
              else
                problems_add_card (&problems, card);
              g_clear_pointer (&card, card_free);
            }
        }
      else if (card != NULL)
        card_add_property (card, &prop, line_number);

      property_clear (&prop);
    }

  if (card != NULL)
    missing_end (&problems, card);

  if (problems.count > MAX_REPORTED_PROBLEMS)
    {
      guint more = problems.count - MAX_REPORTED_PROBLEMS;

      g_string_append_c (message, '\n');
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "… and %u more problem",
                                           "… and %u more problems",
                                           more),
                              more);
    }

  if (problems.count > 0)
    {
      g_set_error_literal (error, BB_VCARD_ERROR, problems.code, message->str);
      return NULL;
    }

  if (!seen_begin)
    {
      g_set_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_EMPTY,
                   _("The file has no contacts: no line says “BEGIN:VCARD”"));
      return NULL;
    }

  return g_steal_pointer (&contacts);
}
