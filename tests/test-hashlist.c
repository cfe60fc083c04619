/* test-hashlist.c: reading hash lists in every format, and surviving bad ones
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "cf-hashlist.h"

#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_TEST "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA256_TEST_UPPER "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
#define SHA1_EMPTY "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA1_TEST "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define MD5_TEST "098f6bcd4621d373cade4e832627b4f6"

/* For inputs with NUL bytes in them. */
#define BYTES(s) .input = s, .length = sizeof (s) - 1

typedef struct
{
  const char         *name;
  const char         *input;
  gsize               length;     /* 0: up to the NUL */
  const char * const *items;      /* as describe_item() writes them */
  const char * const *problems;
  const char         *error;      /* a part of the message, when parsing fails */
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
    "control-characters-escaped",
    "\x1b[2J\xe2\x80\xae" "exe.txt\n\xff\xfe\n",
    .items = (const char *[]) { NULL },
    .problems = (const char *[]) {
      "line 1: “\\x1b[2J\\u202Eexe.txt” is not an MD5, SHA-1 or SHA-256 hash",
      "line 2: “\\xff\\xfe” is not an MD5, SHA-1 or SHA-256 hash",
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
};

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

/* What every result must be, whatever the input. */
static void
assert_well_formed (GPtrArray *items,
                    GPtrArray *problems)
{
  for (guint i = 0; i < items->len; i++)
    {
      CfHashItem *item = g_ptr_array_index (items, i);
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

  for (guint i = 0; i < problems->len; i++)
    {
      CfHashlistProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (problem->line, >=, 1);
      g_assert_true (g_utf8_validate (problem->message, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (problem->message, -1), <, 400);
      for (const char *p = problem->message; *p != '\0'; p = g_utf8_next_char (p))
        g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
    }
}

static void
test_parse (gconstpointer data)
{
  const ParseCase *test = data;
  gsize length = test->length > 0 ? test->length : strlen (test->input);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  items = cf_hashlist_parse (test->input, length, &problems, &error);

  if (test->error != NULL)
    {
      g_assert_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID);
      g_assert_null (items);
      g_assert_null (problems);
      if (strstr (error->message, test->error) == NULL)
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

/* PowerShell 5 writes UTF-16 with a byte order mark, in either order. */
static void
test_utf16 (void)
{
  const char *text = "\ufeffsha1,path\r\n" SHA1_TEST ",caf\u00e9.exe\r\n";
  const char *charsets[] = { "UTF-16LE", "UTF-16BE" };

  for (guint i = 0; i < G_N_ELEMENTS (charsets); i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
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

static void
test_large_list (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
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
}

static void
test_large_json (void)
{
  g_autoptr(GString) input = g_string_new ("[\n");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (input,
                            "%s{\"hostIdentifier\":\"host-%u\",\"pid\":\"%u\","
                            "\"path\":\"/usr/bin/x\",\"sha256\":\"" SHA256_TEST "\"}\n",
                            i > 0 ? "," : "", i % 50, i);
  g_string_append (input, "]\n");

  items = cf_hashlist_parse (input->str, input->len, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 100000);
}

typedef struct
{
  const char *name;
  const char *unit;     /* repeated to make about a megabyte */
  const char *prefix;
  const char *suffix;
} HostileCase;

/* Inputs that break naive parsers: deep nesting, duplicate keys, endless
 * quotes and separators.  Each, half a megabyte long, must finish quickly,
 * whatever it yields. */
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
};

static void
test_hostile (gconstpointer data)
{
  const HostileCase *test = data;
  g_autoptr(GString) input = g_string_new (test->prefix);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gsize unit_length = test->unit[0] == '\0' ? 1 : strlen (test->unit);

  while (input->len < 512 * 1024)
    g_string_append_len (input, test->unit, unit_length);
  g_string_append (input, test->suffix);

  items = cf_hashlist_parse (input->str, input->len, &problems, &error);

  if (items != NULL)
    assert_well_formed (items, problems);
  else
    {
      g_assert_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* Random damage to good inputs, as a smoke test between fuzzing runs. */
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
      guint n_edits = g_test_rand_int_range (1, 8);

      g_string_append_len (input, seed->input, length);
      for (guint i = 0; i < n_edits; i++)
        {
          static const char interesting[] = "[]{}\",:\\\n\r\t #|()=*\0\xff\xef";
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
          g_assert_error (error, CF_HASHLIST_ERROR, CF_HASHLIST_ERROR_INVALID);
          g_assert_null (problems);
        }
    }
}

/* The fuzzer's seeds are worth keeping readable: each reads cleanly. */
static void
test_corpus (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "corpus", "hashlist", NULL);
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
      g_assert_cmpuint (items->len, >, 0);
      if (!g_str_has_prefix (name, "problems-"))
        g_assert_cmpuint (problems->len, ==, 0);
      n_files++;
    }

  g_assert_cmpuint (n_files, >=, 8);
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

  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/hashlist/hostile/%s", hostile_cases[i].name);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile);
    }

  g_test_add_func ("/cf/hashlist/kind-detect", test_kind_detect);
  g_test_add_func ("/cf/hashlist/utf16", test_utf16);
  g_test_add_func ("/cf/hashlist/problems-optional", test_problems_optional);
  g_test_add_func ("/cf/hashlist/large-list", test_large_list);
  g_test_add_func ("/cf/hashlist/large-json", test_large_json);
  g_test_add_func ("/cf/hashlist/mutations", test_mutations);
  g_test_add_func ("/cf/hashlist/corpus", test_corpus);

  return g_test_run ();
}
