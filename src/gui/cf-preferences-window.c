/* cf-preferences-window.c: the Preferences window: protection, uploads, account, advanced
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cf-config.h"
#include "cf-downloads-group.h"
#include "cf-feedback.h"
#include "cf-preferences-window.h"
#include "cf-verdict.h"
#include "cf-secret.h"
#include "cf-vt-client.h"

struct _CfPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  CfSession            *session;
  GSettings            *settings;     /* NULL when the schema is not installed */
  GCancellable         *cancellable;
  guint                 usage_timeout_id;
  gboolean              verifying;

  AdwPreferencesGroup  *no_schema_group;
  AdwPreferencesGroup  *protection_group;
  CfDownloadsGroup     *downloads_group;
  AdwPreferencesGroup  *uploads_group;
  AdwPreferencesGroup  *cache_group;
  AdwPreferencesGroup  *server_group;
  AdwPreferencesGroup  *age_group;
  GtkSpinButton        *stale_after_spin;
  GtkSwitch            *rescan_stale_switch;
  AdwComboRow          *mode_row;
  GtkSpinButton        *threshold_spin;
  GtkSwitch            *count_suspicious_switch;
  GtkSwitch            *skip_packaged_switch;
  AdwComboRow          *upload_row;
  AdwActionRow         *key_status_row;
  GtkSpinner           *key_spinner;
  GtkWidget            *remove_key_button;
  AdwEntryRow          *key_entry_row;
  AdwComboRow          *plan_row;
  AdwActionRow         *per_minute_row;
  AdwActionRow         *per_day_row;
  AdwActionRow         *per_month_row;
  GtkSpinButton        *per_minute_spin;
  GtkSpinButton        *per_day_spin;
  GtkSpinButton        *per_month_spin;
  AdwActionRow         *usage_row;
  AdwActionRow         *allowance_row;
  GtkSpinButton        *ttl_detected_spin;
  GtkSpinButton        *ttl_clean_spin;
  GtkSpinButton        *ttl_unknown_spin;
  AdwEntryRow          *api_url_row;
  GtkSpinButton        *wait_max_spin;
  AdwPreferencesGroup  *trust_group;
  GPtrArray            *trust_rows;
};

G_DEFINE_FINAL_TYPE (CfPreferencesWindow, cf_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Combo row positions, in the order of the .ui's string lists. */
static const char * const mode_nicks[] = { "normal", "stop-unknowns", NULL };
static const char * const upload_nicks[] = { "never", "ask", "always", NULL };
static const char * const plan_nicks[] = { "public", "premium", NULL };

#define SECONDS_PER_MINUTE 60
#define SECONDS_PER_HOUR   3600
#define SECONDS_PER_DAY    86400

/* Settings mappings */

static gboolean
enum_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_strcmp0 (nicks[i], nick) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
position_to_enum (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

/* A "u" key in seconds (or a plain count, with a unit of 1) shown in a spin
 * button in minutes, hours or days. */
static gboolean
uint_to_units (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  guint unit = GPOINTER_TO_UINT (user_data);

  g_value_set_double (value, (double) g_variant_get_uint32 (variant) / unit);

  return TRUE;
}

static GVariant *
units_to_uint (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  guint unit = GPOINTER_TO_UINT (user_data);
  double seconds = round (g_value_get_double (value) * unit);

  return g_variant_new_uint32 ((guint32) CLAMP (seconds, 0, G_MAXUINT32));
}

static gboolean
plan_to_premium (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "premium") == 0);

  return TRUE;
}

static void
bind_enum (CfPreferencesWindow *self,
           const char          *key,
           AdwComboRow         *row,
           const char * const  *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                enum_to_position, position_to_enum,
                                (gpointer) nicks, NULL);
}

static void
bind_spin (CfPreferencesWindow *self,
           const char          *key,
           GtkSpinButton       *spin,
           guint                unit)
{
  g_settings_bind_with_mapping (self->settings, key,
                                gtk_spin_button_get_adjustment (spin), "value",
                                G_SETTINGS_BIND_DEFAULT,
                                uint_to_units, units_to_uint,
                                GUINT_TO_POINTER (unit), NULL);
}

/* Every choice row shows its value the same way: the choice's short name
 * beside the title, and under it, in words, what that choice does. */
static void
describe_choice (AdwComboRow *row,
                 GParamSpec  *pspec,
                 const char **descriptions)
{
  guint selected = adw_combo_row_get_selected (row);
  guint n = g_strv_length ((char **) descriptions);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), selected < n ? _(descriptions[selected]) : "");
}

static void
follow_choice (AdwComboRow  *row,
               const char  **descriptions)
{
  g_signal_connect (row, "notify::selected", G_CALLBACK (describe_choice), descriptions);
  describe_choice (row, NULL, descriptions);
}

static const char *mode_descriptions[] = {
  N_("Files no engine flags open, and so do files VirusTotal has never seen"),
  N_("Files VirusTotal has never seen are blocked too"),
  NULL
};

static const char *upload_descriptions[] = {
  N_("A file VirusTotal does not know stays on this computer"),
  N_("You are asked before a file leaves this computer"),
  N_("A file VirusTotal does not know is uploaded for a scan"),
  NULL
};

static const char *plan_descriptions[] = {
  N_("4 lookups a minute, 500 a day, 15 500 a month"),
  N_("The limits of your key, set below"),
  NULL
};

static void
bind_settings (CfPreferencesWindow *self)
{
  bind_enum (self, "mode", self->mode_row, mode_nicks);
  bind_spin (self, "threshold", self->threshold_spin, 1);
  g_settings_bind (self->settings, "count-suspicious",
                   self->count_suspicious_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "skip-packaged",
                   self->skip_packaged_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  bind_enum (self, "upload-policy", self->upload_row, upload_nicks);

  bind_enum (self, "api-plan", self->plan_row, plan_nicks);
  bind_spin (self, "premium-per-minute", self->per_minute_spin, 1);
  bind_spin (self, "premium-per-day", self->per_day_spin, 1);
  bind_spin (self, "premium-per-month", self->per_month_spin, 1);

  /* The premium limits mean nothing on the public plan: shown only with
   * a premium key, not greyed out under the public one. */
  {
    AdwActionRow *premium_rows[] = { self->per_minute_row, self->per_day_row, self->per_month_row };

    for (guint i = 0; i < G_N_ELEMENTS (premium_rows); i++)
      g_settings_bind_with_mapping (self->settings, "api-plan", premium_rows[i], "visible",
                                    G_SETTINGS_BIND_GET, plan_to_premium, NULL, NULL, NULL);
  }

  bind_spin (self, "cache-ttl-detected", self->ttl_detected_spin, SECONDS_PER_HOUR);
  bind_spin (self, "cache-ttl-clean", self->ttl_clean_spin, SECONDS_PER_DAY);
  bind_spin (self, "cache-ttl-unknown", self->ttl_unknown_spin, SECONDS_PER_HOUR);
  bind_spin (self, "analysis-wait-max", self->wait_max_spin, SECONDS_PER_MINUTE);
  bind_spin (self, "stale-after-days", self->stale_after_spin, 1);
  g_settings_bind (self->settings, "rescan-stale", self->rescan_stale_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

/* Without a schema there is nothing to bind: say so, and leave only what
 * does not need GSettings (the key, the quota) usable. */
static void
show_settings_missing (CfPreferencesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->no_schema_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->protection_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->downloads_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->uploads_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->plan_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->per_minute_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->per_day_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->per_month_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cache_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->age_group), FALSE);
}

/* The API address: checked before it is saved, so it is not bound */

static void
load_api_url (CfPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "api-url");

  if (g_strcmp0 (url, gtk_editable_get_text (GTK_EDITABLE (self->api_url_row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), url);
}

static void
on_api_url_setting_changed (CfPreferencesWindow *self)
{
  load_api_url (self);
}

static void
on_api_url_changed (CfPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_row), "error");
}

static void
add_toast (CfPreferencesWindow *self,
           const char          *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  cf_feedback_add_toast (GTK_WIDGET (self), toast);
}

static void
on_api_url_apply (CfPreferencesWindow *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (self->settings == NULL)
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_url_row))));

  if (url[0] != '\0' && !cf_vt_check_base_url (url, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_row), "error");
      add_toast (self, error->message);
      return;
    }

  g_settings_set_string (self->settings, "api-url", url);
  add_toast (self, url[0] == '\0' ? _("Using VirusTotal’s own address")
                                  : _("API address saved"));
}

/* Quota */

static void
update_usage (CfPreferencesWindow *self)
{
  CfScheduler *scheduler;
  CfQuotaUsage usage = { 0 };
  g_autofree char *minute = NULL;
  g_autofree char *day = NULL;
  g_autofree char *month = NULL;
  g_autofree char *text = NULL;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->usage_row), FALSE);
      return;
    }

  scheduler = cf_session_get_scheduler (self->session);
  cf_scheduler_get_usage (scheduler, &usage);

  minute = cf_verdict_describe_used (usage.minute_used, usage.per_minute);
  day = cf_verdict_describe_used (usage.day_used, usage.per_day);
  month = cf_verdict_describe_used (usage.month_used, usage.per_month);

  /* Translators: the three parts are "2 of 4", "37 of 500" and "412 of 15 500" */
  text = g_strdup_printf (_("Used this minute %s · today %s · this month %s"),
                          minute, day, month);

  if (usage.paused_until > cf_scheduler_now (scheduler))
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (usage.paused_until / G_USEC_PER_SEC);
      g_autofree char *clock_text = g_date_time_format (until, "%X");
      g_autofree char *paused = NULL;
      char *joined;

      /* Translators: after the usage line; %s is a time of day */
      paused = g_strdup_printf (_("VirusTotal asked to wait: requests start again at %s"), clock_text);
      joined = g_strconcat (text, "\n", paused, NULL);

      g_free (text);
      text = joined;
    }

  adw_action_row_set_subtitle (self->usage_row, text);
}

/* What VirusTotal said the key may spend, and when; or why it could not
 * be read, and what stands meanwhile. */
static void
update_allowance (CfPreferencesWindow *self)
{
  CfAccount *account;
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;
  const GError *error;
  gboolean can_read;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->allowance_row), FALSE);
      return;
    }

  account = cf_session_get_account (self->session);
  what = cf_account_describe (account, TRUE);
  error = cf_account_get_error (account);
  if (what != NULL)
    {
      g_autoptr(GDateTime) read = g_date_time_new_from_unix_local (cf_account_get_read (account));
      /* Translators: a date and time, see strftime(3) */
      g_autofree char *when = g_date_time_format (read, _("%-d %B %Y, %H:%M"));

      /* Translators: "240 requests an hour, 500 a day, 15500 a month · read 6 December 2026, 14:03" */
      text = g_strdup_printf (_("%s · read %s"), what, when);
    }
  else if (cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT)
    text = g_strdup (_("Not read yet: your plan’s limits apply until VirusTotal says"));
  else
    text = g_strdup (_("Known once a key is saved"));

  if (error != NULL)
    {
      char *joined = g_strconcat (text, "\n", error->message, NULL);

      g_free (text);
      text = joined;
    }
  adw_action_row_set_subtitle (self->allowance_row, text);

  can_read = cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT &&
             !cf_account_is_reading (account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.read-allowance", can_read);
}

static void
read_allowance_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CfPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The account keeps its failure, which the row shows. */
  cf_session_read_account_finish (CF_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  update_allowance (self);
}

static void
read_allowance_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);

  if (self->session == NULL)
    return;
  cf_session_read_account_async (self->session, TRUE, self->cancellable, read_allowance_cb,
                                 g_object_ref (self));
  update_allowance (self);
}

static gboolean
usage_timeout_cb (gpointer user_data)
{
  update_usage (CF_PREFERENCES_WINDOW (user_data));

  return G_SOURCE_CONTINUE;
}

/* The API key */

typedef enum
{
  KEY_STATUS_PLAIN,
  KEY_STATUS_OK,
  KEY_STATUS_ERROR,
  KEY_STATUS_BUSY,
} KeyStatus;

static void
set_key_status (CfPreferencesWindow *self,
                KeyStatus            status,
                const char          *text)
{
  const char *icon_name = NULL;

  if (status == KEY_STATUS_OK)
    icon_name = "emblem-ok-symbolic";
  else if (status == KEY_STATUS_ERROR)
    icon_name = "dialog-warning-symbolic";

  adw_action_row_set_icon_name (self->key_status_row, icon_name);
  adw_action_row_set_subtitle (self->key_status_row, text);

  gtk_spinner_set_spinning (self->key_spinner, status == KEY_STATUS_BUSY);
  gtk_widget_set_visible (GTK_WIDGET (self->key_spinner), status == KEY_STATUS_BUSY);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_entry_row), status != KEY_STATUS_BUSY);
}

/* Offered only when there is something to remove. */
static void
set_can_remove_key (CfPreferencesWindow *self,
                    gboolean             can_remove)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-key", can_remove);
  gtk_widget_set_visible (self->remove_key_button, can_remove);
}

static void
key_lookup_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CfPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = cf_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CF_PREFERENCES_WINDOW (user_data);

  if (key != NULL)
    {
      set_key_status (self, KEY_STATUS_OK, _("A key is saved in your keyring."));
      set_can_remove_key (self, TRUE);
    }
  else if (g_error_matches (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING))
    {
      /* A key typed below can still be checked and used until Check First quits. */
      set_key_status (self, KEY_STATUS_ERROR, error->message);
    }
  else
    {
      set_key_status (self, KEY_STATUS_PLAIN,
                      _("No key is saved. Get a free one at virustotal.com and paste it below."));
    }
}

static void
refresh_key_status (CfPreferencesWindow *self)
{
  set_can_remove_key (self, FALSE);

  if (cf_api_key_from_environment ())
    {
      /* The keyring still matters for runs without the variable. */
      set_key_status (self, KEY_STATUS_PLAIN,
                      _("The VT_API_KEY environment variable is set, so Check First uses that "
                        "key and ignores the one saved here."));
      return;
    }

  cf_secret_lookup_async (self->cancellable, key_lookup_cb, self);
}

/* VirusTotal's own words suit the main window; here the person has the key
 * in hand, so say what to do with it. */
static const char *
describe_key_error (const GError *error)
{
  if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY))
    return _("VirusTotal did not accept this key. Copy it again from your VirusTotal "
             "profile, where it is shown under “API key”.");

  return error->message;
}

static void
key_verified_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CfPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean verified = FALSE;

  if (!cf_session_verify_and_store_key_finish (CF_SESSION (source), result, &verified, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CF_PREFERENCES_WINDOW (user_data);
  self->verifying = FALSE;

  if (error == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->key_entry_row), "");
      set_key_status (self, KEY_STATUS_OK,
                      cf_api_key_from_environment ()
                      ? _("The key works and is saved in your keyring. VT_API_KEY is still "
                          "set in the environment and is used instead.")
                      : _("The key works and is saved in your keyring."));
      set_can_remove_key (self, TRUE);
      add_toast (self, _("API key saved"));
    }
  else if (verified)
    {
      g_autofree char *text = NULL;

      /* The key is good: use it now even though it cannot be kept. */
      text = g_strdup_printf (_("The key works and is used until Check First quits, but it "
                                "could not be saved. %s"),
                              error->message);
      set_key_status (self, KEY_STATUS_ERROR, text);
    }
  else
    {
      g_autofree char *text = NULL;

      /* Translators: %s says what VirusTotal (or the check) answered */
      text = g_strdup_printf (_("The key was not saved. %s"), describe_key_error (error));
      set_key_status (self, KEY_STATUS_ERROR, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->key_entry_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->key_entry_row));
    }
}

static void
on_key_entry_apply (CfPreferencesWindow *self)
{
  g_autofree char *key = NULL;

  key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_entry_row))));
  if (key[0] == '\0' || self->verifying || self->session == NULL)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry_row), "error");
  set_key_status (self, KEY_STATUS_BUSY, _("Checking the key with VirusTotal…"));

  self->verifying = TRUE;
  cf_session_verify_and_store_key_async (self->session, key, self->cancellable,
                                         key_verified_cb, self);
  memset (key, 0, strlen (key));
}

static void
on_key_entry_changed (CfPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry_row), "error");
}

static void
key_cleared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CfPreferencesWindow *self;
  g_autoptr(GError) error = NULL;

  if (!cf_secret_clear_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CF_PREFERENCES_WINDOW (user_data);

  if (error != NULL)
    {
      set_key_status (self, KEY_STATUS_ERROR, error->message);
      return;
    }

  add_toast (self, _("API key removed"));
  refresh_key_status (self);
  if (!cf_api_key_from_environment () && self->session != NULL)
    cf_session_set_api_key (self->session, NULL);
}

static void
remove_key_response_cb (AdwMessageDialog    *dialog,
                        const char          *response,
                        CfPreferencesWindow *self)
{
  if (g_strcmp0 (response, "remove") != 0)
    return;

  set_key_status (self, KEY_STATUS_BUSY, _("Removing the key…"));
  cf_secret_clear_async (self->cancellable, key_cleared_cb, self);
}

static void
remove_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cf_feedback_confirm (widget, _("Remove the API Key?"),
                       _("Check First cannot check files until you save a key again. "
                         "The key itself keeps working: you can copy it again from "
                         "your VirusTotal profile."),
                       "remove", _("_Remove"), G_CALLBACK (remove_key_response_cb), widget);
}

/* The trust list: every file allowed or blocked by its SHA-256, with
 * its name and date, each one removable (and back on Undo). */

static char *
trust_subtitle (const CfTrustEntry *entry)
{
  g_autoptr(GDateTime) date = entry->time > 0 ? g_date_time_new_from_unix_local (entry->time) : NULL;
  /* Translators: a date, see strftime(3); %-d is the day without padding */
  g_autofree char *when = date != NULL ? g_date_time_format (date, _("%-d %B %Y")) : NULL;
  const char *what = entry->trust == CF_TRUST_ALLOW ? _("Always allowed") : _("Always blocked");

  if (when == NULL)
    /* Translators: "Always allowed · SHA-256 275a021b…" */
    return g_strdup_printf (_("%s · SHA-256 %.12s…"), what, entry->sha256);
  /* Translators: "Always allowed since 3 December 2026 · SHA-256 275a021b…" */
  return g_strdup_printf (_("%s since %s · SHA-256 %.12s…"), what, when, entry->sha256);
}

static void
load_trust_list (CfPreferencesWindow *self)
{
  g_autoptr(GPtrArray) entries = NULL;

  for (guint i = 0; i < self->trust_rows->len; i++)
    adw_preferences_group_remove (self->trust_group, self->trust_rows->pdata[i]);
  g_ptr_array_set_size (self->trust_rows, 0);

  entries = self->session != NULL ? cf_session_list_trust (self->session) : NULL;
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const CfTrustEntry *entry = entries->pdata[i];
      g_autofree char *subtitle = trust_subtitle (entry);
      g_autofree char *remove_name = NULL;
      const char *name = entry->note != NULL && *entry->note != '\0' ? entry->note : _("Unnamed file");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      /* Translators: the name of a button; %s is a file name */
      remove_name = g_strdup_printf (_("Remove “%s” from the list"), name);
      gtk_widget_set_tooltip_text (remove, remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "prefs.remove-trust");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", entry->sha256);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->trust_group, row);
      g_ptr_array_add (self->trust_rows, row);
    }

  adw_preferences_group_set_description (self->trust_group,
                                         self->trust_rows->len > 0
                                         ? _("Known by their SHA-256, whatever their name or folder. "
                                             "Removed from this list, a file is judged by the engines again.")
                                         : _("None yet. “Always Allow This File” or “Always Block This File” "
                                             "on a file’s details puts it here."));
}

typedef struct
{
  CfPreferencesWindow *window;
  CfTrustEntry        *entry;     /* what it was, for Undo */
  gboolean             undoing;
} TrustRemoval;

static void
trust_removal_free (TrustRemoval *removal)
{
  g_clear_object (&removal->window);
  g_clear_pointer (&removal->entry, cf_trust_entry_free);
  g_free (removal);
}

static void change_trust (CfPreferencesWindow *self,
                          CfTrustEntry        *entry,
                          gboolean             undoing);

static void
on_trust_undo (AdwToast     *toast,
               TrustRemoval *removal)
{
  change_trust (removal->window, g_steal_pointer (&removal->entry), TRUE);
}

static void
trust_changed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TrustRemoval *removal = user_data;
  CfPreferencesWindow *self = removal->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!cf_session_set_trust_finish (CF_SESSION (object), result, &error))
    {
      add_toast (self, error->message);
      trust_removal_free (removal);
      return;
    }
  load_trust_list (self);
  if (removal->undoing)
    {
      trust_removal_free (removal);
      return;
    }

  /* Translators: %s is a file name */
  title = g_strdup_printf (_("“%s” removed from the list"),
                           removal->entry->note != NULL ? removal->entry->note : _("Unnamed file"));
  cf_feedback_add_toast (GTK_WIDGET (self),
                         cf_feedback_undo_toast (title, G_CALLBACK (on_trust_undo), removal,
                                                 (GDestroyNotify) trust_removal_free));
}

/* Removes @entry from the list, or puts it back when @undoing; takes @entry. */
static void
change_trust (CfPreferencesWindow *self,
              CfTrustEntry        *entry,
              gboolean             undoing)
{
  TrustRemoval *removal;

  if (entry == NULL || self->session == NULL)
    {
      g_clear_pointer (&entry, cf_trust_entry_free);
      return;
    }
  removal = g_new0 (TrustRemoval, 1);
  removal->window = g_object_ref (self);
  removal->entry = entry;
  removal->undoing = undoing;
  cf_session_set_trust_async (self->session, entry->sha256, undoing ? entry->trust : CF_TRUST_NONE,
                              entry->note, self->cancellable, trust_changed, removal);
}

static void
remove_trust_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  const char *sha256 = g_variant_get_string (parameter, NULL);
  g_autoptr(GPtrArray) entries = cf_session_list_trust (self->session);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      CfTrustEntry *entry = entries->pdata[i];

      if (g_str_equal (entry->sha256, sha256))
        {
          /* Kept whole, note and all, for Undo. */
          entries->pdata[i] = NULL;
          change_trust (self, entry, FALSE);
          return;
        }
    }
}

/* GObject */

static void
cf_preferences_window_constructed (GObject *object)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->constructed (object);

  self->settings = cf_settings_new ();
  if (self->settings != NULL)
    {
      bind_settings (self);
      cf_downloads_group_set_settings (self->downloads_group, self->settings);

      /* Filled before the apply button is shown, so it appears only for
       * the person's own edits. */
      load_api_url (self);
      adw_entry_row_set_show_apply_button (self->api_url_row, TRUE);
      g_signal_connect_object (self->settings, "changed::api-url",
                               G_CALLBACK (on_api_url_setting_changed), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      show_settings_missing (self);
    }

  if (self->session != NULL)
    {
      g_signal_connect_object (self->session, "notify::wait-until",
                               G_CALLBACK (update_usage), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cf_session_get_account (self->session), "notify::read",
                               G_CALLBACK (update_allowance), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (cf_session_get_account (self->session), "notify::error",
                               G_CALLBACK (update_allowance), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::key-state",
                               G_CALLBACK (update_allowance), self, G_CONNECT_SWAPPED);
    }
  update_allowance (self);

  /* Request counts age out of the minute on their own: a light tick keeps
   * the line honest while the window is open. */
  update_usage (self);
  self->usage_timeout_id = g_timeout_add_seconds (1, usage_timeout_cb, self);

  refresh_key_status (self);
  load_trust_list (self);
}

static void
cf_preferences_window_dispose (GObject *object)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->usage_timeout_id, g_source_remove);

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->dispose (object);
}

static void
cf_preferences_window_finalize (GObject *object)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->trust_rows, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->finalize (object);
}

static void
cf_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

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
cf_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_preferences_window_class_init (CfPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cf_preferences_window_constructed;
  object_class->dispose = cf_preferences_window_dispose;
  object_class->finalize = cf_preferences_window_finalize;
  object_class->get_property = cf_preferences_window_get_property;
  object_class->set_property = cf_preferences_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CF_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CF_TYPE_DOWNLOADS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, no_schema_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, protection_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, downloads_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, uploads_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, cache_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, age_group);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, stale_after_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, rescan_stale_switch);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, mode_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, count_suspicious_switch);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, skip_packaged_switch);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, upload_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, key_spinner);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, remove_key_button);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, key_entry_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_minute_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_day_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_month_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_day_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, per_month_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, usage_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, allowance_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, ttl_detected_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, ttl_clean_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, ttl_unknown_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, wait_max_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, trust_group);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_api_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_api_url_changed);

  gtk_widget_class_install_action (widget_class, "prefs.remove-key", NULL, remove_key_action);
  gtk_widget_class_install_action (widget_class, "prefs.read-allowance", NULL, read_allowance_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-trust", "s", remove_trust_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
cf_preferences_window_init (CfPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->trust_rows = g_ptr_array_new ();

  follow_choice (self->mode_row, mode_descriptions);
  follow_choice (self->upload_row, upload_descriptions);
  follow_choice (self->plan_row, plan_descriptions);
}

GtkWidget *
cf_preferences_window_new (GtkWindow *parent,
                           CfSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CF_IS_SESSION (session), NULL);

  return g_object_new (CF_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}
