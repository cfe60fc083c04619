/* cf-window.c: the main window: drop zone, the list of checks, their details
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows the session's checks and history through list models,
 * and decides one thing of its own: which checks it opens when they are
 * allowed (the files the person dropped or opened with Check First).
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-check-row.h"
#include "cf-details-page.h"
#include "cf-display.h"
#include "cf-feedback.h"
#include "cf-hasher.h"
#include "cf-launcher.h"
#include "cf-processes-page.h"
#include "cf-onboarding-page.h"
#include "cf-quota-button.h"
#include "cf-verdict.h"
#include "cf-window.h"

#define HISTORY_ROWS 50

struct _CfWindow
{
  AdwApplicationWindow  parent_instance;

  CfApplication        *application;
  CfSession            *session;
  /* Checks to open once allowed: a set of CfCheck, each with a reference. */
  GHashTable           *to_launch;
  GHashTable           *batched;     /* CfCheck handed over with others */
  GQueue                consent_queue;
  GtkWidget            *consent_dialog;
  GtkFileChooserNative *chooser;
  gboolean              onboarding_requested;
  gboolean              history_requested;

  GtkWidget            *drop_highlight;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *back_button;
  GtkWidget            *open_button;
  GtkWidget            *quota_button;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwBin               *onboarding_bin;
  GtkWidget            *key_notice;
  GtkWidget            *session_header;
  GtkLabel             *batch_label;
  guint                 batch_tick_id;
  GtkListBox           *session_list;
  GtkWidget            *history_header;
  GtkSearchEntry       *history_search;
  GtkWidget            *history_no_match;
  GtkListBox           *history_list;
  GtkFilterListModel   *history_filtered;
  AdwBin               *details_bin;
  AdwBin               *processes_bin;
};

G_DEFINE_FINAL_TYPE (CfWindow, cf_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CfCheckRow *
find_row (CfWindow *self,
          CfCheck  *check)
{
  GtkListBox *lists[] = { self->session_list, self->history_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (lists[i]));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (CF_IS_CHECK_ROW (child) && cf_check_row_get_check (CF_CHECK_ROW (child)) == check)
        return CF_CHECK_ROW (child);

  return NULL;
}

/* The pages the window does not start on are made the first time they
 * are shown: its first frame, with the verdict, waits for none of them.
 * NULL for a page that is always there. */
static GtkWidget *
ensure_page (CfWindow   *self,
             const char *name)
{
  AdwBin *bin = NULL;
  GType type;

  if (g_str_equal (name, "onboarding"))
    {
      bin = self->onboarding_bin;
      type = CF_TYPE_ONBOARDING_PAGE;
    }
  else if (g_str_equal (name, "details"))
    {
      bin = self->details_bin;
      type = CF_TYPE_DETAILS_PAGE;
    }
  else if (g_str_equal (name, "processes"))
    {
      bin = self->processes_bin;
      type = CF_TYPE_PROCESSES_PAGE;
    }
  else
    return NULL;

  if (adw_bin_get_child (bin) == NULL)
    adw_bin_set_child (bin, g_object_new (type, "session", self->session, NULL));
  return adw_bin_get_child (bin);
}

static CfDetailsPage *
get_details_page (CfWindow *self)
{
  return CF_DETAILS_PAGE (ensure_page (self, "details"));
}

/* GTK 4.8 presents the pages a stack hides to assistive technologies as if
 * they showed: hide them explicitly, so a screen reader reads only one. */
static void
set_visible_page (CfWindow   *self,
                  const char *name)
{
  GtkWidget *visible;

  ensure_page (self, name);
  gtk_stack_set_visible_child_name (self->stack, name);
  visible = gtk_stack_get_visible_child (self->stack);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child),
                                 GTK_ACCESSIBLE_STATE_HIDDEN, child != visible,
                                 -1);
}

/* A batch as a whole, under the list's heading: "2 of 6 checked · about
 * 1:30 left", counting down while the budget paces it. */
static gboolean
update_batch (gpointer user_data)
{
  CfWindow *self = user_data;
  guint per_minute = 0;
  g_autofree char *text = NULL;

  cf_scheduler_get_limits (cf_session_get_scheduler (self->session), &per_minute, NULL, NULL);
  text = cf_verdict_describe_batch (cf_session_get_checks (self->session), per_minute, g_get_real_time ());
  gtk_label_set_text (self->batch_label, text != NULL ? text : "");
  /* One file says all in its own row. */
  gtk_widget_set_visible (GTK_WIDGET (self->batch_label),
                          text != NULL && g_list_model_get_n_items (cf_session_get_checks (self->session)) > 1);

  if (text == NULL)
    {
      self->batch_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (self->batch_tick_id == 0)
    self->batch_tick_id = g_timeout_add_seconds (1, update_batch, self);
  return G_SOURCE_CONTINUE;
}

/* Which page the window shows when it is not showing one thing in detail. */
static void
update_view (CfWindow *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);
  CfKeyState key_state = cf_session_get_key_state (self->session);
  gboolean has_session = g_list_model_get_n_items (cf_session_get_checks (self->session)) > 0;
  gboolean has_history = g_list_model_get_n_items (cf_session_get_history (self->session)) > 0;
  const char *page;

  if (key_state == CF_KEY_STATE_PRESENT)
    self->onboarding_requested = FALSE;

  gtk_widget_set_visible (self->key_notice, has_session && key_state == CF_KEY_STATE_MISSING);
  gtk_widget_set_visible (self->session_header, has_session);
  if (self->batch_tick_id == 0)
    update_batch (self);
  gtk_widget_set_visible (GTK_WIDGET (self->session_list), has_session);
  gtk_widget_set_visible (self->history_header, has_history);
  /* Space between the groups, not above the first one. */
  gtk_widget_set_margin_top (self->history_header, has_session ? 18 : 0);
  {
    gboolean shown = g_list_model_get_n_items (G_LIST_MODEL (self->history_filtered)) > 0;

    gtk_widget_set_visible (GTK_WIDGET (self->history_search), has_history);
    gtk_widget_set_visible (GTK_WIDGET (self->history_list), has_history && shown);
    gtk_widget_set_visible (self->history_no_match, has_history && !shown);
  }

  if (g_strcmp0 (visible, "details") == 0 || g_strcmp0 (visible, "processes") == 0)
    return;

  if (self->onboarding_requested)
    page = "onboarding";
  else if (has_session)
    page = "list";
  else if (key_state == CF_KEY_STATE_MISSING)
    page = "onboarding";
  else if (has_history)
    page = "list";
  else
    page = "empty";

  set_visible_page (self, page);

  gtk_widget_set_visible (self->back_button, self->onboarding_requested);
  gtk_widget_set_visible (self->open_button, TRUE);
  adw_window_title_set_subtitle (self->window_title, NULL);
}

static void
show_main_view (CfWindow *self)
{
  self->onboarding_requested = FALSE;
  /* Leave details and processes, then let update_view pick the page. */
  set_visible_page (self, "empty");
  update_view (self);
}

static void
show_page (CfWindow   *self,
           const char *page,
           const char *subtitle)
{
  set_visible_page (self, page);
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_widget_set_visible (self->open_button, FALSE);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
show_details (CfWindow *self,
              CfCheck  *check)
{
  g_object_set (get_details_page (self), "check", check, NULL);
  show_page (self, "details", cf_check_get_name (check));
}

static void
on_row_activated (CfWindow      *self,
                  GtkListBoxRow *row)
{
  if (CF_IS_CHECK_ROW (row))
    show_details (self, cf_check_row_get_check (CF_CHECK_ROW (row)));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return cf_check_row_new (CF_CHECK (item));
}

/* The search of earlier checks: their names, folders and verdicts. */
static gboolean
history_matches (gpointer item,
                 gpointer user_data)
{
  CfWindow *self = user_data;
  CfCheck *check = CF_CHECK (item);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->history_search));
  g_autofree char *needle = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;
  GFile *file = cf_check_get_file (check);

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  verdict = cf_verdict_describe_check (check);
  haystack = g_strjoin ("\n", cf_check_get_name (check) != NULL ? cf_check_get_name (check) : "",
                        file != NULL && g_file_peek_path (file) != NULL ? g_file_peek_path (file) : "",
                        verdict != NULL ? verdict : "",
                        cf_check_get_sha256 (check) != NULL ? cf_check_get_sha256 (check) : "",
                        NULL);
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static void
on_history_search_changed (CfWindow *self)
{
  GtkFilter *filter = gtk_filter_list_model_get_filter (self->history_filtered);

  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
}

/* Upload consent, one question at a time */

static void show_next_consent (CfWindow *self);

static void
on_consent_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CfWindow         *self)
{
  CfCheck *check = g_object_get_data (G_OBJECT (dialog), "check");
  GtkCheckButton *remember = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));
  GSettings *settings = cf_session_get_settings (self->session);
  gboolean upload = g_strcmp0 (response, "upload") == 0;

  if (gtk_check_button_get_active (remember) && settings != NULL)
    g_settings_set_string (settings, "upload-policy", upload ? "always" : "never");

  if (cf_check_get_stage (check) == CF_CHECK_STAGE_ASKING)
    cf_check_answer_upload (check, upload);

  self->consent_dialog = NULL;
  show_next_consent (self);
}

static void
show_next_consent (CfWindow *self)
{
  g_autoptr(CfCheck) check = NULL;
  g_autofree char *size = NULL;
  g_autofree char *body = NULL;
  GtkWidget *remember;
  GtkWidget *dialog;

  if (self->consent_dialog != NULL)
    return;

  /* Skip checks that were cancelled while they waited for their turn. */
  while ((check = g_queue_pop_head (&self->consent_queue)) != NULL &&
         cf_check_get_stage (check) != CF_CHECK_STAGE_ASKING)
    g_clear_object (&check);

  if (check == NULL)
    return;

  size = cf_display_size (MAX (cf_check_get_size (check), 0), FALSE);
  body = g_strdup_printf (_("VirusTotal has never seen “%s” (%s). Upload it for a scan by all engines?\n\n"
                            "Uploaded files are shared with VirusTotal’s security partners and cannot be deleted."),
                          cf_check_get_name (check), size);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Upload for Analysis?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "skip", _("_Don’t Upload"),
                                    "upload", _("_Upload"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "upload",
                                              ADW_RESPONSE_SUGGESTED);
  /* A file leaves the computer only on a deliberate click. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "skip");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "skip");

  remember = gtk_check_button_new_with_label (_("Remember my answer"));
  gtk_widget_set_halign (remember, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), remember);

  g_object_set_data_full (G_OBJECT (dialog), "check", g_steal_pointer (&check), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_consent_response), self, 0);

  self->consent_dialog = dialog;
  cf_feedback_name_buttons (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_upload_consent (CfCheck  *check,
                   CfWindow *self)
{
  g_queue_push_tail (&self->consent_queue, g_object_ref (check));
  show_next_consent (self);
}

/* Opening a checked file */

static void
note_or_toast (CfWindow   *self,
               CfCheck    *check,
               const char *text)
{
  CfCheckRow *row = find_row (self, check);

  if (row != NULL)
    cf_check_row_set_note (row, text);
  else
    cf_window_add_toast (self, adw_toast_new (text));
}

static void
on_app_chooser_response (GtkDialog *dialog,
                         int        response,
                         CfWindow  *self)
{
  CfCheck *check = g_object_get_data (G_OBJECT (dialog), "check");

  if (response == GTK_RESPONSE_OK)
    {
      g_autoptr(GAppInfo) info = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));
      g_autoptr(GAppLaunchContext) context = NULL;
      g_autoptr(GError) error = NULL;
      GList files = { cf_check_get_file (check), NULL, NULL };

      if (info == NULL)
        ;
      else if (g_strcmp0 (g_app_info_get_id (info), APP_ID ".desktop") == 0)
        cf_window_add_toast (self, adw_toast_new (_("Check First only checks files: choose another app to open it")));
      /* The person took a while to choose: the file must still be the one checked. */
      else if (!cf_session_verify_unchanged (self->session, check, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Not opened: %s"), error->message);
          note_or_toast (self, check, text);
        }
      else
        {
          context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
          if (g_app_info_launch (info, &files, context, &error))
            {
              g_autofree char *note = g_strdup_printf (_("Opened in %s"), g_app_info_get_display_name (info));

              cf_check_release_hold (check);
              note_or_toast (self, check, note);
            }
          else
            cf_window_add_toast (self, adw_toast_new (error->message));
        }
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
choose_app (CfWindow *self,
            CfCheck  *check)
{
  GtkWidget *dialog;

  dialog = gtk_app_chooser_dialog_new (GTK_WINDOW (self),
                                       GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       cf_check_get_file (check));
  gtk_app_chooser_dialog_set_heading (GTK_APP_CHOOSER_DIALOG (dialog),
                                      _("No app is set to open this kind of file. Choose one."));
  g_object_set_data_full (G_OBJECT (dialog), "check", g_object_ref (check), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_app_chooser_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static CfCheck *start_check (CfWindow *self,
                             GFile    *file,
                             gboolean  launch,
                             gboolean  batched);

void
cf_window_launch_check (CfWindow *self,
                        CfCheck  *check,
                        gboolean  override)
{
  GFile *file;
  g_autofree char *path = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_WINDOW (self));
  g_return_if_fail (CF_IS_CHECK (check));

  file = cf_check_get_file (check);
  path = file != NULL ? g_file_get_path (file) : NULL;

  if (file == NULL || !g_file_is_native (file) || path == NULL)
    {
      note_or_toast (self, check, _("Checked, but not opened: only files on this computer are opened"));
      return;
    }

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE ||
      (cf_check_get_decision (check) != CF_DECISION_ALLOW && !override))
    return;

  /* The verdict is for the bytes that were hashed: a file that may have
   * changed since then is checked again rather than opened. */
  if (!cf_session_verify_unchanged (self->session, check, &error))
    {
      if (g_error_matches (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED))
        {
          note_or_toast (self, check, _("Changed since it was checked: checking it again"));
          cf_check_release_hold (check);
          start_check (self, file, TRUE, FALSE);
        }
      else
        {
          g_autofree char *text = g_strdup_printf (_("Not opened: %s"), error->message);
          note_or_toast (self, check, text);
        }
      return;
    }

  /* Run anyway: a download Check First took the execute bits of gets them
   * back first, through the hold, so it runs as it came. */
  if (override)
    cf_session_rearm (self->session, check);

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  if (cf_launcher_launch (file, APP_ID ".desktop", context, &error))
    {
      /* Launched, the program has the file: the hold has done its part. */
      cf_check_release_hold (check);
      note_or_toast (self, check, cf_launcher_is_executable (path)
                                  ? (override ? _("Run anyway by you") : _("Started"))
                                  : (override ? _("Opened anyway by you") : _("Opened")));
    }
  else if (g_error_matches (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NO_APPLICATION))
    {
      choose_app (self, check);
    }
  else if (g_error_matches (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NOT_LOCAL))
    {
      note_or_toast (self, check, _("Checked, but not opened: only files on this computer are opened"));
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Not opened: %s"), error->message);
      note_or_toast (self, check, text);
    }
}

/* A check ended: open the file, or block it and say so.  A check that
 * failed keeps its place in the set, for "Try Again" to inherit. */
static void
handle_finished (CfWindow *self,
                 CfCheck  *check)
{
  gboolean alone = !g_hash_table_remove (self->batched, check);

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE ||
      !g_hash_table_steal (self->to_launch, check))
    return;

  if (cf_check_get_decision (check) == CF_DECISION_ALLOW)
    cf_window_launch_check (self, check, FALSE);
  else
    {
      /* The view moves to the block only when it is the one file handed
       * over; in a batch, a toast leads there and the list stays. */
      if (alone)
        show_details (self, check);
      else
        {
          /* Translators: %s is a file name */
          g_autofree char *title = g_strdup_printf (_("“%s” was blocked"), cf_check_get_name (check));
          g_autofree char *view = g_strdup_printf ("win.show-details(uint64 %" G_GUINT64_FORMAT ")",
                                                   cf_check_get_serial (check));
          AdwToast *toast = adw_toast_new (title);

          adw_toast_set_button_label (toast, _("View"));
          adw_toast_set_detailed_action_name (toast, view);
          cf_window_add_toast (self, toast);
        }
      cf_application_notify_blocked (self->application, check);
    }
  g_object_unref (check);
}

static void
on_check_finished (CfSession *session,
                   CfCheck   *check,
                   CfWindow  *self)
{
  if (self->batch_tick_id == 0)
    update_batch (self);
  /* An uploaded file's analysis takes minutes: if the person has turned
   * to something else by then, the desktop tells them how it ended. */
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_DONE &&
      cf_check_get_source (check) == CF_SOURCE_UPLOAD &&
      cf_check_get_decision (check) == CF_DECISION_ALLOW &&
      !gtk_window_is_active (GTK_WINDOW (self)))
    cf_application_notify_checked (self->application, check);
  /* A changed system file is news on the desktop at once, unless its
   * block is announced anyway (and says so). */
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED &&
      !(cf_check_get_stage (check) == CF_CHECK_STAGE_DONE &&
        cf_check_get_decision (check) == CF_DECISION_BLOCK &&
        g_hash_table_contains (self->to_launch, check)))
    cf_application_notify_modified (self->application, check);
  handle_finished (self, check);
}

/* Starting checks */

/* @batched: handed over with other files. */
static CfCheck *
start_check (CfWindow *self,
             GFile    *file,
             gboolean  launch,
             gboolean  batched)
{
  CfSessionCheckFlags flags = CF_SESSION_CHECK_LISTED;
  g_autoptr(CfCheck) check = NULL;

  /* Held from its first byte hashed to its launch (or Run Anyway). */
  if (launch)
    flags |= CF_SESSION_CHECK_TO_LAUNCH;
  check = cf_session_check_file (self->session, file, flags);
  g_signal_connect_object (check, "upload-consent", G_CALLBACK (on_upload_consent), self, 0);
  if (launch)
    g_hash_table_add (self->to_launch, g_object_ref (check));
  if (batched)
    g_hash_table_add (self->batched, g_object_ref (check));

  /* A trusted file can be decided before the window heard of it. */
  if (cf_check_is_finished (check))
    handle_finished (self, check);
  else if (cf_check_get_stage (check) == CF_CHECK_STAGE_ASKING)
    on_upload_consent (check, self);

  return check;
}

void
cf_window_check_files (CfWindow  *self,
                       GFile    **files,
                       guint      n_files,
                       gboolean   launch)
{
  g_return_if_fail (CF_IS_WINDOW (self));

  for (guint i = 0; i < n_files; i++)
    start_check (self, files[i], launch, n_files > 1);

  /* Show the new rows, unless a blocked file's details just took over.
   * A person reading another file's details is not pulled away: a toast
   * says what came in, and leads to the list. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "details") != 0 ||
      n_files == 0)
    show_main_view (self);
  else
    {
      CfCheck *shown = cf_details_page_get_check (get_details_page (self));

      update_view (self);
      if (shown == NULL || cf_check_get_file (shown) == NULL ||
          n_files > 1 || !g_file_equal (cf_check_get_file (shown), files[0]))
        {
          g_autofree char *name = g_file_get_basename (files[0]);
          g_autofree char *title = n_files == 1
            /* Translators: %s is a file name */
            ? g_strdup_printf (_("Checking “%s”"), name)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u file", "Checking %u files",
                                            n_files), n_files);
          AdwToast *toast = adw_toast_new (title);

          adw_toast_set_button_label (toast, _("Show"));
          adw_toast_set_action_name (toast, "win.back");
          cf_window_add_toast (self, toast);
        }
    }
}

/* Drag and drop */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CfWindow      *self)
{
  GSList *list = gdk_file_list_get_files (g_value_get_boxed (value));
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  gtk_widget_set_visible (self->drop_highlight, FALSE);

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  cf_window_check_files (self, (GFile **) files->pdata, files->len, TRUE);

  return TRUE;
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               CfWindow      *self)
{
  gtk_widget_set_visible (self->drop_highlight, TRUE);

  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               CfWindow      *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
}

/* Actions */

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     CfWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      guint n = g_list_model_get_n_items (model);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (model, i));

      cf_window_check_files (self, (GFile **) files->pdata, files->len, TRUE);
    }

  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose Files to Check"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Check"),
                                               _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);

  if (gtk_widget_get_visible (self->back_button))
    show_main_view (self);
}

static gboolean
check_is_finished (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  return cf_check_is_finished (CF_CHECK (key));
}

static void
clear_finished_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);

  cf_session_clear_finished (self->session);
  g_hash_table_foreach_remove (self->to_launch, check_is_finished, NULL);
  /* What was cleared from the list is in the history now. */
  cf_session_load_history (self->session, HISTORY_ROWS);
}

typedef struct
{
  CfWindow *window;
  gboolean  undone;
} HistoryClear;

static void
on_history_clear_undo (AdwToast     *toast,
                       HistoryClear *clear)
{
  clear->undone = TRUE;
  cf_session_restore_history (clear->window->session, HISTORY_ROWS);
}

/* Once the toast is gone without Undo, the history goes for good. */
static void
on_history_clear_dismissed (AdwToast     *toast,
                            HistoryClear *clear)
{
  if (!clear->undone)
    cf_session_clear_history (clear->window->session);
}

static void
history_clear_free (HistoryClear *clear)
{
  g_clear_object (&clear->window);
  g_free (clear);
}

/* Clearing the history asks nothing: it can be undone for a while, and
 * is done for good when the toast goes (or the window closes). */
static void
clear_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  HistoryClear *clear = g_new0 (HistoryClear, 1);
  AdwToast *toast;

  clear->window = g_object_ref (self);
  gtk_editable_set_text (GTK_EDITABLE (self->history_search), "");
  cf_session_hide_history (self->session);
  toast = cf_feedback_undo_toast (_("History cleared"), G_CALLBACK (on_history_clear_undo), clear,
                                  (GDestroyNotify) history_clear_free);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_history_clear_dismissed), clear);
  cf_window_add_toast (self, toast);
}

static void
show_onboarding_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);

  self->onboarding_requested = TRUE;
  set_visible_page (self, "onboarding");
  update_view (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "details") == 0)
    cf_details_page_focus_search (get_details_page (self));
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0 &&
           gtk_widget_get_visible (GTK_WIDGET (self->history_search)))
    gtk_widget_grab_focus (GTK_WIDGET (self->history_search));
}

static void
open_shown_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  CfCheck *check = cf_details_page_get_check (get_details_page (self));

  if (check != NULL)
    cf_window_launch_check (self, check, FALSE);
}

/* "(sss)": a title, and a button's label and detailed action, or "". */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  const char *title, *button, *action;
  AdwToast *toast;

  g_variant_get (parameter, "(&s&s&s)", &title, &button, &action);
  toast = adw_toast_new (title);
  if (*button != '\0' && *action != '\0')
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_detailed_action_name (toast, action);
    }
  cf_window_add_toast (CF_WINDOW (widget), toast);
}

/* "t": a check's serial. */
static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  CfCheck *check = cf_session_find_check (self->session, g_variant_get_uint64 (parameter));

  if (check != NULL)
    show_details (self, check);
}

/* "(tb)": a check's serial, and whether the person overrides its block. */
static void
launch_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  guint64 serial;
  gboolean override;
  CfCheck *check;

  g_variant_get (parameter, "(tb)", &serial, &override);
  check = cf_session_find_check (self->session, serial);
  if (check != NULL)
    cf_window_launch_check (self, check, override);
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  CfCheck *check = cf_session_find_check (self->session, g_variant_get_uint64 (parameter));
  g_autoptr(CfCheck) old = NULL;
  gboolean launch;

  if (check == NULL || cf_check_get_file (check) == NULL)
    return;

  /* A check of this session that failed keeps its purpose; history never
   * launches by itself. */
  old = g_object_ref (check);
  launch = g_hash_table_remove (self->to_launch, old);
  start_check (self, cf_check_get_file (old), launch, FALSE);
  if (cf_check_get_kind (old) != CF_CHECK_KIND_HISTORY)
    cf_session_remove_check (self->session, old);
  show_main_view (self);
}

static void
cancel_check_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CfWindow *self = CF_WINDOW (widget);
  CfCheck *check = cf_session_find_check (self->session, g_variant_get_uint64 (parameter));

  if (check != NULL && !cf_check_is_finished (check))
    cf_check_cancel (check);
}

/* Window */

static gboolean
cf_window_close_request (GtkWindow *window)
{
  CfWindow *self = CF_WINDOW (window);
  GSettings *settings = cf_session_get_settings (self->session);
  GListModel *checks = cf_session_get_checks (self->session);

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (settings);
    }

  /* Closing the window is the end of its checks. */
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (checks, i);

      if (!cf_check_is_finished (check))
        cf_check_cancel (check);
    }

  return GTK_WINDOW_CLASS (cf_window_parent_class)->close_request (window);
}

static void
cf_window_constructed (GObject *object)
{
  CfWindow *self = CF_WINDOW (object);
  GSettings *settings;
  GtkDropTarget *drop;

  G_OBJECT_CLASS (cf_window_parent_class)->constructed (object);

  self->session = g_object_ref (cf_application_get_session (self->application));
  settings = cf_session_get_settings (self->session);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  g_signal_connect_object (drop, "enter", G_CALLBACK (on_drop_enter), self, 0);
  g_signal_connect_object (drop, "leave", G_CALLBACK (on_drop_leave), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_list_box_bind_model (self->session_list, cf_session_get_checks (self->session),
                           create_row, self, NULL);
  self->history_filtered = gtk_filter_list_model_new (g_object_ref (cf_session_get_history (self->session)),
                                                      GTK_FILTER (gtk_custom_filter_new (history_matches, self, NULL)));
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (self->history_filtered),
                           create_row, self, NULL);
  g_signal_connect_object (cf_session_get_checks (self->session), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cf_session_get_history (self->session), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "check-finished",
                           G_CALLBACK (on_check_finished), self, 0);
  g_signal_connect_object (self->session, "notify::key-state",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);

  g_object_set (self->quota_button, "session", self->session, NULL);
  update_view (self);
}

/* Earlier checks are not what the window opens for: they are read once
 * its first frame, with the verdict it was started for, is on screen. */
static void
on_first_paint (GdkFrameClock *clock,
                CfWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  if (!self->history_requested)
    cf_session_load_history (self->session, HISTORY_ROWS);
  self->history_requested = TRUE;
}

static void
cf_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cf_window_parent_class)->realize (widget);

  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (on_first_paint), widget, 0);
}

static void
cf_window_dispose (GObject *object)
{
  CfWindow *self = CF_WINDOW (object);

  g_clear_handle_id (&self->batch_tick_id, g_source_remove);
  g_queue_clear_full (&self->consent_queue, g_object_unref);
  if (self->history_list != NULL)
    gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->history_filtered);
  g_clear_pointer (&self->to_launch, g_hash_table_unref);
  g_clear_pointer (&self->batched, g_hash_table_unref);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_WINDOW);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_window_parent_class)->dispose (object);
}

static void
cf_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CfWindow *self = CF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_OBJECT:
      self->application = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_window_class_init (CfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cf_window_constructed;
  object_class->dispose = cf_window_dispose;
  object_class->set_property = cf_window_set_property;
  widget_class->realize = cf_window_realize;
  window_class->close_request = cf_window_close_request;

  /* The application as a CfApplication, for use before "application" is set. */
  properties[PROP_APPLICATION_OBJECT] =
    g_param_spec_object ("cf-application", NULL, NULL, CF_TYPE_APPLICATION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CF_TYPE_CHECK_ROW);
  g_type_ensure (CF_TYPE_QUOTA_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CfWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, quota_button);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, onboarding_bin);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, key_notice);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, session_header);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, batch_label);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, session_list);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, history_header);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, history_search);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, history_no_match);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, processes_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_history_search_changed);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, clear_finished_action);
  gtk_widget_class_install_action (widget_class, "win.clear-history", NULL, clear_history_action);
  gtk_widget_class_install_action (widget_class, "win.show-onboarding", NULL, show_onboarding_action);
  gtk_widget_class_install_action (widget_class, "win.open-shown", NULL, open_shown_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "(sss)", toast_action);
  gtk_widget_class_install_action (widget_class, "win.launch", "(tb)", launch_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", "t", show_details_action);
  gtk_widget_class_install_action (widget_class, "win.check-again", "t", check_again_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-check", "t", cancel_check_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
cf_window_init (CfWindow *self)
{
  g_queue_init (&self->consent_queue);
  self->to_launch = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->batched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

CfWindow *
cf_window_new (CfApplication *application)
{
  g_return_val_if_fail (CF_IS_APPLICATION (application), NULL);

  return g_object_new (CF_TYPE_WINDOW,
                       "application", application,
                       "cf-application", application,
                       NULL);
}

gboolean
cf_window_show_check (CfWindow   *self,
                      const char *sha256)
{
  CfCheck *check;

  g_return_val_if_fail (CF_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  check = cf_session_find_sha256 (self->session, sha256);
  if (check == NULL)
    return FALSE;

  show_details (self, check);

  return TRUE;
}

void
cf_window_show_processes (CfWindow *self)
{
  g_return_if_fail (CF_IS_WINDOW (self));

  show_page (self, "processes", _("Running Processes"));
}

void
cf_window_add_toast (CfWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CF_IS_WINDOW (self));

  cf_feedback_add_toast (GTK_WIDGET (self->toast_overlay), toast);
}
