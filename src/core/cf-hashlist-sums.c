/* cf-hashlist-sums.c: bare hashes, sha256sum and BSD lines, certutil, pasted transcripts
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list someone typed or a checksum tool wrote is read strictly: every
 * line that is not blank or a '#' comment must be a hash, and one that is
 * not is reported, because that is how a mistyped hash gets noticed.  Once
 * the look-ahead shows a shell prompt or a tool's own header or footer,
 * the input is a pasted session instead: lines of prose, prompts and
 * commands are passed over, and only a line that looks like a hash and is
 * not one (a digit short, a stray letter) is reported.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include "cf-hashlist-private.h"

/* A run of this many hex digits is a hash, or meant to be one; words of
 * prose ("deadbeef", "2026") and short git ids are shorter. */
#define HASH_LIKE_RUN 16

/* SHA-512, the longest certutil prints, in byte pairs. */
#define MAX_PAIRS 64

/* A word of a prompt ("user@host:~/src/project$") is no longer. */
#define PROMPT_WORD 100

typedef enum
{
  SUMS_BLANK,
  SUMS_COMMENT,
  SUMS_PROMPT,
  SUMS_CERTUTIL_HEADER,   /* "SHA256 hash of C:\x.exe:" */
  SUMS_CERTUTIL_STATUS,   /* "CertUtil: -hashfile command completed successfully." */
  SUMS_HASH,              /* bare, sha256sum, BSD tag, or certutil's byte pairs */
  SUMS_BAD,               /* looks like a hash and is not one */
  SUMS_WORD,              /* one word that is none of these */
  SUMS_PROSE,
} SumsKind;

typedef struct
{
  SumsKind          kind;
  CfHashlistFormat  shape;       /* for SUMS_HASH and SUMS_BAD: bare, sums or BSD */
  const char       *hash;
  gsize             hash_length;
  const char       *algorithm;   /* a BSD tag or certutil's header */
  gsize             algorithm_length;
  const char       *path;        /* NULL without one */
  gsize             path_length;
  gboolean          escaped;     /* GNU's leading '\' */
  gboolean          pairs;
  const char       *quote;       /* what a problem quotes */
  gsize             quote_length;
  char              joined[2 * MAX_PAIRS];
} SumsLine;

struct _CfHashlistSums
{
  gboolean  strict;
  gboolean  nul;

  /* certutil's header, waiting for its hash */
  gboolean  header_pending;
  GString  *header_path;
  GString  *header_algorithm;
};

CfHashlistSums *
cf_hashlist_sums_new (gboolean strict,
                      gboolean nul)
{
  CfHashlistSums *self = g_new0 (CfHashlistSums, 1);

  self->strict = strict;
  self->nul = nul;
  self->header_path = g_string_new (NULL);
  self->header_algorithm = g_string_new (NULL);
  return self;
}

void
cf_hashlist_sums_free (CfHashlistSums *self)
{
  if (self == NULL)
    return;

  g_string_free (self->header_path, TRUE);
  g_string_free (self->header_algorithm, TRUE);
  g_free (self);
}

/* Prompts ---------------------------------------------------------------- */

static gboolean
ends_word (const char *p,
           const char *end)
{
  return p == end || *p == ' ';
}

static gboolean
starts_with (const char *p,
             const char *end,
             const char *prefix)
{
  gsize length = strlen (prefix);

  return (gsize) (end - p) >= length && memcmp (p, prefix, length) == 0;
}

static const char *
word_end (const char *p,
          const char *end)
{
  while (p < end && !cf_hashlist_is_blank (*p))
    p++;
  return p;
}

/* "C:\Users\ana>" and "PS C:\Users\ana> ": up to the first '>', over
 * characters a Windows path may hold. */
static gboolean
is_windows_prompt (const char *p,
                   const char *end,
                   guint64    *work)
{
  const char *start = p;
  const char *limit = p + MIN (end - p, 260);

  *work += MIN (end - p, 3);
  if (end - p < 4 || !g_ascii_isalpha (p[0]) || p[1] != ':' || p[2] != '\\')
    return FALSE;

  for (p += 3; p < limit; p++)
    {
      if (*p == '>')
        break;
      if (*p == '<' || *p == '"' || *p == '|' || (guchar) *p < 0x20)
        {
          limit = p;
          break;
        }
    }

  *work += p - start;
  return p < limit && *p == '>';
}

/* Shell prompts as terminals show them: "$ ", "% ", "user@host:~/dir$ ",
 * "[user@host dir]# ", "user@host ~ % " (macOS), "bash-5.2$ ",
 * "PS C:\> ", "C:\Users\ana>", "osquery> ".  A prompt is short: words
 * longer than PROMPT_WORD are not looked at whole. */
static gboolean
is_prompt (const char *line,
           gsize       length,
           guint64    *work)
{
  const char *p = line;
  const char *end = line + length;
  const char *w, *next, *third;

  if (p == end)
    return FALSE;
  *work += MIN (length, 2);

  if ((*p == '$' || *p == '%') && ends_word (p + 1, end))
    return TRUE;

  if (*p == 'o' && (*work += MIN (length, 8), starts_with (p, end, "osquery>")))
    return TRUE;

  if (end - p >= 3 && p[0] == 'P' && p[1] == 'S' && (p[2] == '>' || p[2] == ' '))
    {
      if (p[2] == '>' || is_windows_prompt (p + 3, end, work))
        return TRUE;
      *work += MIN (end - p - 3, 260);
      return p + 3 < end && p[3] == '/' && memchr (p + 3, '>', MIN (end - p - 3, 260)) != NULL;
    }

  if (end - p >= 3 && p[1] == ':' && is_windows_prompt (p, end, work))
    return TRUE;

  if (*p == '[')
    {
      const char *close = memchr (p, ']', MIN (end - p, 100));

      *work += close != NULL ? close - p + 3 : MIN (end - p, 100);
      return close != NULL && close + 1 < end &&
             (close[1] == '$' || close[1] == '#' || close[1] == '%') && ends_word (close + 2, end);
    }

  w = word_end (p, MIN (end, p + PROMPT_WORD));
  *work += w - p;
  if (w - p >= 2 && w - p < PROMPT_WORD && (w[-1] == '$' || w[-1] == '#'))
    {
      gboolean user_at_host;
      gboolean shell;

      *work += 2 * (w - p);
      user_at_host = memchr (p, '@', w - p) != NULL || memchr (p, ':', w - p) != NULL;
      shell = starts_with (p, w, "bash") || starts_with (p, w, "sh-") ||
                       starts_with (p, w, "zsh");

      if ((user_at_host || shell) && ends_word (w, end))
        return TRUE;
    }

  /* macOS: "ana@mac ~ % " */
  if (w - p < PROMPT_WORD && w < end && *w == ' ' && memchr (p, '@', w - p) != NULL)
    {
      next = word_end (w + 1, MIN (end, w + 1 + PROMPT_WORD));
      *work += next - p;
      if (next < end && *next == ' ')
        {
          third = next + 1;
          if (third < end && (*third == '%' || *third == '$' || *third == '#') &&
              ends_word (third + 1, end))
            return TRUE;
        }
    }

  return FALSE;
}

gboolean
cf_hashlist_is_prompt (const char *line,
                       gsize       length)
{
  guint64 work = 0;

  return is_prompt (line, length, &work);
}

/* Lines ------------------------------------------------------------------- */

/* BSD and `sha256sum --tag`: "SHA256 (path) = hash"; OpenSSL: "SHA2-256(path)= hash".
 * The path may itself hold ") = ", so the hash is taken from the end.  The
 * tag must name an algorithm: "Total (all files) = 3" is not one. */
static gboolean
split_bsd_line (const char  *p,
                const char  *end,
                SumsLine    *out,
                guint64     *work)
{
  const char *q = p;
  const char *t, *h, *k;

  while (q < end && q - p <= 32 && (g_ascii_isalnum (*q) || *q == '-' || *q == '_' || *q == '/'))
    q++;
  *work += MIN (q - p + 1, end - p);
  if (q == p || q - p > 32 ||
      cf_hashlist_algorithm_classify (p, q - p, NULL) == CF_ALGORITHM_UNKNOWN)
    return FALSE;
  out->algorithm = p;
  out->algorithm_length = q - p;
  if (q < end && *q == ' ')
    q++;
  if (q == end || *q != '(')
    return FALSE;
  q++;

  t = end;
  while (t > q && cf_hashlist_is_blank (t[-1]))
    t--;
  h = t;
  while (h > q && !cf_hashlist_is_blank (h[-1]) && h[-1] != '=')
    h--;

  *work += MIN (end - h + 1, end - q);
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

  out->hash = h;
  out->hash_length = t - h;
  out->path = q;
  out->path_length = k - q;
  return TRUE;
}

/* certutil before Windows 10 printed "e3 b0 c4 42 …". */
static gboolean
join_pairs (const char *p,
            const char *end,
            SumsLine   *out,
            guint64    *work)
{
  const char *start = p;
  guint n_pairs = 0;

  while (end > p && cf_hashlist_is_blank (end[-1]))
    end--;

  while (p < end)
    {
      *work += MIN (end - p, 3);
      if (end - p < 2 || !g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]) ||
          n_pairs == MAX_PAIRS)
        return FALSE;
      out->joined[2 * n_pairs] = p[0];
      out->joined[2 * n_pairs + 1] = p[1];
      n_pairs++;
      p += 2;
      if (p < end && (*p != ' ' || p + 1 == end))
        return FALSE;
      if (p < end)
        p++;
    }

  if (n_pairs < 8 || p == start)
    return FALSE;

  out->hash = out->joined;
  out->hash_length = 2 * n_pairs;
  out->pairs = TRUE;
  return TRUE;
}

/* "SHA256 hash of C:\Users\ana\setup.exe:" (certutil, Windows 10 and later;
 * Windows 7 said "hash of file …"). */
static gboolean
split_certutil_header (const char *p,
                       const char *end,
                       SumsLine   *out,
                       guint64    *work)
{
  static const char of[] = " hash of ";
  const char *w = word_end (p, MIN (end, p + 32));
  const char *path;

  *work += w - p + MIN (strlen (of), (gsize) (end - w));

  if (cf_hashlist_algorithm_classify (p, w - p, NULL) == CF_ALGORITHM_UNKNOWN ||
      (gsize) (end - w) < strlen (of) + 2 || memcmp (w, of, strlen (of)) != 0)
    return FALSE;

  path = w + strlen (of);
  *work += end - path;
  while (end > path && cf_hashlist_is_blank (end[-1]))
    end--;
  if (end == path || end[-1] != ':')
    return FALSE;

  out->algorithm = p;
  out->algorithm_length = w - p;
  out->path = path;
  out->path_length = end - 1 - path;
  return TRUE;
}

static void
classify (const char *line,
          gsize       length,
          gboolean    nul,
          SumsLine   *out,
          guint64    *work)
{
  const char *p = line;
  const char *end = line + length;
  const char *content_end = end;
  const char *w;
  gsize run;

  memset (out, 0, G_STRUCT_OFFSET (SumsLine, joined));
  out->shape = CF_HASHLIST_FORMAT_BARE;

  while (p < end && cf_hashlist_is_blank (*p))
    p++;
  while (content_end > p && cf_hashlist_is_blank (content_end[-1]))
    content_end--;
  *work += (p - line) + (p < end) + (end - content_end) + (content_end > p);

  if (p == end)
    {
      out->kind = SUMS_BLANK;
      return;
    }
  if (*p == '#')
    {
      out->kind = SUMS_COMMENT;
      return;
    }
  if (is_prompt (p, end - p, work))
    {
      out->kind = SUMS_PROMPT;
      return;
    }
  /* The first character rules out most shapes: algorithm names and
   * "CertUtil:" start with a letter, certutil's pairs with two hex digits. */
  if ((*p == 'C' || *p == 'c') && end - p >= 9 && (*work += 9, TRUE) &&
      g_ascii_strncasecmp (p, "CertUtil:", 9) == 0)
    {
      out->kind = SUMS_CERTUTIL_STATUS;
      return;
    }
  if (g_ascii_isalpha (*p) && split_certutil_header (p, end, out, work))
    {
      out->kind = SUMS_CERTUTIL_HEADER;
      return;
    }

  /* GNU coreutils starts a line with '\' when it escaped a backslash, a
   * newline or a carriage return in the file name; -z never escapes. */
  if (!nul && *p == '\\')
    {
      out->escaped = TRUE;
      p++;
    }

  if (p < end && g_ascii_isalpha (*p) && split_bsd_line (p, end, out, work))
    {
      out->kind = SUMS_HASH;
      out->shape = CF_HASHLIST_FORMAT_BSD;
      return;
    }
  out->algorithm = NULL;
  out->algorithm_length = 0;
  out->path = NULL;

  if (!out->escaped && end - p >= 23 && p[2] == ' ' && join_pairs (p, end, out, work))
    {
      out->kind = SUMS_HASH;
      return;
    }

  /* One pass over the first word: where it ends, its longest hex run. */
  run = 0;
  w = p;
  for (gsize current = 0; w < end && !cf_hashlist_is_blank (*w); w++)
    {
      current = g_ascii_isxdigit (*w) ? current + 1 : 0;
      run = MAX (run, current);
    }
  *work += (w - p) + (w < end);
  out->quote = out->escaped ? p - 1 : p;
  out->quote_length = w - out->quote;

  /* All hex, of a hash's length. */
  if (run == (gsize) (w - p) && (*work += run, TRUE) &&
      cf_hashlist_judge (p, w - p, NULL, 0, &(CfHashKind) { 0 }) != CF_HASH_VERDICT_INVALID)
    {
      out->kind = SUMS_HASH;
      out->hash = p;
      out->hash_length = w - p;
      if (w < content_end)
        {
          /* sha256sum: "<hash>  <path>", or "<hash> *<path>" in binary mode;
           * anything else between the two is taken as a separator. */
          if (end - w >= 2 && w[0] == ' ' && (w[1] == ' ' || w[1] == '*'))
            out->path = w + 2;
          else
            for (out->path = w; out->path < end && cf_hashlist_is_blank (*out->path); out->path++)
              ;
          out->path_length = end - out->path;
          out->shape = CF_HASHLIST_FORMAT_SUMS;
        }
      return;
    }

  if (run >= HASH_LIKE_RUN)
    out->kind = SUMS_BAD;
  else
    out->kind = w >= content_end ? SUMS_WORD : SUMS_PROSE;
  if (out->kind == SUMS_BAD && w < content_end)
    out->shape = CF_HASHLIST_FORMAT_SUMS;
}

/* Detection --------------------------------------------------------------- */

/* `sha256sum -z`: records end with NUL and names are not escaped, so a
 * name may hold a newline.  Every complete record in the look-ahead must be
 * a sum line; text with a stray NUL is not this. */
gboolean
cf_hashlist_sums_detect_nul (const char *data,
                             gsize       length,
                             gboolean    at_end,
                             guint64    *work)
{
  const char *p = data;
  const char *end = data + length;
  guint n_records = 0;

  *work += length;
  if (memchr (data, '\0', length) == NULL)
    return FALSE;

  while (p < end)
    {
      const char *record_end = memchr (p, '\0', end - p);
      SumsLine line;

      if (record_end == NULL && !at_end)
        break;
      if (record_end == NULL)
        record_end = end;

      if (record_end > p)
        {
          classify (p, record_end - p, TRUE, &line, work);
          if (line.kind != SUMS_HASH)
            return FALSE;
          n_records++;
        }
      p = record_end + 1;
    }

  return n_records > 0;
}

/* Reads the look-ahead's lines to tell a list from a transcript: see the
 * top of this file.  UNKNOWN when nothing in it looks like a hash. */
CfHashlistFormat
cf_hashlist_sums_detect (const char *data,
                         gsize       length,
                         gboolean    at_end,
                         guint64    *work,
                         gboolean   *strict)
{
  CfHashlistLines lines = { data, data + length, at_end, work };
  CfHashlistFormat shape = CF_HASHLIST_FORMAT_UNKNOWN;
  gboolean evidence = FALSE;
  gboolean content = FALSE;
  guint n_prompts = 0;
  guint n_certutil = 0;
  guint n_tool = 0;
  const char *text;
  gsize text_length;

  while (cf_hashlist_lines_next (&lines, &text, &text_length))
    {
      SumsLine line;

      classify (text, text_length, FALSE, &line, work);
      switch (line.kind)
        {
        case SUMS_BLANK:
        case SUMS_COMMENT:
          continue;
        case SUMS_PROMPT:
          n_prompts++;
          break;
        case SUMS_CERTUTIL_HEADER:
        case SUMS_CERTUTIL_STATUS:
          n_certutil++;
          break;
        case SUMS_HASH:
        case SUMS_BAD:
          evidence = TRUE;
          if (shape == CF_HASHLIST_FORMAT_UNKNOWN)
            shape = line.shape;
          break;
        case SUMS_WORD:
        case SUMS_PROSE:
        default:
          if (cf_hashlist_table_is_tool_line (text, text_length, work))
            n_tool++;
          *work += text_length;
          if (cf_hashlist_longest_hex_run (text, text_length) >= HASH_LIKE_RUN)
            evidence = TRUE;
          break;
        }
      content = TRUE;
    }

  *strict = n_prompts == 0 && n_certutil == 0 && n_tool == 0;

  if (!evidence)
    return !content && at_end ? CF_HASHLIST_FORMAT_EMPTY : CF_HASHLIST_FORMAT_UNKNOWN;
  if (n_prompts > 0)
    return CF_HASHLIST_FORMAT_TRANSCRIPT;
  if (n_certutil > 0)
    return CF_HASHLIST_FORMAT_CERTUTIL;
  if (n_tool > 0)
    return CF_HASHLIST_FORMAT_TRANSCRIPT;
  return shape != CF_HASHLIST_FORMAT_UNKNOWN ? shape : CF_HASHLIST_FORMAT_BARE;
}

/* Reading ----------------------------------------------------------------- */

/* GNU's escapes: "\\", "\n" and "\r". */
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

  return cf_hashlist_text_or_null (out->str, out->len);
}

/* A header never followed by its hash was only words. */
static void
drop_header (CfHashlistSums   *self,
             CfHashlistReader *reader)
{
  if (!self->header_pending)
    return;

  self->header_pending = FALSE;
  cf_hashlist_reader_skip (reader, 1);
}

static void
take_hash (CfHashlistSums       *self,
           CfHashlistReader     *reader,
           const SumsLine       *line,
           guint                 number)
{
  const char *algorithm = line->algorithm;
  gsize algorithm_length = line->algorithm_length;
  CfHashItem *item;

  if (self->header_pending)
    {
      algorithm = self->header_algorithm->str;
      algorithm_length = self->header_algorithm->len;
    }

  item = cf_hashlist_reader_check_hash (reader, line->hash, line->hash_length,
                                        algorithm, algorithm_length, number, FALSE);
  if (item != NULL && self->header_pending)
    {
      const char *path = self->header_path->str;
      gsize path_length = self->header_path->len;

      /* Windows 7's "hash of file C:\x:", told by its byte pairs. */
      if (line->pairs && g_str_has_prefix (path, "file "))
        {
          path += 5;
          path_length -= 5;
        }
      item->path = cf_hashlist_text_or_null (path, path_length);
    }
  else if (item != NULL && line->path != NULL)
    item->path = line->escaped ? unescape_path (line->path, line->path_length)
                               : cf_hashlist_text_or_null (line->path, line->path_length);

  self->header_pending = FALSE;
  if (item != NULL)
    cf_hashlist_reader_emit_item (reader, item);
}

void
cf_hashlist_sums_take_line (CfHashlistSums       *self,
                            CfHashlistReader     *reader,
                            const CfHashlistLine *line)
{
  SumsLine parsed;

  classify (line->text->str, line->text->len, self->nul, &parsed,
            &cf_hashlist_reader_get_source (reader)->work);

  switch (parsed.kind)
    {
    case SUMS_BLANK:
      /* Between certutil's header and its hash, a paste may leave one. */
      cf_hashlist_reader_skip (reader, 1);
      break;

    case SUMS_COMMENT:
    case SUMS_PROMPT:
    case SUMS_CERTUTIL_STATUS:
      drop_header (self, reader);
      cf_hashlist_reader_skip (reader, 1);
      break;

    case SUMS_CERTUTIL_HEADER:
      drop_header (self, reader);
      self->header_pending = TRUE;
      g_string_assign (self->header_path, "");
      g_string_append_len (self->header_path, parsed.path, parsed.path_length);
      g_string_assign (self->header_algorithm, "");
      g_string_append_len (self->header_algorithm, parsed.algorithm, parsed.algorithm_length);
      break;

    case SUMS_HASH:
      take_hash (self, reader, &parsed, line->number);
      break;

    case SUMS_BAD:
      drop_header (self, reader);
      cf_hashlist_reader_emit_bad_hash (reader, line->number, FALSE,
                                        parsed.quote, parsed.quote_length);
      break;

    case SUMS_WORD:
    case SUMS_PROSE:
    default:
      drop_header (self, reader);
      if (self->strict)
        cf_hashlist_reader_emit_bad_hash (reader, line->number, FALSE,
                                          parsed.quote, parsed.quote_length);
      else
        cf_hashlist_reader_skip (reader, 1);
      break;
    }
}

void
cf_hashlist_sums_finish (CfHashlistSums   *self,
                         CfHashlistReader *reader)
{
  drop_header (self, reader);
}
