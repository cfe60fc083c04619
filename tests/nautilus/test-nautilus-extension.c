/* test-nautilus-extension.c: the built Nautilus extension, loaded as the file manager loads it, against the running service
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside the desktop tests' private session (tests/nautilus/
 * test_extension_module.py starts it there): a session bus whose service
 * folder starts Check First when its name is called, a notification daemon
 * mock, an X server.  This program loads the module file with GModule,
 * calls nautilus_module_initialize() and nautilus_module_list_types() as
 * Nautilus does, makes the providers and shows them files through
 * TestFile, a small NautilusFileInfo that behaves as Nautilus's own does
 * where the extension can tell: it keeps what an update adds until the
 * update completes, and asks again, on its own, after an invalidation.
 * The service talks to a fake VirusTotal served from this process, so
 * every request it sends is counted here, and so is every D-Bus message
 * the extension sends (a filter on the shared session bus connection).
 *
 * Environment: NAUTILUS_MODULE (the built module), CHECK_FIRST_BIN (for
 * --allow-hash), E2E_WORK (the session's folder, with its D-Bus service
 * folder), NOTIFICATIONS_LOG (what the notification mock was told).
 */

#define G_LOG_DOMAIN "check-first-test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gmodule.h>
#include <nautilus-extension.h>

#include "cf-test-util.h"

#define CF_NAME      "io.github.checkfirst.CheckFirst"
#define CF_PATH      "/io/github/checkfirst/CheckFirst"
#define CF_IFACE     "io.github.checkfirst.CheckFirst1"
#define CF_JOB_IFACE CF_IFACE ".Job"
#define COLUMN       "check_first_virustotal"
#define MANY         10000

/* Where a test waits for what happens elsewhere (the service, the bus),
 * at most; never a measure of speed. */
#define WAIT_BOUND_S 60

/* The module, as Nautilus's own GTypeModule loads it */

#define TEST_TYPE_MODULE (test_module_get_type ())
G_DECLARE_FINAL_TYPE (TestModule, test_module, TEST, MODULE, GTypeModule)

struct _TestModule
{
  GTypeModule  parent_instance;

  char        *path;
  GModule     *library;
  void       (*initialize) (GTypeModule *module);
  void       (*list_types) (const GType **types, int *n_types);
  void       (*shutdown)   (void);
};

G_DEFINE_FINAL_TYPE (TestModule, test_module, G_TYPE_TYPE_MODULE)

static gboolean
test_module_load (GTypeModule *type_module)
{
  TestModule *self = TEST_MODULE (type_module);

  self->library = g_module_open (self->path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (self->library == NULL)
    {
      g_printerr ("# cannot load %s: %s\n", self->path, g_module_error ());
      return FALSE;
    }
  if (!g_module_symbol (self->library, "nautilus_module_initialize", (gpointer *) &self->initialize) ||
      !g_module_symbol (self->library, "nautilus_module_list_types", (gpointer *) &self->list_types) ||
      !g_module_symbol (self->library, "nautilus_module_shutdown", (gpointer *) &self->shutdown))
    {
      g_printerr ("# %s lacks an entry point: %s\n", self->path, g_module_error ());
      g_module_close (self->library);
      return FALSE;
    }
  self->initialize (type_module);
  return TRUE;
}

static void
test_module_unload (GTypeModule *type_module)
{
  TestModule *self = TEST_MODULE (type_module);

  self->shutdown ();
  g_module_close (self->library);
  self->library = NULL;
}

static void
test_module_class_init (TestModuleClass *klass)
{
  GTypeModuleClass *module_class = G_TYPE_MODULE_CLASS (klass);

  module_class->load = test_module_load;
  module_class->unload = test_module_unload;
}

static void
test_module_init (TestModule *self)
{
}

/* A file as the file manager shows it */

#define TEST_TYPE_FILE (test_file_get_type ())
G_DECLARE_FINAL_TYPE (TestFile, test_file, TEST, FILE, GObject)

struct _TestFile
{
  GObject                  parent_instance;

  GFile                   *location;
  GFileType                type;
  char                    *activation_uri;
  GPtrArray               *emblems;             /* shown */
  GHashTable              *attributes;
  GPtrArray               *pending_emblems;     /* added during the update under way */
  GHashTable              *pending_attributes;
  NautilusOperationHandle *handle;
  gboolean                 updating;
  guint                    updates;             /* completed */
  guint                    invalidations;
};

static void test_file_info_iface_init (NautilusFileInfoInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFile, test_file, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NAUTILUS_TYPE_FILE_INFO, test_file_info_iface_init))

static NautilusInfoProvider *info_provider;

static gboolean test_file_is_directory (NautilusFileInfo *info);

static void
update_complete (NautilusInfoProvider    *provider,
                 NautilusOperationHandle *handle,
                 NautilusOperationResult  result,
                 gpointer                 user_data)
{
  TestFile *self = user_data;

  /* What Nautilus checks before it takes an answer. */
  g_assert_true (self->updating);
  g_assert_true (handle == self->handle);
  g_assert_true (provider == info_provider);

  g_ptr_array_unref (self->emblems);
  self->emblems = g_steal_pointer (&self->pending_emblems);
  g_hash_table_unref (self->attributes);
  self->attributes = g_steal_pointer (&self->pending_attributes);
  self->handle = NULL;
  self->updating = FALSE;
  self->updates++;
}

/* Asks the info provider about @self, as Nautilus does when it shows a
 * file: an answer at once, or later through the closure. */
static void
test_file_update (TestFile *self)
{
  g_autoptr(GClosure) closure = NULL;
  NautilusOperationResult result;
  NautilusOperationHandle *handle = NULL;

  g_assert_false (self->updating);
  self->updating = TRUE;
  self->pending_emblems = g_ptr_array_new_with_free_func (g_free);
  self->pending_attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  closure = g_closure_ref (g_cclosure_new (G_CALLBACK (update_complete), self, NULL));
  g_closure_sink (closure);
  g_closure_set_marshal (closure, g_cclosure_marshal_generic);
  result = nautilus_info_provider_update_file_info (info_provider, NAUTILUS_FILE_INFO (self), closure,
                                                    &handle);
  if (result == NAUTILUS_OPERATION_IN_PROGRESS)
    {
      g_assert_nonnull (handle);
      self->handle = handle;
      return;
    }
  self->handle = handle;
  update_complete (info_provider, handle, result, self);
}

static gboolean
ask_again (gpointer user_data)
{
  TestFile *self = user_data;

  if (!self->updating)
    test_file_update (self);
  return G_SOURCE_REMOVE;
}

static void
test_file_invalidate_extension_info (NautilusFileInfo *info)
{
  TestFile *self = TEST_FILE (info);

  self->invalidations++;
  /* Nautilus cancels the update under way and asks again soon. */
  if (self->updating)
    {
      nautilus_info_provider_cancel_update (info_provider, self->handle);
      g_clear_pointer (&self->pending_emblems, g_ptr_array_unref);
      g_clear_pointer (&self->pending_attributes, g_hash_table_unref);
      self->handle = NULL;
      self->updating = FALSE;
    }
  g_idle_add_full (G_PRIORITY_DEFAULT, ask_again, g_object_ref (self), g_object_unref);
}

static void
test_file_add_emblem (NautilusFileInfo *info,
                      const char       *emblem)
{
  TestFile *self = TEST_FILE (info);

  /* Outside an update, Nautilus adds to what it shows. */
  g_ptr_array_add (self->updating ? self->pending_emblems : self->emblems, g_strdup (emblem));
}

static void
test_file_add_string_attribute (NautilusFileInfo *info,
                                const char       *name,
                                const char       *value)
{
  TestFile *self = TEST_FILE (info);

  g_hash_table_replace (self->updating ? self->pending_attributes : self->attributes,
                        g_strdup (name), g_strdup (value));
}

static char *
test_file_get_string_attribute (NautilusFileInfo *info,
                                const char       *name)
{
  return g_strdup (g_hash_table_lookup (TEST_FILE (info)->attributes, name));
}

static GFile *
test_file_get_location (NautilusFileInfo *info)
{
  return g_object_ref (TEST_FILE (info)->location);
}

static char *
test_file_get_uri (NautilusFileInfo *info)
{
  return g_file_get_uri (TEST_FILE (info)->location);
}

static char *
test_file_get_activation_uri (NautilusFileInfo *info)
{
  TestFile *self = TEST_FILE (info);

  return self->activation_uri != NULL ? g_strdup (self->activation_uri) : g_file_get_uri (self->location);
}

static char *
test_file_get_name (NautilusFileInfo *info)
{
  return g_file_get_basename (TEST_FILE (info)->location);
}

static char *
test_file_get_uri_scheme (NautilusFileInfo *info)
{
  return g_file_get_uri_scheme (TEST_FILE (info)->location);
}

static char *
test_file_get_parent_uri (NautilusFileInfo *info)
{
  g_autoptr(GFile) parent = g_file_get_parent (TEST_FILE (info)->location);

  return parent != NULL ? g_file_get_uri (parent) : g_strdup ("");
}

static GFile *
test_file_get_parent_location (NautilusFileInfo *info)
{
  return g_file_get_parent (TEST_FILE (info)->location);
}

static GFileType
test_file_get_file_type (NautilusFileInfo *info)
{
  return TEST_FILE (info)->type;
}

static gboolean
test_file_is_directory (NautilusFileInfo *info)
{
  return TEST_FILE (info)->type == G_FILE_TYPE_DIRECTORY;
}

static char *
test_file_get_mime_type (NautilusFileInfo *info)
{
  return g_strdup (test_file_is_directory (info) ? "inode/directory" : "application/octet-stream");
}

static gboolean
test_file_is_mime_type (NautilusFileInfo *info,
                        const char       *mime_type)
{
  g_autofree char *own = test_file_get_mime_type (info);

  return g_content_type_is_a (own, mime_type);
}

static gboolean
test_file_is_gone (NautilusFileInfo *info)
{
  return FALSE;
}

static NautilusFileInfo *
test_file_get_parent_info (NautilusFileInfo *info)
{
  return NULL;
}

static GMount *
test_file_get_mount (NautilusFileInfo *info)
{
  return NULL;
}

static gboolean
test_file_can_write (NautilusFileInfo *info)
{
  return TRUE;
}

static void
test_file_info_iface_init (NautilusFileInfoInterface *iface)
{
  iface->is_gone = test_file_is_gone;
  iface->get_name = test_file_get_name;
  iface->get_uri = test_file_get_uri;
  iface->get_parent_uri = test_file_get_parent_uri;
  iface->get_uri_scheme = test_file_get_uri_scheme;
  iface->get_mime_type = test_file_get_mime_type;
  iface->is_mime_type = test_file_is_mime_type;
  iface->is_directory = test_file_is_directory;
  iface->add_emblem = test_file_add_emblem;
  iface->get_string_attribute = test_file_get_string_attribute;
  iface->add_string_attribute = test_file_add_string_attribute;
  iface->invalidate_extension_info = test_file_invalidate_extension_info;
  iface->get_activation_uri = test_file_get_activation_uri;
  iface->get_file_type = test_file_get_file_type;
  iface->get_location = test_file_get_location;
  iface->get_parent_location = test_file_get_parent_location;
  iface->get_parent_info = test_file_get_parent_info;
  iface->get_mount = test_file_get_mount;
  iface->can_write = test_file_can_write;
}

static void
test_file_finalize (GObject *object)
{
  TestFile *self = TEST_FILE (object);

  g_assert_false (self->updating);
  g_object_unref (self->location);
  g_free (self->activation_uri);
  g_ptr_array_unref (self->emblems);
  g_hash_table_unref (self->attributes);

  G_OBJECT_CLASS (test_file_parent_class)->finalize (object);
}

static void
test_file_class_init (TestFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_file_finalize;
}

static void
test_file_init (TestFile *self)
{
  self->emblems = g_ptr_array_new_with_free_func (g_free);
  self->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static TestFile *
test_file_new (GFile     *location,
               GFileType  type)
{
  TestFile *self = g_object_new (TEST_TYPE_FILE, NULL);

  self->location = g_object_ref (location);
  self->type = type;
  return self;
}

static TestFile *
test_file_new_for_path (const char *path)
{
  g_autoptr(GFile) location = g_file_new_for_path (path);

  return test_file_new (location, g_file_test (path, G_FILE_TEST_IS_DIR) ? G_FILE_TYPE_DIRECTORY
                                                                          : G_FILE_TYPE_REGULAR);
}

static const char *
column_of (TestFile *file)
{
  return g_hash_table_lookup (file->attributes, COLUMN);
}

/* The one emblem shown, or NULL. */
static const char *
emblem_of (TestFile *file)
{
  g_assert_cmpuint (file->emblems->len, <=, 1);
  return file->emblems->len == 1 ? g_ptr_array_index (file->emblems, 0) : NULL;
}

/* The session */

static struct
{
  TestModule       *module;
  GObject          *menu;
  CfFakeVt         *server;
  GDBusConnection  *bus;
  char             *dir;
  gint              get_verdict_calls;   /* atomic: counted in GDBus's thread */
  gint              check_files_calls;
  GPtrArray        *jobs;                /* paths of the service's jobs we heard of */
  GHashTable       *job_totals;          /* path → last total + 1 */
  gboolean          job_finished;
} t;

static GDBusMessage *
count_calls (GDBusConnection *connection,
             GDBusMessage    *message,
             gboolean         incoming,
             gpointer         user_data)
{
  if (!incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_interface (message), CF_IFACE) == 0)
    {
      const char *member = g_dbus_message_get_member (message);

      if (g_strcmp0 (member, "GetVerdict") == 0)
        g_atomic_int_inc (&t.get_verdict_calls);
      else if (g_strcmp0 (member, "CheckFiles") == 0)
        g_atomic_int_inc (&t.check_files_calls);
    }
  return message;
}

static void
on_job_signal (GDBusConnection *connection,
               const char      *sender,
               const char      *path,
               const char      *interface,
               const char      *name,
               GVariant        *parameters,
               gpointer         user_data)
{
  if (g_str_equal (name, "Progress"))
    {
      guint done = 0, total = 0;

      g_variant_get (parameters, "(uu)", &done, &total);
      if (!g_hash_table_contains (t.job_totals, path))
        g_ptr_array_add (t.jobs, g_strdup (path));
      g_hash_table_replace (t.job_totals, g_strdup (path), GUINT_TO_POINTER (total + 1));
    }
  else if (g_str_equal (name, "Finished"))
    t.job_finished = TRUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds, for at most WAIT_BOUND_S. */
static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_BOUND_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %d s for %s", WAIT_BOUND_S, what);
      g_main_context_iteration (NULL, FALSE);
      if (!condition (data))
        g_usleep (2000);
    }
}

static gboolean
is_settled (gpointer data)
{
  return !TEST_FILE (data)->updating;
}

/* Updates @file as Nautilus does, and waits for the answer. */
static void
show (TestFile *file)
{
  test_file_update (file);
  wait_until (is_settled, file, "an update to complete");
}

typedef struct
{
  TestFile   *file;
  const char *column;
} Expected;

static gboolean
shows_column (gpointer data)
{
  Expected *expected = data;

  return !expected->file->updating && g_strcmp0 (column_of (expected->file), expected->column) == 0;
}

static void
wait_for_column (TestFile   *file,
                 const char *column)
{
  Expected expected = { file, column };
  g_autofree char *what = g_strdup_printf ("the column to read “%s”", column);

  wait_until (shows_column, &expected, what);
}

static guint
requests (void)
{
  return cf_fake_vt_get_count (t.server, "requests");
}

/* The file in the test's folder called @name, with @contents. */
static char *
make_file (const char *name,
           const char *contents)
{
  return cf_test_write_file (t.dir, name, contents, -1, 0644);
}

static GList *
menu_items_for (TestFile **files,
                guint      n_files)
{
  g_autoptr(GList) list = NULL;

  for (guint i = 0; i < n_files; i++)
    list = g_list_append (list, files[i]);
  return nautilus_menu_provider_get_file_items (NAUTILUS_MENU_PROVIDER (t.menu), list);
}

static char *
label_of (NautilusMenuItem *item)
{
  char *label = NULL;

  g_object_get (item, "label", &label, NULL);
  return label;
}

static void
run_items (GList *items)
{
  g_assert_cmpuint (g_list_length (items), ==, 1);
  nautilus_menu_item_activate (items->data);
}

static gboolean
calls_at_least (gpointer data)
{
  return g_atomic_int_get (&t.check_files_calls) >= GPOINTER_TO_INT (data);
}

/* The service: started by the bus, with this test's folders and server */

static void
set_activation_environment (gboolean with_fake_server)
{
  static const char *names[] = {
    "DISPLAY", "GDK_BACKEND", "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR", "XDG_DATA_DIRS", "GSETTINGS_SCHEMA_DIR", "GSETTINGS_BACKEND", "GSK_RENDERER",
    "GTK_A11Y", "LC_ALL", "no_proxy", "NO_PROXY",
    /* A sanitizer build's service stops at its first error too. */
    "ASAN_OPTIONS", "UBSAN_OPTIONS",
  };
  g_autofree char *url = cf_fake_vt_get_base_url (t.server);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder env;

  g_variant_builder_init (&env, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_getenv (names[i]) != NULL)
      g_variant_builder_add (&env, "{ss}", names[i], g_getenv (names[i]));
  g_variant_builder_add (&env, "{ss}", "VT_API_KEY", with_fake_server ? CF_TEST_KEY : "");
  g_variant_builder_add (&env, "{ss}", "CHECK_FIRST_API_URL", url);
  if (g_getenv ("NOTIFY_GUARD") != NULL && *g_getenv ("NOTIFY_GUARD") != '\0')
    g_variant_builder_add (&env, "{ss}", "LD_PRELOAD", g_getenv ("NOTIFY_GUARD"));
  reply = g_dbus_connection_call_sync (t.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", &env), NULL, G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
}

static guint
service_pid (void)
{
  g_autoptr(GVariant) reply = NULL;
  guint pid = 0;

  reply = g_dbus_connection_call_sync (t.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", CF_NAME), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(u)", &pid);
  return pid;
}

static gboolean
service_gone (gpointer data)
{
  return service_pid () == 0;
}

static void
stop_service (void)
{
  guint pid = service_pid ();

  if (pid == 0)
    return;
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
  wait_until (service_gone, NULL, "the service to leave the bus");
}

/* Moves the bus's service file for Check First away (@present FALSE), as
 * if it were not installed, or back. */
static void
set_service_installed (gboolean present)
{
  const char *work = g_getenv ("E2E_WORK");
  g_autofree char *file = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (work);
  file = g_build_filename (work, "dbus-services", CF_NAME ".service", NULL);
  aside = g_build_filename (work, CF_NAME ".service.aside", NULL);
  if (present)
    g_assert_cmpint (g_rename (aside, file), ==, 0);
  else
    g_assert_cmpint (g_rename (file, aside), ==, 0);
  reply = g_dbus_connection_call_sync (t.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ReloadConfig", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* How many notifications whose log record holds @text the mock was sent
 * (in this session: other tests' too). */
static guint
count_notified (const char *text)
{
  g_autofree char *log = NULL;
  guint count = 0;

  if (!g_file_get_contents (g_getenv ("NOTIFICATIONS_LOG"), &log, NULL, NULL))
    return 0;
  for (const char *at = strstr (log, text); at != NULL; at = strstr (at + 1, text))
    count++;
  return count;
}

typedef struct
{
  const char *text;
  guint       before;
} Notified;

static gboolean
notified_again (gpointer data)
{
  Notified *notified = data;

  return count_notified (notified->text) > notified->before;
}

/* Tests */

static void
test_module_types (void)
{
  const GType *types = NULL;
  int n_types = 0;
  gboolean menu = FALSE, info = FALSE, column = FALSE;

  t.module->list_types (&types, &n_types);
  g_assert_cmpint (n_types, ==, 2);
  for (int i = 0; i < n_types; i++)
    {
      g_autoptr(GObject) provider = g_object_new (types[i], NULL);

      menu |= NAUTILUS_IS_MENU_PROVIDER (provider);
      info |= NAUTILUS_IS_INFO_PROVIDER (provider);
      if (NAUTILUS_IS_COLUMN_PROVIDER (provider))
        {
          GList *columns = nautilus_column_provider_get_columns (NAUTILUS_COLUMN_PROVIDER (provider));
          g_autofree char *label = NULL;
          g_autofree char *attribute = NULL;

          g_assert_cmpuint (g_list_length (columns), ==, 1);
          g_object_get (columns->data, "label", &label, "attribute", &attribute, NULL);
          g_assert_cmpstr (label, ==, "VirusTotal");
          g_assert_cmpstr (attribute, ==, COLUMN);
          g_list_free_full (columns, g_object_unref);
          column = TRUE;
        }
    }
  g_assert_true (menu);
  g_assert_true (info);
  g_assert_true (column);
}

static void
test_menu_items (void)
{
  g_autofree char *a = make_file ("menu-a.txt", "a\n");
  g_autofree char *b = make_file ("menu-b.txt", "b\n");
  g_autoptr(GFile) elsewhere = g_file_new_for_uri ("cf-test-nowhere:///share/c.txt");
  g_autoptr(GFile) recent_location = g_file_new_for_uri ("cf-test-recent:///menu-a.txt");
  g_autoptr(TestFile) file_a = test_file_new_for_path (a);
  g_autoptr(TestFile) file_b = test_file_new_for_path (b);
  g_autoptr(TestFile) remote = test_file_new (elsewhere, G_FILE_TYPE_REGULAR);
  g_autoptr(TestFile) recent = test_file_new (recent_location, G_FILE_TYPE_REGULAR);
  g_autoptr(TestFile) folder = test_file_new_for_path (t.dir);
  g_autoptr(TestFile) nowhere_folder = test_file_new (elsewhere, G_FILE_TYPE_DIRECTORY);
  TestFile *one[] = { file_a };
  TestFile *several[] = { file_a, file_b, folder };
  TestFile *mixed[] = { file_a, remote, file_b };
  TestFile *none[] = { remote };
  TestFile *from_recent[] = { recent };
  GList *items;
  g_autofree char *label = NULL;

  /* One file, several (a folder among them): one item. */
  items = menu_items_for (one, G_N_ELEMENTS (one));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = label_of (items->data);
  g_assert_cmpstr (label, ==, "Check with Check First");
  nautilus_menu_item_list_free (items);
  g_clear_pointer (&label, g_free);

  items = menu_items_for (several, G_N_ELEMENTS (several));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = label_of (items->data);
  g_assert_cmpstr (label, ==, "Check with Check First");
  nautilus_menu_item_list_free (items);
  g_clear_pointer (&label, g_free);

  /* A file without a path is left out, and the item says so. */
  items = menu_items_for (mixed, G_N_ELEMENTS (mixed));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = label_of (items->data);
  g_assert_cmpstr (label, ==, "Check 2 of 3 Files with Check First");
  nautilus_menu_item_list_free (items);
  g_clear_pointer (&label, g_free);

  /* Nothing Check First could read: no item at all. */
  g_assert_null (menu_items_for (none, G_N_ELEMENTS (none)));

  /* Recent, Starred, search results: the file they stand for. */
  recent->activation_uri = g_filename_to_uri (a, NULL, NULL);
  items = menu_items_for (from_recent, G_N_ELEMENTS (from_recent));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  nautilus_menu_item_list_free (items);

  /* The folder's background. */
  items = nautilus_menu_provider_get_background_items (NAUTILUS_MENU_PROVIDER (t.menu),
                                                       NAUTILUS_FILE_INFO (folder));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = label_of (items->data);
  g_assert_cmpstr (label, ==, "Check This Folder");
  nautilus_menu_item_list_free (items);
  g_assert_null (nautilus_menu_provider_get_background_items (NAUTILUS_MENU_PROVIDER (t.menu),
                                                              NAUTILUS_FILE_INFO (nowhere_folder)));

  /* Offering costs nothing. */
  g_assert_cmpint (g_atomic_int_get (&t.check_files_calls), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, 0);
}

static struct
{
  char     *flagged;
  char     *clean;
  char     *unchecked;
  char     *allowed;
  TestFile *flagged_file;
  TestFile *clean_file;
  TestFile *unchecked_file;
  TestFile *allowed_file;
} v;

static void
test_info_not_checked (void)
{
  TestFile *files[4];
  g_autoptr(GError) error = NULL;

  v.flagged = make_file ("eicar.com", CF_EICAR);
  v.clean = make_file ("report.pdf", "a clean report\n");
  v.unchecked = make_file ("notes.txt", "never checked\n");
  v.allowed = make_file ("tool.sh", "#!/bin/sh\necho a tool you trust\n");
  cf_fake_vt_register_file (t.server, v.flagged, "eicar", &error);
  g_assert_no_error (error);
  cf_fake_vt_register_file (t.server, v.clean, "clean", &error);
  g_assert_no_error (error);
  cf_fake_vt_register_file (t.server, v.allowed, "malicious:3", &error);
  g_assert_no_error (error);
  v.flagged_file = test_file_new_for_path (v.flagged);
  v.clean_file = test_file_new_for_path (v.clean);
  v.unchecked_file = test_file_new_for_path (v.unchecked);
  v.allowed_file = test_file_new_for_path (v.allowed);
  files[0] = v.flagged_file;
  files[1] = v.clean_file;
  files[2] = v.unchecked_file;
  files[3] = v.allowed_file;

  /* The service does not run yet: the first question starts it. */
  g_assert_cmpuint (service_pid (), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      show (files[i]);
      g_assert_cmpstr (column_of (files[i]), ==, "not checked");
      g_assert_null (emblem_of (files[i]));
    }
  g_assert_cmpuint (service_pid (), !=, 0);
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, 4);
  /* Asking what is known never asks VirusTotal. */
  g_assert_cmpuint (requests (), ==, 0);

  /* A folder has no verdict of its own, and costs no question. */
  {
    g_autoptr(TestFile) folder = test_file_new_for_path (t.dir);

    show (folder);
    g_assert_null (column_of (folder));
    g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, 4);
  }
}

static void
test_check_and_verdicts (void)
{
  g_autofree char *sha256 = NULL;
  g_auto(GStrv) env = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *contents = NULL;
  TestFile *chosen[3] = { v.flagged_file, v.clean_file, v.allowed_file };
  GList *items;
  guint invalidations;
  Notified blocked = { "\"Blocked: eicar.com\"", count_notified ("\"Blocked: eicar.com\"") };

  /* "Always allow" for the tool, by its SHA-256, from the command line. */
  g_assert_true (g_file_get_contents (v.allowed, &contents, NULL, NULL));
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, contents, -1);
  env = cf_test_cli_env (t.server, g_get_user_data_dir (), CF_TEST_KEY);
  allow = g_strdup_printf ("--allow-hash=%s", sha256);
  run = cf_test_run_cli (env, NULL, allow, NULL);
  g_assert_cmpint (run->status, ==, 0);

  /* The person picks "Check with Check First" for three files. */
  invalidations = v.unchecked_file->invalidations;
  items = menu_items_for (chosen, G_N_ELEMENTS (chosen));
  run_items (items);
  nautilus_menu_item_list_free (items);

  /* The service tells of each verdict; the file manager asks again and
   * shows it. */
  wait_for_column (v.flagged_file, "62/64 malicious");
  g_assert_cmpstr (emblem_of (v.flagged_file), ==, "important-symbolic");
  wait_for_column (v.clean_file, "clean · just now");
  g_assert_cmpstr (emblem_of (v.clean_file), ==, "ok-symbolic");
  wait_for_column (v.allowed_file, "allowed by you");
  g_assert_cmpstr (emblem_of (v.allowed_file), ==, "default-symbolic");
  g_assert_cmpint (g_atomic_int_get (&t.check_files_calls), ==, 1);
  /* Two lookups; the allowed file needed none.  The answers came with the
   * signal: no question was asked for them. */
  g_assert_cmpuint (cf_fake_vt_get_count (t.server, "lookups"), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, 4);
  /* A file nobody asked about is left alone. */
  g_assert_cmpuint (v.unchecked_file->invalidations, ==, invalidations);
  g_assert_cmpstr (column_of (v.unchecked_file), ==, "not checked");
  wait_until (notified_again, &blocked, "the block notification");
}

static void
test_cache_and_fresh_answers (void)
{
  guint before = requests ();
  gint asked = g_atomic_int_get (&t.get_verdict_calls);
  g_autoptr(TestFile) again = test_file_new_for_path (v.flagged);

  /* The folder shown again (new objects for the same files): from what the
   * extension kept, without a question. */
  show (again);
  g_assert_cmpstr (column_of (again), ==, "62/64 malicious");
  g_assert_cmpstr (emblem_of (again), ==, "important-symbolic");
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked);

  /* The same file asking again unprompted (it changed, say): a fresh
   * answer from the service, which still costs no request. */
  show (again);
  g_assert_cmpstr (column_of (again), ==, "62/64 malicious");
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked + 1);

  /* The file changes: the service no longer knows it as it is now. */
  g_assert_true (g_file_set_contents (v.clean, "a changed report\n", -1, NULL));
  show (v.clean_file);
  g_assert_cmpstr (column_of (v.clean_file), ==, "not checked");
  g_assert_null (emblem_of (v.clean_file));
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked + 2);
  g_assert_cmpuint (requests (), ==, before);
}

typedef struct
{
  TestFile *file;
  guint     updates;
} Reshown;

static gboolean
is_reshown (gpointer data)
{
  Reshown *reshown = data;

  return !reshown->file->updating && reshown->file->updates > reshown->updates;
}

/* Waits until @file was invalidated and shown again. */
static void
wait_for_reshow (TestFile *file,
                 guint     updates)
{
  Reshown reshown = { file, updates };

  wait_until (is_reshown, &reshown, "the file manager to ask again");
}

static void
test_emblems_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  guint before = requests ();
  gint asked = g_atomic_int_get (&t.get_verdict_calls);
  guint flagged_updates = v.flagged_file->updates;
  guint allowed_updates = v.allowed_file->updates;

  /* Turned off: every file shown is asked about again, and answered
   * without emblems, from what the extension kept. */
  g_settings_set_boolean (settings, "file-manager-emblems", FALSE);
  wait_for_reshow (v.flagged_file, flagged_updates);
  wait_for_reshow (v.allowed_file, allowed_updates);
  g_assert_cmpstr (column_of (v.flagged_file), ==, "62/64 malicious");
  g_assert_null (emblem_of (v.flagged_file));
  g_assert_cmpstr (column_of (v.allowed_file), ==, "allowed by you");
  g_assert_null (emblem_of (v.allowed_file));

  flagged_updates = v.flagged_file->updates;
  g_settings_set_boolean (settings, "file-manager-emblems", TRUE);
  wait_for_reshow (v.flagged_file, flagged_updates);
  g_assert_cmpstr (emblem_of (v.flagged_file), ==, "important-symbolic");
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked);
  g_assert_cmpuint (requests (), ==, before);
}

static gboolean
job_reaches (gpointer data)
{
  for (guint i = 0; i < t.jobs->len; i++)
    if (GPOINTER_TO_UINT (g_hash_table_lookup (t.job_totals, g_ptr_array_index (t.jobs, i))) ==
        GPOINTER_TO_UINT (data) + 1)
      return TRUE;
  return FALSE;
}

static gboolean
job_finished (gpointer data)
{
  return t.job_finished;
}

/* Cancels the job that counts @total files, and waits for its end. */
static void
cancel_job_of (guint total)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < t.jobs->len; i++)
    {
      const char *path = g_ptr_array_index (t.jobs, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (t.job_totals, path)) != total + 1)
        continue;
      t.job_finished = FALSE;
      reply = g_dbus_connection_call_sync (t.bus, CF_NAME, path, CF_JOB_IFACE, "Cancel", NULL, NULL,
                                           G_DBUS_CALL_FLAGS_NONE, 30000, NULL, &error);
      g_assert_no_error (error);
      wait_until (job_finished, NULL, "the cancelled job to finish");
      return;
    }
  g_assert_not_reached ();
}

static void
test_many_files (void)
{
  g_autofree char *many = g_build_filename (t.dir, "many", NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) list = NULL;
  g_autoptr(TestFile) folder = NULL;
  GList *items;
  gint calls = g_atomic_int_get (&t.check_files_calls);

  g_assert_cmpint (g_mkdir (many, 0755), ==, 0);
  for (guint i = 0; i < MANY; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%05u.txt", i);
      g_autofree char *contents = g_strdup_printf ("file %u\n", i);
      g_autofree char *path = cf_test_write_file (many, name, contents, -1, 0644);

      g_ptr_array_add (files, test_file_new_for_path (path));
    }

  /* Ten thousand files selected: one item, one call, queued in the service. */
  for (guint i = 0; i < files->len; i++)
    list = g_list_prepend (list, g_ptr_array_index (files, i));
  items = nautilus_menu_provider_get_file_items (NAUTILUS_MENU_PROVIDER (t.menu), list);
  run_items (items);
  nautilus_menu_item_list_free (items);
  wait_until (calls_at_least, GINT_TO_POINTER (calls + 1), "CheckFiles");
  wait_until (job_reaches, GUINT_TO_POINTER (MANY), "a job of 10 000 files");
  g_assert_cmpint (g_atomic_int_get (&t.check_files_calls), ==, calls + 1);
  cancel_job_of (MANY);

  /* The folder of ten thousand files: one call naming the folder. */
  folder = test_file_new_for_path (many);
  items = nautilus_menu_provider_get_background_items (NAUTILUS_MENU_PROVIDER (t.menu),
                                                       NAUTILUS_FILE_INFO (folder));
  g_hash_table_remove_all (t.job_totals);
  g_ptr_array_set_size (t.jobs, 0);
  run_items (items);
  nautilus_menu_item_list_free (items);
  wait_until (calls_at_least, GINT_TO_POINTER (calls + 2), "CheckFiles");
  wait_until (job_reaches, GUINT_TO_POINTER (MANY), "a job of the folder's 10 000 files");
  g_assert_cmpint (g_atomic_int_get (&t.check_files_calls), ==, calls + 2);
  cancel_job_of (MANY);
}

static void
mounted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!g_file_mount_enclosing_volume_finish (G_FILE (object), result, error) && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "?");
  if (*error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_ALREADY_MOUNTED))
    g_clear_error (error);
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

static gboolean
has_data_done (gpointer data)
{
  return g_object_get_data (data, "done") != NULL;
}

static void
unmounted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_mount_unmount_with_operation_finish (G_MOUNT (object), result, &error))
    g_printerr ("# could not unmount: %s\n", error->message);
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

/* A file on a GVfs mount (the "localtest" backend: a folder of this
 * computer shown as another location, as sftp:// shows a server), which
 * gvfsd-fuse also shows as a path. */
static void
test_remote_file (void)
{
  g_autofree char *path = make_file ("on-a-server.txt", "a file on a server\n");
  g_autofree char *uri = g_strconcat ("localtest://", path, NULL);
  g_autoptr(GFile) location = g_file_new_for_uri (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(TestFile) file = NULL;
  g_autoptr(GMount) mount = NULL;
  g_autofree char *fuse_path = NULL;
  TestFile *chosen[1];
  GList *items;
  g_autofree char *label = NULL;

  cf_fake_vt_register_file (t.server, path, "clean", &error);
  g_assert_no_error (error);
  g_file_mount_enclosing_volume (location, G_MOUNT_MOUNT_NONE, NULL, NULL, mounted, &error);
  wait_until (has_data_done, location, "the localtest:// mount");
  g_assert_no_error (error);
  fuse_path = g_file_get_path (location);
  g_test_message ("%s is %s", uri, fuse_path);
  g_assert_nonnull (fuse_path);
  g_assert_true (g_str_has_suffix (fuse_path, path));

  file = test_file_new (location, G_FILE_TYPE_REGULAR);
  chosen[0] = file;
  show (file);
  g_assert_cmpstr (column_of (file), ==, "not checked · remote");

  items = menu_items_for (chosen, 1);
  label = label_of (items->data);
  g_assert_cmpstr (label, ==, "Check with Check First");
  run_items (items);
  nautilus_menu_item_list_free (items);
  /* Hashed through the mount, said to be remote. */
  wait_for_column (file, "clean · just now · remote");
  g_assert_cmpstr (emblem_of (file), ==, "ok-symbolic");

  mount = g_file_find_enclosing_mount (location, NULL, &error);
  g_assert_no_error (error);
  g_mount_unmount_with_operation (mount, G_MOUNT_UNMOUNT_NONE, NULL, NULL, unmounted, NULL);
  wait_until (has_data_done, mount, "the unmount");
}

static void
test_service_unreachable (void)
{
  g_autofree char *late = make_file ("late.txt", "shown while the service was away\n");
  g_autofree char *later = make_file ("later.txt", "shown too\n");
  g_autoptr(TestFile) late_file = test_file_new_for_path (late);
  g_autoptr(TestFile) later_file = test_file_new_for_path (later);
  TestFile *chosen[1] = { late_file };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  gint asked;
  Notified not_checked = { "\"The files were not checked\"",
                           count_notified ("\"The files were not checked\"") };

  /* Check First is gone, and the bus cannot start it. */
  stop_service ();
  set_service_installed (FALSE);

  /* The file manager is answered, without a verdict, and quickly. */
  asked = g_atomic_int_get (&t.get_verdict_calls);
  show (late_file);
  g_assert_null (column_of (late_file));
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked + 1);
  /* And not asked about each of the folder's other files meanwhile. */
  show (later_file);
  g_assert_null (column_of (later_file));
  g_assert_cmpint (g_atomic_int_get (&t.get_verdict_calls), ==, asked + 1);

  /* The person asks for a check: the desktop says it did not happen. */
  items = menu_items_for (chosen, 1);
  run_items (items);
  nautilus_menu_item_list_free (items);
  wait_until (notified_again, &not_checked, "the notification that says why");

  /* Check First is back: the files shown meanwhile are asked about. */
  set_service_installed (TRUE);
  reply = g_dbus_connection_call_sync (t.bus, CF_NAME, CF_PATH, CF_IFACE, "ListRecent",
                                       g_variant_new ("(u)", 1), NULL, G_DBUS_CALL_FLAGS_NONE,
                                       30000, NULL, &error);
  g_assert_no_error (error);
  wait_for_column (late_file, "not checked");
  wait_for_column (later_file, "not checked");
}

int
main (int   argc,
      char *argv[])
{
  const char *module_path = g_getenv ("NAUTILUS_MODULE");
  g_autoptr(GError) error = NULL;
  guint job_subscription;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (module_path == NULL || g_getenv ("E2E_WORK") == NULL || g_getenv ("NOTIFICATIONS_LOG") == NULL)
    {
      g_printerr ("Run me in the desktop tests' session (tests/nautilus/test_extension_module.py)\n");
      return 1;
    }

  t.dir = g_build_filename (g_getenv ("E2E_TEST_DIR"), "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (t.dir, 0755), ==, 0);
  t.server = cf_test_fake_vt_new ();
  t.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (t.bus, count_calls, NULL, NULL);
  t.jobs = g_ptr_array_new_with_free_func (g_free);
  t.job_totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job_subscription = g_dbus_connection_signal_subscribe (t.bus, CF_NAME, CF_JOB_IFACE, NULL, NULL, NULL,
                                                         G_DBUS_SIGNAL_FLAGS_NONE, on_job_signal,
                                                         NULL, NULL);
  set_activation_environment (TRUE);

  /* Loaded as Nautilus loads it, once for the whole run. */
  t.module = g_object_new (TEST_TYPE_MODULE, NULL);
  t.module->path = g_strdup (module_path);
  g_assert_true (g_type_module_use (G_TYPE_MODULE (t.module)));
  {
    const GType *types = NULL;
    int n_types = 0;

    t.module->list_types (&types, &n_types);
    for (int i = 0; i < n_types; i++)
      {
        if (g_type_is_a (types[i], NAUTILUS_TYPE_MENU_PROVIDER))
          t.menu = g_object_new (types[i], NULL);
        if (g_type_is_a (types[i], NAUTILUS_TYPE_INFO_PROVIDER))
          info_provider = g_object_new (types[i], NULL);
      }
  }
  g_assert_nonnull (t.menu);
  g_assert_nonnull (info_provider);

  /* One suite, so that they run in this order: each builds on the one before. */
  g_test_add_func ("/nautilus/module-types", test_module_types);
  g_test_add_func ("/nautilus/menu-items", test_menu_items);
  g_test_add_func ("/nautilus/not-checked", test_info_not_checked);
  g_test_add_func ("/nautilus/check-and-verdicts", test_check_and_verdicts);
  g_test_add_func ("/nautilus/cache-and-fresh-answers", test_cache_and_fresh_answers);
  g_test_add_func ("/nautilus/emblems-setting", test_emblems_setting);
  g_test_add_func ("/nautilus/many-files", test_many_files);
  g_test_add_func ("/nautilus/remote-file", test_remote_file);
  g_test_add_func ("/nautilus/service-unreachable", test_service_unreachable);

  status = g_test_run ();

  g_clear_object (&v.flagged_file);
  g_clear_object (&v.clean_file);
  g_clear_object (&v.unchecked_file);
  g_clear_object (&v.allowed_file);
  g_clear_object (&t.menu);
  g_clear_object (&info_provider);
  g_dbus_connection_signal_unsubscribe (t.bus, job_subscription);
  stop_service ();
  cf_fake_vt_stop (t.server);
  g_clear_object (&t.server);
  return status;
}
