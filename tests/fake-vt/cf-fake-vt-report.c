/* cf-fake-vt-report.c
 *
 * Verdicts, file records and the JSON the fake VirusTotal server answers with.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt.h"
#include "cf-fake-vt-report.h"

#include <string.h>

typedef struct
{
  const char *name;
  const char *version;
} CfFakeVtEngine;

/* Real vendors' names, so reports look like the real thing in the app.
 * Their order decides who flags a file: the first N detecting engines. */
static const CfFakeVtEngine engines[] = {
  { "Bkav", "2.0.0.1" },
  { "Lionic", "8.16" },
  { "Elastic", "4.0.176" },
  { "MicroWorld-eScan", "14.0.409.0" },
  { "ClamAV", "1.4.1.0" },
  { "CMC", "2.4.2022.1" },
  { "CAT-QuickHeal", "22.00" },
  { "Skyhigh", "SMT-2.0" },
  { "McAfee", "6.0.6.653" },
  { "Malwarebytes", "4.5.5.54" },
  { "Zillya", "2.0.0.5012" },
  { "Sangfor", "2.22.3.0" },
  { "K7AntiVirus", "13.0.1" },
  { "K7GW", "13.0.1" },
  { "CrowdStrike", "1.0" },
  { "Alibaba", "0.3.0.5" },
  { "Arcabit", "2022.0.0.18" },
  { "BitDefenderTheta", "7.2.37796.0" },
  { "VirIT", "9.5.850" },
  { "Symantec", "1.22.0.0" },
  { "tehtris", "v0.1.4" },
  { "ESET-NOD32", "30281" },
  { "APEX", "6.600" },
  { "Paloalto", "0.9.0.1003" },
  { "Cynet", "4.0.3.4" },
  { "Kaspersky", "22.0.1.28" },
  { "BitDefender", "7.2" },
  { "NANO-Antivirus", "1.0.170.26531" },
  { "SUPERAntiSpyware", "5.6.0.1032" },
  { "Avast", "23.9.8494.0" },
  { "Tencent", "1.0.0.1" },
  { "TACHYON", "2026-11-20.02" },
  { "Emsisoft", "2024.8.0.61147" },
  { "F-Secure", "18.10.1547.307" },
  { "DrWeb", "7.0.65.5230" },
  { "VIPRE", "6.0.0.35" },
  { "TrendMicro", "24.550.0.1002" },
  { "McAfeeD", "1.2.0.7977" },
  { "Trapmine", "4.0.16.96" },
  { "FireEye", "35.47.0.0" },
  { "Sophos", "2.5.5.0" },
  { "Ikarus", "6.3.30.0" },
  { "Jiangmin", "16.0.100" },
  { "Google", "1763596233" },
  { "Avira", "8.3.3.20" },
  { "Varist", "6.6.1.3" },
  { "Antiy-AVL", "3.0" },
  { "Kingsoft", "None" },
  { "Gridinsoft", "1.0.195.174" },
  { "Xcitium", "37235" },
  { "Microsoft", "1.1.24100.9" },
  { "ViRobot", "2014.3.20.0" },
  { "ZoneAlarm", "6.15-102623205" },
  { "GData", "A:25.39047B:27.38252" },
  { "AhnLab-V3", "3.26.2.10528" },
  { "Acronis", "1.2.0.121" },
  { "VBA32", "5.3.1" },
  { "ALYac", "2.0.0.10" },
  { "MAX", "2023.1.4.1" },
  { "DeepInstinct", "5.0.0.8" },
  { "Cylance", "3.0.0.0" },
  { "Zoner", "2.2.2.0" },
  { "Rising", "25.0.0.28" },
  { "Fortinet", "7.0.30.0" },
  /* These three only look at mobile apps. */
  { "Avast-Mobile", "241120-02" },
  { "BitDefenderFalx", "2.0.936" },
  { "SymantecMobileInsight", "2.0" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (engines) == CF_FAKE_VT_N_ENGINES);

/* A clean file also gets a few "harmless" answers, as real ones do. */
#define N_HARMLESS_WHEN_CLEAN 6

static const char * const eicar_names[] = {
  "EICAR-Test-File",
  "EICAR-Test-File (not a virus)",
  "Eicar-Test-Signature",
  "EICAR_Test_File",
  "EICAR.TestFile",
  "Virus.EICAR.Test",
  "Misc.Eicar-Test-File",
  "EICAR-AV-Test",
  "Trojan.EICAR.TestFile",
  "eicar_test_file",
};

static const char * const trojan_names[] = {
  "Trojan.Linux.Fakevt.a",
  "Trojan:Linux/Fakevt.A",
  "Gen:Variant.Fakevt.1",
  "Trojan.GenericKD.7315",
  "Malware.Fakevt/Linux",
  "Linux.Trojan.Fakevt",
  "Trojan.Fakevt!8.1F2",
  "HEUR:Trojan.Linux.Fakevt.gen",
};

static const char * const suspicious_names[] = {
  "Suspicious.Heuristic",
  "HEUR/Suspicious.Gen",
  "Suspicious_GEN.F47V1120",
};

/* What a hostile server puts in every string a client may print: a
 * terminal's clear-screen and colour sequences, a newline that forges a
 * second result line, a carriage return, a bell and a right-to-left
 * override that turns a name around. */
#define HOSTILE_TEXT "\033[2J\033[31mclean\033[0m\nallow    clean      0/64  forged.sh\r\a\u202egpj.exe"

/* The eight categories, in the order VirusTotal lists its stats. */
static const char * const categories[] = {
  "malicious",
  "suspicious",
  "undetected",
  "harmless",
  "timeout",
  "confirmed-timeout",
  "type-unsupported",
  "failure",
};

typedef enum
{
  CATEGORY_MALICIOUS,
  CATEGORY_SUSPICIOUS,
  CATEGORY_UNDETECTED,
  CATEGORY_HARMLESS,
  CATEGORY_TIMEOUT,
  CATEGORY_CONFIRMED_TIMEOUT,
  CATEGORY_TYPE_UNSUPPORTED,
  CATEGORY_FAILURE,
  N_CATEGORIES
} Category;

G_STATIC_ASSERT (G_N_ELEMENTS (categories) == N_CATEGORIES);

static Category
engine_category (const CfFakeVtVerdict *verdict,
                 guint                  engine)
{
  gboolean clean = verdict->malicious == 0 && verdict->suspicious == 0;

  if (engine >= CF_FAKE_VT_N_DETECTING_ENGINES)
    return CATEGORY_TYPE_UNSUPPORTED;
  if (engine < verdict->malicious)
    return CATEGORY_MALICIOUS;
  if (engine < verdict->malicious + verdict->suspicious)
    return CATEGORY_SUSPICIOUS;
  if (clean && engine >= CF_FAKE_VT_N_DETECTING_ENGINES - N_HARMLESS_WHEN_CLEAN)
    return CATEGORY_HARMLESS;
  return CATEGORY_UNDETECTED;
}

static const char *
engine_result (const CfFakeVtVerdict *verdict,
               guint                  engine)
{
  switch (engine_category (verdict, engine))
    {
    case CATEGORY_MALICIOUS:
      if (verdict->eicar)
        return eicar_names[engine % G_N_ELEMENTS (eicar_names)];
      return trojan_names[engine % G_N_ELEMENTS (trojan_names)];

    case CATEGORY_SUSPICIOUS:
      return suspicious_names[engine % G_N_ELEMENTS (suspicious_names)];

    case CATEGORY_UNDETECTED:
    case CATEGORY_HARMLESS:
    case CATEGORY_TIMEOUT:
    case CATEGORY_CONFIRMED_TIMEOUT:
    case CATEGORY_TYPE_UNSUPPORTED:
    case CATEGORY_FAILURE:
    case N_CATEGORIES:
    default:
      return NULL;
    }
}

static gboolean
parse_count (const char  *text,
             guint       *count,
             GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, CF_FAKE_VT_N_DETECTING_ENGINES,
                                   &value, NULL))
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                   "“%s” is not an engine count between 0 and %d",
                   text, CF_FAKE_VT_N_DETECTING_ENGINES);
      return FALSE;
    }

  *count = (guint) value;
  return TRUE;
}

static gboolean
parse_days (const char  *text,
            guint       *days,
            GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, 36500, &value, NULL))
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                   "“%s” is not a number of days between 0 and 36500", text);
      return FALSE;
    }

  *days = (guint) value;
  return TRUE;
}

gboolean
cf_fake_vt_verdict_parse (const char       *text,
                          CfFakeVtVerdict  *verdict,
                          GError          **error)
{
  g_auto(GStrv) items = NULL;
  CfFakeVtVerdict parsed = { 0 };

  g_return_val_if_fail (verdict != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                           "Empty verdict");
      return FALSE;
    }

  if (g_str_equal (text, "clean"))
    {
      *verdict = parsed;
      return TRUE;
    }

  if (g_str_equal (text, "eicar"))
    {
      parsed.malicious = 62;
      parsed.eicar = TRUE;
      *verdict = parsed;
      return TRUE;
    }

  items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *colon = strchr (items[i], ':');
      g_autofree char *kind = NULL;

      if (g_str_equal (items[i], "clean"))
        continue;
      if (g_str_equal (items[i], "no-results"))
        {
          parsed.no_results = TRUE;
          continue;
        }
      if (g_str_equal (items[i], "disagree"))
        {
          parsed.disagree = TRUE;
          continue;
        }
      if (g_str_equal (items[i], "hostile-text"))
        {
          parsed.hostile_text = TRUE;
          continue;
        }
      if (g_str_has_prefix (items[i], "no-results-for:"))
        {
          if (!parse_count (items[i] + strlen ("no-results-for:"), &parsed.no_results_for, error))
            return FALSE;
          continue;
        }
      if (g_str_has_prefix (items[i], "analysed-days-ago:"))
        {
          if (!parse_days (items[i] + strlen ("analysed-days-ago:"), &parsed.analysed_days_ago, error))
            return FALSE;
          continue;
        }
      if (colon == NULL)
        {
          g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                       "Unknown verdict “%s”: use clean, eicar, malicious:N, "
                       "suspicious:N or malicious:N,suspicious:M, optionally with "
                       "no-results, disagree, hostile-text or analysed-days-ago:N", text);
          return FALSE;
        }

      kind = g_strndup (items[i], colon - items[i]);
      if (g_str_equal (kind, "malicious"))
        {
          if (!parse_count (colon + 1, &parsed.malicious, error))
            return FALSE;
        }
      else if (g_str_equal (kind, "suspicious"))
        {
          if (!parse_count (colon + 1, &parsed.suspicious, error))
            return FALSE;
        }
      else
        {
          g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                       "Unknown verdict part “%s” in “%s”", kind, text);
          return FALSE;
        }
    }

  if (parsed.malicious + parsed.suspicious > CF_FAKE_VT_N_DETECTING_ENGINES)
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_VERDICT,
                   "Verdict “%s” needs more than the %d engines there are",
                   text, CF_FAKE_VT_N_DETECTING_ENGINES);
      return FALSE;
    }

  *verdict = parsed;
  return TRUE;
}

gboolean
cf_fake_vt_is_hex_hash (const char *text)
{
  gsize length;

  if (text == NULL)
    return FALSE;

  length = strlen (text);
  if (length != 32 && length != 40 && length != 64)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

static void
checksum_feed (GChecksum    *checksum,
               const guint8 *data,
               gsize         length)
{
  /* g_checksum_update () takes a signed length: feed in slices. */
  const gsize slice = 1 << 30;

  while (length > 0)
    {
      gsize n = MIN (length, slice);

      g_checksum_update (checksum, data, (gssize) n);
      data += n;
      length -= n;
    }
}

void
cf_fake_vt_hash_data (const guint8  *data,
                      gsize          length,
                      char         **md5,
                      char         **sha1,
                      char         **sha256)
{
  g_autoptr(GChecksum) md5_sum = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(GChecksum) sha1_sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GChecksum) sha256_sum = g_checksum_new (G_CHECKSUM_SHA256);

  checksum_feed (md5_sum, data, length);
  checksum_feed (sha1_sum, data, length);
  checksum_feed (sha256_sum, data, length);

  *md5 = g_strdup (g_checksum_get_string (md5_sum));
  *sha1 = g_strdup (g_checksum_get_string (sha1_sum));
  *sha256 = g_strdup (g_checksum_get_string (sha256_sum));
}

void
cf_fake_vt_derive_fake_hashes (const char  *sha256,
                               char       **md5,
                               char       **sha1)
{
  g_autofree char *lower = g_ascii_strdown (sha256, -1);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, lower, -1);

  *md5 = g_strndup (digest, 32);
  *sha1 = g_strndup (digest, 40);
}

const char *
cf_fake_vt_guess_type (const guint8 *data,
                       gsize         length)
{
  gsize probe = MIN (length, 4096);

  if (length >= 4 && memcmp (data, "\177ELF", 4) == 0)
    return "ELF";
  if (length >= 2 && memcmp (data, "#!", 2) == 0)
    return "Shell script";
  if (length >= 4 && memcmp (data, "%PDF", 4) == 0)
    return "PDF";
  if (length >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return "ZIP";
  if (length >= 2 && memcmp (data, "MZ", 2) == 0)
    return "Win32 EXE";
  if (length == 0)
    return "unknown";

  for (gsize i = 0; i < probe; i++)
    {
      if (data[i] == 0 || (data[i] < 0x20 && !g_ascii_isspace (data[i])))
        return "unknown";
    }

  return "Text";
}

CfFakeVtFile *
cf_fake_vt_file_new (const char            *sha256,
                     const char            *sha1,
                     const char            *md5,
                     goffset                size,
                     const char            *type_description,
                     const CfFakeVtVerdict *verdict)
{
  CfFakeVtFile *file = g_new0 (CfFakeVtFile, 1);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  file->sha256 = g_ascii_strdown (sha256, -1);
  file->sha1 = g_ascii_strdown (sha1, -1);
  file->md5 = g_ascii_strdown (md5, -1);
  file->size = size;
  file->type_description = g_strdup (type_description ? type_description : "unknown");
  file->names = g_ptr_array_new_with_free_func (g_free);
  file->verdict = *verdict;
  /* Known files were first seen a while ago; the exact age does not matter,
   * unless the verdict says how old its analysis is. */
  file->first_submission_date = now - 86400 * (30 + (gint64) verdict->analysed_days_ago);
  file->last_submission_date = now - 86400 * (gint64) verdict->analysed_days_ago;
  file->last_analysis_date = now - 86400 * (gint64) verdict->analysed_days_ago;

  return file;
}

void
cf_fake_vt_file_add_name (CfFakeVtFile *file,
                          const char   *name)
{
  if (name == NULL || *name == '\0')
    return;

  for (guint i = 0; i < file->names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (file->names, i), name))
        return;
    }

  g_ptr_array_add (file->names, g_strdup (name));
}

void
cf_fake_vt_file_free (CfFakeVtFile *file)
{
  if (file == NULL)
    return;

  g_free (file->sha256);
  g_free (file->sha1);
  g_free (file->md5);
  g_free (file->type_description);
  g_ptr_array_unref (file->names);
  g_free (file);
}

void
cf_fake_vt_report_add_stats (JsonBuilder           *builder,
                             const CfFakeVtVerdict *verdict,
                             guint                  n_engines)
{
  guint counts[N_CATEGORIES] = { 0 };

  for (guint i = 0; i < MIN (n_engines, CF_FAKE_VT_N_ENGINES) && !verdict->no_results; i++)
    counts[engine_category (verdict, i)]++;

  json_builder_begin_object (builder);
  for (guint c = 0; c < N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, categories[c]);
      json_builder_add_int_value (builder, counts[c]);
    }
  json_builder_end_object (builder);
}

void
cf_fake_vt_report_add_results (JsonBuilder           *builder,
                               const CfFakeVtVerdict *verdict,
                               guint                  n_engines)
{
  /* Disagreeing: the per-engine view says every engine that can flag it
   * did, whatever the stats say. */
  CfFakeVtVerdict all_flag = { .malicious = CF_FAKE_VT_N_DETECTING_ENGINES };
  const CfFakeVtVerdict *shown = verdict->disagree ? &all_flag : verdict;

  json_builder_begin_object (builder);
  for (guint i = 0; i < MIN (n_engines, CF_FAKE_VT_N_ENGINES) && !verdict->no_results; i++)
    {
      const char *result = engine_result (shown, i);
      g_autofree char *name = verdict->hostile_text ? g_strconcat (engines[i].name, HOSTILE_TEXT, NULL)
                                                    : g_strdup (engines[i].name);
      g_autofree char *hostile_result = verdict->hostile_text && result != NULL ?
                                        g_strconcat (result, HOSTILE_TEXT, NULL) : NULL;

      if (hostile_result != NULL)
        result = hostile_result;
      json_builder_set_member_name (builder, name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, categories[engine_category (shown, i)]);
      json_builder_set_member_name (builder, "engine_name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "engine_version");
      json_builder_add_string_value (builder, engines[i].version);
      json_builder_set_member_name (builder, "engine_update");
      json_builder_add_string_value (builder, "20261120");
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "blacklist");
      json_builder_set_member_name (builder, "result");
      if (result != NULL)
        json_builder_add_string_value (builder, result);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_count_value (JsonBuilder *builder,
                 guint        count,
                 const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_threat_classification (JsonBuilder           *builder,
                           const CfFakeVtVerdict *verdict)
{
  guint m = verdict->malicious;

  json_builder_set_member_name (builder, "popular_threat_classification");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "suggested_threat_label");
  if (verdict->hostile_text)
    json_builder_add_string_value (builder, "trojan.fakevt/generic" HOSTILE_TEXT);
  else
    json_builder_add_string_value (builder,
                                   verdict->eicar ? "virus.eicar/test" : "trojan.fakevt/generic");

  json_builder_set_member_name (builder, "popular_threat_category");
  json_builder_begin_array (builder);
  add_count_value (builder, m, verdict->eicar ? "virus" : "trojan");
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "popular_threat_name");
  json_builder_begin_array (builder);
  add_count_value (builder, m, verdict->eicar ? "eicar" : "fakevt");
  add_count_value (builder, (m + 1) / 2, verdict->eicar ? "test" : "generic");
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

static void add_int_member (JsonBuilder *builder,
                            const char  *name,
                            gint64       value);

static void
add_sandbox (JsonBuilder        *builder,
             const char         *name,
             const char         *category,
             const char * const *classification,
             const char         *malware_name,
             gint64              confidence)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sandbox_name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, category);
  json_builder_set_member_name (builder, "malware_classification");
  json_builder_begin_array (builder);
  for (guint i = 0; classification[i] != NULL; i++)
    json_builder_add_string_value (builder, classification[i]);
  json_builder_end_array (builder);
  if (malware_name != NULL)
    {
      json_builder_set_member_name (builder, "malware_names");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, malware_name);
      json_builder_end_array (builder);
    }
  if (confidence >= 0)
    add_int_member (builder, "confidence", confidence);
  json_builder_end_object (builder);
}

/* What two sandboxes made of running the file: flagged files misbehave
 * in both, a file some engines only suspect in one, clean files in none. */
static void
add_sandbox_verdicts (JsonBuilder           *builder,
                      const CfFakeVtVerdict *verdict)
{
  static const char * const malware[] = { "MALWARE", "TROJAN", NULL };
  static const char * const unusual[] = { "UNKNOWN", NULL };
  static const char * const clean[] = { "CLEAN", NULL };
  const char *family = verdict->eicar ? "EICAR" : "Fakevt";

  json_builder_set_member_name (builder, "sandbox_verdicts");
  json_builder_begin_object (builder);
  if (verdict->malicious > 0)
    {
      add_sandbox (builder, "Zenbox", "malicious", malware, family, 80);
      add_sandbox (builder, "C2AE", "malicious", malware, NULL, -1);
    }
  else if (verdict->suspicious > 0)
    {
      add_sandbox (builder, "Zenbox", "suspicious", unusual, NULL, 40);
      add_sandbox (builder, "C2AE", "harmless", clean, NULL, -1);
    }
  else
    add_sandbox (builder, "Zenbox", "harmless", clean, NULL, 90);
  json_builder_end_object (builder);
}

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
cf_fake_vt_report_file_object (const CfFakeVtFile *file,
                               const char         *base_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *self_link = g_strdup_printf ("%s/files/%s", base_url, file->sha256);
  CfFakeVtVerdict now = file->verdict;
  const CfFakeVtVerdict *verdict = &now;

  /* Still being analysed for its first few lookups. */
  if (file->lookups <= now.no_results_for)
    now.no_results = TRUE;

  json_builder_begin_object (builder);
  add_string_member (builder, "id", file->sha256);
  add_string_member (builder, "type", "file");

  json_builder_set_member_name (builder, "links");
  json_builder_begin_object (builder);
  add_string_member (builder, "self", self_link);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  add_string_member (builder, "md5", file->md5);
  add_string_member (builder, "sha1", file->sha1);
  add_string_member (builder, "sha256", file->sha256);
  add_int_member (builder, "size", file->size);
  if (verdict->hostile_text)
    {
      add_string_member (builder, "type_description", "ELF" HOSTILE_TEXT);
      add_string_member (builder, "meaningful_name", "invoice.pdf" HOSTILE_TEXT);
    }
  else
    {
      add_string_member (builder, "type_description", file->type_description);
      if (file->names->len > 0)
        add_string_member (builder, "meaningful_name", g_ptr_array_index (file->names, 0));
    }

  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  if (verdict->hostile_text)
    json_builder_add_string_value (builder, "invoice.pdf" HOSTILE_TEXT);
  for (guint i = 0; i < file->names->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (file->names, i));
  json_builder_end_array (builder);

  add_int_member (builder, "first_submission_date", file->first_submission_date);
  add_int_member (builder, "last_submission_date", file->last_submission_date);
  add_int_member (builder, "last_analysis_date", file->last_analysis_date);
  add_int_member (builder, "last_modification_date", file->last_analysis_date);
  add_int_member (builder, "times_submitted", MAX (1, (gint) file->names->len));
  add_int_member (builder, "reputation",
                  verdict->malicious > 0 ? -(gint64) verdict->malicious * 2 : 0);

  json_builder_set_member_name (builder, "total_votes");
  json_builder_begin_object (builder);
  add_int_member (builder, "harmless", 0);
  add_int_member (builder, "malicious", verdict->malicious > 0 ? 1 : 0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "last_analysis_stats");
  cf_fake_vt_report_add_stats (builder, verdict, CF_FAKE_VT_N_ENGINES);
  json_builder_set_member_name (builder, "last_analysis_results");
  cf_fake_vt_report_add_results (builder, verdict, CF_FAKE_VT_N_ENGINES);

  if (verdict->malicious > 0 || verdict->hostile_text)
    add_threat_classification (builder, verdict);
  if (!verdict->no_results)
    add_sandbox_verdicts (builder, verdict);

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
cf_fake_vt_report_error (const char *code,
                         const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string_member (builder, "code", code);
  add_string_member (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
cf_fake_vt_report_to_data (JsonNode *root,
                           gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}
