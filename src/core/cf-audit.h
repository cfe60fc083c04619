/* cf-audit.h: check every running process's executable, within the budget
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-checker.h"
#include "cf-processes.h"

G_BEGIN_DECLS

typedef struct
{
  CfProcessExe *exe;      /* owned by the audit */
  CfLookup     *lookup;   /* NULL until answered */
  GError       *error;    /* why it could not be hashed or looked up */
  gboolean      done;
} CfAuditEntry;

#define CF_TYPE_AUDIT (cf_audit_get_type ())
G_DECLARE_FINAL_TYPE (CfAudit, cf_audit, CF, AUDIT, GObject)

CfAudit   *cf_audit_new                 (CfChecker  *checker,
                                         const char *proc_root);
void       cf_audit_start               (CfAudit    *self);
void       cf_audit_cancel              (CfAudit    *self);
gboolean   cf_audit_is_running          (CfAudit    *self);
GPtrArray *cf_audit_get_entries         (CfAudit    *self);
guint      cf_audit_get_n_processes     (CfAudit    *self);
guint      cf_audit_get_denied          (CfAudit    *self);
guint      cf_audit_get_n_done          (CfAudit    *self);
char      *cf_audit_describe_estimate   (CfAudit    *self);

G_END_DECLS
