/* fuzz-hashlist.c: libFuzzer target for the hash list reader behind --lookup
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hash list comes from anywhere: another machine's osquery, a colleague's
 * spreadsheet, a pasted terminal.  Besides not crashing, the reader must
 * hand back only well-formed hashes, and problems that are safe to print on
 * a terminal: they go to stderr as they are.  It reads a stream, so each
 * input is read twice, whole and cut into reads of random sizes, and the
 * two readings must agree: where a chunk ends must change nothing.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

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

/* A stream over the fuzz input that returns 1 to 64 bytes a read, in an
 * order fixed by the input itself, so that a crash replays. */
typedef struct
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         size;
  gsize         offset;
  guint32       state;
} ChoppyStream;

typedef GInputStreamClass ChoppyStreamClass;

static GType choppy_stream_get_type (void);
G_DEFINE_TYPE (ChoppyStream, choppy_stream, G_TYPE_INPUT_STREAM)

static gssize
choppy_stream_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ChoppyStream *self = (ChoppyStream *) stream;
  gsize n;

  /* xorshift32: cheap, and the same on every run */
  self->state ^= self->state << 13;
  self->state ^= self->state >> 17;
  self->state ^= self->state << 5;
  n = MIN (MIN ((gsize) (self->state % 64) + 1, count), self->size - self->offset);

  memcpy (buffer, self->data + self->offset, n);
  self->offset += n;
  return n;
}

static void
choppy_stream_class_init (ChoppyStreamClass *klass)
{
  klass->read_fn = choppy_stream_read;
}

static void
choppy_stream_init (ChoppyStream *self)
{
}

/* The cuts come from the input's own bytes (FNV-1a of its start and its
 * size), so every byte of a seed stays part of the list. */
static GInputStream *
choppy_stream_new (const guint8 *data,
                   gsize         size)
{
  ChoppyStream *self = g_object_new (choppy_stream_get_type (), NULL);
  guint32 hash = 2166136261u ^ (guint32) size;

  for (gsize i = 0; i < MIN (size, 16); i++)
    hash = (hash ^ data[i]) * 16777619u;

  self->data = data;
  self->size = size;
  self->state = hash != 0 ? hash : 1;
  return G_INPUT_STREAM (self);
}

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
  FUZZ_CHECK (item->path == NULL || (*item->path != '\0' && g_utf8_validate (item->path, -1, NULL)));
  FUZZ_CHECK (item->name == NULL || g_utf8_validate (item->name, -1, NULL));
  FUZZ_CHECK (item->host == NULL || g_utf8_validate (item->host, -1, NULL));
}

static void
check_problem (const CfHashlistProblem *problem)
{
  FUZZ_CHECK (problem != NULL && problem->message != NULL);
  FUZZ_CHECK (problem->line >= 1);
  FUZZ_CHECK (problem->kind == CF_HASHLIST_PROBLEM_INVALID ||
              problem->kind == CF_HASHLIST_PROBLEM_UNSUPPORTED);
  FUZZ_CHECK (is_printable_utf8 (problem->message));
}

/* Everything one reading gave, as one string to compare. */
static GString *
read_all (GInputStream *stream)
{
  g_autoptr(CfHashlistReader) reader = cf_hashlist_reader_new (stream);
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  CfHashItem *item;
  CfHashlistProblem *problem;

  while (cf_hashlist_reader_next (reader, &item, &problem, NULL, &error))
    {
      FUZZ_CHECK ((item == NULL) != (problem == NULL));
      if (item != NULL)
        {
          check_item (item);
          g_string_append_printf (out, "%u %d %s|%s|%s|%s|%" G_GINT64_FORMAT "\n",
                                  item->line, item->kind, item->hash,
                                  item->path != NULL ? item->path : "-",
                                  item->name != NULL ? item->name : "-",
                                  item->host != NULL ? item->host : "-", item->pid);
          cf_hash_item_free (item);
        }
      else
        {
          check_problem (problem);
          g_string_append_printf (out, "%d %s\n", problem->kind, problem->message);
          cf_hashlist_problem_free (problem);
        }
    }

  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == CF_HASHLIST_ERROR);
      FUZZ_CHECK (error->message != NULL && is_printable_utf8 (error->message));
      g_string_append_printf (out, "error %d %s\n", error->code, error->message);
    }

  g_string_append_printf (out, "format %d skipped %u\n", cf_hashlist_reader_get_format (reader),
                          cf_hashlist_reader_get_skipped (reader));
  return out;
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
  g_autoptr(GInputStream) whole = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GInputStream) choppy = choppy_stream_new (data, size);
  g_autoptr(GString) first = read_all (whole);
  g_autoptr(GString) second = read_all (choppy);

  FUZZ_CHECK (g_string_equal (first, second));
  return 0;
}
