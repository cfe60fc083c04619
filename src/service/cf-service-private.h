/* cf-service-private.h: what the service's parts share
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-check-queue.h"
#include "cf-file-actions.h"
#include "cf-notification.h"
#include "cf-service.h"
#include "cf-service-job.h"

G_BEGIN_DECLS

CfSession    *cf_service_get_session     (CfService           *self);
GFile        *cf_service_local_file      (const char          *path);
CfCheckQueue *cf_service_get_queue       (CfService           *self);
GVariant     *cf_service_verdict_new     (CfCheck             *check,
                                          GFile               *file);
GVariant     *cf_service_verdict_unknown (GFile               *file,
                                          const char          *status,
                                          const char          *summary);
void          cf_service_verdict_changed (CfService           *self,
                                          GFile               *file,
                                          CfCheck             *check,
                                          GVariant            *verdict);
void          cf_service_send_notification (CfService         *self,
                                            const char        *id,
                                            GNotification     *notification);
void          cf_service_withdraw_notification (CfService     *self,
                                                const char    *id);
gboolean      cf_service_may_offer_upload (CfService          *self,
                                           CfCheck            *check);
void          cf_service_announce        (CfService           *self,
                                          CfCheck             *check,
                                          CfNotificationFlags  flags);
gboolean      cf_service_announce_background (CfService         *self,
                                              CfCheck           *check,
                                              CfNotificationFlags flags,
                                              gboolean           quiet_when_clean);
void          cf_service_job_ended       (CfService           *self,
                                          CfServiceJob        *job);

G_END_DECLS
