/* cf-cli.c: the headless commands (--hash, --check, --lookup, ...)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These run from GApplication's handle-local-options, before any display
 * is touched, so they work over ssh and in scripts.  Results go to stdout,
 * one line each as soon as it is known; errors go to stderr too, and so do
 * waits when stderr is not a terminal; progress goes to stderr only when it
 * is one.  Everything is asked of one CfSession, as the window does.
 */

#define G_LOG_DOMAIN "check-first-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cf-cli.h"
#include "cf-cli-private.h"
#include "cf-display.h"
#include "cf-hash-service.h"
#include "cf-hashlist.h"
#include "cf-time.h"
#include "cf-verdict.h"

/* Commands are listed in --help apart from the options that change them
 * (see cf_cli_add_options ()): hidden from GOption's own list. */
#define COMMAND G_OPTION_FLAG_HIDDEN

static GOptionEntry cli_entries[] = {
  { "hash", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Print the SHA-256 of each FILE, as sha256sum does"), NULL },
  { "check", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Check each FILE and print the verdict; open nothing"), NULL },
  { "rescan", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Have VirusTotal analyse each FILE or SHA-256 again, and print the new verdict"), NULL },
  { "lookup", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Look up MD5, SHA-1 or SHA-256 hashes given as arguments, or read from standard input"), NULL },
  { "input", 0, COMMAND, G_OPTION_ARG_FILENAME, NULL, N_("Read the hashes for --lookup from FILE"), N_("FILE") },
  { "processes", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Check the executables of all running processes"), NULL },
  { "quota", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Show the requests used this minute, today and this month"), NULL },
  { "show-processes", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Open the window on the running processes"), NULL },
  { "watch", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Check every new file in each FOLDER (default: Downloads) as it lands, and print the verdicts until stopped"), NULL },
  { "service", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Run in the background: check new downloads and answer on D-Bus"), NULL },
  { "allow-hash", 0, COMMAND, G_OPTION_ARG_STRING, NULL, N_("Always allow the file with this SHA-256"), N_("SHA256") },
  { "block-hash", 0, COMMAND, G_OPTION_ARG_STRING, NULL, N_("Always block the file with this SHA-256"), N_("SHA256") },
  { "forget-hash", 0, COMMAND, G_OPTION_ARG_STRING, NULL, N_("Remove a SHA-256 from the allowed and blocked files"), N_("SHA256") },
  { "note", 0, COMMAND, G_OPTION_ARG_STRING, NULL, N_("A note for --allow-hash or --block-hash"), N_("TEXT") },
  { "list-trust", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("List the files you always allow or block"), NULL },
  { "clear-cache", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Forget every cached verdict and file fingerprint"), NULL },
  { "version", 0, COMMAND, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print one JSON object per line"), NULL },
  { "csv", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print CSV with a header line"), NULL },
  { "mode", 0, 0, G_OPTION_ARG_STRING, NULL, N_("normal (block detected files) or stop-unknowns (also block files VirusTotal has never seen)"), N_("MODE") },
  { "threshold", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Block when at least N engines flag a file (default 1)"), N_("N") },
  { "count-suspicious", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Count “suspicious” verdicts towards the threshold"), NULL },
  { "rate", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Requests per minute (0 = no limit at all)"), N_("N") },
  { "no-cache", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not use cached verdicts"), NULL },
  { "skip-packaged", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not look up files that Debian packages installed and that are unmodified (the default)"), NULL },
  { "no-skip-packaged", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Look up files from Debian packages too"), NULL },
  { "upload", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Upload files VirusTotal does not know: never (default) or always"), N_("POLICY") },
  { "wait-max", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Give up waiting for the request budget or an analysis after SECONDS"), N_("SECONDS") },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

/* What a command takes, after its name in --help: "--check FILE…". */
static const struct { const char *command; const char *operands; } command_operands[] = {
  { "hash", N_("FILE…") },
  { "check", N_("FILE…") },
  /* Translators: in --help; keep the "|" */
  { "rescan", N_("FILE|SHA256…") },
  /* Translators: in --help; "-" stands for standard input */
  { "lookup", N_("[HASH…|-]") },
  { "watch", N_("[FOLDER…]") },
};

/* The commands, as --help lists them apart from the options: one a line,
 * "  --check FILE…   Check each FILE and…", aligned. */
static char *
describe_commands (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (_("Commands:"));
  guint width = 0;

  for (guint i = 0; cli_entries[i].long_name != NULL; i++)
    {
      const GOptionEntry *entry = &cli_entries[i];
      GString *name;

      if (!(entry->flags & COMMAND))
        continue;
      name = g_string_new ("--");
      g_string_append (name, entry->long_name);
      if (entry->arg_description != NULL)
        g_string_append_printf (name, "=%s", _(entry->arg_description));
      for (guint j = 0; j < G_N_ELEMENTS (command_operands); j++)
        if (g_str_equal (command_operands[j].command, entry->long_name))
          g_string_append_printf (name, " %s", _(command_operands[j].operands));
      width = MAX (width, g_utf8_strlen (name->str, -1));
      g_ptr_array_add (names, g_string_free (name, FALSE));
    }

  for (guint i = 0, n = 0; cli_entries[i].long_name != NULL; i++)
    {
      const char *name;

      if (!(cli_entries[i].flags & COMMAND))
        continue;
      name = g_ptr_array_index (names, n++);
      g_string_append_printf (text, "\n  %s%*s  %s", name, (int) (width - g_utf8_strlen (name, -1)), "",
                              _(cli_entries[i].description));
    }

  return g_string_free (text, FALSE);
}

void
cf_cli_add_options (GApplication *app)
{
  g_autofree char *commands = describe_commands ();
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;

  g_application_add_main_option_entries (app, cli_entries);
  /* What it is, what it does without a command, then the commands: the
   * options that change them follow, under GOption's own heading. */
  summary = g_strdup_printf ("%s\n\n%s",
                             _("Check a file against VirusTotal before you open it.\n\n"
                               "With FILE arguments and no command, the window checks each file and then opens it or blocks it."),
                             commands);
  g_application_set_option_context_summary (app, summary);
  description = g_strdup_printf ("%s\n\n%s",
                                 /* Translators: keep the commands as they are; the manual page has the same examples */
                                 _("Examples:\n"
                                   "  Check a download without opening it:\n"
                                   "    check-first --check ~/Downloads/setup.AppImage\n"
                                   "  Look up the hashes that sha256sum printed, as JSON Lines:\n"
                                   "    sha256sum /usr/local/bin/* | check-first --lookup --json\n"
                                   "  On a server, check every file that lands in an upload folder:\n"
                                   "    check-first --watch /srv/incoming >> /var/log/incoming-verdicts.jsonl"),
                                 _("Exit status: 0 every item allowed, 1 at least one blocked, 2 at least one could not be "
                                   "checked and none blocked, 64 usage error.\n"
                                   "Environment: VT_API_KEY (the API key; overrides the keyring), CHECK_FIRST_API_URL."));
  g_application_set_option_context_description (app, description);
}

/* Messages can carry file names and server text: escaped for a terminal.
 * The results before it are printed first, so that the two keep their
 * order where they go to one place. */
void
cf_cli_print_error (const char *message)
{
  g_autofree char *shown = cf_display_text (message);

  fflush (stdout);
  g_printerr ("check-first: %s\n", shown);
}

void
cf_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  cf_cli_print_error (message);
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
      cf_cli_usage_error ("%s", error->message);
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

typedef struct
{
  char   **files;
  guint    n;
  /* Under the lock: each file's hash or error, until its line is printed. */
  GMutex   lock;
  char   **sha256;
  GError **errors;
  guint    next_to_print;
  int      status;
} HashRun;

/* In the order given, as far as the files are hashed: called by whichever
 * hashing thread finished one, under the lock. */
static void
hash_run_print_ready (HashRun *run)
{
  while (run->next_to_print < run->n &&
         (run->sha256[run->next_to_print] != NULL || run->errors[run->next_to_print] != NULL))
    {
      guint i = run->next_to_print++;

      if (run->errors[i] != NULL)
        {
          cf_cli_print_error (run->errors[i]->message);
          run->status = CF_EXIT_UNCHECKED;
          g_clear_error (&run->errors[i]);
        }
      else
        {
          print_sha256sum_line (run->sha256[i], run->files[i]);
          g_clear_pointer (&run->sha256[i], g_free);
        }
    }
}

/* On a hashing thread: item is the file's index, plus one. */
static void
hash_one (gpointer item,
          gpointer user_data)
{
  HashRun *run = user_data;
  guint i = GPOINTER_TO_UINT (item) - 1;
  const char *arg = run->files[i];
  GError *error = NULL;
  char *sha256;

  /* A path as it is; anything else (sftp://, smb://) through GIO. */
  if (g_uri_peek_scheme (arg) == NULL)
    sha256 = cf_hasher_hash_path (arg, NULL, NULL, NULL, NULL, &error);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);

      sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);
    }

  g_mutex_lock (&run->lock);
  run->sha256[i] = sha256;
  run->errors[i] = error;
  hash_run_print_ready (run);
  g_mutex_unlock (&run->lock);
}

/* Every file on the hashing threads at once, each line printed by the
 * thread that completes the ones before it: no main loop to wake for each
 * of thousands of small files. */
static int
run_hash (char **files)
{
  HashRun run = { files, g_strv_length (files) };
  g_autoptr(GPtrArray) items = g_ptr_array_sized_new (run.n);

  g_mutex_init (&run.lock);
  run.sha256 = g_new0 (char *, run.n);
  run.errors = g_new0 (GError *, run.n);
  run.status = CF_EXIT_ALLOWED;
  for (guint i = 0; i < run.n; i++)
    g_ptr_array_add (items, GUINT_TO_POINTER (i + 1));

  cf_hash_service_for_each (cf_hash_service_get_default (), items, CF_PRIORITY_BATCH, hash_one, &run);

  g_free (run.sha256);
  g_free (run.errors);
  g_mutex_clear (&run.lock);
  fflush (stdout);
  return run.status;
}

/* ------------------------------------------------------------------ */
/* Printing results                                                     */
/* ------------------------------------------------------------------ */

void
cf_cli_clear_progress (Cli *cli)
{
  if (cli->progress && cli->progress_shown)
    g_printerr ("\r\033[K");
  cli->progress_shown = FALSE;
}

/* How many columns standard error's terminal has. */
static guint
terminal_columns (void)
{
  struct winsize size = { 0 };
  const char *columns = g_getenv ("COLUMNS");
  guint64 value = 0;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 1, 10000, &value, NULL))
    return (guint) value;
  return 80;
}

/* One line, always: a line longer than the terminal wraps, "\r" takes back
 * only its last part, and the rest ("…request bu") would stay on screen.
 * The last column is left free too: some terminals wrap on reaching it. */
void
cf_cli_show_progress (Cli        *cli,
                      const char *text)
{
  g_autofree char *shown = NULL;

  if (!cli->progress)
    return;
  shown = cf_display_fit (text, terminal_columns () - 1);
  g_printerr ("\r\033[K%s", shown);
  cli->progress_shown = TRUE;
}

static void
count_check (Cli     *cli,
             CfCheck *check)
{
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
    cli->counts.modified++;

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    cli->counts.errors++;
  else if (cf_check_get_decision (check) == CF_DECISION_BLOCK)
    cli->counts.blocked++;
  else if (cf_check_get_reason (check) == CF_REASON_BELOW_THRESHOLD)
    cli->counts.below++;
  else if (cf_reason_is_unknown (cf_check_get_reason (check)))
    cli->counts.unknown++;
  else if (cf_check_get_reason (check) == CF_REASON_PACKAGED)
    cli->counts.packaged++;
  else
    cli->counts.clean++;
}

/* A line of results.  g_print() would also flush each one; here the main
 * loop does, before it waits for anything (flush_then_poll()), so a long
 * list costs one write for many rows and none of them waits unprinted. */
static void
print_line (const char *line)
{
  const char *charset;

  if (!g_get_console_charset (&charset))
    {
      g_print ("%s\n", line);
      return;
    }
  fputs (line, stdout);
  fputc ('\n', stdout);
}

static int
flush_then_poll (GPollFD *fds,
                 guint    n_fds,
                 int      timeout)
{
  if (timeout != 0)
    fflush (stdout);
  return g_poll (fds, n_fds, timeout);
}

/* One result: on stdout in the chosen format, and an error also on
 * stderr, so that "--check FILE > out" still tells the person. */
void
cf_cli_print_check (Cli               *cli,
                    CfCheck           *check,
                    const CfFormatRow *row)
{
  g_autofree char *line = NULL;

  cf_cli_clear_progress (cli);
  count_check (cli, check);

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    {
      const GError *error = cf_check_get_error (check);
      const char *what = row != NULL && row->path != NULL ? row->path : cf_check_get_name (check);
      g_autofree char *label = what != NULL ? cf_display_text (what) : g_strdup (_("input"));
      g_autofree char *message = cf_display_text (error != NULL ? error->message
                                                                : _("The check was cancelled."));

      fflush (stdout);
      g_printerr ("check-first: %s: %s\n", label, message);
    }

  /* A system file changed since its package installed it is said on
   * standard error too, whatever its verdict: it may be tampering. */
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
    {
      const CfProcessExe *exe = cf_check_get_process (check);
      const char *what = row != NULL && row->path != NULL ? row->path :
                         exe != NULL ? exe->path : cf_check_get_name (check);
      g_autofree char *label = cf_display_text (what != NULL ? what : "");
      g_autofree char *words = cf_verdict_describe_package (check);
      g_autofree char *shown = cf_display_text (words);

      fflush (stdout);
      g_printerr ("check-first: %s: %s\n", label, shown);
    }

  if (cli->format == CF_FORMAT_CSV && !cli->printed_header)
    {
      print_line (cf_format_csv_header ());
      cli->printed_header = TRUE;
    }
  line = cf_format_check (cli->format, check, row);
  print_line (line);
}

int
cf_cli_exit_status (Cli *cli)
{
  if (cli->counts.blocked > 0)
    return CF_EXIT_BLOCKED;
  return cli->counts.errors > 0 ? CF_EXIT_UNCHECKED : CF_EXIT_ALLOWED;
}

void
cf_cli_print_summary (Cli   *cli,
                      guint  skipped)
{
  cf_cli_clear_progress (cli);
  fflush (stdout);
  /* What the packages vouched for first: the tally stays the last line
   * a script reads (unless lines of a list were skipped). */
  if (cli->counts.packaged > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u file as its Debian package installed it, not looked up\n",
                             "%u files as their Debian packages installed them, not looked up\n",
                             cli->counts.packaged), cli->counts.packaged);
  if (cli->counts.modified > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u modified packaged file: no longer what its package installed\n",
                             "%u modified packaged files: no longer what their packages installed\n",
                             cli->counts.modified), cli->counts.modified);
  g_printerr (_("%u blocked, %u flagged below your threshold, %u unknown, %u clean, %u errors; "
                "%u requests spent\n"),
              cli->counts.blocked, cli->counts.below, cli->counts.unknown, cli->counts.clean,
              cli->counts.errors, cf_session_get_requests_spent (cli->session));
  if (skipped > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u line without a hash skipped\n",
                             "%u lines without a hash skipped\n", skipped), skipped);
}

/* A script's stderr hears of every wait once: what, and until when. */
void
cf_cli_say_wait (Cli     *cli,
                 CfCheck *check,
                 gint64  *said_until)
{
  g_autofree char *name = NULL;
  g_autofree char *until = NULL;
  const char *reason = cf_check_get_wait_reason (check);
  gint64 wait_until = cf_check_get_wait_until (check);

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_WAITING_QUOTA || wait_until <= 0 ||
      wait_until == *said_until)
    return;

  *said_until = wait_until;
  until = cf_format_moment (wait_until, g_get_real_time ());
  if (cli->progress)
    {
      /* Translators: "REASON; waiting until 14:05:03…" */
      g_autofree char *text = g_strdup_printf (_("%s; waiting until %s…"),
                                               reason != NULL ? reason : _("Waiting for the request budget"),
                                               until);
      cf_cli_show_progress (cli, text);
      return;
    }
  name = cf_display_text (cf_check_get_name (check) != NULL ? cf_check_get_name (check) : "");
  /* Translators: "FILE: REASON; waiting until 14:05:03" */
  g_printerr (_("check-first: %s: %s; waiting until %s\n"), name,
              reason != NULL ? reason : _("Waiting for the request budget"), until);
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
      cf_cli_usage_error (_("--%s needs a whole number of at least %d, not “%s”."),
                   name, (int) minimum, text);
      return FALSE;
    }

  *value = parsed;
  return TRUE;
}

/* The settings with this run's options on top; FALSE after a usage error. */
static gboolean
parse_config (GVariantDict *options,
              CfConfig     *config)
{
  const char *mode = NULL;
  const char *upload = NULL;
  gint64 threshold, rate, wait_max;

  /* Scripts upload only when they say so. */
  config->upload = CF_UPLOAD_NEVER;

  if (g_variant_dict_lookup (options, "mode", "&s", &mode) &&
      !cf_mode_from_string (mode, &config->policy.mode))
    {
      cf_cli_usage_error (_("Unknown mode “%s”: use normal or stop-unknowns."), mode);
      return FALSE;
    }
  /* Numbers arrive as strings: GApplication drops an integer option whose
   * value is 0, and "--rate=0" means something. */
  if (!number_option (options, "threshold", 1, &threshold) ||
      !number_option (options, "rate", 0, &rate) ||
      !number_option (options, "wait-max", 0, &wait_max))
    return FALSE;

  if (threshold >= 0)
    config->policy.threshold = threshold;
  if (g_variant_dict_contains (options, "count-suspicious"))
    config->policy.count_suspicious = TRUE;
  if (rate >= 0)
    {
      config->rate_given = TRUE;
      config->per_minute = rate;
      if (rate == 0)
        config->per_day = config->per_month = 0;
    }
  if (g_variant_dict_lookup (options, "upload", "&s", &upload))
    {
      if (!cf_upload_policy_from_string (upload, &config->upload) ||
          config->upload == CF_UPLOAD_ASK)
        {
          cf_cli_usage_error (_("Unknown upload policy “%s”: use never or always."), upload);
          return FALSE;
        }
    }
  if (wait_max >= 0)
    config->wait_max = wait_max;

  /* A script checks many files at once: Debian's unmodified ones need
   * no request unless it says so. */
  if (g_variant_dict_contains (options, "skip-packaged") &&
      g_variant_dict_contains (options, "no-skip-packaged"))
    {
      cf_cli_usage_error (_("--skip-packaged and --no-skip-packaged cannot be used together."));
      return FALSE;
    }
  config->skip_packaged = config->skip_packaged_processes =
    !g_variant_dict_contains (options, "no-skip-packaged");
  return TRUE;
}

gboolean
cf_cli_setup (Cli           *cli,
              GVariantDict  *options,
              gboolean       need_key)
{
  g_autoptr(GError) error = NULL;
  CfConfig config;

  cli->session = cf_session_new (NULL, CF_SESSION_ONE_RUN, &error);
  if (cli->session == NULL)
    {
      cf_cli_print_error (error->message);
      return FALSE;
    }

  cf_config_copy (&config, cf_session_get_config (cli->session));
  if (!parse_config (options, &config))
    {
      cf_config_clear (&config);
      return FALSE;
    }
  cf_session_set_config (cli->session, &config);
  cf_config_clear (&config);
  cf_session_set_use_cache (cli->session, !g_variant_dict_contains (options, "no-cache"));

  /* Without a key, answers from the cache and the trust list still work;
   * anything that needs a request reports the key error. */
  if (need_key && !cf_session_lookup_key_sync (cli->session, &error))
    {
      cf_cli_print_error (error->message);
      return FALSE;
    }

  return TRUE;
}

static void
cli_clear (Cli *cli)
{
  g_clear_handle_id (&cli->sigint_source, g_source_remove);
  g_clear_object (&cli->session);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
}

/* Ctrl+C: stop at once, and still say what was done. */
static gboolean
on_sigint (gpointer user_data)
{
  Cli *cli = user_data;

  cli->interrupted = TRUE;
  cli->sigint_source = 0;
  if (cli->loop != NULL)
    g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

void
cf_cli_catch_sigint (Cli *cli)
{
  cli->sigint_source = g_unix_signal_add (SIGINT, on_sigint, cli);
}

/* How many checks may be in flight: the budget paces them anyway, and
 * each one's wait is bounded, so no more than a minute's worth. */
guint
cf_cli_in_flight_limit (Cli *cli)
{
  guint per_minute = cf_session_get_config (cli->session)->per_minute;

  return per_minute > 0 ? CLAMP (per_minute, 1, CF_CLI_IN_FLIGHT) : CF_CLI_IN_FLIGHT;
}

/* ------------------------------------------------------------------ */
/* --check                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  Cli        *cli;
  char      **files;
  CfCheck   **checks;      /* NULL until started */
  gint64     *said_until;
  guint       n;
  guint       next_to_start;
  guint       next_to_print;
  guint       in_flight;
  gboolean    rescan;        /* --rescan: each known one analysed again */
  gboolean   *rescanned;
} FileRun;

static void file_run_pump (FileRun *run);

static void
file_run_print_ready (FileRun *run)
{
  /* Results come out in the order the files were given. */
  while (run->next_to_print < run->n && run->checks[run->next_to_print] != NULL &&
         cf_check_is_finished (run->checks[run->next_to_print]))
    {
      CfFormatRow row = CF_FORMAT_ROW_INIT;
      guint i = run->next_to_print++;

      if (cf_check_get_kind (run->checks[i]) != CF_CHECK_KIND_HASH)
        row.path = run->files[i];
      cf_cli_print_check (run->cli, run->checks[i], &row);
    }
}

static void
on_file_check_changed (CfCheck    *check,
                       GParamSpec *pspec,
                       FileRun    *run)
{
  Cli *cli = run->cli;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "cf-index"));

  cf_cli_say_wait (cli, check, &run->said_until[index]);
  if (!cf_check_is_finished (check))
    {
      if (cli->progress && cf_check_get_stage (check) != CF_CHECK_STAGE_WAITING_QUOTA)
        {
          g_autofree char *name = cf_display_text (cf_check_get_name (check));
          g_autofree char *text = g_strdup_printf ("%s: %s…", name,
                                                   cf_check_get_stage (check) == CF_CHECK_STAGE_HASHING ?
                                                   _("Computing fingerprint") :
                                                   cf_check_get_stage (check) == CF_CHECK_STAGE_UPLOADING ?
                                                   _("Uploading") :
                                                   cf_check_get_stage (check) >= CF_CHECK_STAGE_ANALYSIS_QUEUED ?
                                                   _("Being analysed") : _("Looking up"));
          cf_cli_show_progress (cli, text);
        }
      return;
    }

  /* Known to VirusTotal: now analysed again, and its end awaited too. */
  if (run->rescan && !run->rescanned[index] && cf_session_can_rescan (cli->session, check))
    {
      run->rescanned[index] = TRUE;
      cf_session_rescan (cli->session, check);
      return;
    }

  g_signal_handlers_disconnect_by_data (check, run);
  run->in_flight--;
  file_run_print_ready (run);
  file_run_pump (run);
}

static void
file_run_pump (FileRun *run)
{
  Cli *cli = run->cli;

  while (run->in_flight < cf_cli_in_flight_limit (cli) && run->next_to_start < run->n)
    {
      guint i = run->next_to_start++;
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (run->files[i]);
      CfHashKind kind;
      CfCheck *check;

      /* --rescan takes a file's SHA-256 too, for a file that is elsewhere. */
      if (run->rescan && !g_file_test (run->files[i], G_FILE_TEST_EXISTS) &&
          cf_hash_kind_detect (run->files[i], &kind))
        check = cf_session_check_hash (cli->session, run->files[i], CF_PRIORITY_INTERACTIVE);
      else
        check = cf_session_check_file (cli->session, file, CF_SESSION_CHECK_NONE);

      run->checks[i] = check;
      run->in_flight++;
      g_object_set_data (G_OBJECT (check), "cf-index", GUINT_TO_POINTER (i));
      g_signal_connect (check, "notify::stage", G_CALLBACK (on_file_check_changed), run);
      g_signal_connect (check, "notify::wait-until", G_CALLBACK (on_file_check_changed), run);
      /* It may have finished at once (cache, trust list, a bad file). */
      on_file_check_changed (check, NULL, run);
    }

  if (run->in_flight == 0 && run->next_to_start >= run->n)
    g_main_loop_quit (cli->loop);
}

static int
run_check (Cli           *cli,
           GVariantDict  *options,
           char         **files,
           gboolean       rescan)
{
  FileRun run = { cli, files, NULL, NULL, g_strv_length (files), 0, 0, 0, rescan, NULL };

  if (!cf_cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  run.checks = g_new0 (CfCheck *, run.n);
  run.said_until = g_new0 (gint64, run.n);
  run.rescanned = g_new0 (gboolean, run.n);
  cli->loop = g_main_loop_new (NULL, FALSE);
  cf_cli_catch_sigint (cli);

  file_run_pump (&run);
  if (run.in_flight > 0 || run.next_to_start < run.n)
    g_main_loop_run (cli->loop);

  for (guint i = 0; i < run.n; i++)
    if (run.checks[i] != NULL)
      {
        g_signal_handlers_disconnect_by_data (run.checks[i], &run);
        cf_check_cancel (run.checks[i]);
      }
  file_run_print_ready (&run);
  for (guint i = 0; i < run.n; i++)
    g_clear_object (&run.checks[i]);
  g_free (run.checks);
  g_free (run.said_until);
  g_free (run.rescanned);

  if (cli->interrupted)
    {
      cf_cli_print_summary (cli, 0);
      return 130;
    }
  if (run.n > 1)
    cf_cli_print_summary (cli, 0);
  return cf_cli_exit_status (cli);
}

/* ------------------------------------------------------------------ */
/* --processes                                                          */
/* ------------------------------------------------------------------ */

static void
on_audit_progress (CfAudit *audit,
                   Cli     *cli)
{
  g_autofree char *estimate = NULL;

  /* A script gets the estimate once, when the scan is known, so a long
   * wait for the budget is never silent; a terminal sees it move. */
  if (!cli->progress &&
      (cli->estimate_shown || g_list_model_get_n_items (cf_audit_get_checks (audit)) == 0))
    return;

  estimate = cf_audit_describe_estimate (audit);
  if (cli->progress)
    cf_cli_show_progress (cli, estimate);
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

/* Blocked first, then programs no longer what their package installed,
 * then flagged below the threshold, then unknown, then clean, then the
 * unmodified packaged ones, errors last; most detections first within
 * each. */
static int
check_rank (CfCheck *check)
{
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    return 6;
  if (cf_check_get_decision (check) == CF_DECISION_BLOCK)
    return 0;
  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED)
    return 1;
  if (cf_check_get_reason (check) == CF_REASON_BELOW_THRESHOLD)
    return 2;
  if (cf_reason_is_unknown (cf_check_get_reason (check)))
    return 3;
  if (cf_check_get_reason (check) == CF_REASON_PACKAGED)
    return 5;
  return 4;
}

static int
compare_checks (gconstpointer a,
                gconstpointer b)
{
  CfCheck *ca = *(CfCheck **) a;
  CfCheck *cb = *(CfCheck **) b;
  gint64 ma = cf_check_get_report (ca) != NULL ? cf_check_get_report (ca)->stats.malicious : 0;
  gint64 mb = cf_check_get_report (cb) != NULL ? cf_check_get_report (cb)->stats.malicious : 0;
  int ra = check_rank (ca), rb = check_rank (cb);

  if (ra != rb)
    return ra - rb;
  if (ma != mb)
    return ma > mb ? -1 : 1;
  return 0;
}

static int
run_processes (Cli          *cli,
               GVariantDict *options)
{
  g_autoptr(CfAudit) audit = NULL;
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model;
  guint denied;

  if (!cf_cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  cli->loop = g_main_loop_new (NULL, FALSE);
  cf_cli_catch_sigint (cli);
  audit = cf_session_new_audit (cli->session, NULL);
  g_signal_connect (audit, "progress", G_CALLBACK (on_audit_progress), cli);
  g_signal_connect (audit, "finished", G_CALLBACK (on_audit_finished), cli);
  cf_audit_start (audit);
  g_main_loop_run (cli->loop);
  if (cli->interrupted)
    cf_audit_cancel (audit);
  cf_cli_clear_progress (cli);

  if (cf_audit_get_error (audit) != NULL)
    {
      cf_cli_print_error (cf_audit_get_error (audit)->message);
      return CF_EXIT_UNCHECKED;
    }

  /* A program's verdict is worth most in the order of risk: the list is
   * short, so it is printed once complete. */
  model = cf_audit_get_checks (audit);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (model, i);

      if (cf_check_get_stage (check) != CF_CHECK_STAGE_CANCELLED || !cli->interrupted)
        g_ptr_array_add (checks, g_object_ref (check));
    }
  g_ptr_array_sort (checks, compare_checks);
  for (guint i = 0; i < checks->len; i++)
    cf_cli_print_check (cli, g_ptr_array_index (checks, i), NULL);

  denied = cf_audit_get_denied (audit);
  if (denied > 0 && geteuid () == 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u process could not be read, even as root: the kernel or a sandbox hides it.\n",
                             "%u processes could not be read, even as root: the kernel or a sandbox hides them.\n",
                             denied), denied);
  else if (denied > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u process could not be read; run as root to include it.\n",
                             "%u processes could not be read; run as root to include them.\n",
                             denied), denied);
  cf_cli_print_summary (cli, 0);

  return cli->interrupted ? 130 : cf_cli_exit_status (cli);
}
/* ------------------------------------------------------------------ */
/* --quota and the trust list                                           */
/* ------------------------------------------------------------------ */

/* A moment in the person's own time zone, with the zone said. */
static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S %Z");
}

/* One line of --quota: "Today: 7 of 500 requests used; resets at …", or
 * without a limit "Today: 7 requests used (no limit)". */
static void
print_quota_line (const char *period,
                  guint       used,
                  guint       limit,
                  const char *reset_words,
                  gint64      reset)
{
  g_autofree char *when = format_time (reset);

  if (limit > 0)
    /* Translators: "Today: 7 of 500 requests used; resets at 2026-12-05 01:00:00 CET" */
    g_print (_("%s %u of %u requests used; %s %s\n"), period, used, limit, reset_words, when);
  else
    /* Translators: "Today: 7 requests used (no limit)" */
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s %u request used (no limit)\n",
                          "%s %u requests used (no limit)\n", used), period, used);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} AccountRead;

static void
account_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AccountRead *read = user_data;

  cf_session_read_account_finish (CF_SESSION (object), result, &read->error);
  read->done = TRUE;
}

/* Asks VirusTotal what the key may spend, when the last answer is more
 * than a day old (or there is none): one request of the budget, and only
 * if one is free at once, so that --quota never waits. */
static void
read_account_if_due (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  CfAccount *account = cf_session_get_account (cli->session);
  AccountRead read = { FALSE, NULL };

  if (!cf_session_lookup_key_sync (cli->session, &error) ||
      cf_session_get_key_state (cli->session) != CF_KEY_STATE_PRESENT ||
      !cf_account_is_due (account, g_get_real_time () / G_USEC_PER_SEC))
    return;

  cf_session_read_account_async (cli->session, FALSE, NULL, account_read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);

  if (read.error != NULL)
    {
      g_autofree char *when = cf_account_get_read (account) > 0 ?
                              format_time (cf_account_get_read (account) * G_USEC_PER_SEC) : NULL;
      g_autofree char *message = NULL;

      if (when != NULL)
        /* Translators: "<why it failed> The allowance VirusTotal reported on <date> stays." */
        message = g_strdup_printf (_("%s The allowance VirusTotal reported on %s stays."),
                                   read.error->message, when);
      else
        message = g_strdup_printf (_("%s Your plan’s limits stay."), read.error->message);
      cf_cli_print_error (message);
      g_clear_error (&read.error);
    }
}

static char *
allowed_json (const CfAllowance *allowance,
              CfPeriod           period)
{
  return allowance->allowed[period] > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, allowance->allowed[period])
                                        : g_strdup ("null");
}

static int
run_quota (Cli          *cli,
           GVariantDict *options)
{
  CfQuotaUsage usage;
  const CfAllowance *allowance;

  if (!cf_cli_setup (cli, options, FALSE))
    return CF_EXIT_USAGE;

  read_account_if_due (cli);
  allowance = cf_account_get_allowance (cf_session_get_account (cli->session));
  cf_session_get_quota (cli->session, &usage);

  if (cli->format == CF_FORMAT_JSON)
    {
      g_autofree char *reported = NULL;

      if (allowance != NULL)
        {
          g_autofree char *hour = allowed_json (allowance, CF_PERIOD_HOUR);
          g_autofree char *day = allowed_json (allowance, CF_PERIOD_DAY);
          g_autofree char *month = allowed_json (allowance, CF_PERIOD_MONTH);

          reported = g_strdup_printf ("{\"hour\":%s,\"day\":%s,\"month\":%s,\"read\":%" G_GINT64_FORMAT "}",
                                      hour, day, month, allowance->read);
        }
      g_print ("{\"minute\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"day\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"month\":{\"used\":%u,\"limit\":%u,\"resets\":%" G_GINT64_FORMAT "},"
               "\"paused_until\":%" G_GINT64_FORMAT ",\"allowance\":%s}\n",
               usage.minute_used, usage.per_minute, usage.minute_reset / G_USEC_PER_SEC,
               usage.day_used, usage.per_day, usage.day_reset / G_USEC_PER_SEC,
               usage.month_used, usage.per_month, usage.month_reset / G_USEC_PER_SEC,
               usage.paused_until / G_USEC_PER_SEC, reported != NULL ? reported : "null");
      return CF_EXIT_ALLOWED;
    }

  /* Translators: the periods of --quota, padded to one width in your language */
  print_quota_line (_("This minute:"), usage.minute_used, usage.per_minute,
                    _("the window moves on at"), usage.minute_reset);
  print_quota_line (_("Today:      "), usage.day_used, usage.per_day, _("resets at"), usage.day_reset);
  print_quota_line (_("This month: "), usage.month_used, usage.per_month, _("resets at"), usage.month_reset);
  if (allowance != NULL)
    {
      g_autofree char *when = format_time (allowance->read * G_USEC_PER_SEC);
      g_autofree char *what = cf_account_describe (cf_session_get_account (cli->session), FALSE);

      /* Translators: "Allowance:   240 requests an hour, 500 a day, 15500 a month, as VirusTotal
       * reported on 2026-12-06 14:03:11 CET"; the label padded as the periods above */
      g_print (_("Allowance:   %s, as VirusTotal reported on %s\n"), what, when);
    }
  else
    g_print (_("Allowance:   not reported by VirusTotal yet: the limits above are your plan’s\n"));
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

  if (!cf_cli_setup (cli, options, FALSE))
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
      g_autoptr(GPtrArray) entries = cf_session_list_trust (cli->session);

      for (guint i = 0; i < entries->len; i++)
        {
          CfTrustEntry *entry = g_ptr_array_index (entries, i);
          g_autofree char *when = format_time (entry->time * G_USEC_PER_SEC);

          g_autofree char *shown_note = entry->note != NULL ? cf_display_text (entry->note) : NULL;

          /* Translators: --list-trust, "allow" or "block" as the commands say them */
          g_print ("%-6s %s  %s%s%s\n", entry->trust == CF_TRUST_ALLOW ? C_("trust", "allow") : C_("trust", "block"),
                   entry->sha256, when, shown_note != NULL ? "  " : "", shown_note != NULL ? shown_note : "");
        }
      return CF_EXIT_ALLOWED;
    }

  if (!cf_session_set_trust (cli->session, hash, trust, note, &error))
    {
      cf_cli_usage_error ("%s", error->message);
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
  const char *commands[] = { "hash", "check", "rescan", "lookup", "processes", "quota", "allow-hash",
                             "block-hash", "forget-hash", "list-trust", "clear-cache", "watch" };
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
          cf_cli_usage_error (_("--%s and --%s cannot be used together."), command, commands[i]);
          return CF_EXIT_USAGE;
        }
      command = commands[i];
    }

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &files);

  if (g_variant_dict_contains (options, "json") && g_variant_dict_contains (options, "csv"))
    {
      cf_cli_usage_error (_("--json and --csv cannot be used together."));
      return CF_EXIT_USAGE;
    }
  if (g_variant_dict_contains (options, "input") && g_strcmp0 (command, "lookup") != 0)
    {
      cf_cli_usage_error (_("--input works only with --lookup."));
      return CF_EXIT_USAGE;
    }

  /* No command: the window takes the files, or the service runs. */
  if (command == NULL)
    return -1;
  if (g_variant_dict_contains (options, "service"))
    {
      cf_cli_usage_error (_("--service cannot be used with --%s."), command);
      return CF_EXIT_USAGE;
    }

  cli.app = app;
  cli.progress = isatty (STDERR_FILENO);
  g_main_context_set_poll_func (NULL, flush_then_poll);
  cli.format = g_variant_dict_contains (options, "json") ? CF_FORMAT_JSON :
               g_variant_dict_contains (options, "csv") ? CF_FORMAT_CSV : CF_FORMAT_TEXT;

  if ((g_str_equal (command, "hash") || g_str_equal (command, "check") ||
       g_str_equal (command, "rescan")) &&
      (files == NULL || files[0] == NULL))
    {
      cf_cli_usage_error (_("--%s needs at least one FILE."), command);
      return CF_EXIT_USAGE;
    }

  if (g_str_equal (command, "hash"))
    status = run_hash (files);
  else if (g_str_equal (command, "check"))
    status = run_check (&cli, options, files, FALSE);
  else if (g_str_equal (command, "rescan"))
    status = run_check (&cli, options, files, TRUE);
  else if (g_str_equal (command, "lookup"))
    status = cf_cli_run_lookup (&cli, options, files);
  else if (g_str_equal (command, "processes"))
    status = run_processes (&cli, options);
  else if (g_str_equal (command, "quota"))
    status = run_quota (&cli, options);
  else if (g_str_equal (command, "watch"))
    status = cf_cli_run_watch (&cli, options, files);
  else if (g_str_equal (command, "clear-cache"))
    {
      status = cf_cli_setup (&cli, options, FALSE) ? CF_EXIT_ALLOWED : CF_EXIT_USAGE;
      if (status == CF_EXIT_ALLOWED)
        cf_session_clear_cache (cli.session);
    }
  else
    status = run_trust (&cli, options);

  cli_clear (&cli);
  return status;
}
