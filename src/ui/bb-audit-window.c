/* bb-audit-window.c — the audit log, to read
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Read only: the log is append-only in the book, and nothing here can
 * change it. The list is the lazy BbAuditList, so a log of millions of
 * rows opens as fast as an empty one.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-audit.h"
#include "bb-ui-util.h"
#include "bb-audit-window.h"

struct _BbAuditWindow
{
  AdwWindow      parent_instance;

  BbDb          *db;
  BbAuditList   *list;

  GtkDropDown   *kind_dropdown;
  GtkStack      *stack;
  GtkColumnView *view;
  GtkLabel      *count_label;
};

G_DEFINE_FINAL_TYPE (BbAuditWindow, bb_audit_window, ADW_TYPE_WINDOW)

/* The tables behind the entries of kind_dropdown, in its order. */
static const char * const kind_tables[] = {
  NULL, "customers", "interactions", "invoices", "payments", "settings",
};

enum
{
  COLUMN_TIME,
  COLUMN_KIND,
  COLUMN_ACTION,
  COLUMN_SUBJECT,
  COLUMN_DETAIL,
};

static void
update_count (BbAuditWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
on_items_changed (BbAuditWindow *self)
{
  update_count (self);
}

static void
on_kind_selected (BbAuditWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  if (self->list == NULL || selected >= G_N_ELEMENTS (kind_tables))
    return;
  bb_audit_list_set_table (self->list, kind_tables[selected]);
  update_count (self);
}

/* Whatever a transaction changed, it wrote to the log: read it again. */
static void
on_db_changed (BbDb          *db,
               const char    *table,
               gint64         id,
               BbAuditWindow *self)
{
  bb_paged_list_reload (BB_PAGED_LIST (self->list));
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (GPOINTER_TO_INT (data) == COLUMN_TIME)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  BbAuditEntry *entry = gtk_list_item_get_item (item);
  g_autofree char *time = NULL;
  const char *text = "";

  if (entry == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }

  switch (GPOINTER_TO_INT (data))
    {
    case COLUMN_TIME:
      text = time = bb_audit_format_time (entry->at);
      break;
    case COLUMN_KIND:
      text = bb_audit_describe_table (entry->table_name);
      break;
    case COLUMN_ACTION:
      text = bb_audit_describe_action (entry->action);
      break;
    case COLUMN_SUBJECT:
      /* Many rows at once (an import), or a record that is gone */
      text = *entry->subject ? entry->subject : (entry->record_id == 0 ? _("—") : _("(deleted)"));
      break;
    case COLUMN_DETAIL:
      text = entry->detail;
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (label, text);
  bb_cell_set_tooltip (GTK_WIDGET (label), GPOINTER_TO_INT (data) >= COLUMN_SUBJECT && *text ? text : NULL);
}

static void
add_column (BbAuditWindow *self,
            const char    *title,
            int            column,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->view, col);
  g_object_unref (col);
}

static void
bb_audit_window_dispose (GObject *object)
{
  BbAuditWindow *self = BB_AUDIT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_AUDIT_WINDOW);
  g_clear_object (&self->list);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_audit_window_parent_class)->dispose (object);
}

static void
bb_audit_window_class_init (BbAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_audit_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbAuditWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BbAuditWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BbAuditWindow, view);
  gtk_widget_class_bind_template_child (widget_class, BbAuditWindow, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected);
}

static void
bb_audit_window_init (BbAuditWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, _("When"), COLUMN_TIME, FALSE);
  add_column (self, _("What"), COLUMN_KIND, FALSE);
  add_column (self, _("Change"), COLUMN_ACTION, FALSE);
  add_column (self, _("Record"), COLUMN_SUBJECT, FALSE);
  add_column (self, _("Detail"), COLUMN_DETAIL, TRUE);
}

BbAuditWindow *
bb_audit_window_new (GtkWindow *parent,
                     BbDb      *db)
{
  BbAuditWindow *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_AUDIT_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  self->list = bb_audit_list_new (db);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));

    gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  }
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (db, "changed", G_CALLBACK (on_db_changed), self, G_CONNECT_AFTER);
  update_count (self);

  return self;
}
