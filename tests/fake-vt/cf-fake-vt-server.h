/* cf-fake-vt-server.h
 *
 * What the fake VirusTotal server's request routing shares with its endpoints.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-fake-vt-private.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it. */
#define CF_FAKE_VT_STATUS_TOO_MANY_REQUESTS 429

/* Object data on a SoupServerMessage: its upload body, as an UploadBody. */
#define CF_FAKE_VT_UPLOAD_BODY_KEY "cf-fake-vt-upload-body"

typedef enum
{
  ROUTE_OUTSIDE,      /* neither /api/v3 nor an upload URL */
  ROUTE_UNKNOWN,      /* an API path that names nothing */
  ROUTE_LOOKUP,
  ROUTE_UPLOAD,
  ROUTE_UPLOAD_URL,
  ROUTE_UPLOAD_TOKEN,
  ROUTE_RESCAN,
  ROUTE_ANALYSIS,
  ROUTE_ITEM,
  ROUTE_USER,
  ROUTE_USER_QUOTAS,
} Route;

typedef struct
{
  Route  route;
  char  *argument;    /* the id, hash or token in the path */
} Request;

typedef struct
{
  GByteArray *data;   /* NULL once too large */
  gsize       limit;
  gboolean    too_large;
} UploadBody;

void cf_fake_vt_reply_json         (SoupServerMessage *msg,
                                    guint              status,
                                    JsonNode          *root);
void cf_fake_vt_reply_data         (SoupServerMessage *msg,
                                    JsonNode          *data,
                                    JsonNode          *meta);
void cf_fake_vt_reply_error        (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    guint              status,
                                    const char        *code,
                                    const char        *message);
void cf_fake_vt_reply_text         (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *content_type,
                                    const char        *text);
void cf_fake_vt_reply_not_found    (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    const char        *what);
void cf_fake_vt_reply_too_large    (SoupServerMessage *msg);

void cf_fake_vt_handle_lookup      (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_upload      (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_upload_url  (CfFakeVt          *self,
                                    SoupServerMessage *msg);
void cf_fake_vt_handle_rescan      (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_analysis    (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_item        (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_user        (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    Request           *request);
void cf_fake_vt_handle_control     (CfFakeVt          *self,
                                    SoupServerMessage *msg,
                                    const char        *path,
                                    GHashTable        *query);

G_END_DECLS
