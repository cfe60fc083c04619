/* cf-multipart.h: a multipart/form-data body streamed from disk, of known length
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_TYPE_MULTIPART_STREAM (cf_multipart_stream_get_type ())
G_DECLARE_FINAL_TYPE (CfMultipartStream, cf_multipart_stream, CF, MULTIPART_STREAM, GInputStream)

/* Takes a reference on @content, which must yield exactly @content_size
 * bytes; fewer is an error at read time, never a silently short body. */
GInputStream *cf_multipart_stream_new          (GInputStream      *content,
                                                goffset            content_size,
                                                const char        *field_name,
                                                const char        *filename);
goffset       cf_multipart_stream_get_length   (CfMultipartStream *self);
const char   *cf_multipart_stream_get_content_type (CfMultipartStream *self);
char         *cf_multipart_ascii_filename      (const char        *name);

G_END_DECLS
