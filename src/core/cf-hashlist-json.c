/* cf-hashlist-json.c: osqueryi --json, osqueryd results logs, Velociraptor, read a value at a time
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A top-level array is never parsed whole: each of its elements is a record,
 * and so is each value that follows another (osqueryd's log has an object a
 * line, Velociraptor's JSONL too).  A record is found by counting brackets,
 * then checked by the strict scanner (cf-hashlist-json-scan.c), and only
 * then given to json-glib, one bounded record at a time.
 * What the values mean is in cf-hashlist-json-rows.c.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-hashlist-private.h"

typedef enum
{
  AT_TOP,          /* between values */
  ARRAY_FIRST,     /* after '[' */
  ARRAY_NEXT,      /* after ',' */
  ARRAY_AFTER,     /* after an element */
  ARRAY_RESYNC,    /* after a broken element: looking for the next */
} JsonPlace;

struct _CfHashlistJson
{
  JsonParser *parser;
  JsonPlace   place;
  guint       line;        /* of the next byte not consumed */
  guint       column;      /* characters before it on its line */
  guint       row_number;
  guint       n_values;    /* records json-glib has read */
  gboolean    labelled;
};

CfHashlistJson *
cf_hashlist_json_new (guint first_line)
{
  CfHashlistJson *self = g_new0 (CfHashlistJson, 1);

  self->parser = json_parser_new ();
  self->line = MAX (first_line, 1);
  return self;
}

void
cf_hashlist_json_free (CfHashlistJson *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->parser);
  g_free (self);
}

/* JSON starts with a bracket; blanks before it are of no account. */
gboolean
cf_hashlist_json_detect (const char *data,
                         gsize       length)
{
  gsize i = 0;

  while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  return i < length && (data[i] == '[' || data[i] == '{');
}

/* Reading ----------------------------------------------------------------- */

/* Consumes @length bytes, keeping count of lines and columns. */
static void
advance (CfHashlistJson   *self,
         CfHashlistReader *reader,
         gsize             length)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);
  const char *data = cf_hashlist_source_data (source);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c == '\n')
        {
          if (self->line < G_MAXUINT)
            self->line++;
          self->column = 0;
        }
      else if ((c & 0xc0) != 0x80 && self->column < G_MAXUINT / 2)
        self->column++;
    }

  cf_hashlist_reader_count_work (reader, length);
  cf_hashlist_source_consume (source, length);
}

/* A broken value spoils nothing after it: carry on from the next line. */
static gboolean
skip_line (CfHashlistJson    *self,
           CfHashlistReader  *reader,
           GCancellable      *cancellable,
           GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);

  for (;;)
    {
      gsize available = cf_hashlist_source_available (source);
      const char *eol = memchr (cf_hashlist_source_data (source), '\n', available);

      if (eol != NULL)
        {
          advance (self, reader, eol - cf_hashlist_source_data (source) + 1);
          return TRUE;
        }
      advance (self, reader, available);
      if (!cf_hashlist_source_fill (source, 1, cancellable, error))
        return FALSE;
      if (cf_hashlist_source_available (source) == 0)
        return TRUE;
    }
}

/* Skips blanks; FALSE on a read error; *at_end when the input is over. */
static gboolean
skip_space (CfHashlistJson    *self,
            CfHashlistReader  *reader,
            gboolean          *at_end,
            GCancellable      *cancellable,
            GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);

  for (;;)
    {
      const char *data;
      gsize available, n = 0;

      if (!cf_hashlist_source_fill (source, 4, cancellable, error))
        return FALSE;
      data = cf_hashlist_source_data (source);
      available = cf_hashlist_source_available (source);
      while (n < available && cf_hashlist_is_json_space (data[n]))
        n++;
      advance (self, reader, n);
      if (n < available || cf_hashlist_source_available (source) == 0)
        {
          *at_end = cf_hashlist_source_available (source) == 0;
          return TRUE;
        }
    }
}

/* The first broken value of the input refuses it whole, with one clear
 * message; a later one is a problem of its own line. */
static gboolean
report (CfHashlistJson    *self,
        CfHashlistReader  *reader,
        guint              line,
        guint              column,
        const char        *what,
        GError           **error)
{
  if (self->n_values == 0)
    {
      /* Translators: "line 3, column 7: expected “:”" */
      g_autofree char *where = g_strdup_printf (_("line %u, column %u: %s"), line, column, what);

      g_set_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID,
                   _("This is not valid JSON: %s"), where);
      return FALSE;
    }

  cf_hashlist_reader_emit_problem (reader, CF_HASHLIST_PROBLEM_INVALID, line, FALSE,
                                   _("not valid JSON at column %u: %s"), column, what);
  return TRUE;
}

static gboolean
report_here (CfHashlistJson    *self,
             CfHashlistReader  *reader,
             char              *what,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autofree char *message = what;

  if (!report (self, reader, self->line, self->column + 1, message, error))
    return FALSE;
  if (self->place != AT_TOP)
    self->place = ARRAY_RESYNC;
  return skip_line (self, reader, cancellable, error);
}

typedef enum
{
  RECORD_COMPLETE,
  RECORD_BROKEN,     /* a control character in a string, or nested too deep */
  RECORD_TRUNCATED,  /* the input ended inside it */
} RecordEnd;

static void advance (CfHashlistJson   *self,
                     CfHashlistReader *reader,
                     gsize             length);

/* Finds where the value at the start of the source ends, by counting
 * brackets outside strings, without consuming it: a few bytes of state, so
 * each byte is looked at once however the input is cut into chunks.  A
 * value larger than CF_HASHLIST_MAX_JSON_RECORD is consumed as it is
 * counted (*too_big), so that memory stays bounded. */
static gboolean
find_record_end (CfHashlistJson    *self,
                 CfHashlistReader  *reader,
                 gsize             *length,
                 RecordEnd         *how,
                 gboolean          *too_big,
                 GCancellable      *cancellable,
                 GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);
  char first = cf_hashlist_source_data (source)[0];
  gboolean scalar = first != '{' && first != '[';
  gboolean in_string = FALSE, escape = FALSE;
  guint depth = 0;
  gsize offset = 0;
  gsize seen = 0;

  *too_big = FALSE;
  *how = RECORD_COMPLETE;

  for (;;)
    {
      const char *data;
      char c;

      if (offset == cf_hashlist_source_available (source))
        {
          if (offset >= CF_HASHLIST_MAX_JSON_RECORD)
            {
              *too_big = TRUE;
              advance (self, reader, offset);
              offset = 0;
            }
          if (!cf_hashlist_source_fill (source, offset + 1, cancellable, error))
            return FALSE;
          if (offset == cf_hashlist_source_available (source))
            {
              if (!(scalar && !in_string && seen > 0 && first != '"'))
                *how = RECORD_TRUNCATED;
              break;
            }
        }

      data = cf_hashlist_source_data (source);
      c = data[offset++];
      seen++;
      cf_hashlist_reader_count_work (reader, 1);

      if (in_string)
        {
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            {
              in_string = FALSE;
              if (scalar)
                break;
            }
          else if ((guchar) c < 0x20)
            {
              *how = RECORD_BROKEN;
              break;
            }
        }
      else if (scalar && first != '"' && seen > 1 &&
               (c == ',' || c == ']' || c == '}' || cf_hashlist_is_json_space (c)))
        {
          offset--;
          break;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > CF_HASHLIST_JSON_MAX_DEPTH)
            {
              *how = RECORD_BROKEN;
              break;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        break;
    }

  *length = offset;
  return TRUE;
}

/* Consumes up to the end of the line the error is on, within a record of
 * @length bytes, or past it when the line runs on. */
static gboolean
resync_after (CfHashlistJson    *self,
              CfHashlistReader  *reader,
              gsize              length,
              guint              error_newlines,
              GCancellable      *cancellable,
              GError           **error)
{
  const char *data = cf_hashlist_source_data (cf_hashlist_reader_get_source (reader));
  guint newlines = 0;

  for (gsize i = 0; i < length; i++)
    if (data[i] == '\n' && newlines++ == error_newlines)
      {
        advance (self, reader, i + 1);
        return TRUE;
      }

  advance (self, reader, length);
  return skip_line (self, reader, cancellable, error);
}

/* Reads the value at the source's start: an element of a top-level array
 * (@is_row) or a value of its own. */
static gboolean
read_record (CfHashlistJson    *self,
             CfHashlistReader  *reader,
             gboolean           is_row,
             GCancellable      *cancellable,
             GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *repaired = NULL;
  const char *text;
  gsize length, text_length;
  guint line = self->line;
  guint column = self->column;
  guint newlines = 0;
  CfJsonScan scan = { NULL };
  gboolean too_big;
  RecordEnd how;

  if (!find_record_end (self, reader, &length, &how, &too_big, cancellable, error))
    return FALSE;

  if (too_big)
    {
      cf_hashlist_reader_emit_problem (reader, CF_HASHLIST_PROBLEM_INVALID, line, is_row,
                                       _("a JSON value larger than %d MiB, skipped"),
                                       CF_HASHLIST_MAX_JSON_RECORD / (1024 * 1024));
      if (is_row && self->row_number < G_MAXUINT)
        self->row_number++;
      advance (self, reader, length);
      if (how == RECORD_COMPLETE)
        {
          self->place = is_row ? ARRAY_AFTER : AT_TOP;
          return TRUE;
        }
      self->place = is_row ? ARRAY_RESYNC : AT_TOP;
      return skip_line (self, reader, cancellable, error);
    }

  /* json-glib refuses a whole value for one bad byte; a file name from
   * some machine is no reason to ignore the rest. */
  text = cf_hashlist_source_data (source);
  text_length = length;
  cf_hashlist_reader_count_work (reader, 3 * length);
  if (!g_utf8_validate_len (text, length, NULL))
    {
      repaired = cf_hashlist_text_to_utf8 (text, length);
      text = repaired;
      text_length = strlen (repaired);
    }

  scan.p = text;
  scan.end = text + text_length;
  scan.line = line;
  scan.line_start = text;
  scan.first_line = line;
  scan.first_column = column;

  if (!cf_hashlist_json_scan_value (&scan))
    {
      g_autofree char *what = g_steal_pointer (&scan.error);

      for (const char *p = text; p < scan.error_at; p++)
        newlines += *p == '\n';
      if (!report (self, reader, scan.error_line, scan.error_column, what, error))
        return FALSE;
      /* The rows after it keep their numbers. */
      if (is_row && self->row_number < G_MAXUINT)
        self->row_number++;
      self->place = is_row ? ARRAY_RESYNC : AT_TOP;
      return resync_after (self, reader, length, newlines, cancellable, error);
    }

  if (!json_parser_load_from_data (self->parser, text, text_length, &parse_error))
    {
      const char *rest;
      g_autofree char *what = NULL;
      guint error_line, error_column;

      cf_hashlist_json_glib_error_position (parse_error->message, line, column + 1,
                                &error_line, &error_column, &rest);
      what = cf_hashlist_excerpt (rest, strlen (rest), 200);
      if (!report (self, reader, error_line, error_column, what, error))
        return FALSE;
      if (is_row && self->row_number < G_MAXUINT)
        self->row_number++;
      advance (self, reader, length);
      self->place = is_row ? ARRAY_AFTER : AT_TOP;
      return TRUE;
    }

  self->n_values++;
  if (!self->labelled)
    {
      cf_hashlist_reader_set_format (reader, cf_hashlist_json_format_of (json_parser_get_root (self->parser)));
      self->labelled = TRUE;
    }

  if (is_row)
    {
      if (self->row_number < G_MAXUINT)
        self->row_number++;
      cf_hashlist_json_add_row (reader, json_parser_get_root (self->parser), NULL,
                                self->row_number, TRUE);
    }
  else
    cf_hashlist_json_add_value (reader, json_parser_get_root (self->parser), line,
                                &self->row_number);

  advance (self, reader, length);
  self->place = is_row ? ARRAY_AFTER : AT_TOP;
  return TRUE;
}

static gboolean
starts_value (char c)
{
  return c == '{' || c == '[' || c == '"' || c == '-' || g_ascii_isdigit (c) ||
         c == 't' || c == 'f' || c == 'n';
}

/* Reads one value, or one piece of a top-level array's punctuation. */
gboolean
cf_hashlist_json_step (CfHashlistJson    *self,
                       CfHashlistReader  *reader,
                       gboolean          *done,
                       GCancellable      *cancellable,
                       GError           **error)
{
  CfHashlistSource *source = cf_hashlist_reader_get_source (reader);
  gboolean at_end = FALSE;
  const char *data;
  char c;

  if (!skip_space (self, reader, &at_end, cancellable, error))
    return FALSE;

  if (at_end)
    {
      *done = TRUE;
      if (self->place == AT_TOP || self->place == ARRAY_RESYNC)
        return TRUE;
      return report (self, reader, self->line, self->column + 1,
                     _("the data ends too early"), error);
    }

  data = cf_hashlist_source_data (source);
  c = data[0];

  switch (self->place)
    {
    case AT_TOP:
      if (c == '[')
        {
          advance (self, reader, 1);
          self->place = ARRAY_FIRST;
          return TRUE;
        }
      if (c == '{')
        return read_record (self, reader, FALSE, cancellable, error);
      return report_here (self, reader,
                          cf_hashlist_json_unexpected (data, data + cf_hashlist_source_available (source)),
                          cancellable, error);

    case ARRAY_FIRST:
    case ARRAY_NEXT:
      if (c == ']' && self->place == ARRAY_FIRST)
        {
          advance (self, reader, 1);
          self->place = AT_TOP;
          return TRUE;
        }
      if (starts_value (c))
        return read_record (self, reader, TRUE, cancellable, error);
      return report_here (self, reader,
                          cf_hashlist_json_unexpected (data, data + cf_hashlist_source_available (source)),
                          cancellable, error);

    case ARRAY_AFTER:
      if (c == ',' || c == ']')
        {
          advance (self, reader, 1);
          self->place = c == ',' ? ARRAY_NEXT : AT_TOP;
          return TRUE;
        }
      return report_here (self, reader, g_strdup_printf (_("expected “,” or “%c”"), ']'),
                          cancellable, error);

    case ARRAY_RESYNC:
      /* The rest of a broken element: look for the next one on a line of its own. */
      if (c == ',')
        {
          advance (self, reader, 1);
          return TRUE;
        }
      if (c == ']')
        {
          advance (self, reader, 1);
          self->place = AT_TOP;
          return TRUE;
        }
      if (c == '{' || c == '[')
        return read_record (self, reader, TRUE, cancellable, error);
      return skip_line (self, reader, cancellable, error);

    default:
      g_assert_not_reached ();
    }
}
