/* bb-ui-util.h — small helpers the pages share
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkSorter *bb_column_sorter_new          (int             column);
void       bb_column_view_add_column     (GtkColumnView  *view,
                                          int             column,
                                          const char     *title,
                                          int             width,
                                          GCallback       setup,
                                          GCallback       bind,
                                          gpointer        page);
void       bb_column_view_sort_by        (GtkColumnView  *view,
                                          int             column,
                                          GtkSortType     order);
gboolean   bb_column_view_get_sort       (GtkColumnView  *view,
                                          int            *column,
                                          gboolean       *descending);
void       bb_column_view_scroll_to      (GtkColumnView  *view,
                                          guint           position);
void       bb_widget_after_first_frame   (GtkWidget      *widget,
                                          GSourceFunc     func,
                                          gpointer        data,
                                          GDestroyNotify  destroy);
GListModel *bb_first_rows_model_new      (GListModel     *model,
                                          GtkWidget      *view);
void       bb_first_rows_model_show_all  (GListModel     *first_rows);
GtkWidget *bb_cell_label_new             (gboolean        numeric,
                                          const char     *tag_class);
void       bb_cell_set_tooltip           (GtkWidget      *widget,
                                          const char     *text);
void       bb_widget_toast               (GtkWidget      *widget,
                                          const char     *text);

G_END_DECLS
