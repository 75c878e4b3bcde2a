/* bb-prepaid-page.c — every prepaid card, what the shop owes on them, and
 * one card beside the list
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is a GtkColumnView over BbPrepaidList, which reads pages of
 * cards from SQL on demand; search, filters and sorting go into its
 * query. The header says the money on all open cards: the shop's
 * liability, paid-in and bonus.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-prepaid.h"
#include "bb-prepaid-card-editor.h"
#include "bb-prepaid-detail.h"
#include "bb-prepaid-list.h"
#include "bb-prepaid-page.h"
#include "bb-text.h"
#include "bb-ui-util.h"

/* "Expiring soon": money on it and expiring within this many days */
#define EXPIRING_DAYS 30

struct _BbPrepaidPage
{
  BbPage              parent_instance;

  BbPrepaidList      *list;
  GtkSingleSelection *selection;
  gulong              changed_id;
  GCancellable       *check_cancellable;

  /* Template widgets */
  GtkStack           *main_stack;
  GtkStack           *list_stack;
  AdwLeaflet         *leaflet;
  GtkLabel           *liability_label;
  GtkLabel           *liability_detail_label;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *show_filter;
  GtkToggleButton    *closed_toggle;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  BbPrepaidDetail    *detail;
};

G_DEFINE_FINAL_TYPE (BbPrepaidPage, bb_prepaid_page, BB_TYPE_PAGE)

typedef enum
{
  SHOW_ALL,
  SHOW_LOW,
  SHOW_EXPIRING,
} Show;

typedef enum
{
  COLUMN_CUSTOMER,
  COLUMN_CARD,
  COLUMN_BALANCE,
  COLUMN_EXPIRES,
  COLUMN_LAST_USED,
  N_COLUMNS
} Column;

static const struct
{
  const char     *title;
  BbPrepaidSort   sort;
  gboolean        numeric;
  int             width;    /* -1: takes the rest */
} columns[N_COLUMNS] = {
  [COLUMN_CUSTOMER] = { N_("Customer"), BB_PREPAID_SORT_CUSTOMER, FALSE, -1 },
  [COLUMN_CARD] = { N_("Prepaid Card"), BB_PREPAID_SORT_NAME, FALSE, 140 },
  [COLUMN_BALANCE] = { N_("Balance"), BB_PREPAID_SORT_BALANCE, TRUE, 110 },
  [COLUMN_EXPIRES] = { N_("Expires"), BB_PREPAID_SORT_EXPIRES, FALSE, 100 },
  [COLUMN_LAST_USED] = { N_("Last Use"), BB_PREPAID_SORT_LAST_USED, FALSE, 100 },
};

static BbDb *
get_db (BbPrepaidPage *self)
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

  gtk_list_item_set_child (item, bb_cell_label_new (columns[column].numeric, NULL));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  BbPrepaidPage *self = g_object_get_data (G_OBJECT (factory), "page");
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_list_item_get_child (item);
  BbPrepaidAccount *account = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;
  const char *tooltip = NULL;

  gtk_widget_remove_css_class (label, "dim-label");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");

  switch (column)
    {
    case COLUMN_CUSTOMER:
      text = g_strdup (account->customer_name ? account->customer_name : "");
      tooltip = account->customer_code;
      break;

    case COLUMN_CARD:
      text = account->closed ? g_strdup_printf (_("%s (closed)"), account->name) : g_strdup (account->name);
      if (account->closed)
        gtk_widget_add_css_class (label, "dim-label");
      break;

    case COLUMN_BALANCE:
      text = bb_money_format (account->balance, bb_business_get_currency (get_db (self)));
      if (!account->closed && bb_prepaid_account_is_low (account) &&
          !bb_prepaid_account_is_expired (account, NULL))
        {
          gtk_widget_add_css_class (label, "warning");
          tooltip = _("Under the card’s low-balance mark");
        }
      break;

    case COLUMN_EXPIRES:
      text = g_strdup (account->expires_on ? account->expires_on : "—");
      if (!account->closed && account->balance > 0 && bb_prepaid_account_is_expired (account, NULL))
        {
          gtk_widget_add_css_class (label, "error");
          tooltip = _("Expired");
        }
      break;

    case COLUMN_LAST_USED:
      text = g_strdup (account->last_used_on ? account->last_used_on : "—");
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (label), text);
  bb_cell_set_tooltip (label, tooltip);
}

/* ---- Query ---------------------------------------------------------- */

static void
update_totals (BbPrepaidPage *self)
{
  BbPrepaidQuery all = { .sort = BB_PREPAID_SORT_CUSTOMER };
  BbPrepaidTotals totals = { 0 };
  const BbCurrency *currency = bb_business_get_currency (get_db (self));
  g_autofree char *balance = NULL;
  g_autofree char *paid_in = NULL;
  g_autofree char *bonus = NULL;
  g_autofree char *cards = NULL;
  g_autofree char *detail = NULL;

  if (!bb_prepaid_get_totals (get_db (self), &all, &totals, NULL))
    return;

  balance = bb_money_format (totals.balance, currency);
  paid_in = bb_money_format (totals.paid_in, currency);
  bonus = bb_money_format (totals.bonus, currency);
  cards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld open card", "%lld open cards", totals.n_accounts),
                           (long long) totals.n_accounts);
  /* Translators: "¥11,000.00 paid in, ¥1,345.00 bonus · 23 open cards" */
  detail = g_strdup_printf (_("%s paid in, %s bonus · %s"), paid_in, bonus, cards);
  gtk_label_set_text (self->liability_label, balance);
  gtk_label_set_text (self->liability_detail_label, detail);
}

static void
update_count (BbPrepaidPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u card", "%u cards", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "results" : "no-results");
}

static void
update_query (BbPrepaidPage *self)
{
  BbPrepaidQuery query = { 0 };
  g_autofree char *before = NULL;
  int column;

  if (self->list == NULL)
    return;

  query.text = (char *) gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query.include_closed = gtk_toggle_button_get_active (self->closed_toggle);
  switch (gtk_drop_down_get_selected (self->show_filter))
    {
    case SHOW_LOW:
      query.low_only = TRUE;
      break;
    case SHOW_EXPIRING:
      {
        GDate d;

        bb_date_set_today (&d);
        g_date_add_days (&d, EXPIRING_DAYS);
        query.expires_before = before = bb_date_to_iso (&d);
      }
      break;
    default:
      break;
    }
  if (bb_column_view_get_sort (self->column_view, &column, &query.descending))
    query.sort = columns[column].sort;
  else
    query.sort = BB_PREPAID_SORT_CUSTOMER;

  bb_prepaid_list_set_query (self->list, &query);
  update_count (self);
}

static void
on_filter_changed (BbPrepaidPage *self)
{
  update_query (self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   BbPrepaidPage   *self)
{
  update_query (self);
}

static gboolean
book_has_cards (BbPrepaidPage *self)
{
  BbPrepaidQuery all = { .include_closed = TRUE };

  return bb_prepaid_count (get_db (self), &all, NULL) > 0;
}

static void
update_empty_state (BbPrepaidPage *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, book_has_cards (self) ? "list" : "empty");
}

static void
on_db_changed (BbDb          *db,
               const char    *table,
               gint64         id,
               BbPrepaidPage *self)
{
  /* Cards, their entries, or everything (an import, a restore). The
   * list follows its own rows; the totals and counts are read anew. */
  if (id != 0 && !g_str_has_prefix (table, "prepaid_") && g_strcmp0 (table, "customers") != 0)
    return;

  update_empty_state (self);
  update_totals (self);
  update_count (self);
}

/* ---- Selection and detail ------------------------------------------- */

static void
on_selection_changed (BbPrepaidPage *self)
{
  BbPrepaidAccount *account = gtk_single_selection_get_selected_item (self->selection);

  if (account)
    bb_prepaid_detail_set_account (self->detail, account->id);
}

static void
on_row_activated (BbPrepaidPage *self,
                  guint          position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_detail_back (BbPrepaidPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Whether the list shows card @id at @position (bb_prepaid_position()
 * says where it would sort, shown or not). */
static gboolean
list_has_at (BbPrepaidPage *self,
             gint64         position,
             gint64         id)
{
  g_autoptr(BbPrepaidAccount) item = NULL;

  if (position < 0 || (guint) position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return FALSE;

  item = g_list_model_get_item (G_LIST_MODEL (self->list), (guint) position);
  return item != NULL && item->id == id;
}

/**
 * bb_prepaid_page_show_account:
 * @account_id: a card
 *
 * Shows the card's detail and selects it in the list; when the search
 * or a filter hides it, they are cleared first.
 */
void
bb_prepaid_page_show_account (BbPrepaidPage *self,
                              gint64         account_id)
{
  g_autoptr(BbPrepaidAccount) account = NULL;
  gint64 position;

  g_return_if_fail (BB_IS_PREPAID_PAGE (self));

  bb_page_load (BB_PAGE (self));

  if (get_db (self) == NULL ||
      (account = bb_prepaid_get_account (get_db (self), account_id, NULL)) == NULL)
    return;

  update_empty_state (self);
  position = bb_prepaid_position (get_db (self), bb_prepaid_list_get_query (self->list), account_id, NULL);
  if (!list_has_at (self, position, account_id))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->show_filter, SHOW_ALL);
      gtk_toggle_button_set_active (self->closed_toggle, account->closed);
      update_query (self);
      position = bb_prepaid_position (get_db (self), bb_prepaid_list_get_query (self->list), account_id, NULL);
    }

  if (position >= 0 && (guint) position < g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    {
      bb_first_rows_model_show_all (gtk_single_selection_get_model (self->selection));
      gtk_single_selection_set_selected (self->selection, (guint) position);
      bb_column_view_scroll_to (self->column_view, (guint) position);
    }
  bb_prepaid_detail_set_account (self->detail, account_id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- Actions -------------------------------------------------------- */

static void
on_editor_saved (BbPrepaidCardEditor *editor,
                 gint64               id,
                 BbPrepaidPage       *self)
{
  bb_prepaid_page_show_account (self, id);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (widget);
  BbPrepaidCardEditor *editor;

  if (get_db (self) == NULL)
    return;

  editor = bb_prepaid_card_editor_new (GTK_WINDOW (gtk_widget_get_root (widget)), get_db (self), 0, 0);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Check accounts: every ledger replayed, in a thread with its own
 * connection (a big book takes a while). */

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(BbDb) db = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  db = bb_db_open (task_data, &error);
  if (db == NULL || !bb_prepaid_check_accounts (db, problems, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&problems), (GDestroyNotify) g_ptr_array_unref);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (source);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;

  problems = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->check_cancellable);
  if (problems == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bb_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  if (problems->len == 0)
    {
      bb_widget_toast (GTK_WIDGET (self), _("Every card agrees with its ledger"));
      return;
    }

  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (body, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (problems, i));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Cards Disagree with Their Ledgers"), body->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (widget);
  g_autoptr(GTask) task = NULL;

  if (get_db (self) == NULL || self->check_cancellable)
    return;

  self->check_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->check_cancellable, check_done, NULL);
  g_task_set_name (task, "prepaid check");
  g_task_set_task_data (task, g_strdup (bb_db_get_path (get_db (self))), g_free);
  g_task_run_in_thread (task, check_thread);
  bb_widget_toast (GTK_WIDGET (self), _("Checking every card…"));
}

/* ---- Set-up --------------------------------------------------------- */

static void
add_columns (BbPrepaidPage *self)
{
  for (Column c = 0; c < N_COLUMNS; c++)
    bb_column_view_add_column (self->column_view, c, _(columns[c].title), columns[c].width,
                               G_CALLBACK (setup_cell), G_CALLBACK (bind_cell), self);
  bb_column_view_sort_by (self->column_view, COLUMN_CUSTOMER, GTK_SORT_ASCENDING);

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);
}

static void
bb_prepaid_page_database_changed (BbPage *page)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (page);
  BbDb *db = bb_page_get_database (page);

  g_clear_signal_handler (&self->changed_id, bb_prepaid_detail_get_database (self->detail));
  g_clear_object (&self->list);
  bb_prepaid_detail_set_database (self->detail, db);

  if (db == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      return;
    }

  /* The query first, then the view: the view binds its rows once. */
  self->list = bb_prepaid_list_new (db);
  update_query (self);
  {
    g_autoptr(GListModel) rows = bb_first_rows_model_new (G_LIST_MODEL (self->list),
                                                          GTK_WIDGET (self->column_view));

    gtk_single_selection_set_model (self->selection, rows);
  }
  self->changed_id = g_signal_connect_object (db, "changed", G_CALLBACK (on_db_changed), self,
                                              G_CONNECT_AFTER);
  update_totals (self);
  update_empty_state (self);
}

static void
bb_prepaid_page_dispose (GObject *object)
{
  BbPrepaidPage *self = BB_PREPAID_PAGE (object);

  if (self->check_cancellable)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->detail)
    g_clear_signal_handler (&self->changed_id, bb_prepaid_detail_get_database (self->detail));
  g_clear_object (&self->list);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (bb_prepaid_page_parent_class)->dispose (object);
}

static void
bb_prepaid_page_class_init (BbPrepaidPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BbPageClass *page_class = BB_PAGE_CLASS (klass);

  object_class->dispose = bb_prepaid_page_dispose;
  page_class->database_changed = bb_prepaid_page_database_changed;

  g_type_ensure (BB_TYPE_PREPAID_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-prepaid-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, liability_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, liability_detail_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, show_filter);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, closed_toggle);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, BbPrepaidPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "prepaid.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "prepaid.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "prepaid.check", NULL, check_action);
}

static void
bb_prepaid_page_init (BbPrepaidPage *self)
{
  g_autoptr(GtkStringList) show = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In Show's order */
  show = gtk_string_list_new ((const char *[]) { _("All Cards"), _("Low Balance"), _("Expiring Soon"), NULL });
  gtk_drop_down_set_model (self->show_filter, G_LIST_MODEL (show));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->detail, "back", G_CALLBACK (on_detail_back), self);
  g_object_bind_property (self->leaflet, "folded", self->detail, "show-back-button",
                          G_BINDING_SYNC_CREATE);

  add_columns (self);
}
