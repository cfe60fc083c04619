/* cf-account.h: the allowance VirusTotal reports for the key in use, kept, and what it lets the budget spend
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-allowance.h"
#include "cf-config.h"
#include "cf-store.h"
#include "cf-vt-client.h"

G_BEGIN_DECLS

/* How old a reading may be before it is taken again. */
#define CF_ACCOUNT_READ_INTERVAL_S (24 * 3600)

#define CF_TYPE_ACCOUNT (cf_account_get_type ())
G_DECLARE_FINAL_TYPE (CfAccount, cf_account, CF, ACCOUNT, GObject)

CfAccount         *cf_account_new            (CfStore             *store);
/* The key in use (NULL: none): what was last read for it comes back
 * from the store; another key's allowance is never taken for its own. */
void               cf_account_set_key        (CfAccount           *self,
                                              const char          *api_key);
/* The last allowance VirusTotal reported for the key, or NULL. */
const CfAllowance *cf_account_get_allowance  (CfAccount           *self);
/* Property "read": when that was, seconds since the epoch; 0: never. */
gint64             cf_account_get_read       (CfAccount           *self);
/* Property "error": why the last reading failed, NULL after one worked. */
const GError      *cf_account_get_error      (CfAccount           *self);
gboolean           cf_account_is_reading     (CfAccount           *self);
/* "240 requests an hour, 500 a day, 15500 a month" (with @group_digits,
 * "15 500"), or NULL. */
char              *cf_account_describe       (CfAccount           *self,
                                              gboolean             group_digits);
gboolean           cf_account_is_due         (CfAccount           *self,
                                              gint64               now);

/* Asks VirusTotal (see cf_vt_client_get_allowance_async()); when that
 * fails, what was known stays as it was. */
void               cf_account_read_async     (CfAccount           *self,
                                              CfVtClient          *client,
                                              CfPriority           priority,
                                              gboolean             wait,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean           cf_account_read_finish    (CfAccount           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The budget to keep: what VirusTotal allows the account, within the
 * caps of a premium plan in @config; @config's own limits while nothing
 * was reported, or when a command line gave a rate.  Never "no limit"
 * for want of an answer. */
void               cf_account_limits         (CfAccount           *self,
                                              const CfConfig      *config,
                                              guint               *per_minute,
                                              guint               *per_day,
                                              guint               *per_month);

G_END_DECLS
