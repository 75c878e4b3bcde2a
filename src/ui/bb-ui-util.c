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

/**
 * bb_column_view_add_column:
 * @column: the column's number, given to @setup and @bind as their
 *   user data and reported by bb_column_view_get_sort()
 * @title: (transfer none): the heading, translated
 * @width: its width in pixels; < 0: it takes the room left
 * @setup: (scope forever): the factory's "setup" handler
 * @bind: (scope forever): the factory's "bind" handler
 * @page: set on the factory as its data "page", for the handlers
 *
 * Appends a resizable, sortable column whose cells a signal factory
 * makes, as every list page of the window has them.
 */
void
bb_column_view_add_column (GtkColumnView *view,
                           int            column,
                           const char    *title,
                           int            width,
                           GCallback      setup,
                           GCallback      bind,
                           gpointer       page)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkSorter) sorter = bb_column_sorter_new (column);

  g_object_set_data (G_OBJECT (factory), "page", page);
  g_signal_connect (factory, "setup", setup, GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", bind, GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, width < 0);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_sorter (view_column, sorter);

  gtk_column_view_append_column (view, view_column);
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

/* Sorts @view by its @column-th column, as the owner would by its header. */
void
bb_column_view_sort_by (GtkColumnView *view,
                        int            column,
                        GtkSortType    order)
{
  g_autoptr(GtkColumnViewColumn) sorted = g_list_model_get_item (gtk_column_view_get_columns (view), column);

  gtk_column_view_sort_by_column (view, sorted, order);
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

/* ---- After the first frame ------------------------------------------ */

typedef struct
{
  GSourceFunc     func;
  gpointer        data;
  GDestroyNotify  destroy;
} AfterFrame;

static void
after_frame_free (AfterFrame *after)
{
  /* Not handed to the idle: the widget went before its first frame. */
  if (after->func != NULL && after->destroy != NULL)
    after->destroy (after->data);
  g_free (after);
}

/* The first tick comes before the first frame's layout and paint; an
 * idle of low priority runs after them. */
static gboolean
after_frame_tick (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  AfterFrame *after = user_data;

  g_idle_add_full (G_PRIORITY_LOW, after->func, after->data, after->destroy);
  after->func = NULL;
  after->destroy = NULL;

  return G_SOURCE_REMOVE;
}

/**
 * bb_widget_after_first_frame:
 * @widget: a widget about to be shown
 * @func: called once, when @widget has drawn its first frame
 *
 * For work that would compete with the window's first frame (a thread
 * that reads much of the book): it waits until the frame is drawn.
 * @destroy frees @data afterwards, or if @widget goes first.
 */
void
bb_widget_after_first_frame (GtkWidget      *widget,
                             GSourceFunc     func,
                             gpointer        data,
                             GDestroyNotify  destroy)
{
  AfterFrame *after = g_new0 (AfterFrame, 1);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  after->func = func;
  after->data = data;
  after->destroy = destroy;
  gtk_widget_add_tick_callback (widget, after_frame_tick, after, (GDestroyNotify) after_frame_free);
}

/* ---- The first rows first -------------------------------------------
 *
 * A list view of GTK 4.8 builds, binds and measures 200 rows as soon as
 * it has a model of that many, whatever its height: on the Customers
 * page, 1,200 labels, a quarter of a second before the window's first
 * frame. A page's list shows FIRST_ROWS rows (what a window of 800
 * pixels holds) until the view has painted; then it grows by GROW_ROWS
 * a frame, so a taller window has its rows a frame later and the rest
 * are built in steps the window stays responsive between. 48 first rows
 * took 60 ms more of the first frame than 24 on a million bills. */

#define FIRST_ROWS    24
#define GROW_ROWS     24
#define VIEW_MAX_ROWS 200   /* GTK_LIST_VIEW_MAX_LIST_ITEMS of GTK 4.8 */

static GQuark first_rows_quark;

static gboolean
grow_rows_tick (GtkWidget     *view,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkSliceListModel *slice = user_data;
  guint size = gtk_slice_list_model_get_size (slice);
  guint n = g_list_model_get_n_items (gtk_slice_list_model_get_model (slice));
  guint ticks = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (slice), first_rows_quark));

  /* The first frame as it is. */
  if (ticks == 1)
    {
      g_object_set_qdata (G_OBJECT (slice), first_rows_quark, GUINT_TO_POINTER (2));
      return G_SOURCE_CONTINUE;
    }

  /* Past the rows the view builds at most, the rest at once: it only
   * counts them. */
  if (size == G_MAXUINT || size + GROW_ROWS >= MIN (n, VIEW_MAX_ROWS))
    {
      bb_first_rows_model_show_all (G_LIST_MODEL (slice));
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (slice, size + GROW_ROWS);
  return G_SOURCE_CONTINUE;
}

/**
 * bb_first_rows_model_new:
 * @model: the list's model
 * @view: the widget that shows it
 *
 * Returns: (transfer full): @model as @view should show it: its first
 *   rows until @view has painted, then more each frame to all of them
 */
GListModel *
bb_first_rows_model_new (GListModel *model,
                         GtkWidget  *view)
{
  GtkSliceListModel *slice;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  if (first_rows_quark == 0)
    first_rows_quark = g_quark_from_static_string ("bb-first-rows");

  slice = gtk_slice_list_model_new (g_object_ref (model), 0, FIRST_ROWS);
  g_object_set_qdata (G_OBJECT (slice), first_rows_quark, GUINT_TO_POINTER (1));
  gtk_widget_add_tick_callback (view, grow_rows_tick, g_object_ref (slice), g_object_unref);

  return G_LIST_MODEL (slice);
}

/**
 * bb_first_rows_model_show_all:
 * @first_rows: from bb_first_rows_model_new()
 *
 * Shows every row now: before selecting or scrolling to one that may not
 * be shown yet.
 */
void
bb_first_rows_model_show_all (GListModel *first_rows)
{
  g_return_if_fail (GTK_IS_SLICE_LIST_MODEL (first_rows));

  g_object_set_qdata (G_OBJECT (first_rows), first_rows_quark, GUINT_TO_POINTER (3));
  if (gtk_slice_list_model_get_size (GTK_SLICE_LIST_MODEL (first_rows)) != G_MAXUINT)
    gtk_slice_list_model_set_size (GTK_SLICE_LIST_MODEL (first_rows), G_MAXUINT);
}

static gboolean
on_cell_query_tooltip (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "bb-cell-tooltip");

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * bb_cell_label_new:
 * @numeric: an amount: right-aligned, in the money style
 * @tag_class: (nullable): a style class that draws the label as a tag
 *   (a class or a state), which then keeps to its text's size
 *
 * Returns: (transfer floating): the label of a list's cell, ellipsized
 */
GtkWidget *
bb_cell_label_new (gboolean    numeric,
                   const char *tag_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "money");
  if (tag_class != NULL)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, tag_class);
    }

  return label;
}

/**
 * bb_cell_set_tooltip:
 * @text: (nullable): the tooltip, or %NULL for none
 *
 * A tooltip for a widget in a list's cell or a row of many, given when it
 * is asked for, and the same text as its accessible description.
 * gtk_widget_set_tooltip_text() asks the display server where the
 * pointer is, in GTK 4.8 at every call: once per cell of a list, those
 * round trips made up a third of the window's first frame on a big book.
 */
void
bb_cell_set_tooltip (GtkWidget  *widget,
                     const char *text)
{
  if (!g_object_get_data (G_OBJECT (widget), "bb-cell-tooltip-connected"))
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
      g_object_set_data (G_OBJECT (widget), "bb-cell-tooltip-connected", GINT_TO_POINTER (TRUE));
    }

  g_object_set_data_full (G_OBJECT (widget), "bb-cell-tooltip", g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  /* As gtk_widget_set_tooltip_text() does, for screen readers. */
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
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
