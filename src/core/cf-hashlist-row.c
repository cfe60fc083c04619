/* cf-hashlist-row.c: what the hash list formats share: hashes, columns, rows, excerpts
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

/* Compared without regard to case.  The host names are what osquery, its
 * log forwarders and PowerShell remoting (PSComputerName) call the machine;
 * "SHA-1", "SHA-256", "Image Path" and "Entry" are autorunsc's, "FullPath"
 * and "OSPath" Velociraptor's.  autorunsc's PESHA-1, PESHA-256 (hashes of
 * the signed part of a PE file) and IMP (its import hash) are not hashes of
 * the file VirusTotal knows it by, so they are not here and never read. */
static const struct
{
  const char *name;
  CfColumn    column;
} column_names[] = {
  { "sha256", CF_COLUMN_SHA256 },
  { "sha-256", CF_COLUMN_SHA256 },
  { "sha1", CF_COLUMN_SHA1 },
  { "sha-1", CF_COLUMN_SHA1 },
  { "md5", CF_COLUMN_MD5 },
  { "hash", CF_COLUMN_HASH },
  { "sha256sum", CF_COLUMN_HASH },
  { "filehash", CF_COLUMN_HASH },
  { "file_hash", CF_COLUMN_HASH },
  { "algorithm", CF_COLUMN_ALGORITHM },
  { "path", CF_COLUMN_PATH },
  { "fullpath", CF_COLUMN_PATH },
  { "ospath", CF_COLUMN_PATH },
  { "image path", CF_COLUMN_PATH },
  { "name", CF_COLUMN_NAME },
  { "entry", CF_COLUMN_NAME },
  { "pid", CF_COLUMN_PID },
  { "hostIdentifier", CF_COLUMN_HOST },
  { "host", CF_COLUMN_HOST },
  { "hostname", CF_COLUMN_HOST },
  { "host_identifier", CF_COLUMN_HOST },
  { "computer_name", CF_COLUMN_HOST },
  { "PSComputerName", CF_COLUMN_HOST },
};

/* Text ------------------------------------------------------------------ */

gboolean
cf_hashlist_is_blank (char c)
{
  return c == ' ' || c == '\t';
}

void
cf_hashlist_trim (const char **text,
                  gsize       *length)
{
  while (*length > 0 && (cf_hashlist_is_blank (**text) || **text == '\r' || **text == '\n'))
    {
      (*text)++;
      (*length)--;
    }
  while (*length > 0 && (cf_hashlist_is_blank ((*text)[*length - 1]) ||
                         (*text)[*length - 1] == '\r' || (*text)[*length - 1] == '\n'))
    (*length)--;
}

gboolean
cf_hashlist_kind_from_text (const char *text,
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

gsize
cf_hashlist_longest_hex_run (const char *text,
                             gsize       length)
{
  gsize longest = 0;
  gsize run = 0;

  for (gsize i = 0; i < length; i++)
    {
      run = g_ascii_isxdigit (text[i]) ? run + 1 : 0;
      longest = MAX (longest, run);
    }

  return longest;
}

/* Valid UTF-8 without NUL bytes: what the rest of the program may show,
 * store and print.  Each bad byte becomes U+FFFD. */
char *
cf_hashlist_text_to_utf8 (const char *text,
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

char *
cf_hashlist_text_or_null (const char *text,
                          gsize       length)
{
  if (text == NULL || length == 0)
    return NULL;

  return cf_hashlist_text_to_utf8 (text, length);
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
char *
cf_hashlist_excerpt (const char *text,
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

/* Counted: each adds to @work the bytes it looked at. */

void
cf_hashlist_trim_end (const char *text,
                      gsize      *length,
                      guint64    *work)
{
  gsize old = *length;

  while (*length > 0 && (cf_hashlist_is_blank (text[*length - 1]) || text[*length - 1] == '\r'))
    (*length)--;
  *work += old - *length + (*length > 0);
}

gboolean
cf_hashlist_is_blank_line (const char *text,
                           gsize       length,
                           guint64    *work)
{
  for (gsize i = 0; i < length; i++)
    if (!cf_hashlist_is_blank (text[i]) && text[i] != '\r')
      {
        *work += i + 1;
        return FALSE;
      }
  *work += length;
  return TRUE;
}

gsize
cf_hashlist_skip_blanks (const char *text,
                         gsize       length,
                         guint64    *work)
{
  gsize i = 0;

  while (i < length && cf_hashlist_is_blank (text[i]))
    i++;
  *work += i + (i < length);
  return i;
}

/* Hashes and algorithms ------------------------------------------------- */

/* Names as BSD tags, certutil and Get-FileHash write them, compared in
 * capitals without '-', '_' or '/': "SHA2-256" is "SHA2256". */
static const struct
{
  const char *name;
  CfHashKind  kind;
} supported_algorithms[] = {
  { "MD5", CF_HASH_MD5 },
  { "SHA", CF_HASH_SHA1 },
  { "SHA1", CF_HASH_SHA1 },
  { "SHA256", CF_HASH_SHA256 },
  { "SHA2256", CF_HASH_SHA256 },
};

/* Families, told by how their names begin (BLAKE2b-256, SHA3-512, …). */
static const char * const unsupported_algorithms[] = {
  "MD2", "MD4", "SHA224", "SHA384", "SHA512", "SHA2224", "SHA2384", "SHA2512", "SHA3",
  "SHAKE", "BLAKE", "SM3", "RIPEMD", "RMD", "MACTRIPLEDES", "CRC", "WHIRLPOOL", "XXH",
  "GOST", "STREEBOG",
};

CfAlgorithmClass
cf_hashlist_algorithm_classify (const char *name,
                                gsize       length,
                                CfHashKind *kind)
{
  char normal[24];
  gsize n = 0;

  if (name == NULL)
    return CF_ALGORITHM_UNKNOWN;

  cf_hashlist_trim (&name, &length);
  for (gsize i = 0; i < length; i++)
    {
      if (name[i] == '-' || name[i] == '_' || name[i] == '/')
        continue;
      if (!g_ascii_isalnum (name[i]) || n == sizeof normal - 1)
        return CF_ALGORITHM_UNKNOWN;
      normal[n++] = g_ascii_toupper (name[i]);
    }
  normal[n] = '\0';
  if (n == 0)
    return CF_ALGORITHM_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (supported_algorithms); i++)
    if (strcmp (normal, supported_algorithms[i].name) == 0)
      {
        if (kind != NULL)
          *kind = supported_algorithms[i].kind;
        return CF_ALGORITHM_SUPPORTED;
      }

  for (guint i = 0; i < G_N_ELEMENTS (unsupported_algorithms); i++)
    if (g_str_has_prefix (normal, unsupported_algorithms[i]))
      return CF_ALGORITHM_UNSUPPORTED;

  return CF_ALGORITHM_UNKNOWN;
}

static gboolean
is_hex (const char *text,
        gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return length > 0;
}

/* Without an algorithm name the length tells the kind; SHA-224, SHA-384 and
 * SHA-512 (or BLAKE2b) have lengths of their own.  With one, the name is
 * believed: a 32-digit MD4 from certutil is no MD5. */
CfHashVerdict
cf_hashlist_judge (const char *text,
                   gsize       length,
                   const char *algorithm,
                   gsize       algorithm_length,
                   CfHashKind *kind)
{
  CfHashKind expected = CF_HASH_MD5;
  CfHashKind found;

  switch (cf_hashlist_algorithm_classify (algorithm, algorithm_length, &expected))
    {
    case CF_ALGORITHM_SUPPORTED:
      if (cf_hashlist_kind_from_text (text, length, &found) && found == expected)
        {
          *kind = found;
          return CF_HASH_VERDICT_VALID;
        }
      return CF_HASH_VERDICT_INVALID;

    case CF_ALGORITHM_UNSUPPORTED:
      return length >= 8 && length % 2 == 0 && is_hex (text, length)
             ? CF_HASH_VERDICT_UNSUPPORTED : CF_HASH_VERDICT_INVALID;

    case CF_ALGORITHM_UNKNOWN:
    default:
      if (cf_hashlist_kind_from_text (text, length, kind))
        return CF_HASH_VERDICT_VALID;
      if ((length == 56 || length == 96 || length == 128) && is_hex (text, length))
        return CF_HASH_VERDICT_UNSUPPORTED;
      return CF_HASH_VERDICT_INVALID;
    }
}

/* Checks a hash; returns a new item for the caller to complete and emit,
 * or NULL when a problem was emitted instead. */
CfHashItem *
cf_hashlist_reader_check_hash (CfHashlistReader *self,
                               const char       *text,
                               gsize             length,
                               const char       *algorithm,
                               gsize             algorithm_length,
                               guint             number,
                               gboolean          is_row)
{
  CfHashKind kind = CF_HASH_MD5;
  g_autofree char *quoted = NULL;
  g_autofree char *name = NULL;
  CfHashItem *item;

  cf_hashlist_reader_count_work (self, length);

  switch (cf_hashlist_judge (text, length, algorithm, algorithm_length, &kind))
    {
    case CF_HASH_VERDICT_VALID:
      item = g_new0 (CfHashItem, 1);
      item->hash = g_ascii_strdown (text, length);
      item->kind = kind;
      item->line = number;
      item->pid = -1;
      return item;

    case CF_HASH_VERDICT_UNSUPPORTED:
      quoted = cf_hashlist_excerpt (text, length, CF_HASHLIST_EXCERPT);
      if (cf_hashlist_algorithm_classify (algorithm, algorithm_length, NULL) ==
          CF_ALGORITHM_UNSUPPORTED)
        {
          cf_hashlist_trim (&algorithm, &algorithm_length);
          name = cf_hashlist_excerpt (algorithm, algorithm_length, 24);
          /* Translators: "“0a1b…” (SHA512) cannot be …"; the name is as the tool wrote it */
          cf_hashlist_reader_emit_problem (self, CF_HASHLIST_PROBLEM_UNSUPPORTED, number, is_row,
                                           _("“%s” (%s) cannot be looked up: VirusTotal knows "
                                             "only MD5, SHA-1 and SHA-256 hashes"), quoted, name);
        }
      else
        cf_hashlist_reader_emit_problem (self, CF_HASHLIST_PROBLEM_UNSUPPORTED, number, is_row,
                                         _("“%s” (a %u-bit hash) cannot be looked up: VirusTotal "
                                           "knows only MD5, SHA-1 and SHA-256 hashes"),
                                         quoted, (guint) length * 4);
      return NULL;

    case CF_HASH_VERDICT_INVALID:
    default:
      cf_hashlist_reader_emit_bad_hash (self, number, is_row, text, length);
      return NULL;
    }
}

/* Columns and rows ------------------------------------------------------ */

CfColumn
cf_hashlist_column_from_name (const char *name,
                              gsize       length)
{
  cf_hashlist_trim (&name, &length);

  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (strlen (column_names[i].name) == length &&
        g_ascii_strncasecmp (name, column_names[i].name, length) == 0)
      return column_names[i].column;

  return CF_COLUMN_NONE;
}

gboolean
cf_hashlist_column_is_hash (CfColumn column)
{
  return column >= CF_COLUMN_SHA256 && column <= CF_COLUMN_HASH;
}

void
cf_hashlist_row_init (CfRow *row)
{
  memset (row, 0, sizeof *row);
  row->pid = -1;
}

/* The first of several columns with one meaning wins. */
void
cf_hashlist_row_set (CfRow      *row,
                     CfColumn    column,
                     const char *value,
                     gsize       length)
{
  if (column == CF_COLUMN_NONE || row->value[column] != NULL)
    return;

  row->value[column] = value;
  row->length[column] = length;
}

/* Whether any hash column holds more than blanks. */
gboolean
cf_hashlist_row_has_hash (const CfRow *row)
{
  for (int column = CF_COLUMN_SHA256; column <= CF_COLUMN_HASH; column++)
    {
      const char *value = row->value[column];
      gsize length = row->length[column];

      if (value == NULL)
        continue;
      cf_hashlist_trim (&value, &length);
      if (length > 0)
        return TRUE;
    }

  return FALSE;
}

/* Lists gathered from many machines are often concatenated files, each with
 * its own header: a row whose hash cell names a hash column is one. */
gboolean
cf_hashlist_row_is_header (const CfRow *row)
{
  for (int column = CF_COLUMN_SHA256; column <= CF_COLUMN_HASH; column++)
    if (row->value[column] != NULL && row->length[column] > 0 &&
        cf_hashlist_column_is_hash (cf_hashlist_column_from_name (row->value[column],
                                                                  row->length[column])))
      return TRUE;

  return FALSE;
}

static gint64
row_get_pid (const CfRow *row)
{
  const char *text = row->value[CF_COLUMN_PID];
  gsize length = row->length[CF_COLUMN_PID];
  char digits[24];
  guint64 pid;

  if (row->pid >= 0)
    return row->pid;
  if (text == NULL)
    return -1;

  cf_hashlist_trim (&text, &length);
  if (length == 0 || length >= sizeof digits)
    return -1;

  memcpy (digits, text, length);
  digits[length] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &pid, NULL))
    return -1;

  return pid;
}

static char *
row_text (CfHashlistReader *self,
          const CfRow      *row,
          CfColumn          column)
{
  const char *value = row->value[column];
  gsize length = row->length[column];

  if (value == NULL)
    return NULL;

  cf_hashlist_reader_count_work (self, length);
  return cf_hashlist_text_or_null (value, length);
}

/* One entry of a CSV, table or JSON list.  Several hash columns (osquery's
 * hash table has md5, sha1 and sha256) give the strongest valid one; a bad
 * or unsupported value in one is only reported when no other has a hash.
 * An Algorithm column (Get-FileHash) tells what the Hash column holds. */
void
cf_hashlist_reader_emit_row (CfHashlistReader *self,
                             const CfRow      *row,
                             const char       *fallback_host,
                             gsize             fallback_host_length,
                             guint             number,
                             gboolean          is_row)
{
  const char *hash = NULL;
  gsize hash_length = 0;
  CfHashKind hash_kind = CF_HASH_MD5;
  const char *bad = NULL;
  gsize bad_length = 0;
  CfColumn bad_column = CF_COLUMN_NONE;
  gboolean bad_unsupported = FALSE;
  const char *algorithm = row->value[CF_COLUMN_ALGORITHM];
  gsize algorithm_length = row->length[CF_COLUMN_ALGORITHM];
  CfHashItem *item;

  for (int column = CF_COLUMN_SHA256; column <= CF_COLUMN_HASH; column++)
    {
      const char *value = row->value[column];
      gsize length = row->length[column];
      CfHashKind kind = CF_HASH_MD5;
      CfHashVerdict verdict;

      if (value == NULL)
        continue;

      cf_hashlist_reader_count_work (self, length);
      cf_hashlist_trim (&value, &length);
      if (length == 0)
        continue;

      verdict = cf_hashlist_judge (value, length,
                                   column == CF_COLUMN_HASH ? algorithm : NULL,
                                   column == CF_COLUMN_HASH ? algorithm_length : 0,
                                   &kind);
      if (verdict == CF_HASH_VERDICT_VALID)
        {
          if (hash == NULL || kind > hash_kind)
            {
              hash = value;
              hash_length = length;
              hash_kind = kind;
            }
        }
      /* An unsupported hash says more than a broken one. */
      else if (bad == NULL || (verdict == CF_HASH_VERDICT_UNSUPPORTED && !bad_unsupported))
        {
          bad = value;
          bad_length = length;
          bad_column = column;
          bad_unsupported = verdict == CF_HASH_VERDICT_UNSUPPORTED;
        }
    }

  if (hash == NULL)
    {
      if (bad != NULL)
        cf_hashlist_reader_check_hash (self, bad, bad_length,
                                       bad_column == CF_COLUMN_HASH ? algorithm : NULL,
                                       bad_column == CF_COLUMN_HASH ? algorithm_length : 0,
                                       number, is_row);
      else
        cf_hashlist_reader_emit_problem (self, CF_HASHLIST_PROBLEM_INVALID, number, is_row,
                                         _("no MD5, SHA-1 or SHA-256 hash"));
      return;
    }

  item = g_new0 (CfHashItem, 1);
  item->hash = g_ascii_strdown (hash, hash_length);
  item->kind = hash_kind;
  item->line = number;
  item->path = row_text (self, row, CF_COLUMN_PATH);
  item->name = row_text (self, row, CF_COLUMN_NAME);
  item->host = row_text (self, row, CF_COLUMN_HOST);
  if (item->host == NULL)
    item->host = cf_hashlist_text_or_null (fallback_host, fallback_host_length);
  item->pid = row_get_pid (row);
  cf_hashlist_reader_emit_item (self, item);
}
