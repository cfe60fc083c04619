/* cf-fake-vt-control.c
 *
 * The fake VirusTotal server's /_fake/ control endpoints, for scripts.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt-private.h"
#include "cf-fake-vt-server.h"

#include <string.h>

/* Control endpoints, for scripts driving the standalone program. */

static void
reply_ok (SoupServerMessage *msg)
{
  cf_fake_vt_reply_text (msg, SOUP_STATUS_OK, "application/json", "{\"ok\": true}\n");
}

static void
reply_stats (CfFakeVt          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_mutex_lock (&self->mutex);
  json_builder_begin_object (builder);
  for (guint i = 0; i < CF_FAKE_VT_N_COUNTS; i++)
    {
      json_builder_set_member_name (builder, cf_fake_vt_count_names[i]);
      json_builder_add_int_value (builder, self->counts[i]);
    }
  json_builder_set_member_name (builder, "faults_pending");
  json_builder_add_int_value (builder, self->faults.length);
  json_builder_set_member_name (builder, "quota_used");
  json_builder_add_int_value (builder, self->quota_used);
  json_builder_set_member_name (builder, "last_upload_filename");
  if (self->last_upload_filename != NULL)
    json_builder_add_string_value (builder, self->last_upload_filename);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_upload_size");
  json_builder_add_int_value (builder, self->last_upload_size);
  json_builder_end_object (builder);
  g_mutex_unlock (&self->mutex);

  root = json_builder_get_root (builder);
  cf_fake_vt_reply_json (msg, SOUP_STATUS_OK, root);
}

static gboolean
parse_polls (const char *text,
             guint      *queued,
             guint      *in_progress)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint64 q, p;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 1000, &q, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 1000, &p, NULL))
    return FALSE;

  *queued = (guint) q;
  *in_progress = (guint) p;
  return TRUE;
}

static gboolean
parse_number (const char  *key,
              const char  *value,
              guint64      min,
              guint64      max,
              guint64     *number,
              GError     **error)
{
  if (g_ascii_string_to_unsigned (value, 10, min, max, number, NULL))
    return TRUE;

  g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED,
               "“%s” wants a number from %" G_GUINT64_FORMAT ", not “%s”", key, min, value);
  return FALSE;
}

static gboolean
apply_config (CfFakeVt    *self,
              GHashTable  *query,
              GError     **error)
{
  GHashTableIter iter;
  const char *key;
  const char *value;
  guint64 number;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    {
      if (g_str_equal (key, "api_key") && *value != '\0')
        {
          cf_fake_vt_set_api_key (self, value);
        }
      else if (g_str_equal (key, "upload_verdict"))
        {
          CfFakeVtVerdict verdict;

          if (!cf_fake_vt_verdict_parse (value, &verdict, error))
            return FALSE;
          cf_fake_vt_set_upload_verdict (self, value);
        }
      else if (g_str_equal (key, "upload_url_base"))
        {
          cf_fake_vt_set_upload_url_base (self, *value != '\0' ? value : NULL);
        }
      else if (g_str_equal (key, "analysis_polls"))
        {
          guint queued, in_progress;

          if (!parse_polls (value, &queued, &in_progress))
            {
              g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED,
                           "analysis_polls wants QUEUED,IN_PROGRESS, not “%s”", value);
              return FALSE;
            }
          cf_fake_vt_set_analysis_polls (self, queued, in_progress);
        }
      else if (g_str_equal (key, "quota_per_minute"))
        {
          if (!parse_number (key, value, 0, G_MAXUINT, &number, error))
            return FALSE;
          cf_fake_vt_set_quota_per_minute (self, (guint) number);
        }
      else if (g_str_equal (key, "account"))
        {
          if (!cf_fake_vt_set_account (self, value, error))
            return FALSE;
        }
      else if (g_str_equal (key, "quota_window"))
        {
          if (!parse_number (key, value, 1, G_MAXUINT, &number, error))
            return FALSE;
          cf_fake_vt_set_quota_window (self, (guint) number);
        }
      else if (g_str_equal (key, "analysis_not_found_polls"))
        {
          if (!parse_number (key, value, 0, G_MAXUINT, &number, error))
            return FALSE;
          cf_fake_vt_set_analysis_not_found_polls (self, (guint) number);
        }
      else if (g_str_equal (key, "max_direct_upload"))
        {
          if (!parse_number (key, value, 0, G_MAXINT64, &number, error))
            return FALSE;
          cf_fake_vt_set_max_direct_upload (self, (goffset) number);
        }
      else
        {
          g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED,
                       "Unknown setting “%s”", key);
          return FALSE;
        }
    }

  return TRUE;
}

static const char *
query_get (GHashTable *query,
           const char *name)
{
  return query != NULL ? g_hash_table_lookup (query, name) : NULL;
}

void
cf_fake_vt_handle_control (CfFakeVt          *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query)
{
  const char *name = path + strlen ("/_fake/");
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (name, "stats") && g_strcmp0 (method, SOUP_METHOD_GET) == 0)
    {
      reply_stats (self, msg);
      return;
    }

  if (g_strcmp0 (method, SOUP_METHOD_POST) != 0)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_NOT_FOUND, "NotFoundError",
                              "Control endpoints: GET /_fake/stats; POST /_fake/fault, "
                              "/_fake/clear-faults, /_fake/register, /_fake/reset, "
                              "/_fake/config");
      return;
    }

  if (g_str_equal (name, "reset"))
    {
      cf_fake_vt_reset_counts (self);
    }
  else if (g_str_equal (name, "clear-faults"))
    {
      cf_fake_vt_clear_faults (self);
    }
  else if (g_str_equal (name, "fault"))
    {
      const char *spec = query_get (query, "spec");

      if (cf_fake_vt_fault_is_valid (spec, &error))
        cf_fake_vt_push_fault (self, spec);
    }
  else if (g_str_equal (name, "register"))
    {
      const char *verdict = query_get (query, "verdict");
      const char *file_path = query_get (query, "path");

      if (file_path != NULL)
        cf_fake_vt_register_file (self, file_path, verdict, &error);
      else
        cf_fake_vt_register_hash (self, query_get (query, "sha256"), verdict, &error);
    }
  else if (g_str_equal (name, "config") && query != NULL)
    {
      apply_config (self, query, &error);
    }
  else
    {
      g_set_error (&error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED,
                   "Unknown control request “%s”", name);
    }

  if (error != NULL)
    cf_fake_vt_reply_error (self, msg, SOUP_STATUS_BAD_REQUEST, "BadRequestError", error->message);
  else
    reply_ok (msg);
}
