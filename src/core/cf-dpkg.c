/* cf-dpkg.c: the files Debian packages installed, and whether each is still what its package shipped
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dpkg keeps, for every installed package, the list of its files (*.list)
 * and the MD5 of each regular file that is not a configuration file
 * (*.md5sums).  A file at a system path whose MD5 is the recorded one is
 * the file Debian shipped: asking VirusTotal about it tells nothing new.
 * One whose MD5 differs was changed after it was installed, which is how
 * a tampered system program looks.
 *
 * MD5 is what dpkg records, so it is what can be compared.  It answers
 * "is this the file the package installed?", which no one can fake without
 * a second preimage, still out of reach for MD5; it is no defence against
 * whoever built the package, who could have made two files with one MD5.
 *
 * The index holds each path once, split into a folder (interned, resolved
 * through symbolic links such as /bin -> usr/bin) and a name, in one array
 * sorted for a binary search: some 30 bytes a file.
 */

#define G_LOG_DOMAIN "check-first-dpkg"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <openssl/evp.h>

#include "cf-dpkg.h"
#include "cf-hasher.h"

#define MD5_LENGTH 16
#define READ_BUFFER_SIZE (64 * 1024)

/* Where a file is never the package's to vouch for, whatever dpkg says:
 * the administrator's own programs, and places any user may write to. */
static const char * const never_packaged[] = {
  "/usr/local",
  "/home",
  "/root",
  "/tmp",
  "/var/tmp",
  "/dev/shm",
  "/run/user",
  "/proc",
};

/* dpkg's package states whose files are on the disk. */
static const char * const states_with_files[] = {
  "installed",
  "triggers-pending",
  "triggers-awaited",
  "half-configured",
  "unpacked",
};

typedef struct
{
  guint32 folder;      /* offset of its folder in the index's text */
  guint32 name;        /* offset of its name */
  guint32 package;     /* index in packages */
  guint8  md5[MD5_LENGTH];
} Entry;

typedef struct
{
  char *name;
  char *version;
} Package;

struct _CfDpkgIndex
{
  char       *text;        /* folders and names, each once, each ended by a NUL */
  gsize       text_length;
  GHashTable *folders;     /* canonical folder (in text) -> its offset + 1 */
  GArray     *entries;     /* Entry, by folder offset, then name */
  GPtrArray  *packages;    /* Package */
  char       *admindir;
  gint64      status_mtime_ns;
  gint64      status_size;
};

/* ------------------------------------------------------------------ */
/* CfPackageInfo                                                        */
/* ------------------------------------------------------------------ */

void
cf_package_info_clear (CfPackageInfo *info)
{
  g_return_if_fail (info != NULL);

  info->state = CF_PACKAGED_NONE;
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->version, g_free);
}

void
cf_package_info_copy (CfPackageInfo       *dest,
                      const CfPackageInfo *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  dest->state = src->state;
  dest->name = g_strdup (src->name);
  dest->version = g_strdup (src->version);
}

const char *
cf_packaged_to_string (CfPackaged state)
{
  switch (state)
    {
    case CF_PACKAGED_UNMODIFIED:
      return "unmodified";
    case CF_PACKAGED_MODIFIED:
      return "modified";
    case CF_PACKAGED_NONE:
    default:
      return NULL;
    }
}

gboolean
cf_packaged_from_string (const char *text,
                         CfPackaged *state)
{
  if (g_strcmp0 (text, "unmodified") == 0)
    *state = CF_PACKAGED_UNMODIFIED;
  else if (g_strcmp0 (text, "modified") == 0)
    *state = CF_PACKAGED_MODIFIED;
  else
    return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reading the database                                                 */
/* ------------------------------------------------------------------ */

const char *
cf_dpkg_admindir (void)
{
  const char *admindir = g_getenv ("CHECK_FIRST_DPKG_ADMINDIR");

  return admindir != NULL && *admindir != '\0' ? admindir : CF_DPKG_DEFAULT_ADMINDIR;
}

static void
package_free (Package *package)
{
  g_free (package->name);
  g_free (package->version);
  g_free (package);
}

static CfDpkgIndex *
index_new (const char *admindir)
{
  CfDpkgIndex *index = g_atomic_rc_box_new0 (CfDpkgIndex);

  index->folders = g_hash_table_new (g_str_hash, g_str_equal);
  index->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  index->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) package_free);
  index->admindir = g_strdup (admindir);
  return index;
}

static void
index_clear (CfDpkgIndex *index)
{
  g_hash_table_unref (index->folders);
  g_free (index->text);
  g_array_unref (index->entries);
  g_ptr_array_unref (index->packages);
  g_free (index->admindir);
}

CfDpkgIndex *
cf_dpkg_index_ref (CfDpkgIndex *index)
{
  g_return_val_if_fail (index != NULL, NULL);
  return g_atomic_rc_box_acquire (index);
}

void
cf_dpkg_index_unref (CfDpkgIndex *index)
{
  if (index != NULL)
    g_atomic_rc_box_release_full (index, (GDestroyNotify) index_clear);
}

/* While the index is built: its text grows, so strings are found by
 * content in tables of their own, which give their offsets. */
typedef struct
{
  CfDpkgIndex *index;
  GString     *text;
  GHashTable  *strings;      /* folder or name -> its offset + 1 */
  GHashTable  *canonical;    /* folder as listed -> its canonical folder's offset + 1 */
  GHashTable  *diversions;   /* path -> Diversion */
  GString     *path;         /* the path being added */
  GString     *last_listed;  /* the folder of the last file added, as listed */
  guint32      last_folder;  /* and its canonical folder's offset */
} Builder;

/* Each folder and each name is kept once: "copyright" ends thousands of
 * paths. */
static guint32
builder_intern (Builder    *builder,
                const char *text)
{
  gpointer found = g_hash_table_lookup (builder->strings, text);
  guint32 offset;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  offset = (guint32) builder->text->len;
  g_string_append_len (builder->text, text, strlen (text) + 1);
  g_hash_table_insert (builder->strings, g_strdup (text), GUINT_TO_POINTER (offset + 1));
  return offset;
}

typedef struct
{
  char *to;
  char *package;             /* ":" for the administrator's own */
} Diversion;

static void
diversion_free (Diversion *diversion)
{
  g_free (diversion->to);
  g_free (diversion->package);
  g_free (diversion);
}

/* The folder as it really is on this machine: on a merged /usr, a file
 * listed as /bin/true is /usr/bin/true.  A folder that does not exist is
 * kept as listed. */
static guint32
builder_folder (Builder    *builder,
                const char *folder,
                gsize       length)
{
  g_autofree char *listed = g_strndup (folder, length);
  g_autofree char *canonical = NULL;
  const char *slash;
  gpointer found;
  guint32 offset;
  struct stat st;

  if (*listed == '\0')
    return builder_intern (builder, "/");
  found = g_hash_table_lookup (builder->canonical, listed);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  /* The parent resolved first (and remembered), then one lstat() of
   * this folder's own name: a symbolic link is the rare case. */
  slash = strrchr (listed, '/');
  if (slash == NULL)
    canonical = g_strdup (listed);
  else
    {
      guint32 parent = builder_folder (builder, listed, slash - listed);
      const char *parent_text = builder->text->str + parent;

      canonical = g_strconcat (g_str_equal (parent_text, "/") ? "" : parent_text, slash, NULL);
      if (lstat (canonical, &st) == 0 && S_ISLNK (st.st_mode))
        {
          char *real = realpath (canonical, NULL);

          if (real != NULL)
            {
              g_free (canonical);
              canonical = real;
            }
        }
    }

  offset = builder_intern (builder, canonical);
  g_hash_table_insert (builder->canonical, g_steal_pointer (&listed), GUINT_TO_POINTER (offset + 1));
  return offset;
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
parse_md5 (const char *hex,
           guint8      md5[MD5_LENGTH])
{
  for (guint i = 0; i < MD5_LENGTH; i++)
    {
      int high = hex_value (hex[2 * i]);
      int low = high >= 0 ? hex_value (hex[2 * i + 1]) : -1;

      if (low < 0)
        return FALSE;
      md5[i] = (guint8) (high << 4 | low);
    }
  return TRUE;
}

static void
builder_add (Builder      *builder,
             const char   *path,
             const guint8  md5[MD5_LENGTH],
             guint32       package)
{
  const char *slash = strrchr (path, '/');
  gsize length;
  Entry entry;

  if (slash == NULL || slash[1] == '\0')
    return;

  /* A package's files come folder by folder: most are in the folder of
   * the one before. */
  length = slash - path;
  if (builder->last_folder == G_MAXUINT32 || builder->last_listed->len != length ||
      memcmp (builder->last_listed->str, path, length) != 0)
    {
      builder->last_folder = builder_folder (builder, path, length);
      g_string_truncate (builder->last_listed, 0);
      g_string_append_len (builder->last_listed, path, length);
    }
  entry.folder = builder->last_folder;
  entry.name = builder_intern (builder, slash + 1);
  entry.package = package;
  memcpy (entry.md5, md5, MD5_LENGTH);
  g_array_append_val (builder->index->entries, entry);
}

/* Splits @contents into lines in place. */
static GPtrArray *
split_lines (char *contents)
{
  GPtrArray *lines = g_ptr_array_new ();
  char *line = contents;

  while (line != NULL && *line != '\0')
    {
      char *end = strchr (line, '\n');

      if (end != NULL)
        *end = '\0';
      g_ptr_array_add (lines, line);
      line = end != NULL ? end + 1 : NULL;
    }
  return lines;
}

/* One package's files: those its .list names and its .md5sums has a
 * checksum for; a file another package diverted is where the diversion
 * put it. */
static void
builder_read_package (Builder    *builder,
                      const char *info_dir,
                      const char *name,
                      const char *arch,
                      const char *version,
                      gboolean    multi_arch_same)
{
  g_autofree char *qualified = g_strdup_printf ("%s:%s", name, arch != NULL ? arch : "");
  const char *bases[2] = { multi_arch_same ? qualified : name, multi_arch_same ? name : qualified };
  g_autofree char *list_text = NULL;
  g_autofree char *sums_text = NULL;
  g_autoptr(GPtrArray) list_lines = NULL;
  g_autoptr(GPtrArray) sums_lines = NULL;
  g_autoptr(GHashTable) listed = NULL;
  Package *package;
  guint32 package_index;

  for (guint i = 0; i < G_N_ELEMENTS (bases) && list_text == NULL; i++)
    {
      g_autofree char *list_path = g_strdup_printf ("%s/%s.list", info_dir, bases[i]);
      g_autofree char *sums_path = g_strdup_printf ("%s/%s.md5sums", info_dir, bases[i]);

      if (g_file_get_contents (list_path, &list_text, NULL, NULL) &&
          !g_file_get_contents (sums_path, &sums_text, NULL, NULL))
        g_clear_pointer (&sums_text, g_free);
    }
  /* A package without checksums vouches for nothing. */
  if (list_text == NULL || sums_text == NULL)
    return;

  /* Kept without their leading "/", as the checksums name them. */
  list_lines = split_lines (list_text);
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < list_lines->len; i++)
    {
      const char *line = list_lines->pdata[i];

      if (*line == '/')
        g_hash_table_add (listed, (char *) line + 1);
    }

  package = g_new0 (Package, 1);
  package->name = g_strdup (name);
  package->version = g_strdup (version);
  package_index = builder->index->packages->len;
  g_ptr_array_add (builder->index->packages, package);

  sums_lines = split_lines (sums_text);
  for (guint i = 0; i < sums_lines->len; i++)
    {
      const char *line = sums_lines->pdata[i];
      const Diversion *diversion;
      const char *relative;
      guint8 md5[MD5_LENGTH];

      /* "<32 hex digits>  usr/bin/true" */
      if (strlen (line) < 2 * MD5_LENGTH + 2 || !parse_md5 (line, md5) ||
          line[2 * MD5_LENGTH] != ' ')
        continue;
      relative = line + 2 * MD5_LENGTH;
      while (*relative == ' ' || *relative == '*')
        relative++;
      while (*relative == '/')
        relative++;
      if (*relative == '\0')
        continue;

      if (!g_hash_table_contains (listed, relative))
        continue;

      g_string_truncate (builder->path, 0);
      g_string_append_c (builder->path, '/');
      g_string_append (builder->path, relative);
      diversion = g_hash_table_size (builder->diversions) > 0
                  ? g_hash_table_lookup (builder->diversions, builder->path->str) : NULL;
      if (diversion != NULL && g_strcmp0 (diversion->package, name) != 0)
        builder_add (builder, diversion->to, md5, package_index);
      else
        builder_add (builder, builder->path->str, md5, package_index);
    }
}

/* /var/lib/dpkg/diversions: three lines each, the path, where it was
 * diverted to, and by which package (":" for the administrator). */
static void
builder_read_diversions (Builder    *builder,
                         const char *admindir)
{
  g_autofree char *path = g_build_filename (admindir, "diversions", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = split_lines (contents);
  for (guint i = 0; i + 2 < lines->len; i += 3)
    {
      Diversion *diversion = g_new0 (Diversion, 1);

      diversion->to = g_strdup (lines->pdata[i + 1]);
      diversion->package = g_strdup (lines->pdata[i + 2]);
      g_hash_table_replace (builder->diversions, g_strdup (lines->pdata[i]), diversion);
    }
}

static gboolean
state_has_files (const char *status)
{
  const char *state;

  /* "install ok installed": want, error flag, state. */
  if (status == NULL || (state = strrchr (status, ' ')) == NULL)
    return FALSE;
  state++;
  for (guint i = 0; i < G_N_ELEMENTS (states_with_files); i++)
    if (g_str_equal (state, states_with_files[i]))
      return TRUE;
  return FALSE;
}

/* The status file: one paragraph a package, "Field: value" lines. */
static void
builder_read_status (Builder    *builder,
                     const char *admindir,
                     char       *contents)
{
  g_autofree char *info_dir = g_build_filename (admindir, "info", NULL);
  g_autoptr(GPtrArray) lines = split_lines (contents);
  const char *name = NULL, *status = NULL, *arch = NULL, *version = NULL, *multi_arch = NULL;

  for (guint i = 0; i <= lines->len; i++)
    {
      char *line = i < lines->len ? lines->pdata[i] : NULL;

      if (line == NULL || *line == '\0')
        {
          if (name != NULL && version != NULL && state_has_files (status))
            builder_read_package (builder, info_dir, name, arch, version,
                                  g_strcmp0 (multi_arch, "same") == 0);
          name = status = arch = version = multi_arch = NULL;
          continue;
        }
      if (*line == ' ' || *line == '\t')
        continue;

      {
        char *colon = strchr (line, ':');
        char *value;

        if (colon == NULL)
          continue;
        *colon = '\0';
        value = g_strstrip (colon + 1);
        if (g_str_equal (line, "Package"))
          name = value;
        else if (g_str_equal (line, "Status"))
          status = value;
        else if (g_str_equal (line, "Architecture"))
          arch = value;
        else if (g_str_equal (line, "Version"))
          version = value;
        else if (g_str_equal (line, "Multi-Arch"))
          multi_arch = value;
      }
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Entry *x = a;
  const Entry *y = b;
  const char *text = user_data;

  if (x->folder != y->folder)
    return x->folder < y->folder ? -1 : 1;
  return strcmp (text + x->name, text + y->name);
}

static gboolean
status_stamp (const char *admindir,
              gint64     *mtime_ns,
              gint64     *size)
{
  g_autofree char *path = g_build_filename (admindir, "status", NULL);
  struct stat st;

  if (stat (path, &st) != 0)
    {
      *mtime_ns = *size = -1;
      return FALSE;
    }
  *mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  *size = st.st_size;
  return TRUE;
}

CfDpkgIndex *
cf_dpkg_index_load (const char  *admindir,
                    GError     **error)
{
  g_autoptr(CfDpkgIndex) index = NULL;
  g_autofree char *status_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  Builder builder = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (admindir != NULL, NULL);

  index = index_new (admindir);
  status_stamp (admindir, &index->status_mtime_ns, &index->status_size);

  status_path = g_build_filename (admindir, "status", NULL);
  if (!g_file_get_contents (status_path, &contents, NULL, &local_error))
    {
      /* No dpkg here: nothing is packaged. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_debug ("No dpkg database at %s", admindir);
          return g_steal_pointer (&index);
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the list of installed packages: "));
      return NULL;
    }

  builder.index = index;
  builder.text = g_string_sized_new (64 * 1024);
  builder.strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder.canonical = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder.diversions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) diversion_free);
  builder.path = g_string_sized_new (256);
  builder.last_listed = g_string_sized_new (256);
  builder.last_folder = G_MAXUINT32;
  builder_read_diversions (&builder, admindir);
  builder_read_status (&builder, admindir, contents);

  /* The text has stopped growing: the index keeps it at its size, and
   * the folder table points into it. */
  index->text_length = builder.text->len;
  index->text = g_realloc (g_string_free (builder.text, FALSE), MAX (index->text_length, 1));
  g_hash_table_iter_init (&iter, builder.canonical);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (index->folders, index->text + GPOINTER_TO_UINT (value) - 1, value);
  g_array_sort_with_data (index->entries, compare_entries, index->text);
  {
    GArray *exact = g_array_sized_new (FALSE, FALSE, sizeof (Entry), index->entries->len);

    g_array_append_vals (exact, index->entries->data, index->entries->len);
    g_array_unref (index->entries);
    index->entries = exact;
  }

  g_hash_table_unref (builder.strings);
  g_hash_table_unref (builder.canonical);
  g_hash_table_unref (builder.diversions);
  g_string_free (builder.path, TRUE);
  g_string_free (builder.last_listed, TRUE);

  return g_steal_pointer (&index);
}

guint
cf_dpkg_index_get_n_files (CfDpkgIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->entries->len;
}

guint
cf_dpkg_index_get_n_packages (CfDpkgIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->packages->len;
}

/* What the index itself holds, in bytes (the allocator's overhead aside). */
gsize
cf_dpkg_index_get_memory (CfDpkgIndex *index)
{
  gsize bytes;

  g_return_val_if_fail (index != NULL, 0);

  bytes = sizeof *index + index->text_length +
          (gsize) index->entries->len * sizeof (Entry) +
          (gsize) g_hash_table_size (index->folders) * 3 * sizeof (gpointer);
  for (guint i = 0; i < index->packages->len; i++)
    {
      const Package *package = index->packages->pdata[i];

      bytes += sizeof *package + strlen (package->name) + strlen (package->version) + 2;
    }
  return bytes;
}

/* The entries for @path: *@first and how many. */
static guint
index_find (CfDpkgIndex *index,
            const char  *path,
            guint       *first)
{
  const char *slash = strrchr (path, '/');
  const char *text = index->text;
  g_autofree char *folder = NULL;
  gpointer found;
  guint32 folder_offset;
  guint low = 0, high = index->entries->len;

  if (slash == NULL || slash[1] == '\0')
    return 0;
  folder = slash == path ? g_strdup ("/") : g_strndup (path, slash - path);
  found = g_hash_table_lookup (index->folders, folder);
  if (found == NULL)
    return 0;
  folder_offset = GPOINTER_TO_UINT (found) - 1;

  /* The first entry not before (folder, name). */
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const Entry *entry = &g_array_index (index->entries, Entry, middle);
      int order = entry->folder != folder_offset ? (entry->folder < folder_offset ? -1 : 1)
                                                 : strcmp (text + entry->name, slash + 1);

      if (order < 0)
        low = middle + 1;
      else
        high = middle;
    }

  *first = low;
  for (high = low; high < index->entries->len; high++)
    {
      const Entry *entry = &g_array_index (index->entries, Entry, high);

      if (entry->folder != folder_offset || strcmp (text + entry->name, slash + 1) != 0)
        break;
    }
  return high - low;
}

gboolean
cf_dpkg_index_contains (CfDpkgIndex *index,
                        const char  *path)
{
  guint first;

  g_return_val_if_fail (index != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return index_find (index, path, &first) > 0;
}

/* ------------------------------------------------------------------ */
/* This machine's database, once per run                                */
/* ------------------------------------------------------------------ */

static GMutex default_lock;
static CfDpkgIndex *default_index;

CfDpkgIndex *
cf_dpkg_index_get_default (void)
{
  const char *admindir = cf_dpkg_admindir ();
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&default_lock);
  g_autoptr(GError) error = NULL;
  CfDpkgIndex *index;
  gint64 mtime_ns, size;

  /* dpkg rewrites its status with every package it installs: an index
   * of before an upgrade would call every upgraded file modified. */
  status_stamp (admindir, &mtime_ns, &size);
  if (default_index != NULL && g_str_equal (default_index->admindir, admindir) &&
      default_index->status_mtime_ns == mtime_ns && default_index->status_size == size)
    return cf_dpkg_index_ref (default_index);

  index = cf_dpkg_index_load (admindir, &error);
  if (index == NULL)
    {
      g_warning ("%s", error->message);
      index = index_new (admindir);
    }
  g_clear_pointer (&default_index, cf_dpkg_index_unref);
  default_index = index;
  return cf_dpkg_index_ref (index);
}

/* ------------------------------------------------------------------ */
/* Verifying a file                                                     */
/* ------------------------------------------------------------------ */

static gboolean
is_under (const char *path,
          const char *folder)
{
  gsize length = strlen (folder);

  return strncmp (path, folder, length) == 0 && (path[length] == '/' || path[length] == '\0');
}

gboolean
cf_dpkg_path_may_qualify (const char *path)
{
  const char *home = g_get_home_dir ();

  if (path == NULL || path[0] != '/')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (never_packaged); i++)
    if (is_under (path, never_packaged[i]))
      return FALSE;
  return home == NULL || g_str_equal (home, "/") || !is_under (path, home);
}

/* Could anyone but root have changed @path, or moved another file into
 * its place?  Asked of the file and of every folder above it. */
static gboolean
writable_by_others (const char *path)
{
  g_autofree char *walk = g_strdup (path);

  for (;;)
    {
      struct stat st;
      char *slash;

      if (stat (walk, &st) != 0 || st.st_uid != 0 || (st.st_mode & S_IWOTH) != 0 ||
          ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0))
        return TRUE;
      /* Root may write anywhere; anyone else who may write here is
       * someone other than root. */
      if (geteuid () != 0 && access (walk, W_OK) == 0)
        return TRUE;

      slash = strrchr (walk, '/');
      if (slash == NULL)
        break;
      if (slash == walk)
        {
          if (walk[1] == '\0')
            break;
          walk[1] = '\0';
          continue;
        }
      *slash = '\0';
    }
  return FALSE;
}

static gboolean
md5_of_fd (int            fd,
           const char    *path,
           guint8         md5[MD5_LENGTH],
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (READ_BUFFER_SIZE);
  EVP_MD_CTX *context = EVP_MD_CTX_new ();
  unsigned int length = 0;
  off_t offset = 0;
  gboolean ok = FALSE;

  if (context == NULL || EVP_DigestInit_ex (context, EVP_md5 (), NULL) != 1)
    {
      g_set_error_literal (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                           _("MD5 is not available from OpenSSL."));
      goto out;
    }

  for (;;)
    {
      /* From the start, whatever the descriptor's offset: another thread
       * may be hashing the same descriptor. */
      ssize_t n = pread (fd, buffer, READ_BUFFER_SIZE, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_autofree char *name = g_filename_display_name (path);

          cf_file_error_from_errno (error, errno, name);
          goto out;
        }
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      EVP_DigestUpdate (context, buffer, n);
      offset += n;
    }
  ok = EVP_DigestFinal_ex (context, md5, &length) == 1 && length == MD5_LENGTH;

out:
  EVP_MD_CTX_free (context);
  return ok;
}

gboolean
cf_dpkg_verify_fd (CfDpkgIndex    *index,
                   int             fd,
                   const char     *path,
                   CfPackageInfo  *info,
                   GCancellable   *cancellable,
                   GError        **error)
{
  guint8 md5[MD5_LENGTH];
  struct stat held, named;
  const Entry *match = NULL;
  const Entry *first_entry;
  const Package *package;
  guint first, n;

  g_return_val_if_fail (index != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  cf_package_info_clear (info);
  if (!cf_dpkg_path_may_qualify (path))
    return TRUE;
  n = index_find (index, path, &first);
  if (n == 0)
    return TRUE;

  /* The path must still name the file that is open, a regular file in
   * a place only root can change. */
  if (fstat (fd, &held) != 0 || !S_ISREG (held.st_mode) || stat (path, &named) != 0 ||
      held.st_dev != named.st_dev || held.st_ino != named.st_ino || writable_by_others (path))
    return TRUE;

  if (!md5_of_fd (fd, path, md5, cancellable, error))
    return FALSE;

  /* Two packages may list one file (/bin/x and /usr/bin/x on a merged
   * /usr): either's checksum will do. */
  for (guint i = first; i < first + n && match == NULL; i++)
    {
      const Entry *entry = &g_array_index (index->entries, Entry, i);

      if (memcmp (entry->md5, md5, MD5_LENGTH) == 0)
        match = entry;
    }

  first_entry = &g_array_index (index->entries, Entry, first);
  package = index->packages->pdata[(match != NULL ? match : first_entry)->package];
  info->state = match != NULL ? CF_PACKAGED_UNMODIFIED : CF_PACKAGED_MODIFIED;
  info->name = g_strdup (package->name);
  info->version = g_strdup (package->version);
  return TRUE;
}

gboolean
cf_dpkg_verify_open_file (int             fd,
                          CfPackageInfo  *info,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autofree char *path = NULL;
  g_autoptr(CfDpkgIndex) index = NULL;
  gboolean ok;

  g_return_val_if_fail (info != NULL, FALSE);

  cf_package_info_clear (info);
  /* Where the open file really is, every symbolic link followed. */
  path = g_file_read_link (link, NULL);
  if (path == NULL || !cf_dpkg_path_may_qualify (path))
    return TRUE;

  index = cf_dpkg_index_get_default ();
  ok = cf_dpkg_verify_fd (index, fd, path, info, cancellable, error);

  /* dpkg may have replaced the file since the index was read: judge a
   * change again with what dpkg says now. */
  if (ok && info->state == CF_PACKAGED_MODIFIED)
    {
      g_autoptr(CfDpkgIndex) now = cf_dpkg_index_get_default ();

      if (now != index)
        ok = cf_dpkg_verify_fd (now, fd, path, info, cancellable, error);
    }
  return ok;
}
