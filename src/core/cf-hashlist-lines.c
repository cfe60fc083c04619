/* cf-hashlist-lines.c: read a hash list's stream in chunks, and its lines
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader never holds the whole input: only the look-ahead the format is
 * told from, then the record being read.  Every byte a loop here looks at is
 * counted in `work`, so tests can prove that reading is linear.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

#define UTF8_BOM "\xef\xbb\xbf"

void
cf_hashlist_source_init (CfHashlistSource *self,
                         GInputStream     *stream)
{
  memset (self, 0, sizeof *self);
  self->stream = g_object_ref (stream);
  self->buffer = g_byte_array_sized_new (CF_HASHLIST_CHUNK);
}

void
cf_hashlist_source_clear (CfHashlistSource *self)
{
  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
}

/* GIO's converter says "Incomplete multibyte sequence"; the person reading
 * needs to know it was the UTF-16 that broke, not the list. */
static gboolean
read_failed (CfHashlistSource *self,
             GError           *local_error,
             GError          **error)
{
  if (self->utf16 &&
      (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)))
    {
      g_set_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID,
                   _("This looks like UTF-16 text, but it could not be read: %s"),
                   local_error->message);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);

  return FALSE;
}

/* Reads until @wanted bytes are available or the input ends. */
gboolean
cf_hashlist_source_fill (CfHashlistSource  *self,
                         gsize              wanted,
                         GCancellable      *cancellable,
                         GError           **error)
{
  while (!self->eof && cf_hashlist_source_available (self) < wanted)
    {
      GError *local_error = NULL;
      guint old_length;
      gssize n;

      /* Move what is left to the front once a chunk has been consumed:
       * each byte moves a bounded number of times. */
      if (self->start >= CF_HASHLIST_CHUNK || self->start == self->buffer->len)
        {
          g_byte_array_remove_range (self->buffer, 0, self->start);
          self->start = 0;
        }

      old_length = self->buffer->len;
      g_byte_array_set_size (self->buffer, old_length + CF_HASHLIST_CHUNK);
      n = g_input_stream_read (self->stream, self->buffer->data + old_length,
                               CF_HASHLIST_CHUNK, cancellable, &local_error);
      g_byte_array_set_size (self->buffer, old_length + MAX (n, 0));

      if (n < 0)
        return read_failed (self, local_error, error);
      if (n == 0)
        self->eof = TRUE;

      self->peak = MAX (self->peak, self->buffer->len);
    }

  return TRUE;
}

void
cf_hashlist_source_consume (CfHashlistSource *self,
                            gsize             length)
{
  g_assert (length <= cf_hashlist_source_available (self));

  self->start += length;
  if (self->start == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->start = 0;
    }
}

/* Sees the byte order mark, then reads the look-ahead.  PowerShell 5 and
 * autorunsc write UTF-16 with a mark; it is converted while reading. */
gboolean
cf_hashlist_source_open (CfHashlistSource  *self,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new_sized (self->stream, 16);
  const guchar *head;
  gsize available = 0;

  while (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered)) < 2)
    {
      gssize n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 2,
                                               cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
    }

  head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &available);
  g_clear_object (&self->stream);

  if (available >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff)))
    {
      g_autoptr(GCharsetConverter) converter = NULL;
      const char *charset = head[0] == 0xff ? "UTF-16LE" : "UTF-16BE";

      if (g_input_stream_skip (buffered, 2, cancellable, error) < 0)
        return FALSE;
      converter = g_charset_converter_new ("UTF-8", charset, error);
      if (converter == NULL)
        return FALSE;
      self->stream = g_converter_input_stream_new (buffered, G_CONVERTER (converter));
      self->utf16 = TRUE;
    }
  else
    self->stream = g_steal_pointer (&buffered);

  if (!cf_hashlist_source_fill (self, CF_HASHLIST_LOOKAHEAD, cancellable, error))
    return FALSE;

  if (cf_hashlist_source_available (self) >= 3 &&
      memcmp (cf_hashlist_source_data (self), UTF8_BOM, 3) == 0)
    {
      cf_hashlist_source_consume (self, 3);
      return cf_hashlist_source_fill (self, CF_HASHLIST_LOOKAHEAD, cancellable, error);
    }

  return TRUE;
}

/* Consumes the blank lines the input starts with, however many, so that
 * the look-ahead sees content; *n_lines says how many. */
gboolean
cf_hashlist_source_skip_blank_lines (CfHashlistSource  *self,
                                     guint             *n_lines,
                                     GCancellable      *cancellable,
                                     GError           **error)
{
  gsize offset = 0;

  *n_lines = 0;

  for (;;)
    {
      const char *data;
      gsize available;

      if (offset == cf_hashlist_source_available (self) &&
          !cf_hashlist_source_fill (self, offset + 1, cancellable, error))
        return FALSE;

      data = cf_hashlist_source_data (self);
      available = cf_hashlist_source_available (self);

      if (offset == available)
        {
          /* Blanks up to the end, without a newline: a last blank line. */
          if (offset > 0)
            {
              cf_hashlist_source_consume (self, offset);
              (*n_lines)++;
              self->line++;
            }
          return TRUE;
        }

      self->work++;
      if (data[offset] == '\n')
        {
          cf_hashlist_source_consume (self, offset + 1);
          offset = 0;
          (*n_lines)++;
          self->line++;
        }
      else if (cf_hashlist_is_blank (data[offset]) || data[offset] == '\r')
        offset++;
      else
        return TRUE;
    }
}

/* The next line, up to @terminator ('\n', or '\0' for `sha256sum -z`); a
 * '\r' before a '\n' is dropped.  A line longer than CF_HASHLIST_MAX_LINE
 * is read to its end but not kept.  *got_line is FALSE at the end. */
gboolean
cf_hashlist_source_read_line (CfHashlistSource  *self,
                              char               terminator,
                              CfHashlistLine    *line,
                              gboolean          *got_line,
                              GCancellable      *cancellable,
                              GError           **error)
{
  gsize discarded = 0;

  g_string_truncate (line->text, 0);
  line->too_long = FALSE;
  *got_line = FALSE;
  self->scanned = 0;

  for (;;)
    {
      const char *data = cf_hashlist_source_data (self);
      gsize available = cf_hashlist_source_available (self);
      const char *end = NULL;
      gsize length;

      if (self->scanned < available)
        {
          end = memchr (data + self->scanned, terminator, available - self->scanned);
          self->work += (end != NULL ? (gsize) (end - data) + 1 : available) - self->scanned;
          self->scanned = end != NULL ? (gsize) (end - data) : available;
        }

      if (end == NULL && !self->eof)
        {
          if (available > CF_HASHLIST_MAX_LINE)
            {
              /* Not kept: drop what was looked at and carry on looking. */
              discarded += available;
              cf_hashlist_source_consume (self, available);
              self->scanned = 0;
            }
          if (!cf_hashlist_source_fill (self, cf_hashlist_source_available (self) + 1,
                                        cancellable, error))
            return FALSE;
          continue;
        }

      if (end == NULL && available == 0 && discarded == 0)
        return TRUE;

      length = end != NULL ? (gsize) (end - data) : available;
      line->too_long = discarded + length > CF_HASHLIST_MAX_LINE;
      if (!line->too_long)
        {
          gsize kept = length;

          if (terminator == '\n' && kept > 0 && data[kept - 1] == '\r')
            kept--;
          g_string_append_len (line->text, data, kept);
        }

      cf_hashlist_source_consume (self, end != NULL ? length + 1 : length);
      self->scanned = 0;
      if (self->line < G_MAXUINT)
        self->line++;
      line->number = self->line;
      *got_line = TRUE;
      return TRUE;
    }
}

gboolean
cf_hashlist_lines_next (CfHashlistLines  *lines,
                        const char      **line,
                        gsize            *length)
{
  const char *eol;

  if (lines->p >= lines->end)
    return FALSE;

  eol = memchr (lines->p, '\n', lines->end - lines->p);
  *lines->work += (eol != NULL ? eol + 1 : lines->end) - lines->p;
  if (eol == NULL && !lines->at_end)
    return FALSE;
  if (eol == NULL)
    eol = lines->end;

  *line = lines->p;
  *length = eol - lines->p;
  if (*length > 0 && (*line)[*length - 1] == '\r')
    (*length)--;
  lines->p = eol < lines->end ? eol + 1 : lines->end;
  return TRUE;
}
