/* cf-notification.c: a check's verdict as a desktop notification, the same from the window and the service
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The buttons name application actions ("app.show-check" and friends),
 * which the running Check First provides, the window's or the service's:
 * a notification outlives the process that sent it, so each carries all it
 * needs (the file's path and the SHA-256 it was checked as), and the
 * action checks both again before it touches the file.
 */

#define G_LOG_DOMAIN "check-first-notification"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-notification.h"
#include "cf-verdict.h"

/* "from example.org": where a download came from, as the file says. */
static char *
describe_origin (CfCheck *check)
{
  const char *origin = cf_check_get_origin (check);
  g_autoptr(GUri) uri = NULL;

  if (origin == NULL)
    return NULL;
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  /* Translators: where a downloaded file came from; %s is a web site */
  return g_strdup_printf (_("From %s"), uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                                  : origin);
}

static char *
make_title (CfCheck             *check,
            CfNotificationFlags  flags)
{
  const char *name = cf_check_get_name (check);
  gboolean download = (flags & CF_NOTIFICATION_DOWNLOAD) == CF_NOTIFICATION_DOWNLOAD;

  /* Translators: the titles of notifications; %s is a file name */
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    return download ? g_strdup_printf (_("Download not checked: %s"), name)
                    : g_strdup_printf (_("Not checked: %s"), name);
  if (cf_check_get_decision (check) == CF_DECISION_BLOCK)
    return download ? g_strdup_printf (_("Blocked download: %s"), name)
                    : g_strdup_printf (_("Blocked: %s"), name);
  if (flags & CF_NOTIFICATION_OFFER_UPLOAD)
    return g_strdup_printf (_("Unknown to VirusTotal: %s"), name);
  return download ? g_strdup_printf (_("Download checked: %s"), name)
                  : g_strdup_printf (_("Checked: %s"), name);
}

/* The notification for @check, finished.  A block is urgent; whatever
 * else is news the person may act on. */
GNotification *
cf_notification_new (CfCheck             *check,
                     CfNotificationFlags  flags)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *words = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GIcon) icon = NULL;
  GNotification *notification;
  const char *sha256 = cf_check_get_sha256 (check);
  const char *path = cf_check_get_file (check) != NULL ? g_file_peek_path (cf_check_get_file (check)) : NULL;
  CfReport *report = cf_check_get_report (check);
  gboolean failed = cf_check_get_stage (check) != CF_CHECK_STAGE_DONE;
  gboolean blocked = !failed && cf_check_get_decision (check) == CF_DECISION_BLOCK;

  g_return_val_if_fail (CF_IS_CHECK (check), NULL);

  words = blocked ? cf_verdict_describe_blocked (check) : cf_verdict_describe_check (check);
  g_string_append (body, words);
  if (!failed && report != NULL && cf_report_has_results (report))
    {
      g_autofree char *counts = cf_verdict_counts (report);

      g_string_append_printf (body, "\n%s", counts);
    }
  if (flags & CF_NOTIFICATION_DISARMED)
    g_string_append_printf (body, "\n%s", _("Check First took away its permission to run."));
  origin = describe_origin (check);
  if (origin != NULL)
    g_string_append_printf (body, "\n%s", origin);

  title = make_title (check, flags);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, blocked ? G_NOTIFICATION_PRIORITY_HIGH
                                                     : G_NOTIFICATION_PRIORITY_NORMAL);
  icon = g_themed_icon_new (blocked || failed ? "security-low-symbolic"
                                              : cf_verdict_icon_name (cf_check_get_reason (check)));
  g_notification_set_icon (notification, icon);

  if (sha256 == NULL)
    return notification;

  g_notification_set_default_action_and_target (notification, "app.show-check", "s", sha256);
  if (flags & CF_NOTIFICATION_BACKGROUND)
    {
      g_notification_add_button_with_target (notification, _("Show Details"), "app.show-check", "s", sha256);
      if (blocked && path != NULL)
        g_notification_add_button_with_target (notification, _("Move to Trash"), "app.trash-file",
                                               "(ss)", path, sha256);
    }
  /* A report to open only where VirusTotal has one. */
  else if (report != NULL)
    g_notification_add_button_with_target (notification, _("Open on VirusTotal"),
                                           "app.open-report", "s", sha256);

  if ((flags & CF_NOTIFICATION_OFFER_UPLOAD) && path != NULL)
    g_notification_add_button_with_target (notification, _("Upload for Analysis"), "app.upload-file",
                                           "(ss)", path, sha256);
  return notification;
}

/* The id of @check's notification of @kind ("blocked", ...): a newer one
 * of the same file replaces it, and it can be withdrawn. */
char *
cf_notification_id (const char *kind,
                    CfCheck    *check)
{
  const char *sha256 = cf_check_get_sha256 (check);

  return g_strdup_printf ("%s-%s", kind, sha256 != NULL ? sha256 : cf_check_get_name (check));
}
