/* cf-origin.c: where a downloaded file came from, as the browser or download tool recorded it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attributes are written by whoever wrote the file, so they are
 * evidence of nothing: they are shown to the person as what the file says
 * about itself, never sent anywhere, and cleaned first.  A user name and
 * password in the address are dropped (a browser may keep them), and so is
 * anything that is not text.
 */

#define G_LOG_DOMAIN "check-first-origin"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/xattr.h>

#include "cf-origin.h"

/* Longer than any address a browser keeps; a longer value is cut. */
#define CF_ORIGIN_MAX 4096

/* Text safe to keep: valid UTF-8 without control characters, and a URI
 * without its user information.  NULL when nothing is left. */
char *
cf_origin_clean (const char *value,
                 gsize       length)
{
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;
  GString *clean;

  if (value == NULL || length == 0)
    return NULL;

  /* Some tools store the terminating NUL too. */
  length = strnlen (value, MIN (length, CF_ORIGIN_MAX));
  text = g_utf8_make_valid (value, length);

  clean = g_string_sized_new (length);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iscntrl (c))
        g_string_append_unichar (clean, c);
    }
  g_strstrip (clean->str);
  clean->len = strlen (clean->str);
  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }

  uri = g_uri_parse (clean->str, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      g_autoptr(GUri) bare = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                                          g_uri_get_host (uri), g_uri_get_port (uri),
                                          g_uri_get_path (uri), g_uri_get_query (uri),
                                          g_uri_get_fragment (uri));

      g_string_free (clean, TRUE);
      return g_uri_to_string (bare);
    }

  return g_string_free (clean, FALSE);
}

static char *
read_attribute (int         fd,
                const char *name)
{
  char buffer[CF_ORIGIN_MAX];
  ssize_t length = fgetxattr (fd, name, buffer, sizeof buffer);

  /* ERANGE: longer than we keep; read it whole to cut it. */
  if (length < 0 && errno == ERANGE)
    {
      ssize_t size = fgetxattr (fd, name, NULL, 0);
      g_autofree char *big = NULL;

      if (size <= 0 || size > 1024 * 1024)
        return NULL;
      big = g_malloc (size);
      length = fgetxattr (fd, name, big, size);
      return length > 0 ? cf_origin_clean (big, length) : NULL;
    }
  if (length <= 0)
    return NULL;
  return cf_origin_clean (buffer, length);
}

/* Reads what the open file @fd says about where it came from.  A file
 * system without extended attributes, or a file without them, leaves both
 * members NULL. */
void
cf_origin_read_fd (int       fd,
                   CfOrigin *origin)
{
  g_return_if_fail (origin != NULL);

  origin->url = read_attribute (fd, CF_ORIGIN_XATTR_URL);
  origin->referrer = read_attribute (fd, CF_ORIGIN_XATTR_REFERRER);
}

void
cf_origin_clear (CfOrigin *origin)
{
  g_clear_pointer (&origin->url, g_free);
  g_clear_pointer (&origin->referrer, g_free);
}
