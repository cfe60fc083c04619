/* cf-hashlist-csv.c: CSV with a header naming a hash column, autorunsc and Export-Csv among them
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180, leniently: quotes open a value only at its start, "" is a quote
 * inside one, and a quoted value may span lines.  Besides commas and tabs
 * (autorunsc -ct): semicolons (spreadsheets in many locales) and '|'
 * (osqueryi --csv).  A lone "sha256" header is a one-column CSV.
 *
 * autorunsc -c -h writes a row for every place it looked, and registry
 * locations with nothing in them have no image and so no hash: those rows
 * are passed over.  Elsewhere a row without a hash is reported.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

/* Tools print a banner before the header (autorunsc without -nobanner);
 * the header is looked for this far. */
#define MAX_PREAMBLE 16

typedef enum
{
  RECORD_START,
  COMMENT,
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED,
  AFTER_QUOTE,
} CsvState;

/* Reads a record a byte at a time, so a record may cross chunks. */
typedef struct
{
  char       separator;
  CsvState   state;
  GPtrArray *fields;         /* GString, reused from record to record */
  guint      n_fields;
  gsize      quoted_length;
  gsize      length;         /* bytes of this record so far */
  guint      newlines;
  gboolean   started;
  gboolean   comment;
  gboolean   too_long;
  gboolean   unterminated;
} CsvMachine;

struct _CfHashlistCsv
{
  CfHashlistFormat  format;
  CsvMachine        machine;
  guint             preamble;
  guint             line;
  gboolean          have_header;
  GArray           *columns;
};

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
machine_init (CsvMachine *m,
              char        separator)
{
  memset (m, 0, sizeof *m);
  m->separator = separator;
  m->fields = g_ptr_array_new_with_free_func (string_free);
}

static GString *
machine_next_field (CsvMachine *m)
{
  GString *field;

  if (m->n_fields == m->fields->len)
    g_ptr_array_add (m->fields, g_string_new (NULL));

  field = g_ptr_array_index (m->fields, m->n_fields++);
  g_string_truncate (field, 0);
  return field;
}

static void
machine_reset (CsvMachine *m)
{
  m->state = RECORD_START;
  m->n_fields = 0;
  m->quoted_length = 0;
  m->length = 0;
  m->newlines = 0;
  m->started = FALSE;
  m->comment = FALSE;
  m->too_long = FALSE;
  m->unterminated = FALSE;
  machine_next_field (m);
}

static GString *
machine_field (CsvMachine *m)
{
  return g_ptr_array_index (m->fields, m->n_fields - 1);
}

/* Blanks around a value are padding, except inside quotes. */
static void
field_end (CsvMachine *m)
{
  GString *field = machine_field (m);

  while (field->len > m->quoted_length &&
         (cf_hashlist_is_blank (field->str[field->len - 1]) || field->str[field->len - 1] == '\r'))
    g_string_truncate (field, field->len - 1);
}

static void
append (CsvMachine *m,
        char        c)
{
  if (!m->too_long)
    g_string_append_c (machine_field (m), c);
}

/* Feeds bytes; returns how many it took.  *complete is set when a record
 * ended with a newline, which it took too. */
static gsize
machine_feed (CsvMachine *m,
              const char *data,
              gsize       length,
              gboolean   *complete)
{
  *complete = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      m->started = TRUE;
      if (c == '\n')
        m->newlines++;
      if (!m->too_long && ++m->length > CF_HASHLIST_MAX_LINE)
        m->too_long = TRUE;

      switch (m->state)
        {
        case RECORD_START:
          if (cf_hashlist_is_blank (c) && !(c == '\t' && m->separator == '\t'))
            break;
          if (c == '#')
            {
              m->comment = TRUE;
              m->state = COMMENT;
              break;
            }
          m->state = FIELD_START;
          G_GNUC_FALLTHROUGH;

        case FIELD_START:
          if (c == '"')
            {
              m->state = QUOTED;
              break;
            }
          if (c == ' ' || (c == '\t' && m->separator != '\t'))
            break;
          m->state = UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
        case AFTER_QUOTE:
          if (c == m->separator || c == '\n')
            {
              field_end (m);
              if (c == '\n')
                {
                  *complete = TRUE;
                  return i + 1;
                }
              m->quoted_length = 0;
              m->state = FIELD_START;
              if (!m->too_long)
                machine_next_field (m);
            }
          else
            append (m, c);
          break;

        case QUOTED:
          if (c == '"')
            m->state = QUOTE_IN_QUOTED;
          else
            append (m, c);
          break;

        case QUOTE_IN_QUOTED:
          if (c == '"')
            {
              append (m, '"');
              m->state = QUOTED;
              break;
            }
          m->quoted_length = machine_field (m)->len;
          m->state = AFTER_QUOTE;
          /* This byte belongs after the quote: a separator, a newline or more text. */
          i--;
          m->length--;
          if (c == '\n')
            m->newlines--;
          break;

        case COMMENT:
          if (c == '\n')
            {
              *complete = TRUE;
              return i + 1;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return length;
}

/* The input ended inside a record. */
static void
machine_end (CsvMachine *m)
{
  if (m->state == QUOTED)
    m->unterminated = TRUE;
  if (m->state == QUOTE_IN_QUOTED)
    m->quoted_length = machine_field (m)->len;
  if (m->state != COMMENT)
    field_end (m);
}

static void
machine_clear (CsvMachine *m)
{
  g_clear_pointer (&m->fields, g_ptr_array_unref);
}

/* Detection --------------------------------------------------------------- */

/* What a header's fields say: whether one names a hash, and which tool's
 * header it is. */
typedef enum
{
  HEADER_HASH = 1 << 0,
  HEADER_ENTRY_LOCATION = 1 << 1,   /* autorunsc */
  HEADER_IMAGE_PATH = 1 << 2,
  HEADER_ALGORITHM = 1 << 3,        /* Get-FileHash */
  HEADER_PATH = 1 << 4,
} HeaderFlags;

static HeaderFlags
read_header (const char *line,
             gsize       length,
             char        separator,
             guint64    *work)
{
  CsvMachine m;
  gboolean complete;
  HeaderFlags flags = 0;

  machine_init (&m, separator);
  machine_reset (&m);
  *work += machine_feed (&m, line, length, &complete);
  machine_end (&m);

  for (guint i = 0; i < m.n_fields && !m.comment; i++)
    {
      GString *field = g_ptr_array_index (m.fields, i);
      CfColumn column = cf_hashlist_column_from_name (field->str, field->len);

      *work += field->len;
      if (cf_hashlist_column_is_hash (column))
        flags |= HEADER_HASH;
      if (g_ascii_strcasecmp (field->str, "Entry Location") == 0)
        flags |= HEADER_ENTRY_LOCATION;
      if (g_ascii_strcasecmp (field->str, "Image Path") == 0)
        flags |= HEADER_IMAGE_PATH;
      if (column == CF_COLUMN_ALGORITHM)
        flags |= HEADER_ALGORITHM;
      if (g_ascii_strcasecmp (field->str, "Path") == 0)
        flags |= HEADER_PATH;
    }

  machine_clear (&m);
  return flags;
}

/* A header naming a hash column, among the first lines: before it, only
 * comments (PowerShell's "#TYPE …") and a banner with nothing like a hash. */
CfHashlistFormat
cf_hashlist_csv_detect (const char *data,
                        gsize       length,
                        gboolean    at_end,
                        guint64    *work,
                        char       *separator,
                        guint      *preamble)
{
  static const char separators[] = { ',', '\t', ';', '|' };
  CfHashlistLines lines = { data, data + length, at_end, work };
  gboolean powershell_type = FALSE;
  const char *line;
  gsize line_length;

  for (guint n = 0; n < MAX_PREAMBLE && cf_hashlist_lines_next (&lines, &line, &line_length); n++)
    {
      HeaderFlags flags = 0;

      /* A list of hashes has no header; nor does a banner. */
      *work += line_length;
      if (cf_hashlist_longest_hex_run (line, line_length) >= 16)
        return CF_HASHLIST_FORMAT_UNKNOWN;
      if (line_length > 0 && line[0] == '#')
        {
          *work += line_length;
          powershell_type = powershell_type ||
                            g_strstr_len (line, line_length, "FileHashInfo") != NULL;
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (separators) && !(flags & HEADER_HASH); i++)
        {
          *work += line_length;
          if (memchr (line, separators[i], line_length) != NULL)
            {
              flags = read_header (line, line_length, separators[i], work);
              *separator = separators[i];
            }
        }

      /* A lone "sha256" is a one-column CSV. */
      if (!(flags & HEADER_HASH) && memchr (line, ',', line_length) == NULL)
        {
          flags = read_header (line, line_length, ',', work);
          *separator = ',';
        }

      if (!(flags & HEADER_HASH))
        continue;

      *preamble = n;
      if ((flags & HEADER_ENTRY_LOCATION) && (flags & HEADER_IMAGE_PATH))
        return CF_HASHLIST_FORMAT_AUTORUNS;
      if (powershell_type || ((flags & HEADER_ALGORITHM) && (flags & HEADER_PATH)))
        return CF_HASHLIST_FORMAT_POWERSHELL_CSV;
      return CF_HASHLIST_FORMAT_CSV;
    }

  return CF_HASHLIST_FORMAT_UNKNOWN;
}

/* Reading ----------------------------------------------------------------- */

CfHashlistCsv *
cf_hashlist_csv_new (CfHashlistFormat format,
                     char             separator,
                     guint            preamble)
{
  CfHashlistCsv *self = g_new0 (CfHashlistCsv, 1);

  self->format = format;
  self->preamble = preamble;
  self->columns = g_array_new (FALSE, FALSE, sizeof (CfColumn));
  machine_init (&self->machine, separator);
  return self;
}

void
cf_hashlist_csv_free (CfHashlistCsv *self)
{
  if (self == NULL)
    return;

  machine_clear (&self->machine);
  g_array_unref (self->columns);
  g_free (self);
}

static void
take_record (CfHashlistCsv    *self,
             CfHashlistReader *reader,
             guint             number)
{
  CsvMachine *m = &self->machine;
  gboolean empty = TRUE;
  CfRow row;

  if (m->comment)
    {
      cf_hashlist_reader_skip (reader, 1);
      return;
    }

  if (!self->have_header)
    {
      g_array_set_size (self->columns, 0);
      for (guint i = 0; i < m->n_fields; i++)
        {
          GString *field = g_ptr_array_index (m->fields, i);
          CfColumn column = cf_hashlist_column_from_name (field->str, field->len);

          g_array_append_val (self->columns, column);
        }
      self->have_header = TRUE;
      cf_hashlist_reader_skip (reader, 1);
      return;
    }

  if (m->too_long)
    {
      cf_hashlist_reader_emit_too_long (reader, number);
      return;
    }
  if (m->unterminated)
    {
      cf_hashlist_reader_emit_problem (reader, CF_HASHLIST_PROBLEM_INVALID, number, FALSE,
                                       _("a quoted value is never closed"));
      return;
    }

  cf_hashlist_row_init (&row);
  for (guint i = 0; i < m->n_fields; i++)
    {
      GString *field = g_ptr_array_index (m->fields, i);

      if (field->len > 0)
        empty = FALSE;
      if (i < self->columns->len)
        cf_hashlist_row_set (&row, g_array_index (self->columns, CfColumn, i),
                             field->str, field->len);
    }

  /* A row of empty cells, as spreadsheets leave behind; a repeated header;
   * an autoruns location with no image. */
  if (empty || cf_hashlist_row_is_header (&row) ||
      (self->format == CF_HASHLIST_FORMAT_AUTORUNS && !cf_hashlist_row_has_hash (&row)))
    {
      cf_hashlist_reader_skip (reader, 1);
      return;
    }

  cf_hashlist_reader_emit_row (reader, &row, NULL, 0, number, FALSE);
}

/* Reads one record, or one line of the banner before the header. */
gboolean
cf_hashlist_csv_step (CfHashlistCsv     *self,
                      CfHashlistReader  *reader,
                      gboolean          *done,
                      GCancellable      *cancellable,
                      GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);
  CsvMachine *m = &self->machine;
  guint number;

  if (self->preamble > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      CfHashlistLine line = { text, 0, FALSE };
      gboolean got_line;

      if (!cf_hashlist_source_read_line (source, '\n', &line, &got_line, cancellable, error))
        return FALSE;
      self->preamble--;
      if (got_line)
        cf_hashlist_reader_skip (reader, 1);
      return TRUE;
    }

  if (self->line == 0)
    self->line = source->line + 1;

  machine_reset (m);
  number = self->line;

  for (;;)
    {
      gboolean complete = FALSE;
      gsize taken;

      if (cf_hashlist_source_available (source) == 0)
        {
          if (!cf_hashlist_source_fill (source, 1, cancellable, error))
            return FALSE;
          if (cf_hashlist_source_available (source) == 0)
            {
              /* The input ends: a last record without its newline. */
              if (m->started)
                {
                  machine_end (m);
                  take_record (self, reader, number);
                }
              *done = TRUE;
              return TRUE;
            }
        }

      taken = machine_feed (m, cf_hashlist_source_data (source),
                            cf_hashlist_source_available (source), &complete);
      cf_hashlist_reader_count_work (reader, taken);
      cf_hashlist_source_consume (source, taken);

      if (complete)
        {
          self->line += m->newlines;
          take_record (self, reader, number);
          return TRUE;
        }
    }
}
