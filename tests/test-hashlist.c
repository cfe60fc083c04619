/* test-hashlist.c: reading hash lists in every format, as a stream, and surviving bad ones
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cf-hashlist.h"
#include "cf-hashlist-private.h"

#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_TEST "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA256_TEST_UPPER "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
#define SHA1_EMPTY "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA1_TEST "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define MD5_TEST "098f6bcd4621d373cade4e832627b4f6"
/* SHA-224, SHA-384 and SHA-512 of "test" */
#define SHA224_TEST "90a3ed9e32b2aaf4c61c410eb925426119e1a9dc53d4286ade99a809"
#define SHA384_TEST "768412320f7b0aa5812fce428dc4706b3cae50e02a64caa16a782249bfe8efc4" \
                    "b7ef1ccb126255d196047dfedf17a0a9"
#define SHA512_TEST "ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db2" \
                    "7ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff"

/* Reading is linear: on average no byte is looked at more than this many
 * times by all scanning loops together.  The line or record reader looks at
 * each byte once.  A line is then offered to each shape it could have
 * (prompt, certutil, BSD tag, byte pairs, first word; in a transcript also
 * key-value, box and table header), each stopping at the first byte that
 * rules it out; a JSON record is counted, checked for UTF-8, scanned
 * strictly and parsed.  Real lists and hostile ones of long lines cost 5 to
 * 6 a byte; the worst is one-character lines, where every shape reads the
 * only byte (about 7).  Detection reads at most the first 64 KiB once more,
 * an eighth of the smallest input checked here.  10 leaves a margin; a
 * quadratic parser exceeds it a thousandfold at half a megabyte. */
#define WORK_PER_BYTE 10

/* Doubling an input may at most double its cost, give or take what does
 * not grow with it (detection's look-ahead). */
#define DOUBLING_FACTOR 2.2

/* For inputs with NUL bytes in them. */
#define BYTES(s) .input = s, .length = sizeof (s) - 1

/* A stream that returns at most @chunk bytes a read, or a random 1 to 7
 * when @chunk is 0, and can fail at its end: where the input is cut must
 * change nothing. */
typedef struct
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         offset;
  gsize         chunk;
  GRand        *rand;
  gboolean      fail_at_end;
} TrickleStream;

typedef GInputStreamClass TrickleStreamClass;

static GType trickle_stream_get_type (void);
G_DEFINE_TYPE (TrickleStream, trickle_stream, G_TYPE_INPUT_STREAM)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrickleStream, g_object_unref)

static gssize
trickle_stream_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  TrickleStream *self = (TrickleStream *) stream;
  gsize length;
  const guint8 *data = g_bytes_get_data (self->bytes, &length);
  gsize n = self->chunk > 0 ? self->chunk : (gsize) g_rand_int_range (self->rand, 1, 8);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  n = MIN (MIN (n, count), length - self->offset);
  if (n == 0 && self->fail_at_end)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the disk went away");
      return -1;
    }

  if (n > 0)
    memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return n;
}

static void
trickle_stream_finalize (GObject *object)
{
  TrickleStream *self = (TrickleStream *) object;

  g_bytes_unref (self->bytes);
  g_rand_free (self->rand);
  G_OBJECT_CLASS (trickle_stream_parent_class)->finalize (object);
}

static void
trickle_stream_class_init (TrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trickle_stream_finalize;
  klass->read_fn = trickle_stream_read;
}

static void
trickle_stream_init (TrickleStream *self)
{
}

static GInputStream *
trickle_stream_new (const char *data,
                    gsize       length,
                    gsize       chunk,
                    guint32     seed)
{
  TrickleStream *self = g_object_new (trickle_stream_get_type (), NULL);

  self->bytes = g_bytes_new (data, length);
  self->chunk = chunk;
  self->rand = g_rand_new_with_seed (seed);
  return G_INPUT_STREAM (self);
}

/* A stream that makes up @n_lines lines as it is read, so that a test can
 * feed a million of them without holding them. */
typedef void (*LineMaker) (GString *out,
                           guint64  index);

typedef struct
{
  GInputStream  parent_instance;
  LineMaker     make;
  guint64       n_lines;
  guint64       next;
  const char   *prefix;
  const char   *suffix;
  GString      *pending;
  gsize         offset;
} MakerStream;

typedef GInputStreamClass MakerStreamClass;

static GType maker_stream_get_type (void);
G_DEFINE_TYPE (MakerStream, maker_stream, G_TYPE_INPUT_STREAM)

static gssize
maker_stream_read (GInputStream  *stream,
                   void          *buffer,
                   gsize          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  MakerStream *self = (MakerStream *) stream;
  gsize n;

  if (self->offset == self->pending->len)
    {
      g_string_truncate (self->pending, 0);
      self->offset = 0;
      if (self->next == 0 && self->prefix != NULL)
        g_string_append (self->pending, self->prefix);
      while (self->pending->len < 4096 && self->next < self->n_lines)
        self->make (self->pending, self->next++);
      if (self->next == self->n_lines && self->suffix != NULL)
        {
          g_string_append (self->pending, self->suffix);
          self->suffix = NULL;
        }
    }

  n = MIN (count, self->pending->len - self->offset);
  memcpy (buffer, self->pending->str + self->offset, n);
  self->offset += n;
  return n;
}

static void
maker_stream_finalize (GObject *object)
{
  g_string_free (((MakerStream *) object)->pending, TRUE);
  G_OBJECT_CLASS (maker_stream_parent_class)->finalize (object);
}

static void
maker_stream_class_init (MakerStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maker_stream_finalize;
  klass->read_fn = maker_stream_read;
}

static void
maker_stream_init (MakerStream *self)
{
  self->pending = g_string_new (NULL);
}

static GInputStream *
maker_stream_new (LineMaker   make,
                  guint64     n_lines,
                  const char *prefix,
                  const char *suffix)
{
  MakerStream *self = g_object_new (maker_stream_get_type (), NULL);

  self->make = make;
  self->n_lines = n_lines;
  self->prefix = prefix;
  self->suffix = suffix;
  return G_INPUT_STREAM (self);
}

static char *
describe_item (const CfHashItem *item)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%u %s %s",
                          item->line, cf_hash_kind_to_string (item->kind), item->hash);
  if (item->path != NULL)
    g_string_append_printf (out, " path=%s", item->path);
  if (item->name != NULL)
    g_string_append_printf (out, " name=%s", item->name);
  if (item->host != NULL)
    g_string_append_printf (out, " host=%s", item->host);
  if (item->pid >= 0)
    g_string_append_printf (out, " pid=%" G_GINT64_FORMAT, item->pid);

  return g_string_free (out, FALSE);
}

/* "! line 3: …" for an invalid entry, "? line 3: …" for an unsupported hash. */
static char *
describe_problem (const CfHashlistProblem *problem)
{
  return g_strdup_printf ("%c %s",
                          problem->kind == CF_HASHLIST_PROBLEM_UNSUPPORTED ? '?' : '!',
                          problem->message);
}

/* What every result must be, whatever the input. */
static void
assert_item_well_formed (const CfHashItem *item)
{
  CfHashKind kind;

  g_assert_true (cf_hash_kind_detect (item->hash, &kind));
  g_assert_cmpint (kind, ==, item->kind);
  for (const char *p = item->hash; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));
  g_assert_cmpuint (item->line, >=, 1);
  g_assert_true (item->path == NULL ||
                 (*item->path != '\0' && g_utf8_validate (item->path, -1, NULL)));
  g_assert_true (item->name == NULL || g_utf8_validate (item->name, -1, NULL));
  g_assert_true (item->host == NULL || g_utf8_validate (item->host, -1, NULL));
  g_assert_cmpint (item->pid, >=, -1);
}

static void
assert_problem_well_formed (const CfHashlistProblem *problem)
{
  g_assert_cmpuint (problem->line, >=, 1);
  g_assert_true (problem->kind == CF_HASHLIST_PROBLEM_INVALID ||
                 problem->kind == CF_HASHLIST_PROBLEM_UNSUPPORTED);
  g_assert_true (g_utf8_validate (problem->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (problem->message, -1), <, 400);
  for (const char *p = problem->message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
assert_well_formed (GPtrArray *items,
                    GPtrArray *problems)
{
  for (guint i = 0; i < items->len; i++)
    assert_item_well_formed (g_ptr_array_index (items, i));
  for (guint i = 0; i < problems->len; i++)
    assert_problem_well_formed (g_ptr_array_index (problems, i));
}

/* Everything a reader gave, in order. */
typedef struct
{
  GPtrArray        *entries;   /* char *, as describe_*() write them; NULL when not kept */
  guint             n_items;
  guint             n_problems;
  CfHashlistFormat  format;
  guint             skipped;
  guint64           work;
  gsize             peak_buffer;
  guint             peak_queue;
  GError           *error;
} Reading;

static void
reading_free (Reading *reading)
{
  g_clear_pointer (&reading->entries, g_ptr_array_unref);
  g_clear_error (&reading->error);
  g_free (reading);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reading, reading_free)

static Reading *
read_stream (GInputStream *stream,
             gboolean      keep)
{
  g_autoptr(CfHashlistReader) reader = cf_hashlist_reader_new (stream);
  Reading *reading = g_new0 (Reading, 1);
  CfHashItem *item;
  CfHashlistProblem *problem;

  g_assert_cmpint (cf_hashlist_reader_get_format (reader), ==, CF_HASHLIST_FORMAT_UNKNOWN);
  if (keep)
    reading->entries = g_ptr_array_new_with_free_func (g_free);

  while (cf_hashlist_reader_next (reader, &item, &problem, NULL, &reading->error))
    {
      g_assert_true ((item == NULL) != (problem == NULL));
      if (item != NULL)
        {
          assert_item_well_formed (item);
          reading->n_items++;
          if (keep)
            g_ptr_array_add (reading->entries, describe_item (item));
          cf_hash_item_free (item);
        }
      else
        {
          assert_problem_well_formed (problem);
          reading->n_problems++;
          if (keep)
            g_ptr_array_add (reading->entries, describe_problem (problem));
          cf_hashlist_problem_free (problem);
        }
    }
  g_assert_null (item);
  g_assert_null (problem);

  /* The end, or the failure, stays. */
  if (reading->error == NULL)
    {
      g_assert_false (cf_hashlist_reader_next (reader, &item, &problem, NULL, NULL));
    }
  else
    {
      g_autoptr(GError) again = NULL;

      g_assert_false (cf_hashlist_reader_next (reader, &item, &problem, NULL, &again));
      g_assert_error (again, reading->error->domain, reading->error->code);
      g_assert_true (g_utf8_validate (reading->error->message, -1, NULL));
    }

  reading->format = cf_hashlist_reader_get_format (reader);
  reading->skipped = cf_hashlist_reader_get_skipped (reader);
  reading->work = cf_hashlist_reader_get_work (reader);
  reading->peak_buffer = cf_hashlist_reader_get_peak_buffer (reader);
  reading->peak_queue = cf_hashlist_reader_get_peak_queue (reader);
  return reading;
}

static Reading *
read_memory (const char *data,
             gsize       length,
             gboolean    keep)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, length, NULL);

  return read_stream (stream, keep);
}

static Reading *
read_trickle (const char *data,
              gsize       length,
              gsize       chunk,
              guint32     seed)
{
  g_autoptr(GInputStream) stream = trickle_stream_new (data, length, chunk, seed);

  return read_stream (stream, TRUE);
}

/* Two readings of one input, cut differently, must agree in everything. */
static void
assert_same_reading (const Reading *a,
                     const Reading *b)
{
  g_assert_cmpint (a->format, ==, b->format);
  g_assert_cmpuint (a->skipped, ==, b->skipped);
  g_assert_cmpuint (a->entries->len, ==, b->entries->len);
  for (guint i = 0; i < a->entries->len; i++)
    g_assert_cmpstr (a->entries->pdata[i], ==, b->entries->pdata[i]);
  if (a->error == NULL)
    g_assert_no_error (b->error);
  else
    {
      g_assert_error (b->error, a->error->domain, a->error->code);
      g_assert_cmpstr (a->error->message, ==, b->error->message);
    }
}

static void
assert_linear (const Reading *reading,
               gsize          length)
{
  g_test_message ("%" G_GUINT64_FORMAT " bytes looked at for %" G_GSIZE_FORMAT " (%.2f a byte)",
                  reading->work, length, (double) reading->work / MAX (length, 1));
  g_assert_cmpuint (reading->work, <=, (guint64) WORK_PER_BYTE * length);
}

/* cf_hashlist_parse() ------------------------------------------------------ */

typedef struct
{
  const char         *name;
  const char         *input;
  gsize               length;       /* 0: up to the NUL */
  const char * const *items;        /* as describe_item() writes them */
  const char * const *problems;
  const char         *error;        /* a part of the message, when parsing fails */
  gboolean            unrecognised; /* fails with CF_HASHLIST_ERROR_UNRECOGNISED */
} ParseCase;

static const ParseCase parse_cases[] = {
  {
    "empty", "",
    .items = (const char *[]) { NULL },
  },
  {
    "blank", "\n  \n\t\r\n",
    .items = (const char *[]) { NULL },
  },
  {
    "bare-sha256", SHA256_EMPTY "\n",
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, NULL },
  },
  {
    "mixed-lengths",
    MD5_EMPTY "\n" SHA1_EMPTY "\n" SHA256_TEST_UPPER "\n  " SHA256_EMPTY "  \n",
    .items = (const char *[]) {
      "1 md5 " MD5_EMPTY,
      "2 sha1 " SHA1_EMPTY,
      "3 sha256 " SHA256_TEST,
      "4 sha256 " SHA256_EMPTY,
      NULL,
    },
  },
  {
    "no-final-newline", SHA256_EMPTY "\n" MD5_TEST,
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, "2 md5 " MD5_TEST, NULL },
  },
  {
    "comments-and-blank-lines",
    "# collected on web-1\n\n   \n" SHA256_TEST "\n  # indented comment\n\n" MD5_TEST "\n\n",
    .items = (const char *[]) { "4 sha256 " SHA256_TEST, "7 md5 " MD5_TEST, NULL },
  },
  {
    "sha256sum-text",
    SHA256_EMPTY "  /usr/bin/true\n" SHA256_TEST "  report 2026 (final).txt\n"
    SHA256_TEST "   leading space\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_EMPTY " path=/usr/bin/true",
      "2 sha256 " SHA256_TEST " path=report 2026 (final).txt",
      "3 sha256 " SHA256_TEST " path= leading space",
      NULL,
    },
  },
  {
    "sha256sum-binary",
    SHA256_EMPTY " *C:/Tools/setup.exe\n" MD5_EMPTY " *empty\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_EMPTY " path=C:/Tools/setup.exe",
      "2 md5 " MD5_EMPTY " path=empty",
      NULL,
    },
  },
  {
    "sha256sum-escaped-name",
    "\\" SHA256_EMPTY "  two\\nlines\\\\and a backslash\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_EMPTY " path=two\nlines\\and a backslash",
      NULL,
    },
  },
  {
    "tab-separated-line", SHA1_TEST "\t/opt/x\n",
    .items = (const char *[]) { "1 sha1 " SHA1_TEST " path=/opt/x", NULL },
  },
  {
    "bsd",
    "SHA256 (/bin/ls) = " SHA256_TEST "\n"
    "MD5 (a (1) = b.txt) = " MD5_TEST "\n"
    "SHA1 (spaces at end ) = " SHA1_TEST "   \n"
    "\\SHA256 (new\\nline) = " SHA256_EMPTY "\n"
    "SHA2-256(openssl.bin)= " SHA256_EMPTY "\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST " path=/bin/ls",
      "2 md5 " MD5_TEST " path=a (1) = b.txt",
      "3 sha1 " SHA1_TEST " path=spaces at end ",
      "4 sha256 " SHA256_EMPTY " path=new\nline",
      "5 sha256 " SHA256_EMPTY " path=openssl.bin",
      NULL,
    },
  },
  {
    "invalid-hex",
    "xyz\n"
    SHA256_EMPTY "\n"
    "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  /x\n",
    .items = (const char *[]) { "2 sha256 " SHA256_EMPTY, NULL },
    .problems = (const char *[]) {
      "line 1: “xyz” is not an MD5, SHA-1 or SHA-256 hash",
      "line 3: “g3b0c44298fc1c149afbf4c8996fb92427ae41e4…” "
      "is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    "wrong-lengths",
    "d41d8cd98f00b204e9800998ecf8427\n"
    "d41d8cd98f00b204e9800998ecf8427e0\n"
    "SHA256 (x) = abc\n"
    "\n",
    .items = (const char *[]) { NULL },
    .problems = (const char *[]) {
      "line 1: “d41d8cd98f00b204e9800998ecf8427” is not an MD5, SHA-1 or SHA-256 hash",
      "line 2: “d41d8cd98f00b204e9800998ecf8427e0” is not an MD5, SHA-1 or SHA-256 hash",
      "line 3: “abc” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* Below a hash, so that the list is recognised as one. */
    "control-characters-escaped",
    SHA256_EMPTY "\n\x1b[2J\xe2\x80\xae" "exe.txt\n\xff\xfe\n",
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, NULL },
    .problems = (const char *[]) {
      "line 2: “\\x1b[2J\\u202Eexe.txt” is not an MD5, SHA-1 or SHA-256 hash",
      "line 3: “\\xff\\xfe” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    "crlf",
    "# header\r\n" SHA256_EMPTY "  a.txt\r\n\r\n" MD5_EMPTY "\r\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_EMPTY " path=a.txt",
      "4 md5 " MD5_EMPTY,
      NULL,
    },
  },
  {
    "utf8-bom", "\xef\xbb\xbf" SHA256_EMPTY "\n",
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, NULL },
  },
  {
    "invalid-utf8-path",
    SHA256_EMPTY "  caf\xe9-\xff.exe\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_EMPTY " path=caf\xef\xbf\xbd-\xef\xbf\xbd.exe",
      NULL,
    },
  },
  {
    "embedded-nul",
    BYTES (SHA256_EMPTY "  a\0b\n\0\0\n" MD5_EMPTY "\0\n"),
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY " path=a\xef\xbf\xbd" "b", NULL },
    .problems = (const char *[]) {
      "line 2: “\\x00\\x00” is not an MD5, SHA-1 or SHA-256 hash",
      "line 3: “" MD5_EMPTY "\\x00” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    "csv-quotes-and-host",
    "sha256,path,Host\n"
    SHA256_EMPTY ",\"C:\\Program Files\\a,b.exe\",desk-7\n"
    "\"" SHA256_TEST "\",\"say \"\"hi\"\".exe\",\n"
    SHA256_TEST ",,  laptop-2  \r\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_EMPTY " path=C:\\Program Files\\a,b.exe host=desk-7",
      "3 sha256 " SHA256_TEST " path=say \"hi\".exe",
      "4 sha256 " SHA256_TEST " host=laptop-2",
      NULL,
    },
  },
  {
    "csv-tab-separated",
    "path\tMD5\tpid\n/usr/bin/a b\t" MD5_TEST "\t42\n/x\t" MD5_EMPTY "\tnot-a-pid\n",
    .items = (const char *[]) {
      "2 md5 " MD5_TEST " path=/usr/bin/a b pid=42",
      "3 md5 " MD5_EMPTY " path=/x",
      NULL,
    },
  },
  {
    "csv-powershell",
    "#TYPE Microsoft.PowerShell.Commands.FileHashInfo\r\n"
    "\"Algorithm\",\"Hash\",\"Path\",\"PSComputerName\"\r\n"
    "\"SHA256\",\"" SHA256_TEST_UPPER "\",\"C:\\Windows\\notepad.exe\",\"WS-01\"\r\n",
    .items = (const char *[]) {
      "3 sha256 " SHA256_TEST " path=C:\\Windows\\notepad.exe host=WS-01",
      NULL,
    },
  },
  {
    "csv-strongest-hash",
    "md5,sha1,sha256,path\n"
    MD5_TEST "," SHA1_TEST ",," "/a\n"
    MD5_TEST ",," "not-hex," "/b\n"
    MD5_TEST "," SHA1_TEST "," SHA256_TEST ",/c\n",
    .items = (const char *[]) {
      "2 sha1 " SHA1_TEST " path=/a",
      "3 md5 " MD5_TEST " path=/b",
      "4 sha256 " SHA256_TEST " path=/c",
      NULL,
    },
  },
  {
    "csv-bad-rows",
    "sha256,path\nxyz,/a\n,/b\n\"" SHA256_EMPTY ",/c\n",
    .items = (const char *[]) { NULL },
    .problems = (const char *[]) {
      "line 2: “xyz” is not an MD5, SHA-1 or SHA-256 hash",
      "line 3: no MD5, SHA-1 or SHA-256 hash",
      "line 4: a quoted value is never closed",
      NULL,
    },
  },
  {
    "csv-concatenated",
    "host,sha256\nweb-1," SHA256_EMPTY "\n,\n\nhost,sha256\nweb-2," SHA256_TEST "\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_EMPTY " host=web-1",
      "6 sha256 " SHA256_TEST " host=web-2",
      NULL,
    },
  },
  {
    "csv-multiline-value",
    "sha256,path\n" SHA256_EMPTY ",\"two\nlines\"\n" SHA256_TEST ",next\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_EMPTY " path=two\nlines",
      "4 sha256 " SHA256_TEST " path=next",
      NULL,
    },
  },
  {
    "csv-one-column", "SHA256\n" SHA256_EMPTY "\n\"" SHA256_TEST "\"\n",
    .items = (const char *[]) { "2 sha256 " SHA256_EMPTY, "3 sha256 " SHA256_TEST, NULL },
  },
  {
    "osqueryi-csv", "pid|name|path|sha256\n1|systemd|/usr/lib/systemd/systemd|" SHA256_TEST "\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_TEST " path=/usr/lib/systemd/systemd name=systemd pid=1",
      NULL,
    },
  },
  {
    "osqueryi-table",
    "+-----+---------+------------------------------------------------------------------+\n"
    "| pid | name    | sha256                                                           |\n"
    "+-----+---------+------------------------------------------------------------------+\n"
    "| 1   | systemd | " SHA256_TEST " |\n"
    "| 812 | nginx   | " SHA256_EMPTY " |\n"
    "+-----+---------+------------------------------------------------------------------+\n",
    .items = (const char *[]) {
      "4 sha256 " SHA256_TEST " name=systemd pid=1",
      "5 sha256 " SHA256_EMPTY " name=nginx pid=812",
      NULL,
    },
  },
  {
    /* osqueryi --json 'SELECT p.pid, p.name, p.path, h.sha256 FROM processes p
     * JOIN hash h ON p.path = h.path', with the host added by the collector. */
    "osquery-json",
    "[\n"
    "  {\"hostIdentifier\":\"web-1\",\"name\":\"nginx\",\"path\":\"/usr/sbin/nginx\","
    "\"pid\":\"812\",\"sha256\":\"" SHA256_TEST "\"},\n"
    "  {\"hostIdentifier\":\"web-1\",\"name\":\"bash\",\"path\":\"/usr/bin/bash\","
    "\"pid\":\"990\",\"sha256\":\"" SHA256_EMPTY "\"}\n"
    "]\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST " path=/usr/sbin/nginx name=nginx host=web-1 pid=812",
      "2 sha256 " SHA256_EMPTY " path=/usr/bin/bash name=bash host=web-1 pid=990",
      NULL,
    },
  },
  {
    "json-rows-and-problems",
    "[{\"pid\": 7, \"md5\": \"" MD5_TEST "\", \"hostname\": \"h\", \"PATH\": \"/a\"},"
    " {\"path\": \"/no/hash\", \"sha256\": \"\"},"
    " 42,"
    " {\"sha256\": \"zz\", \"sha1\": \"\"},"
    " {\"sha256\": \"" SHA256_TEST "\", \"md5\": \"" MD5_TEST "\", \"pid\": -3, \"name\": null},"
    " {\"Hash\": \"" SHA1_TEST "\", \"pid\": 1.0e2}]",
    .items = (const char *[]) {
      "1 md5 " MD5_TEST " path=/a host=h pid=7",
      "5 sha256 " SHA256_TEST,
      "6 sha1 " SHA1_TEST " pid=100",
      NULL,
    },
    .problems = (const char *[]) {
      "row 2: no MD5, SHA-1 or SHA-256 hash",
      "row 3: not an object with fields",
      "row 4: “zz” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    "json-object-with-rows",
    "{\"host\": \"db-3\", \"data\": [{\"sha256\": \"" SHA256_TEST "\"},"
    " {\"sha256\": \"" SHA256_EMPTY "\", \"host\": \"db-4\"}]}",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST " host=db-3",
      "2 sha256 " SHA256_EMPTY " host=db-4",
      NULL,
    },
  },
  {
    "json-single-row", "\n\n  {\"sha1\": \"" SHA1_TEST "\"}",
    .items = (const char *[]) { "3 sha1 " SHA1_TEST, NULL },
  },
  {
    "osqueryd-results-log",
    "{\"name\":\"pack_hashes\",\"hostIdentifier\":\"web-1\","
    "\"columns\":{\"path\":\"/usr/sbin/nginx\","
    "\"sha256\":\"" SHA256_TEST "\"},\"action\":\"added\"}\n"
    "{\"name\":\"pack_hashes\",\"decorations\":{\"hostname\":\"web-2\"},\"snapshot\":["
    "{\"sha256\":\"" SHA256_EMPTY "\"},{\"md5\":\"" MD5_TEST "\",\"host\":\"other\"}],"
    "\"action\":\"snapshot\"}\n"
    "{\"name\":\"pack_hashes\",\"hostIdentifier\":\"web-3\",\"columns\":{\"sha256\":\"9f86d08\n"
    "{\"columns\":{\"sha1\":\"" SHA1_TEST "\"},\"host_identifier\":\"web-4\"}\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST " path=/usr/sbin/nginx host=web-1",
      "1 sha256 " SHA256_EMPTY " host=web-2",
      "2 md5 " MD5_TEST " host=other",
      "4 sha1 " SHA1_TEST " host=web-4",
      NULL,
    },
    .problems = (const char *[]) {
      "line 3: not valid JSON at column 76: a control character inside a string",
      NULL,
    },
  },
  {
    "json-concatenated-arrays",
    "[{\"sha256\":\"" SHA256_TEST "\"}]\n[\n  {\"sha256\":\"" SHA256_EMPTY "\"}\n]\n",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST,
      "2 sha256 " SHA256_EMPTY,
      NULL,
    },
  },
  {
    "json-line-numbers-after-a-broken-value",
    "[\n  {\"sha256\":\"" SHA256_TEST "\"}\n]\n{\"a\" 1}\n{\"md5\":\"" MD5_TEST "\"}\n"
    "{\"path\":\"\\ud800\",\"sha1\":\"" SHA1_TEST "\"}\n{\"sha1\":\"" SHA1_TEST "\"}",
    .items = (const char *[]) {
      "1 sha256 " SHA256_TEST,
      "5 md5 " MD5_TEST,
      "7 sha1 " SHA1_TEST,
      NULL,
    },
    .problems = (const char *[]) {
      "line 4: not valid JSON at column 6: expected “:”",
      /* A lone surrogate never reaches json-glib, which leaks on it. */
      "line 6: not valid JSON at column 10: a bad \\u escape",
      NULL,
    },
  },
  {
    "json-empty-array", " [ ] ",
    .items = (const char *[]) { NULL },
  },
  {
    "json-bom-and-invalid-utf8",
    "\xef\xbb\xbf[{\"sha256\":\"" SHA256_TEST "\",\"path\":\"C:\\\\caf\xe9.exe\"}]",
    .items = (const char *[]) { "1 sha256 " SHA256_TEST " path=C:\\caf\xef\xbf\xbd.exe", NULL },
  },
  {
    "json-invalid",
    "[\n  {\"sha256\": \"" SHA256_TEST "\",\n   \"path\" \"/x\"}\n]",
    .error = "line 3, column 11: expected “:”",
  },
  {
    "json-truncated", "[{\"sha256\": \"" SHA256_TEST "\"",
    .error = "line 1, column 79: the data ends too early",
  },
  {
    "json-comments-refused", "[/* osquery */ {\"sha256\": \"" SHA256_TEST "\"}]",
    .error = "line 1, column 2: unexpected “/”",
  },
  {
    "json-nul", BYTES ("[\0]"),
    .error = "line 1, column 2: unexpected “\xef\xbf\xbd”",
  },
  {
    "utf16-odd-length", BYTES ("\xff\xfe" "a\0b"),
    .error = "UTF-16",
  },
  /* Added with the streaming reader. */
  {
    /* Nothing like a hash anywhere: one clear error, not a problem a line. */
    "no-hash-at-all", "xyz\nHello, world.\n\x1b[2J\n",
    .unrecognised = TRUE,
  },
  {
    "only-comments", "# nothing collected yet\n\n# still nothing\n",
    .items = (const char *[]) { NULL },
  },
  {
    /* A list someone typed is read strictly: prose in it is reported. */
    "list-prose-reported", SHA256_EMPTY "\nnot a hash at all\n",
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, NULL },
    .problems = (const char *[]) {
      "line 2: “not” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* A prompt makes it a transcript: prose and commands are passed over
     * (even one quoting a hash), a line that looks like a hash is not. */
    "transcript-prose-skipped",
    "$ sha256sum a b\n" SHA256_EMPTY "  a\nsha256sum: b: No such file or directory\n"
    "$ echo " SHA256_TEST "\n" SHA256_TEST "\nd41d8cd98f00b204e9800998ecf8427\n",
    .items = (const char *[]) { "2 sha256 " SHA256_EMPTY " path=a", "5 sha256 " SHA256_TEST, NULL },
    .problems = (const char *[]) {
      "line 6: “d41d8cd98f00b204e9800998ecf8427” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* sha224sum, sha384sum, sha512sum: real hashes, of no use to VirusTotal. */
    "unsupported-lengths",
    SHA256_EMPTY "\n" SHA224_TEST "  a\n" SHA384_TEST "\n" SHA512_TEST "  b\n",
    .items = (const char *[]) { "1 sha256 " SHA256_EMPTY, NULL },
    .problems = (const char *[]) {
      "line 2: “90a3ed9e32b2aaf4c61c410eb925426119e1a9dc…” (a 224-bit hash) cannot be looked up: "
      "VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "line 3: “768412320f7b0aa5812fce428dc4706b3cae50e0…” (a 384-bit hash) cannot be looked up: "
      "VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "line 4: “ee26b0dd4af7e749aa1a8ee3c10ae9923f618980…” (a 512-bit hash) cannot be looked up: "
      "VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      NULL,
    },
  },
  {
    /* A BSD tag is believed: an MD5-long value under SHA256 is no MD5; and
     * a tag that names no algorithm makes no BSD line. */
    "bsd-tag-believed",
    "SHA256 (a) = " MD5_EMPTY "\nSHA512 (b) = " SHA512_TEST "\nMD5 (c) = " MD5_TEST "\n"
    "Total (all files) = 3\n",
    .items = (const char *[]) { "3 md5 " MD5_TEST " path=c", NULL },
    .problems = (const char *[]) {
      "line 1: “" MD5_EMPTY "” is not an MD5, SHA-1 or SHA-256 hash",
      "line 2: “ee26b0dd4af7e749aa1a8ee3c10ae9923f618980…” (SHA512) cannot be looked up: "
      "VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "line 4: “Total” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* certutil's byte pairs, one pair short of a SHA-1. */
    "certutil-pairs-wrong-count",
    "SHA1 hash of x:\nda 39 a3 ee 5e 6b 4b 0d 32 55 bf ef 95 60 18 90 af d8 07\n"
    "CertUtil: -hashfile command completed successfully.\n",
    .items = (const char *[]) { NULL },
    .problems = (const char *[]) {
      "line 2: “da39a3ee5e6b4b0d3255bfef95601890afd807” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* sha256sum -z: a name may hold a newline, and a record ends with NUL. */
    "sha256sum-z-inline", BYTES (SHA256_EMPTY "  a\nb\0" MD5_TEST " *c\\d\0"),
    .items = (const char *[]) {
      "1 sha256 " SHA256_EMPTY " path=a\nb",
      "2 md5 " MD5_TEST " path=c\\d",
      NULL,
    },
  },
  {
    /* Get-FileHash's Algorithm says what its Hash holds. */
    "csv-algorithm-column",
    "Algorithm,Hash,Path\nRIPEMD160," SHA1_TEST ",/x\nSHA1," SHA1_TEST ",/y\nSHA256," SHA1_TEST ",/z\n",
    .items = (const char *[]) { "3 sha1 " SHA1_TEST " path=/y", NULL },
    .problems = (const char *[]) {
      "line 2: “" SHA1_TEST "” (RIPEMD160) cannot be looked up: "
      "VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "line 4: “" SHA1_TEST "” is not an MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    /* Velociraptor: a null Hash is a directory; the strongest hash wins. */
    "json-hash-null",
    "[{\"OSPath\":\"/d\",\"Hash\":null},"
    "{\"OSPath\":\"/f\",\"Hash\":{\"MD5\":\"" MD5_TEST "\",\"SHA1\":\"" SHA1_TEST "\"}}]",
    .items = (const char *[]) { "2 sha1 " SHA1_TEST " path=/f", NULL },
  },
  {
    /* A broken element of an array spoils neither the others nor their numbers. */
    "json-array-broken-element-later",
    "[\n  {\"sha256\":\"" SHA256_TEST "\"},\n  {\"sha256\" \"x\"},\n  {\"md5\":\"" MD5_TEST "\"}\n]\n",
    .items = (const char *[]) { "1 sha256 " SHA256_TEST, "3 md5 " MD5_TEST, NULL },
    .problems = (const char *[]) {
      "line 3: not valid JSON at column 13: expected “:”",
      NULL,
    },
  },
  {
    "json-trailing-comma", "[{\"sha1\":\"" SHA1_TEST "\"},]",
    .items = (const char *[]) { "1 sha1 " SHA1_TEST, NULL },
    .problems = (const char *[]) {
      "line 1: not valid JSON at column 54: unexpected “]”",
      NULL,
    },
  },
  {
    /* Pasted without the blank lines between records. */
    "powershell-list-no-blank-lines",
    "Algorithm : SHA256\nHash      : " SHA256_TEST_UPPER "\nPath      : C:\\a\n"
    "Algorithm : MD5\nHash      : " MD5_TEST "\nPath      : C:\\b\n",
    .items = (const char *[]) {
      "2 sha256 " SHA256_TEST " path=C:\\a",
      "5 md5 " MD5_TEST " path=C:\\b",
      NULL,
    },
  },
  {
    /* A boxed table whose row has lost a cell. */
    "osqueryi-table-ragged",
    "+-----+--------+\n| pid | md5    |\n+-----+--------+\n| 1 |\n| 2   | " MD5_TEST " |\n",
    .items = (const char *[]) { "5 md5 " MD5_TEST " pid=2", NULL },
    .problems = (const char *[]) {
      "line 4: the cells of this row do not line up with the table’s header",
      NULL,
    },
  },
};

/* Through cf_hashlist_parse(), as the CLI reads; then again a byte a read,
 * which must give the same, in the same order. */
static void
test_parse (gconstpointer data)
{
  const ParseCase *test = data;
  gsize length = test->length > 0 ? test->length : strlen (test->input);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reading) whole = NULL;
  g_autoptr(Reading) trickled = NULL;
  guint n;

  items = cf_hashlist_parse (test->input, length, &problems, &error);

  whole = read_memory (test->input, length, TRUE);
  trickled = read_trickle (test->input, length, 1, 0);
  assert_same_reading (whole, trickled);

  if (test->error != NULL || test->unrecognised)
    {
      g_assert_error (error, CF_HASHLIST_ERROR,
                      test->unrecognised ? CF_HASHLIST_ERROR_UNRECOGNISED
                                         : CF_HASHLIST_ERROR_INVALID);
      g_assert_null (items);
      g_assert_null (problems);
      if (test->error != NULL && strstr (error->message, test->error) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, test->error);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_nonnull (problems);
  assert_well_formed (items, problems);

  for (n = 0; test->items[n] != NULL; n++)
    {
      g_autofree char *description = NULL;

      g_assert_cmpuint (n, <, items->len);
      description = describe_item (g_ptr_array_index (items, n));
      g_assert_cmpstr (description, ==, test->items[n]);
    }
  g_assert_cmpuint (items->len, ==, n);

  for (n = 0; test->problems != NULL && test->problems[n] != NULL; n++)
    {
      CfHashlistProblem *problem;

      g_assert_cmpuint (n, <, problems->len);
      problem = g_ptr_array_index (problems, n);
      g_assert_cmpstr (problem->message, ==, test->problems[n]);
      /* Only a real hash of another kind is merely unsupported. */
      g_assert_cmpint (problem->kind, ==,
                       strstr (problem->message, "cannot be looked up") != NULL
                       ? CF_HASHLIST_PROBLEM_UNSUPPORTED : CF_HASHLIST_PROBLEM_INVALID);
    }
  g_assert_cmpuint (problems->len, ==, n);
}

typedef struct
{
  const char *text;
  gboolean    valid;
  CfHashKind  kind;
} DetectCase;

static const DetectCase detect_cases[] = {
  { MD5_EMPTY, TRUE, CF_HASH_MD5 },
  { SHA1_EMPTY, TRUE, CF_HASH_SHA1 },
  { SHA256_EMPTY, TRUE, CF_HASH_SHA256 },
  { SHA256_TEST_UPPER, TRUE, CF_HASH_SHA256 },
  { "", FALSE, 0 },
  { "d41d8cd98f00b204e9800998ecf8427", FALSE, 0 },
  { MD5_EMPTY "0", FALSE, 0 },
  { MD5_EMPTY " ", FALSE, 0 },
  { " " MD5_EMPTY, FALSE, 0 },
  { "g41d8cd98f00b204e9800998ecf8427e", FALSE, 0 },
  { SHA256_EMPTY "00", FALSE, 0 },
};

static void
test_kind_detect (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (detect_cases); i++)
    {
      CfHashKind kind = 99;

      g_assert_cmpint (cf_hash_kind_detect (detect_cases[i].text, &kind), ==,
                       detect_cases[i].valid);
      if (detect_cases[i].valid)
        g_assert_cmpint (kind, ==, detect_cases[i].kind);
      else
        g_assert_cmpint (kind, ==, 99);
    }

  g_assert_false (cf_hash_kind_detect (NULL, NULL));
  g_assert_true (cf_hash_kind_detect (MD5_EMPTY, NULL));
  g_assert_cmpstr (cf_hash_kind_to_string (CF_HASH_MD5), ==, "md5");
  g_assert_cmpstr (cf_hash_kind_to_string (CF_HASH_SHA1), ==, "sha1");
  g_assert_cmpstr (cf_hash_kind_to_string (CF_HASH_SHA256), ==, "sha256");
}


/* PowerShell 5 writes UTF-16 with a byte order mark, in either order; it is
 * converted as it is read, however the stream is cut. */
static void
test_utf16 (void)
{
  const char *text = "\ufeffsha1,path\r\n" SHA1_TEST ",caf\u00e9.exe\r\n";
  const char *charsets[] = { "UTF-16LE", "UTF-16BE" };

  for (guint i = 0; i < G_N_ELEMENTS (charsets); i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Reading) trickled = NULL;
      g_autofree char *input = NULL;
      g_autofree char *description = NULL;
      gsize length;

      input = g_convert (text, -1, charsets[i], "UTF-8", NULL, &length, &error);
      g_assert_no_error (error);

      items = cf_hashlist_parse (input, length, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 1);
      description = describe_item (g_ptr_array_index (items, 0));
      g_assert_cmpstr (description, ==, "2 sha1 " SHA1_TEST " path=caf\u00e9.exe");

      trickled = read_trickle (input, length, 1, 0);
      g_assert_no_error (trickled->error);
      g_assert_cmpint (trickled->format, ==, CF_HASHLIST_FORMAT_CSV);
      g_assert_cmpuint (trickled->entries->len, ==, 1);
      g_assert_cmpstr (trickled->entries->pdata[0], ==, description);
    }
}

static void
test_problems_optional (void)
{
  const char *input = "xyz\n" SHA256_EMPTY "\n";
  g_autoptr(GPtrArray) items = cf_hashlist_parse (input, strlen (input), NULL, NULL);

  g_assert_cmpuint (items->len, ==, 1);

  /* Bad JSON without anyone asking for the error. */
  g_assert_null (cf_hashlist_parse ("[", 1, NULL, NULL));
}

/* The one message an input of no known format gets names the formats. */
static void
test_unrecognised (void)
{
  const char *input = "Dear team,\n\nplease find the hashes attached.\n";
  g_autoptr(Reading) reading = read_memory (input, strlen (input), TRUE);

  g_assert_error (reading->error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_UNRECOGNISED);
  g_assert_cmpuint (reading->entries->len, ==, 0);
  g_assert_true (g_str_has_prefix (reading->error->message,
                                   "The format of this list was not recognised; supported: "));
  for (CfHashlistFormat format = CF_HASHLIST_FORMAT_BARE;
       format <= CF_HASHLIST_FORMAT_VELOCIRAPTOR; format++)
    g_assert_nonnull (strstr (reading->error->message, cf_hashlist_format_to_string (format)));

  /* Empty is not unrecognised: it is a list of nothing. */
  {
    g_autoptr(Reading) empty = read_memory ("", 0, TRUE);
    g_autoptr(Reading) blank = read_memory ("\n\r\n \t\n", 6, TRUE);

    g_assert_no_error (empty->error);
    g_assert_cmpint (empty->format, ==, CF_HASHLIST_FORMAT_EMPTY);
    g_assert_cmpuint (empty->entries->len, ==, 0);
    g_assert_no_error (blank->error);
    g_assert_cmpint (blank->format, ==, CF_HASHLIST_FORMAT_EMPTY);
    g_assert_cmpuint (blank->skipped, ==, 3);
  }
}

/* A stream that fails, or a cancelled read, ends reading with its error,
 * after what could be read before it. */
static void
test_stream_errors (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  for (guint i = 0; i < 5000; i++)
    g_string_append (input, SHA256_EMPTY "  /x\n");

  {
    g_autoptr(TrickleStream) stream = (TrickleStream *) trickle_stream_new (input->str, input->len,
                                                                            4096, 0);
    g_autoptr(Reading) reading = NULL;

    stream->fail_at_end = TRUE;
    reading = read_stream (G_INPUT_STREAM (stream), FALSE);
    g_assert_error (reading->error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_cmpuint (reading->n_items, >, 0);
    g_assert_cmpuint (reading->n_items, <=, 5000);
  }

  {
    g_autoptr(GInputStream) stream = trickle_stream_new (input->str, input->len, 4096, 0);
    g_autoptr(CfHashlistReader) reader = cf_hashlist_reader_new (stream);
    CfHashItem *item;
    CfHashlistProblem *problem;

    while (cf_hashlist_reader_next (reader, &item, &problem, cancellable, &error))
      {
        g_assert_nonnull (item);
        cf_hash_item_free (item);
        if (++n_items == 10)
          g_cancellable_cancel (cancellable);
      }
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (n_items, <, 5000);
  }

  /* Broken UTF-16 is the list's fault, and says so. */
  {
    g_autoptr(Reading) reading = read_trickle ("\xff\xfe" "a\0" "\n\0\0\xd8", 7, 1, 0);

    g_assert_error (reading->error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID);
    g_assert_nonnull (strstr (reading->error->message, "UTF-16"));
  }
}

/* Each fixture in tests/corpus/hashlist: what its tool wrote, and exactly
 * what must be read from it. */
typedef struct
{
  const char         *file;
  CfHashlistFormat    format;
  guint               skipped;
  const char * const *entries;   /* items as describe_item(), problems as describe_problem() */
} FormatCase;

static const FormatCase format_cases[] = {
  {
    "sha256sum-z.bin", CF_HASHLIST_FORMAT_SUMS_NUL, 0,
    (const char *[]) {
      "1 sha256 a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa path=back\\slash.bin",
      "2 sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 path=empty",
      "3 sha256 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 path=new\nline.txt",
      "4 sha256 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 path=plain.txt",
      "5 sha256 594e519ae499312b29433b7dd8a97ff068defcba9755b6d5d00e84c524d67b06 path=sp ace (1).exe",
      NULL,
    },
  },
  {
    "md5sum.txt", CF_HASHLIST_FORMAT_SUMS, 0,
    (const char *[]) {
      "1 md5 415290769594460e2e485922904f345d path=back\\slash.bin",
      "2 md5 d41d8cd98f00b204e9800998ecf8427e path=empty",
      "3 md5 9dd4e461268c8034f5c8564e155c67a6 path=new\nline.txt",
      "4 md5 b1946ac92492d2347c6235b4d2611184 path=plain.txt",
      "5 md5 fbade9e36a3f36d3d676c1b808451dd7 path=sp ace (1).exe",
      NULL,
    },
  },
  {
    "sha1sum-tag.txt", CF_HASHLIST_FORMAT_BSD, 0,
    (const char *[]) {
      "1 sha1 95cb0bfd2977c761298d9624e4b4d4c72a39974a path=back\\slash.bin",
      "2 sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 path=empty",
      "3 sha1 11f6ad8ec52a2984abaafd7c3b516503785c2072 path=new\nline.txt",
      "4 sha1 f572d396fae9206628714fb2ce00f72e94f2258f path=plain.txt",
      "5 sha1 395df8f7c51f007019cb30201c49e884b46b92fa path=sp ace (1).exe",
      NULL,
    },
  },
  {
    "sha256sum-binary.txt", CF_HASHLIST_FORMAT_SUMS, 0,
    (const char *[]) {
      "1 sha256 a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa path=back\\slash.bin",
      "2 sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 path=empty",
      "3 sha256 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 path=new\nline.txt",
      "4 sha256 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 path=plain.txt",
      "5 sha256 594e519ae499312b29433b7dd8a97ff068defcba9755b6d5d00e84c524d67b06 path=sp ace (1).exe",
      NULL,
    },
  },
  {
    "certutil-win10.txt", CF_HASHLIST_FORMAT_CERTUTIL, 2,
    (const char *[]) {
      "2 sha256 499cf3973c308a15fa1f8fc4a27d53f781223618013ff1b9bef4fd087cefc16b path=C:\\Users\\ana\\Downloads\\putty-64bit-0.81-installer.msi",
      "5 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\System32\\notepad.exe",
      NULL,
    },
  },
  {
    "certutil-win7.txt", CF_HASHLIST_FORMAT_CERTUTIL, 2,
    (const char *[]) {
      "2 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\notepad.exe",
      "5 md5 a0f848942ce863cf53c0fa6cc684007d path=C:\\Users\\ana\\Desktop\\setup.exe",
      NULL,
    },
  },
  {
    "certutil-sha512.txt", CF_HASHLIST_FORMAT_CERTUTIL, 3,
    (const char *[]) {
      "? line 2: “cd714d8864b22e5b5e0f05576843058225ee4303…” (SHA512) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "? line 5: “4358b5009c67d0e31d7fbf1663fcd3bf” (MD4) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      "8 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=setup.exe",
      NULL,
    },
  },
  {
    "autorunsc.csv", CF_HASHLIST_FORMAT_AUTORUNS, 4,
    (const char *[]) {
      "3 sha256 6608195f089796a77b38fe0716e64ca0f2d1f326814f4afba5ba2ec7af319ac5 path=c:\\windows\\system32\\autochk.exe name=autocheck autochk *",
      "5 sha1 08d2872b6e1e7bc14bf7df6b6a4e57d52299f9a3 path=c:\\windows\\system32\\securityhealthsystray.exe name=SecurityHealth",
      "6 sha256 567781541aa1d043041ec08be14e1c519629784e3952d0d079ac87640242ba5e path=c:\\users\\ana\\appdata\\local\\microsoft\\onedrive\\onedrive.exe name=OneDrive",
      NULL,
    },
  },
  {
    "autorunsc-utf16.csv", CF_HASHLIST_FORMAT_AUTORUNS, 9,
    (const char *[]) {
      "8 sha256 6608195f089796a77b38fe0716e64ca0f2d1f326814f4afba5ba2ec7af319ac5 path=c:\\windows\\system32\\autochk.exe name=autocheck autochk *",
      "10 sha1 08d2872b6e1e7bc14bf7df6b6a4e57d52299f9a3 path=c:\\windows\\system32\\securityhealthsystray.exe name=SecurityHealth",
      "11 sha256 567781541aa1d043041ec08be14e1c519629784e3952d0d079ac87640242ba5e path=c:\\users\\ana\\appdata\\local\\microsoft\\onedrive\\onedrive.exe name=OneDrive",
      NULL,
    },
  },
  {
    "get-filehash-list.txt", CF_HASHLIST_FORMAT_POWERSHELL_LIST, 7,
    (const char *[]) {
      "4 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\Installers collected during the incident on the seventh of March\\vendor tools\\setup.exe",
      "9 sha256 b7b479e0123d49074fac95b0d264ab37897447a8c3b0ce7cf7ac655c0dc5a2c7 path=C:\\Windows\\System32\\notepad.exe",
      "? line 13: “CD714D8864B22E5B5E0F05576843058225EE4303…” (SHA512) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      NULL,
    },
  },
  {
    "get-filehash-table.txt", CF_HASHLIST_FORMAT_POWERSHELL_TABLE, 5,
    (const char *[]) {
      "4 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "5 sha256 fc66f021c67d064c1490a12b5a4d4d2f5167ca692a16ca12f1f3a4cda29a6fa9 path=C:\\Users\\ana\\Downloads\\a-very-long-installer-name-that-...",
      "6 md5 4358b5009c67d0e31d7fbf1663fcd3bf path=C:\\Users\\ana\\notes.txt",
      NULL,
    },
  },
  {
    "export-csv-type.csv", CF_HASHLIST_FORMAT_POWERSHELL_CSV, 2,
    (const char *[]) {
      "3 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "4 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\System32\\notepad.exe",
      "? line 5: “52BC17386A630C3E7BA63CC6F81175529D566E5A…” (SHA512) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      NULL,
    },
  },
  {
    "export-csv-utf16.csv", CF_HASHLIST_FORMAT_POWERSHELL_CSV, 1,
    (const char *[]) {
      "2 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "3 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\System32\\notepad.exe",
      "? line 4: “52BC17386A630C3E7BA63CC6F81175529D566E5A…” (SHA512) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      NULL,
    },
  },
  {
    "osqueryi-pretty.txt", CF_HASHLIST_FORMAT_OSQUERY_TABLE, 4,
    (const char *[]) {
      "4 sha256 e0031c189e34e10d9c202fa8d75f72d3296a239164fe6b07e7dc206c7b723d98 path=/usr/lib/systemd/systemd name=systemd pid=1",
      "5 sha256 8b51ac5ca03b0a599e3951a7825c5e6028b62a6c82c9565b3d6a3660d2c7fd00 path=/usr/sbin/sshd name=sshd pid=612",
      "6 sha256 b5c1fb2efc6d6b4674c2fdcc48ce01b43a3b7c03763c0c3355de0099ee0f8c73 path=/tmp/.x/a|b name=x|y pid=4711",
      "! line 7: no MD5, SHA-1 or SHA-256 hash",
      NULL,
    },
  },
  {
    "osqueryi-line.txt", CF_HASHLIST_FORMAT_OSQUERY_LINE, 3,
    (const char *[]) {
      "4 sha256 e0031c189e34e10d9c202fa8d75f72d3296a239164fe6b07e7dc206c7b723d98 path=/usr/lib/systemd/systemd name=systemd pid=1",
      "10 sha256 8b51ac5ca03b0a599e3951a7825c5e6028b62a6c82c9565b3d6a3660d2c7fd00 path=/usr/sbin/sshd name=sshd pid=612",
      "! line 15: no MD5, SHA-1 or SHA-256 hash",
      "20 sha1 02f919145acd5795f2be3b610280992c94482221 path=/usr/sbin/cron name=cron pid=77",
      NULL,
    },
  },
  {
    "osqueryd-differential.log", CF_HASHLIST_FORMAT_OSQUERYD_LOG, 0,
    (const char *[]) {
      "1 sha256 5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65 path=/usr/sbin/nginx name=nginx host=web-1 pid=812",
      "2 sha256 37d2b12d5d9abc2a364ef9448767ee03938e383c0284193477dc7618f4b7c6c2 path=/usr/bin/bash name=bash host=web-1 pid=990",
      "3 sha256 b5c1fb2efc6d6b4674c2fdcc48ce01b43a3b7c03763c0c3355de0099ee0f8c73 path=/tmp/.x/python3 name=python3 host=web-2 pid=4711",
      NULL,
    },
  },
  {
    "osqueryd-snapshot.log", CF_HASHLIST_FORMAT_OSQUERYD_LOG, 1,
    (const char *[]) {
      "1 sha256 37d2b12d5d9abc2a364ef9448767ee03938e383c0284193477dc7618f4b7c6c2 path=/usr/bin/bash host=db-3",
      "2 sha1 680254bad1d7ca0d65ec46aaa315d363abf6a50a path=/usr/bin/tar host=db-3",
      "3 sha256 4a70fe9aa6436e02c2dea340fbd1e352e4ef2d8ce6ca52ad25d4b95471fc8bf2 path=/usr/bin/zip host=db-4",
      NULL,
    },
  },
  {
    "osqueryd-batch.log", CF_HASHLIST_FORMAT_OSQUERYD_LOG, 0,
    (const char *[]) {
      "1 sha256 5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65 path=/usr/sbin/nginx host=web-1 pid=812",
      "2 sha256 b5c1fb2efc6d6b4674c2fdcc48ce01b43a3b7c03763c0c3355de0099ee0f8c73 path=/tmp/.x/python3 host=web-1 pid=4711",
      "3 sha256 37d2b12d5d9abc2a364ef9448767ee03938e383c0284193477dc7618f4b7c6c2 path=/usr/bin/bash host=web-1 pid=990",
      "4 sha256 e0031c189e34e10d9c202fa8d75f72d3296a239164fe6b07e7dc206c7b723d98 path=/sbin/init host=web-2 pid=1",
      NULL,
    },
  },
  {
    "velociraptor.json", CF_HASHLIST_FORMAT_VELOCIRAPTOR, 1,
    (const char *[]) {
      "1 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "2 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\System32\\notepad.exe name=notepad.exe",
      "4 sha256 499cf3973c308a15fa1f8fc4a27d53f781223618013ff1b9bef4fd087cefc16b name=putty.exe",
      NULL,
    },
  },
  {
    "velociraptor.jsonl", CF_HASHLIST_FORMAT_VELOCIRAPTOR, 1,
    (const char *[]) {
      "1 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "2 sha1 16cb4837483c4a7062e61819b036413c9ceb5e2f path=C:\\Windows\\System32\\notepad.exe name=notepad.exe",
      "4 sha256 499cf3973c308a15fa1f8fc4a27d53f781223618013ff1b9bef4fd087cefc16b name=putty.exe",
      NULL,
    },
  },
  {
    "transcript-bash.txt", CF_HASHLIST_FORMAT_TRANSCRIPT, 13,
    (const char *[]) {
      "2 sha256 90aebae315675cbf04612de4f7d5874850f48e0b8dd82becbeaa47ca93f5ebfb path=dist/app-1.2.tar.gz",
      "3 sha256 4a70fe9aa6436e02c2dea340fbd1e352e4ef2d8ce6ca52ad25d4b95471fc8bf2 path=dist/app-1.2.zip",
      "5 md5 db5570bf61464b46e2bde31ed61a7dc6 path=dist/app-1.2.tar.gz",
      "! line 10: “4a70fe9aa6436e02c2dea340fbd1e352e4ef2d8c…” is not an MD5, SHA-1 or SHA-256 hash",
      "13 sha256 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b path=/home/sam/secret.bin",
      "? line 18: “8980a73985c1a26e13a17c5a09a11c26d2f0fcec…” (a 512-bit hash) cannot be looked up: VirusTotal knows only MD5, SHA-1 and SHA-256 hashes",
      NULL,
    },
  },
  {
    "transcript-powershell.txt", CF_HASHLIST_FORMAT_TRANSCRIPT, 28,
    (const char *[]) {
      "10 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=C:\\Users\\ana\\Downloads\\setup.exe",
      "17 md5 4358b5009c67d0e31d7fbf1663fcd3bf path=C:\\Users\\ana\\notes.txt",
      "32 sha1 3add7b9612102f2a7dbe4ed4fe886e07e847c24d path=.\\notes.txt",
      NULL,
    },
  },
  {
    "transcript-cmd.txt", CF_HASHLIST_FORMAT_TRANSCRIPT, 11,
    (const char *[]) {
      "6 sha256 8fb6d5f37e8055ce720bd0b1d56587f88c0071f285966ba17e72b2b12672aa73 path=Downloads\\setup.exe",
      NULL,
    },
  },
};

static char *
corpus_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "corpus", "hashlist", name, NULL);
}

/* Read from a file stream, then a byte a read, then in random cuts: the
 * detected format, every entry in order and the count of skipped lines. */
static void
test_format (gconstpointer data)
{
  const FormatCase *test = data;
  g_autofree char *path = corpus_path (test->file);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);
  g_autoptr(Reading) reading = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint n;

  g_assert_no_error (error);
  reading = read_stream (G_INPUT_STREAM (stream), TRUE);
  g_assert_no_error (reading->error);

  for (n = 0; test->entries[n] != NULL; n++)
    {
      g_assert_cmpuint (n, <, reading->entries->len);
      g_assert_cmpstr (reading->entries->pdata[n], ==, test->entries[n]);
    }
  g_assert_cmpuint (reading->entries->len, ==, n);
  g_assert_cmpint (reading->format, ==, test->format);
  g_assert_cmpstr (cf_hashlist_format_to_string (reading->format), ==,
                   cf_hashlist_format_to_string (test->format));
  g_assert_cmpuint (reading->skipped, ==, test->skipped);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (guint seed = 0; seed < 3; seed++)
    {
      g_autoptr(Reading) trickled = read_trickle (contents, length, seed == 0 ? 1 : 0, seed);

      assert_same_reading (reading, trickled);
    }
}

static gboolean
is_format_fixture (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    if (g_str_equal (format_cases[i].file, name))
      return TRUE;
  return FALSE;
}

/* Every file there (the fuzzer's seeds too) reads cleanly; those without an
 * entry in format_cases must give hashes and, unless named problems-*, no
 * problems. */
static void
test_corpus (void)
{
  g_autofree char *folder = corpus_path (NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      items = cf_hashlist_parse (contents, length, &problems, &error);
      g_assert_no_error (error);
      assert_well_formed (items, problems);
      g_test_message ("%s: %u items, %u problems", name, items->len, problems->len);
      if (!is_format_fixture (name))
        {
          g_assert_cmpuint (items->len, >, 0);
          if (!g_str_has_prefix (name, "problems-"))
            g_assert_cmpuint (problems->len, ==, 0);
        }
      n_files++;
    }

  g_assert_cmpuint (n_files, >=, 8 + G_N_ELEMENTS (format_cases));
}

/* Large inputs --------------------------------------------------------------- */

static void
test_large_list (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reading) reading = NULL;
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < 100000; i++)
    {
      g_checksum_reset (checksum);
      g_checksum_update (checksum, (const guchar *) &i, sizeof i);
      g_string_append_printf (input, "%s  /srv/files/%u.bin\n",
                              g_checksum_get_string (checksum), i);
    }
  g_checksum_free (checksum);

  items = cf_hashlist_parse (input->str, input->len, &problems, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 100000);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (((CfHashItem *) g_ptr_array_index (items, 99999))->line, ==, 100000);
  g_assert_cmpstr (((CfHashItem *) g_ptr_array_index (items, 99999))->path, ==,
                   "/srv/files/99999.bin");

  reading = read_memory (input->str, input->len, FALSE);
  g_assert_cmpuint (reading->n_items, ==, 100000);
  g_assert_cmpint (reading->format, ==, CF_HASHLIST_FORMAT_SUMS);
  assert_linear (reading, input->len);
}

static void
test_large_json (void)
{
  g_autoptr(GString) input = g_string_new ("[\n");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reading) reading = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (input,
                            "%s{\"hostIdentifier\":\"host-%u\",\"pid\":\"%u\","
                            "\"path\":\"/usr/bin/x\",\"sha256\":\"" SHA256_TEST "\"}\n",
                            i > 0 ? "," : "", i % 50, i);
  g_string_append (input, "]\n");

  items = cf_hashlist_parse (input->str, input->len, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 100000);

  reading = read_memory (input->str, input->len, FALSE);
  g_assert_cmpuint (reading->n_items, ==, 100000);
  g_assert_cmpint (reading->format, ==, CF_HASHLIST_FORMAT_OSQUERY_JSON);
  assert_linear (reading, input->len);
}

static void
make_sum_line (GString *out,
               guint64  index)
{
  g_string_append_printf (out, "%064" G_GINT64_MODIFIER "x  /srv/files/%" G_GUINT64_FORMAT ".bin\n",
                          index, index);
}

static void
make_json_row (GString *out,
               guint64  index)
{
  g_string_append_printf (out, "%s{\"hostIdentifier\":\"h\",\"pid\":%" G_GUINT64_FORMAT ","
                          "\"sha1\":\"%040" G_GINT64_MODIFIER "x\"}\n",
                          index > 0 ? "," : "", index, index);
}

static void
make_csv_row (GString *out,
              guint64  index)
{
  g_string_append_printf (out, "\"/srv/%" G_GUINT64_FORMAT "\",%032" G_GINT64_MODIFIER "x\r\n",
                          index, index);
}

/* A million records, made as they are read: the reader holds the look-ahead
 * and a record, not the input, and hands each result out as it finds it.
 * json-glib takes some microseconds a row however small, so a million JSON
 * rows are for -m slow; what is held does not depend on how many there are. */
static void
test_memory_flat (void)
{
  static const struct
  {
    LineMaker         make;
    const char       *prefix;
    const char       *suffix;
    CfHashlistFormat  format;
    gboolean          slow;
  } inputs[] = {
    { make_sum_line, NULL, NULL, CF_HASHLIST_FORMAT_SUMS, FALSE },
    { make_json_row, "[\n", "]\n", CF_HASHLIST_FORMAT_OSQUERY_JSON, TRUE },
    { make_csv_row, "path,md5\r\n", NULL, CF_HASHLIST_FORMAT_CSV, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      guint64 n_lines = inputs[i].slow && !g_test_slow () ? 250000 : 1000000;
      g_autoptr(GInputStream) stream = maker_stream_new (inputs[i].make, n_lines,
                                                         inputs[i].prefix, inputs[i].suffix);
      g_autoptr(Reading) reading = read_stream (stream, FALSE);

      g_assert_no_error (reading->error);
      g_assert_cmpint (reading->format, ==, inputs[i].format);
      g_assert_cmpuint (reading->n_items, ==, n_lines);
      g_assert_cmpuint (reading->n_problems, ==, 0);
      g_test_message ("held at most %" G_GSIZE_FORMAT " bytes and %u results",
                      reading->peak_buffer, reading->peak_queue);
      g_assert_cmpuint (reading->peak_buffer, <=, CF_HASHLIST_LOOKAHEAD + 2 * CF_HASHLIST_CHUNK);
      g_assert_cmpuint (reading->peak_queue, <=, 2);
    }
}

/* One JSON value past the bound is skipped, without holding it, and the
 * values around it are read. */
static void
test_json_record_bound (void)
{
  g_autoptr(GString) input = g_string_new ("{\"sha1\":\"" SHA1_TEST "\"}\n{\"path\":\"");
  g_autoptr(Reading) reading = NULL;

  while (input->len < CF_HASHLIST_MAX_JSON_RECORD + 1024 * 1024)
    g_string_append (input, "aaaaaaaaaaaaaaaa");
  g_string_append (input, "\",\"md5\":\"" MD5_TEST "\"}\n{\"md5\":\"" MD5_EMPTY "\"}\n");

  reading = read_memory (input->str, input->len, TRUE);
  g_assert_no_error (reading->error);
  g_assert_cmpuint (reading->entries->len, ==, 3);
  g_assert_cmpstr (reading->entries->pdata[0], ==, "1 sha1 " SHA1_TEST);
  g_assert_cmpstr (reading->entries->pdata[1], ==, "! line 2: a JSON value larger than 8 MiB, skipped");
  g_assert_cmpstr (reading->entries->pdata[2], ==, "3 md5 " MD5_EMPTY);
  g_assert_cmpuint (reading->peak_buffer, <=, CF_HASHLIST_MAX_JSON_RECORD + 2 * CF_HASHLIST_CHUNK);
  assert_linear (reading, input->len);
}

/* Hostile inputs ------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *unit;     /* repeated to make the input */
  const char *prefix;
  const char *suffix;
} HostileCase;

/* Inputs that break naive parsers: deep nesting, duplicate keys, endless
 * quotes and separators, and for each format a record repeated without
 * end.  Each is read at half a megabyte and at a megabyte. */
static const HostileCase hostile_cases[] = {
  { "deep-arrays", "[", "", "" },
  { "deep-objects", "{\"a\":", "", "" },
  { "duplicate-keys", "\"k\":1,", "{\"k0\":1,", "\"z\":1}" },
  { "many-keys", "\"k\":1,\"l\":1,\"m\":1,\"n\":1,", "[{", "\"z\":1}]" },
  { "wide-array", "0,", "[", "0]" },
  { "values-on-one-line", "{}", "", "" },
  { "refused-values-on-one-line", "[\"\\ud800\"]", "", "" },
  { "ndjson", "{\"sha1\":\"" SHA1_TEST "\"}\n", "", "" },
  { "many-objects", "{},", "[", "{}]" },
  { "ndjson-broken", "{\"a\":\"\n", "", "" },
  { "long-string", "a", "[\"", "\"]" },
  { "escapes", "\\u0041", "[\"", "\"]" },
  { "comment", "*", "[/*", "" },
  { "csv-open-quote", "\"", "sha256,path\n", "" },
  { "csv-separators", ",", "sha256,path\n", "" },
  { "csv-short-lines", "a\n", "sha256,path\n", "" },
  { "csv-quoted-newlines", "\"\n\"", "sha256\n", "" },
  { "one-long-line", "a", "", "" },
  { "newlines", "\n", "", "" },
  { "bsd-parens", "(", "SHA256 ", ") = x" },
  { "bsd-equals", "= ", "MD5 (", "" },
  { "nul-bytes", "\0", "", "" },
  { "invalid-utf8", "\xff", "", "" },
  { "json-invalid-utf8", "\xc3", "[\"", "\"]" },
  { "hex", "abcdef", "", "" },
  { "table-borders", "+-", "| sha256 |\n", "" },
  /* Added with the streaming reader: inputs that are recognised first. */
  { "list-long-line", "a", SHA256_EMPTY "\n", "" },
  { "list-bad-lines", "zz" SHA256_EMPTY "\n", "", "" },
  { "transcript-prompts", "$ sha256sum x\n", SHA256_EMPTY "\n", "" },
  { "transcript-prose", "word ", "$ x\n" SHA256_EMPTY "\n", "" },
  { "certutil-headers", "SHA256 hash of x:\n", SHA256_EMPTY "\n", "" },
  { "certutil-pairs", "e3 ", SHA256_EMPTY "\n", "" },
  { "sums-nul", SHA256_EMPTY "  a\0", "", "" },
  { "powershell-continuations", "            x\n",
    "Algorithm : SHA256\nHash      : " SHA256_TEST "\nPath      : a\n", "" },
  { "powershell-list-blocks", "Path : x\nHash : " MD5_TEST "\n\n", "", "" },
  { "powershell-table-rows", "SHA256 " SHA256_TEST " x\n", "Algorithm Hash Path\n--------- ---- ----\n", "" },
  { "osquery-line-keys", "k = v\n", "sha256 = " SHA256_TEST "\n", "" },
  { "osquery-box-rows", "| 1 |\n", "+---+\n| md5 |\n+---+\n", "" },
  { "osquery-box-pipes", "|", "+---+\n| md5 |\n+---+\n| ", " |\n" },
  { "osqueryd-snapshot-rows", "{\"sha1\":\"" SHA1_TEST "\"},",
    "{\"hostIdentifier\":\"h\",\"snapshot\":[", "{}]}" },
  { "osqueryd-batch-rows", "{\"md5\":\"" MD5_TEST "\"},",
    "{\"hostIdentifier\":\"h\",\"diffResults\":{\"removed\":[", "{}]}}" },
  { "velociraptor-rows", "{\"OSPath\":\"/x\",\"Hash\":{\"MD5\":\"" MD5_TEST "\"}},", "[", "{}]" },
  { "json-broken-elements", "{\"a\" 1},\n", "[{\"md5\":\"" MD5_TEST "\"},\n", "{}]" },
  { "csv-autoruns-empty-rows", ",,,\n", "Entry Location,Image Path,MD5,SHA-256\n", "" },
  { "list-short-lines", "a\n", SHA256_EMPTY "\n", "" },
  { "transcript-short-lines", "a\n", "$ x\n" SHA256_EMPTY "\n", "" },
  { "table-short-lines", "|\n", "+---+\n| md5 |\n+---+\n", "" },
  { "csv-banner-then-rows", MD5_TEST ",x\n", "Autorunsc\n\nmd5,path\n", "" },
};

static GString *
make_hostile (const HostileCase *test,
              gsize              size)
{
  GString *input = g_string_new (test->prefix);
  gsize unit_length = test->unit[0] == '\0' ? 1 : strlen (test->unit);

  while (input->len < size)
    g_string_append_len (input, test->unit, unit_length);
  g_string_append (input, test->suffix);
  return input;
}

/* Whatever each yields, it is well-formed, it costs a bounded amount a
 * byte, and twice the input costs at most about twice as much. */
static void
test_hostile (gconstpointer data)
{
  const HostileCase *test = data;
  g_autoptr(GString) input = make_hostile (test, 512 * 1024);
  g_autoptr(GString) doubled = make_hostile (test, 1024 * 1024);
  g_autoptr(Reading) reading = NULL;
  g_autoptr(Reading) reading_doubled = NULL;

  /* read_stream() checks every entry and that a failure is a clean one. */
  reading = read_memory (input->str, input->len, FALSE);
  if (reading->error != NULL)
    g_assert_true (g_error_matches (reading->error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID) ||
                   g_error_matches (reading->error, CF_HASHLIST_ERROR,
                                    CF_HASHLIST_ERROR_UNRECOGNISED));
  reading_doubled = read_memory (doubled->str, doubled->len, FALSE);
  assert_linear (reading, input->len);
  assert_linear (reading_doubled, doubled->len);
  g_test_message ("doubled: %" G_GUINT64_FORMAT " then %" G_GUINT64_FORMAT " bytes looked at",
                  reading->work, reading_doubled->work);
  g_assert_cmpfloat ((double) reading_doubled->work, <=,
                     DOUBLING_FACTOR * MAX (reading->work, 1));
  g_assert_cmpuint (reading_doubled->peak_buffer, <=,
                    CF_HASHLIST_MAX_JSON_RECORD + 2 * CF_HASHLIST_CHUNK);
}

/* Random damage to good inputs, as a smoke test between fuzzing runs: read
 * whole and in random cuts, the result is well-formed and the same. */
static void
test_mutations (void)
{
  guint n_rounds = g_test_slow () ? 20000 : 2000;

  for (guint round = 0; round < n_rounds; round++)
    {
      const ParseCase *seed = &parse_cases[g_test_rand_int_range (0, G_N_ELEMENTS (parse_cases))];
      gsize length = seed->length > 0 ? seed->length : strlen (seed->input);
      g_autoptr(GString) input = g_string_sized_new (length + 8);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Reading) whole = NULL;
      g_autoptr(Reading) trickled = NULL;
      guint n_edits = g_test_rand_int_range (1, 8);

      g_string_append_len (input, seed->input, length);
      for (guint i = 0; i < n_edits; i++)
        {
          static const char interesting[] = "[]{}\",:\\\n\r\t #|()=*$>+-\0\xff\xef";
          guint position = input->len > 0 ? g_test_rand_int_range (0, input->len) : 0;
          char byte = g_test_rand_bit ()
                      ? interesting[g_test_rand_int_range (0, sizeof interesting)]
                      : (char) g_test_rand_int_range (0, 256);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              if (position < input->len)
                input->str[position] = byte;
              break;
            case 1:
              if (position < input->len)
                g_string_erase (input, position, 1);
              break;
            default:
              g_string_insert_c (input, position, byte);
              break;
            }
        }

      items = cf_hashlist_parse (input->str, input->len, &problems, &error);
      if (items != NULL)
        {
          g_assert_no_error (error);
          assert_well_formed (items, problems);
        }
      else
        {
          g_assert_true (g_error_matches (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID) ||
                         g_error_matches (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_UNRECOGNISED));
          g_assert_null (problems);
        }

      whole = read_memory (input->str, input->len, TRUE);
      trickled = read_trickle (input->str, input->len, 0, round);
      assert_same_reading (whole, trickled);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/hashlist/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }

  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *name = g_strdup (format_cases[i].file);
      g_autofree char *path = NULL;

      /* "certutil-win10.txt" is "certutil-win10"; "velociraptor.jsonl",
       * beside "velociraptor.json", is "velociraptor-jsonl". */
      if (g_str_has_suffix (name, ".jsonl"))
        *strrchr (name, '.') = '-';
      else
        *strrchr (name, '.') = '\0';
      path = g_strdup_printf ("/cf/hashlist/format/%s", name);
      g_test_add_data_func (path, &format_cases[i], test_format);
    }

  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/hashlist/hostile/%s", hostile_cases[i].name);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile);
    }

  g_test_add_func ("/cf/hashlist/kind-detect", test_kind_detect);
  g_test_add_func ("/cf/hashlist/utf16", test_utf16);
  g_test_add_func ("/cf/hashlist/problems-optional", test_problems_optional);
  g_test_add_func ("/cf/hashlist/unrecognised", test_unrecognised);
  g_test_add_func ("/cf/hashlist/stream-errors", test_stream_errors);
  g_test_add_func ("/cf/hashlist/large-list", test_large_list);
  g_test_add_func ("/cf/hashlist/large-json", test_large_json);
  g_test_add_func ("/cf/hashlist/memory-flat", test_memory_flat);
  g_test_add_func ("/cf/hashlist/json-record-bound", test_json_record_bound);
  g_test_add_func ("/cf/hashlist/mutations", test_mutations);
  g_test_add_func ("/cf/hashlist/corpus", test_corpus);

  return g_test_run ();
}
