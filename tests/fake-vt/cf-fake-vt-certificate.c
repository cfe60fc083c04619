/* cf-fake-vt-certificate.c
 *
 * A throwaway self-signed certificate for the fake VirusTotal server's HTTPS.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt-private.h"

#include <glib/gstdio.h>

/**
 * cf_fake_vt_certificate_new:
 * @error: return location for a #GError
 *
 * Makes a key and a certificate for 127.0.0.1 and localhost, valid two days,
 * in a fresh temporary folder, with the openssl program.
 *
 * Returns: (transfer full) (nullable): the certificate and its files
 */
CfFakeVtCertificate *
cf_fake_vt_certificate_new (GError **error)
{
  g_autoptr(CfFakeVtCertificate) tls = g_new0 (CfFakeVtCertificate, 1);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *errors = NULL;

  tls->dir = g_dir_make_tmp ("cf-fake-vt-XXXXXX", error);
  if (tls->dir == NULL)
    return NULL;

  tls->cert_file = g_build_filename (tls->dir, "cert.pem", NULL);
  tls->key_file = g_build_filename (tls->dir, "key.pem", NULL);

  /* An EC key: making an RSA key would cost every HTTPS test a moment. */
  subprocess = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &local_error,
                                 "openssl", "req", "-x509",
                                 "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                 "-nodes", "-days", "2", "-subj", "/CN=localhost",
                                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                 "-keyout", tls->key_file, "-out", tls->cert_file,
                                 NULL);
  if (subprocess == NULL ||
      !g_subprocess_communicate_utf8 (subprocess, NULL, NULL, NULL, &errors, &local_error))
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_TLS,
                   "Could not run openssl to make a certificate: %s", local_error->message);
      return NULL;
    }

  if (!g_subprocess_get_successful (subprocess))
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_TLS,
                   "openssl could not make a certificate: %s", errors ? errors : "");
      return NULL;
    }

  tls->certificate = g_tls_certificate_new_from_files (tls->cert_file, tls->key_file,
                                                       &local_error);
  if (tls->certificate == NULL)
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_TLS,
                   "Could not load the fake server's certificate: %s", local_error->message);
      return NULL;
    }

  return g_steal_pointer (&tls);
}

/**
 * cf_fake_vt_certificate_free:
 * @tls: a #CfFakeVtCertificate
 *
 * Frees @tls and removes its files and folder.
 */
void
cf_fake_vt_certificate_free (CfFakeVtCertificate *tls)
{
  if (tls == NULL)
    return;

  if (tls->cert_file != NULL)
    g_unlink (tls->cert_file);
  if (tls->key_file != NULL)
    g_unlink (tls->key_file);
  if (tls->dir != NULL)
    g_rmdir (tls->dir);

  g_free (tls->cert_file);
  g_free (tls->key_file);
  g_free (tls->dir);
  g_clear_object (&tls->certificate);
  g_free (tls);
}
