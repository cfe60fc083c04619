/* test-fake-vt-client.c
 *
 * A plain SoupSession client for the fake VirusTotal server's tests.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "test-fake-vt-client.h"

void
test_fixture_set_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = cf_fake_vt_new ();
  g_assert_true (cf_fake_vt_start (f->fake, FALSE, &error));
  g_assert_no_error (error);

  f->session = test_new_session (NULL);
  f->base_url = cf_fake_vt_get_base_url (f->fake);
  f->origin = g_strdup_printf ("http://127.0.0.1:%u", cf_fake_vt_get_port (f->fake));
}

void
test_fixture_tear_down (Fixture       *f,
                        gconstpointer  data)
{
  if (f->tmp_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (f->tmp_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (f->tmp_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (f->tmp_dir);
      g_clear_pointer (&f->tmp_dir, g_free);
    }

  g_clear_object (&f->session);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->base_url, g_free);
  g_clear_pointer (&f->origin, g_free);
}

char *
test_write_file (Fixture    *f,
                 const char *name,
                 const char *contents,
                 gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path;

  if (f->tmp_dir == NULL)
    {
      f->tmp_dir = g_dir_make_tmp ("test-fake-vt-XXXXXX", &error);
      g_assert_no_error (error);
    }

  path = g_build_filename (f->tmp_dir, name, NULL);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

SoupSession *
test_new_session (GTlsDatabase *database)
{
  SoupSession *session = soup_session_new ();

  /* Loopback requests must never go through a proxy from the environment. */
  soup_session_set_proxy_resolver (session, NULL);
  if (database != NULL)
    soup_session_set_tls_database (session, database);

  return session;
}

TestReply *
test_send_message (SoupSession *session,
                   SoupMessage *msg)
{
  TestReply *reply = g_new0 (TestReply, 1);

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  if (reply->body != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
    }

  return reply;
}

TestReply *
test_send (SoupSession *session,
           const char  *method,
           const char  *url,
           const char  *key,
           const char  *content_type,
           GBytes      *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "x-apikey", key);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  return test_send_message (session, msg);
}

TestReply *
test_api (Fixture    *f,
          const char *method,
          const char *format,
          ...)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);

  url = g_strconcat (f->base_url, path, NULL);
  return test_send (f->session, method, url, TEST_KEY, NULL, NULL);
}

TestReply *
test_upload (SoupSession *session,
             const char  *url,
             const char  *key,
             const char  *filename,
             GBytes      *content)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) msg = NULL;

  soup_multipart_append_form_file (multipart, "file", filename, "application/octet-stream",
                                   content);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  g_assert_nonnull (msg);

  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "x-apikey", key);

  return test_send_message (session, msg);
}

void
test_reply_free (TestReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

/* Follows object members by a path like "data.attributes.size". */
JsonNode *
test_member (TestReply  *reply,
             const char *dotted)
{
  g_auto(GStrv) names = g_strsplit (dotted, ".", -1);
  JsonNode *node = reply->json;

  for (guint i = 0; node != NULL && names[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), names[i]);
    }

  return node;
}

const char *
test_string (TestReply  *reply,
             const char *dotted)
{
  JsonNode *node = test_member (reply, dotted);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("“%s” is not a string in the reply (status %u)", dotted, reply->status);

  return json_node_get_string (node);
}

gint64
test_int (TestReply  *reply,
          const char *dotted)
{
  JsonNode *node = test_member (reply, dotted);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("“%s” is not an integer in the reply (status %u)", dotted, reply->status);

  return json_node_get_int (node);
}

void
test_assert_error (TestReply  *reply,
                   guint       status,
                   const char *code)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (test_string (reply, "error.code"), ==, code);
  g_assert_nonnull (test_string (reply, "error.message"));
}

void
test_assert_stats (TestReply  *reply,
                   const char *dotted,
                   guint       malicious,
                   guint       suspicious,
                   guint       undetected,
                   guint       harmless,
                   guint       type_unsupported)
{
  g_autofree char *prefix = g_strconcat (dotted, ".", NULL);
  const struct {
    const char *name;
    guint       expected;
  } stats[] = {
    { "malicious", malicious },
    { "suspicious", suspicious },
    { "undetected", undetected },
    { "harmless", harmless },
    { "timeout", 0 },
    { "confirmed-timeout", 0 },
    { "type-unsupported", type_unsupported },
    { "failure", 0 },
  };

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (test_member (reply, dotted))),
                    ==, G_N_ELEMENTS (stats));

  for (guint i = 0; i < G_N_ELEMENTS (stats); i++)
    {
      g_autofree char *path = g_strconcat (prefix, stats[i].name, NULL);

      g_assert_cmpint (test_int (reply, path), ==, stats[i].expected);
    }
}
