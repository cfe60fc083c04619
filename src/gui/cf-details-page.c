/* cf-details-page.c: everything about one check: verdict, file, hashes, engines
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-details-page.h"
#include "cf-display.h"
#include "cf-engine-item.h"
#include "cf-feedback.h"
#include "cf-format.h"
#include "cf-launcher.h"
#include "cf-time.h"
#include "cf-verdict.h"
#include "cf-wrap-box.h"

/* How long the file manager may take to say it shows the file. */
#define SHOW_ITEMS_TIMEOUT_MS 10000
/* Narrower than this many characters of the page's font (a narrow
 * window, or large text), the engine table keeps its words: Version and
 * Updated give way to the engines' results. */
#define NARROW_TABLE_CHARS 110
/* Names listed under "Known names" before "and N more". */
#define MAX_NAMES_SHOWN 20

struct _CfDetailsPage
{
  AdwBin             parent_instance;

  CfSession         *session;
  CfCheck           *check;
  CfReport          *report;     /* the one the engine table shows */

  GListStore        *engines;
  GtkFilterListModel *filter_model;
  GtkSortListModel  *sort_model;
  GtkCustomFilter   *filter;

  GtkImage          *verdict_icon;
  GtkLabel          *verdict_title;
  GtkLabel          *vendors_label;
  GtkLabel          *decision_label;
  GtkLabel          *package_label;
  GtkWidget         *open_button;
  GtkWidget         *trash_button;
  GtkWidget         *show_button;
  GtkWidget         *more_button;
  GtkScrolledWindow *scroller;
  GtkWidget         *report_button;
  GtkWidget         *upload_button;
  GtkWidget         *check_again_button;
  GtkWidget         *rescan_button;
  AdwActionRow      *name_row;
  AdwActionRow      *folder_row;
  AdwActionRow      *origin_row;
  AdwActionRow      *referrer_row;
  AdwActionRow      *type_row;
  AdwActionRow      *size_row;
  GtkWidget         *report_group;
  AdwActionRow      *threat_row;
  AdwActionRow      *threat_category_row;
  AdwActionRow      *threat_families_row;
  AdwActionRow      *first_seen_row;
  AdwActionRow      *last_analysis_row;
  AdwActionRow      *submitted_row;
  AdwActionRow      *reputation_row;
  AdwExpanderRow    *names_row;
  AdwExpanderRow    *sandboxes_row;
  GPtrArray         *expander_children;   /* rows added to the two expander rows */
  GtkWidget         *hashes_group;
  AdwActionRow      *sha256_row;
  AdwActionRow      *sha1_row;
  AdwActionRow      *md5_row;
  GtkWidget         *engines_group;
  GtkSearchEntry    *search_entry;
  GtkToggleButton   *detections_toggle;
  GtkColumnView     *column_view;
  GtkLabel          *engines_summary;
  GtkWidget         *no_match_label;
  GtkWidget         *engines_scroller;
  GtkColumnViewColumn *engine_column;
  GtkColumnViewColumn *category_column;
  GtkColumnViewColumn *result_column;
  GtkColumnViewColumn *version_column;
  GtkColumnViewColumn *update_column;
  gboolean           narrow;
  guint              narrow_idle;
  guint              tick_id;
};

G_DEFINE_FINAL_TYPE (CfDetailsPage, cf_details_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const verdict_classes[] = { "success", "warning", "error" };

static const char *
category_label (const char *category)
{
  static const struct { const char *category; const char *label; } labels[] = {
    { "malicious", N_("Malicious") },
    { "suspicious", N_("Suspicious") },
    { "undetected", N_("Undetected") },
    { "harmless", N_("Harmless") },
    { "timeout", N_("Timed out") },
    { "confirmed-timeout", N_("Timed out") },
    { "failure", N_("Failed") },
    { "type-unsupported", N_("Unsupported type") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (category, labels[i].category) == 0)
      return _(labels[i].label);

  return category;
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) date = NULL;

  if (unix_time <= 0)
    return g_strdup (_("Unknown"));

  date = g_date_time_new_from_unix_local (unix_time);
  if (date == NULL)
    return g_strdup (_("Unknown"));

  /* Translators: a date and time, see strftime(3); %-d is the day without padding */
  return g_date_time_format (date, _("%-d %B %Y, %H:%M"));
}

/* Small news go to the window, which shows them as a toast, with a button
 * for @action (a detailed window or app action) when it is not NULL. */
static void
toast_with_action (CfDetailsPage *self,
                   const char    *title,
                   const char    *button,
                   const char    *action)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "(sss)", title,
                              button != NULL ? button : "", action != NULL ? action : "");
}

static void
toast (CfDetailsPage *self,
       const char    *title)
{
  toast_with_action (self, title, NULL, NULL);
}

static gboolean
filter_engine (gpointer item,
               gpointer user_data)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (user_data);
  CfEngineItem *engine = CF_ENGINE_ITEM (item);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *engine_name = NULL;
  g_autofree char *result = NULL;

  if (gtk_toggle_button_get_active (self->detections_toggle) &&
      !cf_engine_item_is_detection (engine))
    return FALSE;

  if (search == NULL || *search == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  engine_name = g_utf8_casefold (cf_engine_item_get_engine (engine), -1);
  result = g_utf8_casefold (cf_engine_item_get_result (engine), -1);

  return strstr (engine_name, needle) != NULL || strstr (result, needle) != NULL;
}

static int
detections_first (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  gboolean x = cf_engine_item_is_detection ((CfEngineItem *) a);
  gboolean y = cf_engine_item_is_detection ((CfEngineItem *) b);

  return x == y ? GTK_ORDERING_EQUAL : x ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
}

/* A search that finds nothing says so, instead of showing an empty table. */
static void
on_filtered (CfDetailsPage *self)
{
  gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0 &&
                  self->engines != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->engines)) > 0;

  gtk_widget_set_visible (self->no_match_label, none);
  gtk_widget_set_visible (self->engines_scroller, !none);
}

static void
on_filter_changed (CfDetailsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
set_row_value (AdwActionRow *row,
               const char   *value)
{
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL && *value != '\0');
  adw_action_row_set_subtitle (row, value ? value : "");
}

/* Pango breaks a long word (a hash, a path) with a hyphen that is not
 * in it: a row's value is shown as it is, broken without one. */
static void
keep_words_whole (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        {
          PangoAttrList *attributes = pango_attr_list_new ();

          pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
          gtk_label_set_attributes (GTK_LABEL (child), attributes);
          pango_attr_list_unref (attributes);
        }
      keep_words_whole (child);
    }
}

/* Text from VirusTotal, as people may read it: no control or direction
 * characters that would turn it around. */
static char *
server_text (const char *text)
{
  return text != NULL && *text != '\0' ? cf_display_text (text) : NULL;
}

static void
set_row_server_text (AdwActionRow *row,
                     const char   *text)
{
  g_autofree char *shown = server_text (text);

  set_row_value (row, shown);
}

/* "eicar, test": at most @max of @words, escaped. */
static char *
join_server_words (const char * const *words,
                   guint               max)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; words != NULL && words[i] != NULL && i < max; i++)
    {
      g_autofree char *word = cf_display_text (words[i]);

      if (text->len > 0)
        /* Translators: between the items of a list */
        g_string_append (text, _(", "));
      g_string_append (text, word);
    }

  return text->len > 0 ? g_strdup (text->str) : NULL;
}

/* libadwaita 1.2 leaves an expander row's inner parts to be read by their
 * class names ("GtkListBox", "GtkImage"): they get its title, and the
 * decorative arrow is not read at all. */
static void
name_expander_parts (GtkWidget  *widget,
                     const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      else if (GTK_IS_IMAGE (child))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      name_expander_parts (child, title);
    }
}

static void
name_expander_row (AdwExpanderRow *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  name_expander_parts (GTK_WIDGET (row), title);
}

static void
clear_expander_rows (CfDetailsPage *self)
{
  for (guint i = 0; i < self->expander_children->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->expander_children, i);
      GtkWidget *expander = gtk_widget_get_ancestor (row, ADW_TYPE_EXPANDER_ROW);

      if (expander != NULL)
        adw_expander_row_remove (ADW_EXPANDER_ROW (expander), row);
    }
  g_ptr_array_set_size (self->expander_children, 0);
}

static void
add_expander_row (CfDetailsPage  *self,
                  AdwExpanderRow *expander,
                  const char     *title,
                  const char     *subtitle)
{
  GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                 "title", title,
                                 "subtitle", subtitle != NULL ? subtitle : "",
                                 "use-markup", FALSE,
                                 "title-selectable", TRUE,
                                 NULL);

  keep_words_whole (row);
  adw_expander_row_add_row (expander, row);
  g_ptr_array_add (self->expander_children, row);
}

/* "Malicious · MALWARE, TROJAN · EICAR · 80 % sure" */
static char *
describe_sandbox (const CfSandboxVerdict *sandbox)
{
  g_autoptr(GString) text = g_string_new (category_label (sandbox->category));
  g_autofree char *classification = join_server_words ((const char * const *) sandbox->classification, 10);
  g_autofree char *names = join_server_words ((const char * const *) sandbox->malware_names, 10);

  if (classification != NULL)
    g_string_append_printf (text, " · %s", classification);
  if (names != NULL)
    g_string_append_printf (text, " · %s", names);
  if (sandbox->confidence >= 0)
    /* Translators: how sure a sandbox is of its verdict, "80 % sure" */
    g_string_append_printf (text, _(" · %d %% sure"), (int) sandbox->confidence);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What VirusTotal knows of the file besides the engines' verdicts. */
static void
update_report_rows (CfDetailsPage *self,
                    CfReport      *report)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *families = NULL;
  guint n_names, n_flagged = 0;

  clear_expander_rows (self);
  gtk_widget_set_visible (self->report_group, report != NULL);
  if (report == NULL)
    return;

  set_row_server_text (self->threat_row, report->threat_label);
  set_row_server_text (self->threat_category_row, report->threat_category);
  families = join_server_words ((const char * const *) report->threat_names, 10);
  set_row_value (self->threat_families_row, families);

  if (report->first_submission_date > 0)
    {
      g_autofree char *first = format_date (report->first_submission_date);

      set_row_value (self->first_seen_row, first);
    }
  else
    set_row_value (self->first_seen_row, NULL);

  /* How old the verdict is: engines learn, and an old "clean" may not be one now. */
  if (report->last_analysis_date > 0)
    {
      g_autofree char *last = format_date (report->last_analysis_date);
      g_autofree char *age = cf_format_age (report->last_analysis_date, now);
      /* Translators: a date, then how long ago it was: "2 November 2026, 14:05 · 3 days ago" */
      g_autofree char *text = g_strdup_printf (_("%s · %s"), last, age);

      set_row_value (self->last_analysis_row, text);
    }
  else
    set_row_value (self->last_analysis_row, NULL);

  if (report->times_submitted >= 0)
    {
      /* With the locale's digit grouping: "41,237". */
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, report->times_submitted);
      /* Translators: how often the file was sent to VirusTotal; %s is a number */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s time", "%s times",
                                                            (gulong) report->times_submitted),
                                               count);

      set_row_value (self->submitted_row, text);
    }
  else
    set_row_value (self->submitted_row, NULL);

  if (report->votes_harmless >= 0 || report->reputation != 0)
    {
      g_autofree char *score = g_strdup_printf ("%" G_GINT64_FORMAT, report->reputation);
      g_autofree char *text = NULL;

      if (report->votes_harmless >= 0)
        {
          g_autofree char *malicious = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (report->votes_malicious, 0));
          g_autofree char *harmless = g_strdup_printf ("%" G_GINT64_FORMAT, report->votes_harmless);

          /* Translators: VirusTotal's community score, then how its users voted:
           * "-18 · votes: 9 malicious, 1 harmless" */
          text = g_strdup_printf (_("%s · votes: %s malicious, %s harmless"), score, malicious, harmless);
        }
      set_row_value (self->reputation_row, text != NULL ? text : score);
    }
  else
    set_row_value (self->reputation_row, NULL);

  /* The names the file was submitted under: a document sent as
   * "invoice.pdf" and "setup.exe" is telling. */
  n_names = report->names != NULL ? g_strv_length (report->names) : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->names_row), n_names > 0);
  if (n_names > 0)
    {
      g_autofree char *first = join_server_words ((const char * const *) report->names, 3);
      g_autofree char *summary = n_names > 3
        /* Translators: the first names, then how many more there are */
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more", n_names - 3),
                           first, n_names - 3)
        : g_strdup (first);

      adw_expander_row_set_subtitle (self->names_row, summary);
      for (guint i = 0; i < n_names && i < MAX_NAMES_SHOWN; i++)
        {
          g_autofree char *name = cf_display_text (report->names[i]);

          add_expander_row (self, self->names_row, name, NULL);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->sandboxes_row), report->sandboxes->len > 0);
  for (guint i = 0; i < report->sandboxes->len; i++)
    {
      const CfSandboxVerdict *sandbox = g_ptr_array_index (report->sandboxes, i);
      g_autofree char *name = cf_display_text (sandbox->sandbox);
      g_autofree char *verdict = describe_sandbox (sandbox);

      if (g_strcmp0 (sandbox->category, "malicious") == 0 || g_strcmp0 (sandbox->category, "suspicious") == 0)
        n_flagged++;
      add_expander_row (self, self->sandboxes_row, name, verdict);
    }
  if (report->sandboxes->len > 0)
    {
      g_autofree char *summary = n_flagged > 0
        /* Translators: "2 of 3 sandboxes saw it do harm" */
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u sandbox flagged it",
                                        "%u of %u sandboxes flagged it", report->sandboxes->len),
                           n_flagged, report->sandboxes->len)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Not flagged by the sandbox that ran it",
                                        "Not flagged by any of the %u sandboxes that ran it",
                                        report->sandboxes->len),
                           report->sandboxes->len);

      adw_expander_row_set_subtitle (self->sandboxes_row, summary);
    }
}

/* The engine table's cells: one label each, built here so that a screen
 * reader hears each row as "Engine: category, result", not as the
 * toolkit's class names, and the whole text is in a tooltip. */
typedef struct
{
  const char *property;    /* of CfEngineItem */
  gboolean    wrap;        /* the server's long words: wrapped, never cut */
  gboolean    styled;      /* coloured by category */
  int         max_chars;   /* the widest it asks to be, -1 for as wide as its text */
} CellSpec;

/* The result is what matters: the other columns ask for little room,
 * and the result column takes the rest. */
static const CellSpec engine_cell = { "engine", TRUE, FALSE, 16 };
static const CellSpec category_cell = { "category-label", TRUE, TRUE, 10 };
static const CellSpec result_cell = { "result", TRUE, TRUE, -1 };
static const CellSpec version_cell = { "version", FALSE, FALSE, 10 };
static const CellSpec update_cell = { "update", FALSE, FALSE, 10 };

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const CellSpec           *spec)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), spec->max_chars);
  if (spec->wrap)
    {
      PangoAttrList *attributes = pango_attr_list_new ();

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
      gtk_label_set_attributes (GTK_LABEL (label), attributes);
      pango_attr_list_unref (attributes);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const CellSpec           *spec)
{
  CfEngineItem *engine = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkWidget *cell = gtk_widget_get_parent (label);
  g_autofree char *text = NULL;

  g_object_get (engine, spec->property, &text, NULL);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (label, text != NULL && *text != '\0' ? text : NULL);
  if (spec->styled)
    {
      g_auto(GStrv) classes = NULL;

      g_object_get (engine, "css-classes", &classes, NULL);
      gtk_widget_set_css_classes (label, (const char **) classes);
    }

  /* An empty label would be read out by its class name (a label with
   * text is read by its text). */
  if (text == NULL || *text == '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("No result"), -1);
  if (cell == NULL)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL && *text != '\0' ? text : _("No result"), -1);

  /* The row, once, from its first cell. */
  if (spec == &engine_cell && gtk_widget_get_parent (cell) != NULL)
    {
      const char *result = cf_engine_item_get_result (engine);
      g_autofree char *category = NULL;
      g_autofree char *name = NULL;

      g_object_get (engine, "category-label", &category, NULL);
      name = result != NULL && *result != '\0'
        /* Translators: a row of the engine table: engine, category and result */
        ? g_strdup_printf (_("%s: %s, %s"), cf_engine_item_get_engine (engine), category, result)
        /* Translators: a row of the engine table: engine and category */
        : g_strdup_printf (_("%s: %s"), cf_engine_item_get_engine (engine), category);
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (cell)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

static void
set_cell_factory (GtkColumnViewColumn *column,
                  const CellSpec      *spec)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), (gpointer) spec);
  gtk_column_view_column_set_factory (column, factory);
}

/* A narrow window, or large text: Version and Updated make room. */
static gboolean
is_narrow (CfDetailsPage *self,
           int            width)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (GTK_WIDGET (self)),
                                                         NULL, NULL);
  int char_width = pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;

  pango_font_metrics_unref (metrics);
  return char_width > 0 && width < NARROW_TABLE_CHARS * char_width;
}

static gboolean
apply_width (gpointer user_data)
{
  CfDetailsPage *self = user_data;
  gboolean narrow = is_narrow (self, gtk_widget_get_width (GTK_WIDGET (self)));

  self->narrow_idle = 0;
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      gtk_column_view_column_set_visible (self->version_column, !narrow);
      gtk_column_view_column_set_visible (self->update_column, !narrow);
    }

  return G_SOURCE_REMOVE;
}

/* The page lays out its one child itself (AdwBin's layout manager would
 * keep it from hearing of its width). */
static void
cf_details_page_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
cf_details_page_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* Columns change after this allocation, not in its middle. */
  if (is_narrow (self, width) != self->narrow && self->narrow_idle == 0)
    self->narrow_idle = g_idle_add (apply_width, self);
}

static void
update_engines (CfDetailsPage *self)
{
  CfReport *report = self->check != NULL ? cf_check_get_report (self->check) : NULL;
  g_autoptr(GListStore) engines = NULL;
  guint n;

  if (report == self->report && self->engines != NULL)
    return;
  g_clear_pointer (&self->report, cf_report_unref);
  self->report = report != NULL ? cf_report_ref (report) : NULL;
  update_report_rows (self, report);

  engines = cf_engine_item_list_new (report);
  n = g_list_model_get_n_items (G_LIST_MODEL (engines));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfEngineItem) item = g_list_model_get_item (G_LIST_MODEL (engines), i);

      cf_engine_item_set_category_label (item, category_label (cf_engine_item_get_category (item)));
    }

  g_set_object (&self->engines, engines);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (engines));
  gtk_widget_set_visible (self->engines_group, n > 0);
}

static const char *
decision_text (CfCheck *check)
{
  switch (cf_check_get_reason (check))
    {
    case CF_REASON_UNKNOWN_BLOCKED:
      return _("Not opened: in stop unknowns mode, files VirusTotal has never seen are blocked.");
    case CF_REASON_NO_RESULTS_BLOCKED:
      return _("Not opened: VirusTotal knows this file, but no engine has answered yet, "
               "and in stop unknowns mode that counts as unknown.");
    case CF_REASON_NO_RESULTS_ALLOWED:
      return _("VirusTotal knows this file, but no engine has answered yet: it tells "
               "nothing about it. Check it again later.");
    case CF_REASON_BELOW_THRESHOLD:
      return _("Opened: some engines flagged this file, fewer than your threshold. "
               "Look at what they found before you trust it.");
    case CF_REASON_UNKNOWN_ALLOWED:
      return _("VirusTotal has never seen this file. No engine has looked at it yet.");
    case CF_REASON_BLOCKED_BY_USER:
      return _("Not opened: you chose to always block this file.");
    case CF_REASON_TRUSTED:
      return _("You chose to always allow this file, whatever the engines say.");
    case CF_REASON_DETECTED:
      /* Analysed again on request: it may have been opened before. */
      if (cf_check_get_source (check) == CF_SOURCE_RESCAN)
        return _("Analysed again just now: security vendors flag this file.");
      return _("Not opened: security vendors flagged this file.");
    case CF_REASON_CLEAN:
    default:
      return NULL;
    }
}

static gboolean
on_tick (gpointer user_data)
{
  CfDetailsPage *self = user_data;
  g_autofree char *progress = NULL;

  if (self->check == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  progress = cf_verdict_describe_progress (self->check, g_get_real_time ());
  gtk_label_set_text (self->decision_label, progress);

  return G_SOURCE_CONTINUE;
}

static void
set_ticking (CfDetailsPage *self,
             gboolean       ticking)
{
  if (ticking && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!ticking)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
update_page (CfDetailsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  CfCheck *check = self->check;
  g_autofree char *title = NULL;
  g_autofree char *progress = NULL;
  const char *decision = NULL;
  const char *icon_name = "content-loading-symbolic";
  const char *style_class = NULL;
  gboolean done, blocked, allowed, local, trashed, present, executable, choice;
  CfCheckStage stage;
  CfReport *report;
  const char *sha256;
  gint64 size;

  if (check == NULL)
    return;

  stage = cf_check_get_stage (check);
  report = cf_check_get_report (check);
  sha256 = cf_check_get_sha256 (check);
  size = cf_check_get_size (check);
  done = stage == CF_CHECK_STAGE_DONE;
  blocked = done && cf_check_get_decision (check) == CF_DECISION_BLOCK;
  allowed = done && cf_check_get_decision (check) == CF_DECISION_ALLOW;
  /* Only a check of this session still holds its file to launch. */
  local = cf_check_get_kind (check) == CF_CHECK_KIND_FILE && cf_check_get_file (check) != NULL &&
          g_file_is_native (cf_check_get_file (check));
  trashed = g_strcmp0 (cf_check_get_override (check), "moved-to-trash") == 0;

  if (done)
    {
      CfReason reason = cf_check_get_reason (check);

      title = cf_verdict_describe_check (check);
      icon_name = cf_verdict_icon_name (reason);
      style_class = cf_verdict_style_class (reason);
      /* A system file changed since its package installed it: however
       * VirusTotal answered, that is the news. */
      if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
        {
          icon_name = "dialog-warning-symbolic";
          style_class = "error";
        }
      decision = trashed ? _("Moved to the Trash. It stays there until you empty the Trash, "
                             "and can be put back from the Trash in Files.")
                         : decision_text (check);
    }
  else if (stage == CF_CHECK_STAGE_FAILED)
    {
      const GError *error = cf_check_get_error (check);

      title = g_strdup (_("Not checked"));
      decision = error != NULL ? error->message : NULL;
      icon_name = "dialog-error-symbolic";
      style_class = "error";
    }
  else if (stage == CF_CHECK_STAGE_CANCELLED)
    {
      title = g_strdup (_("Cancelled"));
      icon_name = "process-stop-symbolic";
    }
  else if (cf_check_is_rescanning (check))
    /* Analysed again on request: say how far it is. */
    title = cf_verdict_describe_progress (check, g_get_real_time ());
  else
    {
      title = g_strdup (_("Being checked…"));
      /* What it waits for and until when, as its row in the list says:
       * "Next lookup in 0:42 (free plan: 4 a minute) · 3 ahead". */
      progress = cf_verdict_describe_progress (check, g_get_real_time ());
      decision = progress;
    }

  gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), verdict_classes[i]);
  if (style_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), style_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  blocked ? _("Blocked") : allowed ? _("Allowed") : _("Not checked"),
                                  -1);
  gtk_label_set_text (self->verdict_title, title);

  if (report != NULL)
    {
      g_autofree char *counts = cf_verdict_counts (report);

      gtk_label_set_text (self->vendors_label, counts);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->vendors_label), report != NULL);

  gtk_label_set_text (self->decision_label, decision ? decision : "");
  gtk_widget_set_visible (GTK_WIDGET (self->decision_label), decision != NULL);
  /* A countdown moves every second, not only when the check changes. */
  set_ticking (self, progress != NULL);

  {
    g_autofree char *package = cf_verdict_explain_package (check);
    gboolean modified = cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED;

    gtk_label_set_text (self->package_label, package != NULL ? package : "");
    gtk_widget_set_visible (GTK_WIDGET (self->package_label), package != NULL);
    if (modified)
      {
        gtk_widget_add_css_class (GTK_WIDGET (self->package_label), "error");
        gtk_widget_add_css_class (GTK_WIDGET (self->package_label), "heading");
        gtk_widget_remove_css_class (GTK_WIDGET (self->package_label), "dim-label");
      }
    else
      {
        gtk_widget_remove_css_class (GTK_WIDGET (self->package_label), "error");
        gtk_widget_remove_css_class (GTK_WIDGET (self->package_label), "heading");
        gtk_widget_add_css_class (GTK_WIDGET (self->package_label), "dim-label");
      }
  }

  /* What the person can do next: the safe way first, the bypasses in
   * the menu, worded for what the file is. */
  present = local && !trashed;
  /* A few bytes read, once the verdict is in: a program or a document? */
  executable = blocked && present && cf_launcher_is_executable (g_file_peek_path (cf_check_get_file (check)));
  choice = done && (cf_check_get_reason (check) == CF_REASON_TRUSTED ||
                    cf_check_get_reason (check) == CF_REASON_BLOCKED_BY_USER);
  gtk_widget_set_visible (self->open_button, allowed && present);
  gtk_widget_set_visible (self->trash_button, blocked && present);
  gtk_widget_set_visible (self->show_button, done && present);
  gtk_widget_action_set_enabled (widget, "details.trash", blocked && present);
  gtk_widget_action_set_enabled (widget, "details.show-in-files", done && present);
  {
    /* The menu: shown when it has something in it. */
    const struct { const char *action; gboolean enabled; } menu[] = {
      { "details.run-anyway", blocked && present && executable },
      { "details.open-anyway", blocked && present && !executable },
      { "details.always-allow", blocked && sha256 != NULL && !trashed },
      { "details.always-block", allowed && sha256 != NULL && !trashed },
      { "details.forget-choice", choice && sha256 != NULL },
      { "details.export", done && sha256 != NULL },
    };
    gboolean any = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (menu); i++)
      {
        gtk_widget_action_set_enabled (widget, menu[i].action, menu[i].enabled);
        any = any || menu[i].enabled;
      }
    gtk_widget_set_visible (self->more_button, any);
  }
  gtk_widget_set_visible (self->upload_button,
                          done && present && report == NULL && cf_reason_is_unknown (cf_check_get_reason (check)) &&
                          self->session != NULL &&
                          cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT);
  gtk_widget_set_visible (self->check_again_button,
                          cf_check_get_kind (check) == CF_CHECK_KIND_HISTORY && cf_check_get_file (check) != NULL &&
                          g_file_query_exists (cf_check_get_file (check), NULL));
  /* What VirusTotal knows, analysed again: worth most for an old verdict. */
  gtk_widget_set_visible (self->rescan_button,
                          !trashed && self->session != NULL &&
                          cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT &&
                          cf_session_can_rescan (self->session, check));


  /* The file */
  set_row_value (self->name_row, cf_check_get_name (check));
  if (cf_check_get_file (check) != NULL && g_file_peek_path (cf_check_get_file (check)) != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (g_file_peek_path (cf_check_get_file (check)));
      g_autofree char *shown = cf_display_path (folder);

      set_row_value (self->folder_row, shown);
    }
  else
    set_row_value (self->folder_row, NULL);
  /* What the file says about where it came from: shown as its own claim,
   * and plainly absent when it says nothing (now, or in the history). */
  if (cf_check_get_file (check) != NULL &&
      (cf_check_get_kind (check) == CF_CHECK_KIND_FILE || cf_check_get_kind (check) == CF_CHECK_KIND_HISTORY))
    {
      if (cf_check_get_origin (check) != NULL)
        set_row_server_text (self->origin_row, cf_check_get_origin (check));
      else
        set_row_value (self->origin_row, _("Not recorded: the file does not say where it came from"));
      set_row_server_text (self->referrer_row, cf_check_get_referrer (check));
    }
  else
    {
      set_row_value (self->origin_row, NULL);
      set_row_value (self->referrer_row, NULL);
    }
  set_row_server_text (self->type_row, report ? report->type_description : NULL);
  if (size < 0 && report != NULL)
    size = report->size;
  if (size >= 0)
    {
      g_autofree char *size_text = cf_display_size (size, TRUE);
      set_row_value (self->size_row, size_text);
    }
  else
    set_row_value (self->size_row, NULL);

  set_row_value (self->sha256_row, sha256);
  set_row_value (self->sha1_row, report ? report->sha1 : NULL);
  set_row_value (self->md5_row, report ? report->md5 : NULL);
  gtk_widget_set_visible (self->hashes_group, sha256 != NULL);

  if (report != NULL && report->engines != NULL)
    {
      g_autofree char *summary = NULL;
      gint64 gave = cf_stats_engines (&report->stats);
      gint64 others = (gint64) report->engines->len - gave;

      /* One denominator everywhere: the engines that gave a verdict. */
      if (others > 0)
        /* Translators: "64 engines gave a verdict; 3 could not scan this type or timed out" */
        summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%d engines gave a verdict; %d could not scan this type or timed out",
                                                "%d engines gave a verdict; %d could not scan this type or timed out",
                                                others),
                                   (int) gave, (int) others);
      else
        summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%d engine gave a verdict",
                                                "%d engines gave a verdict", gave),
                                   (int) gave);
      gtk_label_set_text (self->engines_summary, summary);
    }

  update_engines (self);
}

static void
on_check_notify (CfCheck       *check,
                 GParamSpec    *pspec,
                 CfDetailsPage *self)
{
  update_page (self);
}

/* Actions */

static void
open_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  const char *sha256 = self->check != NULL ? cf_check_get_sha256 (self->check) : NULL;

  if (sha256 != NULL)
    gtk_widget_activate_action (widget, "app.open-report", "s", sha256);
}

/* A toast of this page's own, for one with a callback behind its button. */
static void
present_toast (CfDetailsPage *self,
               AdwToast      *toast)
{
  cf_feedback_add_toast (GTK_WIDGET (self), toast);
}

/* What the file's trust was, as its reason says, for Undo. */
static CfTrust
trust_before (CfCheck *check)
{
  switch (cf_check_get_reason (check))
    {
    case CF_REASON_TRUSTED:
      return CF_TRUST_ALLOW;
    case CF_REASON_BLOCKED_BY_USER:
      return CF_TRUST_BLOCK;
    default:
      return CF_TRUST_NONE;
    }
}

typedef struct
{
  CfDetailsPage *page;
  CfCheck       *check;
  CfTrust        trust;
  CfTrust        before;
  gboolean       undoing;
} TrustChange;

static void
trust_change_free (TrustChange *change)
{
  g_clear_object (&change->page);
  g_clear_object (&change->check);
  g_free (change);
}

static void set_trust (CfDetailsPage *self,
                       CfCheck       *check,
                       CfTrust        trust,
                       gboolean       undoing);

static void
on_trust_undo (AdwToast    *toast,
               TrustChange *change)
{
  set_trust (change->page, change->check, change->before, TRUE);
}

static void
trust_set (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TrustChange *change = user_data;
  CfDetailsPage *self = change->page;
  CfCheck *check = change->check;
  g_autoptr(GError) error = NULL;
  const char *override = NULL;
  const char *title;

  if (!cf_session_set_trust_finish (CF_SESSION (object), result, &error))
    {
      toast (self, error->message);
      trust_change_free (change);
      return;
    }

  switch (change->trust)
    {
    case CF_TRUST_ALLOW:
      override = "always-allow";
      title = _("Added to your allowed files");
      gtk_widget_activate_action (GTK_WIDGET (self), "app.withdraw-blocked", "s",
                                  cf_check_get_sha256 (check));
      break;
    case CF_TRUST_BLOCK:
      override = "always-block";
      title = _("Added to your blocked files");
      break;
    case CF_TRUST_NONE:
    default:
      title = _("Your choice for this file is forgotten");
      break;
    }
  cf_session_record_override (CF_SESSION (object), check, override);

  if (change->undoing)
    {
      toast (self, _("Your choice was undone"));
      trust_change_free (change);
      return;
    }

  /* Undo puts back what was there before, whatever it was. */
  present_toast (self, cf_feedback_undo_toast (title, G_CALLBACK (on_trust_undo), change,
                                               (GDestroyNotify) trust_change_free));
}

static void
set_trust (CfDetailsPage *self,
           CfCheck       *check,
           CfTrust        trust,
           gboolean       undoing)
{
  TrustChange *change;
  const char *sha256;

  if (check == NULL || self->session == NULL || (sha256 = cf_check_get_sha256 (check)) == NULL)
    return;

  change = g_new0 (TrustChange, 1);
  change->page = g_object_ref (self);
  change->check = g_object_ref (check);
  change->trust = trust;
  change->before = trust_before (check);
  change->undoing = undoing;
  cf_session_set_trust_async (self->session, sha256, trust, cf_check_get_name (check), NULL,
                              trust_set, change);
}

static void
always_allow_response (AdwMessageDialog *dialog,
                       const char       *response,
                       CfDetailsPage    *self)
{
  if (g_strcmp0 (response, "allow") == 0)
    set_trust (self, self->check, CF_TRUST_ALLOW, FALSE);
}

/* Allowing a file engines flagged is asked about first: one click must
 * never wave through what 62 engines call malware. */
static void
always_allow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  CfReport *report = self->check != NULL ? cf_check_get_report (self->check) : NULL;
  g_autofree char *body = NULL;
  gint64 flagged;

  if (self->check == NULL)
    return;
  flagged = report != NULL ? report->stats.malicious + report->stats.suspicious : 0;
  if (flagged == 0)
    {
      set_trust (self, self->check, CF_TRUST_ALLOW, FALSE);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%d engine flagged this file. Allowed, it opens from now on "
                                       "without a warning, whatever the engines say later.",
                                       "%d engines flagged this file. Allowed, it opens from now on "
                                       "without a warning, whatever the engines say later.",
                                       flagged),
                          (int) flagged);
  cf_feedback_confirm (widget, _("Always Allow This File?"), body, "allow", _("_Always Allow"),
                       G_CALLBACK (always_allow_response), self);
}

static void
always_block_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  set_trust (self, self->check, CF_TRUST_BLOCK, FALSE);
}

static void
forget_choice_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  set_trust (self, self->check, CF_TRUST_NONE, FALSE);
}

/* The Trash */

typedef struct
{
  CfDetailsPage *page;
  CfCheck       *check;
  CfTrashed     *trashed;
} TrashUndo;

static void
trash_undo_free (TrashUndo *undo)
{
  g_clear_object (&undo->page);
  g_clear_object (&undo->check);
  g_clear_pointer (&undo->trashed, cf_trashed_free);
  g_free (undo);
}

static void
restored (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CfDetailsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cf_session_restore_finish (CF_SESSION (object), result, &error))
    toast (self, error->message);
  else
    toast (self, _("Put back where it was"));
}

static void
on_trash_undo (AdwToast  *toast,
               TrashUndo *undo)
{
  if (undo->trashed == NULL || undo->page->session == NULL)
    return;
  cf_session_restore_async (undo->page->session, undo->check, g_steal_pointer (&undo->trashed), NULL,
                            restored, g_object_ref (undo->page));
}

static void
trashed (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TrashUndo *undo = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  undo->trashed = cf_session_trash_finish (CF_SESSION (object), result, &error);
  if (undo->trashed == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not moved to the Trash: %s"), error->message);

      toast (undo->page, text);
      trash_undo_free (undo);
      return;
    }

  /* Translators: %s is a file name */
  title = g_strdup_printf (_("“%s” moved to the Trash"), cf_check_get_name (undo->check));
  present_toast (undo->page, cf_feedback_undo_toast (title, G_CALLBACK (on_trash_undo), undo,
                                                     (GDestroyNotify) trash_undo_free));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  TrashUndo *undo;

  if (self->check == NULL || self->session == NULL || cf_check_get_file (self->check) == NULL)
    return;

  undo = g_new0 (TrashUndo, 1);
  undo->page = g_object_ref (self);
  undo->check = g_object_ref (self->check);
  cf_session_trash_async (self->session, self->check, NULL, trashed, undo);
}

/* Show in Files: the file manager's own D-Bus interface selects the file
 * in its folder; without one, the folder opens in the default app. */

static void
folder_opened (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CfDetailsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not show the folder: %s"), error->message);

      toast (self, text);
    }
}

static void
open_folder (CfDetailsPage *self,
             GFile         *file)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (folder != NULL ? folder : file);
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           folder_opened, g_object_ref (self));
}

typedef struct
{
  CfDetailsPage *page;
  GFile         *file;
} ShowItems;

static void
items_shown (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ShowItems *show = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("No file manager answered over D-Bus (%s): opening the folder", error->message);
      open_folder (show->page, show->file);
    }
  g_object_unref (show->page);
  g_object_unref (show->file);
  g_free (show);
}

static void
show_in_files_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  GFile *file = self->check != NULL ? cf_check_get_file (self->check) : NULL;
  GApplication *app = g_application_get_default ();
  GDBusConnection *bus = app != NULL ? g_application_get_dbus_connection (app) : NULL;
  const char *uris[2] = { NULL, NULL };
  g_autofree char *uri = NULL;
  ShowItems *show;

  if (file == NULL)
    return;
  if (bus == NULL)
    {
      open_folder (self, file);
      return;
    }

  uri = g_file_get_uri (file);
  uris[0] = uri;
  show = g_new0 (ShowItems, 1);
  show->page = g_object_ref (self);
  show->file = g_object_ref (file);
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE,
                          SHOW_ITEMS_TIMEOUT_MS, NULL, items_shown, show);
}

/* Launching is the window's: it holds the file and chooses the app. */
static void
launch (CfDetailsPage *self,
        gboolean       override)
{
  if (self->check != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.launch", "(tb)",
                                cf_check_get_serial (self->check), override);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  launch (CF_DETAILS_PAGE (widget), FALSE);
}

static void
run_anyway_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CfDetailsPage    *self)
{
  if (g_strcmp0 (response, "run") != 0 || self->check == NULL || self->session == NULL)
    return;

  cf_session_record_override (self->session, self->check, "run-anyway");
  launch (self, TRUE);
}

static void
run_anyway_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  gboolean run = g_str_equal (action_name, "details.run-anyway");
  CfReport *report;
  g_autofree char *body = NULL;

  if (self->check == NULL)
    return;

  report = cf_check_get_report (self->check);
  if (report != NULL && cf_check_get_reason (self->check) == CF_REASON_DETECTED)
    body = g_strdup_printf (run ? g_dngettext (GETTEXT_PACKAGE,
                                               "This file was flagged by %d engine. Running it could harm your computer and your data.",
                                               "This file was flagged by %d engines. Running it could harm your computer and your data.",
                                               report->stats.malicious)
                                : g_dngettext (GETTEXT_PACKAGE,
                                               "This file was flagged by %d engine. Opening it could harm your computer and your data.",
                                               "This file was flagged by %d engines. Opening it could harm your computer and your data.",
                                               report->stats.malicious),
                            (int) report->stats.malicious);
  else if (cf_check_get_reason (self->check) == CF_REASON_BLOCKED_BY_USER)
    body = g_strdup (run ? _("You chose to always block this file. Running it could harm your computer and your data.")
                         : _("You chose to always block this file. Opening it could harm your computer and your data."));
  else
    body = g_strdup (run ? _("No security vendor has looked at this file yet. Running it could harm your computer and your data.")
                         : _("No security vendor has looked at this file yet. Opening it could harm your computer and your data."));

  cf_feedback_confirm (widget, run ? _("Run Anyway?") : _("Open Anyway?"), body,
                       "run", run ? _("_Run Anyway") : _("_Open Anyway"),
                       G_CALLBACK (run_anyway_response), self);
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  if (self->check == NULL || self->session == NULL)
    return;

  cf_session_upload (self->session, self->check);
  /* The list shows the upload's progress. */
  gtk_widget_activate_action (widget, "win.back", NULL);
}

static void
rescan_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  if (self->check == NULL || self->session == NULL)
    return;

  /* The page stays, and follows the check to its new verdict. */
  cf_session_rescan (self->session, self->check);
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  if (self->check == NULL)
    return;

  /* Checked again on request, not to open it: history never launches by itself. */
  gtk_widget_activate_action (widget, "win.check-again", "t", cf_check_get_serial (self->check));
  gtk_widget_activate_action (widget, "win.back", NULL);
}

static void
copy_hash_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  CfReport *report = self->check != NULL ? cf_check_get_report (self->check) : NULL;
  const char *hash = NULL;

  if (g_str_equal (which, "sha256") && self->check != NULL)
    hash = cf_check_get_sha256 (self->check);
  else if (g_str_equal (which, "sha1") && report != NULL)
    hash = report->sha1;
  else if (g_str_equal (which, "md5") && report != NULL)
    hash = report->md5;

  if (hash == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), hash);
  toast (self, _("Copied to the clipboard"));
}

/* Export Report: the verdict and the whole report, as one JSON file. */

static void
report_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CfDetailsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not export the report: %s"), error->message);
      toast (self, text);
      return;
    }

  basename = g_file_get_basename (G_FILE (object));
  name = g_filename_display_name (basename);
  text = g_strdup_printf (_("Report exported to “%s”"), name);
  toast (self, text);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    CfDetailsPage   *self)
{
  CfCheck *check = g_object_get_data (G_OBJECT (chooser), "check");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *document;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL && check != NULL)
    {
      document = cf_format_report_document (check);
      bytes = g_bytes_new_take (document, strlen (document));
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           report_written, g_object_ref (self));
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *suggested = NULL;
  GtkFileChooserNative *chooser;

  if (self->check == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the suggested name of an exported report; %s is the file's name */
  suggested = g_strdup_printf (_("%s report.json"), cf_check_get_name (self->check));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  /* The report of the file shown now, whatever the page shows later. */
  g_object_set_data_full (G_OBJECT (chooser), "check", g_object_ref (self->check), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
set_check (CfDetailsPage *self,
           CfCheck       *check)
{
  if (self->check == check)
    return;
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_set_object (&self->check, check);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->detections_toggle, FALSE);
  /* Another file: another table, not the last one's sort. */
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  /* And its own page from the top, not where the last one was scrolled to. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  if (check != NULL)
    g_signal_connect_object (check, "notify", G_CALLBACK (on_check_notify), self, 0);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK]);
}

static void
cf_details_page_dispose (GObject *object)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->expander_children, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_DETAILS_PAGE);

  G_OBJECT_CLASS (cf_details_page_parent_class)->dispose (object);
}

static void
cf_details_page_finalize (GObject *object)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  g_clear_pointer (&self->report, cf_report_unref);
  g_clear_object (&self->engines);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (cf_details_page_parent_class)->finalize (object);
}

static void
cf_details_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CHECK:
      g_value_set_object (value, self->check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_details_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    case PROP_CHECK:
      set_check (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_details_page_class_init (CfDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_details_page_dispose;
  object_class->finalize = cf_details_page_finalize;
  object_class->get_property = cf_details_page_get_property;
  object_class->set_property = cf_details_page_set_property;
  widget_class->measure = cf_details_page_measure;
  widget_class->size_allocate = cf_details_page_size_allocate;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CF_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECK] =
    g_param_spec_object ("check", NULL, NULL, CF_TYPE_CHECK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CF_TYPE_ENGINE_ITEM);
  g_type_ensure (CF_TYPE_WRAP_BOX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, vendors_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, decision_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, package_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, trash_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, show_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, upload_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, rescan_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, origin_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, referrer_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, size_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, report_group);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, threat_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, threat_category_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, threat_families_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, first_seen_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, last_analysis_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, submitted_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, reputation_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, names_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sandboxes_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, hashes_group);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sha256_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sha1_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, md5_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engines_group);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, detections_toggle);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engines_summary);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, no_match_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engines_scroller);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engine_column);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, category_column);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, result_column);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, version_column);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, update_column);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sort_model);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "details.open-report", NULL, open_report_action);
  gtk_widget_class_install_action (widget_class, "details.always-allow", NULL, always_allow_action);
  gtk_widget_class_install_action (widget_class, "details.always-block", NULL, always_block_action);
  gtk_widget_class_install_action (widget_class, "details.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "details.run-anyway", NULL, run_anyway_action);
  gtk_widget_class_install_action (widget_class, "details.open-anyway", NULL, run_anyway_action);
  gtk_widget_class_install_action (widget_class, "details.forget-choice", NULL, forget_choice_action);
  gtk_widget_class_install_action (widget_class, "details.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "details.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_install_action (widget_class, "details.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "details.check-again", NULL, check_again_action);
  gtk_widget_class_install_action (widget_class, "details.rescan", NULL, rescan_action);
  gtk_widget_class_install_action (widget_class, "details.copy-hash", "s", copy_hash_action);
  gtk_widget_class_install_action (widget_class, "details.export", NULL, export_action);
}

static void
cf_details_page_init (CfDetailsPage *self)
{
  g_autoptr(GtkMultiSorter) sorter = NULL;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->expander_children = g_ptr_array_new ();

  set_cell_factory (self->engine_column, &engine_cell);
  set_cell_factory (self->category_column, &category_cell);
  set_cell_factory (self->result_column, &result_cell);
  set_cell_factory (self->version_column, &version_cell);
  set_cell_factory (self->update_column, &update_cell);
  /* GTK 4.8 reads the row of column titles and the list under it by
   * their class names. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    GTK_IS_LIST_VIEW (child) ? _("Engines") : _("Column titles"), -1);
  {
    AdwActionRow *rows[] = { self->name_row, self->folder_row, self->sha256_row, self->sha1_row,
                             self->md5_row, self->threat_row, self->threat_families_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      keep_words_whole (GTK_WIDGET (rows[i]));
  }
  name_expander_row (self->names_row);
  name_expander_row (self->sandboxes_row);

  /* Typing anywhere on the page searches the engines. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_engine, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  /* Detections first whatever the column, then the column's order; with
   * no column chosen, the report's order (the sort is stable). */
  sorter = gtk_multi_sorter_new ();
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_custom_sorter_new (detections_first, NULL, NULL)));
  gtk_multi_sorter_append (sorter, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  gtk_sort_list_model_set_sorter (self->sort_model, GTK_SORTER (sorter));
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_filtered), self,
                           G_CONNECT_SWAPPED);
}

CfCheck *
cf_details_page_get_check (CfDetailsPage *self)
{
  g_return_val_if_fail (CF_IS_DETAILS_PAGE (self), NULL);
  return self->check;
}

void
cf_details_page_focus_search (CfDetailsPage *self)
{
  g_return_if_fail (CF_IS_DETAILS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
