/* cf-config.c: the settings one run works with: GSettings, then environment and options
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-config"

#include "config.h"

#include "cf-config.h"
#include "cf-vt-client.h"

/* The public API's budget: 4 a minute, 500 a day, about 15 500 a month. */

/* NULL when the schema is not installed (an uninstalled build, a script):
 * the defaults below then apply, and nothing aborts. */
GSettings *
cf_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

void
cf_config_init (CfConfig *config)
{
  const char *env_url = g_getenv ("CHECK_FIRST_API_URL");
  CfCacheTtl ttl = CF_CACHE_TTL_INIT;
  CfPolicy policy = CF_POLICY_INIT;

  memset (config, 0, sizeof *config);
  config->policy = policy;
  config->upload = CF_UPLOAD_ASK;
  config->per_minute = CF_PUBLIC_PER_MINUTE;
  config->per_day = CF_PUBLIC_PER_DAY;
  config->per_month = CF_PUBLIC_PER_MONTH;
  config->ttl = ttl;
  config->wait_max = 600;
  config->skip_packaged_processes = TRUE;
  config->stale_after_days = CF_STALE_AFTER_DAYS;
  config->api_url = g_strdup (env_url != NULL && *env_url != '\0' ? env_url : CF_VT_DEFAULT_API_URL);
}

void
cf_config_load (CfConfig  *config,
                GSettings *settings)
{
  g_autofree char *mode = NULL;
  g_autofree char *upload = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *url = NULL;
  const char *env_url = g_getenv ("CHECK_FIRST_API_URL");

  cf_config_clear (config);
  cf_config_init (config);

  if (settings == NULL)
    return;

  mode = g_settings_get_string (settings, "mode");
  cf_mode_from_string (mode, &config->policy.mode);
  config->policy.threshold = MAX (g_settings_get_uint (settings, "threshold"), 1);
  config->policy.count_suspicious = g_settings_get_boolean (settings, "count-suspicious");

  upload = g_settings_get_string (settings, "upload-policy");
  cf_upload_policy_from_string (upload, &config->upload);

  plan = g_settings_get_string (settings, "api-plan");
  if (g_strcmp0 (plan, "premium") == 0)
    {
      config->premium_plan = TRUE;
      config->per_minute = g_settings_get_uint (settings, "premium-per-minute");
      config->per_day = g_settings_get_uint (settings, "premium-per-day");
      config->per_month = g_settings_get_uint (settings, "premium-per-month");
    }

  config->ttl.detected = g_settings_get_uint (settings, "cache-ttl-detected");
  config->ttl.clean = g_settings_get_uint (settings, "cache-ttl-clean");
  config->ttl.unknown = g_settings_get_uint (settings, "cache-ttl-unknown");
  config->wait_max = g_settings_get_uint (settings, "analysis-wait-max");
  config->skip_packaged = g_settings_get_boolean (settings, "skip-packaged");
  config->stale_after_days = g_settings_get_uint (settings, "stale-after-days");
  config->rescan_stale = g_settings_get_boolean (settings, "rescan-stale");

  /* The environment wins over the setting, for scripts and tests. */
  url = g_settings_get_string (settings, "api-url");
  if ((env_url == NULL || *env_url == '\0') && url != NULL && *url != '\0')
    {
      g_free (config->api_url);
      config->api_url = g_steal_pointer (&url);
    }
}

void
cf_config_copy (CfConfig       *dest,
                const CfConfig *src)
{
  if (dest == src)
    return;
  *dest = *src;
  dest->api_url = g_strdup (src->api_url);
}

void
cf_config_clear (CfConfig *config)
{
  g_clear_pointer (&config->api_url, g_free);
}

gboolean
cf_upload_policy_from_string (const char     *text,
                              CfUploadPolicy *policy)
{
  if (g_strcmp0 (text, "never") == 0)
    *policy = CF_UPLOAD_NEVER;
  else if (g_strcmp0 (text, "ask") == 0)
    *policy = CF_UPLOAD_ASK;
  else if (g_strcmp0 (text, "always") == 0)
    *policy = CF_UPLOAD_ALWAYS;
  else
    return FALSE;
  return TRUE;
}

const char *
cf_upload_policy_to_string (CfUploadPolicy policy)
{
  switch (policy)
    {
    case CF_UPLOAD_NEVER:
      return "never";
    case CF_UPLOAD_ALWAYS:
      return "always";
    case CF_UPLOAD_ASK:
    default:
      return "ask";
    }
}
