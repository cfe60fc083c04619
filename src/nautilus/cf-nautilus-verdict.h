/* cf-nautilus-verdict.h: what the file manager shows of a verdict: an emblem and a few words
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The string attribute the "VirusTotal" column shows. */
#define CF_NAUTILUS_COLUMN_ATTRIBUTE "check_first_virustotal"

typedef struct
{
  char     *status;      /* the service's status: clean, detected, not-checked, … */
  char     *reason;      /* allowed-by-you, blocked-by-you, … or NULL */
  gint64    malicious;
  gint64    suspicious;
  gint64    engines;
  gint64    time;        /* when decided, seconds since the epoch; 0 when not said */
  gboolean  remote;
} CfNautilusVerdict;

CfNautilusVerdict *cf_nautilus_verdict_new_from_variant (GVariant                *verdict);
CfNautilusVerdict *cf_nautilus_verdict_copy             (const CfNautilusVerdict *self);
void               cf_nautilus_verdict_free             (CfNautilusVerdict       *self);
const char        *cf_nautilus_verdict_get_emblem       (const CfNautilusVerdict *self);
char              *cf_nautilus_verdict_describe         (const CfNautilusVerdict *self,
                                                         gint64                   now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfNautilusVerdict, cf_nautilus_verdict_free)

G_END_DECLS
