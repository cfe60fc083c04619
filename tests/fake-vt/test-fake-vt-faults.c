/* test-fake-vt-faults.c
 *
 * Tests of the faults the fake VirusTotal server injects on request.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "test-fake-vt-client.h"

#define KNOWN_SHA256 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define UNKNOWN_SHA256 "0000000000000000000000000000000000000000000000000000000000000002"

typedef struct
{
  const char *name;
  const char *spec;
  guint       status;        /* 0 when the request itself must fail */
  const char *code;          /* the JSON error code, if any */
  const char *content_type;
  gboolean    json;          /* whether the body parses as JSON */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "503", "503", 503, "TransientError", "application/json", TRUE },
  { "504", "504", 504, "DeadlineExceededError", "application/json", TRUE },
  { "429", "429", 429, "QuotaExceededError", "application/json", TRUE },
  { "429-retry-after", "429:7", 429, "QuotaExceededError", "application/json", TRUE },
  { "401", "401", 401, "WrongCredentialsError", "application/json", TRUE },
  { "html", "html", 200, NULL, "text/html", FALSE },
  { "500-nonjson", "500-nonjson", 500, NULL, "text/html", FALSE },
  { "truncated", "truncated", 200, NULL, "application/json", FALSE },
  { "huge", "huge", 200, NULL, "application/json", TRUE },
  { "slow", "slow:300", 200, NULL, "application/json", TRUE },
  { "reset", "reset", 0, NULL, NULL, FALSE },
};

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *c = data;
  g_autofree char *url = g_strdup_printf ("%s/files/%s", f->base_url, KNOWN_SHA256);
  g_autoptr(SoupSession) fresh = test_new_session (NULL);
  g_autoptr(TestReply) normal = NULL;
  g_autoptr(TestReply) faulted = NULL;
  g_autoptr(TestReply) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "malicious:1", &error));
  normal = test_send (f->session, "GET", url, TEST_KEY, NULL, NULL);
  g_assert_cmpuint (normal->status, ==, 200);

  /* A fresh connection: libsoup silently resends a request whose reused
   * connection closed before any reply, which would hide a reset. */
  cf_fake_vt_push_fault (f->fake, c->spec);
  faulted = test_send (fresh, "GET", url, TEST_KEY, NULL, NULL);

  if (c->status == 0)
    {
      g_assert_nonnull (faulted->error);
    }
  else
    {
      g_assert_no_error (faulted->error);
      g_assert_cmpuint (faulted->status, ==, c->status);
      g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (faulted->headers,
                                                                              NULL),
                                       c->content_type));
      g_assert_cmpint (faulted->json != NULL, ==, c->json);
      if (c->code != NULL)
        test_assert_error (faulted, c->status, c->code);
    }

  if (g_str_equal (c->spec, "429:7"))
    g_assert_cmpstr (soup_message_headers_get_one (faulted->headers, "Retry-After"), ==, "7");
  else if (g_str_equal (c->spec, "429"))
    g_assert_null (soup_message_headers_get_one (faulted->headers, "Retry-After"));
  else if (g_str_equal (c->spec, "slow:300"))
    g_assert_cmpstr (test_string (faulted, "data.id"), ==, KNOWN_SHA256);
  else if (g_str_equal (c->spec, "truncated"))
    g_assert_cmpuint (g_bytes_get_size (faulted->body), ==, g_bytes_get_size (normal->body) / 2);
  else if (g_str_equal (c->spec, "huge"))
    g_assert_cmpuint (g_bytes_get_size (faulted->body), ==, 64 * 1024 * 1024);

  /* One request each: the next one is served normally. */
  after = test_send (f->session, "GET", url, TEST_KEY, NULL, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpstr (test_string (after, "data.id"), ==, KNOWN_SHA256);

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "faults"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "429"), ==, c->status == 429 ? 1 : 0);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "401"), ==, c->status == 401 ? 1 : 0);
}

static void
test_faults_in_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *stats_url = g_strconcat (f->origin, "/_fake/stats", NULL);
  g_autoptr(TestReply) stats = NULL;
  g_autoptr(TestReply) first = NULL;
  g_autoptr(TestReply) second = NULL;
  g_autoptr(TestReply) third = NULL;

  cf_fake_vt_push_fault (f->fake, "503");
  cf_fake_vt_push_fault (f->fake, "504");

  /* Control paths never take a fault. */
  stats = test_send (f->session, "GET", stats_url, NULL, NULL, NULL);
  g_assert_cmpuint (stats->status, ==, 200);
  g_assert_cmpint (test_int (stats, "faults_pending"), ==, 2);

  first = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (first, 503, "TransientError");
  second = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (second, 504, "DeadlineExceededError");
  third = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (third, 404, "NotFoundError");
}

typedef struct
{
  TestReply *reply;
} AsyncRequest;

static void
on_async_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRequest *request = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  request->reply = g_new0 (TestReply, 1);
  request->reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                            &request->reply->error);
  request->reply->status = soup_message_get_status (msg);
  request->reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static void
send_async (SoupSession  *session,
            const char   *url,
            GCancellable *cancellable,
            AsyncRequest *request)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "x-apikey", TEST_KEY);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_async_sent, request);
}

/* Runs this thread's loop until the server has seen @count requests. */
static void
wait_for_requests (Fixture *f,
                   guint    count)
{
  while (cf_fake_vt_get_count (f->fake, "requests") < count)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
}

/* A reply held back does not hold up the others.  The held one is never
 * sent: it ends with an error when the server stops, which a server that
 * answered one request at a time could not have done after answering the
 * second. */
static void
test_slow_does_not_block (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/files/%s", f->base_url, UNKNOWN_SHA256);
  g_autoptr(SoupSession) other = test_new_session (NULL);
  g_autoptr(TestReply) quick = NULL;
  AsyncRequest slow = { NULL };

  cf_fake_vt_push_fault (f->fake, "slow:600000");
  send_async (f->session, url, NULL, &slow);
  wait_for_requests (f, 1);

  quick = test_send (other, "GET", url, TEST_KEY, NULL, NULL);
  test_assert_error (quick, 404, "NotFoundError");

  cf_fake_vt_stop (f->fake);
  while (slow.reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (slow.reply->error);
  test_reply_free (slow.reply);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_slow_client_gives_up (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/files/%s", f->base_url, UNKNOWN_SHA256);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TestReply) after = NULL;
  AsyncRequest gave_up = { NULL };

  cf_fake_vt_push_fault (f->fake, "slow:600");
  send_async (f->session, url, cancellable, &gave_up);
  wait_for_requests (f, 1);
  g_timeout_add (100, cancel_soon, cancellable);

  while (gave_up.reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (gave_up.reply->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  test_reply_free (gave_up.reply);

  /* The server answers into a closed connection, and goes on serving. */
  g_usleep (800 * G_TIME_SPAN_MILLISECOND);
  after = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (after, 404, "NotFoundError");
}

void
test_add_fault_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fake-vt/fault/%s", fault_cases[i].name);

      g_test_add (path, Fixture, &fault_cases[i], test_fixture_set_up, test_fault,
                  test_fixture_tear_down);
    }

  g_test_add ("/fake-vt/fault/in-order", Fixture, NULL, test_fixture_set_up,
              test_faults_in_order, test_fixture_tear_down);
  g_test_add ("/fake-vt/fault/slow-does-not-block", Fixture, NULL, test_fixture_set_up,
              test_slow_does_not_block, test_fixture_tear_down);
  g_test_add ("/fake-vt/fault/slow-client-gives-up", Fixture, NULL, test_fixture_set_up,
              test_slow_client_gives_up, test_fixture_tear_down);
}
