/* cf-secret.h: the API key, kept in the user's keyring (Secret Service)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-checker.h"

G_BEGIN_DECLS

#define CF_SECRET_ERROR (cf_secret_error_quark ())

typedef enum
{
  CF_SECRET_ERROR_NO_KEY,
  CF_SECRET_ERROR_NO_KEYRING,
  CF_SECRET_ERROR_INVALID,
} CfSecretError;

GQuark    cf_secret_error_quark       (void);

/* VT_API_KEY when set, otherwise the keyring; NULL with CF_SECRET_ERROR_NO_KEY
 * (a message saying how to get and set one) or CF_SECRET_ERROR_NO_KEYRING. */
char     *cf_api_key_get              (GCancellable       *cancellable,
                                       GError            **error);
gboolean  cf_api_key_from_environment (void);
gboolean  cf_api_key_is_plausible     (const char         *key);

void      cf_secret_lookup_async      (GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
char     *cf_secret_lookup_finish     (GAsyncResult       *result,
                                       GError            **error);
void      cf_secret_store_async       (const char         *key,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean  cf_secret_store_finish      (GAsyncResult       *result,
                                       GError            **error);
gboolean  cf_secret_clear             (GCancellable       *cancellable,
                                       GError            **error);
/* Removes the key from the keyring; nothing to remove is not an error. */
void      cf_secret_clear_async       (GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean  cf_secret_clear_finish      (GAsyncResult       *result,
                                       GError            **error);

/* Like cf_api_key_is_plausible, but says what is wrong in @error
 * (CF_SECRET_ERROR_INVALID).  @check_length is FALSE for a server other than
 * VirusTotal's, whose keys need not look like VirusTotal's. */
gboolean  cf_api_key_validate         (const char         *key,
                                       gboolean            check_length,
                                       GError            **error);

/* Asks VirusTotal whether @key works (GET /users/{key}, counted by the
 * checker's scheduler, sent to the checker's API address) and stores it in
 * the keyring only when it does: a wrong key is never saved.  Errors are
 * CF_SECRET_ERROR_INVALID, CF_VT_ERROR_* from the server, or
 * CF_SECRET_ERROR_* from the keyring; @verified tells, even on a keyring
 * error, whether VirusTotal accepted the key. */
void      cf_api_key_verify_and_store_async  (const char         *key,
                                              CfChecker          *checker,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean  cf_api_key_verify_and_store_finish (GAsyncResult       *result,
                                              gboolean           *verified,
                                              GError            **error);

G_END_DECLS
