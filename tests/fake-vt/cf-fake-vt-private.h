/* cf-fake-vt-private.h
 *
 * State shared by the fake VirusTotal server's object and its request handlers.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cf-fake-vt.h"
#include "cf-fake-vt-report.h"

G_BEGIN_DECLS

#define CF_FAKE_VT_DEFAULT_KEY "test-key"
#define CF_FAKE_VT_USER_ID "check-first-tester"
#define CF_FAKE_VT_MAX_DIRECT_UPLOAD ((goffset) 32 * 1024 * 1024)
#define CF_FAKE_VT_MAX_URL_UPLOAD ((goffset) 650 * 1024 * 1024)

typedef enum
{
  CF_FAKE_VT_COUNT_REQUESTS,
  CF_FAKE_VT_COUNT_LOOKUPS,
  CF_FAKE_VT_COUNT_UPLOADS,
  CF_FAKE_VT_COUNT_UPLOAD_URLS,
  CF_FAKE_VT_COUNT_ANALYSIS_POLLS,
  CF_FAKE_VT_COUNT_USERS,
  CF_FAKE_VT_COUNT_429,
  CF_FAKE_VT_COUNT_401,
  CF_FAKE_VT_COUNT_KEYLESS,
  CF_FAKE_VT_COUNT_RESCANS,
  CF_FAKE_VT_COUNT_FAULTS,
  CF_FAKE_VT_N_COUNTS
} CfFakeVtCount;

extern const char * const cf_fake_vt_count_names[CF_FAKE_VT_N_COUNTS];

typedef enum
{
  CF_FAKE_VT_FAULT_503,
  CF_FAKE_VT_FAULT_504,
  CF_FAKE_VT_FAULT_RESET,
  CF_FAKE_VT_FAULT_SLOW,
  CF_FAKE_VT_FAULT_TRUNCATED,
  CF_FAKE_VT_FAULT_HTML,
  CF_FAKE_VT_FAULT_429,
  CF_FAKE_VT_FAULT_401,
  CF_FAKE_VT_FAULT_HUGE,
  CF_FAKE_VT_FAULT_500_NONJSON,
  CF_FAKE_VT_FAULT_WRONG_ID,
  CF_FAKE_VT_FAULT_TRICKLE,
} CfFakeVtFaultKind;

typedef struct
{
  CfFakeVtFaultKind kind;
  guint             argument;     /* milliseconds for slow, seconds for 429 */
  gboolean          has_argument;
  gboolean          always;       /* stays at the head of the queue: every request gets it */
  char              hash[65];     /* wrong-id: the file the reply is about instead */
} CfFakeVtFault;

/* What GET /users/{key} and /users/{key}/overall_quotas say the key may
 * spend.  "As served" follows the server's own quota (none by default). */
typedef enum
{
  CF_FAKE_VT_ACCOUNT_AS_SERVED,
  CF_FAKE_VT_ACCOUNT_PUBLIC,       /* 240 an hour, 500 a day, 15 500 a month */
  CF_FAKE_VT_ACCOUNT_PREMIUM,      /* 30 000 an hour; a group allows less a day than the user */
  CF_FAKE_VT_ACCOUNT_TINY,         /* 60 an hour, 20 a day, 100 a month */
  CF_FAKE_VT_ACCOUNT_USERS_ONLY,   /* no overall_quotas (404); /users says 120, 300, 9 000 */
  CF_FAKE_VT_ACCOUNT_FAILING,      /* both answer 503 */
} CfFakeVtAccount;

typedef struct
{
  char            *dir;
  char            *cert_file;     /* also the CA file a client trusts */
  char            *key_file;
  GTlsCertificate *certificate;
} CfFakeVtCertificate;

typedef struct
{
  char            *id;
  char            *sha256;
  char            *sha1;
  char            *md5;
  goffset          size;
  char            *filename;
  char            *type_description;
  CfFakeVtVerdict  verdict;
  guint            not_found_polls;
  guint            queued_polls;
  guint            in_progress_polls;
  guint            polls;
  gint64           date;
  gboolean         completed;
} CfFakeVtAnalysis;

struct _CfFakeVt
{
  GObject          parent_instance;

  /* Everything below is shared with the server thread and guarded by mutex,
   * except where a comment says who alone touches a field. */
  GMutex           mutex;
  GCond            cond;

  char            *api_key;
  CfFakeVtVerdict  upload_verdict;
  guint            quota_per_minute;
  guint            quota_window;
  guint            queued_polls;
  guint            in_progress_polls;
  guint            not_found_polls;
  char            *upload_url_base;
  goffset          max_direct_upload;
  CfFakeVtAccount  account;

  GHashTable      *files;          /* sha256 → CfFakeVtFile */
  GHashTable      *by_md5;         /* md5 → CfFakeVtFile, borrowed */
  GHashTable      *by_sha1;        /* sha1 → CfFakeVtFile, borrowed */
  GHashTable      *analyses;       /* id → CfFakeVtAnalysis */
  GHashTable      *upload_tokens;  /* token → itself, a set */
  GQueue           faults;         /* CfFakeVtFault, oldest first */
  GArray          *quota_stamps;   /* gint64 monotonic times of counted requests */
  guint64          quota_used;
  guint            analysis_serial;
  guint            counts[CF_FAKE_VT_N_COUNTS];
  char            *last_upload_filename;
  goffset          last_upload_size;

  /* Set by the server thread once it listens, cleared on stop. */
  gboolean         start_done;
  GError          *start_error;
  guint            port;
  char            *origin;
  char            *base_url;

  /* Touched only by the thread that starts and stops the server. */
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  guint            requested_port;
  gboolean         https;
  CfFakeVtCertificate *tls;
};

gboolean cf_fake_vt_fault_parse        (const char     *spec,
                                        CfFakeVtFault  *fault,
                                        GError        **error);
void     cf_fake_vt_server_setup       (CfFakeVt       *self,
                                        SoupServer     *server);

/* These expect the caller to hold self->mutex. */
CfFakeVtFile *cf_fake_vt_find_file_locked (CfFakeVt     *self,
                                           const char   *hash);
void          cf_fake_vt_add_file_locked  (CfFakeVt     *self,
                                           CfFakeVtFile *file);

void     cf_fake_vt_analysis_free      (CfFakeVtAnalysis *analysis);

CfFakeVtCertificate *cf_fake_vt_certificate_new  (GError              **error);
void                 cf_fake_vt_certificate_free (CfFakeVtCertificate  *tls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfFakeVtCertificate, cf_fake_vt_certificate_free)

G_END_DECLS
