/* cf-format.h: a check as a line of text, JSON or CSV, the same for the CLI and every export
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-check.h"

G_BEGIN_DECLS

typedef enum
{
  CF_FORMAT_TEXT,
  CF_FORMAT_JSON,    /* JSON Lines: one object a line */
  CF_FORMAT_CSV,
} CfFormat;

/* What the input said about a row besides its hash: a hash list's path,
 * host, process name and pid, or the file name as it was given.  Any
 * member may be NULL (pid -1). */
typedef struct
{
  const char *path;
  const char *host;
  const char *name;
  gint64      pid;
} CfFormatRow;

#define CF_FORMAT_ROW_INIT { NULL, NULL, NULL, -1 }

const char *cf_format_csv_header  (void);
char       *cf_format_check       (CfFormat           format,
                                   CfCheck           *check,
                                   const CfFormatRow *row);
char       *cf_format_report_document (CfCheck       *check);
void        cf_format_add_to_variant (CfCheck         *check,
                                      GVariantBuilder *builder);

G_END_DECLS
