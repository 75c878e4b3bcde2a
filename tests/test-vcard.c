/* test-vcard.c — tests for the vCard reader
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-vcard.h"

static GPtrArray *
parse_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, length);

  contacts = bb_vcard_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (contacts);

  return g_steal_pointer (&contacts);
}

static GPtrArray *
parse_text (const char *text,
            gssize      len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  g_autoptr(GError) error = NULL;
  GPtrArray *contacts = bb_vcard_parse (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contacts);

  return contacts;
}

/* Parses @text expecting an error with exactly @message. */
static void
assert_parse_error (const char  *text,
                    gssize       len,
                    BbVCardError code,
                    const char  *message)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = bb_vcard_parse (bytes, &error);

  g_assert_null (contacts);
  g_assert_error (error, BB_VCARD_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
}

static BbVCardContact *
contact_at (GPtrArray *contacts,
            guint      i)
{
  g_assert_cmpuint (i, <, contacts->len);
  return g_ptr_array_index (contacts, i);
}

static void
test_v3_sample (void)
{
  g_autoptr(GPtrArray) contacts = parse_file ("vcard3.vcf");
  BbVCardContact *c;

  g_assert_cmpuint (contacts->len, ==, 4);

  /* iOS export: item groups, type=pref, folded ADR and NOTE, a photo. */
  c = contact_at (contacts, 0);
  g_assert_cmpuint (c->line, ==, 1);
  g_assert_cmpstr (c->name, ==, "John Appleseed");
  g_assert_cmpstr (c->company, ==, "Apple Inc.");
  g_assert_cmpstr (c->phone, ==, "+1 (408) 555-0100");
  g_assert_cmpstr (c->email, ==, "john@example.com");
  g_assert_cmpstr (c->address, ==, "1 Infinite Loop, Cupertino CA 95014, United States");
  g_assert_cmpstr (c->note, ==,
                   "Prefers email, not calls.\n"
                   "Visit on Mondays; bring the catalogue. This note is folded over two lines.");
  g_assert_null (c->tax_id);
  g_assert_cmpstrv (c->categories, ((const char *[]) { "VIP", "Wholesale", NULL }));

  /* Chinese phone export: quoted-printable UTF-8, soft line breaks. */
  c = contact_at (contacts, 1);
  g_assert_cmpuint (c->line, ==, 22);
  g_assert_cmpstr (c->name, ==, "王小明");
  g_assert_cmpstr (c->company, ==, "北京小明餐饮有限公司");
  g_assert_cmpstr (c->phone, ==, "138 0013 8000");
  g_assert_null (c->email);
  g_assert_cmpstr (c->address, ==, "中国北京市海淀区中关村大街1号 100080");
  g_assert_cmpstr (c->note, ==, "每月结账，送货上门。周日休息。");
  g_assert_cmpstrv (c->categories, ((const char *[]) { "餐饮", "批发,零售", NULL }));

  /* Lower-case names, empty FN, PREF in a TYPE list, a mobile number
   * preferred over an earlier work number, repeated categories. */
  c = contact_at (contacts, 2);
  g_assert_cmpuint (c->line, ==, 36);
  g_assert_cmpstr (c->name, ==, "Si Li");
  g_assert_null (c->company);
  g_assert_cmpstr (c->phone, ==, "139 1111 2222");
  g_assert_cmpstr (c->email, ==, "si.li@example.cn");
  g_assert_null (c->address);
  g_assert_null (c->note);
  g_assert_cmpstrv (c->categories, ((const char *[]) { "Friends", "Retail", NULL }));

  /* A company card: no FN or N text, the ORG names it. */
  c = contact_at (contacts, 3);
  g_assert_cmpuint (c->line, ==, 46);
  g_assert_cmpstr (c->name, ==, "Acme Supplies Ltd.");
  g_assert_cmpstr (c->company, ==, "Acme Supplies Ltd.");
  g_assert_cmpstr (c->phone, ==, "+44 20 7946 0000");
  g_assert_nonnull (c->categories);
  g_assert_null (c->categories[0]);
}

static void
test_v4_sample (void)
{
  g_autoptr(GPtrArray) contacts = parse_file ("vcard4.vcf");
  BbVCardContact *c;

  g_assert_cmpuint (contacts->len, ==, 2);

  c = contact_at (contacts, 0);
  g_assert_cmpuint (c->line, ==, 1);
  g_assert_cmpstr (c->name, ==, "Jane Q. Public");
  g_assert_cmpstr (c->company, ==, "Example, Inc.");
  /* PREF=1 wins; the tel: URI is reduced to the number. */
  g_assert_cmpstr (c->phone, ==, "+1-555-555-0199 ext. 42");
  g_assert_cmpstr (c->email, ==, "jane@work.example");
  g_assert_cmpstr (c->address, ==, "123 Main Street, Building 7, Suite 400, Springfield IL 62704, USA");
  g_assert_cmpstr (c->note, ==, "Call before delivery, not after 6pm.\nGate code: 1234; ask for Jane.");
  g_assert_cmpstrv (c->categories, ((const char *[]) { "Retail", "VIP", "retail-2024", NULL }));

  /* No FN: N in Chinese order; a fold splits a UTF-8 character. */
  c = contact_at (contacts, 1);
  g_assert_cmpuint (c->line, ==, 18);
  g_assert_cmpstr (c->name, ==, "张伟");
  g_assert_null (c->company);
  g_assert_cmpstr (c->phone, ==, "+86-139-0000-1111");
  g_assert_null (c->email);
  g_assert_cmpstr (c->address, ==, "中国上海市人民路8号 200001");
  g_assert_cmpstr (c->note, ==, "备注：送货前电话");
}

static void
test_v21_android (void)
{
  g_autoptr(GPtrArray) contacts = parse_file ("android21.vcf");
  BbVCardContact *c;

  g_assert_cmpuint (contacts->len, ==, 2);

  /* Bare 2.1 types (TEL;CELL;PREF), soft breaks inside a character,
   * an encoded "=", a photo with an empty line after it. */
  c = contact_at (contacts, 0);
  g_assert_cmpuint (c->line, ==, 1);
  g_assert_cmpstr (c->name, ==, "陈大文");
  g_assert_cmpstr (c->phone, ==, "139 1234 5678");
  g_assert_cmpstr (c->email, ==, "chen@example.cn");
  g_assert_cmpstr (c->address, ==, "广东省广州市天河区体育西路191号");
  g_assert_cmpstr (c->note, ==, "老顾客=常买茶叶");

  /* Quoted-printable in CHARSET=GB2312, name from N only. */
  c = contact_at (contacts, 1);
  g_assert_cmpuint (c->line, ==, 19);
  g_assert_cmpstr (c->name, ==, "张三");
  g_assert_cmpstr (c->phone, ==, "020-1234 5678");
}

static void
test_n_assembly (void)
{
  static const struct { const char *n, *name; } cases[] = {
    { "王;小明;;;", "王小明" },
    { "欧阳;娜娜", "欧阳娜娜" },
    { "山田;太郎;;;", "山田太郎" },
    { "김;민수;;;", "김민수" },
    { "Smith;John;;;", "John Smith" },
    { "Public;John;Quinlan,Q.;Mr.;Esq.", "Mr. John Quinlan Q. Public Esq." },
    { ";Cher;;;", "Cher" },
    { "Wang;小明;;;", "小明 Wang" },
    { "O\\;Brien;Pat;;;", "Pat O;Brien" },
    { "  Lee ; Ann ;;;", "Ann Lee" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("BEGIN:VCARD\nVERSION:3.0\nN:%s\nEND:VCARD\n", cases[i].n);
      g_autoptr(GPtrArray) contacts = parse_text (text, -1);

      g_assert_cmpuint (contacts->len, ==, 1);
      g_assert_cmpstr (contact_at (contacts, 0)->name, ==, cases[i].name);
    }
}

static void
test_fn_preferred (void)
{
  g_autoptr(GPtrArray) contacts =
    parse_text ("BEGIN:VCARD\nVERSION:4.0\nN:Wang;Xiaoming;;;\nFN:王小明 (Tony)\nFN:Second\nEND:VCARD\n", -1);

  g_assert_cmpstr (contact_at (contacts, 0)->name, ==, "王小明 (Tony)");
}

static void
test_categories (void)
{
  g_autoptr(GPtrArray) contacts =
    parse_text ("BEGIN:VCARD\r\n"
                "VERSION:3.0\r\n"
                "FN:Ann\r\n"
                "CATEGORIES:a\\,b, c ,,vip\r\n"
                "CATEGORIES:vip,VIP,tea\\\\coffee\r\n"
                "CATEGORIES:\r\n"
                "END:VCARD\r\n", -1);

  g_assert_cmpstrv (contact_at (contacts, 0)->categories,
                    ((const char *[]) { "a,b", "c", "vip", "VIP", "tea\\coffee", NULL }));
}

static void
test_line_ends_and_folding (void)
{
  /* LF only, CR only, folds with a space and with a TAB. */
  static const char *texts[] = {
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n  Lee\nNOTE:one\n\ttwo\nEND:VCARD\n",
    "BEGIN:VCARD\rVERSION:3.0\rFN:Ann\r  Lee\rNOTE:one\r\ttwo\rEND:VCARD",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nF\r\n N:Ann\r\n  Lee\r\nNOTE:o\r\n ne\r\n\ttwo\r\nEND:VCARD\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) contacts = parse_text (texts[i], -1);

      g_assert_cmpuint (contacts->len, ==, 1);
      g_assert_cmpstr (contact_at (contacts, 0)->name, ==, "Ann Lee");
      g_assert_cmpstr (contact_at (contacts, 0)->note, ==, "onetwo");
    }
}

static void
test_escapes (void)
{
  g_autoptr(GPtrArray) contacts =
    parse_text ("BEGIN:VCARD\n"
                "VERSION:3.0\n"
                "FN:A\\, B\\; C\n"
                "NOTE:back\\\\slash\\nnew\\Nline\\, comma\\; semi\\: colon \\q\n"
                "NOTE:second note\n"
                "ORG:Foo\\; Bar;Dept\n"
                "EMAIL:mailto:a@b.example\n"
                "END:VCARD\n", -1);
  BbVCardContact *c = contact_at (contacts, 0);

  g_assert_cmpstr (c->name, ==, "A, B; C");
  g_assert_cmpstr (c->note, ==, "back\\slash\nnew\nline, comma; semi: colon \\q\nsecond note");
  g_assert_cmpstr (c->company, ==, "Foo; Bar");
  g_assert_cmpstr (c->email, ==, "a@b.example");
}

static void
test_preferences (void)
{
  /* TEL: lowest PREF first, then mobile, then the first written. */
  g_autoptr(GPtrArray) contacts =
    parse_text ("BEGIN:VCARD\nVERSION:4.0\nFN:A\n"
                "TEL;TYPE=work:1\nTEL;TYPE=cell:2\nTEL;TYPE=cell:3\n"
                "EMAIL:first@x\nEMAIL:second@x\n"
                "END:VCARD\n"
                "BEGIN:VCARD\nVERSION:4.0\nFN:B\n"
                "TEL;TYPE=cell:1\nTEL;PREF=2:2\nTEL;PREF=1;TYPE=home:3\nTEL;PREF=1;TYPE=cell:4\n"
                "EMAIL;PREF=50:a@x\nEMAIL;PREF=7:b@x\nEMAIL;PREF=900:c@x\n"
                "END:VCARD\n"
                "BEGIN:VCARD\nVERSION:3.0\nFN:C\n"
                "TEL:\nTEL;TYPE=\"cell,voice\":tel:+86 1\n"
                "END:VCARD\n", -1);

  g_assert_cmpuint (contacts->len, ==, 3);
  g_assert_cmpstr (contact_at (contacts, 0)->phone, ==, "2");
  g_assert_cmpstr (contact_at (contacts, 0)->email, ==, "first@x");
  g_assert_cmpstr (contact_at (contacts, 1)->phone, ==, "4");
  g_assert_cmpstr (contact_at (contacts, 1)->email, ==, "b@x");
  g_assert_cmpstr (contact_at (contacts, 2)->phone, ==, "+86 1");
}

static void
test_address_assembly (void)
{
  static const struct { const char *adr, *address; } cases[] = {
    { ";;1 Main St;Springfield;IL;62704;USA", "1 Main St, Springfield IL 62704, USA" },
    { "PO Box 9;;;Springfield;;;", "PO Box 9, Springfield" },
    { ";;10 Downing St\\nWestminster;London;;SW1A 2AA;UK", "10 Downing St, Westminster, London SW1A 2AA, UK" },
    { ";;;;;;", NULL },
    { ";;北京市朝阳区建国路88号;北京市;北京市;;中国", "中国北京市朝阳区建国路88号" },
    { ";3号楼;建国路88号;朝阳区;北京市;100022;", "北京市朝阳区建国路88号3号楼 100022" },
    { ";;1-2-3 Shibuya;渋谷区;東京都;150-0002;日本", "日本東京都渋谷区1-2-3 Shibuya 150-0002" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("BEGIN:VCARD\nVERSION:3.0\nFN:x\nADR:%s\nEND:VCARD\n", cases[i].adr);
      g_autoptr(GPtrArray) contacts = parse_text (text, -1);

      g_assert_cmpstr (contact_at (contacts, 0)->address, ==, cases[i].address);
    }
}

static void
test_base64_skipped (void)
{
  g_autoptr(GPtrArray) contacts =
    parse_text ("BEGIN:VCARD\nVERSION:3.0\nFN:x\n"
                "NOTE;ENCODING=b:aGVsbG8=\n"
                "NOTE;ENCODING=BASE64:aGVsbG8=\n"
                "NOTE:kept\n"
                "END:VCARD\n", -1);

  g_assert_cmpstr (contact_at (contacts, 0)->note, ==, "kept");
}

static void
test_error_missing_end (void)
{
  assert_parse_error ("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n"
                      "BEGIN:VCARD\nVERSION:3.0\nFN:B\n"
                      "BEGIN:VCARD\nVERSION:3.0\nFN:C\nEND:VCARD\n"
                      "BEGIN:VCARD\nVERSION:3.0\nFN:D\n",
                      -1, BB_VCARD_ERROR_SYNTAX,
                      "Line 5: the contact that starts here has no “END:VCARD”\n"
                      "Line 12: the contact that starts here has no “END:VCARD”");
}

static void
test_error_version (void)
{
  assert_parse_error ("BEGIN:VCARD\r\nVERSION:5.0\r\nFN:A\r\nEND:VCARD\r\n",
                      -1, BB_VCARD_ERROR_SYNTAX,
                      "Line 2: vCard version “5.0” is not supported; use 2.1, 3.0 or 4.0");
}

static void
test_error_no_name (void)
{
  assert_parse_error ("\n\nBEGIN:VCARD\nVERSION:3.0\nN:;;;;\nFN: \nTEL:123\nEND:VCARD\n",
                      -1, BB_VCARD_ERROR_SYNTAX,
                      "Line 3: the contact that starts here has no name (no “FN”, “N” or “ORG”)");
}

static void
test_error_every_bad_card (void)
{
  /* Good and bad cards mixed: each bad one gets a line, in file order;
   * the code is that of the first. */
  assert_parse_error ("BEGIN:VCARD\nVERSION:3.0\nFN:good\nEND:VCARD\n"              /* 1 */
                      "BEGIN:VCARD\nVERSION:3.0\nTEL:1\nEND:VCARD\n"                /* 5 */
                      "BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=NO-SUCH-SET:=FF=FE\nEND:VCARD\n" /* 9 */
                      "BEGIN:VCARD\nVERSION:3.1\nFN:x\nEND:VCARD\n"                 /* 13 */
                      "END:VCARD\n"                                                  /* 17 */
                      "BEGIN:VCARD\nFN:good too\nEND:VCARD\n",                     /* 18 */
                      -1, BB_VCARD_ERROR_SYNTAX,
                      "Line 5: the contact that starts here has no name (no “FN”, “N” or “ORG”)\n"
                      "Line 11: the “FN” value is not readable text (character set “NO-SUCH-SET”)\n"
                      "Line 14: vCard version “3.1” is not supported; use 2.1, 3.0 or 4.0\n"
                      "Line 17: “END:VCARD” without a “BEGIN:VCARD” before it");
}

static void
test_error_many_problems (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 150; i++)
    g_string_append (text, "BEGIN:VCARD\nEND:VCARD\n");

  bytes = g_bytes_new (text->str, text->len);
  contacts = bb_vcard_parse (bytes, &error);
  g_assert_null (contacts);
  g_assert_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_SYNTAX);

  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 101);
  g_assert_true (g_str_has_prefix (lines[0], "Line 1: "));
  g_assert_true (g_str_has_prefix (lines[99], "Line 199: "));
  g_assert_cmpstr (lines[100], ==, "… and 50 more problems");
}

static void
test_error_empty (void)
{
  static const char *texts[] = { "", "\n\n", "\xEF\xBB\xBF", "name,phone\nAnn,1\n", "VERSION:3.0\nFN:x\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_parse_error (texts[i], -1, BB_VCARD_ERROR_EMPTY,
                        "The file has no contacts: no line says “BEGIN:VCARD”");
}

static void
test_error_too_large (void)
{
  gsize size = BB_VCARD_MAX_FILE_BYTES + 1;
  g_autofree char *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;

  memset (data, 'x', size);
  bytes = g_bytes_new_take (g_steal_pointer (&data), size);
  contacts = bb_vcard_parse (bytes, &error);

  g_assert_null (contacts);
  g_assert_error (error, BB_VCARD_ERROR, BB_VCARD_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "The file is larger than 20 MiB");
}

static void
test_invalid_utf8 (void)
{
  /* Latin-1 "é" before a newline: neither UTF-8 nor GB18030. */
  static const char text[] = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xE9\r\nEND:VCARD\r\n";
  static const char with_nul[] = "BEGIN:VCARD\nFN:a\0b\nEND:VCARD\n";

  assert_parse_error (text, sizeof text - 1, BB_VCARD_ERROR_ENCODING,
                      "Line 3 is not UTF-8 or GB18030 text; export the contacts as UTF-8 and try again");

  /* A NUL byte is refused too. */
  assert_parse_error (with_nul, sizeof with_nul - 1, BB_VCARD_ERROR_ENCODING,
                      "Line 2 is not UTF-8 or GB18030 text; export the contacts as UTF-8 and try again");
}

static void
test_gb18030_file (void)
{
  /* A whole file in GB18030: "FN:张三" (张 = D5C5, 三 = C8FD),
   * "ADR:;;人民路8号;上海市" (人民路 = C8CB C3F1 C2B7, 号 = BAC5, 上海市 = C9CF BAA3 CAD0). */
  static const char text[] =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xD5\xC5\xC8\xFD\r\n"
    "ADR:;;\xC8\xCB\xC3\xF1\xC2\xB7" "8\xBA\xC5;\xC9\xCF\xBA\xA3\xCA\xD0\r\n"
    "END:VCARD\r\n";
  g_autoptr(GPtrArray) contacts = parse_text (text, sizeof text - 1);

  g_assert_cmpuint (contacts->len, ==, 1);
  g_assert_cmpstr (contact_at (contacts, 0)->name, ==, "张三");
  g_assert_cmpstr (contact_at (contacts, 0)->address, ==, "上海市人民路8号");
}

static void
test_utf16 (void)
{
  g_autofree char *utf16 = NULL;
  g_autofree char *with_bom = NULL;
  gsize written = 0;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nEND:VCARD\r\n";

  utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &written, &error);
  g_assert_no_error (error);
  with_bom = g_malloc (written + 2);
  with_bom[0] = (char) 0xFF;
  with_bom[1] = (char) 0xFE;
  memcpy (with_bom + 2, utf16, written);

  contacts = parse_text (with_bom, (gssize) written + 2);
  g_assert_cmpuint (contacts->len, ==, 1);
  g_assert_cmpstr (contact_at (contacts, 0)->name, ==, "王小明");
}

static void
test_garbage (void)
{
  /* Hostile shapes: each must give contacts or an error, within bounds. */
  static const char *texts[] = {
    "BEGIN:VCARD", "BEGIN:VCARD\nN;\"", "BEGIN:VCARD\nN;\"x:y\nEND:VCARD",
    "BEGIN:VCARD\nFN;QUOTED-PRINTABLE:=", "BEGIN:VCARD\nFN;QUOTED-PRINTABLE:=\n",
    "BEGIN:VCARD\nFN;QUOTED-PRINTABLE:a=\n=\n=\nEND:VCARD\n",
    "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=0=1=G=00\nEND:VCARD\n",
    "BEGIN:VCARD\n:\n;\n.\n.:\nFN:\\\nEND:VCARD", "\n \n \n\t", "BEGIN:VCARD\n \n\t\nFN:x\nEND:VCARD\n",
    "BEGIN:VCARD\nFN:x\nADR:\\\nN:\\;\\\nCATEGORIES:\\\nTEL:tel:\nTEL:tel:;ext=\nEND:VCARD\n",
    "BEGIN:VCARD\nVERSION:0123456789012345678901234567890123456789\nEND:VCARD",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (texts[i], strlen (texts[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) contacts = bb_vcard_parse (bytes, &error);

      g_assert_true ((contacts == NULL) != (error == NULL));
      if (contacts != NULL)
        {
          for (guint j = 0; j < contacts->len; j++)
            {
              BbVCardContact *c = contact_at (contacts, j);

              g_assert_nonnull (c->name);
              g_assert_true (g_utf8_validate (c->name, -1, NULL));
              g_assert_nonnull (c->categories);
            }
        }
    }
}

static void
test_quoted_printable_nul (void)
{
  /* "=00" decodes to a NUL byte: not readable text. */
  assert_parse_error ("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:a=00b\nEND:VCARD\n", -1,
                      BB_VCARD_ERROR_ENCODING,
                      "Line 2: the “FN” value is not readable text (character set “UTF-8”)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vcard/sample/v3", test_v3_sample);
  g_test_add_func ("/vcard/sample/v4", test_v4_sample);
  g_test_add_func ("/vcard/sample/v21-android", test_v21_android);
  g_test_add_func ("/vcard/name/n-assembly", test_n_assembly);
  g_test_add_func ("/vcard/name/fn-preferred", test_fn_preferred);
  g_test_add_func ("/vcard/categories", test_categories);
  g_test_add_func ("/vcard/syntax/line-ends-folding", test_line_ends_and_folding);
  g_test_add_func ("/vcard/syntax/escapes", test_escapes);
  g_test_add_func ("/vcard/syntax/base64-skipped", test_base64_skipped);
  g_test_add_func ("/vcard/syntax/garbage", test_garbage);
  g_test_add_func ("/vcard/preferences", test_preferences);
  g_test_add_func ("/vcard/address", test_address_assembly);
  g_test_add_func ("/vcard/error/missing-end", test_error_missing_end);
  g_test_add_func ("/vcard/error/version", test_error_version);
  g_test_add_func ("/vcard/error/no-name", test_error_no_name);
  g_test_add_func ("/vcard/error/every-bad-card", test_error_every_bad_card);
  g_test_add_func ("/vcard/error/many-problems", test_error_many_problems);
  g_test_add_func ("/vcard/error/empty", test_error_empty);
  g_test_add_func ("/vcard/error/too-large", test_error_too_large);
  g_test_add_func ("/vcard/encoding/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/vcard/encoding/gb18030", test_gb18030_file);
  g_test_add_func ("/vcard/encoding/utf16", test_utf16);
  g_test_add_func ("/vcard/encoding/qp-nul", test_quoted_printable_nul);

  return g_test_run ();
}
