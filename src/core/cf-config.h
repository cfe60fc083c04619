/* cf-config.h: the settings one run works with: GSettings, then environment and options
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-policy.h"
#include "cf-store.h"

G_BEGIN_DECLS

#define CF_STALE_AFTER_DAYS 30

/* The public API's plan: what a free key may ask. */
#define CF_PUBLIC_PER_MINUTE 4
#define CF_PUBLIC_PER_DAY 500
#define CF_PUBLIC_PER_MONTH 15500

typedef enum
{
  CF_UPLOAD_NEVER,
  CF_UPLOAD_ASK,
  CF_UPLOAD_ALWAYS,
} CfUploadPolicy;

typedef struct
{
  CfPolicy        policy;
  CfUploadPolicy  upload;
  guint           per_minute;      /* 0 = no limit */
  guint           per_day;
  guint           per_month;
  /* Whose limits those are: the public plan's (what VirusTotal reports
   * replaces them), a premium plan's own caps (what it reports is kept
   * within them), or a command line's --rate (they stand, for one run). */
  gboolean        premium_plan;
  gboolean        rate_given;
  CfCacheTtl      ttl;
  char           *api_url;         /* never NULL after cf_config_init */
  guint           wait_max;        /* seconds to wait for an analysis or the budget */
  /* A file a Debian package installed, unmodified, needs no request:
   * for files checked one by one (the window: a setting), and for the
   * process audit (always, unless a command line says otherwise). */
  gboolean        skip_packaged;
  gboolean        skip_packaged_processes;
  /* A verdict whose last analysis is older is said with its age (0: no
   * verdict is ever old); with rescan_stale, an old clean verdict of a
   * file about to be opened is analysed again first. */
  guint           stale_after_days;
  gboolean        rescan_stale;
} CfConfig;

GSettings  *cf_settings_new              (void);
void        cf_config_init               (CfConfig       *config);
void        cf_config_load               (CfConfig       *config,
                                          GSettings      *settings);
/* @dest is overwritten: uninitialised, or cleared before. */
void        cf_config_copy               (CfConfig       *dest,
                                          const CfConfig *src);
void        cf_config_clear              (CfConfig       *config);

gboolean    cf_upload_policy_from_string (const char     *text,
                                          CfUploadPolicy *policy);
const char *cf_upload_policy_to_string   (CfUploadPolicy  policy);

G_END_DECLS
