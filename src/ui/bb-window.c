/* bb-window.c — the main window: five pages under a view switcher
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bb-billing-page.h"
#include "bb-page.h"
#include "bb-customers-page.h"
#include "bb-prepaid-page.h"
#include "bb-reminders-page.h"
#include "bb-reports-page.h"
#include "bb-ui-util.h"
#include "bb-window.h"

struct _BbWindow
{
  AdwApplicationWindow  parent_instance;

  BbDb                 *db;
  GSettings            *settings;

  /* Template widgets */
  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
  AdwBin               *customers_bin;
  AdwBin               *billing_bin;
  AdwBin               *prepaid_bin;
  GtkWidget            *reminders_page;
  AdwViewStackPage     *reminders_stack_page;
  AdwBin               *reports_bin;

  /* Made when first shown (ensure_page()) */
  GtkWidget            *customers_page;
  GtkWidget            *billing_page;
  GtkWidget            *prepaid_page;
  GtkWidget            *reports_page;

  /* BILLBOOK_BENCH=1 only */
  guint                 bench_page;
  gulong                bench_paint_id;
  char                 *bench_first_page;
};

G_DEFINE_FINAL_TYPE (BbWindow, bb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const page_names[] = {
  "customers", "billing", "prepaid", "reminders", "reports",
};

/* The pages but Reminders (made at once, for its badge) are made when
 * first shown, so the window's first frame builds only the page it opens
 * on. */
static const struct
{
  const char *name;
  glong       page;     /* GtkWidget *, in BbWindow */
  glong       bin;      /* AdwBin * it goes into */
  GType     (*get_type) (void);
} lazy_pages[] = {
  { "customers", G_STRUCT_OFFSET (BbWindow, customers_page), G_STRUCT_OFFSET (BbWindow, customers_bin),
    bb_customers_page_get_type },
  { "billing", G_STRUCT_OFFSET (BbWindow, billing_page), G_STRUCT_OFFSET (BbWindow, billing_bin),
    bb_billing_page_get_type },
  { "prepaid", G_STRUCT_OFFSET (BbWindow, prepaid_page), G_STRUCT_OFFSET (BbWindow, prepaid_bin),
    bb_prepaid_page_get_type },
  { "reports", G_STRUCT_OFFSET (BbWindow, reports_page), G_STRUCT_OFFSET (BbWindow, reports_bin),
    bb_reports_page_get_type },
};

/* Returns: (transfer none) (nullable): the page called @name, made now
 * if it was not yet */
static GtkWidget *
ensure_page (BbWindow   *self,
             const char *name)
{
  if (g_strcmp0 (name, "reminders") == 0)
    return self->reminders_page;

  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    if (g_strcmp0 (name, lazy_pages[i].name) == 0)
      {
        GtkWidget **page = G_STRUCT_MEMBER_P (self, lazy_pages[i].page);

        if (*page == NULL)
          {
            *page = g_object_new (lazy_pages[i].get_type (), "database", self->db, NULL);
            adw_bin_set_child (G_STRUCT_MEMBER (AdwBin *, self, lazy_pages[i].bin), *page);
          }
        return *page;
      }

  return NULL;
}

static gboolean
give_reminders_book (gpointer data)
{
  BbWindow *self = data;

  if (bb_page_get_database (BB_PAGE (self->reminders_page)) != self->db)
    g_object_set (self->reminders_page, "database", self->db, NULL);

  return G_SOURCE_REMOVE;
}

static void
on_visible_page_changed (BbWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  /* Reminders shown before the first frame was drawn. */
  if (g_strcmp0 (name, "reminders") == 0 && self->db != NULL)
    give_reminders_book (self);
  ensure_page (self, name);
}

BbWindow *
bb_window_new (BbApplication *application,
               BbDb          *db)
{
  return g_object_new (BB_TYPE_WINDOW,
                       "application", application,
                       "database", db,
                       NULL);
}

BbDb *
bb_window_get_database (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);

  return self->db;
}

const char *
bb_window_get_page (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
bb_window_show_toast (BbWindow   *self,
                      const char *text)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The window's ways to a page or a subject, for the Reminders page and
 * notifications: each shows the window's page for it and raises the
 * window. */
void
bb_window_show_page (BbWindow   *self,
                     const char *name)
{
  g_return_if_fail (BB_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (!g_strv_contains (page_names, name))
    {
      g_warning ("No page called “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, name);
  gtk_window_present (GTK_WINDOW (self));
}

void
bb_window_show_customer (BbWindow *self,
                         gint64    customer_id)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  bb_window_show_page (self, "customers");
  bb_customers_page_show_customer (BB_CUSTOMERS_PAGE (ensure_page (self, "customers")), customer_id);
}

/* The bill opens in its editor over the Billing page. */
void
bb_window_show_bill (BbWindow *self,
                     gint64    invoice_id)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  bb_window_show_page (self, "billing");
  bb_billing_page_open_bill (BB_BILLING_PAGE (ensure_page (self, "billing")), invoice_id);
}

void
bb_window_show_prepaid_account (BbWindow *self,
                                gint64    account_id)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  bb_window_show_page (self, "prepaid");
  bb_prepaid_page_show_account (BB_PREPAID_PAGE (ensure_page (self, "prepaid")), account_id);
}

void
bb_window_show_reminder_subject (BbWindow       *self,
                                 BbReminderKind  kind,
                                 gint64          subject_id,
                                 gint64          customer_id)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  switch (kind)
    {
    case BB_REMINDER_DUE_SOON:
    case BB_REMINDER_OVERDUE:
      bb_window_show_bill (self, subject_id);
      break;

    case BB_REMINDER_PREPAID_EXPIRY:
    case BB_REMINDER_PREPAID_LOW:
      bb_window_show_prepaid_account (self, subject_id);
      break;

    case BB_REMINDER_FOLLOW_UP:
    case BB_REMINDER_RECURRING:
    case BB_REMINDER_REVIEW:
    default:
      bb_window_show_customer (self, customer_id);
      break;
    }
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (!g_strv_contains (page_names, name))
    {
      g_warning ("No page called “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* Ctrl+N and Ctrl+F mean "new" and "find" on whichever page is shown. */
static void
page_action (BbWindow   *self,
             const char *verb)
{
  const char *page = adw_view_stack_get_visible_child_name (self->stack);
  GtkWidget *widget = ensure_page (self, page);
  g_autofree char *name = g_strdup_printf ("%s.%s", page, verb);

  if (widget)
    gtk_widget_activate_action (widget, name, NULL);
}

static void
new_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  page_action (BB_WINDOW (widget), "add");
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  page_action (BB_WINDOW (widget), "find");
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  page_action (BB_WINDOW (widget), "print");
}

static gboolean
bb_window_close_request (GtkWindow *window)
{
  BbWindow *self = BB_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (bb_window_parent_class)->close_request (window);
}

/* ---- BILLBOOK_BENCH=1: what tests/bench/run times ------------------
 *
 * Prints "first-frame-ms N", from the start of the process to the end
 * of the window's first painted frame, then shows each page in turn,
 * lets it paint and waits a little, prints "peak-rss-kb N" (the most
 * memory the process held, VmHWM) and quits. */

#define BENCH_PAUSE_MS 400

/* Milliseconds since boot when this process started (/proc/self/stat,
 * field 22, in clock ticks), or -1. */
static gint64
bench_process_start_ms (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (end = strrchr (stat, ')')) == NULL)
    return -1;

  /* After the name in parentheses: field 3 onwards. */
  fields = g_strsplit (end + 2, " ", 0);
  if (g_strv_length (fields) < 20)
    return -1;

  return (gint64) g_ascii_strtoull (fields[22 - 3], NULL, 10) * 1000 / sysconf (_SC_CLK_TCK);
}

static gint64
bench_peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static void bench_show_next_page (BbWindow *self);

static gboolean
bench_paused (gpointer user_data)
{
  bench_show_next_page (BB_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
bench_after_paint (GdkFrameClock *clock,
                   BbWindow      *self)
{
  g_clear_signal_handler (&self->bench_paint_id, clock);

  if (self->bench_page == 0)
    {
      struct timespec now, cpu;
      gint64 start = bench_process_start_ms ();

      clock_gettime (CLOCK_BOOTTIME, &now);
      if (start >= 0)
        printf ("first-frame-ms %" G_GINT64_FORMAT "\n",
                (gint64) now.tv_sec * 1000 + now.tv_nsec / 1000000 - start);
      /* The CPU all threads had by then: tells a busy machine apart. */
      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
      printf ("first-frame-cpu-ms %" G_GINT64_FORMAT "\n",
              (gint64) cpu.tv_sec * 1000 + cpu.tv_nsec / 1000000);
      fflush (stdout);
    }

  g_timeout_add_full (G_PRIORITY_DEFAULT, BENCH_PAUSE_MS, bench_paused, g_object_ref (self), g_object_unref);
}

/* Shows the next page and waits for it to paint, or ends the run. */
static void
bench_show_next_page (BbWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->bench_page >= G_N_ELEMENTS (page_names) || clock == NULL)
    {
      printf ("peak-rss-kb %" G_GINT64_FORMAT "\n", bench_peak_rss_kb ());
      fflush (stdout);
      /* The page the window opened on stays the one it opens on. */
      if (self->bench_first_page)
        adw_view_stack_set_visible_child_name (self->stack, self->bench_first_page);
      g_application_quit (g_application_get_default ());
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, page_names[self->bench_page++]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  self->bench_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint), self);
}

static void
bench_realized (BbWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->bench_first_page = g_strdup (adw_view_stack_get_visible_child_name (self->stack));
  self->bench_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint), self);
}

static void
bb_window_constructed (GObject *object)
{
  BbWindow *self = BB_WINDOW (object);
  g_autofree char *last_page = NULL;

  G_OBJECT_CLASS (bb_window_parent_class)->constructed (object);


  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  if (g_strv_contains (page_names, last_page))
    adw_view_stack_set_visible_child_name (self->stack, last_page);

  g_settings_bind (self->settings, "last-page",
                   self->stack, "visible-child-name",
                   G_SETTINGS_BIND_SET);
  on_visible_page_changed (self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (on_visible_page_changed), self);

  /* Every page works on this window's book. Reminders is made now, for
   * its badge, the others when first shown; unless it is the page shown
   * (on_visible_page_changed() gave it the book), it gets the book after
   * the first frame, so as not to compute beside it on a big book. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "reminders") != 0)
    bb_widget_after_first_frame (GTK_WIDGET (self), give_reminders_book, g_object_ref (self), g_object_unref);

  if (g_strcmp0 (g_getenv ("BILLBOOK_BENCH"), "1") == 0)
    g_signal_connect (self, "realize", G_CALLBACK (bench_realized), NULL);
}

static void
bb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BbWindow *self = BB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->db);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BbWindow *self = BB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_set_object (&self->db, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_window_dispose (GObject *object)
{
  BbWindow *self = BB_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_WINDOW);
  self->customers_page = self->billing_page = self->prepaid_page = self->reports_page = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->db);
  g_clear_pointer (&self->bench_first_page, g_free);

  G_OBJECT_CLASS (bb_window_parent_class)->dispose (object);
}

static void
bb_window_class_init (BbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bb_window_constructed;
  object_class->dispose = bb_window_dispose;
  object_class->get_property = bb_window_get_property;
  object_class->set_property = bb_window_set_property;

  window_class->close_request = bb_window_close_request;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         BB_TYPE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BB_TYPE_REMINDERS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/billbook/Billbook/ui/bb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, customers_bin);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, billing_bin);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, prepaid_bin);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, reminders_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, reminders_stack_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, reports_bin);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.new-item", NULL, new_item_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
}

static void
bb_window_init (BbWindow *self)
{
  self->settings = g_settings_new (APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* What is overdue or due today, on the page switcher. */
  g_object_bind_property (self->reminders_page, "badge-number",
                          self->reminders_stack_page, "badge-number", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->reminders_page, "needs-attention",
                          self->reminders_stack_page, "needs-attention", G_BINDING_SYNC_CREATE);
}
