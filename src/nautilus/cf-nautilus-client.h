/* cf-nautilus-client.h: the file manager's side of the D-Bus interface: calls that never block, and the verdicts it was told
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-nautilus-verdict.h"

G_BEGIN_DECLS

#define CF_TYPE_NAUTILUS_CLIENT (cf_nautilus_client_get_type ())
G_DECLARE_FINAL_TYPE (CfNautilusClient, cf_nautilus_client, CF, NAUTILUS_CLIENT, GObject)

void                     cf_nautilus_client_register           (GTypeModule          *module);

CfNautilusClient        *cf_nautilus_client_get_default        (void);
void                     cf_nautilus_client_drop_default       (void);

const CfNautilusVerdict *cf_nautilus_client_lookup             (CfNautilusClient     *self,
                                                                const char           *uri,
                                                                gconstpointer         asker);
void                     cf_nautilus_client_expect_reask       (CfNautilusClient     *self,
                                                                const char           *uri);
gboolean                 cf_nautilus_client_is_reachable       (CfNautilusClient     *self);
void                     cf_nautilus_client_get_verdict_async  (CfNautilusClient     *self,
                                                                const char           *uri,
                                                                gconstpointer         asker,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
CfNautilusVerdict       *cf_nautilus_client_get_verdict_finish (CfNautilusClient     *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
void                     cf_nautilus_client_check_files        (CfNautilusClient     *self,
                                                                const char * const   *uris);

G_END_DECLS
