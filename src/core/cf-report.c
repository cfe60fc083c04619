/* cf-report.c: a VirusTotal file report, parsed from the API's JSON
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is a pure function of the bytes it is given, so that a
 * fuzzer can drive it: any field may be missing or of the wrong type, and
 * nothing the server sends can make us crash.
 */

#define G_LOG_DOMAIN "check-first-report"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-report.h"
#include "cf-vt-error.h"

G_DEFINE_BOXED_TYPE (CfReport, cf_report, cf_report_ref, cf_report_unref)

typedef struct
{
  CfReport report;
  gatomicrefcount ref_count;
} CfReportReal;

static void
engine_result_free (gpointer data)
{
  CfEngineResult *engine = data;

  g_free (engine->engine);
  g_free (engine->category);
  g_free (engine->result);
  g_free (engine->version);
  g_free (engine->update);
  g_free (engine);
}

static void
sandbox_verdict_free (gpointer data)
{
  CfSandboxVerdict *sandbox = data;

  g_free (sandbox->sandbox);
  g_free (sandbox->category);
  g_strfreev (sandbox->classification);
  g_strfreev (sandbox->malware_names);
  g_free (sandbox);
}

CfReport *
cf_report_new (void)
{
  CfReportReal *real = g_new0 (CfReportReal, 1);

  g_atomic_ref_count_init (&real->ref_count);
  real->report.size = -1;
  real->report.times_submitted = -1;
  real->report.votes_harmless = -1;
  real->report.votes_malicious = -1;
  real->report.engines = g_ptr_array_new_with_free_func (engine_result_free);
  real->report.sandboxes = g_ptr_array_new_with_free_func (sandbox_verdict_free);

  return &real->report;
}

CfReport *
cf_report_ref (CfReport *report)
{
  CfReportReal *real = (CfReportReal *) report;

  g_return_val_if_fail (report != NULL, NULL);
  g_atomic_ref_count_inc (&real->ref_count);
  return report;
}

void
cf_report_unref (CfReport *report)
{
  CfReportReal *real = (CfReportReal *) report;

  g_return_if_fail (report != NULL);

  if (!g_atomic_ref_count_dec (&real->ref_count))
    return;

  g_free (report->sha256);
  g_free (report->sha1);
  g_free (report->md5);
  g_strfreev (report->names);
  g_free (report->meaningful_name);
  g_free (report->type_description);
  g_free (report->threat_label);
  g_free (report->threat_category);
  g_strfreev (report->threat_names);
  g_ptr_array_unref (report->engines);
  g_ptr_array_unref (report->sandboxes);
  g_free (real);
}

gint64
cf_stats_engines (const CfStats *stats)
{
  return stats->malicious + stats->suspicious + stats->undetected + stats->harmless;
}

/* No engine has an answer yet: what a file whose first analysis is still
 * running looks like.  That is "no results", never "clean". */
gboolean
cf_report_has_results (const CfReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return cf_stats_engines (&report->stats) > 0;
}

/* Whether @report proves to be about @hash (MD5, SHA-1 or SHA-256, by its
 * length): a reply is believed, and stored, only under a key it matches. */
gboolean
cf_report_is_about (const CfReport *report,
                    const char     *hash)
{
  const char *own;

  g_return_val_if_fail (report != NULL, FALSE);

  if (hash == NULL)
    return FALSE;
  switch (strlen (hash))
    {
    case 64:
      own = report->sha256;
      break;
    case 40:
      own = report->sha1;
      break;
    case 32:
      own = report->md5;
      break;
    default:
      return FALSE;
    }
  return own != NULL && g_ascii_strcasecmp (own, hash) == 0;
}

char *
cf_report_permalink (const char *sha256)
{
  return g_strdup_printf ("https://www.virustotal.com/gui/file/%s", sha256);
}

/* Typed accessors that accept anything and never warn. */

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
dup_string (JsonObject *object,
            const char *member)
{
  const char *value;

  if (object == NULL)
    return NULL;
  value = node_string (json_object_get_member (object, member));
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return NULL;
  return g_strdup (value);
}

static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node;
  GType type;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      if (d >= -9.2e18 && d <= 9.2e18)
        return (gint64) d;
    }
  return fallback;
}

/* A count of engines is never negative, and never more than a few hundred;
 * clamp what a hostile reply claims so that sums cannot overflow. */
static gint64
get_count (JsonObject *object,
           const char *member)
{
  return CLAMP (get_int (object, member, 0), 0, 100000);
}

static char *
dup_hex (JsonObject *object,
         const char *member,
         gsize       length)
{
  g_autofree char *value = dup_string (object, member);

  if (value == NULL || strlen (value) != length)
    return NULL;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (value[i]))
      return NULL;

  return g_ascii_strdown (value, -1);
}

static void
parse_stats (JsonObject *object,
             CfStats    *stats)
{
  stats->malicious = get_count (object, "malicious");
  stats->suspicious = get_count (object, "suspicious");
  stats->undetected = get_count (object, "undetected");
  stats->harmless = get_count (object, "harmless");
  stats->timeout = get_count (object, "timeout");
  stats->confirmed_timeout = get_count (object, "confirmed-timeout");
  stats->type_unsupported = get_count (object, "type-unsupported");
  stats->failure = get_count (object, "failure");
}

static int
category_rank (const char *category)
{
  if (g_strcmp0 (category, "malicious") == 0)
    return 0;
  if (g_strcmp0 (category, "suspicious") == 0)
    return 1;
  return 2;
}

static int
compare_engines (gconstpointer a,
                 gconstpointer b)
{
  const CfEngineResult *ea = *(const CfEngineResult **) a;
  const CfEngineResult *eb = *(const CfEngineResult **) b;
  int ra = category_rank (ea->category);
  int rb = category_rank (eb->category);

  if (ra != rb)
    return ra - rb;
  return g_ascii_strcasecmp (ea->engine, eb->engine);
}

/* The per-engine list counted by category, as the summary counts it. */
static void
count_engines (GPtrArray *engines,
               CfStats   *counted)
{
  memset (counted, 0, sizeof *counted);
  for (guint i = 0; i < engines->len; i++)
    {
      const CfEngineResult *engine = g_ptr_array_index (engines, i);
      const char *category = engine->category;

      if (g_str_equal (category, "malicious"))
        counted->malicious++;
      else if (g_str_equal (category, "suspicious"))
        counted->suspicious++;
      else if (g_str_equal (category, "undetected"))
        counted->undetected++;
      else if (g_str_equal (category, "harmless"))
        counted->harmless++;
      else if (g_str_equal (category, "timeout"))
        counted->timeout++;
      else if (g_str_equal (category, "confirmed-timeout"))
        counted->confirmed_timeout++;
      else if (g_str_equal (category, "type-unsupported"))
        counted->type_unsupported++;
      else if (g_str_equal (category, "failure"))
        counted->failure++;
    }
}

/* The summary and the engine list are two views of one analysis.  When
 * they disagree about what flagged the file, the worse one decides, whole,
 * so that its counts still add up; and the report says it disagreed. */
static void
reconcile_stats (CfReport *report)
{
  CfStats *counted = &report->listed_stats;

  report->stats = report->reported_stats;
  report->inconsistent = FALSE;
  count_engines (report->engines, counted);
  if (report->engines->len == 0)
    return;

  if (counted->malicious == report->reported_stats.malicious &&
      counted->suspicious == report->reported_stats.suspicious)
    return;

  report->inconsistent = TRUE;
  if (counted->malicious > report->reported_stats.malicious ||
      (counted->malicious == report->reported_stats.malicious &&
       counted->suspicious > report->reported_stats.suspicious))
    report->stats = *counted;
}

static void
parse_results (JsonObject *results,
               GPtrArray  *engines)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (results == NULL)
    return;

  json_object_iter_init (&iter, results);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonObject *object;
      CfEngineResult *engine;
      char *engine_name;

      if (!JSON_NODE_HOLDS_OBJECT (node) || !g_utf8_validate (name, -1, NULL))
        continue;
      object = json_node_get_object (node);

      engine_name = dup_string (object, "engine_name");
      engine = g_new0 (CfEngineResult, 1);
      engine->engine = engine_name != NULL ? engine_name : g_strdup (name);
      engine->category = dup_string (object, "category");
      if (engine->category == NULL)
        engine->category = g_strdup ("undetected");
      engine->result = dup_string (object, "result");
      engine->version = dup_string (object, "engine_version");
      engine->update = dup_string (object, "engine_update");
      g_ptr_array_add (engines, engine);
    }

  g_ptr_array_sort (engines, compare_engines);
}

static char **
parse_names (JsonObject *attributes)
{
  JsonArray *array = get_array (attributes, "names");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (array == NULL)
    return g_strv_builder_end (builder);

  /* A popular file can carry thousands of names; a few are enough. */
  n = MIN (json_array_get_length (array), 50);
  for (guint i = 0; i < n; i++)
    {
      const char *name = node_string (json_array_get_element (array, i));

      if (name != NULL && g_utf8_validate (name, -1, NULL))
        g_strv_builder_add (builder, name);
    }

  return g_strv_builder_end (builder);
}

/* An array of strings, at most @max of them; the others are left out. */
static char **
parse_strings (JsonArray *array,
               guint      max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (array == NULL)
    return g_strv_builder_end (builder);

  n = MIN (json_array_get_length (array), max);
  for (guint i = 0; i < n; i++)
    {
      const char *word = node_string (json_array_get_element (array, i));

      if (word != NULL && *word != '\0' && g_utf8_validate (word, -1, NULL))
        g_strv_builder_add (builder, word);
    }

  return g_strv_builder_end (builder);
}

/* [{"count": 9, "value": "trojan"}, ...]: the values, as VirusTotal
 * orders them (most given first). */
static char **
parse_count_values (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (array == NULL)
    return g_strv_builder_end (builder);

  n = MIN (json_array_get_length (array), 10);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *value = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      value = dup_string (json_node_get_object (node), "value");
      if (value != NULL && *value != '\0')
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

static int
compare_sandboxes (gconstpointer a,
                   gconstpointer b)
{
  const CfSandboxVerdict *sa = *(const CfSandboxVerdict **) a;
  const CfSandboxVerdict *sb = *(const CfSandboxVerdict **) b;

  return g_ascii_strcasecmp (sa->sandbox, sb->sandbox);
}

/* "sandbox_verdicts": {"<sandbox>": {"category", "sandbox_name",
 * "malware_classification": [...], "malware_names": [...], "confidence"}} */
static void
parse_sandboxes (JsonObject *verdicts,
                 GPtrArray  *sandboxes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (verdicts == NULL)
    return;

  json_object_iter_init (&iter, verdicts);
  while (json_object_iter_next (&iter, &name, &node) && sandboxes->len < 50)
    {
      JsonObject *object;
      CfSandboxVerdict *sandbox;
      char *sandbox_name;
      gint64 confidence;

      if (!JSON_NODE_HOLDS_OBJECT (node) || !g_utf8_validate (name, -1, NULL))
        continue;
      object = json_node_get_object (node);

      sandbox_name = dup_string (object, "sandbox_name");
      sandbox = g_new0 (CfSandboxVerdict, 1);
      sandbox->sandbox = sandbox_name != NULL ? sandbox_name : g_strdup (name);
      sandbox->category = dup_string (object, "category");
      if (sandbox->category == NULL)
        sandbox->category = g_strdup ("undetected");
      sandbox->classification = parse_strings (get_array (object, "malware_classification"), 10);
      sandbox->malware_names = parse_strings (get_array (object, "malware_names"), 10);
      confidence = get_int (object, "confidence", -1);
      sandbox->confidence = confidence >= 0 && confidence <= 100 ? confidence : -1;
      g_ptr_array_add (sandboxes, sandbox);
    }

  g_ptr_array_sort (sandboxes, compare_sandboxes);
}

/* json-glib 1.6 is not safe with hostile text: it recurses once per level
 * of nesting (a few hundred thousand "[" exhaust the stack), keeps every
 * root but the last of back-to-back documents (a 16 MB reply of "{}{}…"
 * grows by gigabytes) and leaks on a broken surrogate pair.  No VirusTotal
 * reply is anything but one object nested a handful of levels, so refuse
 * anything else before json-glib sees it, in one pass without recursion. */
#define CF_MAX_JSON_DEPTH 64

static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

gboolean
cf_json_shape_ok (const char *data,
                  gsize       length)
{
  const char *p = data, *end = data + length;
  gboolean in_string = FALSE;
  gboolean done = FALSE;
  guint depth = 0;

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end || (*p != '{' && *p != '['))
    return FALSE;

  for (; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\')
            {
              int unit;

              if (++p == end)
                return FALSE;
              if (*p != 'u')
                continue;
              /* A surrogate must come as a high and low pair. */
              unit = hex4 (p + 1, end);
              if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
                return FALSE;
              p += 4;
              if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  int low;

                  if (end - p < 7 || p[1] != '\\' || p[2] != 'u')
                    return FALSE;
                  low = hex4 (p + 3, end);
                  if (low < 0xdc00 || low > 0xdfff)
                    return FALSE;
                  p += 6;
                }
            }
          continue;
        }

      if (done)
        {
          if (!g_ascii_isspace (c))
            return FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CF_MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return FALSE;
          if (--depth == 0)
            done = TRUE;
        }
    }

  return done;
}

static JsonNode *
parse_json (const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent an empty reply. Try again later."));
      return NULL;
    }

  if (length > G_MAXSSIZE || !cf_json_shape_ok (data, length) ||
      !json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a reply that is not valid JSON. Try again later."));
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent an empty reply. Try again later."));
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
root_data_object (JsonNode  *root,
                  GError   **error)
{
  JsonObject *data = NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    data = get_object (json_node_get_object (root), "data");

  if (data == NULL)
    g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                         _("VirusTotal sent a reply of an unexpected shape. Try again later."));
  return data;
}

static CfReport *
report_from_file_object (JsonObject  *data,
                         GError     **error)
{
  g_autoptr(CfReport) report = cf_report_new ();
  JsonObject *attributes = get_object (data, "attributes");
  JsonObject *classification;
  JsonObject *votes;
  g_auto(GStrv) categories = NULL;

  g_autofree char *attribute_sha256 = dup_hex (attributes, "sha256", 64);

  /* data.id is always the SHA-256, whichever hash was asked for; a reply
   * that names two files is about neither. */
  report->sha256 = dup_hex (data, "id", 64);
  if (report->sha256 != NULL && attribute_sha256 != NULL &&
      !g_str_equal (report->sha256, attribute_sha256))
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH,
                           _("VirusTotal sent a report that names two different files. "
                             "It was not used."));
      return NULL;
    }
  if (report->sha256 == NULL)
    report->sha256 = g_steal_pointer (&attribute_sha256);
  if (report->sha256 == NULL)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a report without a SHA-256. Try again later."));
      return NULL;
    }

  report->sha1 = dup_hex (attributes, "sha1", 40);
  report->md5 = dup_hex (attributes, "md5", 32);
  report->size = get_int (attributes, "size", -1);
  report->names = parse_names (attributes);
  report->meaningful_name = dup_string (attributes, "meaningful_name");
  report->type_description = dup_string (attributes, "type_description");
  report->first_submission_date = get_int (attributes, "first_submission_date", 0);
  report->last_analysis_date = get_int (attributes, "last_analysis_date", 0);
  report->last_submission_date = get_int (attributes, "last_submission_date", 0);
  report->times_submitted = CLAMP (get_int (attributes, "times_submitted", -1), -1, G_MAXINT32);
  report->reputation = get_int (attributes, "reputation", 0);
  votes = get_object (attributes, "total_votes");
  if (votes != NULL)
    {
      report->votes_harmless = get_count (votes, "harmless");
      report->votes_malicious = get_count (votes, "malicious");
    }

  classification = get_object (attributes, "popular_threat_classification");
  report->threat_label = dup_string (classification, "suggested_threat_label");
  categories = parse_count_values (get_array (classification, "popular_threat_category"));
  report->threat_category = categories[0] != NULL ? g_strdup (categories[0]) : NULL;
  report->threat_names = parse_count_values (get_array (classification, "popular_threat_name"));
  parse_sandboxes (get_object (attributes, "sandbox_verdicts"), report->sandboxes);

  parse_stats (get_object (attributes, "last_analysis_stats"), &report->reported_stats);
  parse_results (get_object (attributes, "last_analysis_results"), report->engines);
  reconcile_stats (report);

  return g_steal_pointer (&report);
}

CfReport *
cf_report_parse (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(JsonNode) root = parse_json (data, length, error);
  JsonObject *object;

  if (root == NULL)
    return NULL;
  if ((object = root_data_object (root, error)) == NULL)
    return NULL;

  return report_from_file_object (object, error);
}

static JsonNode *
stats_to_node (const CfStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
#define ADD(key, field) json_builder_set_member_name (builder, key); json_builder_add_int_value (builder, stats->field)
  ADD ("malicious", malicious);
  ADD ("suspicious", suspicious);
  ADD ("undetected", undetected);
  ADD ("harmless", harmless);
  ADD ("timeout", timeout);
  ADD ("confirmed-timeout", confirmed_timeout);
  ADD ("type-unsupported", type_unsupported);
  ADD ("failure", failure);
#undef ADD
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* Only the order counts for the cache: the counts themselves are not kept. */
static void
add_count_value (JsonBuilder *builder,
                 const char  *value)
{
  json_builder_begin_object (builder);
  add_string (builder, "value", value);
  json_builder_end_object (builder);
}

static void
add_strings (JsonBuilder        *builder,
             const char         *member,
             const char * const *words)
{
  if (words == NULL || words[0] == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; words[i] != NULL; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
}

/* The same shape as a GET /files reply, so the cache reads back with the
 * parser above. */
char *
cf_report_to_json (const CfReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  add_string (builder, "id", report->sha256);
  add_string (builder, "type", "file");
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  add_string (builder, "sha256", report->sha256);
  add_string (builder, "sha1", report->sha1);
  add_string (builder, "md5", report->md5);
  if (report->size >= 0)
    {
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, report->size);
    }
  if (report->names != NULL)
    {
      json_builder_set_member_name (builder, "names");
      json_builder_begin_array (builder);
      for (guint i = 0; report->names[i] != NULL; i++)
        json_builder_add_string_value (builder, report->names[i]);
      json_builder_end_array (builder);
    }
  add_string (builder, "meaningful_name", report->meaningful_name);
  add_string (builder, "type_description", report->type_description);
  json_builder_set_member_name (builder, "first_submission_date");
  json_builder_add_int_value (builder, report->first_submission_date);
  json_builder_set_member_name (builder, "last_analysis_date");
  json_builder_add_int_value (builder, report->last_analysis_date);
  if (report->last_submission_date > 0)
    add_int (builder, "last_submission_date", report->last_submission_date);
  if (report->times_submitted >= 0)
    add_int (builder, "times_submitted", report->times_submitted);
  add_int (builder, "reputation", report->reputation);
  if (report->votes_harmless >= 0 || report->votes_malicious >= 0)
    {
      json_builder_set_member_name (builder, "total_votes");
      json_builder_begin_object (builder);
      add_int (builder, "harmless", MAX (report->votes_harmless, 0));
      add_int (builder, "malicious", MAX (report->votes_malicious, 0));
      json_builder_end_object (builder);
    }
  if (report->threat_label != NULL || report->threat_category != NULL ||
      (report->threat_names != NULL && report->threat_names[0] != NULL))
    {
      json_builder_set_member_name (builder, "popular_threat_classification");
      json_builder_begin_object (builder);
      add_string (builder, "suggested_threat_label", report->threat_label);
      if (report->threat_category != NULL)
        {
          json_builder_set_member_name (builder, "popular_threat_category");
          json_builder_begin_array (builder);
          add_count_value (builder, report->threat_category);
          json_builder_end_array (builder);
        }
      if (report->threat_names != NULL && report->threat_names[0] != NULL)
        {
          json_builder_set_member_name (builder, "popular_threat_name");
          json_builder_begin_array (builder);
          for (guint i = 0; report->threat_names[i] != NULL; i++)
            add_count_value (builder, report->threat_names[i]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  if (report->sandboxes->len > 0)
    {
      json_builder_set_member_name (builder, "sandbox_verdicts");
      json_builder_begin_object (builder);
      for (guint i = 0; i < report->sandboxes->len; i++)
        {
          const CfSandboxVerdict *sandbox = g_ptr_array_index (report->sandboxes, i);

          json_builder_set_member_name (builder, sandbox->sandbox);
          json_builder_begin_object (builder);
          add_string (builder, "sandbox_name", sandbox->sandbox);
          add_string (builder, "category", sandbox->category);
          add_strings (builder, "malware_classification", (const char * const *) sandbox->classification);
          add_strings (builder, "malware_names", (const char * const *) sandbox->malware_names);
          if (sandbox->confidence >= 0)
            add_int (builder, "confidence", sandbox->confidence);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  /* A disagreement is stored as VirusTotal said it: read back, the report
   * is reconciled again, and the disagreement is still one. */
  json_builder_set_member_name (builder, "last_analysis_stats");
  json_builder_add_value (builder, stats_to_node (report->inconsistent ? &report->reported_stats
                                                                       : &report->stats));
  json_builder_set_member_name (builder, "last_analysis_results");
  json_builder_begin_object (builder);
  for (guint i = 0; i < report->engines->len; i++)
    {
      const CfEngineResult *engine = g_ptr_array_index (report->engines, i);
      g_autofree char *key = g_strdup (engine->engine);

      /* Two entries may give one engine_name; each keeps a key of its own,
       * so the cached report counts what the reply counted. */
      for (guint n = 2; g_hash_table_contains (keys, key); n++)
        {
          g_free (key);
          key = g_strdup_printf ("%s#%u", engine->engine, n);
        }
      g_hash_table_add (keys, g_strdup (key));

      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      add_string (builder, "engine_name", engine->engine);
      add_string (builder, "category", engine->category);
      if (engine->result != NULL)
        add_string (builder, "result", engine->result);
      else
        {
          json_builder_set_member_name (builder, "result");
          json_builder_add_null_value (builder);
        }
      add_string (builder, "engine_version", engine->version);
      add_string (builder, "engine_update", engine->update);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

CfAnalysis *
cf_analysis_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = parse_json (data, length, error);
  g_autoptr(CfAnalysis) analysis = NULL;
  JsonObject *object, *attributes, *file_info;
  g_autofree char *status = NULL;
  CfReport *report;

  if (root == NULL)
    return NULL;
  if ((object = root_data_object (root, error)) == NULL)
    return NULL;

  attributes = get_object (object, "attributes");
  status = dup_string (attributes, "status");

  analysis = g_new0 (CfAnalysis, 1);
  analysis->id = dup_string (object, "id");
  if (g_strcmp0 (status, "completed") == 0)
    analysis->status = CF_ANALYSIS_COMPLETED;
  else if (g_strcmp0 (status, "in-progress") == 0)
    analysis->status = CF_ANALYSIS_IN_PROGRESS;
  else if (g_strcmp0 (status, "queued") == 0)
    analysis->status = CF_ANALYSIS_QUEUED;
  else
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent an analysis with an unknown status. Try again later."));
      return NULL;
    }

  report = analysis->report = cf_report_new ();
  file_info = get_object (get_object (json_node_get_object (root), "meta"), "file_info");
  report->sha256 = dup_hex (file_info, "sha256", 64);
  report->sha1 = dup_hex (file_info, "sha1", 40);
  report->md5 = dup_hex (file_info, "md5", 32);
  report->size = get_int (file_info, "size", -1);
  report->names = g_new0 (char *, 1);
  report->last_analysis_date = get_int (attributes, "date", 0);
  parse_stats (get_object (attributes, "stats"), &report->reported_stats);
  parse_results (get_object (attributes, "results"), report->engines);
  reconcile_stats (report);

  if (analysis->status == CF_ANALYSIS_COMPLETED && report->sha256 == NULL)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent a finished analysis without naming the file. Try again later."));
      return NULL;
    }

  return g_steal_pointer (&analysis);
}

void
cf_analysis_free (CfAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  g_free (analysis->id);
  g_clear_pointer (&analysis->report, cf_report_unref);
  g_free (analysis);
}

/* POST /files and the upload URL answer {"data": {"type": "analysis", "id": ...}} */
char *
cf_upload_reply_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = parse_json (data, length, error);
  JsonObject *object;
  char *id;

  if (root == NULL)
    return NULL;
  if ((object = root_data_object (root, error)) == NULL)
    return NULL;

  id = dup_string (object, "id");
  if (id == NULL || *id == '\0' || strlen (id) > 1024)
    {
      g_free (id);
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal accepted the upload but sent no analysis id. Try again later."));
      return NULL;
    }
  return id;
}

/* GET /files/upload_url answers {"data": "<url>"} */
char *
cf_upload_url_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonNode) root = parse_json (data, length, error);
  const char *url;

  if (root == NULL)
    return NULL;

  url = JSON_NODE_HOLDS_OBJECT (root) ?
        node_string (json_object_get_member (json_node_get_object (root), "data")) : NULL;
  if (url == NULL || !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                           _("VirusTotal sent no usable upload address. Try again later."));
      return NULL;
    }
  return g_strdup (url);
}
