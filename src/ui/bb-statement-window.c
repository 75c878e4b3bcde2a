/* bb-statement-window.c — reconcile an Alipay, WeChat Pay or bank statement with the bills
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The owner chooses a statement file. Its kind is found as core finds it
 * (an Alipay or WeChat Pay export by its header row; anything else is a
 * bank's CSV, read with the column mapping remembered for that bank, or
 * one the owner makes in the mapping step). Reading and matching run in
 * a thread with progress and Cancel. The transactions are then shown in
 * three sections, Matched, Suggested and Unmatched, plus those imported
 * before; each may be accepted or left out, and Confirm records the
 * accepted ones as payments in one transaction (bb_statement_confirm).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-business.h"
#include "bb-ui-util.h"
#include "bb-csv.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-statement.h"
#include "bb-statement-window.h"

/* The header row is looked for among this many first bytes of a bank's
 * file, cut at a line end. */
#define HEAD_BYTES (64 * 1024)
/* Results offered when a bill or customer is picked by hand. */
#define PICK_RESULTS 8

typedef struct _Item Item;

struct _BbStatementWindow
{
  AdwWindow            parent_instance;

  BbDb                *db;
  GCancellable        *cancellable;
  GBytes              *data;
  char                *file_name;
  BbStatementPlatform  platform;
  BbStatementMapping  *mapping;       /* a bank's: the one read with */
  gboolean             mapping_new;   /* made in the mapping step: remember it */
  GStrv                header;        /* the mapping step's column names */
  BbStatement         *statement;
  GPtrArray           *matches;       /* BbStatementMatch */
  GPtrArray           *items;         /* Item, one per shown transaction */
  guint                n_recorded;

  AdwToastOverlay     *toasts;
  GtkWidget           *cancel_button;
  GtkWidget           *confirm_button;
  GtkWidget           *continue_button;
  GtkStack            *stack;
  AdwEntryRow         *bank_row;
  GtkSpinButton       *header_spin;
  AdwComboRow         *date_format_row;
  AdwPreferencesGroup *columns_group;
  GPtrArray           *column_rows;   /* AdwComboRow per column role */
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkLabel            *problems_label;
  GtkListBox          *problems_list;
  GtkWidget           *remap_button;
  GtkLabel            *summary_label;
  GtkWidget           *matched_group;
  GtkListBox          *matched_list;
  GtkWidget           *suggested_group;
  GtkListBox          *suggested_list;
  GtkWidget           *unmatched_group;
  GtkListBox          *unmatched_list;
  GtkWidget           *imported_group;
  GtkListBox          *imported_list;
  AdwStatusPage       *done_page;
  GtkListBox          *recorded_list;
};

G_DEFINE_FINAL_TYPE (BbStatementWindow, bb_statement_window, ADW_TYPE_WINDOW)

/* One transaction on the review page. */
struct _Item
{
  BbStatementWindow  *self;
  BbStatementMatch   *match;     /* (transfer none): in self->matches */
  GtkSwitch          *accept;
  GtkMenuButton      *pick_button;
  GtkWidget          *pick_list;
  char               *choice;    /* what it pays, for the user */
  char               *paid;      /* the same, once recorded */
};

static void
item_free (Item *item)
{
  g_free (item->choice);
  g_free (item->paid);
  g_free (item);
}

/* The columns of a bank's statement, in the mapping step's order. */
static const struct
{
  const char *title;
  gsize       offset;
} column_roles[] = {
  { N_("Date"), G_STRUCT_OFFSET (BbStatementMapping, date_column) },
  { N_("Time"), G_STRUCT_OFFSET (BbStatementMapping, time_column) },
  { N_("Amount (Money Out Negative)"), G_STRUCT_OFFSET (BbStatementMapping, amount_column) },
  { N_("Money In"), G_STRUCT_OFFSET (BbStatementMapping, credit_column) },
  { N_("Money Out"), G_STRUCT_OFFSET (BbStatementMapping, debit_column) },
  { N_("Transaction Number"), G_STRUCT_OFFSET (BbStatementMapping, reference_column) },
  { N_("Counterparty"), G_STRUCT_OFFSET (BbStatementMapping, counterparty_column) },
  { N_("Counterparty Account"), G_STRUCT_OFFSET (BbStatementMapping, counterparty_account_column) },
  { N_("Description"), G_STRUCT_OFFSET (BbStatementMapping, memo_column) },
  { N_("Remark"), G_STRUCT_OFFSET (BbStatementMapping, remark_column) },
};

#define MAPPING_COLUMN(m, i) ((char **) G_STRUCT_MEMBER_P ((m), column_roles[i].offset))

static void
toast (BbStatementWindow *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void
set_buttons (BbStatementWindow *self,
             const char        *page)
{
  gboolean working = self->cancellable != NULL;

  gtk_widget_set_visible (self->continue_button, g_str_equal (page, "mapping"));
  gtk_widget_set_visible (self->confirm_button, g_str_equal (page, "review"));
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        working || g_str_equal (page, "mapping") || g_str_equal (page, "review")
                        ? _("_Cancel") : _("_Close"));
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  BbStatementWindow *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
show_progress (BbStatementWindow *self,
               const char        *text)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_pulse (self->progress_bar);
  set_buttons (self, "progress");
}

static void
show_problems (BbStatementWindow *self,
               const char        *summary,
               GPtrArray         *problems)
{
  clear_list (self->problems_list);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (problems, i);

      gtk_list_box_append (self->problems_list, text_row (p->message, NULL));
    }

  gtk_label_set_text (self->problems_label, summary);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->problems_list), ADW_TYPE_PREFERENCES_GROUP),
                          problems != NULL && problems->len > 0);
  gtk_widget_set_visible (self->remap_button, self->platform == BB_STATEMENT_BANK && self->data != NULL);
  set_buttons (self, "problems");
}

/* ---- Reading, in a thread ------------------------------------------ */

typedef struct
{
  GBytes               *data;
  const BbCurrency     *currency;
  GPtrArray            *mappings;     /* BbStatementMapping to try, when @mapping is NULL */
  BbStatementMapping   *mapping;      /* the one to read with: the mapping step's */

  /* Out */
  BbStatementPlatform   platform;
  BbStatement          *statement;
  BbStatementMapping   *used;         /* (transfer none) a bank's mapping that fitted */
  BbStatementMapping   *guess;        /* a bank's, none fitting: the guessed mapping */
  GError               *error;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_bytes_unref (job->data);
  g_clear_pointer (&job->mappings, g_ptr_array_unref);
  g_clear_pointer (&job->mapping, bb_statement_mapping_free);
  g_clear_pointer (&job->statement, bb_statement_unref);
  g_clear_pointer (&job->guess, bb_statement_mapping_free);
  g_clear_error (&job->error);
  g_free (job);
}

/* A bank mapping fits a file when the file has the header it names:
 * a read that fails on its header line did not find the columns. */
static gboolean
mapping_fits (BbStatement *statement)
{
  if (statement == NULL || statement->header_line == 0)
    return FALSE;

  for (guint i = 0; i < statement->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (statement->problems, i);

      if (p->line == statement->header_line)
        return FALSE;
    }

  return TRUE;
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;

  if (job->mapping != NULL)
    {
      job->platform = BB_STATEMENT_BANK;
      bb_statement_read_bank (job->data, job->mapping, job->currency, &job->statement, &job->error);
      job->used = job->mapping;
    }
  else if (bb_statement_detect (job->data, &job->platform))
    {
      if (job->platform == BB_STATEMENT_ALIPAY)
        bb_statement_read_alipay (job->data, &job->statement, &job->error);
      else
        bb_statement_read_wechat (job->data, &job->statement, &job->error);
    }
  else
    {
      job->platform = BB_STATEMENT_BANK;
      for (guint i = 0; job->mappings != NULL && i < job->mappings->len; i++)
        {
          BbStatementMapping *mapping = g_ptr_array_index (job->mappings, i);
          g_autoptr(BbStatement) statement = NULL;
          g_autoptr(GError) error = NULL;

          if (g_cancellable_is_cancelled (cancellable))
            break;

          bb_statement_read_bank (job->data, mapping, job->currency, &statement, &error);
          if (mapping_fits (statement))
            {
              job->statement = g_steal_pointer (&statement);
              job->error = g_steal_pointer (&error);
              job->used = mapping;
              break;
            }
        }

      if (job->used == NULL)
        {
          g_autoptr(GError) ignored = NULL;

          job->guess = bb_statement_guess_mapping_for_data (job->data, &ignored);
          if (job->guess == NULL)
            job->guess = bb_statement_mapping_new ();
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void start_matching (BbStatementWindow *self);
static void show_mapping (BbStatementWindow *self, const BbStatementMapping *mapping);

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BbStatementWindow) self = user_data;
  ReadJob *job = g_task_get_task_data (G_TASK (result));
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result)));

  g_clear_object (&self->cancellable);
  if (self->db == NULL)
    return;   /* the window was closed meanwhile */
  if (cancelled)
    {
      set_buttons (self, "choose");
      return;
    }

  self->platform = job->platform;

  if (job->guess != NULL)
    {
      /* A bank no mapping remembered fits: the owner says the columns. */
      self->mapping_new = TRUE;
      show_mapping (self, job->guess);
      return;
    }

  if (job->used != NULL)
    {
      g_clear_pointer (&self->mapping, bb_statement_mapping_free);
      self->mapping = bb_statement_mapping_copy (job->used);
    }

  if (job->error != NULL || job->statement == NULL)
    {
      g_autofree char *summary = NULL;

      summary = g_strdup_printf (_("%s cannot be read: %s"), self->file_name,
                                 job->error ? job->error->message : _("unknown problem"));
      show_problems (self, summary, job->statement ? job->statement->problems : NULL);
      return;
    }

  /* A mapping is remembered once it has read a statement. */
  if (self->platform == BB_STATEMENT_BANK && self->mapping_new && self->mapping != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!bb_statement_mapping_save (self->db, self->mapping, &error))
        toast (self, error->message);
      self->mapping_new = FALSE;
    }

  g_clear_pointer (&self->statement, bb_statement_unref);
  self->statement = bb_statement_ref (job->statement);
  start_matching (self);
}

static void
start_reading (BbStatementWindow  *self,
               BbStatementMapping *mapping)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job = g_new0 (ReadJob, 1);

  job->data = g_bytes_ref (self->data);
  job->currency = bb_business_get_currency (self->db);
  job->mapping = mapping;
  if (mapping == NULL)
    {
      g_auto(GStrv) banks = bb_statement_mapping_list_banks (self->db, NULL);

      job->mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_statement_mapping_free);
      for (guint i = 0; banks != NULL && banks[i] != NULL; i++)
        {
          BbStatementMapping *m = bb_statement_mapping_load (self->db, banks[i], NULL);

          if (m != NULL)
            g_ptr_array_add (job->mappings, m);
        }
    }

  show_progress (self, _("Reading the statement…"));
  task = g_task_new (self, self->cancellable, read_done, g_object_ref (self));
  g_task_set_name (task, "bb-statement-read");
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
}

/* ---- The mapping step ---------------------------------------------- */

/* The record on line @line of a bank's file, or the first non-empty
 * record after it; read from the head of the file only. */
static GStrv
header_at (GBytes *data,
           guint   line,
           guint  *found)
{
  gsize size = 0;
  const char *bytes = g_bytes_get_data (data, &size);
  g_autoptr(GBytes) head = NULL;
  g_autoptr(BbCsvReader) reader = NULL;

  if (size > HEAD_BYTES)
    {
      const char *end = g_strrstr_len (bytes, HEAD_BYTES, "\n");

      size = end != NULL ? (gsize) (end - bytes) + 1 : HEAD_BYTES;
    }
  head = g_bytes_new_from_bytes (data, 0, size);

  reader = bb_csv_reader_new (head, NULL);
  if (reader == NULL)
    return NULL;

  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint at = 0;
      gboolean empty = TRUE;

      if (!bb_csv_reader_next (reader, &fields, &at, &error))
        {
          if (error == NULL)
            return NULL;
          continue;
        }
      if (at < line)
        continue;
      for (guint i = 0; fields[i] != NULL; i++)
        if (*g_strstrip (fields[i]) != '\0')
          empty = FALSE;
      if (empty)
        continue;

      if (found != NULL)
        *found = at;
      return g_steal_pointer (&fields);
    }
}

static void
set_column_choices (BbStatementWindow        *self,
                    const BbStatementMapping *mapping)
{
  for (guint r = 0; r < self->column_rows->len; r++)
    {
      AdwComboRow *row = g_ptr_array_index (self->column_rows, r);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      const char *wanted = mapping ? *MAPPING_COLUMN ((BbStatementMapping *) mapping, r) : NULL;
      guint selected = 0;

      gtk_string_list_append (names, _("Not in the file"));
      for (guint i = 0; self->header != NULL && self->header[i] != NULL; i++)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          gtk_string_list_append (names, *self->header[i] ? self->header[i] : "—");
          if (wanted == NULL || *wanted == '\0' || selected != 0)
            continue;
          a = g_utf8_casefold (self->header[i], -1);
          b = g_utf8_casefold (wanted, -1);
          if (g_str_equal (a, b))
            selected = i + 1;
        }
      adw_combo_row_set_model (row, G_LIST_MODEL (names));
      adw_combo_row_set_selected (row, selected);
    }
}

static void
load_header (BbStatementWindow        *self,
             guint                     line,
             const BbStatementMapping *mapping)
{
  guint found = line;

  g_clear_pointer (&self->header, g_strfreev);
  self->header = header_at (self->data, line, &found);
  set_column_choices (self, mapping);
}

static void
show_mapping (BbStatementWindow        *self,
              const BbStatementMapping *mapping)
{
  guint line = mapping->header_line > 0 ? mapping->header_line : 1;

  gtk_spin_button_set_value (self->header_spin, line);
  load_header (self, line, mapping);
  adw_combo_row_set_selected (self->date_format_row, mapping->date_format);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->bank_row)) == '\0' && mapping->bank_name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->bank_row), mapping->bank_name);
  set_buttons (self, "mapping");
  gtk_widget_grab_focus (GTK_WIDGET (self->bank_row));
}

static void
on_header_line_changed (BbStatementWindow *self)
{
  g_autoptr(BbStatementMapping) guess = NULL;

  if (self->data == NULL || !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "mapping"))
    return;

  /* The columns of another line: guessed again from its names. */
  load_header (self, (guint) gtk_spin_button_get_value_as_int (self->header_spin), NULL);
  if (self->header != NULL)
    {
      guess = bb_statement_guess_mapping ((const char * const *) self->header);
      set_column_choices (self, guess);
    }
}

static BbStatementMapping *
mapping_from_rows (BbStatementWindow *self)
{
  BbStatementMapping *mapping = bb_statement_mapping_new ();
  guint selected;

  g_free (mapping->bank_name);
  mapping->bank_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->bank_row))));
  mapping->header_line = (guint) gtk_spin_button_get_value_as_int (self->header_spin);
  selected = adw_combo_row_get_selected (self->date_format_row);
  mapping->date_format = selected <= BB_STATEMENT_DATE_MDY ? (BbStatementDateFormat) selected
                                                            : BB_STATEMENT_DATE_YMD;

  for (guint r = 0; r < self->column_rows->len; r++)
    {
      guint index = adw_combo_row_get_selected (g_ptr_array_index (self->column_rows, r));
      char **column = MAPPING_COLUMN (mapping, r);

      g_free (*column);
      *column = index > 0 && index != GTK_INVALID_LIST_POSITION && self->header != NULL &&
                index <= g_strv_length (self->header)
                ? g_strdup (self->header[index - 1]) : NULL;
    }

  return mapping;
}

static void
on_continue_clicked (BbStatementWindow *self)
{
  g_autoptr(BbStatementMapping) mapping = mapping_from_rows (self);
  g_autoptr(GError) error = NULL;

  if (mapping->bank_name == NULL || *mapping->bank_name == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->bank_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->bank_row));
      toast (self, _("Bank Name: say which bank the statement is from; its columns are remembered under this name"));
      return;
    }
  if (!bb_statement_mapping_validate (mapping, &error))
    {
      toast (self, error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->bank_row), "error");
  self->mapping_new = TRUE;
  start_reading (self, g_steal_pointer (&mapping));
}

static void
on_remap_clicked (BbStatementWindow *self)
{
  g_autoptr(BbStatementMapping) guess = NULL;

  if (self->mapping != NULL)
    guess = bb_statement_mapping_copy (self->mapping);
  else if ((guess = bb_statement_guess_mapping_for_data (self->data, NULL)) == NULL)
    guess = bb_statement_mapping_new ();

  self->mapping_new = TRUE;
  show_mapping (self, guess);
}

/* ---- Matching and the review --------------------------------------- */

static BbStatementCandidate *
chosen_candidate (BbStatementMatch *match)
{
  for (guint i = 0; match->candidates != NULL && i < match->candidates->len; i++)
    {
      BbStatementCandidate *c = g_ptr_array_index (match->candidates, i);

      if (c->invoice_id == match->invoice_id)
        return c;
    }

  return NULL;
}

static char *
candidate_label (BbStatementWindow    *self,
                 BbStatementCandidate *c)
{
  g_autofree char *open = bb_money_format (c->open_balance, bb_business_get_currency (self->db));

  /* Translators: a bill a payment may be for: "INV-2024-0008 · 张三 · owes ¥500.00" */
  return g_strdup_printf (_("%s · %s · owes %s"), c->invoice_number, c->customer_name, open);
}

static guint
count_accepted (BbStatementWindow *self)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->accept != NULL && gtk_switch_get_active (item->accept))
        n++;
    }

  return n;
}

static void
update_confirm (BbStatementWindow *self)
{
  guint n = count_accepted (self);
  g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Record %u accepted transaction as a payment",
                                                       "Record %u accepted transactions as payments",
                                                       n),
                                          n);

  gtk_widget_set_sensitive (self->confirm_button, n > 0);
  gtk_widget_set_tooltip_text (self->confirm_button, tip);
}

static void
on_accept_changed (Item *item)
{
  update_confirm (item->self);
}

/* What a recorded payment paid, for the last page. */
static char *
paid_text (const char *number,
           const char *customer_name)
{
  if (number == NULL)
    /* Translators: a payment recorded from a statement for a customer, not a bill */
    return g_strdup_printf (_("From %s: their oldest bills first, the rest as credit"), customer_name);

  /* Translators: "Pays INV-2026-0045 of 陈雨桐" */
  return g_strdup_printf (_("Pays %s of %s"), number, customer_name);
}

static void
set_choice (Item       *item,
            const char *choice,
            char       *paid)
{
  g_free (item->choice);
  item->choice = g_strdup (choice);
  g_free (item->paid);
  item->paid = paid;
  gtk_widget_set_sensitive (GTK_WIDGET (item->accept), choice != NULL);
  gtk_switch_set_active (item->accept, choice != NULL);
  if (item->pick_button != NULL)
    gtk_menu_button_set_label (item->pick_button, choice != NULL ? choice : _("Choose…"));
}

static void
on_candidate_selected (GtkDropDown *drop,
                       GParamSpec  *pspec,
                       Item        *item)
{
  guint selected = gtk_drop_down_get_selected (drop);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      !bb_statement_match_choose (item->match, selected - 1))
    {
      item->match->invoice_id = 0;
      item->match->customer_id = 0;
      set_choice (item, NULL, NULL);
      return;
    }

  {
    BbStatementCandidate *c = chosen_candidate (item->match);
    g_autofree char *label = candidate_label (item->self, c);

    set_choice (item, label, paid_text (c->invoice_number, c->customer_name));
  }
}

/* Picking a bill or a customer by hand */

static void
on_pick_activated (GtkListBox    *list,
                   GtkListBoxRow *row,
                   Item          *item)
{
  gint64 invoice_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "invoice-id"));
  gint64 customer_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "customer-id"));
  const char *label = g_object_get_data (G_OBJECT (row), "label");
  const char *paid = g_object_get_data (G_OBJECT (row), "paid");

  if (invoice_id != 0)
    {
      item->match->invoice_id = invoice_id;
      item->match->customer_id = customer_id;
    }
  else
    bb_statement_match_choose_customer (item->match, customer_id);

  set_choice (item, label, g_strdup (paid));
  gtk_menu_button_popdown (item->pick_button);
}

static void
add_pick_row (GtkListBox *list,
              const char *title,
              const char *subtitle,
              char       *paid,
              gint64      invoice_id,
              gint64      customer_id)
{
  GtkWidget *row = text_row (title, subtitle);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "invoice-id", GSIZE_TO_POINTER ((gsize) invoice_id));
  g_object_set_data (G_OBJECT (row), "customer-id", GSIZE_TO_POINTER ((gsize) customer_id));
  g_object_set_data_full (G_OBJECT (row), "label", g_strdup (title), g_free);
  g_object_set_data_full (G_OBJECT (row), "paid", paid, g_free);
  gtk_list_box_append (list, row);
}

static void
on_pick_search (GtkSearchEntry *entry,
                Item           *item)
{
  BbStatementWindow *self = item->self;
  GtkListBox *list = GTK_LIST_BOX (item->pick_list);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  const BbCurrency *currency = bb_business_get_currency (self->db);
  BbInvoiceQuery bills = { 0 };
  BbCustomerQuery customers = { 0 };
  g_autoptr(GPtrArray) found_bills = NULL;
  g_autoptr(GPtrArray) found_customers = NULL;

  clear_list (list);
  if (*text == '\0')
    return;

  bills.text = text;
  bills.status = BB_INVOICE_ISSUED;
  bills.sort = BB_INVOICE_SORT_DUE;
  found_bills = bb_invoices_search (self->db, &bills, 0, PICK_RESULTS, NULL);
  for (guint i = 0; found_bills != NULL && i < found_bills->len; i++)
    {
      BbInvoice *bill = g_ptr_array_index (found_bills, i);
      g_autofree char *open = NULL;
      g_autofree char *title = NULL;

      if (bill->open_balance <= 0 || bill->kind == BB_INVOICE_KIND_CREDIT_NOTE)
        continue;
      open = bb_money_format (bill->open_balance, currency);
      title = g_strdup_printf (_("%s · %s · owes %s"), bill->number, bill->customer_name, open);
      add_pick_row (list, title, bill->due_on, paid_text (bill->number, bill->customer_name),
                    bill->id, bill->customer_id);
    }

  customers.text = text;
  found_customers = bb_customers_search (self->db, &customers, 0, PICK_RESULTS, NULL);
  for (guint i = 0; found_customers != NULL && i < found_customers->len; i++)
    {
      BbCustomer *c = g_ptr_array_index (found_customers, i);
      g_autofree char *sub = g_strdup_printf (_("Customer %s · pays their oldest bills, the rest is credit"),
                                              c->code);

      add_pick_row (list, c->name, sub, paid_text (NULL, c->name), 0, c->id);
    }
}

static GtkWidget *
pick_popover (Item *item)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  g_object_set (entry, "placeholder-text", _("Bill number, customer name or phone…"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Find a bill or customer"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_size_request (scroller, 360, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  item->pick_list = list;
  g_signal_connect (entry, "search-changed", G_CALLBACK (on_pick_search), item);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_pick_activated), item);

  return popover;
}

static char *
line_title (BbStatementLine *line)
{
  const BbCurrency *currency = bb_currency_lookup (line->currency);
  g_autofree char *amount = NULL;

  if (currency == NULL)
    currency = bb_currency_get_default ();
  amount = bb_money_format (line->amount, currency);

  /* Translators: a transaction of a statement: "¥500.00 from 张三" */
  return *line->counterparty != '\0' ? g_strdup_printf (_("%s from %s"), amount, line->counterparty)
                                     : g_steal_pointer (&amount);
}

static char *
line_subtitle (BbStatementLine *line,
               const char      *reason)
{
  const char *parts[5];
  guint n = 0;

  parts[n++] = line->time;
  if (*line->memo != '\0')
    parts[n++] = line->memo;
  if (*line->remark != '\0')
    parts[n++] = line->remark;
  if (reason != NULL && *reason != '\0')
    parts[n++] = reason;
  parts[n] = NULL;

  return g_strjoinv (" · ", (char **) parts);
}

static GtkSwitch *
accept_switch (Item *item)
{
  GtkWidget *sw = gtk_switch_new ();

  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  bb_cell_set_tooltip (sw, _("Record this transaction as a payment"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Record this transaction as a payment"), -1);
  g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_accept_changed), item);

  return GTK_SWITCH (sw);
}

static void
add_item (BbStatementWindow *self,
          BbStatementMatch  *match)
{
  Item *item = g_new0 (Item, 1);
  g_autofree char *title = line_title (match->line);
  g_autofree char *subtitle = line_subtitle (match->line, match->reason);
  g_autofree char *plain_subtitle = line_subtitle (match->line, NULL);
  GtkWidget *row = text_row (title, subtitle);
  GtkListBox *list = NULL;

  item->self = self;
  item->match = match;
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  switch (match->outcome)
    {
    case BB_STATEMENT_MATCHED:
      {
        BbStatementCandidate *c = chosen_candidate (match);
        g_autofree char *label = c ? candidate_label (self, c) : g_strdup ("");
        GtkWidget *what = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        GtkWidget *number = gtk_label_new (c ? c->invoice_number : "");
        GtkWidget *who = gtk_label_new (c ? c->customer_name : "");

        /* The bill and its customer; why it fits, on hovering. */
        gtk_widget_set_valign (what, GTK_ALIGN_CENTER);
        gtk_label_set_xalign (GTK_LABEL (number), 1.0);
        gtk_label_set_xalign (GTK_LABEL (who), 1.0);
        gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
        gtk_label_set_max_width_chars (GTK_LABEL (who), 20);
        gtk_widget_add_css_class (number, "heading");
        gtk_widget_add_css_class (who, "dim-label");
        gtk_widget_add_css_class (who, "caption");
        gtk_box_append (GTK_BOX (what), number);
        gtk_box_append (GTK_BOX (what), who);
        bb_cell_set_tooltip (what, match->reason);
        bb_cell_set_tooltip (row, match->reason);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), plain_subtitle);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), what);
        item->accept = accept_switch (item);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (item->accept));
        item->choice = g_steal_pointer (&label);
        item->paid = c ? paid_text (c->invoice_number, c->customer_name) : NULL;
        gtk_switch_set_active (item->accept, TRUE);
        list = self->matched_list;
      }
      break;

    case BB_STATEMENT_SUGGESTED:
      {
        g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
        GtkWidget *drop;

        gtk_string_list_append (names, _("Choose the bill…"));
        for (guint i = 0; match->candidates != NULL && i < match->candidates->len; i++)
          {
            g_autofree char *label = candidate_label (self, g_ptr_array_index (match->candidates, i));

            gtk_string_list_append (names, label);
          }
        drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
        gtk_widget_set_valign (drop, GTK_ALIGN_CENTER);
        gtk_widget_set_size_request (drop, 220, -1);
        bb_cell_set_tooltip (drop, _("The bill this transaction pays"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (drop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("The bill this transaction pays"), -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop);
        item->accept = accept_switch (item);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (item->accept));
        match->invoice_id = 0;
        match->customer_id = 0;
        set_choice (item, NULL, NULL);
        g_signal_connect (drop, "notify::selected", G_CALLBACK (on_candidate_selected), item);
        list = self->suggested_list;
      }
      break;

    case BB_STATEMENT_UNMATCHED:
      {
        GtkWidget *button = gtk_menu_button_new ();

        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        bb_cell_set_tooltip (button, _("Choose the bill or customer this transaction is from"));
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), pick_popover (item));
        item->pick_button = GTK_MENU_BUTTON (button);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        item->accept = accept_switch (item);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (item->accept));
        set_choice (item, NULL, NULL);
        list = self->unmatched_list;
      }
      break;

    case BB_STATEMENT_ALREADY_IMPORTED:
      {
        GtkWidget *label = gtk_label_new (_("Recorded before"));

        gtk_widget_add_css_class (label, "dim-label");
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        list = self->imported_list;
      }
      break;

    case BB_STATEMENT_SKIPPED:
    default:
      g_object_ref_sink (row);
      g_object_unref (row);
      item_free (item);
      return;
    }

  gtk_list_box_append (list, row);
  g_ptr_array_add (self->items, item);
}

static void
fill_review (BbStatementWindow *self)
{
  guint n[BB_STATEMENT_SKIPPED + 1] = { 0 };
  g_autoptr(GString) summary = g_string_new (NULL);

  clear_list (self->matched_list);
  clear_list (self->suggested_list);
  clear_list (self->unmatched_list);
  clear_list (self->imported_list);
  g_ptr_array_set_size (self->items, 0);

  for (guint i = 0; i < self->matches->len; i++)
    {
      BbStatementMatch *match = g_ptr_array_index (self->matches, i);

      n[match->outcome]++;
      add_item (self, match);
    }

  gtk_widget_set_visible (self->matched_group, n[BB_STATEMENT_MATCHED] > 0);
  gtk_widget_set_visible (self->suggested_group, n[BB_STATEMENT_SUGGESTED] > 0);
  gtk_widget_set_visible (self->unmatched_group, n[BB_STATEMENT_UNMATCHED] > 0);
  gtk_widget_set_visible (self->imported_group, n[BB_STATEMENT_ALREADY_IMPORTED] > 0);

  g_string_append_printf (summary,
                          /* Translators: "wechat.csv, a statement of WeChat Pay: 12 transactions." */
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s, a statement of %s: %u transaction.",
                                       "%s, a statement of %s: %u transactions.",
                                       self->matches->len),
                          self->file_name,
                          self->platform == BB_STATEMENT_BANK && self->mapping != NULL
                          ? self->mapping->bank_name : bb_statement_platform_label (self->platform),
                          self->matches->len);
  g_string_append_c (summary, ' ');
  g_string_append_printf (summary, _("Matched %u, suggested %u, unmatched %u, imported already %u."),
                          n[BB_STATEMENT_MATCHED], n[BB_STATEMENT_SUGGESTED],
                          n[BB_STATEMENT_UNMATCHED], n[BB_STATEMENT_ALREADY_IMPORTED]);
  if (n[BB_STATEMENT_SKIPPED] > 0)
    {
      g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u is not money received (a payment out, a refund, or not completed) and is left out.",
                                           "%u are not money received (payments out, refunds, or not completed) and are left out.",
                                           n[BB_STATEMENT_SKIPPED]),
                              n[BB_STATEMENT_SKIPPED]);
    }
  if (n[BB_STATEMENT_MATCHED] + n[BB_STATEMENT_SUGGESTED] + n[BB_STATEMENT_UNMATCHED] == 0)
    {
      g_string_append_c (summary, ' ');
      g_string_append (summary, _("There is nothing new to record."));
    }
  gtk_label_set_text (self->summary_label, summary->str);

  update_confirm (self);
  set_buttons (self, "review");
}

static void
match_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BbStatementWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *matches;

  g_clear_object (&self->cancellable);
  if (self->db == NULL)
    return;   /* the window was closed meanwhile */
  matches = bb_statement_match_finish (self->db, result, &error);
  if (matches == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_buttons (self, "choose");
      else
        show_problems (self, error->message, NULL);
      return;
    }

  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->matches = matches;
  fill_review (self);
}

static void
start_matching (BbStatementWindow *self)
{
  show_progress (self, _("Matching the transactions to the bills…"));
  bb_statement_match_async (self->db, self->statement, NULL, on_progress, self, self->cancellable,
                            match_done, g_object_ref (self));
}

/* ---- Confirming ---------------------------------------------------- */

static void
confirm_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BbStatementWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  g_clear_object (&self->cancellable);
  if (self->db == NULL)
    return;   /* the window was closed meanwhile */
  if (!bb_statement_confirm_finish (self->db, result, &n, &error))
    {
      set_buttons (self, "review");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  self->n_recorded = n;
  clear_list (self->recorded_list);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autofree char *title = NULL;

      if (item->accept == NULL || !gtk_switch_get_active (item->accept))
        continue;
      title = line_title (item->match->line);
      gtk_list_box_append (self->recorded_list, text_row (title, item->paid));
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u payment was recorded; the bills and customers show it now.",
                                       "%u payments were recorded; the bills and customers show them now.",
                                       n),
                          n);
  adw_status_page_set_description (self->done_page, text);
  set_buttons (self, "done");
}

static void
on_confirm_clicked (BbStatementWindow *self)
{
  g_autoptr(GPtrArray) accepted = g_ptr_array_new ();

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->accept != NULL && gtk_switch_get_active (item->accept))
        g_ptr_array_add (accepted, item->match);
    }
  if (accepted->len == 0)
    return;

  show_progress (self, _("Recording the payments…"));
  bb_statement_confirm_async (self->db, accepted, on_progress, self, self->cancellable,
                              confirm_done, g_object_ref (self));
}

/* ---- Choosing the file --------------------------------------------- */

static void
file_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BbStatementWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_clear_object (&self->cancellable);
  if (self->db == NULL)
    return;   /* the window was closed meanwhile */
  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_buttons (self, "choose");
      else
        show_problems (self, error->message, NULL);
      return;
    }

  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_new_take (contents, length);
  start_reading (self, NULL);
}

void
bb_statement_window_open_file (BbStatementWindow *self,
                               GFile             *file)
{
  g_return_if_fail (BB_IS_STATEMENT_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_free (self->file_name);
  self->file_name = g_file_get_basename (file);
  g_clear_pointer (&self->mapping, bb_statement_mapping_free);
  g_clear_pointer (&self->statement, bb_statement_unref);
  self->mapping_new = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->bank_row), "");

  show_progress (self, _("Reading the statement…"));
  g_file_load_contents_async (file, self->cancellable, file_loaded, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog   *native,
                int                response,
                BbStatementWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      bb_statement_window_open_file (self, file);
    }

  g_object_unref (native);
}

static void
on_choose_clicked (BbStatementWindow *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Choose a Statement"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_set_name (csv, _("Statements (CSV)"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_filter_add_pattern (csv, "*.txt");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  g_signal_connect (native, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_cancel_clicked (BbStatementWindow *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
bb_statement_window_close_request (GtkWindow *window)
{
  BbStatementWindow *self = BB_STATEMENT_WINDOW (window);

  /* Closing while reading or recording cancels: nothing half-saved. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (bb_statement_window_parent_class)->close_request (window);
}

static void
bb_statement_window_dispose (GObject *object)
{
  BbStatementWindow *self = BB_STATEMENT_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_STATEMENT_WINDOW);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->statement, bb_statement_unref);
  g_clear_pointer (&self->mapping, bb_statement_mapping_free);
  g_clear_pointer (&self->header, g_strfreev);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_statement_window_parent_class)->dispose (object);
}

static void
bb_statement_window_class_init (BbStatementWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bb_statement_window_dispose;
  window_class->close_request = bb_statement_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-statement-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, bank_row);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, header_spin);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, date_format_row);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, columns_group);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, remap_button);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, matched_group);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, matched_list);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, suggested_group);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, suggested_list);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, unmatched_group);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, unmatched_list);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, imported_group);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, imported_list);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, done_page);
  gtk_widget_class_bind_template_child (widget_class, BbStatementWindow, recorded_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remap_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_header_line_changed);
}

static void
bb_statement_window_init (BbStatementWindow *self)
{
  g_autoptr(GtkStringList) formats = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->matches = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_statement_match_free);
  self->column_rows = g_ptr_array_new ();

  /* In the order of BbStatementDateFormat */
  formats = gtk_string_list_new ((const char *[]) { _("Year First (2024-01-31)"),
                                                    _("Day First (31/01/2024)"),
                                                    _("Month First (01/31/2024)"),
                                                    NULL });
  adw_combo_row_set_model (self->date_format_row, G_LIST_MODEL (formats));

  for (guint r = 0; r < G_N_ELEMENTS (column_roles); r++)
    {
      GtkWidget *row = adw_combo_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(column_roles[r].title));
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }

  set_buttons (self, "choose");
}

BbStatementWindow *
bb_statement_window_new (GtkWindow *parent,
                         BbDb      *db)
{
  BbStatementWindow *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_STATEMENT_WINDOW, "transient-for", parent, NULL);
  self->db = g_object_ref (db);

  return self;
}

const char *
bb_statement_window_get_state (BbStatementWindow *self)
{
  g_return_val_if_fail (BB_IS_STATEMENT_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

guint
bb_statement_window_get_n_recorded (BbStatementWindow *self)
{
  g_return_val_if_fail (BB_IS_STATEMENT_WINDOW (self), 0);

  return self->n_recorded;
}
