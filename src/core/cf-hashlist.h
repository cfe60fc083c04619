/* cf-hashlist.h: read hash lists as a stream, in the formats the tools write
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_HASHLIST_ERROR (cf_hashlist_error_quark ())

typedef enum
{
  CF_HASHLIST_ERROR_INVALID,        /* broken JSON, broken UTF-16 */
  CF_HASHLIST_ERROR_UNRECOGNISED,   /* no format this reader knows */
} CfHashlistError;

typedef enum
{
  CF_HASH_MD5,
  CF_HASH_SHA1,
  CF_HASH_SHA256,
} CfHashKind;

/* What the input turned out to be; told from its content alone. */
typedef enum
{
  CF_HASHLIST_FORMAT_UNKNOWN,            /* not read yet, or not recognised */
  CF_HASHLIST_FORMAT_EMPTY,
  CF_HASHLIST_FORMAT_BARE,               /* one hash a line */
  CF_HASHLIST_FORMAT_SUMS,               /* sha256sum, md5sum, sha1sum; text or binary mode */
  CF_HASHLIST_FORMAT_SUMS_NUL,           /* the same with -z */
  CF_HASHLIST_FORMAT_BSD,                /* --tag, BSD md5, openssl dgst */
  CF_HASHLIST_FORMAT_CERTUTIL,           /* certutil -hashfile */
  CF_HASHLIST_FORMAT_TRANSCRIPT,         /* a pasted terminal session */
  CF_HASHLIST_FORMAT_CSV,                /* a header naming a hash column */
  CF_HASHLIST_FORMAT_AUTORUNS,           /* autorunsc -c -h */
  CF_HASHLIST_FORMAT_POWERSHELL_CSV,     /* Get-FileHash | Export-Csv */
  CF_HASHLIST_FORMAT_POWERSHELL_LIST,    /* Get-FileHash | Format-List */
  CF_HASHLIST_FORMAT_POWERSHELL_TABLE,   /* Get-FileHash, as the console shows it */
  CF_HASHLIST_FORMAT_OSQUERY_TABLE,      /* osqueryi's boxed table */
  CF_HASHLIST_FORMAT_OSQUERY_LINE,       /* osqueryi .mode line */
  CF_HASHLIST_FORMAT_OSQUERY_JSON,       /* osqueryi --json, and other JSON rows */
  CF_HASHLIST_FORMAT_OSQUERYD_LOG,       /* osqueryd results: differential, snapshot, batch */
  CF_HASHLIST_FORMAT_VELOCIRAPTOR,       /* rows with a nested "Hash" object */
} CfHashlistFormat;

typedef enum
{
  CF_HASHLIST_PROBLEM_INVALID,       /* looks like a hash and is not one, or a broken record */
  CF_HASHLIST_PROBLEM_UNSUPPORTED,   /* a real hash that VirusTotal cannot look up */
} CfHashlistProblemKind;

typedef struct
{
  char       *hash;      /* lowercase hex */
  CfHashKind  kind;
  guint       line;      /* 1-based line (or row number for JSON arrays) */
  char       *path;      /* NULL when the input has none */
  char       *name;
  char       *host;
  gint64      pid;       /* -1 when the input has none */
} CfHashItem;

typedef struct
{
  guint                  line;
  char                  *message;   /* translated, "line 3: …"; safe to print */
  CfHashlistProblemKind  kind;
} CfHashlistProblem;

#define CF_TYPE_HASHLIST_READER (cf_hashlist_reader_get_type ())

G_DECLARE_FINAL_TYPE (CfHashlistReader, cf_hashlist_reader, CF, HASHLIST_READER, GObject)

GQuark            cf_hashlist_error_quark         (void);

gboolean          cf_hash_kind_detect             (const char         *text,
                                                   CfHashKind         *kind);
const char       *cf_hash_kind_to_string          (CfHashKind          kind);
const char       *cf_hashlist_format_to_string    (CfHashlistFormat    format);

CfHashlistReader *cf_hashlist_reader_new          (GInputStream       *stream);
gboolean          cf_hashlist_reader_next         (CfHashlistReader   *self,
                                                   CfHashItem        **item,
                                                   CfHashlistProblem **problem,
                                                   GCancellable       *cancellable,
                                                   GError            **error);
CfHashlistFormat  cf_hashlist_reader_get_format   (CfHashlistReader   *self);
guint             cf_hashlist_reader_get_skipped  (CfHashlistReader   *self);
guint64           cf_hashlist_reader_get_work     (CfHashlistReader   *self);

GPtrArray        *cf_hashlist_parse               (const char         *data,
                                                   gsize               length,
                                                   GPtrArray         **problems,
                                                   GError            **error);

void              cf_hash_item_free               (CfHashItem         *item);
void              cf_hashlist_problem_free        (CfHashlistProblem  *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashItem, cf_hash_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashlistProblem, cf_hashlist_problem_free)

G_END_DECLS
