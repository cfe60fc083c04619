/* cf-audit.h: check every running process's executable, within the budget
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-checker.h"
#include "cf-processes.h"

G_BEGIN_DECLS

#define CF_TYPE_AUDIT (cf_audit_get_type ())
G_DECLARE_FINAL_TYPE (CfAudit, cf_audit, CF, AUDIT, GObject)

CfAudit      *cf_audit_new                 (CfChecker  *checker,
                                            const char *proc_root);
void          cf_audit_start               (CfAudit    *self);
void          cf_audit_cancel              (CfAudit    *self);
gboolean      cf_audit_is_running          (CfAudit    *self);
/* CfCheck of kind CF_CHECK_KIND_PROCESS, riskiest first, one an executable. */
GListModel   *cf_audit_get_checks          (CfAudit    *self);
guint         cf_audit_get_n_processes     (CfAudit    *self);
guint         cf_audit_get_denied          (CfAudit    *self);
guint         cf_audit_get_n_done          (CfAudit    *self);
/* Why the processes could not be read at all, or NULL. */
const GError *cf_audit_get_error           (CfAudit    *self);
char         *cf_audit_describe_estimate   (CfAudit    *self);

G_END_DECLS
