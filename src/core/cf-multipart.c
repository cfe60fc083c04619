/* cf-multipart.c: a multipart/form-data body streamed from disk, of known length
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-multipart"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cf-multipart.h"

#define FALLBACK_FILENAME "upload.bin"
#define MAX_FILENAME_BYTES 200
/* A longer "extension" is most likely a dot inside the name, and keeping
 * it would leave almost nothing of the rest. */
#define MAX_EXTENSION_BYTES 32
/* 6 × 32 random bits: a body of any size we send will not contain it. */
#define BOUNDARY_RANDOM_WORDS 6

struct _CfMultipartStream
{
  GInputStream  parent_instance;

  GInputStream *content;
  goffset       content_size;

  char         *content_type;
  char         *preamble;
  gsize         preamble_len;
  char         *epilogue;
  gsize         epilogue_len;

  /* Bytes handed out so far, over all three segments. */
  goffset       position;
};

G_DEFINE_FINAL_TYPE (CfMultipartStream, cf_multipart_stream, G_TYPE_INPUT_STREAM)

typedef enum
{
  SEGMENT_PREAMBLE,
  SEGMENT_CONTENT,
  SEGMENT_EPILOGUE,
  SEGMENT_END,
} Segment;

static Segment
current_segment (CfMultipartStream *self)
{
  goffset content_end = (goffset) self->preamble_len + self->content_size;

  if (self->position < (goffset) self->preamble_len)
    return SEGMENT_PREAMBLE;
  if (self->position < content_end)
    return SEGMENT_CONTENT;
  if (self->position < content_end + (goffset) self->epilogue_len)
    return SEGMENT_EPILOGUE;
  return SEGMENT_END;
}

/* Serves the preamble or the epilogue, never both in one read: a short read
 * is always allowed, and it keeps each read inside a single segment. */
static gsize
read_fixed (CfMultipartStream *self,
            void              *buffer,
            gsize              count)
{
  const char *source;
  gsize length;
  gsize offset;
  gsize n;

  switch (current_segment (self))
    {
    case SEGMENT_PREAMBLE:
      source = self->preamble;
      length = self->preamble_len;
      offset = (gsize) self->position;
      break;

    case SEGMENT_EPILOGUE:
      source = self->epilogue;
      length = self->epilogue_len;
      offset = (gsize) (self->position - (goffset) self->preamble_len - self->content_size);
      break;

    case SEGMENT_END:
      return 0;

    case SEGMENT_CONTENT:
    default:
      g_assert_not_reached ();
    }

  n = MIN (count, length - offset);
  memcpy (buffer, source + offset, n);
  self->position += n;

  return n;
}

/* How much of a @count byte read may go to the content, so that a content
 * stream longer than announced is cut at content_size. */
static gsize
content_request (CfMultipartStream *self,
                 gsize              count)
{
  goffset remaining = (goffset) self->preamble_len + self->content_size - self->position;

  g_assert (remaining > 0);

  return (gsize) MIN ((goffset) count, remaining);
}

/* @n is what the content stream returned for a non-empty request. */
static gboolean
account_content_read (CfMultipartStream  *self,
                      gssize              n,
                      GError            **error)
{
  g_assert (n >= 0);

  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           _("The file got shorter while it was being uploaded. "
                             "Check it again once nothing is writing to it."));
      return FALSE;
    }

  self->position += n;

  return TRUE;
}

static gssize
cf_multipart_stream_read_fn (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  CfMultipartStream *self = CF_MULTIPART_STREAM (stream);
  gssize n;

  if (current_segment (self) != SEGMENT_CONTENT)
    return (gssize) read_fixed (self, buffer, count);

  n = g_input_stream_read (self->content, buffer, content_request (self, count),
                           cancellable, error);
  if (n < 0)
    return -1;
  if (!account_content_read (self, n, error))
    return -1;

  return n;
}

static void
on_content_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfMultipartStream *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0 || !account_content_read (self, n, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, n);
}

/* The content segment hands the read to the content stream's own async
 * read, so an async writer (libsoup) does not need a thread for our part. */
static void
cf_multipart_stream_read_async (GInputStream        *stream,
                                void                *buffer,
                                gsize                count,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  CfMultipartStream *self = CF_MULTIPART_STREAM (stream);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_multipart_stream_read_async);
  g_task_set_priority (task, io_priority);

  if (current_segment (self) != SEGMENT_CONTENT)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_task_return_int (task, (gssize) read_fixed (self, buffer, count));
      return;
    }

  g_input_stream_read_async (self->content, buffer, content_request (self, count),
                             io_priority, cancellable, on_content_read,
                             g_steal_pointer (&task));
}

static gssize
cf_multipart_stream_read_finish (GInputStream  *stream,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_multipart_stream_read_async,
                        -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
cf_multipart_stream_close_fn (GInputStream  *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  CfMultipartStream *self = CF_MULTIPART_STREAM (stream);

  return g_input_stream_close (self->content, cancellable, error);
}

static void
cf_multipart_stream_finalize (GObject *object)
{
  CfMultipartStream *self = CF_MULTIPART_STREAM (object);

  /* Released here rather than in dispose: GInputStream's dispose closes
   * the stream, which needs the content. */
  g_clear_object (&self->content);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->preamble, g_free);
  g_clear_pointer (&self->epilogue, g_free);

  G_OBJECT_CLASS (cf_multipart_stream_parent_class)->finalize (object);
}

static void
cf_multipart_stream_class_init (CfMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = cf_multipart_stream_finalize;

  stream_class->read_fn = cf_multipart_stream_read_fn;
  stream_class->read_async = cf_multipart_stream_read_async;
  stream_class->read_finish = cf_multipart_stream_read_finish;
  stream_class->close_fn = cf_multipart_stream_close_fn;
}

static void
cf_multipart_stream_init (CfMultipartStream *self)
{
}

static char *
make_boundary (void)
{
  GString *boundary = g_string_new ("CheckFirst-");

  for (guint i = 0; i < BOUNDARY_RANDOM_WORDS; i++)
    g_string_append_printf (boundary, "%08" G_GINT32_MODIFIER "x", g_random_int ());

  return g_string_free (boundary, FALSE);
}

/* A form field name goes inside quotes in the part's header. */
static gboolean
is_valid_field_name (const char *field_name)
{
  if (field_name == NULL || *field_name == '\0')
    return FALSE;

  for (const char *p = field_name; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == ';')
        return FALSE;
    }

  return TRUE;
}

GInputStream *
cf_multipart_stream_new (GInputStream *content,
                         goffset       content_size,
                         const char   *field_name,
                         const char   *filename)
{
  CfMultipartStream *self;
  g_autofree char *boundary = NULL;
  g_autofree char *safe_filename = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (content), NULL);
  g_return_val_if_fail (content_size >= 0, NULL);
  g_return_val_if_fail (is_valid_field_name (field_name), NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  self = g_object_new (CF_TYPE_MULTIPART_STREAM, NULL);
  self->content = g_object_ref (content);
  self->content_size = content_size;

  boundary = make_boundary ();
  safe_filename = cf_multipart_ascii_filename (filename);

  self->content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);
  self->preamble = g_strdup_printf ("--%s\r\n"
                                    "Content-Disposition: form-data; "
                                    "name=\"%s\"; filename=\"%s\"\r\n"
                                    "Content-Type: application/octet-stream\r\n"
                                    "\r\n",
                                    boundary, field_name, safe_filename);
  self->preamble_len = strlen (self->preamble);
  self->epilogue = g_strdup_printf ("\r\n--%s--\r\n", boundary);
  self->epilogue_len = strlen (self->epilogue);

  return G_INPUT_STREAM (self);
}

goffset
cf_multipart_stream_get_length (CfMultipartStream *self)
{
  g_return_val_if_fail (CF_IS_MULTIPART_STREAM (self), -1);

  return (goffset) self->preamble_len + self->content_size + (goffset) self->epilogue_len;
}

const char *
cf_multipart_stream_get_content_type (CfMultipartStream *self)
{
  g_return_val_if_fail (CF_IS_MULTIPART_STREAM (self), NULL);

  return self->content_type;
}

/* Appends one ASCII character, or '_' for those that would break the quoted
 * header parameter or the header itself. */
static void
append_filename_char (GString  *out,
                      char      c,
                      gboolean *has_name)
{
  guchar u = (guchar) c;

  if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\' || c == ';' || c == '/')
    {
      g_string_append_c (out, '_');
      return;
    }

  g_string_append_c (out, c);
  if (c != '.' && c != ' ')
    *has_name = TRUE;
}

static void
append_filename_unichar (GString  *out,
                         gunichar  c,
                         gboolean *has_name)
{
  char utf8[8] = { 0 };
  g_autofree char *ascii = NULL;

  if (c < 0x80)
    {
      append_filename_char (out, (char) c, has_name);
      return;
    }

  g_unichar_to_utf8 (c, utf8);
  /* The "C" locale keeps the result the same whatever the user's locale;
   * what cannot be transliterated comes back as '?'. */
  ascii = g_str_to_ascii (utf8, "C");
  if (strchr (ascii, '?') != NULL)
    {
      g_string_append_c (out, '_');
      return;
    }

  for (const char *p = ascii; *p != '\0'; p++)
    append_filename_char (out, *p, has_name);
}

static void
trim_keeping_extension (GString *name)
{
  const char *dot;
  gsize extension_len = 0;
  gsize stem_len;

  if (name->len <= MAX_FILENAME_BYTES)
    return;

  dot = strrchr (name->str, '.');
  if (dot != NULL && dot != name->str)
    {
      extension_len = strlen (dot);
      if (extension_len > MAX_EXTENSION_BYTES)
        extension_len = 0;
    }

  stem_len = MAX_FILENAME_BYTES - extension_len;
  memmove (name->str + stem_len, name->str + name->len - extension_len, extension_len);
  g_string_truncate (name, MAX_FILENAME_BYTES);
}

char *
cf_multipart_ascii_filename (const char *name)
{
  g_autofree char *basename = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  g_autoptr(GString) out = NULL;
  gboolean has_name = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  basename = g_path_get_basename (name);
  /* File names are bytes; invalid sequences become U+FFFD, then '_'. */
  valid = g_utf8_make_valid (basename, -1);
  /* Composed, an accent and its letter transliterate together. */
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  g_assert (composed != NULL);

  out = g_string_new (NULL);
  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    append_filename_unichar (out, g_utf8_get_char (p), &has_name);

  if (!has_name)
    return g_strdup (FALLBACK_FILENAME);

  trim_keeping_extension (out);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
