/* cf-display.c: names and messages made safe to show on a screen or a terminal
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-display"

#include "config.h"

#include <string.h>

#include "cf-display.h"

/* File and process names can hold any byte.  Control characters (C0, DEL,
 * C1: a newline could forge a line of output, an escape move the cursor)
 * and formatting characters (a right-to-left override makes
 * "evil<U+202E>gpj.sh" look like "evilhs.jpg") are shown as escapes; the
 * result is valid UTF-8. */
char *
cf_display_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_CONTROL)
        g_string_append_printf (out, "\\x%02x", c);
      else if (type == G_UNICODE_FORMAT ||
               type == G_UNICODE_LINE_SEPARATOR ||
               type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* JSON's two-character escapes, or NULL. */
static const char *
json_short_escape (guchar byte)
{
  switch (byte)
    {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return NULL;
    }
}

/* @text as a JSON string, quotes included, at the end of @out.  JSON's
 * own rules would let C1 controls and formatting characters through raw,
 * and a terminal acts on them: they are written as "\uXXXX" too, which
 * means the same to a JSON reader.  Bytes that are not UTF-8 become
 * U+FFFD, as in cf_display_text(). */
void
cf_display_append_json_string (GString    *out,
                               const char *text)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guchar byte = *p;
      const char *escape = json_short_escape (byte);
      gunichar c;
      GUnicodeType type;

      /* Most text is printable ASCII, which needs no closer look. */
      if (escape != NULL)
        {
          g_string_append (out, escape);
          continue;
        }
      if (byte >= 0x20 && byte < 0x7f)
        {
          g_string_append_c (out, byte);
          continue;
        }

      c = g_utf8_get_char (p);
      type = g_unichar_type (c);
      if (c < 0x80 || type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (out, '"');
}

/* A file name, in the file system's encoding, as above. */
char *
cf_display_path (const char *path)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_name (path);
  return cf_display_text (name);
}

/* How many cells of a terminal @text (valid UTF-8, shown with
 * cf_display_text () first) takes: two for a wide character, none for a
 * combining one, one for the rest. */
static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
cf_display_width (const char *text)
{
  guint width = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

/* @text cut to fit in @columns cells of a terminal, ending in "…" when cut:
 * a line that wraps cannot be taken back with "\r", and its first half
 * would stay on the screen. */
char *
cf_display_fit (const char *text,
                guint       columns)
{
  GString *out;
  guint width = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (cf_display_width (text) <= columns)
    return g_strdup (text);
  if (columns == 0)
    return g_strdup ("");

  out = g_string_new (NULL);
  /* One cell is kept for the ellipsis. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint w = char_width (g_utf8_get_char (p));

      if (width + w > columns - 1)
        break;
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
      width += w;
    }
  g_string_append (out, "\u2026");
  return g_string_free (out, FALSE);
}

/* A size as g_format_size () says it, with a no-break space between the
 * number and its unit: a line never breaks into "38" and "bytes". */
char *
cf_display_size (guint64  bytes,
                 gboolean long_format)
{
  g_autofree char *text = g_format_size_full (bytes, long_format ? G_FORMAT_SIZE_LONG_FORMAT
                                                                 : G_FORMAT_SIZE_DEFAULT);
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  return g_strjoinv ("\u00a0", words);
}
