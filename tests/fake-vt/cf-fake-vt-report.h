/* cf-fake-vt-report.h
 *
 * Verdicts, file records and the JSON the fake VirusTotal server answers with.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How many engines answer, and how many of them can flag a file: the last
 * three always say "type-unsupported", as mobile-only engines do for real. */
#define CF_FAKE_VT_N_ENGINES 67
#define CF_FAKE_VT_N_DETECTING_ENGINES (CF_FAKE_VT_N_ENGINES - 3)

typedef struct
{
  guint    malicious;
  guint    suspicious;
  gboolean eicar;
  /* Replies that a careful client must not believe as they stand. */
  gboolean no_results;    /* stats all 0, no engine results: a first analysis still running */
  guint    no_results_for; /* ... for this many lookups, then the verdict */
  gboolean disagree;      /* the stats say the verdict, every engine's result says malicious */
  gboolean hostile_text;  /* control characters in every text a client may show */
  guint    analysed_days_ago; /* the last analysis, this many days old (until analysed again) */
} CfFakeVtVerdict;

typedef struct
{
  char            *sha256;
  char            *sha1;
  char            *md5;
  goffset          size;
  char            *type_description;
  GPtrArray       *names;
  CfFakeVtVerdict  verdict;
  gint64           first_submission_date;
  gint64           last_submission_date;
  gint64           last_analysis_date;
  guint            lookups;        /* GET /files answered about it so far */
} CfFakeVtFile;

gboolean      cf_fake_vt_verdict_parse         (const char             *text,
                                                CfFakeVtVerdict        *verdict,
                                                GError                **error);

gboolean      cf_fake_vt_is_hex_hash           (const char             *text);
void          cf_fake_vt_hash_data             (const guint8           *data,
                                                gsize                   length,
                                                char                  **md5,
                                                char                  **sha1,
                                                char                  **sha256);
void          cf_fake_vt_derive_fake_hashes    (const char             *sha256,
                                                char                  **md5,
                                                char                  **sha1);
const char   *cf_fake_vt_guess_type            (const guint8           *data,
                                                gsize                   length);

CfFakeVtFile *cf_fake_vt_file_new              (const char             *sha256,
                                                const char             *sha1,
                                                const char             *md5,
                                                goffset                 size,
                                                const char             *type_description,
                                                const CfFakeVtVerdict  *verdict);
void          cf_fake_vt_file_add_name         (CfFakeVtFile           *file,
                                                const char             *name);
void          cf_fake_vt_file_free             (CfFakeVtFile           *file);

JsonNode     *cf_fake_vt_report_file_object    (const CfFakeVtFile     *file,
                                                const char             *base_url);
void          cf_fake_vt_report_add_stats      (JsonBuilder            *builder,
                                                const CfFakeVtVerdict  *verdict,
                                                guint                   n_engines);
void          cf_fake_vt_report_add_results    (JsonBuilder            *builder,
                                                const CfFakeVtVerdict  *verdict,
                                                guint                   n_engines);
JsonNode     *cf_fake_vt_report_error          (const char             *code,
                                                const char             *message);
char         *cf_fake_vt_report_to_data        (JsonNode               *root,
                                                gsize                  *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfFakeVtFile, cf_fake_vt_file_free)

G_END_DECLS
