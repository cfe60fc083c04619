/* cf-service.h: Check First on the session bus: the D-Bus interface, and the downloads it watches
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_SERVICE_OBJECT_PATH "/io/github/checkfirst/CheckFirst"

#define CF_TYPE_SERVICE (cf_service_get_type ())
G_DECLARE_FINAL_TYPE (CfService, cf_service, CF, SERVICE, GObject)

CfService *cf_service_new           (GApplication     *application);
gboolean   cf_service_export        (CfService        *self,
                                     GDBusConnection  *connection,
                                     GError          **error);
void       cf_service_unexport      (CfService        *self);
void       cf_service_start         (CfService        *self,
                                     CfSession        *session);
gboolean   cf_service_get_watching  (CfService        *self);
GPtrArray *cf_service_get_folders   (CfService        *self);

char      *cf_service_autostart_path (void);

G_END_DECLS
