/* cf-check-row.c: one check in a list: live while it runs, then its verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row shows its "check" property and nothing else: it follows the
 * check's notifications, and its buttons are actions of the window
 * ("win.check-again", "win.cancel-check"), found by their target.
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-check-row.h"
#include "cf-display.h"
#include "cf-secret.h"
#include "cf-verdict.h"
#include "cf-vt-error.h"

struct _CfCheckRow
{
  GtkListBoxRow   parent_instance;

  CfCheck        *check;
  guint           tick_id;

  GtkStack       *icon_stack;
  GtkImage       *verdict_icon;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkLabel       *where_label;
  GtkLabel       *note_label;
  gboolean        said_trashed;
  GtkLabel       *time_label;
  GtkProgressBar *progress_bar;
  GtkButton      *retry_button;
  GtkButton      *preferences_button;
  GtkButton      *cancel_button;
  GtkImage       *arrow;
};

G_DEFINE_FINAL_TYPE (CfCheckRow, cf_check_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const verdict_classes[] = { "success", "warning", "error", "dim-label" };

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

/* A key that does not work is fixed in Preferences. */
static gboolean
is_key_problem (const GError *error)
{
  return g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY) ||
         g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY) ||
         g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_FORBIDDEN) ||
         (error != NULL && error->domain == CF_SECRET_ERROR);
}

/* When an earlier check was made, as a person says it: "Today, 14:05",
 * "Yesterday, 09:12", "2 Nov, 18:30" this year, "2 Nov 2025" before. */
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *clock = NULL;

  if (time == NULL)
    return NULL;
  /* Translators: a time of day, see strftime(3) */
  clock = g_date_time_format (time, _("%H:%M"));
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: an earlier check made today: "Today, 14:05" */
    return g_strdup_printf (_("Today, %s"), clock);
  if (g_date_time_get_year (time) == g_date_time_get_year (yesterday) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (yesterday))
    /* Translators: an earlier check made yesterday: "Yesterday, 09:12" */
    return g_strdup_printf (_("Yesterday, %s"), clock);
  if (g_date_time_get_year (time) == g_date_time_get_year (now))
    /* Translators: a date this year and a time, see strftime(3); %-d is the day without padding */
    return g_date_time_format (time, _("%-d %b, %H:%M"));
  /* Translators: a date, see strftime(3); %-d is the day without padding */
  return g_date_time_format (time, _("%-d %b %Y"));
}

/* Where an earlier check's file was, and how often it was checked with
 * this verdict: "In /home/ada/Downloads · checked 3 times". */
static char *
describe_where (CfCheck *check)
{
  GFile *file = cf_check_get_file (check);
  g_autoptr(GString) text = g_string_new (NULL);
  guint times = cf_check_get_times_checked (check);

  if (file != NULL && g_file_peek_path (file) != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (g_file_peek_path (file));
      g_autofree char *shown = cf_display_path (folder);

      /* Translators: the folder of an earlier check's file */
      g_string_append_printf (text, _("In %s"), shown);
    }
  if (times > 1)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: how often a file was checked with the same verdict */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "checked %u time", "checked %u times", times),
                              times);
    }

  return text->len > 0 ? g_strdup (text->str) : NULL;
}

static void update_row (CfCheckRow *self);

static gboolean
on_tick (gpointer user_data)
{
  update_row (CF_CHECK_ROW (user_data));
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
  CfCheck *check = self->check;
  CfCheckStage stage;
  g_autofree char *subtitle = NULL;
  gboolean running, key_problem = FALSE, waiting_on_person = FALSE;

  if (check == NULL)
    return;

  stage = cf_check_get_stage (check);
  running = !cf_check_is_finished (check);

  gtk_label_set_text (self->title_label, cf_check_get_name (check));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cf_check_get_name (check), -1);

  if (running)
    {
      subtitle = cf_verdict_describe_progress (check, g_get_real_time ());
      /* Waits on the person are no spinning: they get an icon and words. */
      waiting_on_person = stage == CF_CHECK_STAGE_PENDING || stage == CF_CHECK_STAGE_ASKING;
      if (waiting_on_person)
        set_verdict_icon (self, stage == CF_CHECK_STAGE_PENDING ? "dialog-password-symbolic"
                                                               : "dialog-question-symbolic",
                          "warning", subtitle);
      else
        gtk_stack_set_visible_child_name (self->icon_stack, "spinner");
    }
  else if (stage == CF_CHECK_STAGE_DONE)
    {
      CfReason reason = cf_check_get_reason (check);

      gboolean modified = cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED;

      subtitle = cf_verdict_describe_check (check);
      set_verdict_icon (self, modified ? "dialog-warning-symbolic" : cf_verdict_icon_name (reason),
                        modified ? "error" : cf_verdict_style_class (reason),
                        cf_check_get_decision (check) == CF_DECISION_BLOCK ? _("Blocked") : _("Allowed"));
      /* Said on the row too, unless something else happened to it since. */
      if (cf_check_get_kind (check) == CF_CHECK_KIND_FILE &&
          cf_check_get_decision (check) == CF_DECISION_BLOCK &&
          !gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
        cf_check_row_set_note (self, reason == CF_REASON_UNKNOWN_BLOCKED ||
                                     reason == CF_REASON_NO_RESULTS_BLOCKED
                                     ? _("Not opened: stop unknowns mode is on")
                                     : _("Not opened"));
    }
  else if (stage == CF_CHECK_STAGE_FAILED)
    {
      subtitle = cf_verdict_describe_check (check);
      key_problem = is_key_problem (cf_check_get_error (check));
      set_verdict_icon (self, "dialog-error-symbolic", "error", _("Not checked"));
    }
  else
    {
      subtitle = g_strdup (_("Cancelled"));
      set_verdict_icon (self, "process-stop-symbolic", "dim-label", _("Cancelled"));
    }

  gtk_label_set_text (self->subtitle_label, subtitle != NULL ? subtitle : "");
  if (running)
    gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");

  if (cf_check_get_kind (check) == CF_CHECK_KIND_HISTORY && cf_check_get_time (check) > 0)
    {
      g_autofree char *time_text = format_time (cf_check_get_time (check));
      g_autofree char *where = describe_where (check);

      gtk_label_set_text (self->time_label, time_text != NULL ? time_text : "");
      gtk_widget_set_visible (GTK_WIDGET (self->time_label), time_text != NULL);
      gtk_label_set_text (self->where_label, where != NULL ? where : "");
      gtk_widget_set_visible (GTK_WIDGET (self->where_label), where != NULL);
    }
  if (g_strcmp0 (cf_check_get_override (check), "run-anyway") == 0 &&
      !gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
    cf_check_row_set_note (self, _("Run anyway by you"));
  /* In the Trash, and out of it again on Undo. */
  if (g_strcmp0 (cf_check_get_override (check), "moved-to-trash") == 0 && !self->said_trashed)
    {
      cf_check_row_set_note (self, _("Moved to the Trash"));
      self->said_trashed = TRUE;
    }
  else if (g_strcmp0 (cf_check_get_override (check), "moved-to-trash") != 0 && self->said_trashed)
    {
      cf_check_row_set_note (self, _("Not opened"));
      self->said_trashed = FALSE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          stage == CF_CHECK_STAGE_HASHING || stage == CF_CHECK_STAGE_UPLOADING);
  if (stage == CF_CHECK_STAGE_HASHING)
    gtk_progress_bar_set_fraction (self->progress_bar, cf_check_get_fraction (check));
  else if (stage == CF_CHECK_STAGE_UPLOADING && cf_check_get_bytes_total (check) > 0)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   (double) cf_check_get_bytes_done (check) / cf_check_get_bytes_total (check));

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          stage == CF_CHECK_STAGE_FAILED || stage == CF_CHECK_STAGE_CANCELLED);
  gtk_widget_set_visible (GTK_WIDGET (self->preferences_button), key_problem);
  gtk_widget_set_visible (GTK_WIDGET (self->arrow), !running);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), !running);

  /* Counting down, or counting an analysis: once a second. */
  set_ticking (self, stage == CF_CHECK_STAGE_WAITING_QUOTA || stage == CF_CHECK_STAGE_LOOKING_UP ||
                     stage == CF_CHECK_STAGE_ANALYSIS_QUEUED || stage == CF_CHECK_STAGE_ANALYSIS_RUNNING);
}

static void
on_check_notify (CfCheck    *check,
                 GParamSpec *pspec,
                 CfCheckRow *self)
{
  update_row (self);
}

static void
set_check (CfCheckRow *self,
           CfCheck    *check)
{
  g_autofree char *cancel_name = NULL;
  GVariant *target;

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_set_object (&self->check, check);
  if (check == NULL)
    return;

  /* The buttons name the check they are about. */
  target = g_variant_new_uint64 (cf_check_get_serial (check));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->cancel_button), target);

  /* Translators: the name of a button; %s is a file name */
  cancel_name = g_strdup_printf (_("Cancel the check of %s"), cf_check_get_name (check));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel_name, -1);

  g_signal_connect_object (check, "notify", G_CALLBACK (on_check_notify), self, 0);
  update_row (self);
}

static void
cf_check_row_dispose (GObject *object)
{
  CfCheckRow *self = CF_CHECK_ROW (object);

  set_ticking (self, FALSE);
  set_check (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_CHECK_ROW);

  G_OBJECT_CLASS (cf_check_row_parent_class)->dispose (object);
}

static void
cf_check_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CfCheckRow *self = CF_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_CHECK:
      g_value_set_object (value, self->check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_check_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CfCheckRow *self = CF_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_CHECK:
      set_check (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_check_row_class_init (CfCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_check_row_dispose;
  object_class->get_property = cf_check_row_get_property;
  object_class->set_property = cf_check_row_set_property;

  properties[PROP_CHECK] =
    g_param_spec_object ("check", NULL, NULL, CF_TYPE_CHECK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, where_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CfCheckRow, arrow);
}

static void
cf_check_row_init (CfCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cf_check_row_new (CfCheck *check)
{
  g_return_val_if_fail (CF_IS_CHECK (check), NULL);

  return g_object_new (CF_TYPE_CHECK_ROW, "check", check, NULL);
}

CfCheck *
cf_check_row_get_check (CfCheckRow *self)
{
  g_return_val_if_fail (CF_IS_CHECK_ROW (self), NULL);
  return self->check;
}

/* What became of the file after its verdict ("Opened", "Started"). */
void
cf_check_row_set_note (CfCheckRow *self,
                       const char *note)
{
  g_return_if_fail (CF_IS_CHECK_ROW (self));

  gtk_label_set_text (self->note_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL && *note != '\0');
}
