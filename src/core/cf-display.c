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

/* JSON text for a terminal: JSON's own rules let C1 controls and
 * formatting characters through raw, and a terminal would act on them.
 * They can stand only inside strings, where "\uXXXX" means the same. */
char *
cf_display_json (const char *json)
{
  GString *out;

  g_return_val_if_fail (json != NULL, NULL);

  out = g_string_sized_new (strlen (json));
  for (const char *p = json; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c == 0x7f || (c >= 0x80 && (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
                        type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
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
