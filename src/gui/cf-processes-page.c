/* cf-processes-page.c: the programs behind the running processes, checked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page runs a CfAudit the first time it is shown and lists one row per
 * executable, riskiest answers first.  Rows are sorted again as answers
 * arrive, a few times a second at most.
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "cf-display.h"
#include "cf-format.h"
#include "cf-processes-page.h"
#include "cf-time.h"
#include "cf-verdict.h"

/* How often answers are folded into the order and the progress line. */
#define REFRESH_INTERVAL_MS 150
/* Names and process IDs shown in a row before "· N more". */
#define ROW_NAMES 3
#define ROW_PIDS 3
/* The same in the popover, which has room for more. */
#define DETAILS_PIDS 40

struct _CfProcessesPage
{
  AdwBin                parent_instance;

  CfSession            *session;
  CfAudit              *audit;
  GPtrArray            *rows;            /* GtkListBoxRow, borrowed, by check index */
  GCancellable         *cancellable;     /* exports */
  GtkFileChooserNative *chooser;
  char                 *details_sha256;  /* the row the popover shows */
  guint                 refresh_source;
  guint                 tick_source;     /* a second's countdown, while the audit runs */
  GArray               *turns;           /* guint by check index: requests ahead of one not started */
  gboolean              shown;

  GtkSearchEntry       *search_entry;
  GtkToggleButton      *flagged_toggle;
  GtkWidget            *export_button;
  GtkWidget            *scan_button;
  GtkWidget            *cancel_button;
  GtkLabel             *estimate_label;
  GtkLabel             *denied_label;
  GtkLabel             *result_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *view_stack;
  AdwStatusPage        *no_match_page;
  GtkListBox           *list_box;
  GtkPopover           *details_popover;
  GtkLabel             *details_path_label;
  GtkLabel             *details_processes_label;
  GtkLabel             *details_threat_label;
  GtkLabel             *details_sha256_label;
  GtkWidget            *details_report_button;
};

G_DEFINE_FINAL_TYPE (CfProcessesPage, cf_processes_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order rows are listed in: what needs attention first. */
typedef enum
{
  GROUP_FLAGGED,
  GROUP_UNKNOWN,
  GROUP_PENDING,
  GROUP_CLEAN,
  GROUP_FAILED,
} Group;

/* What a row knows besides its widgets' text. */
typedef struct
{
  guint      index;        /* in the audit's checks */
  char      *path;         /* for people: valid UTF-8, control characters escaped */
  char      *search_text;  /* path and process names, case-folded */
  GtkImage  *icon;
  GtkLabel  *status_label;
} RowData;

static GQuark row_data_quark;

static void
row_data_free (RowData *data)
{
  g_free (data->path);
  g_free (data->search_text);
  g_free (data);
}

static RowData *
row_get_data (GtkListBoxRow *row)
{
  return g_object_get_qdata (G_OBJECT (row), row_data_quark);
}

/* Text from the system, made safe to show */

/* "firefox, Web Content (1234, 1240) · 2 more" */
static char *
describe_processes (const CfProcessExe *exe,
                    guint               max_names,
                    guint               max_pids)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) pids = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n_pids = exe->pids->len;

  for (guint i = 0; i < exe->names->len && i < max_names; i++)
    {
      g_autofree char *name = cf_display_text (g_ptr_array_index (exe->names, i));

      if (i > 0)
        g_string_append (names, _(", "));
      g_string_append (names, name);
    }
  if (exe->names->len > max_names)
    g_string_append (names, _(", …"));

  for (guint i = 0; i < n_pids && i < max_pids; i++)
    {
      if (i > 0)
        g_string_append (pids, _(", "));
      g_string_append_printf (pids, "%d", g_array_index (exe->pids, int, i));
    }

  if (names->len > 0)
    /* Translators: process names, then their process IDs */
    text = g_strdup_printf (_("%s (%s)"), names->str, pids->str);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Process %s", "Processes %s", n_pids),
                            pids->str);

  if (n_pids > max_pids)
    {
      guint more = n_pids - max_pids;

      /* Translators: the processes shown, then how many more use the same executable */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u more", "%s · %u more", more),
                              text, more);
    }

  return g_steal_pointer (&text);
}

/* Checks */

static CfCheck *
get_check (CfProcessesPage *self,
           guint            index)
{
  CfCheck *check = g_list_model_get_item (cf_audit_get_checks (self->audit), index);

  g_assert (check != NULL);
  /* The audit's model holds it as long as the row exists. */
  g_object_unref (check);
  return check;
}

static guint
n_checks (CfProcessesPage *self)
{
  return self->audit != NULL ? g_list_model_get_n_items (cf_audit_get_checks (self->audit)) : 0;
}

static Group
check_group (CfCheck *check)
{
  if (!cf_check_is_finished (check))
    return GROUP_PENDING;
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    return GROUP_FAILED;
  /* No longer what its package installed: with the flagged, whatever
   * VirusTotal says. */
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
    return GROUP_FLAGGED;

  switch (cf_check_get_reason (check))
    {
    case CF_REASON_DETECTED:
    case CF_REASON_BLOCKED_BY_USER:
    case CF_REASON_BELOW_THRESHOLD:
      return GROUP_FLAGGED;
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
      return GROUP_UNKNOWN;
    case CF_REASON_CLEAN:
    case CF_REASON_TRUSTED:
    case CF_REASON_PACKAGED:
    default:
      return GROUP_CLEAN;
    }
}

static gint64
check_malicious (CfCheck *check)
{
  CfReport *report = cf_check_get_report (check);

  return report != NULL ? report->stats.malicious : 0;
}

/* The status in words, with an icon and a style class. */
static char *
describe_check (CfProcessesPage  *self,
                guint             index,
                CfCheck          *check,
                const char      **icon_name,
                const char      **style_class)
{
  CfCheckStage stage = cf_check_get_stage (check);

  if (stage == CF_CHECK_STAGE_PENDING)
    {
      *icon_name = "content-loading-symbolic";
      *style_class = "dim-label";
      if (!cf_audit_is_running (self->audit))
        return g_strdup (_("Not checked"));
      /* Not started yet: behind the requests queued now and the others before it. */
      return cf_verdict_describe_turn (index < self->turns->len ? g_array_index (self->turns, guint, index) : 0, 0);
    }
  if (stage == CF_CHECK_STAGE_WAITING_QUOTA && cf_check_get_queue_ahead (check) >= 0)
    {
      /* Short for the row: the page's status line says what the queue waits for. */
      *icon_name = "content-loading-symbolic";
      *style_class = "dim-label";
      return cf_verdict_describe_turn (cf_check_get_queue_ahead (check),
                                       cf_check_get_wait_until (check) - g_get_real_time ());
    }
  if (!cf_check_is_finished (check))
    {
      *icon_name = "content-loading-symbolic";
      *style_class = "dim-label";
      return cf_verdict_describe_progress (check, g_get_real_time ());
    }
  if (stage == CF_CHECK_STAGE_CANCELLED)
    {
      *icon_name = "process-stop-symbolic";
      *style_class = "dim-label";
      return g_strdup (_("Not checked"));
    }
  if (stage != CF_CHECK_STAGE_DONE)
    {
      *icon_name = "dialog-warning-symbolic";
      *style_class = "dim-label";
      return cf_verdict_describe_check (check);
    }

  *icon_name = cf_verdict_icon_name (cf_check_get_reason (check));
  *style_class = cf_verdict_style_class (cf_check_get_reason (check));
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
    {
      *icon_name = "dialog-warning-symbolic";
      *style_class = "error";
    }
  return cf_verdict_describe_check (check);
}

/* Rows */

static void
update_row (CfProcessesPage *self,
            GtkListBoxRow   *row)
{
  RowData *data = row_get_data (row);
  CfCheck *check = get_check (self, data->index);
  const char *icon_name;
  const char *style_class;
  g_autofree char *status = describe_check (self, data->index, check, &icon_name, &style_class);
  g_autofree char *summary = NULL;
  const char *classes[] = { style_class, NULL };
  const char *icon_classes[] = { "verdict-icon", style_class, NULL };

  gtk_label_set_text (data->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (data->status_label), status);
  gtk_widget_set_css_classes (GTK_WIDGET (data->status_label), classes);
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status,
                                  -1);

  gtk_image_set_from_icon_name (data->icon, icon_name);
  gtk_widget_set_css_classes (GTK_WIDGET (data->icon), icon_classes);

  /* Translators: a row of the running processes: an executable, then its status */
  summary = g_strdup_printf (_("%s: %s"), data->path, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
}

static GtkWidget *
new_label (const char *text,
           const char *first_class,
           ...)
{
  GtkWidget *label = gtk_label_new (text);
  va_list args;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  va_start (args, first_class);
  for (const char *name = first_class; name != NULL; name = va_arg (args, const char *))
    gtk_widget_add_css_class (label, name);
  va_end (args);

  return label;
}

/* Rows are made here rather than in a template: they are a handful of
 * labels, and the list box sorts them in place as answers arrive. */
static GtkWidget *
create_row (CfProcessesPage *self,
            guint            index)
{
  CfCheck *check = get_check (self, index);
  const CfProcessExe *exe = cf_check_get_process (check);
  RowData *data = g_new0 (RowData, 1);
  g_autoptr(GString) search = g_string_new (NULL);
  g_autofree char *processes = describe_processes (exe, ROW_NAMES, ROW_PIDS);
  GtkWidget *row, *box, *text_box, *path_label, *processes_label, *flags_box;

  data->index = index;
  data->path = cf_display_path (exe->path);

  g_string_append (search, data->path);
  for (guint i = 0; i < exe->names->len; i++)
    {
      g_autofree char *name = cf_display_text (g_ptr_array_index (exe->names, i));

      g_string_append_c (search, '\n');
      g_string_append (search, name);
    }
  data->search_text = g_utf8_casefold (search->str, -1);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), exe->sha256 != NULL);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* The status label says in words what the icon says in colour. */
  data->icon = g_object_new (GTK_TYPE_IMAGE,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             "pixel-size", 16,
                             "valign", GTK_ALIGN_CENTER,
                             NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->icon));

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), text_box);

  path_label = new_label (data->path, NULL);
  gtk_label_set_ellipsize (GTK_LABEL (path_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_tooltip_text (path_label, data->path);
  gtk_box_append (GTK_BOX (text_box), path_label);

  processes_label = new_label (processes, "caption", "dim-label", NULL);
  gtk_label_set_ellipsize (GTK_LABEL (processes_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (text_box), processes_label);

  if (exe->deleted || exe->user_writable || exe->package.state == CF_PACKAGED_MODIFIED)
    {
      flags_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_margin_top (flags_box, 2);
      if (exe->package.state == CF_PACKAGED_MODIFIED)
        gtk_box_append (GTK_BOX (flags_box),
                        new_label (_("Changed since its package installed it"), "flag", "error", NULL));
      if (exe->deleted)
        gtk_box_append (GTK_BOX (flags_box),
                        new_label (_("Deleted from disk"), "flag", "error", NULL));
      if (exe->user_writable)
        gtk_box_append (GTK_BOX (flags_box),
                        new_label (_("In a user-writable folder"), "flag", "warning", NULL));
      /* In a narrow window the status keeps its words; the pills give way. */
      for (GtkWidget *pill = gtk_widget_get_first_child (flags_box);
           pill != NULL;
           pill = gtk_widget_get_next_sibling (pill))
        gtk_label_set_ellipsize (GTK_LABEL (pill), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (text_box), flags_box);
    }

  data->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (data->status_label, 1);
  gtk_label_set_ellipsize (data->status_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (data->status_label, 32);
  gtk_widget_set_valign (GTK_WIDGET (data->status_label), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->status_label));

  g_object_set_qdata_full (G_OBJECT (row), row_data_quark, data, (GDestroyNotify) row_data_free);
  update_row (self, GTK_LIST_BOX_ROW (row));

  return row;
}

static void
close_details (CfProcessesPage *self)
{
  gtk_popover_popdown (self->details_popover);
  if (gtk_widget_get_parent (GTK_WIDGET (self->details_popover)) != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->details_popover));
  g_clear_pointer (&self->details_sha256, g_free);
}

static void
clear_rows (CfProcessesPage *self)
{
  GtkWidget *child;

  close_details (self);
  g_ptr_array_set_size (self->rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

/* The audit lists its executables once, when /proc has been read. */
static void
add_new_rows (CfProcessesPage *self)
{
  guint n = n_checks (self);

  for (guint i = self->rows->len; i < n; i++)
    {
      GtkWidget *row = create_row (self, i);

      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->list_box, row);
    }
}

static int
compare_rows (GtkListBoxRow *row1,
              GtkListBoxRow *row2,
              gpointer       user_data)
{
  CfProcessesPage *self = user_data;
  RowData *a = row_get_data (row1);
  RowData *b = row_get_data (row2);
  CfCheck *check_a = get_check (self, a->index);
  CfCheck *check_b = get_check (self, b->index);
  Group group_a = check_group (check_a);
  Group group_b = check_group (check_b);
  gint64 malicious_a, malicious_b;

  if (group_a != group_b)
    return group_a < group_b ? -1 : 1;

  malicious_a = check_malicious (check_a);
  malicious_b = check_malicious (check_b);
  if (malicious_a != malicious_b)
    return malicious_a > malicious_b ? -1 : 1;

  /* Otherwise the audit's own order: deleted, then user-writable, first. */
  return a->index < b->index ? -1 : (a->index > b->index);
}

/* @needle: the search text, case-folded */
static gboolean
row_matches (CfProcessesPage *self,
             GtkListBoxRow   *row,
             gboolean         flagged_only,
             const char      *needle)
{
  RowData *data = row_get_data (row);

  if (flagged_only && check_group (get_check (self, data->index)) != GROUP_FLAGGED)
    return FALSE;

  return *needle == '\0' || strstr (data->search_text, needle) != NULL;
}

/* Rows are hidden rather than filtered out with gtk_list_box_set_filter_func ():
 * GTK 4.8 still presents filtered rows to screen readers, hidden ones not. */
static void
apply_filter (CfProcessesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text != NULL ? text : "", -1);
  gboolean flagged_only = gtk_toggle_button_get_active (self->flagged_toggle);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      gtk_widget_set_visible (row, row_matches (self, GTK_LIST_BOX_ROW (row), flagged_only, needle));
    }
}

/* The page as a whole */

static gboolean
has_key (CfProcessesPage *self)
{
  return self->session != NULL && cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT;
}

static void
update_view (CfProcessesPage *self)
{
  guint n_entries = n_checks (self);
  gboolean running = self->audit != NULL && cf_audit_is_running (self->audit);
  const char *page;

  if (self->audit == NULL)
    page = has_key (self) ? "reading" : "no-key";
  else if (n_entries == 0)
    page = running ? "reading" : "none";
  else
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
      gboolean searching = text != NULL && *text != '\0';
      gboolean any = FALSE;

      for (guint i = 0; i < self->rows->len && !any; i++)
        any = gtk_widget_get_visible (g_ptr_array_index (self->rows, i));

      page = any ? "list" : "no-match";
      if (!any && !searching)
        {
          adw_status_page_set_icon_name (self->no_match_page, "security-high-symbolic");
          adw_status_page_set_title (self->no_match_page, _("Nothing Flagged"));
          adw_status_page_set_description (self->no_match_page,
                                           running ? _("No engine has flagged an executable so far.")
                                                   : _("No engine flagged any of the executables."));
        }
      else if (!any)
        {
          adw_status_page_set_icon_name (self->no_match_page, "edit-find-symbolic");
          adw_status_page_set_title (self->no_match_page, _("No Matching Executables"));
          adw_status_page_set_description (self->no_match_page, _("Try a different search."));
        }
    }

  gtk_stack_set_visible_child_name (self->view_stack, page);

  /* GTK 4.8 presents the pages a stack hides as if they showed. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view_stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child),
                                 GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != gtk_stack_get_visible_child (self->view_stack),
                                 -1);
}

static void
update_status (CfProcessesPage *self)
{
  gboolean running = self->audit != NULL && cf_audit_is_running (self->audit);
  guint n_entries = n_checks (self);
  guint denied = self->audit != NULL ? cf_audit_get_denied (self->audit) : 0;

  if (self->audit != NULL)
    {
      g_autofree char *estimate = cf_audit_describe_estimate (self->audit);
      g_autofree char *wait = NULL;

      /* A wait for the budget is said, with what it is for and its end
       * counting down, not left to look stuck. */
      if (running && self->session != NULL)
        {
          CfScheduler *scheduler = cf_session_get_scheduler (self->session);
          gint64 until = cf_scheduler_get_wait_until (scheduler);
          CfWaitKind kind = cf_scheduler_get_wait_kind (scheduler);
          g_autofree char *limit = NULL;
          g_autofree char *why = NULL;
          guint per_minute, per_day;

          if (until > g_get_real_time () || kind == CF_WAIT_DATABASE)
            {
              cf_scheduler_get_limits (scheduler, &per_minute, &per_day, NULL);
              limit = kind == CF_WAIT_MINUTE ? cf_verdict_describe_rate (per_minute, per_day) : NULL;
              why = cf_verdict_describe_wait (kind, cf_scheduler_get_wait_reason (scheduler), limit,
                                              until, g_get_real_time ());
              /* Translators: the audit's estimate, then what it waits for and until when */
              wait = g_strdup_printf (_("%s · %s"), estimate, why);
            }
        }
      gtk_label_set_text (self->estimate_label, wait != NULL ? wait : estimate);
      if (cf_audit_get_error (self->audit) != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->estimate_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->estimate_label), "error");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->estimate_label), self->audit != NULL);

  if (denied > 0)
    {
      g_autofree char *text = NULL;

      /* Root can be refused too (a sandbox's own init): then running as
       * root is no advice. */
      if (geteuid () == 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u process could not be read, even as root: the kernel or a sandbox hides it.",
                                             "%u processes could not be read, even as root: the kernel or a sandbox hides them.",
                                             denied),
                                denied);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u process could not be read; run Check First as root to include it.",
                                             "%u processes could not be read; run Check First as root to include them.",
                                             denied),
                                denied);

      gtk_label_set_text (self->denied_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->denied_label), denied > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running && n_entries > 0);
  if (n_entries > 0)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   (double) cf_audit_get_n_done (self->audit) / n_entries);

  gtk_widget_set_visible (self->scan_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.scan-again", !running && has_key (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.export", n_entries > 0);
  gtk_widget_set_sensitive (self->export_button, n_entries > 0);
}

/* Where each executable not asked about yet stands: behind every request
 * queued now, and the ones before it. */
static void
update_turns (CfProcessesPage *self)
{
  guint n = n_checks (self);
  guint ahead = self->session != NULL ? cf_scheduler_get_queue_length (cf_session_get_scheduler (self->session)) : 0;

  g_array_set_size (self->turns, n);
  for (guint i = 0; i < n; i++)
    {
      CfCheck *check = get_check (self, i);

      g_array_index (self->turns, guint, i) = ahead;
      if (cf_check_get_stage (check) == CF_CHECK_STAGE_PENDING)
        ahead++;
    }
}

static void set_ticking (CfProcessesPage *self,
                         gboolean         ticking);

/* Once a second while the audit runs: the countdown and the places in the
 * queue move even when no answer comes. */
static gboolean
tick_cb (gpointer user_data)
{
  CfProcessesPage *self = user_data;

  update_turns (self);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListBoxRow *row = g_ptr_array_index (self->rows, i);

      if (!cf_check_is_finished (get_check (self, row_get_data (row)->index)))
        update_row (self, row);
    }
  update_status (self);
  if (self->audit == NULL || !cf_audit_is_running (self->audit))
    {
      self->tick_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
set_ticking (CfProcessesPage *self,
             gboolean         ticking)
{
  if (ticking && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
  else if (!ticking)
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

static void
refresh (CfProcessesPage *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);

  update_turns (self);
  if (self->audit != NULL)
    add_new_rows (self);
  gtk_list_box_invalidate_sort (self->list_box);
  apply_filter (self);
  update_status (self);
  update_view (self);
  set_ticking (self, self->audit != NULL && cf_audit_is_running (self->audit));
}

static gboolean
refresh_cb (gpointer user_data)
{
  CfProcessesPage *self = user_data;

  self->refresh_source = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (CfProcessesPage *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MS, refresh_cb, self);
}

/* The audit */

static void
on_audit_progress (CfAudit         *audit,
                   CfProcessesPage *self)
{
  /* The first progress comes with the list of executables: show it at once. */
  if (self->rows->len < n_checks (self))
    refresh (self);
  else
    {
      /* Rows whose check moved on say so; the order follows at the refresh. */
      update_turns (self);
      for (guint i = 0; i < self->rows->len; i++)
        update_row (self, g_ptr_array_index (self->rows, i));
      queue_refresh (self);
    }
}

static void
on_audit_finished (CfAudit         *audit,
                   CfProcessesPage *self)
{
  /* Executables left unchecked by a cancel now say so. */
  update_turns (self);
  for (guint i = 0; i < self->rows->len; i++)
    update_row (self, g_ptr_array_index (self->rows, i));
  refresh (self);
}

static void
start_audit (CfProcessesPage *self)
{
  if (self->session == NULL || !has_key (self))
    {
      refresh (self);
      return;
    }

  if (self->audit == NULL)
    {
      self->audit = cf_session_new_audit (self->session, NULL);
      g_signal_connect_object (self->audit, "progress",
                               G_CALLBACK (on_audit_progress), self, 0);
      g_signal_connect_object (self->audit, "finished",
                               G_CALLBACK (on_audit_finished), self, 0);
    }
  else if (cf_audit_is_running (self->audit))
    return;

  /* Starting again empties the list of checks the rows point into. */
  clear_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  cf_audit_start (self->audit);
  refresh (self);
}

/* A key that arrives while the page shows starts the audit it was waiting for. */
static void
on_key_state_changed (CfProcessesPage *self)
{
  if (self->audit == NULL && has_key (self) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_audit (self);
  else
    refresh (self);
}

/* Telling the person */

static void
show_result (CfProcessesPage *self,
             const char      *text,
             gboolean         failed)
{
  /* In the window, news is a toast; elsewhere (a test), a label. */
  if (gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "(sss)", text, "", ""))
    return;

  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_css_classes (GTK_WIDGET (self->result_label),
                              (const char *[]) { failed ? "error" : "success", NULL });
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
}

/* Details of one row */

static void
on_row_activated (CfProcessesPage *self,
                  GtkListBoxRow   *row)
{
  RowData *data = row_get_data (row);
  CfCheck *check;
  const CfProcessExe *exe;
  g_autofree char *processes = NULL;
  g_autofree char *threat = NULL;
  const char *label;

  if (data == NULL || self->audit == NULL)
    return;

  check = get_check (self, data->index);
  exe = cf_check_get_process (check);
  if (exe->sha256 == NULL)
    return;

  close_details (self);
  self->details_sha256 = g_strdup (exe->sha256);

  processes = describe_processes (exe, G_MAXUINT, DETAILS_PIDS);
  label = cf_check_get_report (check) != NULL ? cf_check_get_report (check)->threat_label : NULL;
  if (label != NULL && *label != '\0')
    {
      g_autofree char *safe = cf_display_text (label);

      threat = g_strdup_printf (_("Threat label: %s"), safe);
    }

  gtk_label_set_text (self->details_path_label, data->path);
  gtk_label_set_text (self->details_processes_label, processes);
  gtk_label_set_text (self->details_threat_label, threat);
  gtk_widget_set_visible (GTK_WIDGET (self->details_threat_label), threat != NULL);
  gtk_label_set_text (self->details_sha256_label, exe->sha256);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->details_report_button),
                                    "s", exe->sha256);
  /* Never seen, VirusTotal has no page to open. */
  gtk_widget_set_visible (self->details_report_button, cf_check_get_report (check) != NULL);

  /* On the row, so that it follows the row when answers re-sort the list. */
  gtk_widget_set_parent (GTK_WIDGET (self->details_popover), GTK_WIDGET (row));
  gtk_popover_popup (self->details_popover);
}

static void
on_report_clicked (CfProcessesPage *self)
{
  gtk_popover_popdown (self->details_popover);
}

static void
copy_sha256_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (widget);

  if (self->details_sha256 == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->details_sha256);
  gtk_popover_popdown (self->details_popover);
  show_result (self, _("SHA-256 copied"), FALSE);
}

/* Filtering */

static void
on_filter_changed (CfProcessesPage *self)
{
  apply_filter (self);
  update_view (self);
}

static gboolean
focus_search (GtkWidget *widget,
              GVariant  *arguments,
              gpointer   user_data)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Exports */

/* Every executable, in the order the list shows, whatever the filter, in
 * the schema of `check-first --processes --json` (JSON Lines) or --csv. */
static GBytes *
build_export (CfProcessesPage *self,
              CfFormat         format)
{
  GString *out = g_string_new (NULL);

  if (format == CF_FORMAT_CSV)
    g_string_append_printf (out, "%s\n", cf_format_csv_header ());

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      RowData *data = GTK_IS_LIST_BOX_ROW (child) ? row_get_data (GTK_LIST_BOX_ROW (child)) : NULL;
      g_autofree char *line = NULL;

      if (data == NULL)
        continue;
      line = cf_format_check (format, get_check (self, data->index), NULL);
      g_string_append_printf (out, "%s\n", line);
    }

  return g_string_free_to_bytes (out);
}

static void
export_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CfProcessesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not export: %s"), error->message);
      show_result (self, text, TRUE);
      return;
    }

  basename = g_file_get_basename (G_FILE (object));
  name = g_filename_display_name (basename);
  text = g_strdup_printf (_("Exported to “%s”"), name);
  show_result (self, text, FALSE);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    CfProcessesPage *self)
{
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "json"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->audit != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  /* It hid itself; it goes when its response is over. */
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  bytes = build_export (self, json ? CF_FORMAT_JSON : CF_FORMAT_CSV);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written,
                                       g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL || self->audit == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (json ? _("Export as JSON Lines") : _("Export as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     json ? "check-first-processes.jsonl"
                                          : "check-first-processes.csv");
  gtk_file_filter_set_name (filter, json ? _("JSON Lines files") : _("CSV files"));
  gtk_file_filter_add_mime_type (filter, json ? "application/jsonl" : "text/csv");
  gtk_file_filter_add_suffix (filter, json ? "jsonl" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_object_set_data (G_OBJECT (self->chooser), "json", GINT_TO_POINTER (json));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Actions */

static void
scan_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  start_audit (CF_PROCESSES_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (widget);

  if (self->audit != NULL)
    cf_audit_cancel (self->audit);
}

/* Widget */

static void
cf_processes_page_map (GtkWidget *widget)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (widget);

  GTK_WIDGET_CLASS (cf_processes_page_parent_class)->map (widget);

  if (!self->shown && self->session != NULL)
    {
      self->shown = TRUE;
      g_signal_connect_object (self->session, "notify::key-state",
                               G_CALLBACK (on_key_state_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::wait-until",
                               G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
    }

  /* Once started, the audit runs on when the page is left, and is not
   * started again unless asked. */
  if (self->audit == NULL)
    start_audit (self);
}

static void
cf_processes_page_dispose (GObject *object)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* Lookups in flight hold the audit: stop them rather than let them run on. */
  if (self->audit != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->audit, self);
      cf_audit_cancel (self->audit);
      g_clear_object (&self->audit);
    }

  if (self->details_popover != NULL)
    close_details (self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->turns, g_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (object), CF_TYPE_PROCESSES_PAGE);

  G_OBJECT_CLASS (cf_processes_page_parent_class)->dispose (object);
}

static void
cf_processes_page_finalize (GObject *object)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->details_sha256, g_free);

  G_OBJECT_CLASS (cf_processes_page_parent_class)->finalize (object);
}

static void
cf_processes_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_processes_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CfProcessesPage *self = CF_PROCESSES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}


static void
cf_processes_page_class_init (CfProcessesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_processes_page_dispose;
  object_class->finalize = cf_processes_page_finalize;
  object_class->get_property = cf_processes_page_get_property;
  object_class->set_property = cf_processes_page_set_property;
  widget_class->map = cf_processes_page_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CF_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  row_data_quark = g_quark_from_static_string ("cf-processes-page-row");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-processes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, flagged_toggle);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, scan_button);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, denied_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_popover);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_path_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_processes_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_threat_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_sha256_label);
  gtk_widget_class_bind_template_child (widget_class, CfProcessesPage, details_report_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_report_clicked);

  gtk_widget_class_install_action (widget_class, "processes.scan-again", NULL, scan_again_action);
  gtk_widget_class_install_action (widget_class, "processes.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "processes.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "processes.copy-sha256", NULL, copy_sha256_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search, NULL);
}

static void
cf_processes_page_init (CfProcessesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->turns = g_array_new (FALSE, TRUE, sizeof (guint));
  self->cancellable = g_cancellable_new ();

  /* A hash or a path is broken where the line ends, without a hyphen
   * that is not in it. */
  {
    PangoAttrList *attributes = pango_attr_list_new ();

    pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->details_sha256_label, attributes);
    gtk_label_set_attributes (self->details_path_label, attributes);
    pango_attr_list_unref (attributes);
  }

  gtk_list_box_set_sort_func (self->list_box, compare_rows, self, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  update_status (self);
  update_view (self);
}
