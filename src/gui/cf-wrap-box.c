/* cf-wrap-box.c: a row of buttons that goes on in a second line when there is no room
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The details page's actions: in one line, left to right, each as wide as
 * it wants to be and a fixed gap apart, like a GtkBox; where a narrow
 * window, large text or a long translation leave no room for the next
 * button, it starts a new line instead of widening the window. GTK 4.8's
 * GtkFlowBox lines its children up in columns and spreads the spare room
 * between them, so the gaps changed with the window's width.
 */

#define G_LOG_DOMAIN "check-first"

#include "config.h"

#include "cf-wrap-box.h"

struct _CfWrapBox
{
  GtkWidget parent_instance;

  int       spacing;        /* between buttons in a line */
  int       line_spacing;   /* between lines */
};

G_DEFINE_FINAL_TYPE (CfWrapBox, cf_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  PROP_LINE_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GtkWidget *child;
  int        width;
  int        line;
} Place;

/* Puts the children that take part in the layout into lines no wider than
 * @width (a child wider than that alone gets a line of its own); fills
 * @places and @line_heights when not NULL; returns the total height. */
static int
lay_out (CfWrapBox *self,
         int        width,
         GArray    *places,
         GArray    *line_heights)
{
  int x = 0;
  int line = 0;
  int line_height = 0;
  int height = 0;
  gboolean any = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Place place = { child, 0, 0 };
      int minimum, natural, child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      place.width = width >= 0 ? MAX (minimum, MIN (natural, width)) : natural;
      if (any && width >= 0 && x + self->spacing + place.width > width)
        {
          if (line_heights != NULL)
            g_array_append_val (line_heights, line_height);
          height += line_height + self->line_spacing;
          line++;
          x = 0;
          line_height = 0;
        }
      else if (any)
        x += self->spacing;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, place.width, NULL, &child_height, NULL, NULL);
      line_height = MAX (line_height, child_height);
      place.line = line;
      x += place.width;
      any = TRUE;
      if (places != NULL)
        g_array_append_val (places, place);
    }

  if (!any)
    return 0;
  if (line_heights != NULL)
    g_array_append_val (line_heights, line_height);
  return height + line_height;
}

static GtkSizeRequestMode
cf_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cf_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  CfWrapBox *self = CF_WRAP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least the widest button; at best all of them in one line. */
      int widest = 0;
      int line = 0;
      gboolean any = FALSE;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_minimum, child_natural;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, &child_natural,
                              NULL, NULL);
          widest = MAX (widest, child_minimum);
          line += (any ? self->spacing : 0) + child_natural;
          any = TRUE;
        }
      *minimum = widest;
      *natural = MAX (widest, line);
    }
  else
    {
      int height = lay_out (self, for_size, NULL, NULL);

      *minimum = height;
      *natural = height;
    }
}

static void
cf_wrap_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  CfWrapBox *self = CF_WRAP_BOX (widget);
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  g_autoptr(GArray) line_heights = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = 0;
  int y = 0;
  int line = 0;

  lay_out (self, width, places, line_heights);
  for (guint i = 0; i < places->len; i++)
    {
      Place *place = &g_array_index (places, Place, i);
      GtkAllocation allocation;

      if (place->line != line)
        {
          y += g_array_index (line_heights, int, line) + self->line_spacing;
          line = place->line;
          x = 0;
        }
      allocation.x = rtl ? width - x - place->width : x;
      allocation.y = y;
      allocation.width = place->width;
      allocation.height = g_array_index (line_heights, int, line);
      gtk_widget_size_allocate (place->child, &allocation, -1);
      x += place->width + self->spacing;
    }
}

static void
cf_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cf_wrap_box_parent_class)->dispose (object);
}

static void
cf_wrap_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CfWrapBox *self = CF_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_LINE_SPACING:
      g_value_set_int (value, self->line_spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_wrap_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CfWrapBox *self = CF_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      if (self->spacing != g_value_get_int (value))
        {
          self->spacing = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LINE_SPACING:
      if (self->line_spacing != g_value_get_int (value))
        {
          self->line_spacing = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_wrap_box_class_init (CfWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_wrap_box_dispose;
  object_class->get_property = cf_wrap_box_get_property;
  object_class->set_property = cf_wrap_box_set_property;

  widget_class->get_request_mode = cf_wrap_box_get_request_mode;
  widget_class->measure = cf_wrap_box_measure;
  widget_class->size_allocate = cf_wrap_box_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT16, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE_SPACING] =
    g_param_spec_int ("line-spacing", NULL, NULL, 0, G_MAXINT16, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cf_wrap_box_init (CfWrapBox *self)
{
}

GtkWidget *
cf_wrap_box_new (void)
{
  return g_object_new (CF_TYPE_WRAP_BOX, NULL);
}
