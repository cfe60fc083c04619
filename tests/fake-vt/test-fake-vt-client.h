/* test-fake-vt-client.h
 *
 * A plain SoupSession client for the fake VirusTotal server's tests.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cf-fake-vt.h"

G_BEGIN_DECLS

#define TEST_KEY "test-key"

typedef struct
{
  CfFakeVt    *fake;
  SoupSession *session;
  char        *base_url;
  char        *origin;
  char        *tmp_dir;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  JsonNode           *json;     /* NULL unless the body is JSON */
  GError             *error;
} TestReply;

void         test_fixture_set_up     (Fixture       *f,
                                      gconstpointer  data);
void         test_fixture_tear_down  (Fixture       *f,
                                      gconstpointer  data);
char        *test_write_file         (Fixture       *f,
                                      const char    *name,
                                      const char    *contents,
                                      gssize         length);

SoupSession *test_new_session        (GTlsDatabase  *database);
TestReply   *test_send               (SoupSession   *session,
                                      const char    *method,
                                      const char    *url,
                                      const char    *key,
                                      const char    *content_type,
                                      GBytes        *body);
TestReply   *test_send_message       (SoupSession   *session,
                                      SoupMessage   *msg);
TestReply   *test_api                (Fixture       *f,
                                      const char    *method,
                                      const char    *format,
                                      ...) G_GNUC_PRINTF (3, 4);
TestReply   *test_upload             (SoupSession   *session,
                                      const char    *url,
                                      const char    *key,
                                      const char    *filename,
                                      GBytes        *content);
void         test_reply_free         (TestReply     *reply);

JsonNode    *test_member             (TestReply     *reply,
                                      const char    *dotted);
const char  *test_string             (TestReply     *reply,
                                      const char    *dotted);
gint64       test_int                (TestReply     *reply,
                                      const char    *dotted);
void         test_assert_error       (TestReply     *reply,
                                      guint          status,
                                      const char    *code);
void         test_assert_stats       (TestReply     *reply,
                                      const char    *dotted,
                                      guint          malicious,
                                      guint          suspicious,
                                      guint          undetected,
                                      guint          harmless,
                                      guint          type_unsupported);

void         test_add_fault_tests    (void);
void         test_add_program_tests  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestReply, test_reply_free)

G_END_DECLS
