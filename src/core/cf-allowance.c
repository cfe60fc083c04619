/* cf-allowance.c: what a VirusTotal account may spend an hour, a day and a month, as VirusTotal says
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two replies say it.  GET /users/{key}/overall_quotas:
 *
 *   {"data": {"api_requests_hourly": {"user": {"allowed": 240, "used": 3},
 *                                     "group": {"allowed": ..., "used": ...,
 *                                               "inherited_from": "..."}},
 *             "api_requests_daily": ..., "api_requests_monthly": ...}}
 *
 * where a key that belongs to a group may spend what both allow; and
 * GET /users/{key}, whose data.attributes.quotas holds the same three
 * names, each {"allowed", "used"}.  Either may leave a period out, and an
 * "allowed" of 0 or less says nothing usable: that period stays unknown,
 * never "no limit".
 */

#define G_LOG_DOMAIN "check-first-allowance"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-allowance.h"
#include "cf-report.h"
#include "cf-vt-error.h"

static const char * const period_names[CF_N_PERIODS] = {
  "api_requests_hourly",
  "api_requests_daily",
  "api_requests_monthly",
};

/* Well beyond any plan's allowance, and far from overflowing a sum. */
#define CF_ALLOWANCE_MAX G_GINT64_CONSTANT (1000000000000000)

void
cf_allowance_init (CfAllowance *allowance)
{
  g_return_if_fail (allowance != NULL);

  memset (allowance, 0, sizeof *allowance);
  for (guint i = 0; i < CF_N_PERIODS; i++)
    allowance->used[i] = -1;
}

gboolean
cf_allowance_is_known (const CfAllowance *allowance)
{
  g_return_val_if_fail (allowance != NULL, FALSE);

  for (guint i = 0; i < CF_N_PERIODS; i++)
    if (allowance->allowed[i] > 0)
      return TRUE;
  return FALSE;
}

gboolean
cf_allowance_is_complete (const CfAllowance *allowance)
{
  g_return_val_if_fail (allowance != NULL, FALSE);

  for (guint i = 0; i < CF_N_PERIODS; i++)
    if (allowance->allowed[i] <= 0)
      return FALSE;
  return TRUE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A whole number of requests, or -1. */
static gint64
member_count (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
           json_node_get_double (node) >= 0 && json_node_get_double (node) < 1e15)
    value = (gint64) json_node_get_double (node);
  else
    return -1;
  return value >= 0 ? MIN (value, CF_ALLOWANCE_MAX) : -1;
}

static JsonNode *
parse_root (const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (data == NULL || length == 0 || length > G_MAXSSIZE || !cf_json_shape_ok (data, length) ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a reply about your account that is not valid JSON."));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static void
take_period (CfAllowance *allowance,
             CfPeriod     period,
             gint64       allowed,
             gint64       used)
{
  if (allowed <= 0)
    return;
  allowance->allowed[period] = allowed;
  allowance->used[period] = used;
}

gboolean
cf_allowance_parse_overall (CfAllowance  *allowance,
                            const char   *data,
                            gsize         length,
                            GError      **error)
{
  g_autoptr(JsonNode) root = parse_root (data, length, error);
  JsonObject *quotas;

  g_return_val_if_fail (allowance != NULL, FALSE);

  if (root == NULL)
    return FALSE;
  quotas = member_object (json_node_get_object (root), "data");
  if (quotas == NULL)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a reply about your account of an unexpected shape."));
      return FALSE;
    }

  for (guint i = 0; i < CF_N_PERIODS; i++)
    {
      JsonObject *period = member_object (quotas, period_names[i]);
      JsonObject *user = member_object (period, "user");
      JsonObject *group = member_object (period, "group");
      gint64 user_allowed = member_count (user, "allowed");
      gint64 group_allowed = member_count (group, "allowed");
      gint64 allowed;

      /* A key in a group spends from both: the smaller is what it may. */
      if (user_allowed > 0 && group_allowed > 0)
        allowed = MIN (user_allowed, group_allowed);
      else
        allowed = user_allowed > 0 ? user_allowed : group_allowed;
      take_period (allowance, i, allowed, member_count (user != NULL ? user : group, "used"));
    }
  return TRUE;
}

gboolean
cf_allowance_parse_user (CfAllowance  *allowance,
                         const char   *data,
                         gsize         length,
                         const char   *api_key,
                         GError      **error)
{
  g_autoptr(JsonNode) root = parse_root (data, length, error);
  JsonObject *object, *attributes, *quotas;
  JsonNode *key_node;

  g_return_val_if_fail (allowance != NULL, FALSE);

  if (root == NULL)
    return FALSE;
  object = member_object (json_node_get_object (root), "data");
  attributes = member_object (object, "attributes");
  quotas = member_object (attributes, "quotas");
  if (quotas == NULL)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a reply about your account of an unexpected shape."));
      return FALSE;
    }

  /* The owner sees the account's key: when it is there, it must be the
   * key asked about (the message never names either). */
  key_node = json_object_get_member (attributes, "apikey");
  if (api_key != NULL && key_node != NULL && JSON_NODE_HOLDS_VALUE (key_node) &&
      json_node_get_value_type (key_node) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (key_node), api_key) != 0)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH,
                           _("VirusTotal answered about another account than the one asked for. "
                             "The answer was not used."));
      return FALSE;
    }

  for (guint i = 0; i < CF_N_PERIODS; i++)
    {
      JsonObject *period = member_object (quotas, period_names[i]);

      take_period (allowance, i, member_count (period, "allowed"), member_count (period, "used"));
    }
  return TRUE;
}

char *
cf_allowance_to_text (const CfAllowance *allowance,
                      const char        *key_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (allowance != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key_id);
  json_builder_set_member_name (builder, "read");
  json_builder_add_int_value (builder, allowance->read);
  for (guint i = 0; i < CF_N_PERIODS; i++)
    {
      json_builder_set_member_name (builder, period_names[i]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "allowed");
      json_builder_add_int_value (builder, allowance->allowed[i]);
      json_builder_set_member_name (builder, "used");
      json_builder_add_int_value (builder, allowance->used[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
cf_allowance_from_text (CfAllowance  *allowance,
                        const char   *text,
                        char        **key_id)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *key_node;

  g_return_val_if_fail (allowance != NULL, FALSE);

  cf_allowance_init (allowance);
  if (key_id != NULL)
    *key_id = NULL;
  if (text == NULL || (root = parse_root (text, strlen (text), NULL)) == NULL)
    return FALSE;

  object = json_node_get_object (root);
  allowance->read = MAX (member_count (object, "read"), 0);
  for (guint i = 0; i < CF_N_PERIODS; i++)
    {
      JsonObject *period = member_object (object, period_names[i]);

      take_period (allowance, i, member_count (period, "allowed"), member_count (period, "used"));
    }
  key_node = json_object_get_member (object, "key");
  if (key_id != NULL && key_node != NULL && JSON_NODE_HOLDS_VALUE (key_node) &&
      json_node_get_value_type (key_node) == G_TYPE_STRING)
    *key_id = g_strdup (json_node_get_string (key_node));
  return allowance->read > 0;
}

/* Not the key, and nothing to recover it from: a hash of it, cut short,
 * enough to tell one key's allowance from another's. */
char *
cf_allowance_key_id (const char *api_key)
{
  g_autofree char *digest = NULL;
  char *salted;

  g_return_val_if_fail (api_key != NULL, NULL);

  salted = g_strconcat ("check-first allowance of ", api_key, NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, salted, -1);
  memset (salted, 0, strlen (salted));
  g_free (salted);
  return g_strndup (digest, 16);
}
