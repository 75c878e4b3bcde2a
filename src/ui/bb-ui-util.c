/* bb-ui-util.c — small helpers the pages share
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-ui-util.h"

/* GtkColumnView (4.8) shows sort arrows and keeps a sorter, but has no
 * public way to ask which column the user clicked; 4.10 added one. On 4.8
 * each column's sorter remembers being asked first when the view's sorter
 * compares two dummy items: the first column asked is the primary one, and
 * the sign of the answer gives the direction. No rows are ever sorted in
 * memory: the SQL does it. */
static int
remember_column (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  int *asked = g_object_get_data (G_OBJECT (a), "asked");

  if (asked && *asked < 0)
    *asked = GPOINTER_TO_INT (user_data);

  return -1;
}

/**
 * bb_column_sorter_new:
 * @column: what bb_column_view_get_sort() reports for this column
 */
GtkSorter *
bb_column_sorter_new (int column)
{
  return GTK_SORTER (gtk_custom_sorter_new (remember_column, GINT_TO_POINTER (column), NULL));
}

gboolean
bb_column_view_get_sort (GtkColumnView *view,
                         int           *column,
                         gboolean      *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  int asked = -1;
  GtkOrdering order;

  g_object_set_data (a, "asked", &asked);
  g_object_set_data (b, "asked", &asked);
  order = gtk_sorter_compare (sorter, a, b);

  if (asked < 0 || order == GTK_ORDERING_EQUAL)
    return FALSE;

  *column = asked;
  *descending = order == GTK_ORDERING_LARGER;
  return TRUE;
}

/* GtkColumnView gets a scroll_to() only in 4.12; its inner list view has
 * had the "list.scroll-to-item" action all along. */
void
bb_column_view_scroll_to (GtkColumnView *view,
                          guint          position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      {
        gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
        return;
      }
}

/* Shows @text in the nearest toast overlay, or the window's. */
void
bb_widget_toast (GtkWidget  *widget,
                 const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (widget);

      if (GTK_IS_WINDOW (root) && gtk_window_get_transient_for (GTK_WINDOW (root)))
        overlay = gtk_widget_get_ancestor (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (root))),
                                           ADW_TYPE_TOAST_OVERLAY);
      if (overlay == NULL && root)
        {
          for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (root)); child && !overlay;
               child = gtk_widget_get_next_sibling (child))
            if (ADW_IS_TOAST_OVERLAY (child))
              overlay = child;
        }
    }

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_message ("%s", text);
}
