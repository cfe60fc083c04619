/* cf-fake-vt-multipart.h
 *
 * Finds the "file" part of a buffered multipart/form-data body, without copying it.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean  found;             /* a part named "file" was there */
  gboolean  extended_filename; /* its Content-Disposition used filename*= (RFC 5987) */
  char     *filename;          /* the filename parameter as sent, quotes removed, or NULL */
  gsize     offset;            /* where the part's content starts in the body */
  gsize     length;            /* and how long it is */
} CfFakeVtFilePart;

gboolean cf_fake_vt_multipart_find_file (const guint8      *body,
                                         gsize              body_length,
                                         const char        *boundary,
                                         CfFakeVtFilePart  *part,
                                         GError           **error);
void     cf_fake_vt_file_part_clear     (CfFakeVtFilePart  *part);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CfFakeVtFilePart, cf_fake_vt_file_part_clear)

G_END_DECLS
