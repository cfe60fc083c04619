/* cf-vt-error.h: what went wrong talking to VirusTotal, in words people use
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CF_VT_ERROR (cf_vt_error_quark ())

typedef enum
{
  CF_VT_ERROR_NOT_FOUND,
  CF_VT_ERROR_NO_KEY,
  CF_VT_ERROR_WRONG_KEY,
  CF_VT_ERROR_FORBIDDEN,
  CF_VT_ERROR_QUOTA,
  CF_VT_ERROR_TRANSIENT,
  CF_VT_ERROR_BAD_RESPONSE,
  CF_VT_ERROR_TIMEOUT,
  CF_VT_ERROR_NETWORK,
  CF_VT_ERROR_TLS,
  CF_VT_ERROR_TOO_LARGE,
  CF_VT_ERROR_BAD_REQUEST,
  CF_VT_ERROR_INSECURE_URL,
  CF_VT_ERROR_FOREIGN_ORIGIN,
  CF_VT_ERROR_STILL_ANALYSING,
  CF_VT_ERROR_MISMATCH,          /* a reply about another file than the one asked */
  CF_VT_ERROR_STOPPED,           /* a reply that stopped coming before its end */
} CfVtError;

GQuark     cf_vt_error_quark         (void);

/* Maps an HTTP status and body (JSON error envelope or anything else) to
 * a GError.  Returns FALSE for a 2xx status with no error set. */
gboolean   cf_vt_error_from_response (guint        status,
                                      const char  *body,
                                      gsize        length,
                                      GError     **error);
gboolean   cf_vt_error_is_transient  (const GError *error);

G_END_DECLS
