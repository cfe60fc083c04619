/* cf-trash.h: a file into the Trash, and back again on Undo
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where one file went: enough to put it back. */
typedef struct _CfTrashed CfTrashed;

CfTrashed  *cf_trash_file            (GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean    cf_trashed_restore       (CfTrashed     *trashed,
                                      GCancellable  *cancellable,
                                      GError       **error);
const char *cf_trashed_get_original  (const CfTrashed *trashed);
const char *cf_trashed_get_location  (const CfTrashed *trashed);
void        cf_trashed_free          (CfTrashed     *trashed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTrashed, cf_trashed_free)

G_END_DECLS
