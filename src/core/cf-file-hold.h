/* cf-file-hold.h: a file held open under a read lease, from its first byte hashed to its launch
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-hasher.h"

G_BEGIN_DECLS

#define CF_TYPE_FILE_HOLD (cf_file_hold_get_type ())
G_DECLARE_FINAL_TYPE (CfFileHold, cf_file_hold, CF, FILE_HOLD, GObject)

/* Why a hold has no lease: the kernel's word for it.  A file someone has
 * open for writing gets no hold at all (CF_HASHER_ERROR_BUSY). */
typedef enum
{
  CF_FILE_HOLD_LEASED,
  CF_FILE_HOLD_NOT_OWNER,       /* someone else's file: only its owner (or root) may lease it */
  CF_FILE_HOLD_NO_LEASES,       /* a file system without leases (NFS, FUSE, ...) */
} CfFileHoldKind;

CfFileHold     *cf_file_hold_open        (const char            *path,
                                          GError               **error);
int             cf_file_hold_get_fd      (CfFileHold            *self);
const char     *cf_file_hold_get_path    (CfFileHold            *self);
CfFileHoldKind  cf_file_hold_get_kind    (CfFileHold            *self);
const CfFileIdentity *cf_file_hold_get_identity (CfFileHold     *self);
gboolean        cf_file_hold_is_broken   (CfFileHold            *self);
gboolean        cf_file_hold_verify      (CfFileHold            *self,
                                          const char            *sha256,
                                          GError               **error);
gboolean        cf_file_hold_set_mode    (CfFileHold            *self,
                                          guint                  mode,
                                          GError               **error);
void            cf_file_hold_release     (CfFileHold            *self);

G_END_DECLS
