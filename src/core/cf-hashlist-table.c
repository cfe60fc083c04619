/* cf-hashlist-table.c: console tables: osqueryi's box and line mode, PowerShell's list and table
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a console shows, copied or redirected to a file:
 *
 *   osqueryi      +-----+--------+       .mode line:     pid = 1
 *                 | pid | sha256 |                    sha256 = e3b0…
 *                 +-----+--------+
 *                 | 1   | e3b0…  |
 *
 *   Get-FileHash | Format-List           Get-FileHash
 *     Algorithm : SHA256                   Algorithm  Hash    Path
 *     Hash      : E3B0…                    ---------  ----    ----
 *     Path      : C:\Users\ana\a long      SHA256     E3B0…   C:\Users\ana\a.exe
 *                 name.exe
 *
 * Format-List wraps a long value at the console's width, at a space when
 * it can (the space stays at the end of the first part) and inside a word
 * otherwise; the parts are joined as they are.  A terminal that drops
 * trailing blanks when copying loses such a space, and nothing can tell it
 * back.  The table view cuts a long last column with "..." (PowerShell 5)
 * or "…" (7): what is left is kept as the path.
 *
 * These run beside the sums (cf-hashlist-sums.c) on every line of a
 * transcript or a console table; a line none of them claims goes there.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

struct _CfHashlistTable
{
  /* osqueryi's box: the header's columns, and where the last border had '+' */
  GArray   *box_columns;
  GArray   *box_borders;

  /* PowerShell's table: a header waiting for its rule, then its columns */
  GString  *header;
  gboolean  header_pending;
  GArray   *starts;         /* character offsets */
  GArray   *columns;
  gboolean  table_open;

  /* a block of "key : value" (PowerShell) or "key = value" (osqueryi) lines */
  CfHashlistBlock *block;
};

CfHashlistTable *
cf_hashlist_table_new (void)
{
  CfHashlistTable *self = g_new0 (CfHashlistTable, 1);

  self->box_columns = g_array_new (FALSE, FALSE, sizeof (CfColumn));
  self->box_borders = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->header = g_string_new (NULL);
  self->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->columns = g_array_new (FALSE, FALSE, sizeof (CfColumn));
  self->block = cf_hashlist_block_new ();
  return self;
}

void
cf_hashlist_table_free (CfHashlistTable *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->box_columns);
  g_array_unref (self->box_borders);
  g_string_free (self->header, TRUE);
  g_array_unref (self->starts);
  g_array_unref (self->columns);
  cf_hashlist_block_free (self->block);
  g_free (self);
}

/* Shapes of lines ---------------------------------------------------------- */

/* "+-----+------+" */
static gboolean
is_border (const char *text,
           gsize       length,
           guint64    *work)
{
  gsize i = cf_hashlist_skip_blanks (text, length, work);

  if (length - i < 3 || text[i] != '+' || text[i + 1] != '-')
    return FALSE;
  cf_hashlist_trim_end (text, &length, work);
  if (text[length - 1] != '+')
    return FALSE;
  for (gsize j = i; j < length; j++)
    if (text[j] != '+' && text[j] != '-')
      {
        *work += j - i + 1;
        return FALSE;
      }
  *work += length - i;
  return TRUE;
}

/* "| a | b |": the cells, trimmed, as (offset, length) pairs into @text. */
static gboolean
split_box_row (const char *text,
               gsize       length,
               GArray     *cells,
               guint64    *work)
{
  gsize i = cf_hashlist_skip_blanks (text, length, work);
  gsize cell_start;

  g_array_set_size (cells, 0);
  if (i == length || text[i] != '|')
    return FALSE;
  cf_hashlist_trim_end (text, &length, work);
  if (length - i < 2 || text[length - 1] != '|')
    return FALSE;

  cell_start = i + 1;
  *work += length - cell_start;
  for (i = cell_start; i < length; i++)
    if (text[i] == '|')
      {
        gsize cell[2] = { cell_start, i - cell_start };

        g_array_append_vals (cells, cell, 1);
        cell_start = i + 1;
      }

  return TRUE;
}

static CfColumn
cell_column (const char  *text,
             const gsize *cell)
{
  return cf_hashlist_column_from_name (text + cell[0], cell[1]);
}

/* "Algorithm       Hash      Path": words that could be column names, at
 * least one naming a hash.  The offsets of the words go to @starts. */
static gboolean
split_header (const char *text,
              gsize       length,
              GArray     *starts,
              GArray     *columns,
              guint64    *work)
{
  gboolean has_hash = FALSE;
  gsize i = 0;

  g_array_set_size (starts, 0);
  g_array_set_size (columns, 0);
  if (length == 0 || !g_ascii_isalpha (text[0]))
    {
      *work += MIN (length, 1);
      return FALSE;
    }
  cf_hashlist_trim_end (text, &length, work);

  while (i < length)
    {
      gsize word = i;
      CfColumn column;

      if (!(g_ascii_isalpha (text[i]) || text[i] == '_'))
        break;
      while (i < length && (g_ascii_isalnum (text[i]) || text[i] == '_'))
        i++;
      /* No column name is shorter than three letters. */
      column = i - word >= 3 ? cf_hashlist_column_from_name (text + word, i - word)
                             : CF_COLUMN_NONE;
      *work += i - word >= 3 ? i - word : 0;
      has_hash = has_hash || cf_hashlist_column_is_hash (column);
      g_array_append_val (starts, word);
      g_array_append_val (columns, column);
      while (i < length && text[i] == ' ')
        i++;
    }

  *work += i + (i < length);
  return i == length && has_hash;
}

/* "---------       ----     ----", a group of dashes under each word. */
static gboolean
is_rule_for (const char *text,
             gsize       length,
             GArray     *starts,
             guint64    *work)
{
  guint group = 0;
  gsize i = 0;

  if (length == 0 || text[0] != '-')
    {
      *work += MIN (length, 1);
      return FALSE;
    }
  cf_hashlist_trim_end (text, &length, work);
  while (i < length)
    {
      if (text[i] != '-' || group == starts->len ||
          g_array_index (starts, gsize, group) != i)
        {
          *work += i + 1;
          return FALSE;
        }
      while (i < length && text[i] == '-')
        i++;
      while (i < length && text[i] == ' ')
        i++;
      group++;
    }

  *work += i;
  return group == starts->len && group > 0;
}

/* Whether a line is a tool's own, not a list's: it makes the input a
 * transcript to read leniently (see cf-hashlist-sums.c). */
gboolean
cf_hashlist_table_is_tool_line (const char *line,
                                gsize       length,
                                guint64    *work)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, 2 * sizeof (gsize));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (CfColumn));
  const char *key;
  gsize key_length, value_start;
  char separator;

  if (is_border (line, length, work))
    return TRUE;
  if (split_box_row (line, length, cells, work))
    for (guint i = 0; i < cells->len; i++)
      if (cf_hashlist_column_is_hash (cell_column (line, &g_array_index (cells, gsize, 2 * i))))
        return TRUE;
  if (cf_hashlist_split_key_value (line, length, &key, &key_length, &separator, &value_start, work) &&
      cf_hashlist_column_from_name (key, key_length) != CF_COLUMN_NONE)
    return TRUE;
  /* Words of prose may name a hash ("not a hash at all"); a header's words
   * all name columns.  One word alone ("Hash") is as likely a typo in a list. */
  if (!split_header (line, length, starts, columns, work) || starts->len < 2)
    return FALSE;
  for (guint i = 0; i < columns->len; i++)
    if (g_array_index (columns, CfColumn, i) == CF_COLUMN_NONE)
      return FALSE;
  return TRUE;
}

/* Detection ---------------------------------------------------------------- */

/* Only when the input starts with one of these: a transcript that shows a
 * table after its prompt is a transcript. */
CfHashlistFormat
cf_hashlist_table_detect (const char *data,
                          gsize       length,
                          gboolean    at_end,
                          guint64    *work)
{
  CfHashlistLines lines = { data, data + length, at_end, work };
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, 2 * sizeof (gsize));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (CfColumn));
  const char *text, *next;
  gsize text_length, next_length;
  const char *key;
  gsize key_length, value_start;
  char separator, block_separator;

  if (!cf_hashlist_lines_next (&lines, &text, &text_length))
    return CF_HASHLIST_FORMAT_UNKNOWN;

  if (is_border (text, text_length, work))
    {
      if (!cf_hashlist_lines_next (&lines, &text, &text_length))
        return CF_HASHLIST_FORMAT_UNKNOWN;
    }
  if (split_box_row (text, text_length, cells, work))
    {
      for (guint i = 0; i < cells->len; i++)
        if (cf_hashlist_column_is_hash (cell_column (text, &g_array_index (cells, gsize, 2 * i))))
          return CF_HASHLIST_FORMAT_OSQUERY_TABLE;
      return CF_HASHLIST_FORMAT_UNKNOWN;
    }

  if (cf_hashlist_split_key_value (text, text_length, &key, &key_length, &block_separator, &value_start, work) &&
      cf_hashlist_column_from_name (key, key_length) != CF_COLUMN_NONE)
    {
      /* The first block must have a hash in it. */
      do
        {
          if (cf_hashlist_is_blank_line (text, text_length, work))
            break;
          if (cf_hashlist_split_key_value (text, text_length, &key, &key_length, &separator, &value_start, work) &&
              separator == block_separator &&
              cf_hashlist_column_is_hash (cf_hashlist_column_from_name (key, key_length)))
            return block_separator == '=' ? CF_HASHLIST_FORMAT_OSQUERY_LINE
                                          : CF_HASHLIST_FORMAT_POWERSHELL_LIST;
        }
      while (cf_hashlist_lines_next (&lines, &text, &text_length));
      return CF_HASHLIST_FORMAT_UNKNOWN;
    }

  if (split_header (text, text_length, starts, columns, work) &&
      cf_hashlist_lines_next (&lines, &next, &next_length))
    {
      if (is_rule_for (next, next_length, starts, work))
        return CF_HASHLIST_FORMAT_POWERSHELL_TABLE;
    }

  return CF_HASHLIST_FORMAT_UNKNOWN;
}

/* Reading ------------------------------------------------------------------ */

/* The text of a PowerShell table's cell: from its column's start to the
 * next one's, in characters; the last runs to the end of the line. */
static void
table_cell (const char  *text,
            gsize        length,
            gsize        from,
            gsize        to,
            const char **cell,
            gsize       *cell_length,
            guint64     *work)
{
  const char *p = text;
  const char *end = text + length;
  const char *start = end;
  const char *stop = end;

  for (gsize n = 0; p < end; n++)
    {
      gunichar c;

      if (n == from)
        start = p;
      if (n == to)
        {
          stop = p;
          break;
        }
      c = g_utf8_get_char_validated (p, end - p);
      p = c == (gunichar) -1 || c == (gunichar) -2 ? p + 1 : g_utf8_next_char (p);
    }

  *work += p - text + (p < text + length);
  *cell = start;
  *cell_length = stop > start ? (gsize) (stop - start) : 0;
  cf_hashlist_trim (cell, cell_length);
}

static void
take_table_row (CfHashlistTable  *self,
                CfHashlistReader *reader,
                const char       *text,
                gsize             length,
                guint             number)
{
  guint64 *work = &cf_hashlist_reader_get_source (reader)->work;
  CfRow row;

  cf_hashlist_row_init (&row);
  for (guint i = 0; i < self->starts->len; i++)
    {
      gsize from = g_array_index (self->starts, gsize, i);
      gsize to = i + 1 < self->starts->len ? g_array_index (self->starts, gsize, i + 1)
                                           : G_MAXSIZE;
      const char *cell;
      gsize cell_length;

      table_cell (text, length, from, to, &cell, &cell_length, work);
      cf_hashlist_row_set (&row, g_array_index (self->columns, CfColumn, i), cell, cell_length);
    }

  if (cf_hashlist_row_is_header (&row))
    cf_hashlist_reader_skip (reader, 1);
  else
    cf_hashlist_reader_emit_row (reader, &row, NULL, 0, number, FALSE);
}

static gboolean
take_box_line (CfHashlistTable  *self,
               CfHashlistReader *reader,
               const char       *text,
               gsize             length,
               guint             number)
{
  guint64 *work = &cf_hashlist_reader_get_source (reader)->work;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, 2 * sizeof (gsize));
  CfRow row;

  if (is_border (text, length, work))
    {
      g_array_set_size (self->box_borders, 0);
      for (gsize i = 0; i < length; i++)
        if (text[i] == '+')
          g_array_append_val (self->box_borders, i);
      cf_hashlist_reader_skip (reader, 1);
      return TRUE;
    }

  if (!split_box_row (text, length, cells, work))
    {
      g_array_set_size (self->box_columns, 0);
      g_array_set_size (self->box_borders, 0);
      return FALSE;
    }

  if (self->box_columns->len == 0)
    {
      gboolean has_hash = FALSE;

      for (guint i = 0; i < cells->len; i++)
        {
          CfColumn column = cell_column (text, &g_array_index (cells, gsize, 2 * i));

          has_hash = has_hash || cf_hashlist_column_is_hash (column);
          g_array_append_val (self->box_columns, column);
        }
      if (!has_hash)
        {
          g_array_set_size (self->box_columns, 0);
          return FALSE;
        }
      cf_hashlist_reader_skip (reader, 1);
      return TRUE;
    }

  /* A '|' inside a value splits it in two; the border says where the
   * cells really are, when the row is as wide as it. */
  if (cells->len != self->box_columns->len)
    {
      gsize n_borders = self->box_borders->len;
      gboolean aligned = n_borders == self->box_columns->len + 1;

      for (guint i = 0; aligned && i < n_borders; i++)
        {
          gsize at = g_array_index (self->box_borders, gsize, i);

          aligned = at < length && text[at] == '|';
        }
      if (!aligned)
        {
          cf_hashlist_reader_emit_problem (reader, CF_HASHLIST_PROBLEM_INVALID, number, FALSE,
                                           _("the cells of this row do not line up with "
                                             "the table’s header"));
          return TRUE;
        }

      g_array_set_size (cells, 0);
      for (guint i = 0; i + 1 < n_borders; i++)
        {
          gsize cell[2];

          cell[0] = g_array_index (self->box_borders, gsize, i) + 1;
          cell[1] = g_array_index (self->box_borders, gsize, i + 1) - cell[0];
          g_array_append_vals (cells, cell, 1);
        }
    }

  cf_hashlist_row_init (&row);
  for (guint i = 0; i < cells->len; i++)
    {
      const gsize *cell = &g_array_index (cells, gsize, 2 * i);
      const char *value = text + cell[0];
      gsize value_length = cell[1];

      cf_hashlist_trim (&value, &value_length);
      cf_hashlist_row_set (&row, g_array_index (self->box_columns, CfColumn, i), value,
                           value_length);
    }

  if (cf_hashlist_row_is_header (&row))
    cf_hashlist_reader_skip (reader, 1);
  else
    cf_hashlist_reader_emit_row (reader, &row, NULL, 0, number, FALSE);
  return TRUE;
}

/* Whether the line belonged to a table or block; if not, the sums read it. */
gboolean
cf_hashlist_table_take_line (CfHashlistTable      *self,
                             CfHashlistReader     *reader,
                             const CfHashlistLine *line)
{
  guint64 *work = &cf_hashlist_reader_get_source (reader)->work;
  const char *text = line->text->str;
  gsize length = line->text->len;
  gsize first;
  char c;

  /* Not trimmed: Format-List keeps the space it wrapped a value at. */

  if (self->table_open)
    {
      if (!cf_hashlist_is_blank_line (text, length, work) && !cf_hashlist_is_prompt (text, length))
        {
          take_table_row (self, reader, text, length, line->number);
          return TRUE;
        }
      self->table_open = FALSE;
    }

  if (self->header_pending)
    {
      self->header_pending = FALSE;
      if (split_header (self->header->str, self->header->len, self->starts, self->columns, work) &&
          is_rule_for (text, length, self->starts, work))
        {
          self->table_open = TRUE;
          cf_hashlist_reader_skip (reader, 1);
          return TRUE;
        }
    }

  /* What a line can be is told by its first character. */
  first = cf_hashlist_skip_blanks (text, length, work);
  c = first < length ? text[first] : '\0';

  if ((cf_hashlist_block_is_open (self->block) || g_ascii_isalpha (c) || c == '_') &&
      cf_hashlist_block_take_line (self->block, reader, text, length, line->number))
    return TRUE;

  if ((self->box_columns->len > 0 || c == '+' || c == '|') &&
      take_box_line (self, reader, text, length, line->number))
    return TRUE;

  if (first == 0 && g_ascii_isalpha (c) &&
      split_header (text, length, self->starts, self->columns, work))
    {
      g_string_assign (self->header, "");
      g_string_append_len (self->header, text, length);
      self->header_pending = TRUE;
      cf_hashlist_reader_skip (reader, 1);
      return TRUE;
    }

  return FALSE;
}

void
cf_hashlist_table_finish (CfHashlistTable  *self,
                          CfHashlistReader *reader)
{
  cf_hashlist_block_flush (self->block, reader);
  self->header_pending = FALSE;
  self->table_open = FALSE;
  g_array_set_size (self->box_columns, 0);
}
