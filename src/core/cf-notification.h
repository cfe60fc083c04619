/* cf-notification.h: a check's verdict as a desktop notification, the same from the window and the service
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-check.h"

G_BEGIN_DECLS

typedef enum
{
  CF_NOTIFICATION_NONE         = 0,
  /* Checked away from the window (for the file manager, say): offers Show
   * Details, and Move to Trash for a blocked file. */
  CF_NOTIFICATION_BACKGROUND   = 1 << 3,
  /* A new file in a watched folder (in the background too). */
  CF_NOTIFICATION_DOWNLOAD     = 1 << 0 | CF_NOTIFICATION_BACKGROUND,
  /* It lost its execute bits. */
  CF_NOTIFICATION_DISARMED     = 1 << 1,
  /* Unknown, and the person may choose to send it to VirusTotal. */
  CF_NOTIFICATION_OFFER_UPLOAD = 1 << 2,
} CfNotificationFlags;

GNotification *cf_notification_new (CfCheck             *check,
                                    CfNotificationFlags  flags);
char          *cf_notification_id  (const char          *kind,
                                    CfCheck             *check);

G_END_DECLS
