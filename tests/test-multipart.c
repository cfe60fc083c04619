/* test-multipart.c: tests for the streamed multipart/form-data upload body
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cf-multipart.h"

#define LARGE_FILE_SIZE (50 * 1024 * 1024)

static char *tmp_dir;

/* Helpers */

static char *
boundary_of (GInputStream *stream)
{
  const char *content_type;
  const char *prefix = "multipart/form-data; boundary=";

  content_type = cf_multipart_stream_get_content_type (CF_MULTIPART_STREAM (stream));
  g_assert_true (g_str_has_prefix (content_type, prefix));

  return g_strdup (content_type + strlen (prefix));
}

static GBytes *
expected_body (const char *boundary,
               const char *filename,
               const void *content,
               gsize       content_len)
{
  GByteArray *body = g_byte_array_new ();
  g_autofree char *preamble = NULL;
  g_autofree char *epilogue = NULL;

  preamble = g_strconcat ("--", boundary, "\r\n",
                          "Content-Disposition: form-data; name=\"file\"; filename=\"",
                          filename, "\"\r\n",
                          "Content-Type: application/octet-stream\r\n",
                          "\r\n", NULL);
  epilogue = g_strconcat ("\r\n--", boundary, "--\r\n", NULL);

  g_byte_array_append (body, (const guint8 *) preamble, strlen (preamble));
  g_byte_array_append (body, content, content_len);
  g_byte_array_append (body, (const guint8 *) epilogue, strlen (epilogue));

  return g_byte_array_free_to_bytes (body);
}

static GInputStream *
memory_stream (const void *data,
               gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, len);

  return g_memory_input_stream_new_from_bytes (bytes);
}

/* A multipart stream over @len bytes of memory that announces @size. */
static GInputStream *
multipart_over (const void *data,
                gsize       len,
                goffset     size,
                const char *filename)
{
  g_autoptr(GInputStream) content = memory_stream (data, len);

  return cf_multipart_stream_new (content, size, "file", filename);
}

/* Reads @stream to its end with reads of @chunk bytes, synchronously. */
static GBytes *
read_all_sync (GInputStream  *stream,
               gsize          chunk,
               GError       **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (chunk);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_assert_cmpint (n, <=, chunk);
      g_byte_array_append (body, buffer, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

typedef struct
{
  GMainLoop  *loop;
  GByteArray *body;
  guint8     *buffer;
  gsize       chunk;
  GError     *error;
} AsyncRead;

static void
on_async_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRead *state = user_data;
  GInputStream *stream = G_INPUT_STREAM (source);
  gssize n;

  n = g_input_stream_read_finish (stream, result, &state->error);
  if (n <= 0)
    {
      g_main_loop_quit (state->loop);
      return;
    }

  g_assert_cmpint (n, <=, state->chunk);
  g_byte_array_append (state->body, state->buffer, n);
  g_input_stream_read_async (stream, state->buffer, state->chunk, G_PRIORITY_DEFAULT, NULL,
                             on_async_read, state);
}

/* The same with g_input_stream_read_async. */
static GBytes *
read_all_async (GInputStream  *stream,
                gsize          chunk,
                GError       **error)
{
  AsyncRead state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.body = g_byte_array_new ();
  state.buffer = g_malloc (chunk);
  state.chunk = chunk;

  g_input_stream_read_async (stream, state.buffer, chunk, G_PRIORITY_DEFAULT, NULL,
                             on_async_read, &state);
  g_main_loop_run (state.loop);

  g_main_loop_unref (state.loop);
  g_free (state.buffer);

  if (state.error != NULL)
    {
      g_propagate_error (error, state.error);
      g_byte_array_unref (state.body);
      return NULL;
    }

  return g_byte_array_free_to_bytes (state.body);
}

static void
assert_bytes_equal (GBytes *actual,
                    GBytes *expected)
{
  gsize actual_len, expected_len;
  const guint8 *actual_data = g_bytes_get_data (actual, &actual_len);
  const guint8 *expected_data = g_bytes_get_data (expected, &expected_len);

  g_assert_cmpmem (actual_data, actual_len, expected_data, expected_len);
}

/* A content stream that counts how it is read, to show that async reads of
 * the multipart stream reach the content's own read_async. */

#define TEST_TYPE_PROBE_STREAM (test_probe_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestProbeStream, test_probe_stream, TEST, PROBE_STREAM, GInputStream)

struct _TestProbeStream
{
  GInputStream  parent_instance;
  GInputStream *inner;
  guint         sync_reads;
  guint         async_reads;
};

G_DEFINE_FINAL_TYPE (TestProbeStream, test_probe_stream, G_TYPE_INPUT_STREAM)

static gssize
test_probe_stream_read_fn (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  TestProbeStream *self = TEST_PROBE_STREAM (stream);

  self->sync_reads++;
  return g_input_stream_read (self->inner, buffer, count, cancellable, error);
}

static void
test_probe_stream_read_async (GInputStream        *stream,
                              void                *buffer,
                              gsize                count,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  TestProbeStream *self = TEST_PROBE_STREAM (stream);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  gssize n;

  self->async_reads++;
  /* The inner stream is in memory: completing at once is honest. */
  n = g_input_stream_read (self->inner, buffer, count, cancellable, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static gssize
test_probe_stream_read_finish (GInputStream  *stream,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
test_probe_stream_finalize (GObject *object)
{
  g_clear_object (&TEST_PROBE_STREAM (object)->inner);
  G_OBJECT_CLASS (test_probe_stream_parent_class)->finalize (object);
}

static void
test_probe_stream_class_init (TestProbeStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_probe_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_probe_stream_read_fn;
  G_INPUT_STREAM_CLASS (klass)->read_async = test_probe_stream_read_async;
  G_INPUT_STREAM_CLASS (klass)->read_finish = test_probe_stream_read_finish;
}

static void
test_probe_stream_init (TestProbeStream *self)
{
}

static TestProbeStream *
test_probe_stream_new (GBytes *data)
{
  TestProbeStream *self = g_object_new (TEST_TYPE_PROBE_STREAM, NULL);

  self->inner = g_memory_input_stream_new_from_bytes (data);
  return self;
}

/* Deterministic bytes that do not repeat with any short period, and that
 * contain CR LF and "--" now and then like real files do. */
static void
fill_pseudo_random (guint8  *buffer,
                    gsize    len,
                    guint32 *state)
{
  for (gsize i = 0; i < len; i++)
    {
      *state ^= *state << 13;
      *state ^= *state >> 17;
      *state ^= *state << 5;
      buffer[i] = (guint8) (*state >> 24);
    }
}

static GBytes *
pseudo_random_bytes (gsize   len,
                     guint32 seed)
{
  guint8 *data = g_malloc (len);

  fill_pseudo_random (data, len, &seed);
  return g_bytes_new_take (data, len);
}

/* Tests of the stream */

static void
test_exact_body (void)
{
  static const char content[] = "hello\0world\r\n--not a boundary\r\n\xff";
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;

  stream = multipart_over (content, sizeof content - 1, sizeof content - 1,
                           "/some/folder/Résumé \"v2\".pdf");

  boundary = boundary_of (stream);
  g_assert_cmpuint (strlen (boundary), >=, 40);
  g_assert_cmpuint (strlen (boundary), <=, 70);
  for (const char *p = boundary; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-');

  expected = expected_body (boundary, "Resume _v2_.pdf", content, sizeof content - 1);
  g_assert_cmpint (cf_multipart_stream_get_length (CF_MULTIPART_STREAM (stream)), ==,
                   g_bytes_get_size (expected));

  /* 3-byte reads cross every segment boundary at some odd offset. */
  body = read_all_sync (stream, 3, &error);
  g_assert_no_error (error);
  assert_bytes_equal (body, expected);

  /* At the end it stays at the end. */
  g_clear_pointer (&body, g_bytes_unref);
  body = read_all_sync (stream, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
}

static void
test_boundary_is_random (void)
{
  g_autoptr(GInputStream) a = multipart_over ("", 0, 0, "a");
  g_autoptr(GInputStream) b = multipart_over ("", 0, 0, "a");
  g_autofree char *boundary_a = boundary_of (a);
  g_autofree char *boundary_b = boundary_of (b);

  g_assert_cmpstr (boundary_a, !=, boundary_b);
}

static void
test_length_matches (void)
{
  static const gsize sizes[] = { 0, 1, 2, 17, 4096, 100000 };
  static const gsize chunks[] = { 1, 7, 64, 4096, 1 << 20 };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (gsize c = 0; c < G_N_ELEMENTS (chunks); c++)
      {
        g_autoptr(GBytes) data = pseudo_random_bytes (sizes[s], 42 + s);
        g_autoptr(GInputStream) content = g_memory_input_stream_new_from_bytes (data);
        g_autoptr(GInputStream) stream = NULL;
        g_autoptr(GBytes) body = NULL;
        g_autoptr(GBytes) async_body = NULL;
        g_autoptr(GBytes) expected = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *boundary = NULL;

        stream = cf_multipart_stream_new (content, sizes[s], "file", "data.bin");
        boundary = boundary_of (stream);
        expected = expected_body (boundary, "data.bin", g_bytes_get_data (data, NULL), sizes[s]);

        body = read_all_sync (stream, chunks[c], &error);
        g_assert_no_error (error);
        g_assert_cmpint (cf_multipart_stream_get_length (CF_MULTIPART_STREAM (stream)), ==,
                         g_bytes_get_size (body));
        assert_bytes_equal (body, expected);

        /* The same body, read asynchronously. */
        g_clear_object (&stream);
        g_clear_object (&content);
        content = g_memory_input_stream_new_from_bytes (data);
        stream = cf_multipart_stream_new (content, sizes[s], "file", "data.bin");
        g_clear_pointer (&boundary, g_free);
        boundary = boundary_of (stream);
        g_clear_pointer (&expected, g_bytes_unref);
        expected = expected_body (boundary, "data.bin", g_bytes_get_data (data, NULL), sizes[s]);

        async_body = read_all_async (stream, chunks[c], &error);
        g_assert_no_error (error);
        assert_bytes_equal (async_body, expected);
      }
}

static void
test_async_uses_content_async (void)
{
  g_autoptr(GBytes) data = pseudo_random_bytes (300000, 7);
  g_autoptr(TestProbeStream) probe = test_probe_stream_new (data);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;

  stream = cf_multipart_stream_new (G_INPUT_STREAM (probe), 300000, "file", "probe.bin");
  boundary = boundary_of (stream);
  expected = expected_body (boundary, "probe.bin", g_bytes_get_data (data, NULL), 300000);

  body = read_all_async (stream, 8192, &error);
  g_assert_no_error (error);
  assert_bytes_equal (body, expected);

  g_assert_cmpuint (probe->async_reads, >=, 300000 / 8192);
  g_assert_cmpuint (probe->sync_reads, ==, 0);
}

static void
test_short_content (gconstpointer data)
{
  gboolean async = GPOINTER_TO_INT (data);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  stream = multipart_over ("0123456789", 10, 20, "short.txt");
  if (async)
    body = read_all_async (stream, 4, &error);
  else
    body = read_all_sync (stream, 4, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_null (body);
}

/* The bytes before the failure were the preamble and the ten content bytes,
 * and no epilogue: a receiver could never take it for a whole body. */
static void
test_short_content_stops_before_epilogue (void)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) produced = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *boundary = NULL;
  guint8 buffer[5];
  gssize n;
  gsize expected_len;

  stream = multipart_over ("0123456789", 10, 20, "short.txt");
  boundary = boundary_of (stream);
  expected = expected_body (boundary, "short.txt", "0123456789", 10);

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (produced, buffer, n);

  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);

  expected_len = g_bytes_get_size (expected) - strlen ("\r\n--") - strlen (boundary) - 4;
  g_assert_cmpmem (produced->data, produced->len, g_bytes_get_data (expected, NULL), expected_len);
}

static void
test_long_content (void)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;

  stream = multipart_over ("0123456789abcdefghij-and-more", 29, 20, "long.txt");
  boundary = boundary_of (stream);
  expected = expected_body (boundary, "long.txt", "0123456789abcdefghij", 20);

  body = read_all_sync (stream, 64, &error);
  g_assert_no_error (error);
  assert_bytes_equal (body, expected);
  g_assert_cmpint (cf_multipart_stream_get_length (CF_MULTIPART_STREAM (stream)), ==,
                   g_bytes_get_size (body));
}

static void
test_close_closes_content (void)
{
  g_autoptr(GInputStream) content = memory_stream ("abc", 3);
  g_autoptr(GInputStream) stream = cf_multipart_stream_new (content, 3, "file", "a");
  g_autoptr(GError) error = NULL;

  g_assert_false (g_input_stream_is_closed (content));
  g_input_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_input_stream_is_closed (content));
}

static char *large_file_path;
static char *large_file_sha256;

static void
ensure_large_file (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *chunk = NULL;
  g_autoptr(GError) error = NULL;
  guint32 state = 0x9e3779b9;
  FILE *file;

  if (large_file_path != NULL)
    return;

  large_file_path = g_build_filename (tmp_dir, "large.bin", NULL);
  file = g_fopen (large_file_path, "wb");
  g_assert_nonnull (file);

  /* Written in 1 MiB pieces: the test itself should not hold 50 MB either. */
  chunk = g_malloc (1024 * 1024);
  for (gsize written = 0; written < LARGE_FILE_SIZE; written += 1024 * 1024)
    {
      fill_pseudo_random (chunk, 1024 * 1024, &state);
      g_checksum_update (checksum, chunk, 1024 * 1024);
      g_assert_cmpuint (fwrite (chunk, 1, 1024 * 1024, file), ==, 1024 * 1024);
    }
  g_assert_cmpint (fclose (file), ==, 0);

  large_file_sha256 = g_strdup (g_checksum_get_string (checksum));
}

typedef struct
{
  gsize    chunk;
  gboolean async;
} LargeCase;

/* Hashes the content segment as it goes by and keeps only the little
 * around it, so neither the test nor the stream holds the file. */
typedef struct
{
  GChecksum  *checksum;
  GByteArray *head;
  GByteArray *tail;
  goffset     position;
  goffset     content_start;
  goffset     content_end;
} Splitter;

static void
splitter_feed (Splitter     *splitter,
               const guint8 *data,
               gsize         len)
{
  for (gsize i = 0; i < len;)
    {
      goffset at = splitter->position;
      gsize take;

      if (at < splitter->content_start)
        {
          take = MIN (len - i, (gsize) (splitter->content_start - at));
          g_byte_array_append (splitter->head, data + i, take);
        }
      else if (at < splitter->content_end)
        {
          take = MIN (len - i, (gsize) (splitter->content_end - at));
          g_checksum_update (splitter->checksum, data + i, take);
        }
      else
        {
          take = len - i;
          g_byte_array_append (splitter->tail, data + i, take);
        }

      i += take;
      splitter->position += take;
    }
}

typedef struct
{
  GMainLoop *loop;
  Splitter  *splitter;
  guint8    *buffer;
  gsize      chunk;
  GError    *error;
} LargeAsync;

static void
on_large_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LargeAsync *state = user_data;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &state->error);
  if (n <= 0)
    {
      g_main_loop_quit (state->loop);
      return;
    }

  splitter_feed (state->splitter, state->buffer, n);
  g_input_stream_read_async (G_INPUT_STREAM (source), state->buffer, state->chunk,
                             G_PRIORITY_DEFAULT, NULL, on_large_read, state);
}

static void
test_large_file (gconstpointer data)
{
  const LargeCase *test_case = data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) content = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  g_autoptr(GBytes) empty_body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;
  g_autofree guint8 *buffer = NULL;
  Splitter splitter = { 0 };
  gsize preamble_len, epilogue_len;

  ensure_large_file ();

  file = g_file_new_for_path (large_file_path);
  content = g_file_read (file, NULL, &error);
  g_assert_no_error (error);

  stream = cf_multipart_stream_new (G_INPUT_STREAM (content), LARGE_FILE_SIZE,
                                    "file", large_file_path);
  boundary = boundary_of (stream);
  /* The expected body of an empty file gives the exact frame around it. */
  empty_body = expected_body (boundary, "large.bin", "", 0);
  epilogue_len = strlen (boundary) + 8;
  preamble_len = g_bytes_get_size (empty_body) - epilogue_len;

  g_assert_cmpint (cf_multipart_stream_get_length (CF_MULTIPART_STREAM (stream)), ==,
                   (goffset) g_bytes_get_size (empty_body) + LARGE_FILE_SIZE);

  splitter.checksum = checksum;
  splitter.head = head;
  splitter.tail = tail;
  splitter.content_start = preamble_len;
  splitter.content_end = preamble_len + LARGE_FILE_SIZE;

  buffer = g_malloc (test_case->chunk);

  if (test_case->async)
    {
      LargeAsync state = { 0 };

      state.loop = g_main_loop_new (NULL, FALSE);
      state.splitter = &splitter;
      state.buffer = buffer;
      state.chunk = test_case->chunk;
      g_input_stream_read_async (stream, buffer, test_case->chunk, G_PRIORITY_DEFAULT, NULL,
                                 on_large_read, &state);
      g_main_loop_run (state.loop);
      g_main_loop_unref (state.loop);
      g_assert_no_error (state.error);
    }
  else
    {
      gssize n;

      while ((n = g_input_stream_read (stream, buffer, test_case->chunk, NULL, &error)) > 0)
        {
          g_assert_cmpint (n, <=, test_case->chunk);
          splitter_feed (&splitter, buffer, n);
        }
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 0);
    }

  g_assert_cmpint (splitter.position, ==,
                   cf_multipart_stream_get_length (CF_MULTIPART_STREAM (stream)));
  g_assert_cmpmem (head->data, head->len, g_bytes_get_data (empty_body, NULL), preamble_len);
  g_assert_cmpmem (tail->data, tail->len,
                   (const guint8 *) g_bytes_get_data (empty_body, NULL) + preamble_len,
                   epilogue_len);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, large_file_sha256);
}

/* Filenames */

typedef struct
{
  const char *id;
  const char *name;
  const char *expected;
} FilenameCase;

static const FilenameCase filename_cases[] = {
  { "plain", "report.pdf", "report.pdf" },
  { "path", "/home/someone/Downloads/report.pdf", "report.pdf" },
  { "accented", "Résumé.pdf", "Resume.pdf" },
  { "decomposed", "Re\xcc\x81sume\xcc\x81.pdf", "Resume.pdf" },
  { "sharp-s", "Straße.txt", "Strasse.txt" },
  { "cjk", "日本語のファイル.txt", "________.txt" },
  { "emoji", "😀 party.png", "_ party.png" },
  { "emoji-only", "😀", "upload.bin" },
  { "quotes", "say \"hi\".txt", "say _hi_.txt" },
  { "backslash", "back\\slash.txt", "back_slash.txt" },
  { "newline", "line\nbreak\r.txt", "line_break_.txt" },
  { "header-injection", "evil\r\nContent-Type: text-html.txt",
    "evil__Content-Type: text-html.txt" },
  { "semicolon", "a;b=c.txt", "a_b=c.txt" },
  { "tab", "tab\there", "tab_here" },
  { "delete", "del\x7f.txt", "del_.txt" },
  { "not-utf8", "caf\xe9.txt", "caf_.txt" },
  { "leading-dash", "-rf --no-preserve-root.sh", "-rf --no-preserve-root.sh" },
  { "empty", "", "upload.bin" },
  { "dot", ".", "upload.bin" },
  { "slash", "/", "upload.bin" },
  { "spaces", "   ", "upload.bin" },
  { "controls", "\n\r\t", "upload.bin" },
  { "hidden", ".bashrc", ".bashrc" },
};

static void
test_ascii_filename (gconstpointer data)
{
  const FilenameCase *test_case = data;
  g_autofree char *actual = cf_multipart_ascii_filename (test_case->name);

  g_assert_cmpstr (actual, ==, test_case->expected);
}

static void
test_ascii_filename_long (void)
{
  g_autofree char *stem = g_strnfill (300, 'a');
  g_autofree char *with_extension = g_strconcat (stem, ".pdf", NULL);
  g_autofree char *expected_stem = g_strnfill (196, 'a');
  g_autofree char *expected = g_strconcat (expected_stem, ".pdf", NULL);
  g_autofree char *actual = cf_multipart_ascii_filename (with_extension);
  g_autofree char *no_extension = cf_multipart_ascii_filename (stem);
  g_autoptr(GString) accented = g_string_new (NULL);
  g_autofree char *accented_actual = NULL;
  g_autofree char *long_extension = NULL;
  g_autofree char *long_extension_actual = NULL;

  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpuint (strlen (no_extension), ==, 200);
  g_assert_true (strspn (no_extension, "a") == 200);

  /* 300 two-byte characters: trimmed after transliteration, not inside a
   * character. */
  for (guint i = 0; i < 300; i++)
    g_string_append (accented, "é");
  g_string_append (accented, ".pdf");
  accented_actual = cf_multipart_ascii_filename (accented->str);
  g_assert_cmpuint (strlen (accented_actual), ==, 200);
  g_assert_true (g_str_has_suffix (accented_actual, "e.pdf"));
  g_assert_true (strspn (accented_actual, "e") == 196);

  /* A "extension" that long is not one; the name is cut plainly. */
  long_extension = g_strconcat ("x.", stem, NULL);
  long_extension_actual = cf_multipart_ascii_filename (long_extension);
  g_assert_cmpuint (strlen (long_extension_actual), ==, 200);
  g_assert_true (g_str_has_prefix (long_extension_actual, "x.aaa"));
}

/* What every produced name has in common, whatever went in. */
static void
test_ascii_filename_is_safe (void)
{
  static const char *names[] = {
    "Ωμέγα.doc", "ﬁle.txt", "€uro", "\xff\xfe\xfd",
    "a\x01" "b", "x/../y", "..", "c:\\x.exe",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *actual = cf_multipart_ascii_filename (names[i]);

      g_assert_cmpuint (strlen (actual), >, 0);
      g_assert_cmpuint (strlen (actual), <=, 200);
      for (const char *p = actual; *p != '\0'; p++)
        {
          g_assert_cmpint ((guchar) *p, >=, 0x20);
          g_assert_cmpint ((guchar) *p, <, 0x7f);
          g_assert_null (strchr ("\"\\;/", *p));
        }
    }
}

/* libsoup end to end */

typedef struct
{
  GMutex        mutex;
  GCond         cond;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  char         *url;

  /* What the handler found, under the mutex. */
  guint         requests;
  char         *problem;
  guint         parts;
  char         *field_name;
  char         *filename;
  char         *part_type;
  GBytes       *part_body;
  goffset       content_length;
} TestServer;

static void
record_problem (TestServer *server,
                const char *problem)
{
  g_mutex_lock (&server->mutex);
  g_free (server->problem);
  server->problem = g_strdup (problem);
  g_mutex_unlock (&server->mutex);
}

static void
handle_upload (SoupServer        *soup_server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  SoupMultipart *multipart;
  SoupMessageHeaders *part_headers = NULL;
  GBytes *part_body = NULL;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      record_problem (server, "libsoup could not parse the body");
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }

  if (!soup_multipart_get_part (multipart, 0, &part_headers, &part_body) ||
      !soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
    {
      record_problem (server, "the first part has no Content-Disposition");
      soup_multipart_free (multipart);
      return;
    }

  g_mutex_lock (&server->mutex);
  server->requests++;
  server->parts = soup_multipart_get_length (multipart);
  server->field_name = g_strdup (g_hash_table_lookup (params, "name"));
  server->filename = g_strdup (g_hash_table_lookup (params, "filename"));
  server->part_type = g_strdup (soup_message_headers_get_content_type (part_headers, NULL));
  server->part_body = g_bytes_ref (part_body);
  server->content_length = soup_message_headers_get_content_length (headers);
  if (g_strcmp0 (disposition, "form-data") != 0)
    {
      g_free (server->problem);
      server->problem = g_strdup_printf ("disposition is %s", disposition);
    }
  g_mutex_unlock (&server->mutex);

  soup_multipart_free (multipart);
}

static gpointer
server_thread (gpointer user_data)
{
  TestServer *server = user_data;
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  soup_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (soup_server, "/upload", handle_upload, server, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (soup_server);
  g_assert_nonnull (uris);

  g_mutex_lock (&server->mutex);
  base = g_uri_to_string (uris->data);
  server->url = g_strconcat (base, "upload", NULL);
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);

  soup_server_disconnect (soup_server);
  g_clear_object (&soup_server);
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_main_context_pop_thread_default (server->context);

  return NULL;
}

static TestServer *
test_server_start (void)
{
  TestServer *server = g_new0 (TestServer, 1);

  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("test-server", server_thread, server);

  g_mutex_lock (&server->mutex);
  while (server->url == NULL)
    g_cond_wait (&server->cond, &server->mutex);
  g_mutex_unlock (&server->mutex);

  return server;
}

static void
test_server_stop (TestServer *server)
{
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);

  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server->url);
  g_free (server->problem);
  g_free (server->field_name);
  g_free (server->filename);
  g_free (server->part_type);
  g_clear_pointer (&server->part_body, g_bytes_unref);
  g_free (server);
}

typedef struct
{
  GMainLoop *loop;
  GBytes    *reply;
  GError    *error;
} SendState;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                    &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_soup_accepts (gconstpointer data)
{
  gboolean async = GPOINTER_TO_INT (data);
  TestServer *server = test_server_start ();
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GInputStream) content_stream = NULL;
  g_autoptr(TestProbeStream) probe = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CfMultipartStream *multipart;
  gsize content_len = 3 * 1024 * 1024 + 11;

  /* Loopback never goes through whatever proxy the machine has. */
  session = soup_session_new_with_options ("proxy-resolver", direct, NULL);

  /* A file on disk for the sync path, as in the app; a probe stream for the
   * async one, to see that libsoup's async write reads it asynchronously. */
  content = pseudo_random_bytes (content_len, 1234);
  if (async)
    {
      probe = test_probe_stream_new (content);
      content_stream = g_object_ref (G_INPUT_STREAM (probe));
    }
  else
    {
      g_autoptr(GFile) file = NULL;

      path = g_build_filename (tmp_dir, "upload.bin", NULL);
      g_file_set_contents (path, g_bytes_get_data (content, NULL), content_len, &error);
      g_assert_no_error (error);
      file = g_file_new_for_path (path);
      content_stream = G_INPUT_STREAM (g_file_read (file, NULL, &error));
      g_assert_no_error (error);
    }

  stream = cf_multipart_stream_new (content_stream, content_len, "file", "Résumé finale.pdf");
  multipart = CF_MULTIPART_STREAM (stream);

  msg = soup_message_new (SOUP_METHOD_POST, server->url);
  soup_message_set_request_body (msg, cf_multipart_stream_get_content_type (multipart), stream,
                                 cf_multipart_stream_get_length (multipart));

  if (async)
    {
      SendState state = { 0 };

      state.loop = g_main_loop_new (NULL, FALSE);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &state);
      g_main_loop_run (state.loop);
      g_main_loop_unref (state.loop);
      reply = state.reply;
      if (state.error != NULL)
        g_propagate_error (&error, state.error);
    }
  else
    {
      reply = soup_session_send_and_read (session, msg, NULL, &error);
    }

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  g_mutex_lock (&server->mutex);
  g_assert_cmpstr (server->problem, ==, NULL);
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_cmpuint (server->parts, ==, 1);
  g_assert_cmpstr (server->field_name, ==, "file");
  g_assert_cmpstr (server->filename, ==, "Resume finale.pdf");
  g_assert_cmpstr (server->part_type, ==, "application/octet-stream");
  g_assert_cmpint (server->content_length, ==, cf_multipart_stream_get_length (multipart));
  assert_bytes_equal (server->part_body, content);
  g_mutex_unlock (&server->mutex);

  if (async)
    {
      g_assert_cmpuint (probe->async_reads, >, 0);
      g_assert_cmpuint (probe->sync_reads, ==, 0);
    }

  /* The session's idle connection goes first, so the server can let go of
   * its end before it stops. */
  g_clear_object (&msg);
  g_clear_object (&session);
  test_server_stop (server);
  if (path != NULL)
    g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  static const LargeCase large_cases[] = {
    { 4096, FALSE },
    { 64 * 1024, FALSE },
    { 1024 * 1024, FALSE },
    { 64 * 1024, TRUE },
  };
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("cf-test-multipart-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cf/multipart/exact-body", test_exact_body);
  g_test_add_func ("/cf/multipart/boundary-is-random", test_boundary_is_random);
  g_test_add_func ("/cf/multipart/length-matches", test_length_matches);
  g_test_add_func ("/cf/multipart/async-uses-content-async", test_async_uses_content_async);
  g_test_add_data_func ("/cf/multipart/short-content/sync", GINT_TO_POINTER (FALSE),
                        test_short_content);
  g_test_add_data_func ("/cf/multipart/short-content/async", GINT_TO_POINTER (TRUE),
                        test_short_content);
  g_test_add_func ("/cf/multipart/short-content/no-epilogue",
                   test_short_content_stops_before_epilogue);
  g_test_add_func ("/cf/multipart/long-content", test_long_content);
  g_test_add_func ("/cf/multipart/close-closes-content", test_close_closes_content);

  g_test_add_data_func ("/cf/multipart/large-file/sync-4k", &large_cases[0], test_large_file);
  g_test_add_data_func ("/cf/multipart/large-file/sync-64k", &large_cases[1], test_large_file);
  g_test_add_data_func ("/cf/multipart/large-file/sync-1m", &large_cases[2], test_large_file);
  g_test_add_data_func ("/cf/multipart/large-file/async-64k", &large_cases[3], test_large_file);

  for (gsize i = 0; i < G_N_ELEMENTS (filename_cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/cf/multipart/ascii-filename/",
                                                filename_cases[i].id, NULL);

      g_test_add_data_func (test_path, &filename_cases[i], test_ascii_filename);
    }
  g_test_add_func ("/cf/multipart/ascii-filename/long", test_ascii_filename_long);
  g_test_add_func ("/cf/multipart/ascii-filename/always-safe", test_ascii_filename_is_safe);

  g_test_add_data_func ("/cf/multipart/soup/sync", GINT_TO_POINTER (FALSE), test_soup_accepts);
  g_test_add_data_func ("/cf/multipart/soup/async", GINT_TO_POINTER (TRUE), test_soup_accepts);

  ret = g_test_run ();

  if (large_file_path != NULL)
    g_remove (large_file_path);
  g_rmdir (tmp_dir);
  g_free (large_file_path);
  g_free (large_file_sha256);
  g_free (tmp_dir);

  return ret;
}
