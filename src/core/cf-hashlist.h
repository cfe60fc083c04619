/* cf-hashlist.h: read hash lists: bare hashes, sha256sum lines, CSV, osquery JSON
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CF_HASHLIST_ERROR (cf_hashlist_error_quark ())

typedef enum
{
  CF_HASHLIST_ERROR_INVALID,
} CfHashlistError;

typedef enum
{
  CF_HASH_MD5,
  CF_HASH_SHA1,
  CF_HASH_SHA256,
} CfHashKind;

typedef struct
{
  char       *hash;      /* lowercase hex */
  CfHashKind  kind;
  guint       line;      /* 1-based line (or array index + 1 for JSON) */
  char       *path;      /* NULL when the input has none */
  char       *name;
  char       *host;
  gint64      pid;       /* -1 when the input has none */
} CfHashItem;

typedef struct
{
  guint  line;
  char  *message;
} CfHashlistProblem;

GQuark      cf_hashlist_error_quark     (void);
gboolean    cf_hash_kind_detect         (const char   *text,
                                         CfHashKind   *kind);
const char *cf_hash_kind_to_string      (CfHashKind    kind);
GPtrArray  *cf_hashlist_parse           (const char   *data,
                                         gsize         length,
                                         GPtrArray   **problems,
                                         GError      **error);
void        cf_hash_item_free           (CfHashItem   *item);
void        cf_hashlist_problem_free    (CfHashlistProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashItem, cf_hash_item_free)

G_END_DECLS
