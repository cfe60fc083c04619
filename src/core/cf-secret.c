/* cf-secret.c: the API key, kept in the user's keyring (Secret Service)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cf-secret.h"

/* The key itself never reaches a log, GSettings, a file or the database:
 * only the keyring (or the environment, which the person controls) holds it. */

#define CF_SECRET_LABEL N_("Check First: VirusTotal API key")
#define CF_SECRET_SERVICE "virustotal"

#define CF_API_KEY_MIN_LENGTH 32
#define CF_API_KEY_MAX_LENGTH 128

G_DEFINE_QUARK (cf-secret-error-quark, cf_secret_error)

static const SecretSchema *
cf_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.checkfirst.CheckFirst.ApiKey",
    SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
set_no_key_error (GError **error)
{
  g_set_error_literal (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY,
                       _("No VirusTotal API key is set. Get a free key at "
                         "https://www.virustotal.com/gui/join-us, then save it in "
                         "Preferences or set VT_API_KEY."));
}

/* libsecret reports a missing or unreachable Secret Service as a D-Bus or
 * I/O error (no bus, no service to activate, the service went away).  Those
 * become CF_SECRET_ERROR_NO_KEYRING, which tells people what to do instead;
 * cancellation passes through untouched. */
static void
propagate_keyring_error (GError  **dest,
                         GError   *src)
{
  g_assert (src != NULL);

  if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (dest, src);
      return;
    }

  g_debug ("Secret Service error: %s", src->message);

  if (src->domain == G_DBUS_ERROR || src->domain == G_IO_ERROR || src->domain == G_SPAWN_ERROR)
    g_set_error_literal (dest, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING,
                         _("No keyring service is running, so the API key cannot be "
                           "stored safely. Get a free key at https://www.virustotal.com/gui/join-us "
                           "and set VT_API_KEY in the environment instead."));
  else
    g_set_error (dest, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING,
                 _("The keyring could not be used (%s). Unlock it and try again, "
                   "or set VT_API_KEY in the environment instead."),
                 src->message);

  g_error_free (src);
}

/* The caller's copy, from libsecret's wiped-on-free buffer. */
static char *
steal_secret_password (char *password)
{
  char *copy;

  if (password == NULL)
    return NULL;

  copy = g_strdup (password);
  secret_password_free (password);

  return copy;
}

static char *
dup_environment_key (void)
{
  const char *value = g_getenv ("VT_API_KEY");
  g_autofree char *key = NULL;

  if (value == NULL)
    return NULL;

  key = g_strstrip (g_strdup (value));
  if (key[0] == '\0')
    return NULL;

  return g_steal_pointer (&key);
}

gboolean
cf_api_key_from_environment (void)
{
  g_autofree char *key = dup_environment_key ();

  return key != NULL;
}

gboolean
cf_api_key_validate (const char  *key,
                     gboolean     check_length,
                     GError     **error)
{
  gsize length;

  if (key == NULL || key[0] == '\0')
    {
      g_set_error_literal (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID,
                           _("Enter your VirusTotal API key. You find it on your "
                             "VirusTotal profile page, under “API key”."));
      return FALSE;
    }

  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID,
                               _("The key contains a space or a line break. Copy it "
                                 "again from your VirusTotal profile, without them."));
          return FALSE;
        }

      if (!g_ascii_isgraph (*p))
        {
          g_set_error_literal (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID,
                               _("The key contains characters that cannot be part of "
                                 "a VirusTotal API key. Copy it again from your "
                                 "VirusTotal profile."));
          return FALSE;
        }
    }

  if (!check_length)
    return TRUE;

  length = strlen (key);

  if (length < CF_API_KEY_MIN_LENGTH)
    {
      g_set_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The key is only %u character long, but VirusTotal API "
                                "keys have 64. Copy the whole key from your VirusTotal "
                                "profile.",
                                "The key is only %u characters long, but VirusTotal API "
                                "keys have 64. Copy the whole key from your VirusTotal "
                                "profile.",
                                length),
                   (guint) length);
      return FALSE;
    }

  if (length > CF_API_KEY_MAX_LENGTH)
    {
      g_set_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID,
                   _("The key is %u characters long, but VirusTotal API keys have 64. "
                     "Copy only the key from your VirusTotal profile."),
                   (guint) length);
      return FALSE;
    }

  return TRUE;
}

gboolean
cf_api_key_is_plausible (const char *key)
{
  return cf_api_key_validate (key, TRUE, NULL);
}

char *
cf_api_key_get (GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *key;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = dup_environment_key ();
  if (key != NULL)
    return key;

  key = steal_secret_password (secret_password_lookup_sync (cf_secret_get_schema (),
                                                            cancellable, &local_error,
                                                            "service", CF_SECRET_SERVICE,
                                                            NULL));
  if (local_error != NULL)
    {
      propagate_keyring_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (key == NULL || key[0] == '\0')
    {
      g_free (key);
      set_no_key_error (error);
      return NULL;
    }

  return key;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *key = NULL;

  key = steal_secret_password (secret_password_lookup_finish (result, &error));

  if (error != NULL)
    {
      GError *mapped = NULL;

      propagate_keyring_error (&mapped, error);
      g_task_return_error (task, mapped);
      return;
    }

  if (key == NULL || key[0] == '\0')
    {
      set_no_key_error (&error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&key), g_free);
}

void
cf_secret_lookup_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_secret_lookup_async);

  key = dup_environment_key ();
  if (key != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&key), g_free);
      return;
    }

  secret_password_lookup (cf_secret_get_schema (), cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          "service", CF_SECRET_SERVICE,
                          NULL);
}

char *
cf_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_secret_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      GError *mapped = NULL;

      propagate_keyring_error (&mapped, error);
      g_task_return_error (task, mapped);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
cf_secret_store_async (const char          *key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_secret_store_async);

  if (!cf_api_key_validate (key, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_store (cf_secret_get_schema (), SECRET_COLLECTION_DEFAULT,
                         _(CF_SECRET_LABEL), key, cancellable,
                         store_cb, g_steal_pointer (&task),
                         "service", CF_SECRET_SERVICE,
                         NULL);
}

gboolean
cf_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_secret_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cf_secret_clear (GCancellable  *cancellable,
                 GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_sync (cf_secret_get_schema (), cancellable, &local_error,
                              "service", CF_SECRET_SERVICE,
                              NULL);
  if (local_error != NULL)
    {
      propagate_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      GError *mapped = NULL;

      propagate_keyring_error (&mapped, error);
      g_task_return_error (task, mapped);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
cf_secret_clear_async (GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_secret_clear_async);

  secret_password_clear (cf_secret_get_schema (), cancellable,
                         clear_cb, task,
                         "service", CF_SECRET_SERVICE,
                         NULL);
}

gboolean
cf_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_secret_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Verify, then store */

typedef struct
{
  char       *key;
  CfVtClient *client;
  gboolean    verified;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  if (data->key != NULL)
    {
      /* Not a log, but no reason to leave the key lying in freed memory. */
      memset (data->key, 0, strlen (data->key));
      g_free (data->key);
    }
  g_clear_object (&data->client);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyData, verify_data_free)

/* The address the app sends its requests to: a key is only worth saving if
 * that server accepts it. */
static char *
dup_checker_base_url (CfChecker *checker)
{
  const CfConfig *config = cf_checker_get_config (checker);
  CfVtClient *client;

  if (config != NULL && config->api_url != NULL && config->api_url[0] != '\0')
    return g_strdup (config->api_url);

  client = cf_checker_get_client (checker);
  if (client != NULL)
    return g_strdup (cf_vt_client_get_base_url (client));

  return g_strdup (CF_VT_DEFAULT_API_URL);
}

static gboolean
is_virustotal_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);

  return host != NULL &&
         (g_ascii_strcasecmp (host, "virustotal.com") == 0 ||
          g_str_has_suffix (host, ".virustotal.com"));
}

static void
verify_store_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cf_secret_store_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
verify_check_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!cf_vt_client_check_key_finish (CF_VT_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->verified = TRUE;

  cf_secret_store_async (data->key,
                         g_task_get_cancellable (task),
                         verify_store_cb,
                         g_object_ref (task));
}

void
cf_api_key_verify_and_store_async (const char          *key,
                                   CfChecker           *checker,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *base_url = NULL;
  VerifyData *data;
  GError *error = NULL;

  g_return_if_fail (CF_IS_CHECKER (checker));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_api_key_verify_and_store_async);

  data = g_new0 (VerifyData, 1);
  data->key = g_strdup (key != NULL ? key : "");
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  base_url = dup_checker_base_url (checker);

  /* Another server (a test server, a company proxy) may use other keys. */
  if (!cf_api_key_validate (data->key, is_virustotal_url (base_url), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->client = cf_vt_client_new (base_url, data->key,
                                   cf_checker_get_scheduler (checker),
                                   &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cf_vt_client_check_key_async (data->client, cancellable,
                                verify_check_cb, g_steal_pointer (&task));
}

gboolean
cf_api_key_verify_and_store_finish (GAsyncResult  *result,
                                    gboolean      *verified,
                                    GError       **error)
{
  VerifyData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_api_key_verify_and_store_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));

  if (verified != NULL)
    *verified = data != NULL && data->verified;

  return g_task_propagate_boolean (G_TASK (result), error);
}
