/* cf-hashlist-json-rows.c: what a JSON value holds: osquery rows, osqueryd records, Velociraptor
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * osqueryd writes three shapes: differential rows ("columns" and "action"),
 * snapshots ("snapshot": [rows]) and batches ("diffResults": {"added": [rows],
 * "removed": [rows]}); the host is the record's "hostIdentifier".  Rows that
 * were "removed" are read like the others: they are still files seen on that
 * host, and a removed process may well be the one to worry about.
 * Velociraptor nests its hashes: "Hash": {"MD5": …, "SHA1": …, "SHA256": …}.
 */

#define G_LOG_DOMAIN "check-first-hashlist"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-hashlist-private.h"

static JsonNode *
json_find_member (JsonObject   *object,
                  const char   *name,
                  JsonNodeType  type)
{
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member_name, &node))
    if (g_ascii_strcasecmp (member_name, name) == 0 && JSON_NODE_TYPE (node) == type)
      return node;

  return NULL;
}

static void
row_set_string (CfRow      *row,
                CfColumn    column,
                JsonNode   *node)
{
  const char *value;

  if (column == CF_COLUMN_NONE || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return;

  value = json_node_get_string (node);
  cf_hashlist_row_set (row, column, value, strlen (value));
}

/* Only the members of @inner that name @kind of column. */
static void
row_from_inner (CfRow      *row,
                JsonNode   *inner,
                gboolean    hashes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, json_node_get_object (inner));
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      CfColumn column = cf_hashlist_column_from_name (name, strlen (name));

      if (hashes ? cf_hashlist_column_is_hash (column) : column == CF_COLUMN_HOST)
        row_set_string (row, column, node);
    }
}

static void
row_from_json_object (CfRow      *row,
                      JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonNode *inner;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      CfColumn column = cf_hashlist_column_from_name (name, strlen (name));
      GType type;

      if (column == CF_COLUMN_NONE || !JSON_NODE_HOLDS_VALUE (node))
        continue;

      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        row_set_string (row, column, node);
      else if (column == CF_COLUMN_PID && row->pid < 0 && row->value[CF_COLUMN_PID] == NULL)
        {
          /* osqueryd logs numbers as numbers; osqueryi --json as strings. */
          if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0)
            row->pid = json_node_get_int (node);
          else if (type == G_TYPE_DOUBLE)
            {
              double value = json_node_get_double (node);

              if (isfinite (value) && value >= 0 && value < 9.0e18 && value == floor (value))
                row->pid = (gint64) value;
            }
        }
    }

  /* Velociraptor's hash() gives {"MD5": …, "SHA1": …, "SHA256": …}. */
  inner = json_find_member (object, "Hash", JSON_NODE_OBJECT);
  if (inner != NULL)
    row_from_inner (row, inner, TRUE);

  /* osqueryd puts the host name among the "decorations" when told to. */
  inner = json_find_member (object, "decorations", JSON_NODE_OBJECT);
  if (row->value[CF_COLUMN_HOST] == NULL && inner != NULL)
    row_from_inner (row, inner, FALSE);
}

/* A row is a flat object; an osqueryd differential line carries its row in
 * "columns" and the host beside it.  @outer is the enclosing record, if any. */
void
cf_hashlist_json_add_row (CfHashlistReader *reader,
                          JsonNode         *node,
                          const CfRow      *outer,
                          guint             number,
                          gboolean          is_row)
{
  JsonObject *object;
  JsonNode *columns;
  CfRow row, wrapper;
  const char *host = NULL;
  gsize host_length = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      cf_hashlist_reader_emit_problem (reader, CF_HASHLIST_PROBLEM_INVALID, number, is_row,
                                       _("not an object with fields"));
      return;
    }

  object = json_node_get_object (node);
  columns = json_find_member (object, "columns", JSON_NODE_OBJECT);

  cf_hashlist_row_init (&row);
  cf_hashlist_row_init (&wrapper);
  if (columns != NULL)
    {
      row_from_json_object (&row, json_node_get_object (columns));
      row_from_json_object (&wrapper, object);
    }
  else
    row_from_json_object (&row, object);

  /* Velociraptor's hash() gives null for a directory or a file it could
   * not read: the tool itself says there is no hash, as autorunsc does for
   * a location without an image. */
  if (!cf_hashlist_row_has_hash (&row) &&
      json_find_member (object, "Hash", JSON_NODE_NULL) != NULL)
    {
      cf_hashlist_reader_skip (reader, 1);
      return;
    }

  if (wrapper.value[CF_COLUMN_HOST] != NULL && wrapper.length[CF_COLUMN_HOST] > 0)
    {
      host = wrapper.value[CF_COLUMN_HOST];
      host_length = wrapper.length[CF_COLUMN_HOST];
    }
  else if (outer != NULL)
    {
      host = outer->value[CF_COLUMN_HOST];
      host_length = outer->length[CF_COLUMN_HOST];
    }

  cf_hashlist_reader_emit_row (reader, &row, host, host_length, number, is_row);
}

static void
add_rows (CfHashlistReader *reader,
          JsonNode         *rows,
          const CfRow      *outer,
          guint            *row_number)
{
  JsonArray *array = json_node_get_array (rows);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (*row_number < G_MAXUINT)
        (*row_number)++;
      cf_hashlist_json_add_row (reader, json_array_get_element (array, i), outer, *row_number,
                                TRUE);
    }
}

/* What the first value says the input is. */
CfHashlistFormat
cf_hashlist_json_format_of (JsonNode *root)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return CF_HASHLIST_FORMAT_OSQUERY_JSON;

  object = json_node_get_object (root);
  if (json_find_member (object, "columns", JSON_NODE_OBJECT) != NULL ||
      json_find_member (object, "snapshot", JSON_NODE_ARRAY) != NULL ||
      json_find_member (object, "diffResults", JSON_NODE_OBJECT) != NULL)
    return CF_HASHLIST_FORMAT_OSQUERYD_LOG;
  if (json_find_member (object, "Hash", JSON_NODE_OBJECT) != NULL)
    return CF_HASHLIST_FORMAT_VELOCIRAPTOR;
  return CF_HASHLIST_FORMAT_OSQUERY_JSON;
}

/* A value that stands alone: a row, or a record holding rows, numbered on
 * from *row_number. */
void
cf_hashlist_json_add_value (CfHashlistReader *reader,
                            JsonNode         *root,
                            guint             line,
                            guint            *row_number)
{
  static const char * const row_arrays[] = { "data", "rows", "results", "snapshot" };
  JsonObject *object = json_node_get_object (root);
  JsonNode *rows = NULL;
  JsonNode *diff;
  guint rows_before = *row_number;
  CfRow outer;

  for (guint i = 0; i < G_N_ELEMENTS (row_arrays) && rows == NULL; i++)
    rows = json_find_member (object, row_arrays[i], JSON_NODE_ARRAY);
  diff = json_find_member (object, "diffResults", JSON_NODE_OBJECT);

  if (rows == NULL && diff == NULL)
    {
      cf_hashlist_json_add_row (reader, root, NULL, line, FALSE);
      return;
    }

  /* Snapshots, batches and fleet results: the host is beside the rows. */
  cf_hashlist_row_init (&outer);
  row_from_json_object (&outer, object);

  if (rows != NULL)
    add_rows (reader, rows, &outer, row_number);
  if (diff != NULL)
    {
      JsonNode *added = json_find_member (json_node_get_object (diff), "added", JSON_NODE_ARRAY);
      JsonNode *removed = json_find_member (json_node_get_object (diff), "removed",
                                            JSON_NODE_ARRAY);

      if (added != NULL)
        add_rows (reader, added, &outer, row_number);
      if (removed != NULL)
        add_rows (reader, removed, &outer, row_number);
    }
  /* An empty snapshot, as osqueryd logs when nothing matched. */
  if (*row_number == rows_before)
    cf_hashlist_reader_skip (reader, 1);
}
