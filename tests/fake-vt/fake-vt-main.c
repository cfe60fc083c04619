/* fake-vt-main.c
 *
 * The fake VirusTotal server as a program, for end-to-end tests and scripts.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cf-fake-vt.h"
#include "cf-fake-vt-report.h"

/* sysexits.h's EX_USAGE, without needing the header. */
#define EXIT_USAGE 64

static char *opt_port;
static gboolean opt_https;
static char *opt_key;
static char **opt_register;
static char **opt_register_hash;
static char *opt_quota;
static char *opt_quota_window;
static char *opt_account;
static char *opt_upload_verdict;
static char *opt_analysis_polls;
static char *opt_not_found_polls;
static char *opt_max_direct_upload;
static char *opt_upload_url_base;
static char **opt_faults;
static char *opt_port_file;
static char *opt_ca_file;

static const GOptionEntry entries[] = {
  { "port", 0, 0, G_OPTION_ARG_STRING, &opt_port,
    "Listen on 127.0.0.1:PORT (default 0: any free port)", "PORT" },
  { "https", 0, 0, G_OPTION_ARG_NONE, &opt_https,
    "Serve HTTPS with a fresh self-signed certificate (needs openssl)", NULL },
  { "key", 0, 0, G_OPTION_ARG_STRING, &opt_key,
    "The API key to expect in x-apikey (default test-key)", "KEY" },
  { "register", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_register,
    "Know the file at PATH with VERDICT (repeatable)", "PATH=VERDICT" },
  { "register-hash", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_register_hash,
    "Know a file by its SHA-256 only (repeatable)", "SHA256=VERDICT" },
  { "quota-per-minute", 0, 0, G_OPTION_ARG_STRING, &opt_quota,
    "Answer 429 past N API requests a minute (default 0: no limit)", "N" },
  { "quota-window", 0, 0, G_OPTION_ARG_STRING, &opt_quota_window,
    "Length of the sliding quota window (default 60)", "SECONDS" },
  { "account", 0, 0, G_OPTION_ARG_STRING, &opt_account,
    "What /users/KEY and its overall_quotas say the key may spend: as-served (the default),\n"
    "                                  public, premium, tiny, users-only or failing", "PLAN" },
  { "upload-verdict", 0, 0, G_OPTION_ARG_STRING, &opt_upload_verdict,
    "Verdict of uploaded files never seen before (default clean)", "VERDICT" },
  { "analysis-polls", 0, 0, G_OPTION_ARG_STRING, &opt_analysis_polls,
    "Polls answering queued, then in-progress, before completed (default 1,1)", "Q,P" },
  { "analysis-not-found-polls", 0, 0, G_OPTION_ARG_STRING, &opt_not_found_polls,
    "First polls of each analysis that answer 404 (default 0)", "N" },
  { "max-direct-upload", 0, 0, G_OPTION_ARG_STRING, &opt_max_direct_upload,
    "Largest file POST /files takes (default 33554432)", "BYTES" },
  { "upload-url-base", 0, 0, G_OPTION_ARG_STRING, &opt_upload_url_base,
    "Hand out upload URLs on this origin instead of our own", "URL" },
  { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_faults,
    "Queue a fault for the next API request (repeatable, in order)", "SPEC" },
  { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_port_file,
    "Write the port number to PATH once listening", "PATH" },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file,
    "With --https, copy the certificate to PATH for clients to trust", "PATH" },
  { NULL }
};

static const char description[] =
  "Serves a fake VirusTotal API v3 under http://127.0.0.1:PORT/api/v3 and prints\n"
  "\"fake-vt listening on BASE_URL\" once it listens. Stops on SIGTERM or SIGINT.\n"
  "\n"
  "Faults: 503, 504, reset, slow:MS, truncated, html, 429, 429:SECONDS, 401, huge,\n"
  "  500-nonjson, trickle, wrong-id:SHA256; always:FAULT for every request\n"
  "Verdicts: clean, eicar, malicious:N, suspicious:N, malicious:N,suspicious:M, each\n"
  "  optionally with ,no-results ,disagree ,hostile-text or ,analysed-days-ago:N\n"
  "\n"
  "Control endpoints, without a key:\n"
  "  GET  /_fake/stats                          counters, as JSON\n"
  "  POST /_fake/fault?spec=SPEC                queue a fault\n"
  "  POST /_fake/clear-faults                   forget every queued fault\n"
  "  POST /_fake/register?sha256=H&verdict=V    know a file (or path=PATH&verdict=V)\n"
  "  POST /_fake/reset                          zero the counters\n"
  "  POST /_fake/config?quota_per_minute=N&...  change a setting (api_key, quota_window,\n"
  "       upload_verdict, analysis_polls, analysis_not_found_polls, max_direct_upload,\n"
  "       upload_url_base)\n";

static gboolean
parse_uint (const char  *option,
            const char  *text,
            guint64      min,
            guint64      max,
            guint64     *value,
            GError     **error)
{
  if (g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s wants a number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
               ", not “%s”", option, min, max, text);
  return FALSE;
}

static gboolean
split_assignment (const char  *option,
                  const char  *text,
                  char       **left,
                  char       **right,
                  GError     **error)
{
  /* A path may hold "=", a verdict never does. */
  const char *equals = strrchr (text, '=');

  if (equals == NULL || equals == text || equals[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s wants NAME=VERDICT, not “%s”", option, text);
      return FALSE;
    }

  *left = g_strndup (text, equals - text);
  *right = g_strdup (equals + 1);
  return TRUE;
}

static gboolean
check_verdict (const char  *option,
               const char  *verdict,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CfFakeVtVerdict parsed;

  if (cf_fake_vt_verdict_parse (verdict, &parsed, &local_error))
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s: %s", option, local_error->message);
  return FALSE;
}

static gboolean
configure (CfFakeVt  *fake,
           GError   **error)
{
  guint64 value;

  if (opt_key != NULL)
    {
      if (*opt_key == '\0')
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--key wants a non-empty key");
          return FALSE;
        }
      cf_fake_vt_set_api_key (fake, opt_key);
    }

  for (guint i = 0; opt_register != NULL && opt_register[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *verdict = NULL;

      if (!split_assignment ("--register", opt_register[i], &path, &verdict, error) ||
          !cf_fake_vt_register_file (fake, path, verdict, error))
        return FALSE;
    }

  for (guint i = 0; opt_register_hash != NULL && opt_register_hash[i] != NULL; i++)
    {
      g_autofree char *hash = NULL;
      g_autofree char *verdict = NULL;

      if (!split_assignment ("--register-hash", opt_register_hash[i], &hash, &verdict, error) ||
          !cf_fake_vt_register_hash (fake, hash, verdict, error))
        return FALSE;
    }

  if (opt_quota != NULL)
    {
      if (!parse_uint ("--quota-per-minute", opt_quota, 0, G_MAXUINT, &value, error))
        return FALSE;
      cf_fake_vt_set_quota_per_minute (fake, (guint) value);
    }

  if (opt_account != NULL && !cf_fake_vt_set_account (fake, opt_account, error))
    return FALSE;

  if (opt_quota_window != NULL)
    {
      if (!parse_uint ("--quota-window", opt_quota_window, 1, G_MAXUINT, &value, error))
        return FALSE;
      cf_fake_vt_set_quota_window (fake, (guint) value);
    }

  if (opt_upload_verdict != NULL)
    {
      if (!check_verdict ("--upload-verdict", opt_upload_verdict, error))
        return FALSE;
      cf_fake_vt_set_upload_verdict (fake, opt_upload_verdict);
    }

  if (opt_analysis_polls != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (opt_analysis_polls, ",", -1);
      guint64 queued;

      if (g_strv_length (parts) != 2 ||
          !parse_uint ("--analysis-polls", parts[0], 0, 1000, &queued, error) ||
          !parse_uint ("--analysis-polls", parts[1], 0, 1000, &value, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "--analysis-polls wants QUEUED,IN_PROGRESS, not “%s”",
                         opt_analysis_polls);
          return FALSE;
        }
      cf_fake_vt_set_analysis_polls (fake, (guint) queued, (guint) value);
    }

  if (opt_not_found_polls != NULL)
    {
      if (!parse_uint ("--analysis-not-found-polls", opt_not_found_polls, 0, 1000, &value, error))
        return FALSE;
      cf_fake_vt_set_analysis_not_found_polls (fake, (guint) value);
    }

  if (opt_max_direct_upload != NULL)
    {
      if (!parse_uint ("--max-direct-upload", opt_max_direct_upload, 0, G_MAXINT64, &value, error))
        return FALSE;
      cf_fake_vt_set_max_direct_upload (fake, (goffset) value);
    }

  if (opt_upload_url_base != NULL)
    cf_fake_vt_set_upload_url_base (fake, opt_upload_url_base);

  for (guint i = 0; opt_faults != NULL && opt_faults[i] != NULL; i++)
    {
      if (!cf_fake_vt_fault_is_valid (opt_faults[i], error))
        return FALSE;
      cf_fake_vt_push_fault (fake, opt_faults[i]);
    }

  return TRUE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
usage_error (const GError *error)
{
  g_printerr ("fake-vt: %s\nTry “fake-vt --help”.\n", error->message);
  return EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CfFakeVt) fake = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  guint64 port = 0;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- serve a fake VirusTotal API v3 for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error);

  if (argc > 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "Unexpected argument “%s”", argv[1]);
      return usage_error (error);
    }

  if (opt_port != NULL && !parse_uint ("--port", opt_port, 0, G_MAXUINT16, &port, &error))
    return usage_error (error);

  if (opt_ca_file != NULL && !opt_https)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--ca-file only makes sense with --https");
      return usage_error (error);
    }

  fake = cf_fake_vt_new ();
  if (!configure (fake, &error))
    return usage_error (error);

  if (!cf_fake_vt_start_on_port (fake, (guint) port, opt_https, &error))
    {
      g_printerr ("fake-vt: Could not start: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (opt_ca_file != NULL)
    {
      g_autofree char *pem = NULL;
      gsize length;

      if (!g_file_get_contents (cf_fake_vt_get_ca_file (fake), &pem, &length, &error) ||
          !g_file_set_contents (opt_ca_file, pem, length, &error))
        {
          g_printerr ("fake-vt: Could not write the certificate: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  /* The port file comes first: once the line is out, scripts may read it. */
  if (opt_port_file != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", cf_fake_vt_get_port (fake));

      if (!g_file_set_contents (opt_port_file, text, -1, &error))
        {
          g_printerr ("fake-vt: Could not write the port file: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  base_url = cf_fake_vt_get_base_url (fake);
  g_print ("fake-vt listening on %s\n", base_url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_main_loop_run (loop);

  cf_fake_vt_stop (fake);

  return EXIT_SUCCESS;
}
