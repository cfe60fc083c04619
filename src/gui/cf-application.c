/* cf-application.c: the running app: one store, scheduler and checker, and its actions
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-application.h"
#include "cf-cli.h"
#include "cf-secret.h"
#include "cf-preferences-window.h"
#include "cf-window.h"

struct _CfApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  CfConfig        config;
  CfStore        *store;
  CfScheduler    *scheduler;
  CfChecker      *checker;
  char           *api_key;
  CfKeyState      key_state;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (CfApplication, cf_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_KEY_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CfWindow *
get_main_window (CfApplication *self,
                 gboolean       create)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CF_IS_WINDOW (l->data))
      return CF_WINDOW (l->data);

  return create ? cf_window_new (self) : NULL;
}

static void
set_key_state (CfApplication *self,
               CfKeyState     state)
{
  if (self->key_state == state)
    return;

  self->key_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STATE]);
}

/* A client is tied to one base URL: build it again when the URL changes. */
static void
rebuild_client (CfApplication *self)
{
  g_autoptr(CfVtClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (self->api_key == NULL)
    {
      cf_checker_set_client (self->checker, NULL);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  client = cf_vt_client_new (self->config.api_url, self->api_key, self->scheduler, &error);
  if (client == NULL)
    {
      g_warning ("Cannot use the VirusTotal address %s: %s",
                 self->config.api_url, error->message);
      cf_checker_set_client (self->checker, NULL);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  cf_checker_set_client (self->checker, client);
  set_key_state (self, CF_KEY_STATE_PRESENT);
}

static void
apply_config (CfApplication *self)
{
  g_autofree char *old_url = g_strdup (self->config.api_url);

  cf_config_clear (&self->config);
  cf_config_init (&self->config);
  cf_config_load (&self->config, self->settings);

  cf_scheduler_set_limits (self->scheduler,
                           self->config.per_minute,
                           self->config.per_day,
                           self->config.per_month);
  cf_scheduler_set_max_wait (self->scheduler, self->config.wait_max);
  cf_checker_set_config (self->checker, &self->config);

  if (old_url != NULL && g_strcmp0 (old_url, self->config.api_url) != 0)
    rebuild_client (self);
}

static void
on_settings_changed (GSettings     *settings,
                     const char    *key,
                     CfApplication *self)
{
  /* Window geometry is no concern of the checks. */
  if (g_str_has_prefix (key, "window-"))
    return;

  apply_config (self);
}

static void
lookup_key_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = cf_api_key_get (cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_free);
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CfApplication *self = CF_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The onboarding page may have stored a key while the keyring was slow. */
  if (self->key_state == CF_KEY_STATE_PRESENT)
    return;

  if (key == NULL)
    {
      g_debug ("No API key yet: %s", error->message);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  cf_application_set_api_key (self, key);
}

static void
lookup_key (CfApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, lookup_key_cb, NULL);

  g_task_set_source_tag (task, lookup_key);
  g_task_run_in_thread (task, lookup_key_thread);
}

/* Actions */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CfApplication *self = CF_APPLICATION (user_data);
  CfWindow *window = get_main_window (self, TRUE);
  GtkWidget *preferences = cf_preferences_window_new (GTK_WINDOW (window), self->checker);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CfApplication *self = CF_APPLICATION (user_data);
  const char *developers[] = { _("The Check First authors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_main_window (self, TRUE),
                        "modal", TRUE,
                        "application-name", _("Check First"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Check First authors"),
                        "developers", developers,
                        "copyright", _("© 2026 The Check First authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/checkfirst/check-first",
                        "issue-url", "https://github.com/checkfirst/check-first/issues",
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CfWindow *window = get_main_window (CF_APPLICATION (user_data), TRUE);

  /* GtkApplicationWindow adds this action when gtk/help-overlay.ui exists. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CfApplication *self = CF_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window cancels its checks and saves its size. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static void
processes_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CfWindow *window = get_main_window (CF_APPLICATION (user_data), TRUE);

  cf_window_show_processes (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
open_report_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CfApplication *self = CF_APPLICATION (user_data);
  const char *sha256 = g_variant_get_string (parameter, NULL);
  g_autofree char *uri = NULL;

  if (!cf_is_sha256 (sha256))
    {
      g_warning ("Not a SHA-256: %s", sha256);
      return;
    }

  uri = g_strdup_printf ("https://www.virustotal.com/gui/file/%s", sha256);
  gtk_show_uri (GTK_WINDOW (get_main_window (self, FALSE)), uri, GDK_CURRENT_TIME);
}

static void
show_check_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  CfWindow *window = get_main_window (CF_APPLICATION (user_data), TRUE);

  cf_window_show_check (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "quit", quit_action },
  { "processes", processes_action },
  { "open-report", open_report_action, "s" },
  { "show-check", show_check_action, "s" },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.back", { "Escape", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

/* GApplication */

static void
cf_application_startup (GApplication *application)
{
  CfApplication *self = CF_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (cf_application_parent_class)->startup (application);

  g_set_application_name (_("Check First"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = cf_settings_new ();
  cf_config_init (&self->config);
  cf_config_load (&self->config, self->settings);

  self->store = cf_store_open (NULL, &error);
  if (self->store == NULL)
    {
      /* Checks still work without history and cache; say why in the log. */
      g_warning ("Cannot open the database: %s", error->message);
      g_clear_error (&error);
      self->store = cf_store_open (":memory:", &error);
      if (self->store == NULL)
        g_error ("Cannot open an in-memory database: %s", error->message);
    }

  self->scheduler = cf_scheduler_new (self->store);
  self->checker = cf_checker_new (self->store, self->scheduler);
  apply_config (self);

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (on_settings_changed), self, 0);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);

  lookup_key (self);
}

static void
cf_application_shutdown (GApplication *application)
{
  CfApplication *self = CF_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (cf_application_parent_class)->shutdown (application);
}

static void
cf_application_activate (GApplication *application)
{
  CfWindow *window = get_main_window (CF_APPLICATION (application), TRUE);

  gtk_window_present (GTK_WINDOW (window));
}

static void
cf_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CfWindow *window = get_main_window (CF_APPLICATION (application), TRUE);

  cf_window_check_files (window, files, n_files, TRUE);
  gtk_window_present (GTK_WINDOW (window));
}

static int
cf_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  /* Headless commands run here, in the calling process, and never need a display. */
  return cf_cli_handle_local_options (application, options);
}

/* Runs in the primary instance, for its own command line and for every later
 * `check-first FILE` that hands its files over. */
static int
cf_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **arguments = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean show_processes = FALSE;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &arguments);
  g_variant_dict_lookup (options, "show-processes", "b", &show_processes);

  for (guint i = 0; arguments != NULL && arguments[i] != NULL; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line,
                                                                            arguments[i]));

  if (files->len > 0)
    g_application_open (application, (GFile **) files->pdata, files->len, "");
  else if (!show_processes)
    g_application_activate (application);

  if (show_processes)
    g_action_group_activate_action (G_ACTION_GROUP (application), "processes", NULL);

  return 0;
}

/* GObject */

static void
cf_application_finalize (GObject *object)
{
  CfApplication *self = CF_APPLICATION (object);

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
  g_clear_object (&self->checker);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  cf_config_clear (&self->config);

  G_OBJECT_CLASS (cf_application_parent_class)->finalize (object);
}

static void
cf_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfApplication *self = CF_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_KEY_STATE:
      g_value_set_int (value, self->key_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_application_class_init (CfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cf_application_finalize;
  object_class->get_property = cf_application_get_property;

  app_class->startup = cf_application_startup;
  app_class->shutdown = cf_application_shutdown;
  app_class->activate = cf_application_activate;
  app_class->open = cf_application_open;
  app_class->handle_local_options = cf_application_handle_local_options;
  app_class->command_line = cf_application_command_line;

  properties[PROP_KEY_STATE] =
    g_param_spec_int ("key-state", NULL, NULL,
                      CF_KEY_STATE_LOOKING_UP, CF_KEY_STATE_PRESENT,
                      CF_KEY_STATE_LOOKING_UP,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_application_init (CfApplication *self)
{
  self->key_state = CF_KEY_STATE_LOOKING_UP;
  self->cancellable = g_cancellable_new ();

  cf_cli_add_options (G_APPLICATION (self));
}

/* Public API */

CfApplication *
cf_application_new (void)
{
  return g_object_new (CF_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/checkfirst/CheckFirst",
                       NULL);
}

CfChecker *
cf_application_get_checker (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->checker;
}

CfStore *
cf_application_get_store (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->store;
}

GSettings *
cf_application_get_settings (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->settings;
}

CfKeyState
cf_application_get_key_state (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), CF_KEY_STATE_MISSING);

  return self->key_state;
}

void
cf_application_set_api_key (CfApplication *self,
                            const char    *key)
{
  g_return_if_fail (CF_IS_APPLICATION (self));

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  if (key != NULL && *key != '\0')
    self->api_key = g_strdup (key);

  rebuild_client (self);
}

void
cf_application_notify_blocked (CfApplication *self,
                               CfCheck       *check)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GIcon) icon = NULL;
  const char *sha256;
  CfReport *report;

  g_return_if_fail (CF_IS_APPLICATION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  sha256 = cf_check_get_sha256 (check);
  report = cf_check_get_report (check);
  name = g_file_get_basename (cf_check_get_file (check));

  switch (cf_check_get_reason (check))
    {
    case CF_REASON_UNKNOWN_BLOCKED:
      body = g_strdup (_("Unknown to VirusTotal (stop unknowns mode)"));
      break;
    case CF_REASON_NO_RESULTS_BLOCKED:
      body = g_strdup (_("No results from VirusTotal yet (stop unknowns mode)"));
      break;
    case CF_REASON_BLOCKED_BY_USER:
      body = g_strdup (_("Blocked by you"));
      break;
    case CF_REASON_DETECTED:
    case CF_REASON_CLEAN:
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_BELOW_THRESHOLD:
    case CF_REASON_TRUSTED:
    default:
      if (report != NULL)
        body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Flagged by %d of %d engine",
                                             "Flagged by %d of %d engines",
                                             cf_stats_engines (&report->stats)),
                                (int) report->stats.malicious, (int) cf_stats_engines (&report->stats));
      else
        body = g_strdup (_("Not opened"));
      break;
    }

  /* Translators: the title of a notification; %s is a file name */
  title = g_strdup_printf (_("Blocked: %s"), name);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  icon = g_themed_icon_new ("security-low-symbolic");
  g_notification_set_icon (notification, icon);

  if (sha256 != NULL)
    {
      g_notification_set_default_action_and_target (notification, "app.show-check", "s", sha256);
      g_notification_add_button_with_target (notification, _("Open on VirusTotal"),
                                             "app.open-report", "s", sha256);
      id = g_strdup_printf ("blocked-%s", sha256);
    }
  else
    {
      id = g_strdup_printf ("blocked-%s", name);
    }

  g_application_send_notification (G_APPLICATION (self), id, notification);
}

void
cf_application_withdraw_blocked (CfApplication *self,
                                 const char    *sha256)
{
  g_autofree char *id = NULL;

  g_return_if_fail (CF_IS_APPLICATION (self));

  if (sha256 == NULL)
    return;

  id = g_strdup_printf ("blocked-%s", sha256);
  g_application_withdraw_notification (G_APPLICATION (self), id);
}
