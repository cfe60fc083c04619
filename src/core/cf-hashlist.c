/* cf-hashlist.c: the hash list reader: format detection, dispatch, the API
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hash list comes from anywhere: sha256sum on a server, certutil pasted
 * from a README, autorunsc on a desktop, osquery across a fleet.  The reader
 * looks at the first CF_HASHLIST_LOOKAHEAD bytes (after any blank lines) to
 * tell the format, never at a file name, then reads the stream a record at
 * a time: memory stays flat however long the list is.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

G_DEFINE_QUARK (cf-hashlist-error-quark, cf_hashlist_error)

typedef enum
{
  ENGINE_NONE,
  ENGINE_LINES,
  ENGINE_CSV,
  ENGINE_JSON,
} Engine;

typedef struct
{
  CfHashItem        *item;
  CfHashlistProblem *problem;
} Result;

struct _CfHashlistReader
{
  GObject           parent_instance;

  CfHashlistSource  source;
  gboolean          started;
  gboolean          done;
  GError           *failure;   /* once reading failed, it stays failed */

  CfHashlistFormat  format;
  guint             skipped;
  GQueue            results;
  guint             peak_queue;

  Engine            engine;
  char              terminator;
  gboolean          tables;
  CfHashlistLine    line;
  CfHashlistSums   *sums;
  CfHashlistTable  *table;
  CfHashlistCsv    *csv;
  CfHashlistJson   *json;
};

G_DEFINE_FINAL_TYPE (CfHashlistReader, cf_hashlist_reader, G_TYPE_OBJECT)

static void
result_free (gpointer data)
{
  Result *result = data;

  cf_hash_item_free (result->item);
  cf_hashlist_problem_free (result->problem);
  g_free (result);
}

static void
cf_hashlist_reader_finalize (GObject *object)
{
  CfHashlistReader *self = CF_HASHLIST_READER (object);

  g_queue_clear_full (&self->results, result_free);
  cf_hashlist_source_clear (&self->source);
  g_clear_error (&self->failure);
  g_string_free (self->line.text, TRUE);
  g_clear_pointer (&self->sums, cf_hashlist_sums_free);
  g_clear_pointer (&self->table, cf_hashlist_table_free);
  g_clear_pointer (&self->csv, cf_hashlist_csv_free);
  g_clear_pointer (&self->json, cf_hashlist_json_free);

  G_OBJECT_CLASS (cf_hashlist_reader_parent_class)->finalize (object);
}

static void
cf_hashlist_reader_class_init (CfHashlistReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cf_hashlist_reader_finalize;
}

static void
cf_hashlist_reader_init (CfHashlistReader *self)
{
  g_queue_init (&self->results);
  self->line.text = g_string_sized_new (256);
  self->terminator = '\n';
}

/* Reads @stream, which it keeps a reference to, from where it stands. */
CfHashlistReader *
cf_hashlist_reader_new (GInputStream *stream)
{
  CfHashlistReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (CF_TYPE_HASHLIST_READER, NULL);
  cf_hashlist_source_init (&self->source, stream);
  return self;
}

/* Names ------------------------------------------------------------------ */

gboolean
cf_hash_kind_detect (const char *text,
                     CfHashKind *kind)
{
  if (text == NULL)
    return FALSE;

  return cf_hashlist_kind_from_text (text, strnlen (text, 65), kind);
}

/* The names VirusTotal and osquery use for the fields. */
const char *
cf_hash_kind_to_string (CfHashKind kind)
{
  switch (kind)
    {
    case CF_HASH_MD5:
      return "md5";
    case CF_HASH_SHA1:
      return "sha1";
    case CF_HASH_SHA256:
      return "sha256";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/* A name for people: "sha256sum output", "osquery JSON". */
const char *
cf_hashlist_format_to_string (CfHashlistFormat format)
{
  /* Translators: the formats of hash lists; most name the tool that writes them. */
  switch (format)
    {
    case CF_HASHLIST_FORMAT_UNKNOWN:
      return _("unknown format");
    case CF_HASHLIST_FORMAT_EMPTY:
      return _("empty input");
    case CF_HASHLIST_FORMAT_BARE:
      return _("bare hashes");
    case CF_HASHLIST_FORMAT_SUMS:
      return _("sha256sum output");
    case CF_HASHLIST_FORMAT_SUMS_NUL:
      return _("sha256sum -z output");
    case CF_HASHLIST_FORMAT_BSD:
      return _("BSD tag lines");
    case CF_HASHLIST_FORMAT_CERTUTIL:
      return _("certutil output");
    case CF_HASHLIST_FORMAT_TRANSCRIPT:
      return _("pasted terminal transcript");
    case CF_HASHLIST_FORMAT_CSV:
      return _("CSV");
    case CF_HASHLIST_FORMAT_AUTORUNS:
      return _("Autoruns CSV");
    case CF_HASHLIST_FORMAT_POWERSHELL_CSV:
      return _("PowerShell Export-Csv");
    case CF_HASHLIST_FORMAT_POWERSHELL_LIST:
      return _("PowerShell Format-List");
    case CF_HASHLIST_FORMAT_POWERSHELL_TABLE:
      return _("PowerShell table");
    case CF_HASHLIST_FORMAT_OSQUERY_TABLE:
      return _("osqueryi table");
    case CF_HASHLIST_FORMAT_OSQUERY_LINE:
      return _("osqueryi line mode");
    case CF_HASHLIST_FORMAT_OSQUERY_JSON:
      return _("osquery JSON");
    case CF_HASHLIST_FORMAT_OSQUERYD_LOG:
      return _("osqueryd results log");
    case CF_HASHLIST_FORMAT_VELOCIRAPTOR:
      return _("Velociraptor JSON");
    default:
      g_return_val_if_reached ("?");
    }
}

void
cf_hash_item_free (CfHashItem *item)
{
  if (item == NULL)
    return;

  g_free (item->hash);
  g_free (item->path);
  g_free (item->name);
  g_free (item->host);
  g_free (item);
}

void
cf_hashlist_problem_free (CfHashlistProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

/* What the parts report through ----------------------------------------- */

CfHashlistSource *
cf_hashlist_reader_get_source (CfHashlistReader *self)
{
  return &self->source;
}

void
cf_hashlist_reader_set_format (CfHashlistReader *self,
                               CfHashlistFormat  format)
{
  self->format = format;
}

void
cf_hashlist_reader_count_work (CfHashlistReader *self,
                               gsize             length)
{
  self->source.work += length;
}

void
cf_hashlist_reader_skip (CfHashlistReader *self,
                         guint             n_lines)
{
  self->skipped = n_lines > G_MAXUINT - self->skipped ? G_MAXUINT : self->skipped + n_lines;
}

static void
push (CfHashlistReader  *self,
      CfHashItem        *item,
      CfHashlistProblem *problem)
{
  Result *result = g_new0 (Result, 1);

  result->item = item;
  result->problem = problem;
  g_queue_push_tail (&self->results, result);
  self->peak_queue = MAX (self->peak_queue, self->results.length);
}

void
cf_hashlist_reader_emit_item (CfHashlistReader *self,
                              CfHashItem       *item)
{
  push (self, item, NULL);
}

void
cf_hashlist_reader_emit_problem (CfHashlistReader      *self,
                                 CfHashlistProblemKind  kind,
                                 guint                  number,
                                 gboolean               is_row,
                                 const char            *format,
                                 ...)
{
  CfHashlistProblem *problem;
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  problem = g_new0 (CfHashlistProblem, 1);
  problem->kind = kind;
  problem->line = MAX (number, 1);
  if (is_row)
    /* Translators: a problem with an entry of a JSON list: "row 3: no MD5, …" */
    problem->message = g_strdup_printf (_("row %u: %s"), problem->line, what);
  else
    /* Translators: "line 7: “xyz” is not an MD5, SHA-1 or SHA-256 hash" */
    problem->message = g_strdup_printf (_("line %u: %s"), problem->line, what);
  push (self, NULL, problem);
}

void
cf_hashlist_reader_emit_bad_hash (CfHashlistReader *self,
                                  guint             number,
                                  gboolean          is_row,
                                  const char       *text,
                                  gsize             length)
{
  g_autofree char *quoted = cf_hashlist_excerpt (text, length, CF_HASHLIST_EXCERPT);

  /* An excerpt reads at most a few bytes a character. */
  cf_hashlist_reader_count_work (self, MIN (length, 4 * CF_HASHLIST_EXCERPT + 4));
  cf_hashlist_reader_emit_problem (self, CF_HASHLIST_PROBLEM_INVALID, number, is_row,
                                   _("“%s” is not an MD5, SHA-1 or SHA-256 hash"), quoted);
}

void
cf_hashlist_reader_emit_too_long (CfHashlistReader *self,
                                  guint             number)
{
  cf_hashlist_reader_emit_problem (self, CF_HASHLIST_PROBLEM_INVALID, number, FALSE,
                                   _("longer than %d KiB, skipped"), CF_HASHLIST_MAX_LINE / 1024);
}

gsize
cf_hashlist_reader_get_peak_buffer (CfHashlistReader *self)
{
  return self->source.peak;
}

guint
cf_hashlist_reader_get_peak_queue (CfHashlistReader *self)
{
  return self->peak_queue;
}

/* Detection -------------------------------------------------------------- */

static void
set_unrecognised (GError **error)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (CfHashlistFormat format = CF_HASHLIST_FORMAT_BARE;
       format <= CF_HASHLIST_FORMAT_VELOCIRAPTOR; format++)
    {
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, cf_hashlist_format_to_string (format));
    }

  g_set_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_UNRECOGNISED,
               _("The format of this list was not recognised; supported: %s."), names->str);
}

static void
use_lines (CfHashlistReader *self,
           CfHashlistFormat  format,
           gboolean          strict,
           gboolean          nul)
{
  self->format = format;
  self->engine = ENGINE_LINES;
  self->terminator = nul ? '\0' : '\n';
  /* A list someone typed is read strictly, without the tables' guesses. */
  self->tables = !strict;
  self->sums = cf_hashlist_sums_new (strict, nul);
  if (self->tables)
    self->table = cf_hashlist_table_new ();
}

/* The order matters: JSON starts with a bracket; NUL-ended records are
 * told before anything splits at newlines; a boxed osqueryi table would
 * pass for '|'-separated CSV; CSV needs a header; what is left is lines. */
static gboolean
start (CfHashlistReader  *self,
       GCancellable      *cancellable,
       GError           **error)
{
  CfHashlistSource *source = &self->source;
  const char *data;
  gsize length;
  gboolean at_end;
  guint n_blank = 0;
  guint preamble = 0;
  gboolean strict = TRUE;
  char separator = ',';
  CfHashlistFormat format;

  if (!cf_hashlist_source_open (source, cancellable, error) ||
      !cf_hashlist_source_skip_blank_lines (source, &n_blank, cancellable, error) ||
      !cf_hashlist_source_fill (source, CF_HASHLIST_LOOKAHEAD, cancellable, error))
    return FALSE;
  cf_hashlist_reader_skip (self, n_blank);

  data = cf_hashlist_source_data (source);
  length = MIN (cf_hashlist_source_available (source), CF_HASHLIST_LOOKAHEAD);
  at_end = source->eof && cf_hashlist_source_available (source) <= CF_HASHLIST_LOOKAHEAD;

  if (length == 0)
    {
      self->format = CF_HASHLIST_FORMAT_EMPTY;
      self->done = TRUE;
      return TRUE;
    }

  if (cf_hashlist_json_detect (data, length))
    {
      self->format = CF_HASHLIST_FORMAT_OSQUERY_JSON;
      self->engine = ENGINE_JSON;
      self->json = cf_hashlist_json_new (source->line + 1);
      return TRUE;
    }

  if (cf_hashlist_sums_detect_nul (data, length, at_end, &source->work))
    {
      use_lines (self, CF_HASHLIST_FORMAT_SUMS_NUL, TRUE, TRUE);
      return TRUE;
    }

  format = cf_hashlist_table_detect (data, length, at_end, &source->work);
  if (format != CF_HASHLIST_FORMAT_UNKNOWN)
    {
      use_lines (self, format, FALSE, FALSE);
      return TRUE;
    }

  format = cf_hashlist_csv_detect (data, length, at_end, &source->work, &separator, &preamble);
  if (format != CF_HASHLIST_FORMAT_UNKNOWN)
    {
      self->format = format;
      self->engine = ENGINE_CSV;
      self->csv = cf_hashlist_csv_new (format, separator, preamble);
      return TRUE;
    }

  format = cf_hashlist_sums_detect (data, length, at_end, &source->work, &strict);
  if (format == CF_HASHLIST_FORMAT_EMPTY)
    {
      /* Comments and blank lines only: read them, to count them. */
      use_lines (self, format, TRUE, FALSE);
      return TRUE;
    }
  if (format == CF_HASHLIST_FORMAT_UNKNOWN)
    {
      set_unrecognised (error);
      return FALSE;
    }

  use_lines (self, format, strict, FALSE);
  return TRUE;
}

/* One line to the tables, or else to the sums. */
static gboolean
step_lines (CfHashlistReader  *self,
            GCancellable      *cancellable,
            GError           **error)
{
  gboolean got_line;

  if (!cf_hashlist_source_read_line (&self->source, self->terminator, &self->line, &got_line,
                                     cancellable, error))
    return FALSE;

  if (!got_line)
    {
      if (self->table != NULL)
        cf_hashlist_table_finish (self->table, self);
      cf_hashlist_sums_finish (self->sums, self);
      self->done = TRUE;
      return TRUE;
    }

  if (self->line.too_long)
    {
      if (self->table != NULL)
        cf_hashlist_table_finish (self->table, self);
      cf_hashlist_reader_emit_too_long (self, self->line.number);
      return TRUE;
    }

  if (self->table != NULL && cf_hashlist_table_take_line (self->table, self, &self->line))
    return TRUE;

  cf_hashlist_sums_take_line (self->sums, self, &self->line);
  return TRUE;
}

static gboolean
step (CfHashlistReader  *self,
      GCancellable      *cancellable,
      GError           **error)
{
  switch (self->engine)
    {
    case ENGINE_LINES:
      return step_lines (self, cancellable, error);
    case ENGINE_CSV:
      return cf_hashlist_csv_step (self->csv, self, &self->done, cancellable, error);
    case ENGINE_JSON:
      return cf_hashlist_json_step (self->json, self, &self->done, cancellable, error);
    case ENGINE_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* The API ---------------------------------------------------------------- */

/* The next hash or problem, in input order: returns TRUE with exactly one of
 * @item and @problem set (transfer full), or FALSE at the end of the list
 * (@error untouched) or when it cannot be read (@error set; from then on
 * every call fails the same way).  An input of no known format fails with
 * CF_HASHLIST_ERROR_UNRECOGNISED, JSON whose first value is broken and bad
 * UTF-16 with CF_HASHLIST_ERROR_INVALID, a failing stream with its own error. */
gboolean
cf_hashlist_reader_next (CfHashlistReader   *self,
                         CfHashItem        **item,
                         CfHashlistProblem **problem,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_return_val_if_fail (CF_IS_HASHLIST_READER (self), FALSE);
  g_return_val_if_fail (item != NULL && problem != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *item = NULL;
  *problem = NULL;

  if (self->failure == NULL && !self->started)
    {
      self->started = TRUE;
      if (!start (self, cancellable, &self->failure))
        self->done = TRUE;
    }

  for (;;)
    {
      Result *result = g_queue_pop_head (&self->results);

      if (result != NULL)
        {
          *item = g_steal_pointer (&result->item);
          *problem = g_steal_pointer (&result->problem);
          g_free (result);
          return TRUE;
        }

      if (self->failure != NULL)
        {
          g_propagate_error (error, g_error_copy (self->failure));
          return FALSE;
        }
      if (self->done)
        return FALSE;

      if (!step (self, cancellable, &self->failure))
        self->done = TRUE;
    }
}

/* CF_HASHLIST_FORMAT_UNKNOWN until the first call to next(). */
CfHashlistFormat
cf_hashlist_reader_get_format (CfHashlistReader *self)
{
  g_return_val_if_fail (CF_IS_HASHLIST_READER (self), CF_HASHLIST_FORMAT_UNKNOWN);

  return self->format;
}

/* Lines and records read so far that carry no hash and were passed over:
 * headers, footers, prompts, blank lines, prose, rows without an image. */
guint
cf_hashlist_reader_get_skipped (CfHashlistReader *self)
{
  g_return_val_if_fail (CF_IS_HASHLIST_READER (self), 0);

  return self->skipped;
}

/* The bytes every scanning loop has looked at so far, detection included:
 * a measure of cost that does not depend on the machine. */
guint64
cf_hashlist_reader_get_work (CfHashlistReader *self)
{
  g_return_val_if_fail (CF_IS_HASHLIST_READER (self), 0);

  return self->source.work;
}

/* Reads a whole list from memory: the CfHashItem found, in input order and
 * with duplicates; every problem, of either kind, lands in @problems (set
 * whenever the result is not NULL).  Fails as cf_hashlist_reader_next()
 * does, returning NULL. */
GPtrArray *
cf_hashlist_parse (const char  *data,
                   gsize        length,
                   GPtrArray  **problems,
                   GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(CfHashlistReader) reader = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) found_problems = NULL;
  g_autoptr(GError) local_error = NULL;
  CfHashItem *item;
  CfHashlistProblem *problem;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems != NULL)
    *problems = NULL;

  stream = g_memory_input_stream_new_from_data (data != NULL ? data : "", length, NULL);
  reader = cf_hashlist_reader_new (stream);
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_hash_item_free);
  found_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_hashlist_problem_free);

  while (cf_hashlist_reader_next (reader, &item, &problem, NULL, &local_error))
    {
      if (item != NULL)
        g_ptr_array_add (items, item);
      else
        g_ptr_array_add (found_problems, problem);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (problems != NULL)
    *problems = g_steal_pointer (&found_problems);
  return g_steal_pointer (&items);
}
