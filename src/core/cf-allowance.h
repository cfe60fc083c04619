/* cf-allowance.h: what a VirusTotal account may spend an hour, a day and a month, as VirusTotal says
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CF_PERIOD_HOUR,
  CF_PERIOD_DAY,
  CF_PERIOD_MONTH,
  CF_N_PERIODS
} CfPeriod;

typedef struct
{
  gint64 allowed[CF_N_PERIODS];   /* 0 when VirusTotal did not say */
  gint64 used[CF_N_PERIODS];      /* as VirusTotal counted them when read; -1 when not said */
  gint64 read;                    /* when it was read, seconds since the epoch; 0: never */
} CfAllowance;

void      cf_allowance_init            (CfAllowance       *allowance);
gboolean  cf_allowance_is_known        (const CfAllowance *allowance);
gboolean  cf_allowance_is_complete     (const CfAllowance *allowance);
/* What the reply said, into @allowance; the periods it did not name are
 * left as they were (so a second reply can fill them in). */
gboolean  cf_allowance_parse_overall   (CfAllowance       *allowance,
                                        const char        *data,
                                        gsize              length,
                                        GError           **error);
gboolean  cf_allowance_parse_user      (CfAllowance       *allowance,
                                        const char        *data,
                                        gsize              length,
                                        const char        *api_key,
                                        GError           **error);

/* The store's form: JSON, with @key_id (see cf_allowance_key_id()). */
char     *cf_allowance_to_text         (const CfAllowance *allowance,
                                        const char        *key_id);
gboolean  cf_allowance_from_text       (CfAllowance       *allowance,
                                        const char        *text,
                                        char             **key_id);
/* Tells keys apart without keeping one: 16 hex digits of a SHA-256. */
char     *cf_allowance_key_id          (const char        *api_key);

G_END_DECLS
