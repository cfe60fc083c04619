/* cf-vt-client.h: the VirusTotal API v3, over libsoup, through the scheduler
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-allowance.h"
#include "cf-report.h"
#include "cf-scheduler.h"
#include "cf-vt-error.h"

G_BEGIN_DECLS

#define CF_VT_DEFAULT_API_URL "https://www.virustotal.com/api/v3"
#define CF_VT_MAX_UPLOAD_SIZE ((goffset) 650 * 1024 * 1024)
#define CF_VT_MAX_DIRECT_UPLOAD ((goffset) 32 * 1024 * 1024)

/* bytes sent so far of @total; called in the caller's main context */
typedef void (*CfUploadProgressFunc) (goffset  sent,
                                      goffset  total,
                                      gpointer user_data);

#define CF_TYPE_VT_CLIENT (cf_vt_client_get_type ())
G_DECLARE_FINAL_TYPE (CfVtClient, cf_vt_client, CF, VT_CLIENT, GObject)

gboolean     cf_vt_check_base_url            (const char           *url,
                                              GError              **error);
CfVtClient  *cf_vt_client_new                (const char           *base_url,
                                              const char           *api_key,
                                              CfScheduler          *scheduler,
                                              GError              **error);
const char  *cf_vt_client_get_base_url       (CfVtClient           *self);
CfScheduler *cf_vt_client_get_scheduler      (CfVtClient           *self);
void         cf_vt_client_set_tls_database   (CfVtClient           *self,
                                              GTlsDatabase         *database);
void         cf_vt_client_set_timeout        (CfVtClient           *self,
                                              guint                 seconds);
guint        cf_vt_client_get_requests_sent  (CfVtClient           *self);

/* GET /files/{hash}: a report, or CF_VT_ERROR_NOT_FOUND */
void         cf_vt_client_get_file_async     (CfVtClient           *self,
                                              const char           *hash,
                                              CfPriority            priority,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CfReport    *cf_vt_client_get_file_finish    (CfVtClient           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /users/{key}: whether the key works */
void         cf_vt_client_check_key_async    (CfVtClient           *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     cf_vt_client_check_key_finish   (CfVtClient           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /users/{key}/overall_quotas, and GET /users/{key} for what that
 * left unsaid: the account's hourly, daily and monthly allowance.  With
 * @wait FALSE, a request slot is taken only if one is free at once, and
 * otherwise the call fails with G_IO_ERROR_WOULD_BLOCK: reading the
 * allowance can always wait for another time. */
void         cf_vt_client_get_allowance_async (CfVtClient         *self,
                                              CfPriority            priority,
                                              gboolean              wait,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     cf_vt_client_get_allowance_finish (CfVtClient        *self,
                                              GAsyncResult         *result,
                                              CfAllowance          *allowance,
                                              GError              **error);

/* Upload a local file (through an upload URL above 32 MB); the result is
 * the analysis id. */
void         cf_vt_client_upload_async       (CfVtClient           *self,
                                              GFile                *file,
                                              CfPriority            priority,
                                              CfUploadProgressFunc  progress,
                                              gpointer              progress_data,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char        *cf_vt_client_upload_finish      (CfVtClient           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /files/{sha256}/analyse: VirusTotal analyses a file it knows
 * again; the result is the analysis id, to poll like an upload's. */
void         cf_vt_client_rescan_async       (CfVtClient           *self,
                                              const char           *sha256,
                                              CfPriority            priority,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char        *cf_vt_client_rescan_finish      (CfVtClient           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /analyses/{id} */
void         cf_vt_client_get_analysis_async (CfVtClient           *self,
                                              const char           *analysis_id,
                                              CfPriority            priority,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CfAnalysis  *cf_vt_client_get_analysis_finish (CfVtClient          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
