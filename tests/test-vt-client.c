/* test-vt-client.c: the VirusTotal client against the fake server, every error kind
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "cf-test-util.h"
#include "cf-vt-client.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
#define EICAR_MD5 "44d88612fea8a8f36de82e1278abb02f"

typedef struct
{
  CfFakeVt    *server;
  CfVtClient  *client;
  CfScheduler *scheduler;
  char        *tmpdir;
  char        *eicar;
  char        *clean;
} Fixture;

/* A scheduler that never holds a request back. */
static CfScheduler *
unlimited_scheduler (void)
{
  CfScheduler *scheduler = cf_scheduler_new (NULL);

  cf_scheduler_set_limits (scheduler, 0, 0, 0);
  return scheduler;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->eicar = cf_test_write_file (f->tmpdir, "eicar.com", CF_EICAR, -1, 0644);
  f->clean = cf_test_write_file (f->tmpdir, "clean.txt", "nothing to see here\n", -1, 0644);
  g_assert_true (cf_fake_vt_register_file (f->server, f->eicar, "eicar", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, f->clean, "clean", &error));

  url = cf_fake_vt_get_base_url (f->server);
  f->scheduler = unlimited_scheduler ();
  f->client = cf_vt_client_new (url, CF_TEST_KEY, f->scheduler, &error);
  g_assert_no_error (error);
  cf_vt_client_set_timeout (f->client, 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->scheduler);
  g_clear_object (&f->server);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->eicar);
  g_free (f->clean);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static CfReport *
get_file (CfVtClient  *client,
          const char  *hash,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cf_vt_client_get_file_async (client, hash, CF_PRIORITY_INTERACTIVE, NULL, on_done, &result);
  return cf_vt_client_get_file_finish (client, wait_for (&result), error);
}

static void
test_lookup_found (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = get_file (f->client, EICAR_SHA256, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpint (report->stats.malicious, ==, 62);
  g_assert_cmpuint (report->engines->len, >, 60);
  g_assert_cmpstr (report->threat_label, ==, "virus.eicar/test");
}

/* data.id is the SHA-256, whichever hash was asked for. */
static void
test_lookup_by_md5 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = get_file (f->client, EICAR_MD5, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpstr (report->md5, ==, EICAR_MD5);
}

static void
test_lookup_unknown (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = get_file (f->client, "0000000000000000000000000000000000000000000000000000000000000001", &error);

  g_assert_null (report);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = cf_fake_vt_get_base_url (f->server);
  g_autoptr(CfVtClient) client = cf_vt_client_new (url, "wrong-key", f->scheduler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = get_file (client, EICAR_SHA256, &error);

  g_assert_null (report);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY);
  g_assert_null (strstr (error->message, "wrong-key"));
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfVtClient) client = cf_vt_client_new ("http://127.0.0.1:1/api/v3", "", f->scheduler,
                                                   &error);

  g_assert_null (client);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "VT_API_KEY"));
}

static void
test_check_key (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = cf_fake_vt_get_base_url (f->server);
  g_autoptr(CfVtClient) wrong = cf_vt_client_new (url, "nope", f->scheduler, NULL);
  g_autoptr(GAsyncResult) good_result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;

  cf_vt_client_check_key_async (f->client, NULL, on_done, &good_result);
  g_assert_true (cf_vt_client_check_key_finish (f->client, wait_for (&good_result), &error));
  g_assert_no_error (error);

  cf_vt_client_check_key_async (wrong, NULL, on_done, &bad_result);
  g_assert_false (cf_vt_client_check_key_finish (wrong, wait_for (&bad_result), &error));
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY);
}

typedef struct
{
  const char *faults[3];
  int         expected;   /* -1: success */
} FaultCase;

static const FaultCase fault_cases[] = {
  { { "503", "503", NULL }, -1 },
  { { "504", NULL }, -1 },
  { { "reset", NULL }, -1 },
  { { "429:1", NULL }, -1 },
  { { "truncated", NULL }, CF_VT_ERROR_BAD_RESPONSE },
  { { "html", NULL }, CF_VT_ERROR_BAD_RESPONSE },
  { { "huge", NULL }, CF_VT_ERROR_BAD_RESPONSE },
  { { "401", NULL }, CF_VT_ERROR_WRONG_KEY },
  { { "500-nonjson", "500-nonjson", NULL }, -1 },
};

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = NULL;

  for (guint i = 0; c->faults[i] != NULL; i++)
    cf_fake_vt_push_fault (f->server, c->faults[i]);

  report = get_file (f->client, EICAR_SHA256, &error);
  if (c->expected < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
    }
  else
    {
      g_assert_null (report);
      g_assert_error (error, CF_VT_ERROR, c->expected);
    }
}

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* Waits until the scheduler says it is paused; the deadline is a bound
 * against a hang, not a measurement. */
static gint64
wait_for_pause (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (cf_scheduler_get_wait_until (f->scheduler) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return cf_scheduler_get_wait_until (f->scheduler);
}

/* A 429 with Retry-After pauses the request for exactly that long: it is not
 * failed, it waits.  A fake clock shows the wait without waiting. */
static void
test_429_pauses_scheduler (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CfReport) report = NULL;
  gint64 now = g_get_real_time ();
  gint64 wait_until;

  cf_scheduler_set_clock (f->scheduler, fake_clock, &now);
  cf_fake_vt_push_fault (f->server, "429:2");
  cf_vt_client_get_file_async (f->client, EICAR_SHA256, CF_PRIORITY_INTERACTIVE, NULL, on_done, &result);

  wait_until = wait_for_pause (f);
  g_assert_cmpint (wait_until, >=, now + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (wait_until, <, now + 3 * G_USEC_PER_SEC);
  g_assert_null (result);

  now += 1 * G_USEC_PER_SEC;
  cf_scheduler_poke (f->scheduler);
  g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);

  now = wait_until;
  cf_scheduler_poke (f->scheduler);
  report = cf_vt_client_get_file_finish (f->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "429"), ==, 1);
}

/* Without Retry-After, a 429 pauses every request for the minute window.
 * A fake clock shows the whole minute in no time. */
static void
test_429_without_retry_after (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CfReport) report = NULL;
  gint64 now = g_get_real_time ();

  cf_scheduler_set_clock (f->scheduler, fake_clock, &now);
  cf_fake_vt_push_fault (f->server, "429");
  cf_vt_client_get_file_async (f->client, EICAR_SHA256, CF_PRIORITY_INTERACTIVE, NULL, on_done, &result);

  g_assert_cmpint (wait_for_pause (f), >=, now + 60 * G_USEC_PER_SEC);
  g_assert_null (result);

  /* The item waits; it has not failed. */
  now += 30 * G_USEC_PER_SEC;
  cf_scheduler_poke (f->scheduler);
  g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);

  now += 31 * G_USEC_PER_SEC;
  cf_scheduler_poke (f->scheduler);
  report = cf_vt_client_get_file_finish (f->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "429"), ==, 1);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = NULL;

  cf_vt_client_set_timeout (f->client, 1);
  cf_fake_vt_push_fault (f->server, "slow:3000");
  report = get_file (f->client, EICAR_SHA256, &error);
  g_assert_null (report);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_TIMEOUT);
}

static void
test_insecure_url (void)
{
  static const struct { const char *url; gboolean ok; } urls[] = {
    { "https://www.virustotal.com/api/v3", TRUE },
    { "http://127.0.0.1:8080/api/v3", TRUE },
    { "http://[::1]:8080/api/v3", TRUE },
    { "http://localhost/api/v3", TRUE },
    { "http://www.virustotal.com/api/v3", FALSE },
    { "http://10.0.0.1/api/v3", FALSE },
    { "ftp://127.0.0.1/", FALSE },
    { "not a url", FALSE },
  };

  g_autoptr(CfScheduler) scheduler = unlimited_scheduler ();

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfVtClient) client = cf_vt_client_new (urls[i].url, CF_TEST_KEY, scheduler, &error);

      if (urls[i].ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (client);
        }
      else
        {
          g_assert_null (client);
          g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_INSECURE_URL);
        }
    }
}

/* HTTPS works through glib-networking, and an untrusted certificate is
 * refused before anything is sent. */
static void
test_https (void)
{
  g_autoptr(CfFakeVt) server = cf_fake_vt_new ();
  g_autoptr(CfScheduler) scheduler = unlimited_scheduler ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CfVtClient) client = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(CfReport) refused = NULL;
  g_autoptr(CfReport) report = NULL;
  g_autofree char *url = NULL;

  cf_fake_vt_set_api_key (server, CF_TEST_KEY);
  g_assert_true (cf_fake_vt_start (server, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (cf_fake_vt_register_hash (server, EICAR_SHA256, "eicar", &error));
  url = cf_fake_vt_get_base_url (server);
  g_assert_true (g_str_has_prefix (url, "https://"));

  client = cf_vt_client_new (url, CF_TEST_KEY, scheduler, &error);
  g_assert_no_error (error);
  refused = get_file (client, EICAR_SHA256, &error);
  g_assert_null (refused);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_TLS);
  g_assert_cmpuint (cf_fake_vt_get_count (server, "requests"), ==, 0);
  g_clear_error (&error);

  database = g_tls_file_database_new (cf_fake_vt_get_ca_file (server), &error);
  g_assert_no_error (error);
  cf_vt_client_set_tls_database (client, database);
  report = get_file (client, EICAR_SHA256, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->stats.malicious, ==, 62);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cf/vt-client/lookup-found", test_lookup_found);
  ADD ("/cf/vt-client/lookup-by-md5", test_lookup_by_md5);
  ADD ("/cf/vt-client/lookup-unknown", test_lookup_unknown);
  ADD ("/cf/vt-client/wrong-key", test_wrong_key);
  ADD ("/cf/vt-client/no-key", test_no_key);
  ADD ("/cf/vt-client/check-key", test_check_key);
  ADD ("/cf/vt-client/429-pauses-scheduler", test_429_pauses_scheduler);
  ADD ("/cf/vt-client/429-without-retry-after", test_429_without_retry_after);
  ADD ("/cf/vt-client/timeout", test_timeout);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/vt-client/fault/%s%s", fault_cases[i].faults[0],
                                               fault_cases[i].faults[1] ? "-twice" : "");
      g_test_add (name, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }
  g_test_add_func ("/cf/vt-client/insecure-url", test_insecure_url);
  g_test_add_func ("/cf/vt-client/https", test_https);

  return g_test_run ();
}
