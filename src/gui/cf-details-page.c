/* cf-details-page.c: everything about one check: verdict, file, hashes, engines
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-verdict.h"
#include "cf-application.h"
#include "cf-check-row.h"
#include "cf-details-page.h"
#include "cf-engine-item.h"
#include "cf-launcher.h"
#include "cf-window.h"

struct _CfDetailsPage
{
  AdwBin             parent_instance;

  CfCheck           *check;
  CfHistoryEntry    *history;
  CfReport          *report;
  char              *name;
  char              *sha256;
  gboolean           has_reason;
  guint              threshold;
  CfReason           reason;
  CfDecision         decision;

  GListStore        *engines;
  GtkFilterListModel *filter_model;
  GtkSortListModel  *sort_model;
  GtkCustomFilter   *filter;

  GtkImage          *verdict_icon;
  GtkLabel          *verdict_title;
  GtkLabel          *vendors_label;
  GtkLabel          *decision_label;
  GtkWidget         *open_button;
  GtkWidget         *report_button;
  GtkWidget         *allow_button;
  GtkWidget         *block_button;
  GtkWidget         *run_button;
  GtkWidget         *upload_button;
  GtkWidget         *check_again_button;
  AdwActionRow      *name_row;
  AdwActionRow      *threat_row;
  AdwActionRow      *type_row;
  AdwActionRow      *size_row;
  AdwActionRow      *first_seen_row;
  AdwActionRow      *last_analysis_row;
  GtkWidget         *hashes_group;
  AdwActionRow      *sha256_row;
  AdwActionRow      *sha1_row;
  AdwActionRow      *md5_row;
  GtkWidget         *engines_group;
  GtkSearchEntry    *search_entry;
  GtkToggleButton   *detections_toggle;
  GtkColumnView     *column_view;
  GtkLabel          *engines_summary;
};

G_DEFINE_FINAL_TYPE (CfDetailsPage, cf_details_page, ADW_TYPE_BIN)

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
  g_autofree char *text = NULL;

  if (unix_time <= 0)
    return g_strdup (_("Unknown"));

  date = g_date_time_new_from_unix_local (unix_time);
  if (date == NULL)
    return g_strdup (_("Unknown"));

  /* Translators: a date and time, see strftime(3) */
  text = g_date_time_format (date, _("%e %B %Y, %H:%M"));

  return g_strdup (g_strstrip (text));
}

static CfWindow *
get_window (CfDetailsPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), CF_TYPE_WINDOW);

  return window ? CF_WINDOW (window) : NULL;
}

static CfApplication *
get_application (void)
{
  return CF_APPLICATION (g_application_get_default ());
}

static void
toast (CfDetailsPage *self,
       const char    *title)
{
  CfWindow *window = get_window (self);

  if (window != NULL)
    cf_window_add_toast (window, adw_toast_new (title));
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

static void
update_engines (CfDetailsPage *self)
{
  g_autoptr(GListStore) engines = cf_engine_item_list_new (self->report);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (engines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfEngineItem) item = g_list_model_get_item (G_LIST_MODEL (engines), i);

      cf_engine_item_set_category_label (item, category_label (cf_engine_item_get_category (item)));
    }

  g_set_object (&self->engines, engines);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (engines));
  gtk_widget_set_visible (self->engines_group, n > 0);
}

static void
update_page (CfDetailsPage *self)
{
  g_autofree char *title = NULL;
  const char *decision_text = NULL;
  const char *icon_name = "content-loading-symbolic";
  const char *style_class = NULL;
  gboolean finished = TRUE;
  gboolean blocked;
  gboolean allowed;
  gint64 size = -1;
  CfApplication *app = get_application ();
  gboolean have_client = cf_checker_get_client (cf_application_get_checker (app)) != NULL;

  if (self->check != NULL)
    {
      CfCheckStage stage = cf_check_get_stage (self->check);

      g_clear_pointer (&self->report, cf_report_unref);
      if (cf_check_get_report (self->check) != NULL)
        self->report = cf_report_ref (cf_check_get_report (self->check));
      g_free (self->sha256);
      self->sha256 = g_strdup (cf_check_get_sha256 (self->check));
      size = cf_check_get_size (self->check);

      finished = stage == CF_CHECK_STAGE_DONE;
      self->has_reason = finished;
      if (finished)
        {
          self->reason = cf_check_get_reason (self->check);
          self->decision = cf_check_get_decision (self->check);
          self->threshold = cf_check_get_threshold (self->check);
        }
      else if (stage == CF_CHECK_STAGE_FAILED)
        {
          const GError *error = cf_check_get_error (self->check);

          title = g_strdup (_("Not checked"));
          decision_text = error ? error->message : NULL;
          icon_name = "dialog-error-symbolic";
          style_class = "error";
        }
      else if (stage == CF_CHECK_STAGE_CANCELLED)
        {
          title = g_strdup (_("Cancelled"));
          icon_name = "process-stop-symbolic";
        }
      else
        {
          title = g_strdup (_("Being checked…"));
        }
    }

  blocked = self->has_reason && self->decision == CF_DECISION_BLOCK;
  allowed = self->has_reason && self->decision == CF_DECISION_ALLOW;

  if (self->has_reason)
    {
      title = cf_verdict_describe (self->reason, self->report, self->threshold);
      icon_name = cf_verdict_icon_name (self->reason);
      style_class = cf_verdict_style_class (self->reason);

      switch (self->reason)
        {
        case CF_REASON_UNKNOWN_BLOCKED:
          decision_text = _("Not opened: in stop unknowns mode, files VirusTotal has never seen are blocked.");
          break;
        case CF_REASON_NO_RESULTS_BLOCKED:
          decision_text = _("Not opened: VirusTotal knows this file, but no engine has answered yet, "
                            "and in stop unknowns mode that counts as unknown.");
          break;
        case CF_REASON_NO_RESULTS_ALLOWED:
          decision_text = _("VirusTotal knows this file, but no engine has answered yet: it tells "
                            "nothing about it. Check it again later.");
          break;
        case CF_REASON_BELOW_THRESHOLD:
          decision_text = _("Opened: some engines flagged this file, fewer than your threshold. "
                            "Look at what they found before you trust it.");
          break;
        case CF_REASON_UNKNOWN_ALLOWED:
          decision_text = _("VirusTotal has never seen this file. No engine has looked at it yet.");
          break;
        case CF_REASON_BLOCKED_BY_USER:
          decision_text = _("Not opened: you chose to always block this file.");
          break;
        case CF_REASON_TRUSTED:
          decision_text = _("You chose to always allow this file, whatever the engines say.");
          break;
        case CF_REASON_DETECTED:
          decision_text = _("Not opened: security vendors flagged this file.");
          break;
        case CF_REASON_CLEAN:
        default:
          decision_text = NULL;
          break;
        }
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

  if (self->report != NULL)
    {
      gint64 engines = cf_stats_engines (&self->report->stats);
      g_autofree char *vendors = NULL;

      /* The sentence VirusTotal's own page shows. */
      vendors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%d of %d security vendor flagged this file as malicious",
                                              "%d of %d security vendors flagged this file as malicious",
                                              engines),
                                 (int) self->report->stats.malicious, (int) engines);
      gtk_label_set_text (self->vendors_label, vendors);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->vendors_label), self->report != NULL);

  gtk_label_set_text (self->decision_label, decision_text ? decision_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->decision_label), decision_text != NULL);

  /* What the person can do next. */
  gtk_widget_set_visible (self->report_button, self->report != NULL && self->sha256 != NULL);
  gtk_widget_set_visible (self->allow_button, blocked && self->sha256 != NULL);
  gtk_widget_set_visible (self->block_button, allowed && self->sha256 != NULL);
  gtk_widget_set_visible (self->run_button, blocked && self->check != NULL &&
                          g_file_is_native (cf_check_get_file (self->check)));
  gtk_widget_set_visible (self->open_button, allowed && self->check != NULL &&
                          g_file_is_native (cf_check_get_file (self->check)));
  gtk_widget_set_visible (self->upload_button, finished && self->check != NULL &&
                          self->has_reason && self->report == NULL && have_client &&
                          (self->reason == CF_REASON_UNKNOWN_ALLOWED ||
                           self->reason == CF_REASON_UNKNOWN_BLOCKED));
  gtk_widget_set_visible (self->check_again_button, self->history != NULL &&
                          self->history->path != NULL &&
                          g_file_test (self->history->path, G_FILE_TEST_EXISTS));

  /* The file */
  set_row_value (self->name_row, self->name);
  set_row_value (self->threat_row, self->report ? self->report->threat_label : NULL);
  set_row_value (self->type_row, self->report ? self->report->type_description : NULL);
  if (size < 0 && self->report != NULL)
    size = self->report->size;
  if (size >= 0)
    {
      g_autofree char *size_text = g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT);
      set_row_value (self->size_row, size_text);
    }
  else
    set_row_value (self->size_row, NULL);

  if (self->report != NULL)
    {
      g_autofree char *first = format_date (self->report->first_submission_date);
      g_autofree char *last = format_date (self->report->last_analysis_date);

      set_row_value (self->first_seen_row, first);
      set_row_value (self->last_analysis_row, last);
    }
  else
    {
      set_row_value (self->first_seen_row, NULL);
      set_row_value (self->last_analysis_row, NULL);
    }

  set_row_value (self->sha256_row, self->sha256);
  set_row_value (self->sha1_row, self->report ? self->report->sha1 : NULL);
  set_row_value (self->md5_row, self->report ? self->report->md5 : NULL);
  gtk_widget_set_visible (self->hashes_group, self->sha256 != NULL);

  if (self->report != NULL && self->report->engines != NULL)
    {
      g_autofree char *summary = NULL;
      guint n = self->report->engines->len;

      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u engine answered",
                                              "%u engines answered", n), n);
      gtk_label_set_text (self->engines_summary, summary);
    }
}

static void
reset (CfDetailsPage *self)
{
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_pointer (&self->history, cf_history_entry_free);
  g_clear_pointer (&self->report, cf_report_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->sha256, g_free);
  self->has_reason = FALSE;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->detections_toggle, FALSE);
}

static void
on_check_changed (CfDetailsPage *self)
{
  CfReport *before = self->report;
  CfReport *after = cf_check_get_report (self->check);

  update_page (self);
  if (before != after)
    update_engines (self);
}

/* Actions */

static void
open_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);

  if (self->sha256 != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (get_application ()), "open-report",
                                    g_variant_new_string (self->sha256));
}

static void
set_trust (CfDetailsPage *self,
           CfTrust        trust)
{
  CfApplication *app = get_application ();
  CfChecker *checker = cf_application_get_checker (app);
  g_autoptr(GError) error = NULL;
  AdwToast *news;
  CfWindow *window;
  gint64 history_id = self->check ? cf_check_get_history_id (self->check)
                                  : self->history ? self->history->id : 0;

  if (!cf_store_set_trust (cf_application_get_store (app), self->sha256, trust,
                           self->name, g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      toast (self, error->message);
      return;
    }

  if (history_id > 0)
    cf_store_set_history_override (cf_application_get_store (app), history_id,
                                   trust == CF_TRUST_ALLOW ? "always-allow" : "always-block");

  if (trust == CF_TRUST_ALLOW)
    {
      cf_application_withdraw_blocked (app, self->sha256);
      news = adw_toast_new (_("Added to your allowed files"));
    }
  else
    news = adw_toast_new (_("Added to your blocked files"));

  if (self->check != NULL)
    cf_checker_redecide (checker, self->check);
  else
    {
      self->has_reason = TRUE;
      self->reason = trust == CF_TRUST_ALLOW ? CF_REASON_TRUSTED : CF_REASON_BLOCKED_BY_USER;
      self->decision = trust == CF_TRUST_ALLOW ? CF_DECISION_ALLOW : CF_DECISION_BLOCK;
    }

  /* Now that it is allowed, offer what the person came for. */
  if (trust == CF_TRUST_ALLOW && self->check != NULL &&
      g_file_is_native (cf_check_get_file (self->check)))
    {
      adw_toast_set_button_label (news, _("Open"));
      adw_toast_set_action_name (news, "win.open-shown");
    }

  window = get_window (self);
  if (window != NULL)
    cf_window_add_toast (window, news);
  else
    g_object_unref (news);

  update_page (self);
}

static void
always_allow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  set_trust (CF_DETAILS_PAGE (widget), CF_TRUST_ALLOW);
}

static void
always_block_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  set_trust (CF_DETAILS_PAGE (widget), CF_TRUST_BLOCK);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  CfWindow *window = get_window (self);

  if (self->check != NULL && window != NULL)
    cf_window_launch_check (window, self->check, FALSE);
}

static void
run_anyway_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CfDetailsPage    *self)
{
  CfWindow *window = get_window (self);
  CfApplication *app = get_application ();

  if (g_strcmp0 (response, "run") != 0 || self->check == NULL || window == NULL)
    return;

  if (cf_check_get_history_id (self->check) > 0)
    cf_store_set_history_override (cf_application_get_store (app),
                                   cf_check_get_history_id (self->check), "run-anyway");
  cf_window_launch_check (window, self->check, TRUE);
}

static void
run_anyway_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->check == NULL)
    return;

  if (self->report != NULL && self->reason == CF_REASON_DETECTED)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This file was flagged by %d engine. Running it could harm your computer and your data.",
                                         "This file was flagged by %d engines. Running it could harm your computer and your data.",
                                         self->report->stats.malicious),
                            (int) self->report->stats.malicious);
  else if (self->reason == CF_REASON_BLOCKED_BY_USER)
    body = g_strdup (_("You chose to always block this file. Running it could harm your computer and your data."));
  else
    body = g_strdup (_("No security vendor has looked at this file yet. Running it could harm your computer and your data."));

  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), _("Run Anyway?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "run", _("_Run Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (run_anyway_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  CfChecker *checker = cf_application_get_checker (get_application ());

  if (self->check == NULL)
    return;

  cf_checker_upload (checker, self->check);
  /* The list shows the upload's progress. */
  gtk_widget_activate_action (widget, "win.back", NULL);
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  CfWindow *window = get_window (self);
  g_autoptr(GFile) file = NULL;

  if (self->history == NULL || self->history->path == NULL || window == NULL)
    return;

  file = g_file_new_for_path (self->history->path);
  /* Checked again on request, not to open it: history never launches by itself. */
  cf_window_check_files (window, &file, 1, FALSE);
  gtk_widget_activate_action (widget, "win.back", NULL);
}

static void
copy_hash_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  const char *hash = NULL;

  if (g_str_equal (which, "sha256"))
    hash = self->sha256;
  else if (g_str_equal (which, "sha1") && self->report != NULL)
    hash = self->report->sha1;
  else if (g_str_equal (which, "md5") && self->report != NULL)
    hash = self->report->md5;

  if (hash == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), hash);
  toast (self, _("Copied to the clipboard"));
}

/* GObject */

static void
cf_details_page_dispose (GObject *object)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_DETAILS_PAGE);

  G_OBJECT_CLASS (cf_details_page_parent_class)->dispose (object);
}

static void
cf_details_page_finalize (GObject *object)
{
  CfDetailsPage *self = CF_DETAILS_PAGE (object);

  g_clear_pointer (&self->history, cf_history_entry_free);
  g_clear_pointer (&self->report, cf_report_unref);
  g_clear_object (&self->engines);
  g_clear_object (&self->filter);
  g_free (self->name);
  g_free (self->sha256);

  G_OBJECT_CLASS (cf_details_page_parent_class)->finalize (object);
}

static void
cf_details_page_class_init (CfDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_details_page_dispose;
  object_class->finalize = cf_details_page_finalize;

  g_type_ensure (CF_TYPE_ENGINE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, vendors_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, decision_label);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, allow_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, block_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, upload_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, threat_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, size_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, first_seen_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, last_analysis_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, hashes_group);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sha256_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sha1_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, md5_row);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engines_group);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, detections_toggle);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, engines_summary);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, CfDetailsPage, sort_model);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "details.open-report", NULL, open_report_action);
  gtk_widget_class_install_action (widget_class, "details.always-allow", NULL, always_allow_action);
  gtk_widget_class_install_action (widget_class, "details.always-block", NULL, always_block_action);
  gtk_widget_class_install_action (widget_class, "details.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "details.run-anyway", NULL, run_anyway_action);
  gtk_widget_class_install_action (widget_class, "details.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "details.check-again", NULL, check_again_action);
  gtk_widget_class_install_action (widget_class, "details.copy-hash", "s", copy_hash_action);
}

static void
cf_details_page_init (CfDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Typing anywhere on the page searches the engines. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_engine, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  /* No column chosen: keep the report's order, detections first. */
  gtk_sort_list_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->column_view));
}

/* Public API */

void
cf_details_page_show_check (CfDetailsPage *self,
                            CfCheck       *check)
{
  g_return_if_fail (CF_IS_DETAILS_PAGE (self));
  g_return_if_fail (CF_IS_CHECK (check));

  reset (self);
  self->check = g_object_ref (check);
  self->name = g_file_get_basename (cf_check_get_file (check));

  g_signal_connect_object (check, "notify::stage", G_CALLBACK (on_check_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::decision", G_CALLBACK (on_check_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify::report", G_CALLBACK (on_check_changed), self, G_CONNECT_SWAPPED);

  update_page (self);
  update_engines (self);
}

void
cf_details_page_show_history (CfDetailsPage        *self,
                              const CfHistoryEntry *entry,
                              CfReport             *report)
{
  const char *status;
  gboolean blocked;

  g_return_if_fail (CF_IS_DETAILS_PAGE (self));
  g_return_if_fail (entry != NULL);

  reset (self);
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
  self->report = report ? cf_report_ref (report) : NULL;
  self->sha256 = g_strdup (entry->sha256);
  self->name = entry->path ? g_path_get_basename (entry->path) : NULL;

  status = entry->status ? entry->status : "";
  blocked = g_strcmp0 (entry->decision, "block") == 0;
  self->decision = blocked ? CF_DECISION_BLOCK : CF_DECISION_ALLOW;
  self->has_reason = TRUE;
  self->threshold = 0;
  if (cf_reason_from_string (entry->reason, &self->reason))
    ;
  else if (g_str_equal (status, "clean"))
    self->reason = CF_REASON_CLEAN;
  else if (g_str_equal (status, "detected"))
    self->reason = CF_REASON_DETECTED;
  else if (g_str_equal (status, "unknown"))
    self->reason = blocked ? CF_REASON_UNKNOWN_BLOCKED : CF_REASON_UNKNOWN_ALLOWED;
  else if (g_str_equal (status, "trusted") || g_str_equal (status, "blocked"))
    self->reason = blocked ? CF_REASON_BLOCKED_BY_USER : CF_REASON_TRUSTED;
  else
    self->has_reason = FALSE;

  /* Without the cached report, the counts in history still tell the verdict. */
  if (self->report == NULL && entry->engines > 0)
    {
      self->report = cf_report_new ();
      self->report->sha256 = g_strdup (entry->sha256);
      self->report->stats.malicious = entry->malicious;
      self->report->stats.undetected = MAX (entry->engines - entry->malicious, 0);
    }

  update_page (self);
  update_engines (self);
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

const char *
cf_details_page_get_name (CfDetailsPage *self)
{
  g_return_val_if_fail (CF_IS_DETAILS_PAGE (self), NULL);

  return self->name;
}
