/* cf-vt-error.c: what went wrong talking to VirusTotal, in words people use
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-vt-error"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-report.h"
#include "cf-vt-error.h"

G_DEFINE_QUARK (cf-vt-error-quark, cf_vt_error)

/* The envelope's code, or NULL when the body is not one. */
static char *
envelope_code (const char *body,
               gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root, *error_node, *code;

  if (body == NULL || length == 0 || length > 64 * 1024 || !cf_json_shape_ok (body, length))
    return NULL;
  if (!json_parser_load_from_data (parser, body, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  error_node = json_object_get_member (json_node_get_object (root), "error");
  if (error_node == NULL || !JSON_NODE_HOLDS_OBJECT (error_node))
    return NULL;
  code = json_object_get_member (json_node_get_object (error_node), "code");
  if (code == NULL || !JSON_NODE_HOLDS_VALUE (code) || json_node_get_value_type (code) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (code));
}

typedef struct
{
  const char *code;
  CfVtError   error;
} CodeMap;

static const CodeMap code_map[] = {
  { "NotFoundError", CF_VT_ERROR_NOT_FOUND },
  { "AuthenticationRequiredError", CF_VT_ERROR_NO_KEY },
  { "WrongCredentialsError", CF_VT_ERROR_WRONG_KEY },
  { "UserNotActiveError", CF_VT_ERROR_WRONG_KEY },
  { "ForbiddenError", CF_VT_ERROR_FORBIDDEN },
  { "QuotaExceededError", CF_VT_ERROR_QUOTA },
  { "TooManyRequestsError", CF_VT_ERROR_QUOTA },
  { "TransientError", CF_VT_ERROR_TRANSIENT },
  { "DeadlineExceededError", CF_VT_ERROR_TRANSIENT },
  { "NotAvailableYet", CF_VT_ERROR_TRANSIENT },
  { "FailedDependencyError", CF_VT_ERROR_TRANSIENT },
  { "BadRequestError", CF_VT_ERROR_BAD_REQUEST },
  { "InvalidArgumentError", CF_VT_ERROR_BAD_REQUEST },
  { "AlreadyExistsError", CF_VT_ERROR_BAD_REQUEST },
};

static CfVtError
error_from_status (guint status)
{
  switch (status)
    {
    case 400:
      return CF_VT_ERROR_BAD_REQUEST;
    case 401:
      return CF_VT_ERROR_WRONG_KEY;
    case 403:
      return CF_VT_ERROR_FORBIDDEN;
    case 404:
      return CF_VT_ERROR_NOT_FOUND;
    case 413:
      return CF_VT_ERROR_TOO_LARGE;
    case 429:
      return CF_VT_ERROR_QUOTA;
    case 408:
    case 500:
    case 502:
    case 503:
    case 504:
    case 424:
      return CF_VT_ERROR_TRANSIENT;
    default:
      return CF_VT_ERROR_BAD_RESPONSE;
    }
}

static const char *
message_for (CfVtError error)
{
  switch (error)
    {
    case CF_VT_ERROR_NOT_FOUND:
      return _("VirusTotal has never seen this file.");
    case CF_VT_ERROR_NO_KEY:
      return _("VirusTotal needs an API key. Set one in Preferences or in VT_API_KEY.");
    case CF_VT_ERROR_WRONG_KEY:
      return _("VirusTotal did not accept the API key. Check the key in Preferences or in VT_API_KEY.");
    case CF_VT_ERROR_FORBIDDEN:
      return _("VirusTotal refused this request for your account. Your plan may not include it.");
    case CF_VT_ERROR_QUOTA:
      return _("The VirusTotal request budget is used up for now. Check First will wait and try again.");
    case CF_VT_ERROR_TRANSIENT:
      return _("VirusTotal is having a temporary problem. Try again in a moment.");
    case CF_VT_ERROR_TOO_LARGE:
      return _("The file is too large for VirusTotal to accept.");
    case CF_VT_ERROR_BAD_REQUEST:
      return _("VirusTotal did not accept the request.");
    case CF_VT_ERROR_BAD_RESPONSE:
    default:
      return _("VirusTotal sent a reply Check First does not understand. Try again later.");
    }
}

gboolean
cf_vt_error_from_response (guint        status,
                           const char  *body,
                           gsize        length,
                           GError     **error)
{
  g_autofree char *code = NULL;
  CfVtError kind;

  if (status >= 200 && status < 300)
    return FALSE;

  kind = error_from_status (status);
  code = envelope_code (body, length);
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (code_map); i++)
        if (g_str_equal (code, code_map[i].code))
          {
            kind = code_map[i].error;
            break;
          }
    }

  if (kind == CF_VT_ERROR_BAD_RESPONSE)
    g_set_error (error, CF_VT_ERROR, kind,
                 _("VirusTotal answered with an unexpected status (HTTP %u). Try again later."), status);
  else
    g_set_error_literal (error, CF_VT_ERROR, kind, message_for (kind));

  return TRUE;
}

gboolean
cf_vt_error_is_transient (const GError *error)
{
  return g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_TRANSIENT) ||
         g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NETWORK) ||
         g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_TIMEOUT);
}
