/* cf-format.c: a check as a line of text, JSON or CSV, the same for the CLI and every export
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One schema: the JSON members and the CSV columns are the same fields in
 * the same order, documented in the README.  Text is for people and may
 * change; JSON and CSV are for scripts and grow only at the end.
 */

#define G_LOG_DOMAIN "check-first-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-csv.h"
#include "cf-display.h"
#include "cf-format.h"
#include "cf-verdict.h"

/* The fields of the schema, each known to JSON and CSV alike. */
typedef enum
{
  FIELD_STRING,
  FIELD_INT,
  FIELD_BOOLEAN,
  FIELD_LIST,       /* JSON: an array; CSV: space-separated */
} FieldType;

typedef struct
{
  FieldType   type;
  gboolean    present;
  char       *text;         /* owned */
  gint64      number;
  gboolean    flag;
  GPtrArray  *list;         /* char *, owned; for ints too, as text */
  gboolean    list_of_ints;
} Field;

static const char * const field_names[] = {
  "path", "hash", "host", "name", "pid", "sha256", "size", "kind", "status", "decision",
  "reason", "malicious", "suspicious", "undetected", "harmless", "engines", "threat_label",
  "inconsistent", "permalink", "source", "origin", "pids", "names", "deleted",
  "user_writable", "error", "package", "package_version", "packaged", "referrer", "last_analysis", "stale",
};

enum {
  F_PATH, F_HASH, F_HOST, F_NAME, F_PID, F_SHA256, F_SIZE, F_KIND, F_STATUS, F_DECISION,
  F_REASON, F_MALICIOUS, F_SUSPICIOUS, F_UNDETECTED, F_HARMLESS, F_ENGINES, F_THREAT_LABEL,
  F_INCONSISTENT, F_PERMALINK, F_SOURCE, F_ORIGIN, F_PIDS, F_NAMES, F_DELETED,
  F_USER_WRITABLE, F_ERROR, F_PACKAGE, F_PACKAGE_VERSION, F_PACKAGED, F_REFERRER, F_LAST_ANALYSIS,
  F_STALE, N_FIELDS
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_names) == N_FIELDS);

static void
fields_clear (Field *fields)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_free (fields[i].text);
      g_clear_pointer (&fields[i].list, g_ptr_array_unref);
    }
}

static void
set_string (Field      *fields,
            guint       i,
            const char *value)
{
  fields[i].type = FIELD_STRING;
  fields[i].present = value != NULL;
  fields[i].text = g_strdup (value);
}

static void
set_int (Field  *fields,
         guint   i,
         gint64  value,
         gboolean present)
{
  fields[i].type = FIELD_INT;
  fields[i].present = present;
  fields[i].number = value;
}

static void
set_boolean (Field    *fields,
             guint     i,
             gboolean  value,
             gboolean  present)
{
  fields[i].type = FIELD_BOOLEAN;
  fields[i].present = present;
  fields[i].flag = value;
}

/* The path as a person reads it: valid UTF-8 whatever the file system
 * holds.  Escaping for a terminal comes later, per format. */
static char *
display_path (const char *path)
{
  return path != NULL ? g_filename_display_name (path) : NULL;
}

static void
collect_fields (CfCheck           *check,
                const CfFormatRow *row,
                Field             *fields)
{
  const CfReport *report = cf_check_get_report (check);
  const CfStats *stats = report != NULL ? &report->stats : NULL;
  const CfProcessExe *exe = cf_check_get_process (check);
  const GError *error = cf_check_get_error (check);
  gboolean failed = cf_check_get_stage (check) != CF_CHECK_STAGE_DONE;
  const char *sha256 = cf_check_get_sha256 (check);
  g_autofree char *path = NULL;
  g_autofree char *permalink = NULL;

  memset (fields, 0, sizeof (Field) * N_FIELDS);

  if (row != NULL && row->path != NULL)
    path = display_path (row->path);
  else if (exe != NULL)
    path = display_path (exe->path);
  else if (cf_check_get_file (check) != NULL)
    {
      g_autofree char *local = g_file_get_path (cf_check_get_file (check));

      path = local != NULL ? display_path (local) : g_file_get_uri (cf_check_get_file (check));
    }

  set_string (fields, F_PATH, path);
  set_string (fields, F_HASH, cf_check_get_hash (check));
  set_string (fields, F_HOST, row != NULL ? row->host : NULL);
  set_string (fields, F_NAME, row != NULL ? row->name : NULL);
  set_int (fields, F_PID, row != NULL ? row->pid : -1, row != NULL && row->pid >= 0);
  set_string (fields, F_SHA256, sha256);
  set_int (fields, F_SIZE, cf_check_get_size (check), cf_check_get_size (check) >= 0);
  set_string (fields, F_KIND, cf_check_kind_to_string (cf_check_get_kind (check)));
  set_string (fields, F_STATUS, cf_check_status (check));
  set_string (fields, F_DECISION,
              cf_decision_to_string (failed ? CF_DECISION_BLOCK : cf_check_get_decision (check)));
  set_string (fields, F_REASON, failed ? cf_check_status (check) : cf_reason_to_string (cf_check_get_reason (check)));
  set_int (fields, F_MALICIOUS, stats ? stats->malicious : 0, TRUE);
  set_int (fields, F_SUSPICIOUS, stats ? stats->suspicious : 0, TRUE);
  set_int (fields, F_UNDETECTED, stats ? stats->undetected : 0, TRUE);
  set_int (fields, F_HARMLESS, stats ? stats->harmless : 0, TRUE);
  set_int (fields, F_ENGINES, stats ? cf_stats_engines (stats) : 0, TRUE);
  set_string (fields, F_THREAT_LABEL, report != NULL ? report->threat_label : NULL);
  set_boolean (fields, F_INCONSISTENT, report != NULL && report->inconsistent, TRUE);
  permalink = sha256 != NULL ? cf_report_permalink (sha256) : NULL;
  set_string (fields, F_PERMALINK, permalink);
  set_string (fields, F_SOURCE, cf_source_to_string (cf_check_get_source (check)));
  set_string (fields, F_ORIGIN, cf_check_get_origin (check));

  fields[F_PIDS].type = fields[F_NAMES].type = FIELD_LIST;
  fields[F_PIDS].list_of_ints = TRUE;
  if (exe != NULL)
    {
      fields[F_PIDS].present = fields[F_NAMES].present = TRUE;
      fields[F_PIDS].list = g_ptr_array_new_with_free_func (g_free);
      fields[F_NAMES].list = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < exe->pids->len; i++)
        g_ptr_array_add (fields[F_PIDS].list, g_strdup_printf ("%d", g_array_index (exe->pids, int, i)));
      for (guint i = 0; i < exe->names->len; i++)
        g_ptr_array_add (fields[F_NAMES].list, g_strdup (g_ptr_array_index (exe->names, i)));
    }
  set_boolean (fields, F_DELETED, exe != NULL && exe->deleted, exe != NULL);
  set_boolean (fields, F_USER_WRITABLE, exe != NULL && exe->user_writable, exe != NULL);

  if (failed)
    set_string (fields, F_ERROR, error != NULL ? error->message : _("The check was cancelled."));
  else
    set_string (fields, F_ERROR, NULL);

  set_string (fields, F_PACKAGE, cf_check_get_package (check));
  set_string (fields, F_PACKAGE_VERSION, cf_check_get_package_version (check));
  set_string (fields, F_PACKAGED, cf_packaged_to_string (cf_check_get_packaged (check)));
  set_string (fields, F_REFERRER, cf_check_get_referrer (check));
  set_int (fields, F_LAST_ANALYSIS, cf_check_get_last_analysis (check), cf_check_get_last_analysis (check) > 0);
  set_boolean (fields, F_STALE, cf_check_is_stale (check, g_get_real_time () / G_USEC_PER_SEC), TRUE);
}

/* JSON stays JSON, and its strings are safe on a terminal too
 * (cf_display_append_json_string()).  Written directly: a long list prints
 * a row for every line, and a JSON tree for each cost more than the rest
 * of the lookup. */
static char *
format_json (Field *fields)
{
  GString *line = g_string_new ("{");

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &fields[i];

      if (i > 0)
        g_string_append_c (line, ',');
      cf_display_append_json_string (line, field_names[i]);
      g_string_append_c (line, ':');
      if (!field->present)
        {
          g_string_append (line, "null");
          continue;
        }
      switch (field->type)
        {
        case FIELD_STRING:
          cf_display_append_json_string (line, field->text);
          break;
        case FIELD_INT:
          g_string_append_printf (line, "%" G_GINT64_FORMAT, field->number);
          break;
        case FIELD_BOOLEAN:
          g_string_append (line, field->flag ? "true" : "false");
          break;
        case FIELD_LIST:
        default:
          g_string_append_c (line, '[');
          for (guint j = 0; j < field->list->len; j++)
            {
              const char *item = g_ptr_array_index (field->list, j);

              if (j > 0)
                g_string_append_c (line, ',');
              if (field->list_of_ints)
                g_string_append_printf (line, "%" G_GINT64_FORMAT, g_ascii_strtoll (item, NULL, 10));
              else
                cf_display_append_json_string (line, item);
            }
          g_string_append_c (line, ']');
          break;
        }
    }
  g_string_append_c (line, '}');

  return g_string_free (line, FALSE);
}

/* CSV lands on terminals and in spreadsheets: text is escaped as file
 * names are, so no server string can drive a terminal or forge a row. */
static char *
format_csv (Field *fields)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &fields[i];
      g_autofree char *value = NULL;

      if (i > 0)
        g_string_append_c (line, ',');
      if (!field->present)
        continue;

      switch (field->type)
        {
        case FIELD_STRING:
          value = cf_display_text (field->text);
          break;
        case FIELD_INT:
          value = g_strdup_printf ("%" G_GINT64_FORMAT, field->number);
          break;
        case FIELD_BOOLEAN:
          value = g_strdup (field->flag ? "true" : "false");
          break;
        case FIELD_LIST:
        default:
          {
            g_autoptr(GString) joined = g_string_new (NULL);

            for (guint j = 0; j < field->list->len; j++)
              g_string_append_printf (joined, "%s%s", j > 0 ? " " : "",
                                      (char *) g_ptr_array_index (field->list, j));
            value = cf_display_text (joined->str);
          }
          break;
        }
      cf_csv_append_field (line, value);
    }

  return g_string_free (line, FALSE);
}

/* The first word of a text line, padded so that the names line up, in
 * any language: padded by characters, not bytes, to the longest word
 * (measured once: a long list prints many lines). */
static void
append_padded (GString    *line,
               const char *word)
{
  static gsize width;

  if (g_once_init_enter (&width))
    {
      const char *words[] = {
        C_("verdict", "allowed"), C_("verdict", "blocked"), C_("verdict", "error"), C_("verdict", "cancelled"),
      };
      gsize widest = 1;

      for (guint i = 0; i < G_N_ELEMENTS (words); i++)
        widest = MAX (widest, (gsize) g_utf8_strlen (words[i], -1));
      g_once_init_leave (&width, widest);
    }
  g_string_append (line, word);
  for (gsize n = g_utf8_strlen (word, -1); n < width + 2; n++)
    g_string_append_c (line, ' ');
}

/* One line for a person: what happens, to what, and why. */
static char *
format_text (CfCheck           *check,
             const CfFormatRow *row)
{
  const CfReport *report = cf_check_get_report (check);
  const CfProcessExe *exe = cf_check_get_process (check);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *label = NULL;
  g_autofree char *words = NULL;
  const char *sha256 = cf_check_get_sha256 (check);

  if (row != NULL && row->path != NULL)
    label = cf_display_path (row->path);
  else if (exe != NULL)
    label = cf_display_path (exe->path);
  else if (cf_check_get_file (check) != NULL)
    label = cf_display_text (g_file_peek_path (cf_check_get_file (check)) != NULL ?
                             g_file_peek_path (cf_check_get_file (check)) : cf_check_get_name (check));
  else if (cf_check_get_hash (check) != NULL)
    label = g_strdup (cf_check_get_hash (check));
  else
    label = g_strdup (_("input"));

  if (exe != NULL)
    {
      g_string_append_printf (line, "%s [", label);
      g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%u process", "%u processes",
                                                 exe->pids->len),
                              exe->pids->len);
      g_string_append_c (line, ']');
      if (exe->deleted)
        /* Translators: after a program's path: the file is gone from the disk */
        g_string_append (line, _(" (deleted)"));
      g_free (label);
      label = g_string_free (g_steal_pointer (&line), FALSE);
      line = g_string_new (NULL);
    }

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    {
      const GError *error = cf_check_get_error (check);
      g_autofree char *package = cf_verdict_describe_package (check);
      g_autofree char *message = cf_display_text (error != NULL ? error->message
                                                                : _("The check was cancelled."));

      /* A changed system file is said first, however its check ended. */
      if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
        {
          g_autofree char *shown = cf_display_text (package);
          char *both = g_strdup_printf ("%s · %s", shown, message);

          g_free (message);
          message = both;
        }

      /* Translators: the first word of a line of --check's text output */
      append_padded (line, cf_check_get_stage (check) == CF_CHECK_STAGE_CANCELLED ? C_("verdict", "cancelled")
                                                                                  : C_("verdict", "error"));
      g_string_append_printf (line, "%s  %s", label, message);
      return g_string_free (g_steal_pointer (&line), FALSE);
    }

  /* What happens, to what, and why, in words: the same verdict the window
   * and the notification give, with both counts wherever there are any. */
  append_padded (line, cf_check_get_decision (check) == CF_DECISION_BLOCK ? C_("verdict", "blocked")
                                                                          : C_("verdict", "allowed"));
  /* The package database's words carry its names: escaped as well. */
  {
    g_autofree char *described = cf_verdict_describe_check (check);

    words = cf_display_text (described);
  }
  g_string_append_printf (line, "%s  %s", label, words);
  if (report != NULL && cf_report_has_results (report))
    {
      /* Translators: after a verdict in --check's text output */
      g_string_append_printf (line, _(" · Malicious %d · Suspicious %d"),
                              (int) report->stats.malicious, (int) report->stats.suspicious);
    }
  if (report != NULL && report->threat_label != NULL)
    {
      /* Server text on a terminal: escaped like a file name, so it can
       * neither drive the terminal nor forge a line. */
      g_autofree char *threat = cf_display_text (report->threat_label);

      g_string_append_printf (line, " · %s", threat);
    }
  if (cf_check_get_hash (check) != NULL && sha256 != NULL &&
      g_strcmp0 (cf_check_get_hash (check), sha256) != 0)
    g_string_append_printf (line, " · SHA-256 %s", sha256);
  {
    g_autofree char *note = cf_verdict_note (report);

    if (note != NULL)
      g_string_append_printf (line, "  [%s]", note);
  }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

const char *
cf_format_csv_header (void)
{
  static char *header;

  if (g_once_init_enter (&header))
    {
      GString *joined = g_string_new (NULL);

      for (guint i = 0; i < N_FIELDS; i++)
        g_string_append_printf (joined, "%s%s", i > 0 ? "," : "", field_names[i]);
      g_once_init_leave (&header, g_string_free (joined, FALSE));
    }
  return header;
}

/* One line, without its newline, safe to print on a terminal. */
char *
cf_format_check (CfFormat           format,
                 CfCheck           *check,
                 const CfFormatRow *row)
{
  Field fields[N_FIELDS];
  char *line;

  g_return_val_if_fail (CF_IS_CHECK (check), NULL);

  if (format == CF_FORMAT_TEXT)
    return format_text (check, row);

  collect_fields (check, row, fields);
  line = format == CF_FORMAT_JSON ? format_json (fields) : format_csv (fields);
  fields_clear (fields);
  return line;
}

/* Writes @node as indented JSON, every string escaped as the rows are. */
static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &member, &value))
          {
            g_string_append (out, first ? "\n" : ",\n");
            first = FALSE;
            g_string_append_printf (out, "%*s", (int) (depth + 1) * 2, "");
            cf_display_append_json_string (out, member);
            g_string_append (out, ": ");
            append_json_node (out, value, depth + 1);
          }
        if (!first)
          g_string_append_printf (out, "\n%*s", (int) depth * 2, "");
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            g_string_append (out, i == 0 ? "\n" : ",\n");
            g_string_append_printf (out, "%*s", (int) (depth + 1) * 2, "");
            append_json_node (out, json_array_get_element (array, i), depth + 1);
          }
        if (n > 0)
          g_string_append_printf (out, "\n%*s", (int) depth * 2, "");
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        cf_display_append_json_string (out, json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_dtostr (number, sizeof number, json_node_get_double (node)));
        }
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Export Report: one JSON document about one check, for a person to keep
 * or send on: {"check": the row as --json writes it, "report": the file
 * object as VirusTotal sent it (what Check First keeps of it), or null}.
 * Indented, with every string escaped as the rows are. */
char *
cf_format_report_document (CfCheck *check)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *row = NULL;
  CfReport *report;
  GString *out;

  g_return_val_if_fail (CF_IS_CHECK (check), NULL);

  out = g_string_new ("{\n  \"check\": ");
  row = cf_format_check (CF_FORMAT_JSON, check, NULL);
  if (json_parser_load_from_data (parser, row, -1, NULL) && json_parser_get_root (parser) != NULL)
    append_json_node (out, json_parser_get_root (parser), 1);
  else
    g_string_append (out, "null");

  g_string_append (out, ",\n  \"report\": ");
  report = cf_check_get_report (check);
  if (report != NULL)
    {
      g_autofree char *saved = cf_report_to_json (report);
      JsonNode *data = NULL;

      if (json_parser_load_from_data (parser, saved, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        data = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "data");
      if (data != NULL)
        append_json_node (out, data, 1);
      else
        g_string_append (out, "null");
    }
  else
    g_string_append (out, "null");
  g_string_append (out, "\n}\n");

  return g_string_free (out, FALSE);
}

/* The same fields as a D-Bus dictionary: only those that are present, and
 * no terminal escaping (D-Bus strings are for programs).  The caller adds
 * what only D-Bus carries. */
void
cf_format_add_to_variant (CfCheck         *check,
                          GVariantBuilder *builder)
{
  Field fields[N_FIELDS];

  g_return_if_fail (CF_IS_CHECK (check));
  g_return_if_fail (builder != NULL);

  collect_fields (check, NULL, fields);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &fields[i];
      GVariant *value = NULL;

      if (!field->present)
        continue;
      switch (field->type)
        {
        case FIELD_STRING:
          /* D-Bus takes only valid UTF-8. */
          value = g_utf8_validate (field->text, -1, NULL) ? g_variant_new_string (field->text)
                                                          : g_variant_new_take_string (g_utf8_make_valid (field->text, -1));
          break;
        case FIELD_INT:
          value = g_variant_new_int64 (field->number);
          break;
        case FIELD_BOOLEAN:
          value = g_variant_new_boolean (field->flag);
          break;
        case FIELD_LIST:
        default:
          if (field->list_of_ints)
            {
              GVariantBuilder list;

              g_variant_builder_init (&list, G_VARIANT_TYPE ("ax"));
              for (guint j = 0; j < field->list->len; j++)
                g_variant_builder_add (&list, "x", g_ascii_strtoll (g_ptr_array_index (field->list, j), NULL, 10));
              value = g_variant_builder_end (&list);
            }
          else
            {
              GVariantBuilder list;

              g_variant_builder_init (&list, G_VARIANT_TYPE ("as"));
              for (guint j = 0; j < field->list->len; j++)
                {
                  g_autofree char *item = g_utf8_make_valid (g_ptr_array_index (field->list, j), -1);

                  g_variant_builder_add (&list, "s", item);
                }
              value = g_variant_builder_end (&list);
            }
          break;
        }
      g_variant_builder_add (builder, "{sv}", field_names[i], value);
    }
  fields_clear (fields);
}
