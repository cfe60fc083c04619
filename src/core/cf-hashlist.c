/* cf-hashlist.c: read hash lists: bare hashes, sha256sum lines, CSV, osquery JSON
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-hashlist.h"

/* A hash and a path fit in far less; a longer line is not a hash list. */
#define MAX_LINE_LENGTH (64 * 1024)

/* How much of a bad value a problem quotes, in characters. */
#define EXCERPT_LENGTH 40

/* json-glib 1.6 parses recursively (some 100 000 '[' overflow the stack),
 * replaces a duplicate member after a linear search (a megabyte of repeated
 * keys takes seconds) and accepts comments and single quotes.  So every JSON
 * value is first checked here, strictly and without recursion, against these
 * bounds; json-glib only ever sees plain JSON it can parse quickly.  osquery
 * rows are flat objects with a few dozen columns. */
#define JSON_MAX_DEPTH 64
#define JSON_MAX_MEMBERS 256

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"
#define UTF8_BOM "\xef\xbb\xbf"

G_DEFINE_QUARK (cf-hashlist-error-quark, cf_hashlist_error)

typedef enum
{
  COLUMN_NONE = -1,
  /* The hash columns, strongest first. */
  COLUMN_SHA256,
  COLUMN_SHA1,
  COLUMN_MD5,
  COLUMN_HASH,   /* any kind, told by its length */
  COLUMN_PATH,
  COLUMN_NAME,
  COLUMN_PID,
  COLUMN_HOST,
  N_COLUMNS
} Column;

/* Compared without regard to case.  The host names are what osquery, its
 * log forwarders and PowerShell remoting (PSComputerName) call the machine. */
static const struct
{
  const char *name;
  Column      column;
} column_names[] = {
  { "sha256", COLUMN_SHA256 },
  { "sha1", COLUMN_SHA1 },
  { "md5", COLUMN_MD5 },
  { "hash", COLUMN_HASH },
  { "sha256sum", COLUMN_HASH },
  { "filehash", COLUMN_HASH },
  { "file_hash", COLUMN_HASH },
  { "path", COLUMN_PATH },
  { "name", COLUMN_NAME },
  { "pid", COLUMN_PID },
  { "hostIdentifier", COLUMN_HOST },
  { "host", COLUMN_HOST },
  { "hostname", COLUMN_HOST },
  { "host_identifier", COLUMN_HOST },
  { "computer_name", COLUMN_HOST },
  { "PSComputerName", COLUMN_HOST },
};

/* The fields of one CSV record or JSON object, pointing into the input. */
typedef struct
{
  const char *value[N_COLUMNS];
  gsize       length[N_COLUMNS];
  gint64      pid;   /* from a JSON number; -1 otherwise */
} Row;

typedef struct
{
  GPtrArray *items;
  GPtrArray *problems;
} Parser;

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static void
trim_blanks (const char **text,
             gsize       *length)
{
  while (*length > 0 && (is_blank (**text) || **text == '\r' || **text == '\n'))
    {
      (*text)++;
      (*length)--;
    }
  while (*length > 0 && (is_blank ((*text)[*length - 1]) ||
                         (*text)[*length - 1] == '\r' || (*text)[*length - 1] == '\n'))
    (*length)--;
}

static gboolean
detect_kind (const char *text,
             gsize       length,
             CfHashKind *kind)
{
  CfHashKind found;

  switch (length)
    {
    case 32:
      found = CF_HASH_MD5;
      break;
    case 40:
      found = CF_HASH_SHA1;
      break;
    case 64:
      found = CF_HASH_SHA256;
      break;
    default:
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;

  if (kind != NULL)
    *kind = found;
  return TRUE;
}

gboolean
cf_hash_kind_detect (const char *text,
                     CfHashKind *kind)
{
  if (text == NULL)
    return FALSE;

  return detect_kind (text, strnlen (text, 65), kind);
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

static Column
column_from_name (const char *name,
                  gsize       length)
{
  trim_blanks (&name, &length);

  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (strlen (column_names[i].name) == length &&
        g_ascii_strncasecmp (name, column_names[i].name, length) == 0)
      return column_names[i].column;

  return COLUMN_NONE;
}

static gboolean
is_hash_column (Column column)
{
  return column >= COLUMN_SHA256 && column <= COLUMN_HASH;
}

/* Valid UTF-8 without NUL bytes: what the rest of the program may show,
 * store and print.  Each bad byte becomes U+FFFD. */
static char *
text_to_utf8 (const char *text,
              gsize       length)
{
  GString *out;
  const char *bad;

  if (g_utf8_validate_len (text, length, &bad))
    return g_strndup (text, length);

  out = g_string_sized_new (length + 3);
  for (;;)
    {
      g_string_append_len (out, text, bad - text);
      g_string_append (out, REPLACEMENT_CHARACTER);
      length -= bad - text + 1;
      text = bad + 1;

      if (g_utf8_validate_len (text, length, &bad))
        {
          g_string_append_len (out, text, length);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_UNASSIGNED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A short copy of untrusted text that is safe to print: control and
 * direction-changing characters and bad bytes are written as escapes. */
static char *
excerpt (const char *text,
         gsize       length,
         guint       max_chars)
{
  GString *out = g_string_sized_new (MIN (length, max_chars) + 8);
  const char *p = text;
  const char *end = text + length;
  guint n_chars = 0;

  while (p < end)
    {
      guchar c = *p;

      if (n_chars++ == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c < 0x80)
        {
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, c);
          p++;
        }
      else
        {
          gunichar u = g_utf8_get_char_validated (p, end - p);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              g_string_append_printf (out, "\\x%02x", c);
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              if (is_invisible (u))
                g_string_append_printf (out, "\\u%04X", u);
              else
                g_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }

  return g_string_free (out, FALSE);
}

static void G_GNUC_PRINTF (4, 5)
add_problem (Parser     *parser,
             guint       number,
             gboolean    is_row,
             const char *format,
             ...)
{
  CfHashlistProblem *problem;
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  problem = g_new0 (CfHashlistProblem, 1);
  problem->line = number;
  if (is_row)
    /* Translators: a problem with an entry of a JSON list: "row 3: no MD5, …" */
    problem->message = g_strdup_printf (_("row %u: %s"), number, what);
  else
    /* Translators: "line 7: “xyz” is not an MD5, SHA-1 or SHA-256 hash" */
    problem->message = g_strdup_printf (_("line %u: %s"), number, what);
  g_ptr_array_add (parser->problems, problem);
}

static void
add_bad_hash_problem (Parser     *parser,
                      guint       number,
                      gboolean    is_row,
                      const char *text,
                      gsize       length)
{
  g_autofree char *quoted = excerpt (text, length, EXCERPT_LENGTH);

  add_problem (parser, number, is_row, _("“%s” is not an MD5, SHA-1 or SHA-256 hash"), quoted);
}

static void
add_too_long_problem (Parser *parser,
                      guint   number)
{
  add_problem (parser, number, FALSE, _("longer than %d KiB, skipped"), MAX_LINE_LENGTH / 1024);
}

static void
add_item (Parser     *parser,
          const char *hash,
          gsize       hash_length,
          CfHashKind  kind,
          guint       number)
{
  CfHashItem *item = g_new0 (CfHashItem, 1);

  item->hash = g_ascii_strdown (hash, hash_length);
  item->kind = kind;
  item->line = number;
  item->pid = -1;
  g_ptr_array_add (parser->items, item);
}

static CfHashItem *
last_item (Parser *parser)
{
  return g_ptr_array_index (parser->items, parser->items->len - 1);
}

static char *
text_or_null (const char *text,
              gsize       length)
{
  if (text == NULL || length == 0)
    return NULL;

  return text_to_utf8 (text, length);
}

static void
row_init (Row *row)
{
  memset (row, 0, sizeof *row);
  row->pid = -1;
}

/* The first of several columns with one meaning wins. */
static void
row_set (Row        *row,
         Column      column,
         const char *value,
         gsize       length)
{
  if (column == COLUMN_NONE || row->value[column] != NULL)
    return;

  row->value[column] = value;
  row->length[column] = length;
}

static gint64
row_get_pid (const Row *row)
{
  const char *text = row->value[COLUMN_PID];
  gsize length = row->length[COLUMN_PID];
  char digits[24];
  guint64 pid;

  if (row->pid >= 0)
    return row->pid;
  if (text == NULL)
    return -1;

  trim_blanks (&text, &length);
  if (length == 0 || length >= sizeof digits)
    return -1;

  memcpy (digits, text, length);
  digits[length] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &pid, NULL))
    return -1;

  return pid;
}

/* One entry of a CSV or JSON list.  Several hash columns (osquery's hash
 * table has md5, sha1 and sha256) give the strongest valid one; a bad value
 * in one is only reported when no other column has a hash. */
static void
add_row (Parser     *parser,
         const Row  *row,
         const char *fallback_host,
         gsize       fallback_host_length,
         guint       number,
         gboolean    is_row)
{
  const char *hash = NULL;
  gsize hash_length = 0;
  CfHashKind hash_kind = CF_HASH_MD5;
  const char *bad = NULL;
  gsize bad_length = 0;
  CfHashItem *item;

  for (int column = COLUMN_SHA256; column <= COLUMN_HASH; column++)
    {
      const char *value = row->value[column];
      gsize length = row->length[column];
      CfHashKind kind;

      if (value == NULL)
        continue;

      trim_blanks (&value, &length);
      if (length == 0)
        continue;

      if (detect_kind (value, length, &kind))
        {
          if (hash == NULL || kind > hash_kind)
            {
              hash = value;
              hash_length = length;
              hash_kind = kind;
            }
        }
      else if (bad == NULL)
        {
          bad = value;
          bad_length = length;
        }
    }

  if (hash == NULL)
    {
      if (bad != NULL)
        add_bad_hash_problem (parser, number, is_row, bad, bad_length);
      else
        add_problem (parser, number, is_row, _("no MD5, SHA-1 or SHA-256 hash"));
      return;
    }

  add_item (parser, hash, hash_length, hash_kind, number);
  item = last_item (parser);
  item->path = text_or_null (row->value[COLUMN_PATH], row->length[COLUMN_PATH]);
  item->name = text_or_null (row->value[COLUMN_NAME], row->length[COLUMN_NAME]);
  if (row->value[COLUMN_HOST] != NULL && row->length[COLUMN_HOST] > 0)
    item->host = text_or_null (row->value[COLUMN_HOST], row->length[COLUMN_HOST]);
  else
    item->host = text_or_null (fallback_host, fallback_host_length);
  item->pid = row_get_pid (row);
}

/* Plain lines ------------------------------------------------------------ */

/* BSD and `sha256sum --tag`: "SHA256 (path) = hash"; OpenSSL: "SHA2-256(path)= hash".
 * The path may itself hold ") = ", so the hash is taken from the end. */
static gboolean
split_bsd_line (const char  *p,
                const char  *end,
                const char **hash,
                const char **hash_end,
                const char **path,
                const char **path_end)
{
  const char *q = p;
  const char *t, *h, *k;

  while (q < end && (g_ascii_isalnum (*q) || *q == '-' || *q == '_' || *q == '/'))
    q++;
  if (q == p || q - p > 32)
    return FALSE;
  if (q < end && *q == ' ')
    q++;
  if (q == end || *q != '(')
    return FALSE;
  q++;

  t = end;
  while (t > q && is_blank (t[-1]))
    t--;
  h = t;
  while (h > q && !is_blank (h[-1]) && h[-1] != '=')
    h--;

  k = h;
  if (k > q && k[-1] == ' ')
    k--;
  if (k == q || k[-1] != '=')
    return FALSE;
  k--;
  if (k > q && k[-1] == ' ')
    k--;
  if (k == q || k[-1] != ')')
    return FALSE;
  k--;

  *hash = h;
  *hash_end = t;
  *path = q;
  *path_end = k;
  return TRUE;
}

/* GNU coreutils starts a line with '\' when it escaped a backslash, a
 * newline or a carriage return in the file name. */
static char *
unescape_path (const char *text,
               gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\\' && i + 1 < length)
        {
          char next = text[i + 1];

          if (next == '\\' || next == 'n' || next == 'r')
            {
              g_string_append_c (out, next == 'n' ? '\n' : next == 'r' ? '\r' : '\\');
              i++;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }

  return text_or_null (out->str, out->len);
}

static void
parse_hash_line (Parser     *parser,
                 const char *line,
                 gsize       length,
                 guint       number)
{
  const char *p = line;
  const char *end = line + length;
  const char *hash, *hash_end;
  const char *path = NULL;
  const char *path_end = NULL;
  gboolean escaped = FALSE;
  CfHashKind kind;
  CfHashItem *item;

  while (p < end && is_blank (*p))
    p++;
  if (p == end || *p == '#')
    return;

  if (*p == '\\')
    {
      escaped = TRUE;
      p++;
    }

  if (!split_bsd_line (p, end, &hash, &hash_end, &path, &path_end))
    {
      const char *content_end = end;

      while (content_end > p && is_blank (content_end[-1]))
        content_end--;

      hash = hash_end = p;
      while (hash_end < content_end && g_ascii_isxdigit (*hash_end))
        hash_end++;

      if (hash_end < content_end)
        {
          if (!is_blank (*hash_end))
            {
              /* Quote the whole first word, not just its hex beginning. */
              while (hash_end < content_end && !is_blank (*hash_end))
                hash_end++;
              hash = escaped ? p - 1 : p;
              add_bad_hash_problem (parser, number, FALSE, hash, hash_end - hash);
              return;
            }

          /* sha256sum: "<hash>  <path>", or "<hash> *<path>" in binary mode;
           * anything else between the two is taken as a separator. */
          if (end - hash_end >= 2 && hash_end[0] == ' ' &&
              (hash_end[1] == ' ' || hash_end[1] == '*'))
            path = hash_end + 2;
          else
            for (path = hash_end; path < end && is_blank (*path); path++)
              ;
          path_end = end;
        }
    }

  if (!detect_kind (hash, hash_end - hash, &kind))
    {
      add_bad_hash_problem (parser, number, FALSE, hash, hash_end - hash);
      return;
    }

  add_item (parser, hash, hash_end - hash, kind, number);
  item = last_item (parser);
  if (path != NULL)
    item->path = escaped ? unescape_path (path, path_end - path)
                         : text_or_null (path, path_end - path);
}

static void
parse_lines (Parser     *parser,
             const char *data,
             const char *end)
{
  const char *p = data;
  guint number = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *next = eol != NULL ? eol + 1 : end;
      gsize length;

      if (eol == NULL)
        eol = end;
      if (number < G_MAXUINT)
        number++;

      length = eol - p;
      if (length > 0 && p[length - 1] == '\r')
        length--;

      if (length > MAX_LINE_LENGTH)
        add_too_long_problem (parser, number);
      else
        parse_hash_line (parser, p, length, number);

      p = next;
    }
}

/* CSV -------------------------------------------------------------------- */

typedef enum
{
  LINE_CONTENT,
  LINE_BLANK,
  LINE_COMMENT,
  LINE_BORDER,   /* osqueryi's "+-----+------+" */
} LineKind;

static LineKind
classify_line (const char *p,
               const char *end)
{
  while (p < end && is_blank (*p))
    p++;

  if (p == end || *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n')))
    return LINE_BLANK;
  if (*p == '#')
    return LINE_COMMENT;

  if (*p == '+' && p + 1 < end && p[1] == '-')
    {
      while (p < end && (*p == '+' || *p == '-'))
        p++;
      while (p < end && (is_blank (*p) || *p == '\r'))
        p++;
      if (p == end || *p == '\n')
        return LINE_BORDER;
    }

  return LINE_CONTENT;
}

static const char *
next_line (const char *p,
           const char *end)
{
  const char *eol = memchr (p, '\n', end - p);

  return eol != NULL ? eol + 1 : end;
}

typedef struct
{
  const char *p;
  const char *end;
  char        separator;
  guint       line;          /* of p */
  guint       record_line;   /* where the last record started */
  GPtrArray  *fields;        /* GString, reused from record to record */
  guint       n_fields;
  gboolean    too_long;
  gboolean    unterminated;
} CsvReader;

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
csv_reader_init (CsvReader  *reader,
                 const char *data,
                 const char *end,
                 char        separator)
{
  memset (reader, 0, sizeof *reader);
  reader->p = data;
  reader->end = end;
  reader->separator = separator;
  reader->line = 1;
  reader->fields = g_ptr_array_new_with_free_func (string_free);
}

static void
csv_reader_clear (CsvReader *reader)
{
  g_clear_pointer (&reader->fields, g_ptr_array_unref);
}

static void
csv_reader_skip_line (CsvReader *reader)
{
  reader->p = next_line (reader->p, reader->end);
  if (reader->line < G_MAXUINT)
    reader->line++;
}

static GString *
csv_reader_next_field (CsvReader *reader)
{
  GString *field;

  if (reader->n_fields == reader->fields->len)
    g_ptr_array_add (reader->fields, g_string_new (NULL));

  field = g_ptr_array_index (reader->fields, reader->n_fields++);
  g_string_truncate (field, 0);
  return field;
}

/* Blanks around a value are padding (osqueryi pads its table), except
 * inside quotes. */
static void
csv_field_end (GString *field,
               gsize    quoted_length)
{
  while (field->len > quoted_length &&
         (is_blank (field->str[field->len - 1]) || field->str[field->len - 1] == '\r'))
    g_string_truncate (field, field->len - 1);
}

/* RFC 4180, leniently: quotes open a value only at its start, "" is a
 * quote inside one, and a quoted value may span lines.  A record longer
 * than MAX_LINE_LENGTH is read to its end but not kept. */
static void
csv_read_record (CsvReader *reader)
{
  enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } state = FIELD_START;
  const char *start = reader->p;
  gsize quoted_length = 0;
  GString *field;

  reader->n_fields = 0;
  reader->too_long = FALSE;
  reader->unterminated = FALSE;
  reader->record_line = reader->line;
  field = csv_reader_next_field (reader);

  while (reader->p < reader->end)
    {
      char c = *reader->p++;

      if (c == '\n' && reader->line < G_MAXUINT)
        reader->line++;

      if (!reader->too_long && (gsize) (reader->p - start) > MAX_LINE_LENGTH)
        reader->too_long = TRUE;

      switch (state)
        {
        case FIELD_START:
          if (c == '"')
            {
              state = QUOTED;
              break;
            }
          if (c == ' ' || (c == '\t' && reader->separator != '\t'))
            break;
          state = UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
        case AFTER_QUOTE:
          if (c == reader->separator || c == '\n')
            {
              csv_field_end (field, quoted_length);
              if (c == '\n')
                return;
              quoted_length = 0;
              state = FIELD_START;
              if (!reader->too_long)
                field = csv_reader_next_field (reader);
            }
          else if (!reader->too_long)
            g_string_append_c (field, c);
          break;

        case QUOTED:
          if (c == '"')
            {
              if (reader->p < reader->end && *reader->p == '"')
                {
                  reader->p++;
                  if (!reader->too_long)
                    g_string_append_c (field, '"');
                }
              else
                {
                  quoted_length = field->len;
                  state = AFTER_QUOTE;
                }
            }
          else if (!reader->too_long)
            g_string_append_c (field, c);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (state == QUOTED)
    reader->unterminated = TRUE;
  csv_field_end (field, quoted_length);
}

static GString *
csv_field (CsvReader *reader,
           guint      index)
{
  return g_ptr_array_index (reader->fields, index);
}

static gboolean
header_names_hash_column (const char *line,
                          const char *eol,
                          char        separator)
{
  CsvReader reader;
  gboolean found = FALSE;

  csv_reader_init (&reader, line, eol, separator);
  csv_read_record (&reader);
  for (guint i = 0; i < reader.n_fields && !found; i++)
    found = is_hash_column (column_from_name (csv_field (&reader, i)->str,
                                              csv_field (&reader, i)->len));
  csv_reader_clear (&reader);

  return found;
}

/* CSV when the first line names a hash column.  Besides commas and tabs:
 * semicolons (spreadsheets in many locales) and '|' (osqueryi --csv, and
 * its table when pasted).  A lone "sha256" header is a one-column CSV. */
static gboolean
detect_csv (const char *data,
            const char *end,
            char       *separator)
{
  static const char separators[] = { ',', '\t', ';', '|' };
  const char *line = data;
  const char *eol;

  while (line < end && classify_line (line, end) != LINE_CONTENT)
    line = next_line (line, end);
  if (line == end)
    return FALSE;

  eol = memchr (line, '\n', end - line);
  if (eol == NULL)
    eol = end;
  if (eol - line > MAX_LINE_LENGTH)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      if (memchr (line, separators[i], eol - line) == NULL)
        continue;
      if (header_names_hash_column (line, eol, separators[i]))
        {
          *separator = separators[i];
          return TRUE;
        }
    }

  if (memchr (line, ',', eol - line) == NULL && header_names_hash_column (line, eol, ','))
    {
      *separator = ',';
      return TRUE;
    }

  return FALSE;
}

static void
parse_csv (Parser     *parser,
           const char *data,
           const char *end,
           char        separator)
{
  CsvReader reader;
  g_autoptr(GArray) columns = NULL;

  csv_reader_init (&reader, data, end, separator);

  while (reader.p < reader.end)
    {
      LineKind kind = classify_line (reader.p, reader.end);
      gboolean empty = TRUE;
      Row row;

      if (kind == LINE_BLANK || kind == LINE_COMMENT ||
          (kind == LINE_BORDER && separator == '|'))
        {
          csv_reader_skip_line (&reader);
          continue;
        }

      csv_read_record (&reader);

      if (columns == NULL)
        {
          columns = g_array_sized_new (FALSE, FALSE, sizeof (Column), reader.n_fields);
          for (guint i = 0; i < reader.n_fields; i++)
            {
              Column column = column_from_name (csv_field (&reader, i)->str,
                                                csv_field (&reader, i)->len);
              g_array_append_val (columns, column);
            }
          continue;
        }

      if (reader.too_long)
        {
          add_too_long_problem (parser, reader.record_line);
          continue;
        }
      if (reader.unterminated)
        {
          add_problem (parser, reader.record_line, FALSE, _("a quoted value is never closed"));
          continue;
        }

      row_init (&row);
      for (guint i = 0; i < reader.n_fields; i++)
        {
          GString *field = csv_field (&reader, i);

          if (field->len > 0)
            empty = FALSE;
          if (i < columns->len)
            row_set (&row, g_array_index (columns, Column, i), field->str, field->len);
        }

      /* A row of empty cells, as spreadsheets leave behind. */
      if (empty)
        continue;

      /* Lists gathered from many machines are often concatenated files,
       * each with its own header. */
      {
        gboolean repeated_header = FALSE;

        for (int column = COLUMN_SHA256; column <= COLUMN_HASH && !repeated_header; column++)
          if (row.value[column] != NULL && row.length[column] > 0)
            repeated_header = is_hash_column (column_from_name (row.value[column],
                                                                row.length[column]));
        if (repeated_header)
          continue;
      }

      add_row (parser, &row, NULL, 0, reader.record_line, FALSE);
    }

  csv_reader_clear (&reader);
}

/* JSON ------------------------------------------------------------------- */

typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_CLOSE,
  EXPECT_KEY,
  EXPECT_KEY_OR_CLOSE,
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,
} JsonState;

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  const char *line_start;

  /* Set when a check fails. */
  const char *error_at;
  guint       error_line;
  guint       error_column;
  char       *error;
} JsonScan;

/* In characters, from 1. */
static guint
column_of (const char *line_start,
           const char *at)
{
  return (guint) MIN (g_utf8_strlen (line_start, at - line_start), G_MAXUINT - 1) + 1;
}

static gboolean
json_scan_fail (JsonScan   *scan,
                const char *at,
                char       *message)
{
  scan->error_at = at;
  scan->error_line = scan->line;
  scan->error_column = column_of (scan->line_start, at);
  g_free (scan->error);
  scan->error = message;
  return FALSE;
}

static gboolean
json_fail_unexpected (JsonScan   *scan,
                      const char *at)
{
  gunichar c = g_utf8_get_char_validated (at, scan->end - at);
  gboolean bad_byte = c == (gunichar) -1 || c == (gunichar) -2;
  g_autofree char *quoted = excerpt (at, bad_byte ? 1 : g_utf8_next_char (at) - at, 1);

  return json_scan_fail (scan, at, g_strdup_printf (_("unexpected “%s”"), quoted));
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
json_skip_space (JsonScan *scan)
{
  while (scan->p < scan->end && is_json_space (*scan->p))
    {
      if (*scan->p == '\n')
        {
          if (scan->line < G_MAXUINT)
            scan->line++;
          scan->line_start = scan->p + 1;
        }
      scan->p++;
    }
}

static gboolean
json_scan_string (JsonScan *scan)
{
  const char *p = scan->p + 1;

  while (p < scan->end)
    {
      guchar c = *p;

      if (c == '"')
        {
          scan->p = p + 1;
          return TRUE;
        }

      if (c < 0x20)
        return json_scan_fail (scan, p, g_strdup (_("a control character inside a string")));

      if (c != '\\')
        {
          p++;
          continue;
        }

      if (p + 1 == scan->end)
        break;

      switch (p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;

        case 'u':
          {
            guint unit = 0;

            for (int i = 2; i < 6; i++)
              {
                if (p + i >= scan->end || !g_ascii_isxdigit (p[i]))
                  return json_scan_fail (scan, p, g_strdup (_("a bad \\u escape")));
                unit = unit * 16 + g_ascii_xdigit_value (p[i]);
              }
            p += 6;

            /* json-glib leaks on a broken surrogate pair: a high half must
             * be followed by a low half, and a low half never stands alone. */
            if (unit >= 0xdc00 && unit <= 0xdfff)
              return json_scan_fail (scan, p - 6, g_strdup (_("a bad \\u escape")));
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                guint low = 0;

                if (scan->end - p < 6 || p[0] != '\\' || p[1] != 'u')
                  return json_scan_fail (scan, p - 6, g_strdup (_("a bad \\u escape")));
                for (int i = 2; i < 6; i++)
                  {
                    if (!g_ascii_isxdigit (p[i]))
                      return json_scan_fail (scan, p - 6, g_strdup (_("a bad \\u escape")));
                    low = low * 16 + g_ascii_xdigit_value (p[i]);
                  }
                if (low < 0xdc00 || low > 0xdfff)
                  return json_scan_fail (scan, p - 6, g_strdup (_("a bad \\u escape")));
                p += 6;
              }
          }
          break;

        default:
          return json_fail_unexpected (scan, p + 1);
        }
    }

  return json_scan_fail (scan, scan->end, g_strdup (_("the data ends inside a string")));
}

static gboolean
json_scan_digits (JsonScan    *scan,
                  const char **p)
{
  if (*p == scan->end)
    return json_scan_fail (scan, *p, g_strdup (_("the data ends inside a number")));
  if (!g_ascii_isdigit (**p))
    return json_fail_unexpected (scan, *p);

  while (*p < scan->end && g_ascii_isdigit (**p))
    (*p)++;
  return TRUE;
}

static gboolean
json_scan_number (JsonScan *scan)
{
  const char *p = scan->p;

  if (*p == '-')
    p++;

  if (p < scan->end && *p == '0')
    p++;
  else if (!json_scan_digits (scan, &p))
    return FALSE;

  if (p < scan->end && *p == '.')
    {
      p++;
      if (!json_scan_digits (scan, &p))
        return FALSE;
    }

  if (p < scan->end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < scan->end && (*p == '+' || *p == '-'))
        p++;
      if (!json_scan_digits (scan, &p))
        return FALSE;
    }

  scan->p = p;
  return TRUE;
}

static gboolean
json_scan_literal (JsonScan   *scan,
                   const char *literal)
{
  gsize length = strlen (literal);

  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, literal, length) != 0)
    return json_fail_unexpected (scan, scan->p);

  scan->p += length;
  return TRUE;
}

/* Checks one JSON value, strictly (RFC 8259) and without recursion; on
 * success scan->p is just past it. */
static gboolean
json_scan_value (JsonScan *scan)
{
  char kinds[JSON_MAX_DEPTH];
  guint members[JSON_MAX_DEPTH];
  guint depth = 0;
  JsonState state = EXPECT_VALUE;

  for (;;)
    {
      gboolean value_done = FALSE;
      char c;

      json_skip_space (scan);
      if (scan->p == scan->end)
        return json_scan_fail (scan, scan->p, g_strdup (_("the data ends too early")));
      c = *scan->p;

      switch (state)
        {
        case EXPECT_KEY_OR_CLOSE:
        case EXPECT_KEY:
          if (c == '}' && state == EXPECT_KEY_OR_CLOSE)
            {
              scan->p++;
              depth--;
              value_done = TRUE;
              break;
            }
          if (c != '"')
            return json_scan_fail (scan, scan->p, g_strdup (_("expected a field name in quotes")));
          if (++members[depth - 1] > JSON_MAX_MEMBERS)
            return json_scan_fail (scan, scan->p,
                                   g_strdup_printf (_("an object with more than %d fields"),
                                                    JSON_MAX_MEMBERS));
          if (!json_scan_string (scan))
            return FALSE;
          state = EXPECT_COLON;
          break;

        case EXPECT_COLON:
          if (c != ':')
            return json_scan_fail (scan, scan->p, g_strdup (_("expected “:”")));
          scan->p++;
          state = EXPECT_VALUE;
          break;

        case EXPECT_COMMA_OR_CLOSE:
          g_assert (depth > 0);
          if (c == ',')
            {
              scan->p++;
              state = kinds[depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
              break;
            }
          if ((c == '}' && kinds[depth - 1] == '{') || (c == ']' && kinds[depth - 1] == '['))
            {
              scan->p++;
              depth--;
              value_done = TRUE;
              break;
            }
          return json_scan_fail (scan, scan->p,
                                 g_strdup_printf (_("expected “,” or “%c”"),
                                                  kinds[depth - 1] == '{' ? '}' : ']'));

        case EXPECT_VALUE_OR_CLOSE:
          if (c == ']')
            {
              scan->p++;
              depth--;
              value_done = TRUE;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case EXPECT_VALUE:
          if (c == '{' || c == '[')
            {
              if (depth == JSON_MAX_DEPTH)
                return json_scan_fail (scan, scan->p,
                                       g_strdup_printf (_("nested more than %d levels deep"),
                                                        JSON_MAX_DEPTH));
              kinds[depth] = c;
              members[depth] = 0;
              depth++;
              scan->p++;
              state = c == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
              break;
            }

          if (c == '"')
            value_done = json_scan_string (scan);
          else if (c == '-' || g_ascii_isdigit (c))
            value_done = json_scan_number (scan);
          else if (c == 't')
            value_done = json_scan_literal (scan, "true");
          else if (c == 'f')
            value_done = json_scan_literal (scan, "false");
          else if (c == 'n')
            value_done = json_scan_literal (scan, "null");
          else
            return json_fail_unexpected (scan, scan->p);

          if (!value_done)
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }

      if (value_done)
        {
          if (depth == 0)
            return TRUE;
          state = EXPECT_COMMA_OR_CLOSE;
        }
    }
}

/* json-glib says "<data>:LINE:COLUMN: Parse error: …", counted from the
 * start of the value it was given. */
static void
json_glib_error_position (const char  *message,
                          guint        first_line,
                          guint        first_column,
                          guint       *line,
                          guint       *column,
                          const char **rest)
{
  const char *p = message;
  guint64 l, c;
  char *next;

  *line = first_line;
  *column = first_column;
  *rest = message;

  if (!g_str_has_prefix (p, "<data>:"))
    return;
  p += strlen ("<data>:");
  l = g_ascii_strtoull (p, &next, 10);
  if (next == p || *next != ':')
    return;
  p = next + 1;
  c = g_ascii_strtoull (p, &next, 10);
  if (next == p || *next != ':')
    return;

  *line = first_line + (guint) MIN (l > 0 ? l - 1 : 0, G_MAXUINT - first_line);
  *column = l <= 1 ? first_column + (guint) MIN (c > 0 ? c - 1 : 0, G_MAXUINT - first_column)
                   : (guint) MIN (c, G_MAXUINT);
  *rest = next + 1;
  while (**rest == ' ')
    (*rest)++;
}

static Column
json_member_column (const char *name)
{
  return column_from_name (name, strlen (name));
}

static JsonNode *
json_find_member (JsonObject  *object,
                  const char  *name,
                  JsonNodeType type)
{
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member_name, &node))
    if (g_ascii_strcasecmp (member_name, name) == 0 && JSON_NODE_TYPE (node) == type)
      return node;

  return NULL;
}

static void
row_from_json_object (Row        *row,
                      JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonNode *decorations;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      Column column = json_member_column (name);
      GType type;

      if (column == COLUMN_NONE || !JSON_NODE_HOLDS_VALUE (node))
        continue;

      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        {
          const char *value = json_node_get_string (node);

          row_set (row, column, value, strlen (value));
        }
      else if (column == COLUMN_PID && row->pid < 0 && row->value[COLUMN_PID] == NULL)
        {
          /* osqueryd logs numbers as numbers; osqueryi --json as strings. */
          if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0)
            row->pid = json_node_get_int (node);
          else if (type == G_TYPE_DOUBLE)
            {
              double value = json_node_get_double (node);

              if (isfinite (value) && value >= 0 && value < 9.0e18 && value == floor (value))
                row->pid = (gint64) value;
            }
        }
    }

  /* osqueryd puts the host name among the "decorations" when told to. */
  decorations = json_find_member (object, "decorations", JSON_NODE_OBJECT);
  if (row->value[COLUMN_HOST] == NULL && decorations != NULL)
    {
      JsonObject *inner = json_node_get_object (decorations);

      json_object_iter_init_ordered (&iter, inner);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        if (json_member_column (name) == COLUMN_HOST &&
            JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          {
            const char *value = json_node_get_string (node);

            row_set (row, COLUMN_HOST, value, strlen (value));
          }
    }
}

/* A row is a flat object; an osqueryd results log line carries its row in
 * "columns" and the host beside it.  @outer is the enclosing object, if any. */
static void
add_json_row (Parser    *parser,
              JsonNode  *node,
              const Row *outer,
              guint      number,
              gboolean   is_row)
{
  JsonObject *object;
  JsonNode *columns;
  Row row, wrapper;
  const char *host = NULL;
  gsize host_length = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      add_problem (parser, number, is_row, _("not an object with fields"));
      return;
    }

  object = json_node_get_object (node);
  columns = json_find_member (object, "columns", JSON_NODE_OBJECT);

  row_init (&row);
  row_init (&wrapper);
  if (columns != NULL)
    {
      row_from_json_object (&row, json_node_get_object (columns));
      row_from_json_object (&wrapper, object);
    }
  else
    row_from_json_object (&row, object);

  if (wrapper.value[COLUMN_HOST] != NULL && wrapper.length[COLUMN_HOST] > 0)
    {
      host = wrapper.value[COLUMN_HOST];
      host_length = wrapper.length[COLUMN_HOST];
    }
  else if (outer != NULL)
    {
      host = outer->value[COLUMN_HOST];
      host_length = outer->length[COLUMN_HOST];
    }

  add_row (parser, &row, host, host_length, number, is_row);
}

static void
add_json_value (Parser   *parser,
                JsonNode *root,
                guint     line,
                guint    *row_number)
{
  static const char * const row_arrays[] = { "data", "rows", "results", "snapshot" };
  JsonNode *rows = NULL;
  JsonArray *array;
  Row outer;

  row_init (&outer);

  if (JSON_NODE_HOLDS_ARRAY (root))
    rows = root;
  else
    {
      JsonObject *object = json_node_get_object (root);

      for (guint i = 0; i < G_N_ELEMENTS (row_arrays) && rows == NULL; i++)
        rows = json_find_member (object, row_arrays[i], JSON_NODE_ARRAY);

      if (rows == NULL)
        {
          add_json_row (parser, root, NULL, line, FALSE);
          return;
        }

      /* osqueryd snapshots and fleet results: the host is beside the rows. */
      row_from_json_object (&outer, object);
    }

  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (*row_number < G_MAXUINT)
        (*row_number)++;
      add_json_row (parser, json_array_get_element (array, i), &outer, *row_number, TRUE);
    }
}

/* One JSON document, or several one after another: osqueryd's results log
 * has an object a line, and lists from many machines get concatenated.
 * A value that cannot be read is a problem, unless none can be read. */
static gboolean
parse_json (Parser      *parser,
            const char  *data,
            gsize        length,
            GError     **error)
{
  g_autofree char *repaired = NULL;
  g_autoptr(JsonParser) json = json_parser_new ();
  g_autofree char *first_error = NULL;
  guint n_values = 0;
  guint row_number = 0;
  JsonScan scan = { NULL };

  /* json-glib refuses the whole text for one bad byte; a file name from
   * some machine is no reason to ignore the rest. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      repaired = text_to_utf8 (data, length);
      data = repaired;
      length = strlen (repaired);
    }

  scan.p = data;
  scan.end = data + length;
  scan.line = 1;
  scan.line_start = data;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *what = NULL;
      const char *start;
      const char *start_line_start;
      guint start_line;
      guint line, column;

      json_skip_space (&scan);
      if (scan.p == scan.end)
        break;

      start = scan.p;
      start_line = scan.line;
      start_line_start = scan.line_start;

      if (*start != '[' && *start != '{')
        json_fail_unexpected (&scan, start);
      else if (json_scan_value (&scan))
        {
          if (json_parser_load_from_data (json, start, scan.p - start, &local_error))
            {
              n_values++;
              add_json_value (parser, json_parser_get_root (json), start_line, &row_number);
              continue;
            }
        }

      if (local_error != NULL)
        {
          const char *rest;

          /* Counted only now: many values may share one long line. */
          json_glib_error_position (local_error->message, start_line,
                                    column_of (start_line_start, start),
                                    &line, &column, &rest);
          what = excerpt (rest, strlen (rest), 200);
          scan.error_at = scan.p;
        }
      else
        {
          line = scan.error_line;
          column = scan.error_column;
          what = g_strdup (scan.error);
        }

      if (first_error == NULL)
        /* Translators: "line 3, column 7: expected “:”" */
        first_error = g_strdup_printf (_("line %u, column %u: %s"), line, column, what);
      add_problem (parser, line, FALSE, _("not valid JSON at column %u: %s"), column, what);

      /* Carry on from the next line: one broken log line spoils no other.
       * scan.line is still the line of error_at. */
      scan.p = next_line (scan.error_at, scan.end);
      if (scan.line < G_MAXUINT)
        scan.line++;
      scan.line_start = scan.p;
    }

  g_free (scan.error);

  if (n_values == 0 && first_error != NULL)
    {
      g_set_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID,
                   _("This is not valid JSON: %s"), first_error);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */

/* Reads a hash list of any of the formats above, told apart by its content.
 * Returns the CfHashItem found, in input order and with duplicates; a line or
 * row that cannot be used becomes a CfHashlistProblem in @problems (set
 * whenever the result is not NULL).  Only JSON of which no value can be read,
 * and broken UTF-16, fail, with CF_HASHLIST_ERROR_INVALID.  Paths, names and
 * hosts are valid UTF-8, bad bytes replaced with U+FFFD; hashes are lowercase. */
GPtrArray *
cf_hashlist_parse (const char  *data,
                   gsize        length,
                   GPtrArray  **problems,
                   GError     **error)
{
  g_autofree char *converted = NULL;
  Parser parser;
  const char *end;
  const char *first;
  char separator;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  if (data == NULL)
    data = "";

  /* PowerShell 5 writes UTF-16 with a byte order mark. */
  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
                      ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    {
      g_autoptr(GError) local_error = NULL;
      gsize converted_length = 0;

      converted = g_convert (data, length, "UTF-8", "UTF-16", NULL, &converted_length,
                             &local_error);
      if (converted == NULL)
        {
          g_set_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID,
                       _("This looks like UTF-16 text, but it could not be read: %s"),
                       local_error->message);
          return NULL;
        }
      data = converted;
      length = converted_length;
    }

  if (length >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  end = data + length;
  parser.items = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_hash_item_free);
  parser.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_hashlist_problem_free);

  for (first = data; first < end && is_json_space (*first); first++)
    ;

  if (first < end && (*first == '[' || *first == '{'))
    {
      if (!parse_json (&parser, data, length, error))
        {
          g_ptr_array_unref (parser.items);
          g_ptr_array_unref (parser.problems);
          return NULL;
        }
    }
  else if (detect_csv (data, end, &separator))
    parse_csv (&parser, data, end, separator);
  else
    parse_lines (&parser, data, end);

  if (problems != NULL)
    *problems = g_steal_pointer (&parser.problems);
  else
    g_ptr_array_unref (parser.problems);

  return parser.items;
}
