/* cf-hash-set.c: a set of MD5, SHA-1 and SHA-256 hashes, each in its digest's bytes
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A million-line hash list may hold hundreds of thousands of different
 * hashes, and a run remembers each one it answered.  As text in a
 * GHashTable one costs some 130 bytes; here it is its digest (32 bytes for
 * a SHA-256, 20 and 16 for SHA-1 and MD5), in one flat table per kind,
 * probed linearly.  A digest is as good as random already, so its first
 * bytes are its hash.
 */

#define G_LOG_DOMAIN "check-first-hash-set"

#include "config.h"

#include <string.h>

#include "cf-hash-set.h"

/* Full at four fifths, then grown by half: there are 1.25 to 1.9 slots
 * for each hash held, 40 to 60 bytes a SHA-256. */
#define CF_MAX_LOAD_NUMERATOR   4
#define CF_MAX_LOAD_DENOMINATOR 5
#define CF_INITIAL_CAPACITY     64
#define CF_MAX_DIGEST           32

/* The digests of one length; a slot of all zeros is empty. */
typedef struct
{
  guint8   *slots;
  gsize     capacity;
  gsize     digest_size;
  guint     size;
  gboolean  has_zero;     /* the one digest an empty slot cannot tell apart */
} Table;

struct _CfHashSet
{
  Table md5;
  Table sha1;
  Table sha256;
};

/* The table for @hash's kind, with its digest in @digest; NULL unless
 * @hash is 32, 40 or 64 hexadecimal digits. */
static Table *
table_for (CfHashSet  *self,
           const char *hash,
           guint8      digest[CF_MAX_DIGEST])
{
  gsize length = hash != NULL ? strlen (hash) : 0;
  Table *table = length == 32 ? &self->md5 : length == 40 ? &self->sha1 :
                 length == 64 ? &self->sha256 : NULL;

  for (gsize i = 0; table != NULL && i < length; i += 2)
    {
      int high = g_ascii_xdigit_value (hash[i]);
      int low = g_ascii_xdigit_value (hash[i + 1]);

      if (high < 0 || low < 0)
        return NULL;
      digest[i / 2] = (guint8) (high << 4 | low);
    }

  return table;
}

static gboolean
is_zero (const guint8 *digest,
         gsize         size)
{
  for (gsize i = 0; i < size; i++)
    if (digest[i] != 0)
      return FALSE;
  return TRUE;
}

/* The slot that holds @digest, or the empty one where it would go. */
static guint8 *
find_slot (guint8       *slots,
           gsize         capacity,
           gsize         digest_size,
           const guint8 *digest)
{
  guint32 first;
  gsize i;

  memcpy (&first, digest, sizeof first);
  i = (gsize) (((guint64) first * capacity) >> 32);

  while (!is_zero (slots + i * digest_size, digest_size) &&
         memcmp (slots + i * digest_size, digest, digest_size) != 0)
    i = i + 1 < capacity ? i + 1 : 0;

  return slots + i * digest_size;
}

static void
table_init (Table *table,
            gsize  digest_size)
{
  table->digest_size = digest_size;
  table->capacity = CF_INITIAL_CAPACITY;
  table->slots = g_malloc0 (table->capacity * digest_size);
}

static void
table_grow (Table *table)
{
  gsize capacity = table->capacity + table->capacity / 2;
  guint8 *slots = g_malloc0 (capacity * table->digest_size);

  for (gsize i = 0; i < table->capacity; i++)
    {
      const guint8 *digest = table->slots + i * table->digest_size;

      if (!is_zero (digest, table->digest_size))
        memcpy (find_slot (slots, capacity, table->digest_size, digest), digest, table->digest_size);
    }

  g_free (table->slots);
  table->slots = slots;
  table->capacity = capacity;
}

CfHashSet *
cf_hash_set_new (void)
{
  CfHashSet *self = g_new0 (CfHashSet, 1);

  table_init (&self->md5, 16);
  table_init (&self->sha1, 20);
  table_init (&self->sha256, 32);
  return self;
}

void
cf_hash_set_free (CfHashSet *self)
{
  if (self == NULL)
    return;

  g_free (self->md5.slots);
  g_free (self->sha1.slots);
  g_free (self->sha256.slots);
  g_free (self);
}

/* TRUE when @hash (MD5, SHA-1 or SHA-256, either case) was not in the set
 * yet; FALSE when it was, or is no such hash. */
gboolean
cf_hash_set_add (CfHashSet  *self,
                 const char *hash)
{
  guint8 digest[CF_MAX_DIGEST];
  Table *table;
  guint8 *slot;

  g_return_val_if_fail (self != NULL, FALSE);

  table = table_for (self, hash, digest);
  if (table == NULL)
    return FALSE;

  if (is_zero (digest, table->digest_size))
    {
      if (table->has_zero)
        return FALSE;
      table->has_zero = TRUE;
      table->size++;
      return TRUE;
    }

  slot = find_slot (table->slots, table->capacity, table->digest_size, digest);
  if (!is_zero (slot, table->digest_size))
    return FALSE;

  memcpy (slot, digest, table->digest_size);
  table->size++;
  if ((gsize) table->size * CF_MAX_LOAD_DENOMINATOR >= table->capacity * CF_MAX_LOAD_NUMERATOR)
    table_grow (table);

  return TRUE;
}

gboolean
cf_hash_set_contains (CfHashSet  *self,
                      const char *hash)
{
  guint8 digest[CF_MAX_DIGEST];
  Table *table;

  g_return_val_if_fail (self != NULL, FALSE);

  table = table_for (self, hash, digest);
  if (table == NULL)
    return FALSE;
  if (is_zero (digest, table->digest_size))
    return table->has_zero;

  return !is_zero (find_slot (table->slots, table->capacity, table->digest_size, digest),
                   table->digest_size);
}

guint
cf_hash_set_get_size (CfHashSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->md5.size + self->sha1.size + self->sha256.size;
}

/* The bytes the set holds, for the tests that keep it to its promise. */
gsize
cf_hash_set_get_memory (CfHashSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sizeof *self + self->md5.capacity * self->md5.digest_size +
         self->sha1.capacity * self->sha1.digest_size +
         self->sha256.capacity * self->sha256.digest_size;
}
