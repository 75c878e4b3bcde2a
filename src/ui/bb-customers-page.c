/* bb-customers-page.c — find anyone in a keystroke; their record beside
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is a GtkColumnView over BbCustomerList, which reads pages of
 * rows from SQL on demand; search, filters and sorting go into its query.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-customer-detail.h"
#include "bb-customer-editor.h"
#include "bb-customer-io.h"
#include "bb-customer-list.h"
#include "bb-customers-page.h"
#include "bb-demo.h"
#include "bb-import-dialog.h"
#include "bb-ui-util.h"

/* Sample data for an empty book: enough to look around. */
#define SAMPLE_CUSTOMERS 50

struct _BbCustomersPage
{
  BbPage             parent_instance;

  BbCustomerList    *list;
  GtkSingleSelection *selection;
  GCancellable      *busy_cancellable;
  gulong             changed_id;
  guint              search_serial;

  /* Template widgets */
  GtkStack          *main_stack;
  GtkStack          *list_stack;
  AdwLeaflet        *leaflet;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *class_filter;
  GtkDropDown       *tag_filter;
  GtkToggleButton   *archived_toggle;
  GtkColumnView     *column_view;
  GtkLabel          *count_label;
  GtkLabel          *busy_label;
  GtkProgressBar    *busy_progress;
  BbCustomerDetail  *detail;
};

G_DEFINE_FINAL_TYPE (BbCustomersPage, bb_customers_page, BB_TYPE_PAGE)

typedef enum
{
  COLUMN_NAME,
  COLUMN_PHONE,
  COLUMN_CLASS,
  COLUMN_OUTSTANDING,
  COLUMN_PREPAID,
  COLUMN_LAST_PAYMENT,
  N_COLUMNS
} Column;

static const struct
{
  const char     *title;
  BbCustomerSort  sort;
  gboolean        numeric;
  int             width;    /* -1: takes the rest */
} columns[N_COLUMNS] = {
  [COLUMN_NAME] = { N_("Name"), BB_CUSTOMER_SORT_NAME, FALSE, -1 },
  [COLUMN_PHONE] = { N_("Phone"), BB_CUSTOMER_SORT_PHONE, FALSE, 140 },
  [COLUMN_CLASS] = { N_("Class"), BB_CUSTOMER_SORT_CLASS, FALSE, 64 },
  [COLUMN_OUTSTANDING] = { N_("Outstanding"), BB_CUSTOMER_SORT_OUTSTANDING, TRUE, 112 },
  [COLUMN_PREPAID] = { N_("Prepaid"), BB_CUSTOMER_SORT_PREPAID, TRUE, 100 },
  [COLUMN_LAST_PAYMENT] = { N_("Last Payment"), BB_CUSTOMER_SORT_LAST_PAYMENT, FALSE, 112 },
};

static BbDb *
get_db (BbCustomersPage *self)
{
  return bb_page_get_database (BB_PAGE (self));
}

/* ---- Cells ---------------------------------------------------------- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);

  gtk_list_item_set_child (item, bb_cell_label_new (columns[column].numeric,
                                                    column == COLUMN_CLASS ? "class-tag" : NULL));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  BbCustomersPage *self = g_object_get_data (G_OBJECT (factory), "page");
  Column column = GPOINTER_TO_INT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  BbCustomer *customer = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_NAME:
      if (customer->company && *customer->company)
        text = g_strdup_printf ("%s · %s", customer->name, customer->company);
      else
        text = g_strdup (customer->name);
      if (customer->archived)
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      break;

    case COLUMN_PHONE:
      text = g_strdup (customer->phone);
      break;

    case COLUMN_CLASS:
      {
        static const char *css[] = { "class-a", "class-b", "class-c" };

        text = g_strdup_printf ("%c", customer->klass);
        for (guint i = 0; i < G_N_ELEMENTS (css); i++)
          gtk_widget_remove_css_class (GTK_WIDGET (label), css[i]);
        if (customer->klass >= 'A' && customer->klass <= 'C')
          gtk_widget_add_css_class (GTK_WIDGET (label), css[customer->klass - 'A']);
        bb_cell_set_tooltip (GTK_WIDGET (label),
                             customer->class_override ? _("Class set by hand")
                                                      : _("Class computed from the last 12 months"));
      }
      break;

    case COLUMN_OUTSTANDING:
      text = customer->outstanding ? bb_money_format (customer->outstanding, bb_business_get_currency (get_db (self)))
                                   : g_strdup ("—");
      break;

    case COLUMN_PREPAID:
      text = customer->prepaid_balance ? bb_money_format (customer->prepaid_balance,
                                                          bb_business_get_currency (get_db (self)))
                                       : g_strdup ("—");
      break;

    case COLUMN_LAST_PAYMENT:
      text = g_strdup (customer->last_payment_on ? customer->last_payment_on : "—");
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (label, text);
}

static gboolean
get_sort (BbCustomersPage *self,
          BbCustomerSort  *sort,
          gboolean        *descending)
{
  int column;

  if (!bb_column_view_get_sort (self->column_view, &column, descending))
    return FALSE;

  *sort = columns[column].sort;
  return TRUE;
}

/* ---- Query ---------------------------------------------------------- */

static void
update_count (BbCustomersPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u customer", "%u customers", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "results" : "no-results");
}

static void
update_query (BbCustomersPage *self)
{
  BbCustomerQuery query = { 0 };
  guint klass, tag;

  if (self->list == NULL || self->class_filter == NULL || self->tag_filter == NULL)
    return;

  klass = gtk_drop_down_get_selected (self->class_filter);
  tag = gtk_drop_down_get_selected (self->tag_filter);

  query.text = (char *) gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query.klass = klass >= 1 && klass <= 3 ? (char) ('A' + klass - 1) : 0;
  if (tag >= 1 && tag != GTK_INVALID_LIST_POSITION)
    query.tag = (char *) gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (self->tag_filter)), tag);
  query.show_archived = gtk_toggle_button_get_active (self->archived_toggle);
  if (!get_sort (self, &query.sort, &query.descending))
    {
      query.sort = BB_CUSTOMER_SORT_NAME;
      query.descending = FALSE;
    }

  bb_customer_list_set_query (self->list, &query);
  update_count (self);
}

static void
on_search_changed (BbCustomersPage *self)
{
  update_query (self);
}

static void
on_filter_changed (BbCustomersPage *self)
{
  update_query (self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   BbCustomersPage *self)
{
  update_query (self);
}

static void
reload_tags (BbCustomersPage *self)
{
  g_auto(GStrv) tags = bb_customers_list_tags (get_db (self));
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *current = NULL;
  guint selected = gtk_drop_down_get_selected (self->tag_filter);
  guint new_selected = 0;
  GListModel *old = gtk_drop_down_get_model (self->tag_filter);

  if (old && selected >= 1 && selected != GTK_INVALID_LIST_POSITION)
    current = gtk_string_list_get_string (GTK_STRING_LIST (old), selected);

  gtk_string_list_append (model, _("All Tags"));
  for (guint i = 0; tags[i]; i++)
    {
      gtk_string_list_append (model, tags[i]);
      if (g_strcmp0 (tags[i], current) == 0)
        new_selected = i + 1;
    }

  g_signal_handlers_block_by_func (self->tag_filter, on_filter_changed, self);
  gtk_drop_down_set_model (self->tag_filter, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->tag_filter, new_selected);
  g_signal_handlers_unblock_by_func (self->tag_filter, on_filter_changed, self);
}

static gboolean
reload_tags_idle (gpointer data)
{
  BbCustomersPage *self = data;

  if (get_db (self) != NULL)
    reload_tags (self);

  return G_SOURCE_REMOVE;
}

static gboolean
book_has_customers (BbCustomersPage *self)
{
  BbCustomerQuery all = { .show_archived = TRUE };

  return bb_customers_count (get_db (self), &all, NULL) > 0;
}

static void
update_empty_state (BbCustomersPage *self)
{
  if (self->busy_cancellable)
    return;

  /* Customers in the list: the book has some; else count them all, as
   * the filters may hide them. */
  gtk_stack_set_visible_child_name (self->main_stack,
                                    (self->list && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0) ||
                                    book_has_customers (self) ? "list" : "empty");
}

static void
on_customers_changed (BbDb            *db,
                      const char      *table,
                      gint64           id,
                      BbCustomersPage *self)
{
  update_empty_state (self);
  update_count (self);
  if (id == 0)
    reload_tags (self);
}

/* ---- Selection and detail ------------------------------------------- */

static void
on_selection_changed (BbCustomersPage *self)
{
  BbCustomer *customer = gtk_single_selection_get_selected_item (self->selection);

  bb_customer_detail_set_customer (self->detail, customer ? customer->id : 0);
}

static void
on_row_activated (BbCustomersPage *self,
                  guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_detail_back (BbCustomersPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

void
bb_customers_page_select (BbCustomersPage *self,
                          gint64           id)
{
  g_autoptr(BbCustomer) customer = NULL;
  gint64 position;

  g_return_if_fail (BB_IS_CUSTOMERS_PAGE (self));

  customer = bb_customers_get (get_db (self), id, NULL);
  if (customer == NULL)
    return;

  position = bb_customers_position (get_db (self), bb_customer_list_get_query (self->list), customer, NULL);
  if (position >= 0 && (guint) position < g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    {
      bb_first_rows_model_show_all (gtk_single_selection_get_model (self->selection));
      gtk_single_selection_set_selected (self->selection, (guint) position);
      bb_column_view_scroll_to (self->column_view, (guint) position);
    }
  bb_customer_detail_set_customer (self->detail, id);
}

/* Selects the customer and shows its detail, also when the page is
 * folded to one pane. */
void
bb_customers_page_show_customer (BbCustomersPage *self,
                                 gint64           id)
{
  g_return_if_fail (BB_IS_CUSTOMERS_PAGE (self));

  bb_page_load (BB_PAGE (self));

  bb_customers_page_select (self, id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- Actions -------------------------------------------------------- */

static void
on_editor_saved (BbCustomerEditor *editor,
                 gint64            id,
                 BbCustomersPage  *self)
{
  update_empty_state (self);
  bb_customers_page_select (self, id);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (widget);
  BbCustomerEditor *editor;

  editor = bb_customer_editor_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self), 0);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
show_busy (BbCustomersPage *self,
           const char      *text)
{
  g_clear_object (&self->busy_cancellable);
  self->busy_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->busy_label, text);
  gtk_progress_bar_set_fraction (self->busy_progress, 0.0);
  gtk_stack_set_visible_child_name (self->main_stack, "busy");
}

static void
hide_busy (BbCustomersPage *self)
{
  g_clear_object (&self->busy_cancellable);
  update_empty_state (self);
  update_query (self);
  reload_tags (self);
}

static void
on_busy_cancel_clicked (BbCustomersPage *self)
{
  if (self->busy_cancellable)
    g_cancellable_cancel (self->busy_cancellable);
}

static void
demo_progress (guint    done,
               guint    total,
               gpointer user_data)
{
  /* Called on the main thread (bb_demo_generate_async forwards it). */
  BbCustomersPage *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->busy_progress, (double) done / total);
}

static void
demo_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BbCustomersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_demo_generate_finish (get_db (self), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    bb_widget_toast (GTK_WIDGET (self), error->message);

  hide_busy (self);
}

static void
load_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (widget);
  BbDemoOptions options = { .n_customers = SAMPLE_CUSTOMERS, .seed = 1 };

  if (self->busy_cancellable)
    return;

  show_busy (self, _("Making sample customers…"));
  bb_demo_generate_async (get_db (self), &options, demo_progress, self,
                          self->busy_cancellable, demo_done, g_object_ref (self));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (widget);
  BbImportDialog *dialog;

  dialog = bb_import_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BbCustomersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_customers_export_finish (get_db (self), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bb_widget_toast (GTK_WIDGET (self), error->message);
    }
  else
    bb_widget_toast (GTK_WIDGET (self), _("Customers exported"));

  hide_busy (self);
}

static void
on_export_response (GtkNativeDialog *native,
                    int              response,
                    BbCustomersPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      show_busy (self, _("Exporting customers…"));
      gtk_progress_bar_pulse (self->busy_progress);
      bb_customers_export_async (get_db (self), file, self->busy_cancellable,
                                 export_done, g_object_ref (self));
    }

  g_object_unref (native);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (widget);
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Export Customers"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), _("customers.csv"));
  g_signal_connect (native, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- Set-up --------------------------------------------------------- */

static void
add_columns (BbCustomersPage *self)
{
  for (Column c = 0; c < N_COLUMNS; c++)
    bb_column_view_add_column (self->column_view, c, _(columns[c].title), columns[c].width,
                               G_CALLBACK (setup_cell), G_CALLBACK (bind_cell), self);
  bb_column_view_sort_by (self->column_view, COLUMN_NAME, GTK_SORT_ASCENDING);

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);
}

static void
bb_customers_page_database_changed (BbPage *page)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (page);
  BbDb *db = bb_page_get_database (page);

  g_clear_signal_handler (&self->changed_id, bb_customer_detail_get_database (self->detail));
  g_clear_object (&self->list);
  bb_customer_detail_set_database (self->detail, db);

  if (db == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      return;
    }

  /* The query first, then the view: the view binds its rows once. The
   * tags in use fill their filter after the first frame. */
  self->list = bb_customer_list_new (db);
  g_idle_add_full (G_PRIORITY_LOW, reload_tags_idle, g_object_ref (self), g_object_unref);
  update_query (self);
  {
    g_autoptr(GListModel) rows = bb_first_rows_model_new (G_LIST_MODEL (self->list),
                                                          GTK_WIDGET (self->column_view));

    gtk_single_selection_set_model (self->selection, rows);
  }
  self->changed_id = g_signal_connect_object (db, "changed::customers",
                                              G_CALLBACK (on_customers_changed), self,
                                              G_CONNECT_AFTER);
  update_empty_state (self);
}

static void
bb_customers_page_dispose (GObject *object)
{
  BbCustomersPage *self = BB_CUSTOMERS_PAGE (object);

  if (self->busy_cancellable)
    g_cancellable_cancel (self->busy_cancellable);
  g_clear_object (&self->busy_cancellable);
  if (self->detail)
    g_clear_signal_handler (&self->changed_id, bb_customer_detail_get_database (self->detail));
  g_clear_object (&self->list);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (bb_customers_page_parent_class)->dispose (object);
}

static void
bb_customers_page_class_init (BbCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BbPageClass *page_class = BB_PAGE_CLASS (klass);

  object_class->dispose = bb_customers_page_dispose;
  page_class->database_changed = bb_customers_page_database_changed;

  g_type_ensure (BB_TYPE_CUSTOMER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, class_filter);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, archived_toggle);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, busy_progress);
  gtk_widget_class_bind_template_child (widget_class, BbCustomersPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_busy_cancel_clicked);

  gtk_widget_class_install_action (widget_class, "customers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "customers.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "customers.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "customers.load-sample", NULL, load_sample_action);
  gtk_widget_class_install_action (widget_class, "customers.find", NULL, find_action);
}

static void
bb_customers_page_init (BbCustomersPage *self)
{
  g_autoptr(GtkStringList) classes = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  classes = gtk_string_list_new ((const char *[]) { _("All Classes"), _("Class A"), _("Class B"), _("Class C"), NULL });
  gtk_drop_down_set_model (self->class_filter, G_LIST_MODEL (classes));

  self->selection = gtk_single_selection_new (NULL);
  /* Like Contacts: the first customer is shown until another is picked. */
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->detail, "back", G_CALLBACK (on_detail_back), self);
  g_object_bind_property (self->leaflet, "folded", self->detail, "show-back-button",
                          G_BINDING_SYNC_CREATE);

  add_columns (self);
}
