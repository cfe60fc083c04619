/* cf-hash-set.h: a set of MD5, SHA-1 and SHA-256 hashes, each in its digest's bytes
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CfHashSet CfHashSet;

CfHashSet *cf_hash_set_new        (void);
void       cf_hash_set_free       (CfHashSet  *self);
gboolean   cf_hash_set_add        (CfHashSet  *self,
                                   const char *hash);
gboolean   cf_hash_set_contains   (CfHashSet  *self,
                                   const char *hash);
guint      cf_hash_set_get_size   (CfHashSet  *self);
gsize      cf_hash_set_get_memory (CfHashSet  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashSet, cf_hash_set_free)

G_END_DECLS
