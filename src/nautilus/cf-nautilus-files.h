/* cf-nautilus-files.h: which of the file manager's files Check First can read, and by which URI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <nautilus-extension.h>

G_BEGIN_DECLS

char *cf_nautilus_file_get_local_uri (NautilusFileInfo *file);

G_END_DECLS
