/* test-fake-vt.c
 *
 * Tests of the fake VirusTotal server, through a plain SoupSession.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "test-fake-vt-client.h"

#define SCRIPT "#!/bin/sh\necho hi\n"
#define EICAR "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
#define UNKNOWN_SHA256 "0000000000000000000000000000000000000000000000000000000000000001"
#define KNOWN_SHA256 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void
test_lifecycle (void)
{
  g_autoptr(CfFakeVt) fake = cf_fake_vt_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *expected = NULL;
  guint port;

  g_assert_null (cf_fake_vt_get_base_url (fake));
  g_assert_true (cf_fake_vt_start (fake, FALSE, &error));
  g_assert_no_error (error);

  port = cf_fake_vt_get_port (fake);
  g_assert_cmpuint (port, >, 0);
  base_url = cf_fake_vt_get_base_url (fake);
  expected = g_strdup_printf ("http://127.0.0.1:%u/api/v3", port);
  g_assert_cmpstr (base_url, ==, expected);
  g_assert_null (cf_fake_vt_get_ca_file (fake));

  cf_fake_vt_stop (fake);
  g_assert_cmpuint (cf_fake_vt_get_port (fake), ==, 0);
  cf_fake_vt_stop (fake);

  /* It starts again, keeping what it knew, and finalizing stops it. */
  g_assert_true (cf_fake_vt_register_hash (fake, KNOWN_SHA256, "clean", &error));
  g_assert_true (cf_fake_vt_start_on_port (fake, port, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cf_fake_vt_get_port (fake), ==, port);
  {
    g_autoptr(SoupSession) session = test_new_session (NULL);
    g_autofree char *url = g_strdup_printf ("%s/files/%s", base_url, KNOWN_SHA256);
    g_autoptr(TestReply) reply = test_send (session, "GET", url, TEST_KEY, NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
  }
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/files/%s", f->base_url, KNOWN_SHA256);
  g_autoptr(TestReply) missing = test_send (f->session, "GET", url, NULL, NULL, NULL);
  g_autoptr(TestReply) wrong = test_send (f->session, "GET", url, "other-key", NULL, NULL);
  g_autoptr(TestReply) right = NULL;
  g_autoptr(TestReply) old = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "clean", &error));
  test_assert_error (missing, 401, "AuthenticationRequiredError");
  test_assert_error (wrong, 401, "WrongCredentialsError");

  cf_fake_vt_set_api_key (f->fake, "other-key");
  right = test_send (f->session, "GET", url, "other-key", NULL, NULL);
  g_assert_cmpuint (right->status, ==, 200);
  old = test_send (f->session, "GET", url, TEST_KEY, NULL, NULL);
  test_assert_error (old, 401, "WrongCredentialsError");

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 4);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 4);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "401"), ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "keyless"), ==, 3);
}

static void
test_lookup_by_each_hash (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = test_write_file (f, "sample.sh", SCRIPT, -1);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SCRIPT, -1);
  g_autofree char *sha1 = g_compute_checksum_for_string (G_CHECKSUM_SHA1, SCRIPT, -1);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, SCRIPT, -1);
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  const char *hashes[] = { upper, sha1, md5 };
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_file (f->fake, path, "malicious:5,suspicious:2", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    {
      g_autoptr(TestReply) reply = test_api (f, "GET", "/files/%s", hashes[i]);
      g_autofree char *self_link = g_strdup_printf ("%s/files/%s", f->base_url, sha256);
      JsonObject *results;
      GList *engines;

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpstr (test_string (reply, "data.id"), ==, sha256);
      g_assert_cmpstr (test_string (reply, "data.type"), ==, "file");
      g_assert_cmpstr (test_string (reply, "data.links.self"), ==, self_link);
      g_assert_cmpstr (test_string (reply, "data.attributes.sha256"), ==, sha256);
      g_assert_cmpstr (test_string (reply, "data.attributes.sha1"), ==, sha1);
      g_assert_cmpstr (test_string (reply, "data.attributes.md5"), ==, md5);
      g_assert_cmpint (test_int (reply, "data.attributes.size"), ==, 18);
      g_assert_cmpstr (test_string (reply, "data.attributes.type_description"), ==, "Shell script");
      g_assert_cmpstr (test_string (reply, "data.attributes.meaningful_name"), ==, "sample.sh");
      g_assert_cmpint (test_int (reply, "data.attributes.reputation"), <, 0);
      g_assert_cmpint (test_int (reply, "data.attributes.last_analysis_date"), >, 0);
      g_assert_cmpint (test_int (reply, "data.attributes.first_submission_date"), >, 0);
      g_assert_cmpint (test_int (reply, "data.attributes.total_votes.malicious"), ==, 1);
      test_assert_stats (reply, "data.attributes.last_analysis_stats", 5, 2, 57, 0, 3);
      g_assert_nonnull (test_member (reply, "data.attributes.popular_threat_classification"));
      g_assert_cmpstr (test_string (reply, "data.attributes.popular_threat_classification."
                                           "suggested_threat_label"), ==, "trojan.fakevt/generic");

      results = json_node_get_object (test_member (reply, "data.attributes.last_analysis_results"));
      engines = json_object_get_members (results);
      g_assert_cmpuint (g_list_length (engines), ==, 67);
      for (GList *l = engines; l != NULL; l = l->next)
        {
          JsonObject *engine = json_object_get_object_member (results, l->data);
          const char *category = json_object_get_string_member (engine, "category");
          gboolean flagged = g_str_equal (category, "malicious") ||
                             g_str_equal (category, "suspicious");

          g_assert_cmpstr (json_object_get_string_member (engine, "engine_name"), ==, l->data);
          g_assert_true (json_object_has_member (engine, "engine_version"));
          g_assert_cmpstr (json_object_get_string_member (engine, "engine_update"), ==, "20261120");
          g_assert_cmpstr (json_object_get_string_member (engine, "method"), ==, "blacklist");
          g_assert_true (json_object_has_member (engine, "result"));
          g_assert_cmpint (json_node_is_null (json_object_get_member (engine, "result")), ==,
                           !flagged);
        }
      g_list_free (engines);
    }

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 3);
}

static void
test_lookup_clean_hash (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, KNOWN_SHA256, -1);
  g_autofree char *md5 = g_strndup (digest, 32);
  g_autofree char *sha1 = g_strndup (digest, 40);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) by_md5 = NULL;
  g_autoptr(TestReply) by_sha1 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "clean", &error));

  reply = test_api (f, "GET", "/files/%s", KNOWN_SHA256);
  g_assert_cmpuint (reply->status, ==, 200);
  test_assert_stats (reply, "data.attributes.last_analysis_stats", 0, 0, 58, 6, 3);
  g_assert_null (test_member (reply, "data.attributes.popular_threat_classification"));
  g_assert_cmpint (test_int (reply, "data.attributes.reputation"), ==, 0);
  g_assert_cmpint (test_int (reply, "data.attributes.size"), ==, 0);
  g_assert_cmpstr (test_string (reply, "data.attributes.md5"), ==, md5);
  g_assert_cmpstr (test_string (reply, "data.attributes.sha1"), ==, sha1);

  by_md5 = test_api (f, "GET", "/files/%s", md5);
  g_assert_cmpstr (test_string (by_md5, "data.id"), ==, KNOWN_SHA256);
  by_sha1 = test_api (f, "GET", "/files/%s", sha1);
  g_assert_cmpstr (test_string (by_sha1, "data.id"), ==, KNOWN_SHA256);
}

static void
test_lookup_eicar (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = test_write_file (f, "eicar.com", EICAR, -1);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, EICAR, -1);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *results;

  g_assert_true (cf_fake_vt_register_file (f->fake, path, "eicar", &error));
  reply = test_api (f, "GET", "/files/%s", sha256);

  g_assert_cmpuint (reply->status, ==, 200);
  test_assert_stats (reply, "data.attributes.last_analysis_stats", 62, 0, 2, 0, 3);
  g_assert_cmpstr (test_string (reply, "data.attributes.popular_threat_classification."
                                       "suggested_threat_label"), ==, "virus.eicar/test");
  results = json_node_get_object (test_member (reply, "data.attributes.last_analysis_results"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (results, "Bkav"),
                                                  "result"), ==, "EICAR-Test-File");
}

static void
test_lookup_not_found (Fixture       *f,
                       gconstpointer  data)
{
  const char *paths[] = {
    "/files/" UNKNOWN_SHA256,
    "/files/not-a-hash",
    "/files/" KNOWN_SHA256 "/",
    "/files/",
    "/nothing/here",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "clean", &error));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TestReply) reply = test_api (f, "GET", "%s", paths[i]);

      test_assert_error (reply, 404, "NotFoundError");
    }
}

typedef struct
{
  const char *verdict;
  gboolean    valid;
  guint       malicious;
  guint       suspicious;
  guint       undetected;
  guint       harmless;
} VerdictCase;

static const VerdictCase verdict_cases[] = {
  { "clean", TRUE, 0, 0, 58, 6 },
  { "malicious:3", TRUE, 3, 0, 61, 0 },
  { "suspicious:4", TRUE, 0, 4, 60, 0 },
  { "malicious:2,suspicious:1", TRUE, 2, 1, 61, 0 },
  { "eicar", TRUE, 62, 0, 2, 0 },
  { "malicious:64", TRUE, 64, 0, 0, 0 },
  { "malicious:65", FALSE },
  { "malicious:40,suspicious:40", FALSE },
  { "malicious:x", FALSE },
  { "bad:1", FALSE },
  { "dirty", FALSE },
  { "", FALSE },
};

static void
test_verdict (gconstpointer data)
{
  const VerdictCase *c = data;
  g_autoptr(CfFakeVt) fake = cf_fake_vt_new ();
  g_autoptr(SoupSession) session = test_new_session (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *url = NULL;
  g_autoptr(TestReply) reply = NULL;

  if (!c->valid)
    {
      g_assert_false (cf_fake_vt_register_hash (fake, KNOWN_SHA256, c->verdict, &error));
      g_assert_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT);
      return;
    }

  g_assert_true (cf_fake_vt_register_hash (fake, KNOWN_SHA256, c->verdict, &error));
  g_assert_true (cf_fake_vt_start (fake, FALSE, &error));
  base_url = cf_fake_vt_get_base_url (fake);
  url = g_strdup_printf ("%s/files/%s", base_url, KNOWN_SHA256);
  reply = test_send (session, "GET", url, TEST_KEY, NULL, NULL);
  test_assert_stats (reply, "data.attributes.last_analysis_stats",
                     c->malicious, c->suspicious, c->undetected, c->harmless, 3);
}

static void
test_register_errors (void)
{
  g_autoptr(CfFakeVt) fake = cf_fake_vt_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_fake_vt_register_hash (fake, "abc", "clean", &error));
  g_assert_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_HASH);
  g_clear_error (&error);

  g_assert_false (cf_fake_vt_register_hash (fake, UNKNOWN_SHA256 "0", "clean", &error));
  g_assert_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_HASH);
  g_clear_error (&error);

  g_assert_false (cf_fake_vt_register_file (fake, "/nonexistent/file", "clean", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_false (cf_fake_vt_fault_is_valid ("slow:abc", &error));
  g_assert_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_FAULT);
  g_assert_true (cf_fake_vt_fault_is_valid ("429:30", NULL));
}

/* Polls an analysis and checks its status and how many results it has. */
static void
poll_analysis (Fixture    *f,
               const char *id,
               const char *status,
               guint       n_results)
{
  g_autoptr(TestReply) reply = test_api (f, "GET", "/analyses/%s", id);
  JsonObject *results;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (test_string (reply, "data.type"), ==, "analysis");
  g_assert_cmpstr (test_string (reply, "data.id"), ==, id);
  g_assert_cmpstr (test_string (reply, "data.attributes.status"), ==, status);
  g_assert_cmpint (test_int (reply, "data.attributes.date"), >, 0);
  g_assert_nonnull (test_member (reply, "data.attributes.stats.confirmed-timeout"));
  g_assert_nonnull (test_member (reply, "meta.file_info.sha256"));
  g_assert_nonnull (test_member (reply, "meta.file_info.size"));
  results = json_node_get_object (test_member (reply, "data.attributes.results"));
  g_assert_cmpuint (json_object_get_size (results), ==, n_results);
}

static void
test_upload_direct (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("upload me\n", 10);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) early = NULL;
  g_autoptr(TestReply) report = NULL;
  g_autoptr(TestReply) item = NULL;
  g_autoptr(TestReply) analysis = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *self_link = NULL;
  const char *id;

  cf_fake_vt_set_upload_verdict (f->fake, "malicious:7");
  reply = test_upload (f->session, url, TEST_KEY, "sample.txt", content);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (test_string (reply, "data.type"), ==, "analysis");
  id = test_string (reply, "data.id");
  self_link = g_strdup_printf ("%s/analyses/%s", f->base_url, id);
  g_assert_cmpstr (test_string (reply, "data.links.self"), ==, self_link);

  filename = cf_fake_vt_get_last_upload_filename (f->fake);
  g_assert_cmpstr (filename, ==, "sample.txt");
  g_assert_cmpint (cf_fake_vt_get_last_upload_size (f->fake), ==, 10);

  /* Not known until analysed. */
  early = test_api (f, "GET", "/files/%s", sha256);
  test_assert_error (early, 404, "NotFoundError");

  poll_analysis (f, id, "queued", 0);
  poll_analysis (f, id, "in-progress", 33);
  poll_analysis (f, id, "completed", 67);

  analysis = test_api (f, "GET", "/analyses/%s", id);
  g_assert_cmpstr (test_string (analysis, "meta.file_info.sha256"), ==, sha256);
  test_assert_stats (analysis, "data.attributes.stats", 7, 0, 57, 0, 3);

  report = test_api (f, "GET", "/files/%s", sha256);
  g_assert_cmpuint (report->status, ==, 200);
  test_assert_stats (report, "data.attributes.last_analysis_stats", 7, 0, 57, 0, 3);
  g_assert_cmpstr (test_string (report, "data.attributes.meaningful_name"), ==, "sample.txt");

  item = test_api (f, "GET", "/analyses/%s/item", id);
  g_assert_cmpstr (test_string (item, "data.id"), ==, sha256);

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "uploads"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "analysis_polls"), ==, 4);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 2);
}

static void
test_upload_known_content (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = test_write_file (f, "eicar.com", EICAR, -1);
  g_autoptr(GBytes) content = g_bytes_new_static (EICAR, strlen (EICAR));
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) analysis = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_file (f->fake, path, "eicar", &error));
  cf_fake_vt_set_analysis_polls (f->fake, 0, 0);
  reply = test_upload (f->session, url, TEST_KEY, "renamed.com", content);
  analysis = test_api (f, "GET", "/analyses/%s", test_string (reply, "data.id"));

  g_assert_cmpstr (test_string (analysis, "data.attributes.status"), ==, "completed");
  test_assert_stats (analysis, "data.attributes.stats", 62, 0, 2, 0, 3);
}

static void
test_upload_extended_filename (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("x", 1);
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(TestReply) reply = NULL;

  /* libsoup writes filename*=UTF-8''… for a name that is not ASCII. */
  reply = test_upload (f->session, url, TEST_KEY, "café.txt", content);
  test_assert_error (reply, 400, "BadRequestError");
  g_assert_cmpint (cf_fake_vt_get_last_upload_size (f->fake), ==, 1);
}

static void
test_upload_too_large (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(GBytes) small = g_bytes_new_take (g_malloc0 (2000), 2000);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (3 << 20), 3 << 20);
  g_autoptr(TestReply) over = NULL;
  g_autoptr(TestReply) way_over = NULL;

  cf_fake_vt_set_max_direct_upload (f->fake, 1000);

  over = test_upload (f->session, url, TEST_KEY, "small.bin", small);
  g_assert_cmpuint (over->status, ==, 413);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (over->headers, NULL),
                                   "text/html"));
  g_assert_null (over->json);
  g_assert_cmpint (cf_fake_vt_get_last_upload_size (f->fake), ==, 2000);

  way_over = test_upload (f->session, url, TEST_KEY, "big.bin", big);
  g_assert_cmpuint (way_over->status, ==, 413);
  g_assert_null (way_over->json);
}

typedef struct
{
  const char *name;
  const char *content_type;
  const char *body;
} BadBody;

static const BadBody bad_bodies[] = {
  { "not-multipart", "text/plain", "hello" },
  { "no-boundary", "multipart/form-data", "--x\r\n\r\nhi\r\n--x--\r\n" },
  { "garbage", "multipart/form-data; boundary=zz", "\x01\x02garbage" },
  { "no-file-part", "multipart/form-data; boundary=zz",
    "--zz\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhi\r\n--zz--\r\n" },
  { "unterminated", "multipart/form-data; boundary=zz",
    "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nhi" },
  { "no-header-end", "multipart/form-data; boundary=zz",
    "--zz\r\nContent-Disposition: form-data; name=\"file\"" },
  { "bad-boundary-line", "multipart/form-data; boundary=zz", "--zzjunk" },
};

static void
test_upload_bad_body (Fixture       *f,
                      gconstpointer  data)
{
  const BadBody *bad = data;
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(GBytes) body = g_bytes_new_static (bad->body, strlen (bad->body));
  g_autoptr(TestReply) reply = test_send (f->session, "POST", url, TEST_KEY,
                                          bad->content_type, body);
  g_autoptr(TestReply) after = NULL;

  test_assert_error (reply, 400, "BadRequestError");

  after = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (after, 404, "NotFoundError");
}

static char *
get_upload_url (Fixture *f)
{
  g_autoptr(TestReply) reply = test_api (f, "GET", "/files/upload_url");

  g_assert_cmpuint (reply->status, ==, 200);
  return g_strdup (test_string (reply, "data"));
}

static void
test_upload_url_once (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("via url\n", 8);
  g_autofree char *url = get_upload_url (f);
  g_autofree char *prefix = g_strdup_printf ("http://127.0.0.1:%u/_upload/",
                                             cf_fake_vt_get_port (f->fake));
  g_autoptr(TestReply) keyless = NULL;
  g_autoptr(TestReply) first = NULL;
  g_autoptr(TestReply) second = NULL;

  g_assert_true (g_str_has_prefix (url, prefix));

  keyless = test_upload (f->session, url, NULL, "a.txt", content);
  test_assert_error (keyless, 401, "AuthenticationRequiredError");

  first = test_upload (f->session, url, TEST_KEY, "a.txt", content);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (test_string (first, "data.type"), ==, "analysis");

  second = test_upload (f->session, url, TEST_KEY, "a.txt", content);
  test_assert_error (second, 404, "NotFoundError");

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "upload_urls"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "uploads"), ==, 3);
}

static void
test_upload_url_large (Fixture       *f,
                       gconstpointer  data)
{
  gsize size = g_test_slow () ? 300 * 1024 * 1024 : 40 * 1024 * 1024;
  g_autoptr(GBytes) content = g_bytes_new_take (g_malloc0 (size), size);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autofree char *direct_url = g_strdup_printf ("%s/files", f->base_url);
  g_autofree char *url = get_upload_url (f);
  g_autoptr(TestReply) direct = NULL;
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) analysis = NULL;

  direct = test_upload (f->session, direct_url, TEST_KEY, "big.bin", content);
  g_assert_cmpuint (direct->status, ==, 413);

  reply = test_upload (f->session, url, TEST_KEY, "big.bin", content);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (cf_fake_vt_get_last_upload_size (f->fake), ==, (goffset) size);

  analysis = test_api (f, "GET", "/analyses/%s", test_string (reply, "data.id"));
  g_assert_cmpstr (test_string (analysis, "meta.file_info.sha256"), ==, sha256);
  g_assert_cmpint (test_int (analysis, "meta.file_info.size"), ==, (gint64) size);
}

static void
test_upload_url_foreign (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = NULL;

  cf_fake_vt_set_upload_url_base (f->fake, "https://uploads.elsewhere.example");
  url = get_upload_url (f);
  g_assert_true (g_str_has_prefix (url, "https://uploads.elsewhere.example/_upload/"));
}

static void
test_analysis_not_found_polls (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("late\n", 5);
  g_autofree char *url = g_strdup_printf ("%s/files", f->base_url);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) unknown = NULL;
  const char *id;

  cf_fake_vt_set_analysis_not_found_polls (f->fake, 2);
  cf_fake_vt_set_analysis_polls (f->fake, 0, 1);
  reply = test_upload (f->session, url, TEST_KEY, "late.txt", content);
  id = test_string (reply, "data.id");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TestReply) missing = test_api (f, "GET", "/analyses/%s", id);

      test_assert_error (missing, 404, "NotFoundError");
    }
  poll_analysis (f, id, "in-progress", 33);
  poll_analysis (f, id, "completed", 67);

  unknown = test_api (f, "GET", "/analyses/bm9wZQ==");
  test_assert_error (unknown, 404, "NotFoundError");
}

static void
test_rescan (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) unknown = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "suspicious:3", &error));
  cf_fake_vt_set_analysis_polls (f->fake, 0, 0);

  reply = test_api (f, "POST", "/files/%s/analyse", KNOWN_SHA256);
  g_assert_cmpuint (reply->status, ==, 200);
  poll_analysis (f, test_string (reply, "data.id"), "completed", 67);

  unknown = test_api (f, "POST", "/files/%s/analyse", UNKNOWN_SHA256);
  test_assert_error (unknown, 404, "NotFoundError");
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "rescans"), ==, 2);
}

static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TestReply) over = NULL;
  g_autoptr(TestReply) keyless = NULL;
  g_autoptr(TestReply) later = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *url = g_strdup_printf ("%s/files/%s", f->base_url, UNKNOWN_SHA256);

  cf_fake_vt_set_quota_per_minute (f->fake, 3);
  cf_fake_vt_set_quota_window (f->fake, 1);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TestReply) reply = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);

      test_assert_error (reply, 404, "NotFoundError");
    }

  over = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (over, 429, "QuotaExceededError");
  g_assert_null (soup_message_headers_get_one (over->headers, "Retry-After"));

  /* An upload URL costs nothing, and a request without a key fails first on the key. */
  upload_url = get_upload_url (f);
  keyless = test_send (f->session, "GET", url, NULL, NULL, NULL);
  test_assert_error (keyless, 401, "AuthenticationRequiredError");

  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  later = test_api (f, "GET", "/files/%s", UNKNOWN_SHA256);
  test_assert_error (later, 404, "NotFoundError");

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "429"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 7);
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TestReply) by_key = test_api (f, "GET", "/users/%s", TEST_KEY);
  g_autoptr(TestReply) by_id = test_api (f, "GET", "/users/check-first-tester");
  g_autoptr(TestReply) other = test_api (f, "GET", "/users/somebody-else");
  g_autoptr(TestReply) quotas = test_api (f, "GET", "/users/%s/overall_quotas", TEST_KEY);

  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (test_string (by_key, "data.type"), ==, "user");
  g_assert_cmpuint (by_id->status, ==, 200);
  test_assert_error (other, 401, "WrongCredentialsError");
  g_assert_cmpuint (quotas->status, ==, 200);
  /* As served: no quota of its own, a large allowance. */
  g_assert_cmpint (test_int (quotas, "data.api_requests_hourly.user.allowed"), ==, 3600000);
  g_assert_cmpint (test_int (quotas, "data.api_requests_daily.user.used"), ==, 4);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "users"), ==, 4);
}

/* The accounts the tests of the allowance need. */
static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestReply) public_quotas = NULL;
  g_autoptr(TestReply) premium_quotas = NULL;
  g_autoptr(TestReply) tiny_user = NULL;
  g_autoptr(TestReply) users_only_quotas = NULL;
  g_autoptr(TestReply) users_only_user = NULL;
  g_autoptr(TestReply) failing = NULL;

  g_assert_true (cf_fake_vt_set_account (f->fake, "public", &error));
  public_quotas = test_api (f, "GET", "/users/%s/overall_quotas", TEST_KEY);
  g_assert_cmpint (test_int (public_quotas, "data.api_requests_hourly.user.allowed"), ==, 240);
  g_assert_cmpint (test_int (public_quotas, "data.api_requests_daily.user.allowed"), ==, 500);
  g_assert_cmpint (test_int (public_quotas, "data.api_requests_monthly.user.allowed"), ==, 15500);

  g_assert_true (cf_fake_vt_set_account (f->fake, "premium", &error));
  premium_quotas = test_api (f, "GET", "/users/%s/overall_quotas", TEST_KEY);
  g_assert_cmpint (test_int (premium_quotas, "data.api_requests_hourly.user.allowed"), ==, 30000);
  g_assert_cmpint (test_int (premium_quotas, "data.api_requests_daily.group.allowed"), ==, 200000);
  g_assert_cmpstr (test_string (premium_quotas, "data.api_requests_daily.group.inherited_from"), ==,
                   "check-first-testers");

  g_assert_true (cf_fake_vt_set_account (f->fake, "tiny", &error));
  tiny_user = test_api (f, "GET", "/users/%s", TEST_KEY);
  g_assert_cmpint (test_int (tiny_user, "data.attributes.quotas.api_requests_daily.allowed"), ==, 20);

  g_assert_true (cf_fake_vt_set_account (f->fake, "users-only", &error));
  users_only_quotas = test_api (f, "GET", "/users/%s/overall_quotas", TEST_KEY);
  test_assert_error (users_only_quotas, 404, "NotFoundError");
  users_only_user = test_api (f, "GET", "/users/%s", TEST_KEY);
  g_assert_cmpint (test_int (users_only_user, "data.attributes.quotas.api_requests_hourly.allowed"), ==, 120);

  g_assert_true (cf_fake_vt_set_account (f->fake, "failing", &error));
  failing = test_api (f, "GET", "/users/%s/overall_quotas", TEST_KEY);
  test_assert_error (failing, 503, "TransientError");

  g_assert_false (cf_fake_vt_set_account (f->fake, "gold", &error));
  g_assert_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED);
}

static gpointer
toggle_settings (gpointer data)
{
  CfFakeVt *fake = data;

  for (guint i = 0; i < 2000; i++)
    {
      cf_fake_vt_set_upload_verdict (fake, i % 2 ? "clean" : "malicious:2");
      cf_fake_vt_set_quota_per_minute (fake, 0);
      cf_fake_vt_set_analysis_polls (fake, i % 3, i % 2);
      cf_fake_vt_set_upload_url_base (fake, i % 2 ? NULL : "https://x.example");
      (void) cf_fake_vt_get_count (fake, "requests");
    }

  return NULL;
}

static void
test_setters_while_serving (Fixture       *f,
                            gconstpointer  data)
{
  GThread *thread = g_thread_new ("toggler", toggle_settings, f->fake);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(TestReply) reply = test_api (f, "GET", "/files/%s", KNOWN_SHA256);

      g_assert_true (reply->status == 200 || reply->status == 404);
      g_assert_true (cf_fake_vt_register_hash (f->fake, KNOWN_SHA256, "clean", &error));
    }

  g_thread_join (thread);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 30);

  cf_fake_vt_reset_counts (f->fake);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 0);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-vt/lifecycle", test_lifecycle);
  g_test_add ("/fake-vt/auth", Fixture, NULL, test_fixture_set_up, test_auth,
              test_fixture_tear_down);
  g_test_add ("/fake-vt/lookup/each-hash", Fixture, NULL, test_fixture_set_up,
              test_lookup_by_each_hash, test_fixture_tear_down);
  g_test_add ("/fake-vt/lookup/clean-hash", Fixture, NULL, test_fixture_set_up,
              test_lookup_clean_hash, test_fixture_tear_down);
  g_test_add ("/fake-vt/lookup/eicar", Fixture, NULL, test_fixture_set_up,
              test_lookup_eicar, test_fixture_tear_down);
  g_test_add ("/fake-vt/lookup/not-found", Fixture, NULL, test_fixture_set_up,
              test_lookup_not_found, test_fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fake-vt/verdict/%u", i);

      g_test_add_data_func (path, &verdict_cases[i], test_verdict);
    }
  g_test_add_func ("/fake-vt/register/errors", test_register_errors);
  g_test_add ("/fake-vt/upload/direct", Fixture, NULL, test_fixture_set_up,
              test_upload_direct, test_fixture_tear_down);
  g_test_add ("/fake-vt/upload/known-content", Fixture, NULL, test_fixture_set_up,
              test_upload_known_content, test_fixture_tear_down);
  g_test_add ("/fake-vt/upload/extended-filename", Fixture, NULL, test_fixture_set_up,
              test_upload_extended_filename, test_fixture_tear_down);
  g_test_add ("/fake-vt/upload/too-large", Fixture, NULL, test_fixture_set_up,
              test_upload_too_large, test_fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fake-vt/upload/bad-body/%s", bad_bodies[i].name);

      g_test_add (path, Fixture, &bad_bodies[i], test_fixture_set_up,
                  test_upload_bad_body, test_fixture_tear_down);
    }
  g_test_add ("/fake-vt/upload-url/once", Fixture, NULL, test_fixture_set_up,
              test_upload_url_once, test_fixture_tear_down);
  g_test_add ("/fake-vt/upload-url/large", Fixture, NULL, test_fixture_set_up,
              test_upload_url_large, test_fixture_tear_down);
  g_test_add ("/fake-vt/upload-url/foreign-base", Fixture, NULL, test_fixture_set_up,
              test_upload_url_foreign, test_fixture_tear_down);
  g_test_add ("/fake-vt/analysis/not-found-polls", Fixture, NULL, test_fixture_set_up,
              test_analysis_not_found_polls, test_fixture_tear_down);
  g_test_add ("/fake-vt/analysis/rescan", Fixture, NULL, test_fixture_set_up,
              test_rescan, test_fixture_tear_down);
  g_test_add ("/fake-vt/quota", Fixture, NULL, test_fixture_set_up, test_quota,
              test_fixture_tear_down);
  g_test_add ("/fake-vt/accounts", Fixture, NULL, test_fixture_set_up, test_accounts,
              test_fixture_tear_down);
  g_test_add ("/fake-vt/users", Fixture, NULL, test_fixture_set_up, test_users,
              test_fixture_tear_down);
  g_test_add ("/fake-vt/setters-while-serving", Fixture, NULL, test_fixture_set_up,
              test_setters_while_serving, test_fixture_tear_down);
  test_add_fault_tests ();
  test_add_program_tests ();

  return g_test_run ();
}
