/* fuzz-hashlist.c: libFuzzer target for the hash list reader behind --lookup
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hash list comes from anywhere: another machine's osquery, a colleague's
 * spreadsheet, a pasted terminal.  Besides not crashing, the reader must
 * hand back only well-formed hashes, and problems that are safe to print on
 * a terminal: they go to stderr as they are.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf-hashlist.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_CHECK(condition) \
  G_STMT_START { \
    if (G_UNLIKELY (!(condition))) \
      { \
        fprintf (stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #condition); \
        abort (); \
      } \
  } G_STMT_END

static gsize
hash_length (CfHashKind kind)
{
  switch (kind)
    {
    case CF_HASH_MD5:
      return 32;
    case CF_HASH_SHA1:
      return 40;
    case CF_HASH_SHA256:
      return 64;
    default:
      return 0;
    }
}

static gboolean
is_lower_hex (const char *text,
              gsize       length)
{
  if (text == NULL || length == 0 || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

/* No escape sequences, no carriage returns: nothing that rewrites a terminal. */
static gboolean
is_printable_utf8 (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static void
check_item (const CfHashItem *item)
{
  CfHashKind detected;

  FUZZ_CHECK (item != NULL);
  FUZZ_CHECK (is_lower_hex (item->hash, hash_length (item->kind)));
  FUZZ_CHECK (cf_hash_kind_detect (item->hash, &detected) && detected == item->kind);
  FUZZ_CHECK (item->line >= 1);
  FUZZ_CHECK (item->pid >= -1);
  FUZZ_CHECK (item->path == NULL || g_utf8_validate (item->path, -1, NULL));
  FUZZ_CHECK (item->name == NULL || g_utf8_validate (item->name, -1, NULL));
  FUZZ_CHECK (item->host == NULL || g_utf8_validate (item->host, -1, NULL));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  items = cf_hashlist_parse ((const char *) data, size, &problems, &error);

  if (items == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == CF_HASHLIST_ERROR);
      FUZZ_CHECK (error->message != NULL && is_printable_utf8 (error->message));
      FUZZ_CHECK (problems == NULL);
      return 0;
    }

  FUZZ_CHECK (error == NULL);
  for (guint i = 0; i < items->len; i++)
    check_item (g_ptr_array_index (items, i));

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const CfHashlistProblem *problem = g_ptr_array_index (problems, i);

      FUZZ_CHECK (problem != NULL && problem->message != NULL);
      FUZZ_CHECK (is_printable_utf8 (problem->message));
    }

  return 0;
}
