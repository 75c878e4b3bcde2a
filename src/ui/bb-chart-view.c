/* bb-chart-view.c — a chart of core's renderer, on screen
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core draws the chart onto a cairo_t (bb_chart_draw); this widget gives
 * it the libadwaita colours of the moment (light or dark, the accent),
 * redraws only when the chart, the size or the style change, shows the
 * exact value under the pointer in a tooltip, lets the keyboard walk the
 * categories (Left/Right, Home/End) with the value said in the tooltip
 * and to screen readers, and describes the whole chart to them.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-chart-view.h"

struct _BbChartView
{
  GtkWidget  parent_instance;

  BbChart   *chart;
  int        focused;       /* category, or -1 */
};

G_DEFINE_FINAL_TYPE (BbChartView, bb_chart_view, GTK_TYPE_WIDGET)

/* libadwaita's palette (GNOME HIG colours), which both styles share for
 * data; text and lines follow the widget's own colour. */
static const char * const palette_light[] = {
  "#3584e4", "#e66100", "#2ec27e", "#9141ac", "#f5c211", "#c01c28", "#865e3c", "#77767b",
};
static const char * const palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f8e45c", "#ff7b63", "#b5835a", "#9a9996",
};

static void
set_color (BbChartColor  *color,
           const GdkRGBA *rgba)
{
  color->red = rgba->red;
  color->green = rgba->green;
  color->blue = rgba->blue;
  color->alpha = rgba->alpha;
}

void
bb_chart_view_get_style (BbChartView  *self,
                         BbChartStyle *style)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const char * const *palette = dark ? palette_dark : palette_light;
  GdkRGBA fg, grid;

  g_return_if_fail (BB_IS_CHART_VIEW (self));

  bb_chart_style_init_default (style, dark);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  set_color (&style->foreground, &fg);
  grid = fg;
  grid.alpha = 0.12;
  set_color (&style->grid, &grid);
  grid.alpha = 0.5;
  set_color (&style->axis, &grid);
  style->background.alpha = 0;
  style->show_title = FALSE;      /* the group above says what it is */

  for (guint i = 0; i < G_N_ELEMENTS (palette_light); i++)
    {
      GdkRGBA rgba;

      gdk_rgba_parse (&rgba, palette[i]);
      set_color (&style->palette[i], &rgba);
    }
  style->n_palette = G_N_ELEMENTS (palette_light);
}

static void
update_accessible (BbChartView *self)
{
  g_autofree char *description = self->chart ? bb_chart_describe (self->chart) : NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->chart && bb_chart_get_title (self->chart) ?
                                  bb_chart_get_title (self->chart) : _("Chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : "",
                                  -1);
}

static void
bb_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  BbChartView *self = BB_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  BbChartStyle style;
  cairo_t *cr;

  if (self->chart == NULL || width <= 0 || height <= 0)
    return;

  bb_chart_view_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  bb_chart_draw (self->chart, &style, cr, width, height);

  /* The category the keyboard is on: a frame around its column. */
  if (self->focused >= 0 && gtk_widget_has_focus (widget) &&
      bb_chart_get_kind (self->chart) != BB_CHART_DONUT)
    {
      BbChartRect area;
      guint n = bb_chart_get_n_categories (self->chart);

      if (n > 0 && bb_chart_get_plot_area (self->chart, &style, width, height, &area))
        {
          double slot = area.width / n;

          cairo_set_source_rgba (cr, style.foreground.red, style.foreground.green,
                                 style.foreground.blue, 0.6);
          cairo_set_line_width (cr, 2);
          cairo_rectangle (cr, area.x + slot * self->focused + 1, area.y + 1, slot - 2, area.height - 2);
          cairo_stroke (cr);
        }
    }
  cairo_destroy (cr);
}

static gboolean
bb_chart_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip)
{
  BbChartView *self = BB_CHART_VIEW (widget);
  g_autofree char *text = NULL;
  BbChartStyle style;
  int series = -1, category = -1;

  if (self->chart == NULL || bb_chart_is_empty (self->chart))
    return FALSE;

  if (keyboard)
    {
      if (self->focused < 0)
        return FALSE;
      category = self->focused;
    }
  else
    {
      bb_chart_view_get_style (self, &style);
      if (!bb_chart_hit_test (self->chart, &style, gtk_widget_get_width (widget),
                              gtk_widget_get_height (widget), x, y, &series, &category) ||
          category < 0)
        return FALSE;
    }

  text = bb_chart_describe_point (self->chart, series, (guint) category);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
focus_category (BbChartView *self,
                int          category)
{
  guint n = self->chart ? bb_chart_get_n_categories (self->chart) : 0;
  g_autofree char *text = NULL;

  if (n == 0)
    return;

  self->focused = CLAMP (category, 0, (int) n - 1);
  text = bb_chart_describe_point (self->chart, -1, (guint) self->focused);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BbChartView           *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      focus_category (self, self->focused < 0 ? 0 : self->focused - 1);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      focus_category (self, self->focused + 1);
      return TRUE;
    case GDK_KEY_Home:
      focus_category (self, 0);
      return TRUE;
    case GDK_KEY_End:
      focus_category (self, G_MAXINT);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_focus_leave (BbChartView *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bb_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 280;
}

static void
bb_chart_view_dispose (GObject *object)
{
  BbChartView *self = BB_CHART_VIEW (object);

  g_clear_pointer (&self->chart, bb_chart_unref);

  G_OBJECT_CLASS (bb_chart_view_parent_class)->dispose (object);
}

static void
bb_chart_view_class_init (BbChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_chart_view_dispose;
  widget_class->snapshot = bb_chart_view_snapshot;
  widget_class->measure = bb_chart_view_measure;
  widget_class->query_tooltip = bb_chart_view_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bb_chart_view_init (BbChartView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->focused = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  /* Light and dark draw with their own colours. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  update_accessible (self);
}

GtkWidget *
bb_chart_view_new (void)
{
  return g_object_new (BB_TYPE_CHART_VIEW, NULL);
}

void
bb_chart_view_set_chart (BbChartView *self,
                         BbChart     *chart)
{
  g_return_if_fail (BB_IS_CHART_VIEW (self));

  if (chart)
    bb_chart_ref (chart);
  g_clear_pointer (&self->chart, bb_chart_unref);
  self->chart = chart;
  self->focused = -1;

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

BbChart *
bb_chart_view_get_chart (BbChartView *self)
{
  g_return_val_if_fail (BB_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

int
bb_chart_view_get_focused_category (BbChartView *self)
{
  g_return_val_if_fail (BB_IS_CHART_VIEW (self), -1);

  return self->focused;
}
