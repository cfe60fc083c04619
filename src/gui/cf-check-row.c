/* cf-check-row.c: one file's check in the list, live while it runs, then its verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-verdict.h"
#include "cf-check-row.h"
#include "cf-secret.h"

struct _CfCheckRow
{
  GtkListBoxRow   parent_instance;

  CfCheck        *check;
  CfHistoryEntry *history;
  char           *key;
  gboolean        launch;
  guint           tick_id;

  /* Upload speed, smoothed over the last few seconds. */
  gint64          speed_time;
  guint64         speed_bytes;
  double          speed;

  GtkStack       *icon_stack;
  GtkImage       *verdict_icon;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkLabel       *note_label;
  GtkLabel       *time_label;
  GtkProgressBar *progress_bar;
  GtkButton      *retry_button;
  GtkButton      *preferences_button;
  GtkButton      *cancel_button;
  GtkImage       *arrow;
};

G_DEFINE_FINAL_TYPE (CfCheckRow, cf_check_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const verdict_classes[] = { "success", "warning", "error", "dim-label" };

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* "0:37", "12:05", "1:02:03" */
static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* Times from the core are microseconds since the epoch. */
static gint64
usec_to_sec (gint64 usec)
{
  return usec / G_USEC_PER_SEC;
}

char *
cf_history_describe (const CfHistoryEntry *entry,
                     const char          **icon_name,
                     const char          **style_class)
{
  const char *status = entry->status ? entry->status : "";
  gboolean blocked = g_strcmp0 (entry->decision, "block") == 0;
  CfReason reason;
  CfReport report = { 0, };

  if (cf_reason_from_string (entry->reason, &reason))
    ;
  else if (g_str_equal (status, "clean"))
    reason = CF_REASON_CLEAN;
  else if (g_str_equal (status, "detected"))
    reason = CF_REASON_DETECTED;
  else if (g_str_equal (status, "unknown"))
    reason = blocked ? CF_REASON_UNKNOWN_BLOCKED : CF_REASON_UNKNOWN_ALLOWED;
  else if (g_str_equal (status, "trusted") || g_str_equal (status, "blocked"))
    reason = blocked ? CF_REASON_BLOCKED_BY_USER : CF_REASON_TRUSTED;
  else
    {
      *icon_name = "dialog-error-symbolic";
      *style_class = "dim-label";
      return g_strdup (_("Not checked"));
    }

  *icon_name = cf_verdict_icon_name (reason);
  *style_class = cf_verdict_style_class (reason);

  /* Only the counts survive in history; they are all the sentence needs.
   * The threshold of the day is not kept: 0 leaves it out. */
  report.stats.malicious = entry->malicious;
  report.stats.undetected = MAX (entry->engines - entry->malicious, 0);

  return cf_verdict_describe (reason, &report, 0);
}

static void
set_verdict_icon (CfCheckRow *self,
                  const char *icon_name,
                  const char *style_class,
                  const char *accessible_name)
{
  GtkWidget *icon = GTK_WIDGET (self->verdict_icon);

  gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (icon, verdict_classes[i]);
  if (style_class != NULL)
    gtk_widget_add_css_class (icon, style_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  gtk_stack_set_visible_child_name (self->icon_stack, "icon");
}

static char *
describe_upload (CfCheckRow *self)
{
  guint64 done = cf_check_get_bytes_done (self->check);
  guint64 total = cf_check_get_bytes_total (self->check);
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = g_format_size (total);
  int percent = total > 0 ? (int) (done * 100 / total) : 0;
  GString *text = g_string_new (NULL);

  /* Translators: "Uploading · 12.3 MB of 40.0 MB (31 %)" */
  g_string_printf (text, _("Uploading · %s of %s (%d %%)"), done_text, total_text, percent);

  if (self->speed > 1.0 && done < total)
    {
      g_autofree char *speed_text = g_format_size ((guint64) self->speed);
      gint64 left = (gint64) ((total - done) / self->speed) + 1;

      /* Translators: an upload speed, e.g. "2.1 MB/s" */
      g_string_append_printf (text, _(" · %s/s"), speed_text);
      if (left < 60)
        /* Translators: time left, e.g. "14 s left" */
        g_string_append_printf (text, _(" · %d s left"), (int) left);
      else
        {
          g_autofree char *duration = format_duration (left);
          /* Translators: time left, e.g. "2:14 left" */
          g_string_append_printf (text, _(" · %s left"), duration);
        }
    }

  return g_string_free (text, FALSE);
}

static char *
describe_error (CfCheckRow *self,
                gboolean   *key_problem)
{
  const GError *error = cf_check_get_error (self->check);

  *key_problem = FALSE;

  if (error == NULL)
    return g_strdup (_("The check failed"));

  if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY) ||
      g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY) ||
      g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_FORBIDDEN) ||
      error->domain == CF_SECRET_ERROR)
    *key_problem = TRUE;

  return g_strdup (error->message);
}

static void update_row (CfCheckRow *self);

static gboolean
on_tick (gpointer user_data)
{
  CfCheckRow *self = CF_CHECK_ROW (user_data);

  update_row (self);

  return G_SOURCE_CONTINUE;
}

static void
set_ticking (CfCheckRow *self,
             gboolean    ticking)
{
  if (ticking && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!ticking)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
update_row (CfCheckRow *self)
{
  CfCheckStage stage = cf_check_get_stage (self->check);
  g_autofree char *subtitle = NULL;
  gboolean running = !cf_check_is_finished (self->check);
  gboolean show_progress = FALSE;
  gboolean key_problem = FALSE;
  gboolean ticking = FALSE;

  switch (stage)
    {
    case CF_CHECK_STAGE_PENDING:
      subtitle = g_strdup (_("Waiting for an API key"));
      break;

    case CF_CHECK_STAGE_HASHING:
      /* Translators: the fingerprint is the file's SHA-256 hash; "42 %" */
      subtitle = g_strdup_printf (_("Computing fingerprint… %d %%"),
                                  (int) (cf_check_get_fraction (self->check) * 100));
      show_progress = TRUE;
      break;

    case CF_CHECK_STAGE_LOOKING_UP:
      subtitle = g_strdup (_("Looking up on VirusTotal…"));
      break;

    case CF_CHECK_STAGE_WAITING_QUOTA:
      {
        gint64 left = usec_to_sec (cf_check_get_wait_until (self->check)) - now_seconds ();

        if (left > 0)
          {
            g_autofree char *duration = format_duration (left);
            /* Translators: VirusTotal allows a few requests a minute; "0:37" is the time left */
            subtitle = g_strdup_printf (_("Waiting for request budget · %s"), duration);
          }
        else
          subtitle = g_strdup (_("Waiting for request budget"));
        ticking = TRUE;
      }
      break;

    case CF_CHECK_STAGE_ASKING:
      subtitle = g_strdup (_("Waiting for your answer"));
      break;

    case CF_CHECK_STAGE_UPLOADING:
      subtitle = describe_upload (self);
      show_progress = TRUE;
      break;

    case CF_CHECK_STAGE_ANALYSIS_QUEUED:
    case CF_CHECK_STAGE_ANALYSIS_RUNNING:
      {
        gint64 elapsed = now_seconds () - usec_to_sec (cf_check_get_stage_started (self->check));
        g_autofree char *duration = format_duration (elapsed);

        if (stage == CF_CHECK_STAGE_ANALYSIS_QUEUED)
          /* Translators: "0:12" is the time since the upload finished */
          subtitle = g_strdup_printf (_("Analysis queued · %s"), duration);
        else
          subtitle = g_strdup_printf (_("Being analysed · %s"), duration);
        ticking = TRUE;
      }
      break;

    case CF_CHECK_STAGE_DONE:
      {
        CfReason reason = cf_check_get_reason (self->check);
        g_autofree char *accessible = NULL;

        subtitle = cf_verdict_describe (reason, cf_check_get_report (self->check),
                                        cf_check_get_threshold (self->check));
        accessible = g_strdup (cf_check_get_decision (self->check) == CF_DECISION_BLOCK
                               ? _("Blocked") : _("Allowed"));
        set_verdict_icon (self, cf_verdict_icon_name (reason),
                          cf_verdict_style_class (reason), accessible);
        if (cf_check_get_decision (self->check) == CF_DECISION_BLOCK &&
            !gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
          cf_check_row_set_note (self, reason == CF_REASON_UNKNOWN_BLOCKED ||
                                       reason == CF_REASON_NO_RESULTS_BLOCKED
                                       ? _("Not opened: stop unknowns mode is on")
                                       : _("Not opened"));
      }
      break;

    case CF_CHECK_STAGE_FAILED:
      subtitle = describe_error (self, &key_problem);
      set_verdict_icon (self, "dialog-error-symbolic", "error", _("Not checked"));
      break;

    case CF_CHECK_STAGE_CANCELLED:
      subtitle = g_strdup (_("Cancelled"));
      set_verdict_icon (self, "process-stop-symbolic", "dim-label", _("Cancelled"));
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (self->subtitle_label, subtitle);
  if (running)
    gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");

  if (running)
    gtk_stack_set_visible_child_name (self->icon_stack, "spinner");

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), show_progress);
  if (show_progress)
    gtk_progress_bar_set_fraction (self->progress_bar, cf_check_get_fraction (self->check));

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          stage == CF_CHECK_STAGE_FAILED || stage == CF_CHECK_STAGE_CANCELLED);
  gtk_widget_set_visible (GTK_WIDGET (self->preferences_button), key_problem);
  gtk_widget_set_visible (GTK_WIDGET (self->arrow), stage == CF_CHECK_STAGE_DONE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), stage == CF_CHECK_STAGE_DONE);

  set_ticking (self, ticking);
}

static void
on_bytes_done (CfCheckRow *self)
{
  gint64 now = g_get_monotonic_time ();
  guint64 bytes = cf_check_get_bytes_done (self->check);

  if (cf_check_get_stage (self->check) != CF_CHECK_STAGE_UPLOADING)
    {
      self->speed_time = 0;
      self->speed = 0;
      return;
    }

  if (self->speed_time != 0 && now - self->speed_time >= G_USEC_PER_SEC / 4 && bytes >= self->speed_bytes)
    {
      double instant = (bytes - self->speed_bytes) * (double) G_USEC_PER_SEC / (now - self->speed_time);

      self->speed = self->speed > 0 ? 0.7 * self->speed + 0.3 * instant : instant;
      self->speed_time = now;
      self->speed_bytes = bytes;
    }
  else if (self->speed_time == 0)
    {
      self->speed_time = now;
      self->speed_bytes = bytes;
    }

  update_row (self);
}

static void
cancel_clicked (CfCheckRow *self)
{
  if (self->check != NULL)
    cf_check_cancel (self->check);
}

static void
retry_clicked (CfCheckRow *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

static void
cf_check_row_dispose (GObject *object)
{
  CfCheckRow *self = CF_CHECK_ROW (object);

  set_ticking (self, FALSE);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_CHECK_ROW);

  G_OBJECT_CLASS (cf_check_row_parent_class)->dispose (object);
}

static void
cf_check_row_finalize (GObject *object)
{
  CfCheckRow *self = CF_CHECK_ROW (object);

  g_clear_object (&self->check);
  g_clear_pointer (&self->history, cf_history_entry_free);
  g_free (self->key);

  G_OBJECT_CLASS (cf_check_row_parent_class)->finalize (object);
}

static void
cf_check_row_class_init (CfCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_check_row_dispose;
  object_class->finalize = cf_check_row_finalize;

  /* The check is to be started again for the same file. */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, arrow);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked);
}

static void
cf_check_row_init (CfCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_title (CfCheckRow *self,
           const char *name)
{
  gtk_label_set_text (self->title_label, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

CfCheckRow *
cf_check_row_new (CfCheck  *check,
                  gboolean  launch)
{
  static guint last_key;
  CfCheckRow *self;
  g_autofree char *name = NULL;
  g_autofree char *cancel_name = NULL;

  g_return_val_if_fail (CF_IS_CHECK (check), NULL);

  self = g_object_new (CF_TYPE_CHECK_ROW, NULL);
  self->check = g_object_ref (check);
  self->launch = launch;
  self->key = g_strdup_printf ("c%u", ++last_key);

  name = g_file_get_basename (cf_check_get_file (check));
  set_title (self, name);

  /* Translators: the name of a button; %s is a file name */
  cancel_name = g_strdup_printf (_("Cancel the check of %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel_name,
                                  -1);

  g_signal_connect_object (check, "notify::stage", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::fraction", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::wait-until", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::decision", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::bytes-done", G_CALLBACK (on_bytes_done), self, G_CONNECT_SWAPPED);

  update_row (self);

  return self;
}

CfCheckRow *
cf_check_row_new_for_history (const CfHistoryEntry *entry)
{
  CfCheckRow *self;
  g_autofree char *name = NULL;
  g_autofree char *verdict = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time_text = NULL;
  const char *icon_name = NULL;
  const char *style_class = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (CF_TYPE_CHECK_ROW, NULL);
  self->history = g_new0 (CfHistoryEntry, 1);
  self->history->id = entry->id;
  self->history->path = g_strdup (entry->path);
  self->history->sha256 = g_strdup (entry->sha256);
  self->history->time = entry->time;
  self->history->status = g_strdup (entry->status);
  self->history->decision = g_strdup (entry->decision);
  self->history->reason = g_strdup (entry->reason);
  self->history->malicious = entry->malicious;
  self->history->engines = entry->engines;
  self->history->override = g_strdup (entry->override);
  self->key = g_strdup_printf ("h%" G_GINT64_FORMAT, entry->id);

  name = entry->path ? g_path_get_basename (entry->path) : g_strdup (entry->sha256);
  set_title (self, name);

  verdict = cf_history_describe (entry, &icon_name, &style_class);
  gtk_label_set_text (self->subtitle_label, verdict);
  set_verdict_icon (self, icon_name, style_class,
                    g_strcmp0 (entry->decision, "block") == 0 ? _("Blocked") : _("Allowed"));

  if (g_strcmp0 (entry->override, "run-anyway") == 0)
    cf_check_row_set_note (self, _("Run anyway by you"));

  time = g_date_time_new_from_unix_local (entry->time);
  now = g_date_time_new_now_local ();
  if (time != NULL)
    {
      if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
          g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
        /* Translators: a time of day today, see strftime(3) */
        time_text = g_date_time_format (time, _("%H:%M"));
      else
        /* Translators: a date, see strftime(3) */
        time_text = g_date_time_format (time, _("%e %b %Y"));
      gtk_label_set_text (self->time_label, g_strstrip (time_text));
      gtk_widget_set_visible (GTK_WIDGET (self->time_label), TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->arrow), TRUE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);

  return self;
}

CfCheck *
cf_check_row_get_check (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);

  return self->check;
}

const CfHistoryEntry *
cf_check_row_get_history (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);

  return self->history;
}

const char *
cf_check_row_get_key (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);

  return self->key;
}

const char *
cf_check_row_get_sha256 (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);

  if (self->check != NULL)
    return cf_check_get_sha256 (self->check);

  return self->history->sha256;
}

char *
cf_check_row_dup_name (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);

  return g_strdup (gtk_label_get_text (self->title_label));
}

gboolean
cf_check_row_is_finished (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), FALSE);

  return self->check == NULL || cf_check_is_finished (self->check);
}

gboolean
cf_check_row_take_launch (CfCheckRow *self)
{
  gboolean launch;

  g_return_val_if_fail (CF_IS_CHECK_ROW (self), FALSE);

  launch = self->launch;
  self->launch = FALSE;

  return launch;
}

gboolean
cf_check_row_get_launch (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), FALSE);

  return self->launch;
}

void
cf_check_row_set_note (CfCheckRow *self,
                       const char *note)
{
  g_return_if_fail (CF_IS_CHECK_ROW (self));

  gtk_label_set_text (self->note_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL && *note != '\0');
}
