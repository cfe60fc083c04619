/* cf-hash-service.h: the one pool of hashing threads every part of Check First shares
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-hasher.h"
#include "cf-scheduler.h"

G_BEGIN_DECLS

/* Called on a hashing thread for each item of cf_hash_service_for_each(). */
typedef void (*CfHashItemFunc) (gpointer item,
                                gpointer user_data);

#define CF_TYPE_HASH_SERVICE (cf_hash_service_get_type ())
G_DECLARE_FINAL_TYPE (CfHashService, cf_hash_service, CF, HASH_SERVICE, GObject)

CfHashService *cf_hash_service_get_default (void);
CfHashService *cf_hash_service_new         (guint                n_threads);
guint          cf_hash_service_get_threads (CfHashService       *self);

void           cf_hash_service_hash_async  (CfHashService       *self,
                                            GFile               *file,
                                            int                  fd,
                                            CfPriority           priority,
                                            GCancellable        *cancellable,
                                            CfHashProgressFunc   progress,
                                            gpointer             progress_data,
                                            GDestroyNotify       progress_data_destroy,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char          *cf_hash_service_hash_finish (CfHashService       *self,
                                            GAsyncResult        *result,
                                            CfFileIdentity      *identity,
                                            GError             **error);

void           cf_hash_service_for_each    (CfHashService       *self,
                                            GPtrArray           *items,
                                            CfPriority           priority,
                                            CfHashItemFunc       func,
                                            gpointer             user_data);

G_END_DECLS
