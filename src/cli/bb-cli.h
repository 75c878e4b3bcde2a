/* bb-cli.h — the commands of billbook-cli, one file each
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command gets the open book and its own arguments (argv[0] is the
 * command's name), prints CSV or a message, and returns the exit status:
 * 0 on success, 1 with a message on stderr naming the problem.
 */
#pragma once

#include "bb-db.h"

G_BEGIN_DECLS

int bb_cli_check    (BbDb *db, int argc, char **argv);   /* bb-cli-check.c */
int bb_cli_import   (BbDb *db, int argc, char **argv);   /* bb-cli-io.c */
int bb_cli_export   (BbDb *db, int argc, char **argv);   /* bb-cli-io.c */
int bb_cli_demo     (BbDb *db, int argc, char **argv);   /* bb-cli-demo.c */
int bb_cli_backup   (BbDb *db, int argc, char **argv);   /* bb-cli-backup.c */
int bb_cli_restore  (BbDb *db, int argc, char **argv);   /* bb-cli-backup.c */
int bb_cli_invoice  (BbDb *db, int argc, char **argv);   /* bb-cli-invoice.c */
int bb_cli_report   (BbDb *db, int argc, char **argv);   /* bb-cli-report.c */
int bb_cli_balance  (BbDb *db, int argc, char **argv);   /* bb-cli-balance.c */
int bb_cli_prepaid  (BbDb *db, int argc, char **argv);   /* bb-cli-prepaid.c */
int bb_cli_recur    (BbDb *db, int argc, char **argv);   /* bb-cli-recur.c */
int bb_cli_remind   (BbDb *db, int argc, char **argv);   /* bb-cli-remind.c */
int bb_cli_bench    (BbDb *db, int argc, char **argv);   /* bb-cli-bench.c */

/* Writes @text to @path, or to stdout when @path is NULL or "-". */
gboolean bb_cli_write_output (const char  *path,
                              const char  *text,
                              gsize        length,
                              GError     **error);

/* Reads a whole number from @min to @max, or says which option it was for. */
gboolean bb_cli_parse_count  (const char  *option,
                              const char  *text,
                              guint64      min,
                              guint64      max,
                              guint64     *out,
                              GError     **error);

G_END_DECLS
