/* cf-hasher.h: SHA-256 of a file on a worker thread, with the file's identity
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_HASHER_ERROR (cf_hasher_error_quark ())

typedef enum
{
  CF_HASHER_ERROR_NOT_FOUND,
  CF_HASHER_ERROR_NOT_REGULAR,
  CF_HASHER_ERROR_PERMISSION,
  CF_HASHER_ERROR_SYMLINK_LOOP,
  CF_HASHER_ERROR_READ,
  CF_HASHER_ERROR_CHANGED,
  CF_HASHER_ERROR_BUSY,          /* open for writing somewhere: still being written */
} CfHasherError;

/* What makes a file the same file: if any field differs, the content may
 * differ too and the file has to be hashed again.  A non-local file (sftp://
 * through GIO) has no device or inode; `valid` is then FALSE. */
typedef struct
{
  guint64  device;
  guint64  inode;
  gint64   size;
  gint64   mtime_ns;
  gint64   ctime_ns;
  gboolean valid;
} CfFileIdentity;

/* Called about ten times a second at most, by cf_hasher_hash_fd() and
 * cf_hasher_hash_file() on their own thread, and by the hashing service
 * in the caller's main context (cf-hash-service.h). */
typedef void (*CfHashProgressFunc) (guint64  done,
                                    guint64  total,
                                    gpointer user_data);

GQuark    cf_hasher_error_quark    (void);

gboolean  cf_file_identity_equal   (const CfFileIdentity *a,
                                    const CfFileIdentity *b);
gboolean  cf_file_identity_query   (const char           *path,
                                    CfFileIdentity       *identity,
                                    GError              **error);
void      cf_file_error_from_errno (GError              **error,
                                    int                   saved_errno,
                                    const char           *display_name);
gboolean  cf_file_check_regular    (const struct stat    *st,
                                    const char           *display_name,
                                    GError              **error);

char     *cf_hasher_hash_fd        (int                   fd,
                                    const char           *display_name,
                                    GCancellable         *cancellable,
                                    CfHashProgressFunc    progress,
                                    gpointer              progress_data,
                                    CfFileIdentity       *identity,
                                    GError              **error);
char     *cf_hasher_hash_path      (const char           *path,
                                    GCancellable         *cancellable,
                                    CfHashProgressFunc    progress,
                                    gpointer              progress_data,
                                    CfFileIdentity       *identity,
                                    GError              **error);
char     *cf_hasher_hash_file      (GFile                *file,
                                    GCancellable         *cancellable,
                                    CfHashProgressFunc    progress,
                                    gpointer              progress_data,
                                    CfFileIdentity       *identity,
                                    GError              **error);
gboolean  cf_is_sha256             (const char           *text);

G_END_DECLS
