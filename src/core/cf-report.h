/* cf-report.h: a VirusTotal file report, parsed from the API's JSON
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 malicious;
  gint64 suspicious;
  gint64 undetected;
  gint64 harmless;
  gint64 timeout;
  gint64 confirmed_timeout;
  gint64 type_unsupported;
  gint64 failure;
} CfStats;

typedef struct
{
  char *engine;
  char *category;
  char *result;   /* NULL when the engine found nothing */
  char *version;
  char *update;   /* "20261120" as VirusTotal sends it */
} CfEngineResult;

/* What a sandbox made of the file when it ran it (VirusTotal's
 * "sandbox_verdicts"). */
typedef struct
{
  char   *sandbox;
  char   *category;          /* "malicious", "suspicious", "harmless", "undetected" */
  char  **classification;    /* the sandbox's own words: "MALWARE", "TROJAN" */
  char  **malware_names;
  gint64  confidence;        /* 0 to 100, -1 when not said */
} CfSandboxVerdict;

typedef struct
{
  char       *sha256;
  char       *sha1;
  char       *md5;
  gint64      size;              /* -1 when unknown */
  char      **names;
  char       *meaningful_name;
  char       *type_description;
  gint64      first_submission_date;
  gint64      last_analysis_date;
  gint64      last_submission_date;
  gint64      times_submitted;   /* -1 when not said */
  gint64      reputation;
  gint64      votes_harmless;    /* the community's votes, -1 when not said */
  gint64      votes_malicious;
  char       *threat_label;
  char       *threat_category;   /* the most given category ("trojan"), or NULL */
  char      **threat_names;      /* the most given family names, most given first */
  GPtrArray  *sandboxes;         /* CfSandboxVerdict, by sandbox name */
  /* What decides: the worse of the two views of one analysis, the summary
   * VirusTotal sent (reported_stats) and the count of the engine list. */
  CfStats     stats;
  CfStats     reported_stats;
  CfStats     listed_stats;      /* the engine list, counted (all 0 when it is empty) */
  gboolean    inconsistent;      /* the two views disagree on malicious or suspicious */
  GPtrArray  *engines;           /* CfEngineResult, sorted: malicious, suspicious, then by name */
} CfReport;

typedef enum
{
  CF_ANALYSIS_QUEUED,
  CF_ANALYSIS_IN_PROGRESS,
  CF_ANALYSIS_COMPLETED,
} CfAnalysisStatus;

typedef struct
{
  char             *id;
  CfAnalysisStatus  status;
  CfReport         *report;     /* stats, engines and meta.file_info hashes */
} CfAnalysis;

#define CF_TYPE_REPORT (cf_report_get_type ())

GType       cf_report_get_type      (void) G_GNUC_CONST;
CfReport   *cf_report_new           (void);
CfReport   *cf_report_ref           (CfReport      *report);
void        cf_report_unref         (CfReport      *report);
CfReport   *cf_report_parse         (const char    *data,
                                     gsize          length,
                                     GError       **error);
char       *cf_report_to_json       (const CfReport *report);
gint64      cf_stats_engines        (const CfStats *stats);
gboolean    cf_report_has_results   (const CfReport *report);
gboolean    cf_report_is_about      (const CfReport *report,
                                     const char     *hash);
char       *cf_report_permalink     (const char    *sha256);

CfAnalysis *cf_analysis_parse       (const char    *data,
                                     gsize          length,
                                     GError       **error);
void        cf_analysis_free        (CfAnalysis    *analysis);

char       *cf_upload_reply_parse   (const char    *data,
                                     gsize          length,
                                     GError       **error);
gboolean    cf_json_shape_ok        (const char    *data,
                                     gsize          length);
char       *cf_upload_url_parse     (const char    *data,
                                     gsize          length,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfReport, cf_report_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfAnalysis, cf_analysis_free)

G_END_DECLS
