/* cf-csv.c: CSV fields that spreadsheets read safely
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-csv"

#include "config.h"

#include <string.h>

#include "cf-csv.h"

/* RFC 4180, and no formulas: a process or a file can name itself
 * "=HYPERLINK(…)", and a spreadsheet would run it.  NULL is an empty
 * field. */
void
cf_csv_append_field (GString    *out,
                     const char *value)
{
  gboolean formula;

  g_return_if_fail (out != NULL);

  if (value == NULL || *value == '\0')
    return;

  formula = strchr ("=+-@\t\r", value[0]) != NULL;
  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}
