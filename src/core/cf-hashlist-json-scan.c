/* cf-hashlist-json-scan.c: a strict JSON checker that json-glib only ever sees checked values through
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib 1.6 parses recursively (some 100 000 '[' overflow the stack),
 * replaces a duplicate member after a linear search (a megabyte of repeated
 * keys takes seconds), leaks on a broken surrogate pair and accepts comments
 * and single quotes.  So every JSON value is first checked here, strictly
 * (RFC 8259), without recursion and against bounds no real reply comes
 * near: osquery rows are flat objects with a few dozen columns.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-hashlist-private.h"

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_CLOSE,
  EXPECT_KEY,
  EXPECT_KEY_OR_CLOSE,
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,
} JsonState;

static gboolean
json_scan_fail (CfJsonScan *scan,
                const char *at,
                char       *message)
{
  guint chars = (guint) MIN (g_utf8_strlen (scan->line_start, at - scan->line_start),
                             G_MAXUINT / 2);

  scan->error_at = at;
  scan->error_line = scan->line;
  scan->error_column = chars + 1 + (scan->line == scan->first_line ? scan->first_column : 0);
  g_free (scan->error);
  scan->error = message;
  return FALSE;
}

char *
cf_hashlist_json_unexpected (const char *at,
                             const char *end)
{
  gunichar c = g_utf8_get_char_validated (at, end - at);
  g_autofree char *quoted = NULL;

  if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0)
    quoted = g_strdup (REPLACEMENT_CHARACTER);
  else
    quoted = cf_hashlist_excerpt (at, g_utf8_next_char (at) - at, 1);

  return g_strdup_printf (_("unexpected “%s”"), quoted);
}

static gboolean
json_fail_unexpected (CfJsonScan *scan,
                      const char *at)
{
  return json_scan_fail (scan, at, cf_hashlist_json_unexpected (at, scan->end));
}

gboolean
cf_hashlist_is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
json_skip_space (CfJsonScan *scan)
{
  while (scan->p < scan->end && cf_hashlist_is_json_space (*scan->p))
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
json_bad_escape (CfJsonScan *scan,
                 const char *at)
{
  return json_scan_fail (scan, at, g_strdup (_("a bad \\u escape")));
}

static gboolean
json_scan_string (CfJsonScan *scan)
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
                  return json_bad_escape (scan, p);
                unit = unit * 16 + g_ascii_xdigit_value (p[i]);
              }
            p += 6;

            /* json-glib leaks on a broken surrogate pair: a high half must
             * be followed by a low half, and a low half never stands alone. */
            if (unit >= 0xdc00 && unit <= 0xdfff)
              return json_bad_escape (scan, p - 6);
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                guint low = 0;

                if (scan->end - p < 6 || p[0] != '\\' || p[1] != 'u')
                  return json_bad_escape (scan, p - 6);
                for (int i = 2; i < 6; i++)
                  {
                    if (!g_ascii_isxdigit (p[i]))
                      return json_bad_escape (scan, p - 6);
                    low = low * 16 + g_ascii_xdigit_value (p[i]);
                  }
                if (low < 0xdc00 || low > 0xdfff)
                  return json_bad_escape (scan, p - 6);
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
json_scan_digits (CfJsonScan  *scan,
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
json_scan_number (CfJsonScan *scan)
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
json_scan_literal (CfJsonScan *scan,
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
gboolean
cf_hashlist_json_scan_value (CfJsonScan *scan)
{
  char kinds[CF_HASHLIST_JSON_MAX_DEPTH];
  guint members[CF_HASHLIST_JSON_MAX_DEPTH];
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
          if (++members[depth - 1] > CF_HASHLIST_JSON_MAX_MEMBERS)
            return json_scan_fail (scan, scan->p,
                                   g_strdup_printf (_("an object with more than %d fields"),
                                                    CF_HASHLIST_JSON_MAX_MEMBERS));
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
              if (depth == CF_HASHLIST_JSON_MAX_DEPTH)
                return json_scan_fail (scan, scan->p,
                                       g_strdup_printf (_("nested more than %d levels deep"),
                                                        CF_HASHLIST_JSON_MAX_DEPTH));
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
void
cf_hashlist_json_glib_error_position (const char  *message,
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
