/* cf-application.c: the running app: one session, its windows and its actions
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-application.h"
#include "cf-cli.h"
#include "cf-notification.h"
#include "cf-service.h"
#include "cf-preferences-window.h"
#include "cf-verdict.h"
#include "cf-window.h"

struct _CfApplication
{
  AdwApplication  parent_instance;

  CfSession      *session;
  CfService      *service;    /* NULL in a process that is not the primary instance */
};

G_DEFINE_FINAL_TYPE (CfApplication, cf_application, ADW_TYPE_APPLICATION)

/* A service with nothing to do stays this long for the next caller. */
#define CF_SERVICE_IDLE_MS (60 * 1000)

static CfWindow *
get_main_window (CfApplication *self,
                 gboolean       create)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CF_IS_WINDOW (l->data))
      return CF_WINDOW (l->data);

  return create ? cf_window_new (self) : NULL;
}

/* Actions */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CfApplication *self = CF_APPLICATION (user_data);
  CfWindow *window = get_main_window (self, TRUE);
  GtkWidget *preferences = cf_preferences_window_new (GTK_WINDOW (window), self->session);

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

static void
withdraw_blocked_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  cf_application_withdraw_blocked (CF_APPLICATION (user_data),
                                   g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "quit", quit_action },
  { "processes", processes_action },
  { "open-report", open_report_action, "s" },
  { "show-check", show_check_action, "s" },
  { "withdraw-blocked", withdraw_blocked_action, "s" },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.back", { "Escape", "<Alt>Left", NULL } },
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

  /* Checks still work without history and cache when the database cannot
   * be opened; the session says why in the log. */
  self->session = cf_session_new (NULL, CF_SESSION_FOLLOW_SETTINGS | CF_SESSION_MEMORY_FALLBACK |
                                     CF_SESSION_WRITE_BEHIND | CF_SESSION_READ_ACCOUNT,
                                  &error);
  if (self->session == NULL)
    g_error ("Cannot start a session: %s", error->message);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);

  cf_session_lookup_key (self->session);

  /* The primary instance answers on the bus and watches the downloads. */
  if (self->service != NULL)
    cf_service_start (self->service, self->session);
  /* Started for the bus or at login: gone a while after its last caller,
   * unless it is watching (the service holds the application then). */
  if (g_application_get_flags (application) & G_APPLICATION_IS_SERVICE)
    g_application_set_inactivity_timeout (application, CF_SERVICE_IDLE_MS);
}

static gboolean
cf_application_dbus_register (GApplication     *application,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  CfApplication *self = CF_APPLICATION (application);

  if (!G_APPLICATION_CLASS (cf_application_parent_class)->dbus_register (application, connection,
                                                                         object_path, error))
    return FALSE;

  /* Exported before the name is ours, so that no call finds it missing. */
  g_clear_object (&self->service);
  self->service = cf_service_new (application);
  return cf_service_export (self->service, connection, error);
}

static void
cf_application_dbus_unregister (GApplication    *application,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  CfApplication *self = CF_APPLICATION (application);

  /* Another process is the primary instance: it answers, not us. */
  if (self->service != NULL)
    cf_service_unexport (self->service);
  g_clear_object (&self->service);

  G_APPLICATION_CLASS (cf_application_parent_class)->dbus_unregister (application, connection, object_path);
}

static void
cf_application_shutdown (GApplication *application)
{
  CfApplication *self = CF_APPLICATION (application);

  /* Whatever is still being written to the database is written now. */
  if (self->session != NULL)
    cf_session_shutdown (self->session);

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

/* Whether a Check First owns the name on the session bus already. */
static gboolean
service_is_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", APP_ID),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static int
cf_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  g_auto(GStrv) files = NULL;
  int status;

  /* Headless commands run here, in the calling process, and never need a display. */
  status = cf_cli_handle_local_options (application, options);
  if (status >= 0 || !g_variant_dict_contains (options, "service"))
    return status;

  /* The background service: the primary instance, without a window until
   * one is asked for.  It shows windows and notifications, so it needs the
   * desktop; a server without one has --watch. */
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &files) && files[0] != NULL)
    {
      g_printerr ("check-first: %s\n", _("--service takes no FILE."));
      return CF_EXIT_USAGE;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("check-first: %s\n",
                  _("--service needs a graphical session; on a server without one, use --watch."));
      return CF_EXIT_USAGE;
    }
  if (service_is_running ())
    {
      /* Started twice (login and a file manager, say): one is enough. */
      g_printerr ("check-first: %s\n", _("Check First already runs in the background."));
      return 0;
    }
  g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_IS_SERVICE);
  return -1;
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

  g_clear_object (&self->service);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_application_parent_class)->finalize (object);
}

static void
cf_application_class_init (CfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cf_application_finalize;

  app_class->startup = cf_application_startup;
  app_class->shutdown = cf_application_shutdown;
  app_class->activate = cf_application_activate;
  app_class->open = cf_application_open;
  app_class->handle_local_options = cf_application_handle_local_options;
  app_class->command_line = cf_application_command_line;
  app_class->dbus_register = cf_application_dbus_register;
  app_class->dbus_unregister = cf_application_dbus_unregister;

}

static void
cf_application_init (CfApplication *self)
{
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

CfSession *
cf_application_get_session (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->session;
}

/* A verdict on the desktop: a block always, an allowed file only when the
 * person was not there to see it (a long analysis, the window in the
 * background). */
static void
notify_verdict (CfApplication *self,
                CfCheck       *check,
                gboolean       blocked)
{
  g_autoptr(GNotification) notification = cf_notification_new (check, CF_NOTIFICATION_NONE);
  g_autofree char *id = cf_notification_id (blocked ? "blocked" : "checked", check);

  g_application_send_notification (G_APPLICATION (self), id, notification);
}

void
cf_application_notify_blocked (CfApplication *self,
                               CfCheck       *check)
{
  g_return_if_fail (CF_IS_APPLICATION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  notify_verdict (self, check, TRUE);
}

void
cf_application_notify_checked (CfApplication *self,
                               CfCheck       *check)
{
  g_return_if_fail (CF_IS_APPLICATION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  notify_verdict (self, check, FALSE);
}

/* A system file that is no longer what its package installed: said on
 * the desktop at once, whatever VirusTotal answered, for a file opened
 * or a running program alike. */
void
cf_application_notify_modified (CfApplication *self,
                                CfCheck       *check)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char *sha256;

  g_return_if_fail (CF_IS_APPLICATION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  sha256 = cf_check_get_sha256 (check);
  /* Translators: the title of a notification; %s is a file name */
  title = g_strdup_printf (_("Modified packaged file: %s"), cf_check_get_name (check));
  body = cf_verdict_describe_check (check);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  icon = g_themed_icon_new ("dialog-warning-symbolic");
  g_notification_set_icon (notification, icon);
  if (sha256 != NULL)
    g_notification_set_default_action_and_target (notification, "app.show-check", "s", sha256);
  id = g_strdup_printf ("modified-%s", sha256 != NULL ? sha256 : cf_check_get_name (check));
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
