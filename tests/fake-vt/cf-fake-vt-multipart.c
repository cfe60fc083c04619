/* cf-fake-vt-multipart.c
 *
 * Finds the "file" part of a buffered multipart/form-data body, without copying it.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt.h"
#include "cf-fake-vt-multipart.h"

#include <string.h>

/* libsoup's own multipart parser decodes filename*= for us, which would hide
 * exactly what the fake must notice; uploads can also be hundreds of
 * megabytes, so this one only records offsets into the buffer. */

static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         haystack_length,
            const char   *needle,
            gsize         needle_length)
{
  const guint8 *p = haystack;
  const guint8 *end = haystack + haystack_length;

  if (needle_length == 0 || haystack_length < needle_length)
    return NULL;

  while ((gsize) (end - p) >= needle_length)
    {
      p = memchr (p, needle[0], (end - p) - needle_length + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_length) == 0)
        return p;
      p++;
    }

  return NULL;
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED, message);
  return FALSE;
}

/* Reads one parameter value at *p: a quoted string (kept as sent, without its
 * quotes) or a token. */
static char *
read_param_value (const char **p)
{
  const char *start = *p;

  if (*start == '"')
    {
      const char *q = start + 1;

      while (*q != '\0' && *q != '"')
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          q++;
        }

      *p = *q == '"' ? q + 1 : q;
      return g_strndup (start + 1, q - (start + 1));
    }
  else
    {
      const char *q = start;

      while (*q != '\0' && *q != ';')
        q++;

      *p = q;
      return g_strstrip (g_strndup (start, q - start));
    }
}

static void
parse_disposition (const char  *value,
                   char       **name,
                   char       **filename,
                   gboolean    *extended_filename)
{
  const char *p = strchr (value, ';');

  *name = NULL;
  *filename = NULL;
  *extended_filename = FALSE;

  while (p != NULL && *p != '\0')
    {
      const char *key_start;
      g_autofree char *key = NULL;
      g_autofree char *param = NULL;

      while (*p == ';' || *p == ' ' || *p == '\t')
        p++;

      key_start = p;
      while (*p != '\0' && *p != '=' && *p != ';')
        p++;
      key = g_strstrip (g_strndup (key_start, p - key_start));

      if (*p != '=')
        continue;
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      param = read_param_value (&p);

      if (g_ascii_strcasecmp (key, "name") == 0 && *name == NULL)
        *name = g_steal_pointer (&param);
      else if (g_ascii_strcasecmp (key, "filename") == 0 && *filename == NULL)
        *filename = g_steal_pointer (&param);
      else if (g_ascii_strcasecmp (key, "filename*") == 0)
        *extended_filename = TRUE;
    }
}

/* Returns the Content-Disposition value among the part's header lines. */
static char *
find_disposition (const guint8 *headers,
                  gsize         length)
{
  g_autofree char *text = g_strndup ((const char *) headers, length);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;

      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_ascii_strcasecmp (name, "Content-Disposition") == 0)
        return g_strstrip (g_strdup (colon + 1));
    }

  return NULL;
}

gboolean
cf_fake_vt_multipart_find_file (const guint8      *body,
                                gsize              body_length,
                                const char        *boundary,
                                CfFakeVtFilePart  *part,
                                GError           **error)
{
  g_autofree char *delimiter = NULL;
  g_autofree char *next_delimiter = NULL;
  gsize delimiter_length;
  const guint8 *end = body + body_length;
  const guint8 *p;

  g_return_val_if_fail (part != NULL, FALSE);

  memset (part, 0, sizeof *part);

  if (boundary == NULL || *boundary == '\0' || strlen (boundary) > 200)
    return fail (error, "The multipart body has no usable boundary");

  delimiter = g_strconcat ("--", boundary, NULL);
  next_delimiter = g_strconcat ("\r\n--", boundary, NULL);
  delimiter_length = strlen (delimiter);

  /* The first delimiter may be preceded by a preamble. */
  if (body_length >= delimiter_length && memcmp (body, delimiter, delimiter_length) == 0)
    p = body;
  else
    {
      p = find_bytes (body, body_length, next_delimiter, delimiter_length + 2);
      if (p == NULL)
        return fail (error, "The multipart body has no boundary line");
      p += 2;
    }

  for (;;)
    {
      const guint8 *headers;
      const guint8 *headers_end;
      const guint8 *content;
      const guint8 *content_end;
      g_autofree char *disposition = NULL;
      g_autofree char *name = NULL;
      g_autofree char *filename = NULL;
      gboolean extended = FALSE;

      p += delimiter_length;
      if (end - p >= 2 && p[0] == '-' && p[1] == '-')
        break;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
        return fail (error, "A multipart boundary line is malformed");
      p += 2;

      headers = p;
      if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
        {
          headers_end = p;
          content = p + 2;
        }
      else
        {
          headers_end = find_bytes (p, end - p, "\r\n\r\n", 4);
          if (headers_end == NULL)
            return fail (error, "A multipart part has no end to its headers");
          content = headers_end + 4;
        }

      content_end = find_bytes (content, end - content, next_delimiter, delimiter_length + 2);
      if (content_end == NULL)
        return fail (error, "A multipart part is not terminated");

      disposition = find_disposition (headers, headers_end - headers);
      if (disposition != NULL)
        parse_disposition (disposition, &name, &filename, &extended);

      if (!part->found && g_strcmp0 (name, "file") == 0)
        {
          part->found = TRUE;
          part->extended_filename = extended;
          part->filename = g_steal_pointer (&filename);
          part->offset = content - body;
          part->length = content_end - content;
        }

      p = content_end + 2;
    }

  return TRUE;
}

void
cf_fake_vt_file_part_clear (CfFakeVtFilePart *part)
{
  g_clear_pointer (&part->filename, g_free);
}
