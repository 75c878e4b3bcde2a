/* bb-page.c — what the five pages of the window have in common
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-page.h"

typedef struct
{
  BbDb     *db;
  gboolean  pending;   /* given a book while hidden: loads it when shown */
} BbPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BbPage, bb_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BbDb *
bb_page_get_database (BbPage *self)
{
  BbPagePrivate *priv = bb_page_get_instance_private (self);

  g_return_val_if_fail (BB_IS_PAGE (self), NULL);

  return priv->db;
}

void
bb_page_set_database (BbPage *self,
                      BbDb   *db)
{
  BbPagePrivate *priv = bb_page_get_instance_private (self);

  g_return_if_fail (BB_IS_PAGE (self));
  g_return_if_fail (!db || BB_IS_DB (db));

  if (!g_set_object (&priv->db, db))
    return;

  /* A page not shown reads its book when it is first shown: the
   * window's first frame waits for nothing it does not show
   * (tests/bench/RESULTS.md). A page whose class says so (one with a
   * badge to keep) reads it at once. */
  priv->pending = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) || db == NULL ||
      BB_PAGE_GET_CLASS (self)->load_when_hidden)
    bb_page_load (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE]);
}

/**
 * bb_page_load:
 *
 * Makes the page read its book now if it was given one while hidden
 * and has not read it yet; for what must work before the page is shown
 * (showing a record on it, tests). Does nothing otherwise.
 */
void
bb_page_load (BbPage *self)
{
  BbPagePrivate *priv = bb_page_get_instance_private (self);

  g_return_if_fail (BB_IS_PAGE (self));

  if (!priv->pending)
    return;

  priv->pending = FALSE;
  if (BB_PAGE_GET_CLASS (self)->database_changed)
    BB_PAGE_GET_CLASS (self)->database_changed (self);
}

static void
bb_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bb_page_parent_class)->map (widget);

  bb_page_load (BB_PAGE (widget));
}

static void
bb_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  BbPage *self = BB_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, bb_page_get_database (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  BbPage *self = BB_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      bb_page_set_database (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_page_dispose (GObject *object)
{
  BbPage *self = BB_PAGE (object);
  BbPagePrivate *priv = bb_page_get_instance_private (self);

  /* AdwBin unparents the template's child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&priv->db);

  G_OBJECT_CLASS (bb_page_parent_class)->dispose (object);
}

static void
bb_page_class_init (BbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_page_dispose;
  GTK_WIDGET_CLASS (klass)->map = bb_page_map;
  object_class->get_property = bb_page_get_property;
  object_class->set_property = bb_page_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         BB_TYPE_DB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_page_init (BbPage *self)
{
}
