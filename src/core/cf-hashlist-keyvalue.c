/* cf-hashlist-keyvalue.c: records of "key : value" lines: PowerShell Format-List, osqueryi .mode line
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   Get-FileHash | Format-List           osqueryi, .mode line
 *     Algorithm : SHA256                      pid = 1
 *     Hash      : E3B0…                    sha256 = e3b0…
 *     Path      : C:\Users\ana\a long
 *                 name.exe
 *
 * A record runs to a blank line, or to a key it already has (a paste that
 * lost the blank lines).  Format-List wraps a long value at the console's
 * width, at a space when it can (the space stays at the end of the first
 * part) and inside a word otherwise; the parts are joined as they are.  A
 * terminal that drops trailing blanks when copying loses such a space, and
 * nothing can tell it back.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include "cf-hashlist-private.h"

/* Property and column names are short; a key past this is prose. */
#define MAX_KEY 64

struct _CfHashlistBlock
{
  gboolean  block_open;
  char      separator;
  gsize     value_column;
  GString  *values[CF_N_COLUMNS];
  gboolean  has[CF_N_COLUMNS];
  CfColumn  last;
  gboolean  has_hash_key;
  guint     hash_line;
  guint     first_line;
  guint     block_lines;
  gsize     block_bytes;
  gboolean  too_long;
};

CfHashlistBlock *
cf_hashlist_block_new (void)
{
  CfHashlistBlock *self = g_new0 (CfHashlistBlock, 1);

  for (guint i = 0; i < CF_N_COLUMNS; i++)
    self->values[i] = g_string_new (NULL);
  self->last = CF_COLUMN_NONE;
  return self;
}

void
cf_hashlist_block_free (CfHashlistBlock *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < CF_N_COLUMNS; i++)
    g_string_free (self->values[i], TRUE);
  g_free (self);
}

gboolean
cf_hashlist_block_is_open (CfHashlistBlock *self)
{
  return self->block_open;
}

/* "Name   : value" or "  name = value": the key, the separator and where the
 * value starts.  A key is a word with no long hex run in it. */
gboolean
cf_hashlist_split_key_value (const char  *text,
                             gsize        length,
                             const char **key,
                             gsize       *key_length,
                             char        *separator,
                             gsize       *value_start,
                             guint64     *work)
{
  gsize i = cf_hashlist_skip_blanks (text, length, work);
  gsize k = i;

  if (i == length || !(g_ascii_isalpha (text[i]) || text[i] == '_'))
    return FALSE;
  while (i < length && i - k <= MAX_KEY &&
         (g_ascii_isalnum (text[i]) || text[i] == '_' || text[i] == '.' || text[i] == '-'))
    i++;
  *work += i - k + (i < length);
  if (i - k > MAX_KEY || i == length || text[i] != ' ')
    return FALSE;
  *key = text + k;
  *key_length = i - k;

  k = i;
  while (i < length && text[i] == ' ')
    i++;
  *work += i - k + (i < length) + (i + 1 < length);
  if (i == length || (text[i] != ':' && text[i] != '='))
    return FALSE;
  *separator = text[i++];
  if (i < length && text[i] != ' ')
    return FALSE;

  *value_start = MIN (i + 1, length);
  *work += *key_length;
  return cf_hashlist_longest_hex_run (*key, *key_length) < 16;
}

static void
block_reset (CfHashlistBlock *self)
{
  self->block_open = FALSE;
  self->has_hash_key = FALSE;
  self->block_lines = 0;
  self->block_bytes = 0;
  self->too_long = FALSE;
  self->last = CF_COLUMN_NONE;
  for (guint i = 0; i < CF_N_COLUMNS; i++)
    {
      g_string_truncate (self->values[i], 0);
      self->has[i] = FALSE;
    }
}

/* A block with a hash key gives a row; one without carried nothing.  What
 * it keeps is bounded like a line: a value that wraps on and on is refused. */
void
cf_hashlist_block_flush (CfHashlistBlock  *self,
                         CfHashlistReader *reader)
{
  guint64 *work = &cf_hashlist_reader_get_source (reader)->work;
  CfRow row;

  if (!self->block_open)
    return;

  if (self->too_long)
    {
      cf_hashlist_reader_emit_too_long (reader, self->first_line);
      block_reset (self);
      return;
    }

  if (!self->has_hash_key)
    {
      cf_hashlist_reader_skip (reader, self->block_lines);
      block_reset (self);
      return;
    }

  cf_hashlist_row_init (&row);
  for (guint i = 0; i < CF_N_COLUMNS; i++)
    if (self->has[i])
      {
        gsize length = self->values[i]->len;

        cf_hashlist_trim_end (self->values[i]->str, &length, work);
        cf_hashlist_row_set (&row, i, self->values[i]->str, length);
      }
  cf_hashlist_reader_emit_row (reader, &row, NULL, 0, self->hash_line, FALSE);
  block_reset (self);
}

static void
block_append (CfHashlistBlock *self,
              CfColumn         column,
              const char      *text,
              gsize            length)
{
  self->block_bytes += length;
  if (self->block_bytes > CF_HASHLIST_MAX_LINE)
    self->too_long = TRUE;
  if (!self->too_long && column != CF_COLUMN_NONE)
    g_string_append_len (self->values[column], text, length);
}

static void
block_add (CfHashlistBlock *self,
           const char      *text,
           gsize            length,
           const char      *key,
           gsize            key_length,
           gsize            value_start,
           guint            number)
{
  CfColumn column = cf_hashlist_column_from_name (key, key_length);

  self->block_lines++;
  self->last = column;
  if (column == CF_COLUMN_NONE || self->has[column])
    {
      self->last = CF_COLUMN_NONE;
      return;
    }

  self->has[column] = TRUE;
  block_append (self, column, text + value_start, length - value_start);
  if (cf_hashlist_column_is_hash (column) && !self->has_hash_key)
    {
      self->has_hash_key = TRUE;
      self->hash_line = number;
    }
}

/* Whether the line belongs to a block: it starts one, goes on with one, or
 * continues its last value; a line that does not ends the block. */
gboolean
cf_hashlist_block_take_line (CfHashlistBlock  *self,
                             CfHashlistReader *reader,
                             const char       *text,
                             gsize             length,
                             guint             number)
{
  guint64 *work = &cf_hashlist_reader_get_source (reader)->work;
  const char *key;
  gsize key_length, value_start;
  char separator;
  gboolean is_key_value = cf_hashlist_split_key_value (text, length, &key, &key_length, &separator,
                                           &value_start, work);
  CfColumn column = is_key_value ? cf_hashlist_column_from_name (key, key_length)
                                 : CF_COLUMN_NONE;

  if (self->block_open)
    {
      /* A key seen twice starts the next record, for pastes that lost
       * the blank line between them. */
      if (is_key_value && separator == self->separator &&
          !(column != CF_COLUMN_NONE && self->has[column]))
        {
          block_add (self, text, length, key, key_length, value_start, number);
          return TRUE;
        }

      if (!is_key_value && self->separator == ':' && length > self->value_column &&
          cf_hashlist_is_blank_line (text, self->value_column, work) && !cf_hashlist_is_blank_line (text, length, work))
        {
          self->block_lines++;
          block_append (self, self->last, text + self->value_column,
                        length - self->value_column);
          return TRUE;
        }

      cf_hashlist_block_flush (self, reader);
    }

  if (is_key_value && column != CF_COLUMN_NONE)
    {
      self->block_open = TRUE;
      self->first_line = number;
      self->separator = separator;
      self->value_column = value_start;
      block_add (self, text, length, key, key_length, value_start, number);
      return TRUE;
    }

  return FALSE;
}
