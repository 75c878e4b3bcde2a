/* bb-preferences-window.c — business details and settings of the book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The business details live in the book (not GSettings): they belong to
 * the shop, and go wherever the book file goes.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-autostart.h"
#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoice-pdf.h"
#include "bb-invoices.h"
#include "bb-payment-methods-group.h"
#include "bb-preferences-window.h"
#include "bb-reminder-ladder-group.h"
#include "bb-reminders.h"

/* The payment text is saved this long after the last keystroke. */
#define SAVE_DELAY_MS 500

struct _BbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BbDb                 *db;
  gboolean              loading;

  AdwEntryRow          *name_row;
  AdwEntryRow          *address_row;
  AdwEntryRow          *phone_row;
  AdwEntryRow          *tax_id_row;
  AdwComboRow          *currency_row;
  AdwEntryRow          *threshold_row;
  AdwPreferencesGroup  *fields_group;
  AdwEntryRow          *new_field_row;
  GPtrArray            *field_rows;
  GtkSwitch            *background_switch;

  AdwPreferencesGroup  *numbers_group;
  AdwEntryRow          *pattern_row;
  AdwComboRow          *paper_row;
  GtkSwitch            *words_switch;
  AdwActionRow         *logo_row;
  GtkWidget            *logo_remove_button;
  GtkTextView          *payment_view;
  AdwActionRow         *qr_row;
  GtkWidget            *qr_remove_button;
  GtkSwitch            *credit_block_switch;
  BbPaymentMethodsGroup *methods_group;
  BbReminderLadderGroup *ladder_group;
  AdwComboRow          *review_row;
  guint                 payment_save_id;
};

G_DEFINE_FINAL_TYPE (BbPreferencesWindow, bb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static char *
currency_label (const BbCurrency *currency)
{
  return g_strdup_printf ("%s (%s)", currency->code, currency->symbol);
}

static BbBusiness *
business_from_rows (BbPreferencesWindow *self)
{
  g_autoptr(BbBusiness) business = bb_business_load (self->db);
  const BbCurrency * const *currencies = bb_currency_list ();
  guint selected = adw_combo_row_get_selected (self->currency_row);

  g_free (business->name);
  business->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_free (business->address);
  business->address = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  g_free (business->phone);
  business->phone = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row)));
  g_free (business->tax_id);
  business->tax_id = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tax_id_row)));

  if (selected != GTK_INVALID_LIST_POSITION && currencies[selected] != NULL)
    {
      g_free (business->currency);
      business->currency = g_strdup (currencies[selected]->code);
    }

  return g_steal_pointer (&business);
}

static void
save (BbPreferencesWindow *self,
      GtkWidget           *row)
{
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;

  business = business_from_rows (self);

  if (!bb_business_save (self->db, business, &error))
    {
      if (row)
        gtk_widget_add_css_class (row, "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }

  if (row)
    gtk_widget_remove_css_class (row, "error");
}

static void
on_entry_apply (BbPreferencesWindow *self,
                AdwEntryRow         *row)
{
  save (self, GTK_WIDGET (row));
}

static void
on_currency_selected (BbPreferencesWindow *self,
                      GParamSpec          *pspec,
                      AdwComboRow         *row)
{
  save (self, NULL);
}

static void
toast (BbPreferencesWindow *self,
       const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_threshold_apply (BbPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  BbMoney threshold;

  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (row)),
                       bb_business_get_currency (self->db),
                       _("Class A threshold"), FALSE, &threshold, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return;
    }

  stored = g_strdup_printf ("%" G_GINT64_FORMAT, threshold);
  if (!bb_db_set_setting (self->db, "customers.class_a_threshold", stored, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void load_fields (BbPreferencesWindow *self);

static void
on_remove_field_clicked (GtkButton           *button,
                         BbPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "field");
  g_autoptr(GError) error = NULL;

  if (!bb_customer_fields_remove (self->db, name, &error))
    toast (self, error->message);
  load_fields (self);
}

static void
load_fields (BbPreferencesWindow *self)
{
  g_auto(GStrv) fields = bb_customer_fields_list (self->db);

  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->fields_group, g_ptr_array_index (self->field_rows, i));
  g_ptr_array_set_size (self->field_rows, 0);

  for (guint i = 0; fields[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = g_strdup_printf (_("Remove the field “%s”"), fields[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fields[i]);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "field", g_strdup (fields[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_field_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->fields_group, row);
      g_ptr_array_add (self->field_rows, row);
    }
}

static void
on_new_field_apply (BbPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;

  if (!bb_customer_fields_add (self->db, gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  load_fields (self);
}


/* ---- Billing ---------------------------------------------------------- */

static void
set_flag (BbPreferencesWindow *self,
          const char          *key,
          gboolean             on)
{
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;
  if (!bb_db_set_setting (self->db, key, on ? "1" : "0", &error))
    toast (self, error->message);
}

static gboolean
get_flag (BbPreferencesWindow *self,
          const char          *key)
{
  g_autofree char *value = bb_db_get_setting (self->db, key);

  return g_strcmp0 (value, "1") == 0;
}

static int
this_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_year (now);
}

/* Under the pattern: what the placeholders mean and the next number
 * with the pattern as typed, or what is wrong with it. */
static void
update_pattern_hint (BbPreferencesWindow *self)
{
  const char *pattern = gtk_editable_get_text (GTK_EDITABLE (self->pattern_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *next = bb_invoices_preview_next_number (self->db, pattern, this_year (), &error);
  g_autofree char *description = NULL;

  if (next != NULL)
    {
      /* TRANSLATORS: keep {year}, {yy}, {seq} and {seq:04} as they are */
      description = g_strdup_printf (_("{year} is the year of issue, {yy} its last two digits, {seq} the running number of the year; {seq:04} pads it to 4 digits. The next bill will be %s."),
                                     next);
      gtk_widget_remove_css_class (GTK_WIDGET (self->pattern_row), "error");
    }
  else
    {
      description = g_strdup (error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->pattern_row), "error");
    }

  adw_preferences_group_set_description (self->numbers_group, description);
}

static void
on_pattern_changed (BbPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  if (!self->loading)
    update_pattern_hint (self);
}

static void
on_pattern_apply (BbPreferencesWindow *self,
                  AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;

  if (!bb_invoices_set_pattern (self->db, gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return;
    }
  update_pattern_hint (self);
}

static void
on_paper_selected (BbPreferencesWindow *self,
                   GParamSpec          *pspec,
                   AdwComboRow         *row)
{
  g_autoptr(GError) error = NULL;
  BbPaperSize paper = adw_combo_row_get_selected (row) == 1 ? BB_PAPER_LETTER : BB_PAPER_A4;

  if (!self->loading &&
      !bb_db_set_setting (self->db, "billing.paper", bb_paper_size_to_string (paper), &error))
    toast (self, error->message);
}

/* The review row's choices, in days (0: never). */
static const int review_choices[] = { 90, 182, 365, 0 };

static guint
review_choice_of (int days)
{
  if (days == 0)
    return 3;
  /* Set some other way: the nearest choice. */
  return days <= 135 ? 0 : days <= 273 ? 1 : 2;
}

static void
on_review_selected (BbPreferencesWindow *self,
                    GParamSpec          *pspec,
                    AdwComboRow         *row)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (row);

  if (!self->loading && selected < G_N_ELEMENTS (review_choices) &&
      !bb_reminders_set_review_days (self->db, review_choices[selected], &error))
    toast (self, error->message);
}

static void
on_words_active (BbPreferencesWindow *self,
                 GParamSpec          *pspec,
                 GtkSwitch           *sw)
{
  set_flag (self, "billing.amount_in_words", gtk_switch_get_active (sw));
}

static void
on_credit_block_active (BbPreferencesWindow *self,
                        GParamSpec          *pspec,
                        GtkSwitch           *sw)
{
  set_flag (self, "billing.credit_block", gtk_switch_get_active (sw));
}

/* Run in Background: the autostart entry for `billbook --background`
 * (bb-autostart.c), and the setting that keeps the app running when its
 * window is closed (bb-application.c). */
static void
on_background_active (BbPreferencesWindow *self,
                      GParamSpec          *pspec,
                      GtkSwitch           *sw)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_path = NULL;
  const char *book;
  gboolean active = gtk_switch_get_active (sw);

  if (self->loading)
    return;

  /* Another book than the default one is named in the entry. */
  default_path = bb_db_get_default_path ();
  book = bb_db_get_path (self->db);
  if (!bb_autostart_set_enabled (active, g_strcmp0 (book, default_path) != 0 ? book : NULL, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      self->loading = TRUE;
      gtk_switch_set_active (sw, !active);
      self->loading = FALSE;
      return;
    }

  settings = g_settings_new (APP_ID);
  g_settings_set_boolean (settings, "run-in-background", active);
}

static gboolean
save_payment_text (gpointer data)
{
  BbPreferencesWindow *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->payment_view);
  GtkTextIter start, end;

  self->payment_save_id = 0;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  if (!bb_db_set_setting (self->db, "billing.payment_text", text, &error))
    toast (self, error->message);

  return G_SOURCE_REMOVE;
}

static void
on_payment_text_changed (GtkTextBuffer       *buffer,
                         BbPreferencesWindow *self)
{
  if (self->loading)
    return;
  g_clear_handle_id (&self->payment_save_id, g_source_remove);
  self->payment_save_id = g_timeout_add (SAVE_DELAY_MS, save_payment_text, self);
}

/* The logo and the QR code: the chosen image is kept as a PNG of its
 * own in Billbook's data folder, so the bill does not change (or lose
 * its logo) when the original is edited, moved or deleted, and any image
 * GTK reads (JPEG from a phone, say) will do. */

typedef struct
{
  const char *key;        /* the setting that holds the path */
  const char *stem;       /* "logo" or "payment-qr" */
} ImageSetting;

static const ImageSetting logo_setting = { "billing.logo_path", "logo" };
static const ImageSetting qr_setting = { "billing.qr_path", "payment-qr" };

static void
update_image_row (BbPreferencesWindow *self,
                  const ImageSetting  *setting)
{
  g_autofree char *path = bb_db_get_setting (self->db, setting->key);
  gboolean set = path != NULL && *path != '\0';
  gboolean missing = set && !g_file_test (path, G_FILE_TEST_IS_REGULAR);
  AdwActionRow *row = setting == &logo_setting ? self->logo_row : self->qr_row;
  GtkWidget *remove = setting == &logo_setting ? self->logo_remove_button : self->qr_remove_button;
  const char *subtitle;

  if (!set)
    subtitle = setting == &logo_setting ? _("None: bills show your business name only")
                                        : _("None: bills show the payment text only");
  else if (missing)
    subtitle = _("The image is missing: choose it again");
  else
    subtitle = _("Printed on every bill");

  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_visible (remove, set);
}

static gboolean
keep_image (BbPreferencesWindow *self,
            const ImageSetting  *setting,
            GFile               *file,
            GError             **error)
{
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_file (file, error);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (texture == NULL)
    return FALSE;

  dir = g_build_filename (g_get_user_data_dir (), "billbook", "images", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A new name each time: a bill being printed keeps its image. */
  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".png", setting->stem, g_date_time_to_unix (now) * 1000 + g_date_time_get_microsecond (now) / 1000);
  path = g_build_filename (dir, name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not save the image to “%s”"), path);
      return FALSE;
    }

  old = bb_db_get_setting (self->db, setting->key);
  if (!bb_db_set_setting (self->db, setting->key, path, error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (old != NULL && g_str_has_prefix (old, dir))
    g_unlink (old);

  return TRUE;
}

static void
on_image_chosen (GtkNativeDialog *native,
                 int              response,
                 gpointer         data)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (gtk_native_dialog_get_transient_for (native));
  const ImageSetting *setting = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autoptr(GError) error = NULL;

      if (!keep_image (self, setting, file, &error))
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_autofree char *message = g_strdup_printf (_("“%s” cannot be used: %s"), name, error->message);

          toast (self, message);
        }
      update_image_row (self, setting);
    }

  g_object_unref (native);
}

static void
choose_image (BbPreferencesWindow *self,
              const ImageSetting  *setting)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (setting == &logo_setting ? _("Choose a Logo") : _("Choose a Payment QR Code"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_image_chosen), (gpointer) setting);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
remove_image (BbPreferencesWindow *self,
              const ImageSetting  *setting)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = bb_db_get_setting (self->db, setting->key);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "billbook", "images", NULL);

  if (!bb_db_set_setting (self->db, setting->key, "", &error))
    {
      toast (self, error->message);
      return;
    }
  if (old != NULL && g_str_has_prefix (old, dir))
    g_unlink (old);
  update_image_row (self, setting);
}

static void
on_logo_choose_clicked (BbPreferencesWindow *self)
{
  choose_image (self, &logo_setting);
}

static void
on_logo_remove_clicked (BbPreferencesWindow *self)
{
  remove_image (self, &logo_setting);
}

static void
on_qr_choose_clicked (BbPreferencesWindow *self)
{
  choose_image (self, &qr_setting);
}

static void
on_qr_remove_clicked (BbPreferencesWindow *self)
{
  remove_image (self, &qr_setting);
}

static void
load_billing (BbPreferencesWindow *self)
{
  g_autofree char *pattern = bb_invoices_get_pattern (self->db);
  g_autofree char *payment_text = bb_db_get_setting (self->db, "billing.payment_text");
  BbInvoicePdfOptions options;

  bb_invoice_pdf_options_from_settings (self->db, &options);

  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), pattern);
  update_pattern_hint (self);
  adw_combo_row_set_selected (self->paper_row, options.paper == BB_PAPER_LETTER ? 1 : 0);
  gtk_switch_set_active (self->words_switch, options.amount_in_words);
  gtk_switch_set_active (self->credit_block_switch, get_flag (self, "billing.credit_block"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->payment_view),
                            payment_text ? payment_text : "", -1);
  update_image_row (self, &logo_setting);
  update_image_row (self, &qr_setting);
}

static void
load (BbPreferencesWindow *self)
{
  g_autoptr(BbBusiness) business = bb_business_load (self->db);
  const BbCurrency * const *currencies = bb_currency_list ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  self->loading = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), business->name);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), business->address);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), business->phone);
  gtk_editable_set_text (GTK_EDITABLE (self->tax_id_row), business->tax_id);

  for (guint i = 0; currencies[i] != NULL; i++)
    {
      g_autofree char *label = currency_label (currencies[i]);

      gtk_string_list_append (list, label);
      if (g_strcmp0 (currencies[i]->code, business->currency) == 0)
        selected = i;
    }

  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->currency_row, selected);

  {
    g_autofree char *threshold = bb_money_format_plain (bb_customers_get_class_a_threshold (self->db),
                                                        bb_business_get_currency (self->db));

    gtk_editable_set_text (GTK_EDITABLE (self->threshold_row), threshold);
  }
  load_fields (self);
  load_billing (self);
  adw_combo_row_set_selected (self->review_row, review_choice_of (bb_reminders_get_review_days (self->db)));
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    gtk_switch_set_active (self->background_switch, g_settings_get_boolean (settings, "run-in-background"));
  }

  self->loading = FALSE;
}

static void
bb_preferences_window_dispose (GObject *object)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (object);

  /* What was typed last is saved, not lost. */
  if (self->payment_save_id != 0)
    {
      g_clear_handle_id (&self->payment_save_id, g_source_remove);
      save_payment_text (self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->db);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_preferences_window_parent_class)->dispose (object);
}

static void
bb_preferences_window_class_init (BbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billbook/Billbook/ui/bb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, tax_id_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, fields_group);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, new_field_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_background_active);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_threshold_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_new_field_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_selected);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, numbers_group);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, paper_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, words_switch);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, logo_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, logo_remove_button);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, payment_view);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, qr_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, qr_remove_button);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, credit_block_switch);
  g_type_ensure (BB_TYPE_PAYMENT_METHODS_GROUP);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, methods_group);
  g_type_ensure (BB_TYPE_REMINDER_LADDER_GROUP);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, ladder_group);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, review_row);
  gtk_widget_class_bind_template_callback (widget_class, on_pattern_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_pattern_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_paper_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_review_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_words_active);
  gtk_widget_class_bind_template_callback (widget_class, on_credit_block_active);
  gtk_widget_class_bind_template_callback (widget_class, on_logo_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_logo_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_qr_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_qr_remove_clicked);
}

static void
bb_preferences_window_init (BbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->field_rows = g_ptr_array_new ();
  g_signal_connect (gtk_text_view_get_buffer (self->payment_view), "changed",
                    G_CALLBACK (on_payment_text_changed), self);
}

BbPreferencesWindow *
bb_preferences_window_new (GtkWindow *parent,
                           BbDb      *db)
{
  BbPreferencesWindow *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  load (self);
  bb_payment_methods_group_set_database (self->methods_group, db);
  bb_reminder_ladder_group_set_database (self->ladder_group, db);

  return self;
}
