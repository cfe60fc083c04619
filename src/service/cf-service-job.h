/* cf-service-job.h: the files one CheckFiles call asked about, on the bus until a while after the last verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CfService CfService;

#define CF_TYPE_SERVICE_JOB (cf_service_job_get_type ())
G_DECLARE_FINAL_TYPE (CfServiceJob, cf_service_job, CF, SERVICE_JOB, GObject)

CfServiceJob *cf_service_job_new           (CfService        *service,
                                            GDBusConnection  *connection,
                                            const char       *object_path,
                                            GPtrArray        *files,
                                            GError          **error);
const char   *cf_service_job_get_path      (CfServiceJob     *self);
gboolean      cf_service_job_is_finished   (CfServiceJob     *self);
void          cf_service_job_check_done    (CfServiceJob     *self,
                                            CfCheck          *check);

G_END_DECLS
