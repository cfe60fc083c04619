/* cf-fake-vt.h
 *
 * A fake VirusTotal v3 server for tests, serving from a thread of its own.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Start and stop a CfFakeVt from one thread. Everything else (settings,
 * registrations, faults, counters) may be called from any thread, also while
 * the server answers requests from its own thread. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_FAKE_VT_ERROR (cf_fake_vt_error_quark ())

typedef enum
{
  CF_FAKE_VT_ERROR_INVALID_VERDICT,
  CF_FAKE_VT_ERROR_INVALID_HASH,
  CF_FAKE_VT_ERROR_INVALID_FAULT,
  CF_FAKE_VT_ERROR_TLS,
  CF_FAKE_VT_ERROR_FAILED,
} CfFakeVtError;

#define CF_TYPE_FAKE_VT (cf_fake_vt_get_type ())

G_DECLARE_FINAL_TYPE (CfFakeVt, cf_fake_vt, CF, FAKE_VT, GObject)

GQuark      cf_fake_vt_error_quark               (void);

CfFakeVt   *cf_fake_vt_new                       (void);
void        cf_fake_vt_set_api_key               (CfFakeVt    *self,
                                                  const char  *key);

gboolean    cf_fake_vt_start                     (CfFakeVt    *self,
                                                  gboolean     https,
                                                  GError     **error);
gboolean    cf_fake_vt_start_on_port             (CfFakeVt    *self,
                                                  guint        port,
                                                  gboolean     https,
                                                  GError     **error);
void        cf_fake_vt_stop                      (CfFakeVt    *self);
char       *cf_fake_vt_get_base_url              (CfFakeVt    *self);
guint       cf_fake_vt_get_port                  (CfFakeVt    *self);
const char *cf_fake_vt_get_ca_file               (CfFakeVt    *self);

gboolean    cf_fake_vt_register_file             (CfFakeVt    *self,
                                                  const char  *path,
                                                  const char  *verdict,
                                                  GError     **error);
gboolean    cf_fake_vt_register_hash             (CfFakeVt    *self,
                                                  const char  *sha256,
                                                  const char  *verdict,
                                                  GError     **error);

void        cf_fake_vt_set_upload_verdict        (CfFakeVt    *self,
                                                  const char  *verdict);
void        cf_fake_vt_set_quota_per_minute      (CfFakeVt    *self,
                                                  guint        n);
void        cf_fake_vt_set_quota_window          (CfFakeVt    *self,
                                                  guint        seconds);
gboolean    cf_fake_vt_set_account               (CfFakeVt    *self,
                                                  const char  *plan,
                                                  GError     **error);
void        cf_fake_vt_set_analysis_polls        (CfFakeVt    *self,
                                                  guint        queued,
                                                  guint        in_progress);
void        cf_fake_vt_set_analysis_not_found_polls (CfFakeVt *self,
                                                     guint     n);
void        cf_fake_vt_set_upload_url_base       (CfFakeVt    *self,
                                                  const char  *base);
void        cf_fake_vt_set_max_direct_upload     (CfFakeVt    *self,
                                                  goffset      bytes);
void        cf_fake_vt_push_fault                (CfFakeVt    *self,
                                                  const char  *fault);
void        cf_fake_vt_clear_faults              (CfFakeVt    *self);
gboolean    cf_fake_vt_fault_is_valid            (const char  *fault,
                                                  GError     **error);

guint       cf_fake_vt_get_count                 (CfFakeVt    *self,
                                                  const char  *what);
void        cf_fake_vt_reset_counts              (CfFakeVt    *self);
char       *cf_fake_vt_get_last_upload_filename  (CfFakeVt    *self);
goffset     cf_fake_vt_get_last_upload_size      (CfFakeVt    *self);

G_END_DECLS
