/* bb-report-doc.h — a report as a file: its chart and its table, PNG or PDF
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-chart.h"
#include "bb-reports.h"

G_BEGIN_DECLS

/* A table of text as the reader sees it: translated headings, money with
 * its symbol, numbers right-aligned. */
typedef struct _BbReportTable BbReportTable;

BbReportTable *bb_report_table_new             (void);
void           bb_report_table_free            (BbReportTable    *table);
void           bb_report_table_add_column      (BbReportTable    *table,
                                                const char       *heading,
                                                gboolean          numeric);
/* @cells: one text per column */
void           bb_report_table_add_row         (BbReportTable    *table,
                                                const char * const *cells);
guint          bb_report_table_get_n_columns   (BbReportTable    *table);
guint          bb_report_table_get_n_rows      (BbReportTable    *table);
const char    *bb_report_table_get_heading     (BbReportTable    *table,
                                                guint             column);
const char    *bb_report_table_get_cell        (BbReportTable    *table,
                                                guint             row,
                                                guint             column);

/* The tables of the reports, as the reports page lists them. */
BbReportTable *bb_report_table_new_collections (GPtrArray        *rows,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_aging       (GPtrArray        *rows,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_methods     (GPtrArray        *rows,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_top         (GPtrArray        *rows,
                                                BbTopBy           by,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_classes     (GPtrArray        *rows,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_liability   (GPtrArray        *rows,
                                                const BbCurrency *currency);
BbReportTable *bb_report_table_new_on_time     (GPtrArray        *rows);

/* "2025-12-01 to 2026-11-23", "From …", "Up to …", "All dates": the
 * note of a report of a period. */
char          *bb_report_period_note           (const GDate      *from,
                                                const GDate      *to);

/* The chart (in the light style, titled) above its table; @note, if not
 * NULL, is a line under the title ("1 December 2025 to 23 November
 * 2026"). A PNG lists the first BB_REPORT_PNG_ROWS rows and says how many
 * more there are; a PDF (A4) lists every row, on as many pages as they
 * take, the headings again on each. The file is readable by its owner
 * only. */
#define BB_REPORT_PNG_ROWS 40

gboolean       bb_report_write_png             (BbChart          *chart,
                                                BbReportTable    *table,
                                                const char       *note,
                                                const char       *path,
                                                GError          **error);
gboolean       bb_report_write_pdf             (BbChart          *chart,
                                                BbReportTable    *table,
                                                const char       *note,
                                                const char       *path,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReportTable, bb_report_table_free)

G_END_DECLS
