/* cf-hashlist-private.h: what the parts of the hash list reader share
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader (cf-hashlist.c) owns a source (cf-hashlist-lines.c) that reads
 * the stream in chunks, detects the format from a bounded look-ahead and
 * hands the rest to one family of formats: sums and transcripts
 * (cf-hashlist-sums.c), console tables (cf-hashlist-table.c, with their
 * key-value records in cf-hashlist-keyvalue.c), CSV (cf-hashlist-csv.c) or
 * JSON (cf-hashlist-json.c: streaming; cf-hashlist-json-scan.c: the strict
 * checker; cf-hashlist-json-rows.c: what values mean).  What they have in
 * common, columns and rows, hash judging and safe excerpts, is in
 * cf-hashlist-row.c.  Each family reports what it finds through the
 * cf_hashlist_reader_emit_* functions, which queue it for
 * cf_hashlist_reader_next().
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cf-hashlist.h"

G_BEGIN_DECLS

/* A hash and a path fit in far less; a longer line is not a hash list. */
#define CF_HASHLIST_MAX_LINE (64 * 1024)

/* How much of the input the format is told from, and how much is read at once. */
#define CF_HASHLIST_LOOKAHEAD (64 * 1024)
#define CF_HASHLIST_CHUNK (64 * 1024)

/* One JSON value that is not a top-level array (an osqueryd log line, a
 * wrapper object around rows) is parsed whole; past this it is skipped. */
#define CF_HASHLIST_MAX_JSON_RECORD (8 * 1024 * 1024)

/* How much of a bad value a problem quotes, in characters. */
#define CF_HASHLIST_EXCERPT (40)

/* The source: the stream, read in chunks ------------------------------- */

typedef struct
{
  GInputStream *stream;     /* the caller's, or a converter from UTF-16 over it */
  gboolean      utf16;
  GByteArray   *buffer;
  gsize         start;      /* the first byte not yet consumed */
  gboolean      eof;
  guint64       work;
  gsize         peak;       /* the most bytes ever held */
  guint         line;       /* lines consumed through the line reader */
  gsize         scanned;    /* how far the line reader has looked for an end */
} CfHashlistSource;

typedef struct
{
  GString  *text;           /* without its end; empty when too long */
  guint     number;
  gboolean  too_long;
} CfHashlistLine;

void         cf_hashlist_source_init              (CfHashlistSource  *self,
                                                   GInputStream      *stream);
void         cf_hashlist_source_clear             (CfHashlistSource  *self);
gboolean     cf_hashlist_source_open              (CfHashlistSource  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean     cf_hashlist_source_fill              (CfHashlistSource  *self,
                                                   gsize              wanted,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
void         cf_hashlist_source_consume           (CfHashlistSource  *self,
                                                   gsize              length);
gboolean     cf_hashlist_source_skip_blank_lines  (CfHashlistSource  *self,
                                                   guint             *n_lines,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean     cf_hashlist_source_read_line         (CfHashlistSource  *self,
                                                   char               terminator,
                                                   CfHashlistLine    *line,
                                                   gboolean          *got_line,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

static inline const char *
cf_hashlist_source_data (CfHashlistSource *self)
{
  return (const char *) self->buffer->data + self->start;
}

static inline gsize
cf_hashlist_source_available (CfHashlistSource *self)
{
  return self->buffer->len - self->start;
}

/* Lines of a bounded buffer, for format detection: each call gives the next
 * complete line (or the last one, at the end of the input). */
typedef struct
{
  const char *p;
  const char *end;
  gboolean    at_end;     /* the buffer holds the rest of the input */
  guint64    *work;
} CfHashlistLines;

gboolean     cf_hashlist_lines_next               (CfHashlistLines   *lines,
                                                   const char       **line,
                                                   gsize             *length);

/* Text ------------------------------------------------------------------ */

gboolean     cf_hashlist_is_blank                 (char               c);
void         cf_hashlist_trim                     (const char       **text,
                                                   gsize             *length);
gboolean     cf_hashlist_kind_from_text           (const char        *text,
                                                   gsize              length,
                                                   CfHashKind        *kind);
gsize        cf_hashlist_longest_hex_run          (const char        *text,
                                                   gsize              length);
char        *cf_hashlist_text_to_utf8             (const char        *text,
                                                   gsize              length);
char        *cf_hashlist_text_or_null             (const char        *text,
                                                   gsize              length);
void         cf_hashlist_trim_end                 (const char        *text,
                                                   gsize             *length,
                                                   guint64           *work);
gboolean     cf_hashlist_is_blank_line            (const char        *text,
                                                   gsize              length,
                                                   guint64           *work);
gsize        cf_hashlist_skip_blanks              (const char        *text,
                                                   gsize              length,
                                                   guint64           *work);
char        *cf_hashlist_excerpt                  (const char        *text,
                                                   gsize              length,
                                                   guint              max_chars);

/* How a value that should be a hash is taken. */
typedef enum
{
  CF_HASH_VERDICT_VALID,
  CF_HASH_VERDICT_UNSUPPORTED,
  CF_HASH_VERDICT_INVALID,
} CfHashVerdict;

/* What an algorithm name (a BSD tag, a certutil header, PowerShell's
 * Algorithm) says about the hash beside it. */
typedef enum
{
  CF_ALGORITHM_UNKNOWN,        /* no name, or one we do not know: go by length */
  CF_ALGORITHM_SUPPORTED,
  CF_ALGORITHM_UNSUPPORTED,
} CfAlgorithmClass;

CfAlgorithmClass cf_hashlist_algorithm_classify   (const char        *name,
                                                   gsize              length,
                                                   CfHashKind        *kind);
CfHashVerdict    cf_hashlist_judge                (const char        *text,
                                                   gsize              length,
                                                   const char        *algorithm,
                                                   gsize              algorithm_length,
                                                   CfHashKind        *kind);

/* Columns and rows: CSV, tables, key-value blocks, JSON ---------------- */

typedef enum
{
  CF_COLUMN_NONE = -1,
  /* The hash columns, strongest first. */
  CF_COLUMN_SHA256,
  CF_COLUMN_SHA1,
  CF_COLUMN_MD5,
  CF_COLUMN_HASH,   /* any kind, told by its length or the algorithm column */
  CF_COLUMN_ALGORITHM,
  CF_COLUMN_PATH,
  CF_COLUMN_NAME,
  CF_COLUMN_PID,
  CF_COLUMN_HOST,
  CF_N_COLUMNS
} CfColumn;

/* The fields of one record, pointing into text the caller keeps. */
typedef struct
{
  const char *value[CF_N_COLUMNS];
  gsize       length[CF_N_COLUMNS];
  gint64      pid;   /* from a JSON number; -1 otherwise */
} CfRow;

CfColumn     cf_hashlist_column_from_name         (const char        *name,
                                                   gsize              length);
gboolean     cf_hashlist_column_is_hash           (CfColumn           column);
void         cf_hashlist_row_init                 (CfRow             *row);
void         cf_hashlist_row_set                  (CfRow             *row,
                                                   CfColumn           column,
                                                   const char        *value,
                                                   gsize              length);
gboolean     cf_hashlist_row_has_hash             (const CfRow       *row);
gboolean     cf_hashlist_row_is_header            (const CfRow       *row);

/* The reader, as its parts see it -------------------------------------- */

CfHashlistSource *cf_hashlist_reader_get_source   (CfHashlistReader  *self);
void         cf_hashlist_reader_set_format        (CfHashlistReader  *self,
                                                   CfHashlistFormat   format);
void         cf_hashlist_reader_count_work        (CfHashlistReader  *self,
                                                   gsize              length);
void         cf_hashlist_reader_skip              (CfHashlistReader  *self,
                                                   guint              n_lines);
void         cf_hashlist_reader_emit_item         (CfHashlistReader  *self,
                                                   CfHashItem        *item);
void         cf_hashlist_reader_emit_problem      (CfHashlistReader  *self,
                                                   CfHashlistProblemKind kind,
                                                   guint              number,
                                                   gboolean           is_row,
                                                   const char        *format,
                                                   ...) G_GNUC_PRINTF (5, 6);
void         cf_hashlist_reader_emit_bad_hash     (CfHashlistReader  *self,
                                                   guint              number,
                                                   gboolean           is_row,
                                                   const char        *text,
                                                   gsize              length);
void         cf_hashlist_reader_emit_too_long     (CfHashlistReader  *self,
                                                   guint              number);
CfHashItem  *cf_hashlist_reader_check_hash        (CfHashlistReader  *self,
                                                   const char        *text,
                                                   gsize              length,
                                                   const char        *algorithm,
                                                   gsize              algorithm_length,
                                                   guint              number,
                                                   gboolean           is_row);
void         cf_hashlist_reader_emit_row          (CfHashlistReader  *self,
                                                   const CfRow       *row,
                                                   const char        *fallback_host,
                                                   gsize              fallback_host_length,
                                                   guint              number,
                                                   gboolean           is_row);

/* For tests: the most bytes the source held, and the most results queued. */
gsize        cf_hashlist_reader_get_peak_buffer   (CfHashlistReader  *self);
guint        cf_hashlist_reader_get_peak_queue    (CfHashlistReader  *self);

/* Sums, certutil and transcripts (cf-hashlist-sums.c) ------------------ */

typedef struct _CfHashlistSums CfHashlistSums;

CfHashlistFormat cf_hashlist_sums_detect          (const char        *data,
                                                   gsize              length,
                                                   gboolean           at_end,
                                                   guint64           *work,
                                                   gboolean          *strict);
gboolean     cf_hashlist_sums_detect_nul          (const char        *data,
                                                   gsize              length,
                                                   gboolean           at_end,
                                                   guint64           *work);
gboolean     cf_hashlist_is_prompt                (const char        *line,
                                                   gsize              length);
CfHashlistSums *cf_hashlist_sums_new              (gboolean           strict,
                                                   gboolean           nul);
void         cf_hashlist_sums_free                (CfHashlistSums    *self);
void         cf_hashlist_sums_take_line           (CfHashlistSums    *self,
                                                   CfHashlistReader  *reader,
                                                   const CfHashlistLine *line);
void         cf_hashlist_sums_finish              (CfHashlistSums    *self,
                                                   CfHashlistReader  *reader);

/* Console tables and key-value lists (cf-hashlist-table.c) ------------- */

typedef struct _CfHashlistTable CfHashlistTable;

CfHashlistFormat cf_hashlist_table_detect         (const char        *data,
                                                   gsize              length,
                                                   gboolean           at_end,
                                                   guint64           *work);
gboolean     cf_hashlist_table_is_tool_line       (const char        *line,
                                                   gsize              length,
                                                   guint64           *work);
CfHashlistTable *cf_hashlist_table_new            (void);
void         cf_hashlist_table_free               (CfHashlistTable   *self);
gboolean     cf_hashlist_table_take_line          (CfHashlistTable   *self,
                                                   CfHashlistReader  *reader,
                                                   const CfHashlistLine *line);
void         cf_hashlist_table_finish             (CfHashlistTable   *self,
                                                   CfHashlistReader  *reader);

/* Key-value records (cf-hashlist-keyvalue.c) --------------------------- */

typedef struct _CfHashlistBlock CfHashlistBlock;

gboolean     cf_hashlist_split_key_value          (const char        *text,
                                                   gsize              length,
                                                   const char       **key,
                                                   gsize             *key_length,
                                                   char              *separator,
                                                   gsize             *value_start,
                                                   guint64           *work);
CfHashlistBlock *cf_hashlist_block_new            (void);
void         cf_hashlist_block_free               (CfHashlistBlock   *self);
gboolean     cf_hashlist_block_is_open            (CfHashlistBlock   *self);
gboolean     cf_hashlist_block_take_line          (CfHashlistBlock   *self,
                                                   CfHashlistReader  *reader,
                                                   const char        *text,
                                                   gsize              length,
                                                   guint              number);
void         cf_hashlist_block_flush              (CfHashlistBlock   *self,
                                                   CfHashlistReader  *reader);

/* CSV (cf-hashlist-csv.c) ---------------------------------------------- */

typedef struct _CfHashlistCsv CfHashlistCsv;

CfHashlistFormat cf_hashlist_csv_detect           (const char        *data,
                                                   gsize              length,
                                                   gboolean           at_end,
                                                   guint64           *work,
                                                   char              *separator,
                                                   guint             *preamble);
CfHashlistCsv *cf_hashlist_csv_new                (CfHashlistFormat   format,
                                                   char               separator,
                                                   guint              preamble);
void         cf_hashlist_csv_free                 (CfHashlistCsv     *self);
gboolean     cf_hashlist_csv_step                 (CfHashlistCsv     *self,
                                                   CfHashlistReader  *reader,
                                                   gboolean          *done,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/* JSON (cf-hashlist-json.c) -------------------------------------------- */

typedef struct _CfHashlistJson CfHashlistJson;

gboolean     cf_hashlist_json_detect              (const char        *data,
                                                   gsize              length);
CfHashlistJson *cf_hashlist_json_new              (guint              first_line);
void         cf_hashlist_json_free                (CfHashlistJson    *self);
gboolean     cf_hashlist_json_step                (CfHashlistJson    *self,
                                                   CfHashlistReader  *reader,
                                                   gboolean          *done,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/* JSON rows (cf-hashlist-json-rows.c) ------------------------------------ */

CfHashlistFormat cf_hashlist_json_format_of       (JsonNode          *root);
void         cf_hashlist_json_add_row             (CfHashlistReader  *reader,
                                                   JsonNode          *node,
                                                   const CfRow       *outer,
                                                   guint              number,
                                                   gboolean           is_row);
void         cf_hashlist_json_add_value           (CfHashlistReader  *reader,
                                                   JsonNode          *root,
                                                   guint              line,
                                                   guint             *row_number);

/* The strict JSON checker (cf-hashlist-json-scan.c) -------------------- */

/* Deeper or wider than any osquery or Velociraptor row, and refused. */
#define CF_HASHLIST_JSON_MAX_DEPTH 64
#define CF_HASHLIST_JSON_MAX_MEMBERS 256

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  const char *line_start;
  guint       first_line;     /* where the text starts in the input… */
  guint       first_column;   /* …and how many characters precede it there */

  /* Set when a check fails. */
  const char *error_at;
  guint       error_line;
  guint       error_column;
  char       *error;
} CfJsonScan;

gboolean     cf_hashlist_json_scan_value          (CfJsonScan        *scan);
gboolean     cf_hashlist_is_json_space            (char               c);
char        *cf_hashlist_json_unexpected          (const char        *at,
                                                   const char        *end);
void         cf_hashlist_json_glib_error_position (const char        *message,
                                                   guint              first_line,
                                                   guint              first_column,
                                                   guint             *line,
                                                   guint             *column,
                                                   const char       **rest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashlistSums, cf_hashlist_sums_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashlistTable, cf_hashlist_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashlistCsv, cf_hashlist_csv_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHashlistJson, cf_hashlist_json_free)

G_END_DECLS
