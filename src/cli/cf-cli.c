/* cf-cli.c: the headless commands (--hash, --check, --lookup, ...)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These run from GApplication's handle-local-options, before any display
 * is touched, so they work over ssh and in scripts.  Results go to stdout;
 * progress goes to stderr only when stderr is a terminal.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-audit.h"
#include "cf-checker.h"
#include "cf-cli.h"
#include "cf-csv.h"
#include "cf-display.h"
#include "cf-hashlist.h"
#include "cf-secret.h"
#include "cf-time.h"
#include "cf-verdict.h"

#define CF_MAX_LOOKUPS_IN_FLIGHT 8
#define CF_MAX_INPUT_SIZE ((gsize) 512 * 1024 * 1024)

typedef enum
{
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_CSV,
} Format;

/* One line of output: a file, a hash, or an executable. */
typedef struct
{
  char       *path;
  char       *hash;          /* what was asked for (lookups) */
  char       *host;
  char       *name;
  gint64      pid;
  CfProcessExe *exe;         /* borrowed, --processes only */
  gboolean    done;
  char       *sha256;
  gint64      size;
  CfReport   *report;
  CfDecision  decision;
  CfReason    reason;
  guint       threshold;
  CfSource    source;
  char       *error;
} Item;

static void
item_free (Item *item)
{
  g_free (item->path);
  g_free (item->hash);
  g_free (item->host);
  g_free (item->name);
  g_free (item->sha256);
  g_clear_pointer (&item->report, cf_report_unref);
  g_free (item->error);
  g_free (item);
}

typedef struct
{
  GApplication *app;
  Format        format;
  CfConfig      config;
  CfStore      *store;
  CfScheduler  *scheduler;
  CfChecker    *checker;
  GError       *key_error;
  GMainLoop    *loop;
  GPtrArray    *items;
  guint         next_to_print;
  guint         pending;
  gboolean      progress;   /* stderr is a terminal */
  gboolean      printed_header;
  gboolean      estimate_shown;
} Cli;

static GOptionEntry cli_entries[] = {
  { "hash", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the SHA-256 of each FILE, as sha256sum does"), NULL },
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Check each FILE and print the verdict; open nothing"), NULL },
  { "lookup", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Look up MD5, SHA-1 or SHA-256 hashes given as arguments, or read from standard input"), NULL },
  { "input", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Read the hashes for --lookup from FILE"), N_("FILE") },
  { "processes", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Check the executables of all running processes"), NULL },
  { "show-processes", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the window on the running processes"), NULL },
  { "quota", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the requests used this minute, today and this month"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print one JSON object per line"), NULL },
  { "csv", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print CSV with a header line"), NULL },
  { "mode", 0, 0, G_OPTION_ARG_STRING, NULL, N_("normal (block detected files) or stop-unknowns (also block files VirusTotal has never seen)"), N_("MODE") },
  { "threshold", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Block when at least N engines flag a file (default 1)"), N_("N") },
  { "count-suspicious", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Count “suspicious” verdicts towards the threshold"), NULL },
  { "rate", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Requests per minute (0 = no limit at all)"), N_("N") },
  { "no-cache", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not use cached verdicts"), NULL },
  { "upload", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Upload files VirusTotal does not know: never (default) or always"), N_("POLICY") },
  { "wait-max", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Give up waiting for the request budget or an analysis after SECONDS"), N_("SECONDS") },
  { "allow-hash", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Always allow the file with this SHA-256"), N_("SHA256") },
  { "block-hash", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Always block the file with this SHA-256"), N_("SHA256") },
  { "forget-hash", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Remove a SHA-256 from the allowed and blocked files"), N_("SHA256") },
  { "note", 0, 0, G_OPTION_ARG_STRING, NULL, N_("A note for --allow-hash or --block-hash"), N_("TEXT") },
  { "list-trust", 0, 0, G_OPTION_ARG_NONE, NULL, N_("List the files you always allow or block"), NULL },
  { "clear-cache", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Forget every cached verdict and file fingerprint"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

void
cf_cli_add_options (GApplication *app)
{
  g_application_add_main_option_entries (app, cli_entries);
  g_application_set_option_context_summary (app,
    _("Check a file against VirusTotal before you open it.\n\n"
      "With FILE arguments and no command, the window checks each file and then opens it or blocks it."));
  g_application_set_option_context_description (app,
    _("Exit status: 0 every item allowed, 1 at least one blocked, 2 at least one could not be "
      "checked and none blocked, 64 usage error.\n"
      "Environment: VT_API_KEY (the API key; overrides the keyring), CHECK_FIRST_API_URL."));
}

/* Messages can carry file names and server text: escaped for a terminal. */
static void
print_error (const char *message)
{
  g_autofree char *shown = cf_display_text (message);

  g_printerr ("check-first: %s\n", shown);
}

static void usage_error (const char *format,
                         ...) G_GNUC_PRINTF (1, 2);

static void
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_error (message);
  g_printerr (_("Try “check-first --help” for more information.\n"));
}

/* GApplication answers an unknown option with exit status 1, which for us
 * means "blocked".  Parse the arguments once beforehand, with the same
 * entries and throwaway storage, so a usage error says 64. */
int
cf_cli_check_arguments (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GOptionGroup) group = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GOptionEntry *entries = g_memdup2 (cli_entries, sizeof cli_entries);
  g_autofree gpointer storage = g_malloc0_n (G_N_ELEMENTS (cli_entries), sizeof (gpointer));
  g_auto(GStrv) copy = NULL;
  gpointer *slots = storage;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--help") || g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?"))
      return -1;

  for (guint i = 0; entries[i].long_name != NULL; i++)
    entries[i].arg_data = &slots[i];

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  copy = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &copy, &error))
    {
      usage_error ("%s", error->message);
      for (guint i = 0; entries[i].long_name != NULL; i++)
        if (entries[i].arg == G_OPTION_ARG_FILENAME_ARRAY || entries[i].arg == G_OPTION_ARG_STRING_ARRAY)
          g_strfreev (slots[i]);
        else if (entries[i].arg != G_OPTION_ARG_NONE && entries[i].arg != G_OPTION_ARG_INT)
          g_free (slots[i]);
      return CF_EXIT_USAGE;
    }

  for (guint i = 0; entries[i].long_name != NULL; i++)
    if (entries[i].arg == G_OPTION_ARG_FILENAME_ARRAY || entries[i].arg == G_OPTION_ARG_STRING_ARRAY)
      g_strfreev (slots[i]);
    else if (entries[i].arg != G_OPTION_ARG_NONE && entries[i].arg != G_OPTION_ARG_INT)
      g_free (slots[i]);

  return -1;
}

/* ------------------------------------------------------------------ */
/* --hash                                                               */
/* ------------------------------------------------------------------ */

/* Exactly what sha256sum prints, including its escaping of names that
 * hold a backslash or a newline. */
static void
print_sha256sum_line (const char *sha256,
                      const char *path)
{
  gboolean escape = strchr (path, '\\') != NULL || strchr (path, '\n') != NULL;
  GString *line = g_string_new (escape ? "\\" : "");

  g_string_append (line, sha256);
  g_string_append (line, "  ");
  for (const char *p = path; *p; p++)
    {
      if (escape && *p == '\\')
        g_string_append (line, "\\\\");
      else if (escape && *p == '\n')
        g_string_append (line, "\\n");
      else
        g_string_append_c (line, *p);
    }
  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stdout);
  g_string_free (line, TRUE);
}

static int
run_hash (char **files)
{
  int status = CF_EXIT_ALLOWED;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (files[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;

      sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);
      if (sha256 == NULL)
        {
          print_error (error->message);
          status = CF_EXIT_UNCHECKED;
          continue;
        }
      print_sha256sum_line (sha256, files[i]);
    }

  fflush (stdout);
  return status;
}

/* ------------------------------------------------------------------ */
/* Printing results                                                     */
/* ------------------------------------------------------------------ */

static const char *
item_status (const Item *item)
{
  if (item->error != NULL)
    return "error";
  return cf_reason_to_status (item->reason);
}

static void
json_add_string (JsonBuilder *builder,
                 const char  *member,
                 const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
json_add_int (JsonBuilder *builder,
              const char  *member,
              gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
print_json (Cli  *cli,
            Item *item)
{
  /* JSON stays JSON: its own escaping makes any server string safe. */
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;
  g_autofree char *permalink = NULL;
  g_autofree char *path = item->path != NULL ? g_filename_display_name (item->path) : NULL;
  const CfStats *stats = item->report != NULL ? &item->report->stats : NULL;

  json_builder_begin_object (builder);
  if (item->path != NULL)
    json_add_string (builder, "path", path);
  if (item->hash != NULL)
    json_add_string (builder, "hash", item->hash);
  if (item->host != NULL)
    json_add_string (builder, "host", item->host);
  if (item->name != NULL)
    json_add_string (builder, "name", item->name);
  if (item->pid >= 0)
    json_add_int (builder, "pid", item->pid);
  json_add_string (builder, "sha256", item->sha256);
  json_builder_set_member_name (builder, "size");
  if (item->size >= 0)
    json_builder_add_int_value (builder, item->size);
  else
    json_builder_add_null_value (builder);
  json_add_string (builder, "status", item_status (item));
  json_add_string (builder, "decision", cf_decision_to_string (item->error != NULL ? CF_DECISION_BLOCK : item->decision));
  json_add_string (builder, "reason", item->error != NULL ? "error" : cf_reason_to_string (item->reason));
  json_add_int (builder, "malicious", stats ? stats->malicious : 0);
  json_add_int (builder, "suspicious", stats ? stats->suspicious : 0);
  json_add_int (builder, "undetected", stats ? stats->undetected : 0);
  json_add_int (builder, "harmless", stats ? stats->harmless : 0);
  json_add_int (builder, "engines", stats ? cf_stats_engines (stats) : 0);
  json_add_string (builder, "threat_label", item->report != NULL ? item->report->threat_label : NULL);
  json_builder_set_member_name (builder, "inconsistent");
  json_builder_add_boolean_value (builder, item->report != NULL && item->report->inconsistent);
  permalink = item->sha256 != NULL ? cf_report_permalink (item->sha256) : NULL;
  json_add_string (builder, "permalink", permalink);
  json_add_string (builder, "source", cf_source_to_string (item->source));
  if (item->exe != NULL)
    {
      json_builder_set_member_name (builder, "pids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < item->exe->pids->len; i++)
        json_builder_add_int_value (builder, g_array_index (item->exe->pids, int, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "names");
      json_builder_begin_array (builder);
      for (guint i = 0; i < item->exe->names->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (item->exe->names, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, item->exe->deleted);
      json_builder_set_member_name (builder, "user_writable");
      json_builder_add_boolean_value (builder, item->exe->user_writable);
    }
  if (item->error != NULL)
    json_add_string (builder, "error", item->error);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  safe = cf_display_json (text);
  g_print ("%s\n", safe);
}

static void
print_csv (Cli  *cli,
           Item *item)
{
  const CfStats *stats = item->report != NULL ? &item->report->stats : NULL;
  g_autofree char *path = item->path != NULL ? g_filename_display_name (item->path) : NULL;
  g_autofree char *permalink = item->sha256 != NULL ? cf_report_permalink (item->sha256) : NULL;
  g_autoptr(GString) pids = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *fields[19];
  g_autofree char *malicious = g_strdup_printf ("%" G_GINT64_FORMAT, stats ? stats->malicious : 0);
  g_autofree char *suspicious = g_strdup_printf ("%" G_GINT64_FORMAT, stats ? stats->suspicious : 0);
  g_autofree char *engines = g_strdup_printf ("%" G_GINT64_FORMAT, stats ? cf_stats_engines (stats) : 0);
  g_autofree char *size = item->size >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, item->size) : g_strdup ("");
  g_autofree char *pid = item->pid >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, item->pid) : g_strdup ("");
  /* CSV lands on terminals and in spreadsheets: server text is escaped as
   * file names are. */
  g_autofree char *label = item->report != NULL && item->report->threat_label != NULL ?
                           cf_display_text (item->report->threat_label) : NULL;
  guint n = 0;

  if (!cli->printed_header)
    {
      g_print ("path,hash,host,name,pid,sha256,size,status,decision,reason,malicious,suspicious,"
               "engines,threat_label,permalink,source,pids,deleted,error\n");
      cli->printed_header = TRUE;
    }

  if (item->exe != NULL)
    {
      for (guint i = 0; i < item->exe->pids->len; i++)
        g_string_append_printf (pids, "%s%d", i ? " " : "", g_array_index (item->exe->pids, int, i));
      for (guint i = 0; i < item->exe->names->len; i++)
        g_string_append_printf (names, "%s%s", i ? " " : "", (char *) g_ptr_array_index (item->exe->names, i));
    }

  fields[n++] = path;
  fields[n++] = item->hash;
  fields[n++] = item->host;
  fields[n++] = item->exe != NULL ? names->str : item->name;
  fields[n++] = pid;
  fields[n++] = item->sha256;
  fields[n++] = size;
  fields[n++] = item_status (item);
  fields[n++] = cf_decision_to_string (item->error != NULL ? CF_DECISION_BLOCK : item->decision);
  fields[n++] = item->error != NULL ? "error" : cf_reason_to_string (item->reason);
  fields[n++] = malicious;
  fields[n++] = suspicious;
  fields[n++] = engines;
  fields[n++] = label;
  fields[n++] = permalink;
  fields[n++] = cf_source_to_string (item->source);
  fields[n++] = pids->str;
  fields[n++] = item->exe != NULL ? (item->exe->deleted ? "true" : "false") : "";
  fields[n++] = item->error;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      cf_csv_append_field (line, fields[i]);
    }
  g_print ("%s\n", line->str);
}

static void
print_text (Cli  *cli,
            Item *item)
{
  const CfStats *stats = item->report != NULL ? &item->report->stats : NULL;
  g_autofree char *label = NULL;
  g_autofree char *count = NULL;
  const char *word;

  if (item->path != NULL)
    label = cf_display_path (item->path);
  else if (item->hash != NULL)
    label = g_strdup (item->hash);
  else
    label = g_strdup (_("input"));

  if (item->exe != NULL)
    {
      g_autoptr(GString) extra = g_string_new (label);

      g_string_append_printf (extra, " [%u %s]", item->exe->pids->len,
                              item->exe->pids->len == 1 ? "process" : "processes");
      if (item->exe->deleted)
        g_string_append (extra, " (deleted)");
      g_free (label);
      label = g_string_free (g_steal_pointer (&extra), FALSE);
    }

  if (item->error != NULL)
    {
      g_autofree char *error = cf_display_text (item->error);

      g_print ("%-8s %-8s %7s  %s: %s\n", "error", "-", "-", label, error);
      return;
    }

  switch (item->reason)
    {
    case CF_REASON_DETECTED:
      word = "DETECTED";
      break;
    case CF_REASON_BLOCKED_BY_USER:
      word = "BLOCKED";
      break;
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
      word = "unknown";
      break;
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
      word = "no-results";
      break;
    case CF_REASON_BELOW_THRESHOLD:
      word = "flagged";
      break;
    case CF_REASON_TRUSTED:
      word = "trusted";
      break;
    case CF_REASON_CLEAN:
    default:
      word = "clean";
      break;
    }

  count = stats != NULL ?
          g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, stats->malicious, cf_stats_engines (stats)) :
          g_strdup ("-");

  g_print ("%-8s %-10s %7s  %s", item->decision == CF_DECISION_BLOCK ? "BLOCK" : "allow",
           word, count, label);
  if (item->hash != NULL && item->sha256 != NULL && g_strcmp0 (item->hash, item->sha256) != 0)
    g_print ("  sha256 %s", item->sha256);
  /* Said in words where the word alone would mislead. */
  if (item->reason == CF_REASON_BELOW_THRESHOLD || cf_reason_is_unknown (item->reason))
    {
      g_autofree char *words = cf_verdict_describe (item->reason, item->report, item->threshold);
      g_print ("  (%s)", words);
    }
  if (item->report != NULL && item->report->threat_label != NULL)
    {
      /* Server text on a terminal: escaped like a file name, so it can
       * neither drive the terminal nor forge a line. */
      g_autofree char *threat = cf_display_text (item->report->threat_label);
      g_print ("  (%s)", threat);
    }
  {
    g_autofree char *note = cf_verdict_note (item->report);
    if (note != NULL)
      g_print ("  [%s]", note);
  }
  g_print ("\n");
}

/* Every error is said on standard error too, so that "--check FILE > out"
 * still tells the person at the terminal. */
static void
report_error (Item *item)
{
  g_autofree char *label = item->path != NULL ? cf_display_path (item->path) :
                           g_strdup (item->hash != NULL ? item->hash : _("input"));
  g_autofree char *error = cf_display_text (item->error);

  g_printerr ("check-first: %s: %s\n", label, error);
}

static void
print_item (Cli  *cli,
            Item *item)
{
  if (item->error != NULL)
    report_error (item);

  switch (cli->format)
    {
    case FORMAT_JSON:
      print_json (cli, item);
      break;
    case FORMAT_CSV:
      print_csv (cli, item);
      break;
    case FORMAT_TEXT:
    default:
      print_text (cli, item);
      break;
    }
}

static int
exit_status (GPtrArray *items)
{
  gboolean blocked = FALSE, unchecked = FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      if (item->error != NULL)
        unchecked = TRUE;
      else if (item->decision == CF_DECISION_BLOCK)
        blocked = TRUE;
    }

  if (blocked)
    return CF_EXIT_BLOCKED;
  return unchecked ? CF_EXIT_UNCHECKED : CF_EXIT_ALLOWED;
}

static void
clear_progress (Cli *cli)
{
  if (cli->progress)
    g_printerr ("\r\033[K");
}

/* ------------------------------------------------------------------ */
/* Set-up shared by the commands that talk to VirusTotal                */
/* ------------------------------------------------------------------ */

/* -1 when the option is absent; FALSE after a usage error. */
static gboolean
number_option (GVariantDict *options,
               const char   *name,
               gint64        minimum,
               gint64       *value)
{
  const char *text = NULL;
  guint64 parsed;

  *value = -1;
  if (!g_variant_dict_lookup (options, name, "&s", &text))
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, minimum, G_MAXINT32, &parsed, NULL))
    {
      usage_error (_("--%s needs a whole number of at least %d, not “%s”."),
                   name, (int) minimum, text);
      return FALSE;
    }

  *value = parsed;
  return TRUE;
}

static gboolean
cli_setup (Cli           *cli,
           GVariantDict  *options,
           gboolean       need_client)
{
  g_autoptr(GSettings) settings = cf_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *mode = NULL;
  const char *upload = NULL;
  gint64 threshold, rate, wait_max;

  cf_config_init (&cli->config);
  cf_config_load (&cli->config, settings);
  /* Scripts upload only when they say so. */
  cli->config.upload = CF_UPLOAD_NEVER;

  if (g_variant_dict_lookup (options, "mode", "&s", &mode) &&
      !cf_mode_from_string (mode, &cli->config.policy.mode))
    {
      usage_error (_("Unknown mode “%s”: use normal or stop-unknowns."), mode);
      return FALSE;
    }
  /* Numbers arrive as strings: GApplication drops an integer option whose
   * value is 0, and "--rate=0" means something. */
  if (!number_option (options, "threshold", 1, &threshold) ||
      !number_option (options, "rate", 0, &rate) ||
      !number_option (options, "wait-max", 0, &wait_max))
    return FALSE;

  if (threshold >= 0)
    cli->config.policy.threshold = threshold;
  if (g_variant_dict_contains (options, "count-suspicious"))
    cli->config.policy.count_suspicious = TRUE;
  if (rate >= 0)
    {
      cli->config.per_minute = rate;
      if (rate == 0)
        cli->config.per_day = cli->config.per_month = 0;
    }
  if (g_variant_dict_lookup (options, "upload", "&s", &upload))
    {
      if (!cf_upload_policy_from_string (upload, &cli->config.upload) ||
          cli->config.upload == CF_UPLOAD_ASK)
        {
          usage_error (_("Unknown upload policy “%s”: use never or always."), upload);
          return FALSE;
        }
    }
  if (wait_max >= 0)
    cli->config.wait_max = wait_max;

  cli->store = cf_store_open (NULL, &error);
  if (cli->store == NULL)
    {
      print_error (error->message);
      return FALSE;
    }

  cli->scheduler = cf_scheduler_new (cli->store);
  cf_scheduler_set_limits (cli->scheduler, cli->config.per_minute, cli->config.per_day,
                           cli->config.per_month);
  if (wait_max > 0)
    cf_scheduler_set_max_wait (cli->scheduler, wait_max);

  cli->checker = cf_checker_new (cli->store, cli->scheduler);
  cf_checker_set_config (cli->checker, &cli->config);
  cf_checker_set_use_cache (cli->checker, !g_variant_dict_contains (options, "no-cache"));

  if (!need_client)
    return TRUE;

  /* Without a key, answers from the cache and the trust list still work;
   * anything that needs a request reports the key error. */
  key = cf_api_key_get (NULL, &cli->key_error);
  if (key != NULL)
    {
      g_autoptr(CfVtClient) client = cf_vt_client_new (cli->config.api_url, key, cli->scheduler, &error);

      if (client == NULL)
        {
          print_error (error->message);
          return FALSE;
        }
      cf_checker_set_client (cli->checker, client);
    }

  return TRUE;
}

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->checker);
  g_clear_object (&cli->scheduler);
  g_clear_object (&cli->store);
  g_clear_error (&cli->key_error);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_pointer (&cli->items, g_ptr_array_unref);
  cf_config_clear (&cli->config);
}

/* ------------------------------------------------------------------ */
/* --check                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  Cli     *cli;
  Item    *item;
  CfCheck *check;
  gint64   said_wait_until;   /* the last wait told on stderr */
} CheckJob;

static void
print_ready_items (Cli *cli)
{
  /* Results come out in the order the files were given. */
  while (cli->next_to_print < cli->items->len)
    {
      Item *item = g_ptr_array_index (cli->items, cli->next_to_print);

      if (!item->done)
        break;
      clear_progress (cli);
      print_item (cli, item);
      cli->next_to_print++;
    }
  fflush (stdout);
}

static void
item_from_check (Item    *item,
                 CfCheck *check)
{
  item->done = TRUE;
  item->sha256 = g_strdup (cf_check_get_sha256 (check));
  item->size = cf_check_get_size (check);
  if (cf_check_get_report (check) != NULL)
    item->report = cf_report_ref (cf_check_get_report (check));
  item->decision = cf_check_get_decision (check);
  item->reason = cf_check_get_reason (check);
  item->threshold = cf_check_get_threshold (check);
  item->source = cf_check_get_source (check);
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    item->error = g_strdup (cf_check_get_error (check) != NULL ?
                            cf_check_get_error (check)->message : _("The check was cancelled."));
}

static void
on_check_notify_stage (CfCheck    *check,
                       GParamSpec *pspec,
                       CheckJob   *job)
{
  Cli *cli = job->cli;

  if (cf_check_get_stage (check) == CF_CHECK_STAGE_PENDING && cli->key_error != NULL)
    {
      /* A request is needed and there is no key. */
      job->item->done = TRUE;
      job->item->sha256 = g_strdup (cf_check_get_sha256 (check));
      job->item->size = cf_check_get_size (check);
      job->item->error = g_strdup (cli->key_error->message);
      g_signal_handlers_disconnect_by_data (check, job);
      cf_check_cancel (check);
      if (--cli->pending == 0)
        g_main_loop_quit (cli->loop);
      print_ready_items (cli);
      return;
    }

  /* A script's stderr hears of every wait once: what, and until when. */
  if (!cli->progress && cf_check_get_stage (check) == CF_CHECK_STAGE_WAITING_QUOTA &&
      cf_check_get_wait_until (check) > 0 && cf_check_get_wait_until (check) != job->said_wait_until)
    {
      g_autofree char *name = cf_display_path (job->item->path);
      g_autofree char *until = cf_format_moment (cf_check_get_wait_until (check), g_get_real_time ());
      const char *reason = cf_check_get_wait_reason (check);

      job->said_wait_until = cf_check_get_wait_until (check);
      /* Translators: "FILE: REASON; waiting until 14:05:03" */
      g_printerr (_("check-first: %s: %s; waiting until %s\n"), name,
                  reason != NULL ? reason : _("Waiting for the request budget"), until);
    }

  if (cli->progress && !cf_check_is_finished (check))
    {
      g_autofree char *name = g_file_get_basename (cf_check_get_file (check));
      const char *what;

      switch (cf_check_get_stage (check))
        {
        case CF_CHECK_STAGE_HASHING:
          what = _("Computing fingerprint");
          break;
        case CF_CHECK_STAGE_WAITING_QUOTA:
          what = cf_check_get_wait_reason (check) != NULL ? cf_check_get_wait_reason (check) : _("Waiting for the request budget");
          break;
        case CF_CHECK_STAGE_UPLOADING:
          what = _("Uploading");
          break;
        case CF_CHECK_STAGE_ANALYSIS_QUEUED:
        case CF_CHECK_STAGE_ANALYSIS_RUNNING:
          what = _("Being analysed");
          break;
        default:
          what = _("Looking up");
          break;
        }
      g_printerr ("\r\033[K%s: %s…", name, what);
    }

  if (!cf_check_is_finished (check))
    return;

  item_from_check (job->item, check);
  g_signal_handlers_disconnect_by_data (check, job);
  if (--cli->pending == 0)
    g_main_loop_quit (cli->loop);
  print_ready_items (cli);
}

static void
check_job_free (gpointer data)
{
  CheckJob *job = data;

  g_clear_object (&job->check);
  g_free (job);
}

static int
run_check (Cli           *cli,
           GVariantDict  *options,
           char         **files)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (check_job_free);

  if (!cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  for (guint i = 0; files[i] != NULL; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->path = g_strdup (files[i]);
      item->pid = -1;
      item->size = -1;
      g_ptr_array_add (cli->items, item);
    }

  cli->pending = cli->items->len;
  for (guint i = 0; i < cli->items->len; i++)
    {
      Item *item = g_ptr_array_index (cli->items, i);
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (item->path);
      CheckJob *job = g_new0 (CheckJob, 1);

      job->cli = cli;
      job->item = item;
      g_ptr_array_add (jobs, job);
      job->check = cf_checker_check_file (cli->checker, file, CF_PRIORITY_INTERACTIVE);
      g_signal_connect (job->check, "notify::stage", G_CALLBACK (on_check_notify_stage), job);
      g_signal_connect (job->check, "notify::wait-until", G_CALLBACK (on_check_notify_stage), job);
      /* It may have finished at once (cache, trust list, bad file). */
      on_check_notify_stage (job->check, NULL, job);
    }

  if (cli->pending > 0)
    g_main_loop_run (cli->loop);

  print_ready_items (cli);
  return exit_status (cli->items);
}

/* ------------------------------------------------------------------ */
/* --lookup and --processes: many hashes through the scheduler          */
/* ------------------------------------------------------------------ */

typedef struct
{
  Cli       *cli;
  char      *hash;        /* lowercase, unique */
  GPtrArray *items;       /* Item, borrowed: every input row with this hash */
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->hash);
  g_ptr_array_unref (lookup->items);
  g_free (lookup);
}

typedef struct
{
  Cli       *cli;
  GPtrArray *lookups;
  guint      next;
  guint      in_flight;
  guint      done;
} Batch;

static void batch_pump (Batch *batch);

static void
lookup_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lookup *lookup = user_data;
  Cli *cli = lookup->cli;
  Batch *batch = g_object_get_data (G_OBJECT (cli->checker), "cf-batch");
  g_autoptr(CfLookup) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = cf_checker_lookup_finish (CF_CHECKER (object), result, &error);

  for (guint i = 0; i < lookup->items->len; i++)
    {
      Item *item = g_ptr_array_index (lookup->items, i);

      item->done = TRUE;
      if (answer == NULL)
        {
          if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY) && cli->key_error != NULL)
            item->error = g_strdup (cli->key_error->message);
          else
            item->error = g_strdup (error->message);
          continue;
        }
      item->sha256 = g_strdup (answer->sha256);
      if (answer->report != NULL)
        {
          item->report = cf_report_ref (answer->report);
          if (item->size < 0)
            item->size = answer->report->size;
        }
      item->decision = answer->decision;
      item->reason = answer->reason;
      item->threshold = answer->threshold;
      item->source = answer->source;
    }

  batch->in_flight--;
  batch->done++;
  if (cli->progress)
    g_printerr ("\r\033[K%s %u/%u…", _("Looking up"), batch->done, batch->lookups->len);
  batch_pump (batch);
}

static void
batch_pump (Batch *batch)
{
  Cli *cli = batch->cli;

  while (batch->in_flight < CF_MAX_LOOKUPS_IN_FLIGHT && batch->next < batch->lookups->len)
    {
      Lookup *lookup = g_ptr_array_index (batch->lookups, batch->next++);

      batch->in_flight++;
      cf_checker_lookup_async (cli->checker, lookup->hash,
                               cli->items->len > 1 ? CF_PRIORITY_BATCH : CF_PRIORITY_INTERACTIVE,
                               NULL, lookup_ready, lookup);
    }

  if (batch->in_flight == 0 && batch->next >= batch->lookups->len)
    g_main_loop_quit (cli->loop);
}

/* Looks every item's hash up once, however many items share it. */
static void
run_batch (Cli *cli)
{
  g_autoptr(GHashTable) by_hash = g_hash_table_new (g_str_hash, g_str_equal);
  Batch batch = { cli, g_ptr_array_new_with_free_func ((GDestroyNotify) lookup_free), 0, 0, 0 };

  for (guint i = 0; i < cli->items->len; i++)
    {
      Item *item = g_ptr_array_index (cli->items, i);
      Lookup *lookup;

      if (item->done || item->hash == NULL)
        continue;

      lookup = g_hash_table_lookup (by_hash, item->hash);
      if (lookup == NULL)
        {
          lookup = g_new0 (Lookup, 1);
          lookup->cli = cli;
          lookup->hash = g_strdup (item->hash);
          lookup->items = g_ptr_array_new ();
          g_hash_table_insert (by_hash, lookup->hash, lookup);
          g_ptr_array_add (batch.lookups, lookup);
        }
      g_ptr_array_add (lookup->items, item);
    }

  g_object_set_data (G_OBJECT (cli->checker), "cf-batch", &batch);
  cli->loop = g_main_loop_new (NULL, FALSE);
  batch_pump (&batch);
  if (batch.lookups->len > 0)
    g_main_loop_run (cli->loop);
  clear_progress (cli);
  g_object_set_data (G_OBJECT (cli->checker), "cf-batch", NULL);
  g_ptr_array_unref (batch.lookups);
}

/* Most detections first, then flagged below the threshold, then unknown,
 * then clean; errors last. */
static int
item_rank (const Item *item)
{
  if (item->error != NULL)
    return 4;
  if (item->decision == CF_DECISION_BLOCK)
    return 0;
  if (item->reason == CF_REASON_BELOW_THRESHOLD)
    return 1;
  if (cf_reason_is_unknown (item->reason))
    return 2;
  return 3;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *ia = *(const Item **) a;
  const Item *ib = *(const Item **) b;
  gint64 ma = ia->report != NULL ? ia->report->stats.malicious : 0;
  gint64 mb = ib->report != NULL ? ib->report->stats.malicious : 0;
  int ra = item_rank (ia), rb = item_rank (ib);

  if (ra != rb)
    return ra - rb;
  if (ma != mb)
    return ma > mb ? -1 : 1;
  return 0;
}

static void
print_summary (Cli *cli)
{
  guint blocked = 0, below = 0, unknown = 0, clean = 0, errors = 0;

  for (guint i = 0; i < cli->items->len; i++)
    {
      Item *item = g_ptr_array_index (cli->items, i);

      if (item->error != NULL)
        errors++;
      else if (item->decision == CF_DECISION_BLOCK)
        blocked++;
      else if (item->reason == CF_REASON_BELOW_THRESHOLD)
        below++;
      else if (cf_reason_is_unknown (item->reason))
        unknown++;
      else
        clean++;
    }

  g_printerr (_("%u blocked, %u flagged below your threshold, %u unknown, %u clean, %u errors; "
                "%u requests spent\n"),
              blocked, below, unknown, clean, errors, cf_scheduler_get_spent (cli->scheduler));
}

static void
print_sorted (Cli *cli)
{
  g_ptr_array_sort (cli->items, compare_items);
  for (guint i = 0; i < cli->items->len; i++)
    print_item (cli, g_ptr_array_index (cli->items, i));
  fflush (stdout);
}

static Item *
item_new_for_hash (const char *hash)
{
  Item *item = g_new0 (Item, 1);

  item->hash = g_ascii_strdown (hash, -1);
  item->pid = -1;
  item->size = -1;
  return item;
}

/* The list in @path: a regular file, or a pipe (a named one, or
 * "<(command)"), read like standard input.  A device, a folder or a socket
 * is refused at once, and a named pipe that nobody writes to yet is waited
 * on only after saying so. */
static int
open_list (const char  *path,
           GError     **error)
{
  g_autofree char *shown = cf_display_path (path);
  struct stat st;
  int fd;

  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      cf_file_error_from_errno (error, errno, shown);
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, shown);
      close (fd);
      return -1;
    }

  if (S_ISFIFO (st.st_mode))
    {
      struct pollfd ready = { fd, POLLIN, 0 };

      if (poll (&ready, 1, 0) == 0)
        {
          g_printerr (_("check-first: “%s” is a pipe; waiting for a program to write the list "
                        "to it (Ctrl+C to stop)\n"), shown);
          while (poll (&ready, 1, -1) < 0 && errno == EINTR)
            ;
        }
    }
  else if (!S_ISREG (st.st_mode))
    {
      const char *what = S_ISDIR (st.st_mode) ? _("a folder") :
                         S_ISSOCK (st.st_mode) ? _("a socket") : _("a device");

      /* Translators: the second %s is "a folder", "a device" or "a socket" */
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_REGULAR,
                   _("“%s” is %s, not a list: give a file or a pipe to --input."), shown, what);
      close (fd);
      return -1;
    }

  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

static gboolean
read_all (int      fd,
          GBytes **bytes,
          GError **error)
{
  g_autoptr(GInputStream) stream = g_unix_input_stream_new (fd, FALSE);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[65536];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (data->len + (gsize) n > CF_MAX_INPUT_SIZE)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("The input is larger than 512 MB; split it into smaller lists."));
          return FALSE;
        }
      g_byte_array_append (data, buffer, n);
    }

  *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return TRUE;
}

static gboolean
add_list_items (Cli     *cli,
                GBytes  *bytes,
                GError **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  parsed = cf_hashlist_parse (data, length, &problems, error);
  if (parsed == NULL)
    return FALSE;

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CfHashlistProblem *problem = g_ptr_array_index (problems, i);
      print_error (problem->message);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      CfHashItem *hash_item = g_ptr_array_index (parsed, i);
      Item *item = item_new_for_hash (hash_item->hash);

      item->path = g_strdup (hash_item->path);
      item->host = g_strdup (hash_item->host);
      item->name = g_strdup (hash_item->name);
      item->pid = hash_item->pid;
      g_ptr_array_add (cli->items, item);
    }

  /* Rows that could not be read still count: they make the exit status 2. */
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CfHashlistProblem *problem = g_ptr_array_index (problems, i);
      Item *item = item_new_for_hash ("");

      g_clear_pointer (&item->hash, g_free);
      item->done = TRUE;
      item->error = g_strdup (problem->message);
      g_ptr_array_add (cli->items, item);
    }

  return TRUE;
}

static int
run_lookup (Cli           *cli,
            GVariantDict  *options,
            char         **args)
{
  const char *input = NULL;
  gboolean read_stdin;

  if (!cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  cli->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_variant_dict_lookup (options, "input", "^&ay", &input);
  read_stdin = (args == NULL || args[0] == NULL) && input == NULL;

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      CfHashKind kind;

      if (g_str_equal (args[i], "-"))
        read_stdin = TRUE;
      else if (cf_hash_kind_detect (args[i], &kind))
        g_ptr_array_add (cli->items, item_new_for_hash (args[i]));
      else
        {
          g_autofree char *shown = cf_display_path (args[i]);
          usage_error (_("“%s” is not an MD5, SHA-1 or SHA-256 hash. To read a list from a file, "
                         "use --input=FILE."), shown);
          return CF_EXIT_USAGE;
        }
    }

  if (input != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      int fd = open_list (input, &error);
      gboolean read_ok = fd >= 0 && read_all (fd, &bytes, &error);

      if (fd >= 0)
        close (fd);
      if (!read_ok || !add_list_items (cli, bytes, &error))
        {
          print_error (error->message);
          return CF_EXIT_UNCHECKED;
        }
    }

  if (read_stdin)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (!read_all (STDIN_FILENO, &bytes, &error) || !add_list_items (cli, bytes, &error))
        {
          print_error (error->message);
          return CF_EXIT_UNCHECKED;
        }
    }

  run_batch (cli);
  print_sorted (cli);
  if (cli->items->len > 1)
    print_summary (cli);

  return exit_status (cli->items);
}

static void
on_audit_progress (CfAudit *audit,
                   Cli     *cli)
{
  g_autofree char *estimate = NULL;

  /* A script gets the estimate once, when the scan is known, so a long
   * wait for the budget is never silent; a terminal sees it move. */
  if (!cli->progress && (cli->estimate_shown || cf_audit_get_entries (audit)->len == 0))
    return;

  estimate = cf_audit_describe_estimate (audit);
  if (cli->progress)
    g_printerr ("\r\033[K%s", estimate);
  else
    g_printerr ("%s\n", estimate);
  cli->estimate_shown = TRUE;
}

static void
on_audit_finished (CfAudit *audit,
                   Cli     *cli)
{
  g_main_loop_quit (cli->loop);
}

static int
run_processes (Cli          *cli,
               GVariantDict *options)
{
  g_autoptr(CfAudit) audit = NULL;
  GPtrArray *entries;

  if (!cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  audit = cf_audit_new (cli->checker, NULL);
  g_signal_connect (audit, "progress", G_CALLBACK (on_audit_progress), cli);
  g_signal_connect (audit, "finished", G_CALLBACK (on_audit_finished), cli);
  cf_audit_start (audit);
  g_main_loop_run (cli->loop);
  clear_progress (cli);

  entries = cf_audit_get_entries (audit);
  for (guint i = 0; i < entries->len; i++)
    {
      CfAuditEntry *entry = g_ptr_array_index (entries, i);
      Item *item = g_new0 (Item, 1);

      item->exe = entry->exe;
      item->path = g_strdup (entry->exe->path);
      item->pid = -1;
      item->size = entry->exe->identity.size;
      item->sha256 = g_strdup (entry->exe->sha256);
      item->done = TRUE;
      if (entry->error != NULL)
        item->error = g_strdup (entry->error->message);
      else if (entry->lookup != NULL)
        {
          if (entry->lookup->report != NULL)
            item->report = cf_report_ref (entry->lookup->report);
          item->decision = entry->lookup->decision;
          item->reason = entry->lookup->reason;
          item->threshold = entry->lookup->threshold;
          item->source = entry->lookup->source;
        }
      g_ptr_array_add (cli->items, item);
    }

  print_sorted (cli);
  if (cf_audit_get_denied (audit) > 0 && geteuid () == 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u process could not be read, even as root: the kernel or a sandbox hides it.\n",
                             "%u processes could not be read, even as root: the kernel or a sandbox hides them.\n",
                             cf_audit_get_denied (audit)),
                cf_audit_get_denied (audit));
  else if (cf_audit_get_denied (audit) > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u process could not be read; run as root to include it.\n",
                             "%u processes could not be read; run as root to include them.\n",
                             cf_audit_get_denied (audit)),
                cf_audit_get_denied (audit));
  print_summary (cli);

  return exit_status (cli->items);
}

/* ------------------------------------------------------------------ */
/* --quota and the trust list                                           */
/* ------------------------------------------------------------------ */

static char *
format_limit (guint limit)
{
  return limit > 0 ? g_strdup_printf ("%u", limit) : g_strdup (_("unlimited"));
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC");
}

static int
run_quota (Cli          *cli,
           GVariantDict *options)
{
  CfQuotaUsage usage;
  g_autofree char *minute_limit = NULL, *day_limit = NULL, *month_limit = NULL;
  g_autofree char *minute_reset = NULL, *day_reset = NULL, *month_reset = NULL;

  if (!cli_setup (cli, options, FALSE))
    return CF_EXIT_USAGE;

  cf_scheduler_get_usage (cli->scheduler, &usage);

  if (cli->format == FORMAT_JSON)
    {
      g_print ("{\"minute\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"day\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"month\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"paused_until\":%" G_GINT64_FORMAT "}\n",
               usage.minute_used, usage.per_minute, usage.minute_reset / G_USEC_PER_SEC,
               usage.day_used, usage.per_day, usage.day_reset / G_USEC_PER_SEC,
               usage.month_used, usage.per_month, usage.month_reset / G_USEC_PER_SEC,
               usage.paused_until / G_USEC_PER_SEC);
      return CF_EXIT_ALLOWED;
    }

  minute_limit = format_limit (usage.per_minute);
  day_limit = format_limit (usage.per_day);
  month_limit = format_limit (usage.per_month);
  minute_reset = format_time (usage.minute_reset);
  day_reset = format_time (usage.day_reset);
  month_reset = format_time (usage.month_reset);

  g_print (_("This minute: %u of %s requests used; the window moves on at %s\n"),
           usage.minute_used, minute_limit, minute_reset);
  g_print (_("Today:       %u of %s requests used; resets at %s\n"), usage.day_used, day_limit, day_reset);
  g_print (_("This month:  %u of %s requests used; resets at %s\n"), usage.month_used, month_limit, month_reset);
  if (usage.paused_until > g_get_real_time ())
    {
      g_autofree char *paused = format_time (usage.paused_until);
      g_print (_("VirusTotal asked to slow down; requests resume at %s\n"), paused);
    }

  return CF_EXIT_ALLOWED;
}

static int
run_trust (Cli          *cli,
           GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  const char *hash = NULL;
  const char *note = NULL;
  CfTrust trust;

  if (!cli_setup (cli, options, FALSE))
    return CF_EXIT_USAGE;

  g_variant_dict_lookup (options, "note", "&s", &note);

  if (g_variant_dict_lookup (options, "allow-hash", "&s", &hash))
    trust = CF_TRUST_ALLOW;
  else if (g_variant_dict_lookup (options, "block-hash", "&s", &hash))
    trust = CF_TRUST_BLOCK;
  else if (g_variant_dict_lookup (options, "forget-hash", "&s", &hash))
    trust = CF_TRUST_NONE;
  else
    {
      g_autoptr(GPtrArray) entries = cf_store_list_trust (cli->store);

      for (guint i = 0; i < entries->len; i++)
        {
          CfTrustEntry *entry = g_ptr_array_index (entries, i);
          g_autofree char *when = format_time (entry->time * G_USEC_PER_SEC);

          g_print ("%-6s %s  %s%s%s\n", entry->trust == CF_TRUST_ALLOW ? "allow" : "block",
                   entry->sha256, when, entry->note != NULL ? "  " : "",
                   entry->note != NULL ? entry->note : "");
        }
      return CF_EXIT_ALLOWED;
    }

  if (!cf_store_set_trust (cli->store, hash, trust, note, g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      usage_error ("%s", error->message);
      return CF_EXIT_USAGE;
    }

  return CF_EXIT_ALLOWED;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                             */
/* ------------------------------------------------------------------ */

int
cf_cli_handle_local_options (GApplication *app,
                             GVariantDict *options)
{
  g_auto(GStrv) files = NULL;
  Cli cli = { 0 };
  const char *commands[] = { "hash", "check", "lookup", "processes", "quota", "allow-hash",
                             "block-hash", "forget-hash", "list-trust", "clear-cache" };
  const char *command = NULL;
  int status;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("check-first %s\n", PACKAGE_VERSION);
      return CF_EXIT_ALLOWED;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_variant_dict_contains (options, commands[i]))
        continue;
      if (command != NULL)
        {
          usage_error (_("--%s and --%s cannot be used together."), command, commands[i]);
          return CF_EXIT_USAGE;
        }
      command = commands[i];
    }

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &files);

  if (g_variant_dict_contains (options, "json") && g_variant_dict_contains (options, "csv"))
    {
      usage_error (_("--json and --csv cannot be used together."));
      return CF_EXIT_USAGE;
    }
  if (g_variant_dict_contains (options, "input") && g_strcmp0 (command, "lookup") != 0)
    {
      usage_error (_("--input works only with --lookup."));
      return CF_EXIT_USAGE;
    }

  /* No command: the window takes the files. */
  if (command == NULL)
    return -1;

  cli.app = app;
  cli.progress = isatty (STDERR_FILENO);
  cli.format = g_variant_dict_contains (options, "json") ? FORMAT_JSON :
               g_variant_dict_contains (options, "csv") ? FORMAT_CSV : FORMAT_TEXT;

  if ((g_str_equal (command, "hash") || g_str_equal (command, "check")) &&
      (files == NULL || files[0] == NULL))
    {
      usage_error (_("--%s needs at least one FILE."), command);
      return CF_EXIT_USAGE;
    }

  if (g_str_equal (command, "hash"))
    status = run_hash (files);
  else if (g_str_equal (command, "check"))
    status = run_check (&cli, options, files);
  else if (g_str_equal (command, "lookup"))
    status = run_lookup (&cli, options, files);
  else if (g_str_equal (command, "processes"))
    status = run_processes (&cli, options);
  else if (g_str_equal (command, "quota"))
    status = run_quota (&cli, options);
  else if (g_str_equal (command, "clear-cache"))
    {
      status = cli_setup (&cli, options, FALSE) ? CF_EXIT_ALLOWED : CF_EXIT_USAGE;
      if (status == CF_EXIT_ALLOWED)
        cf_store_clear_cache (cli.store);
    }
  else
    status = run_trust (&cli, options);

  cli_clear (&cli);
  return status;
}
