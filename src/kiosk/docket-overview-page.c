/* docket-overview-page.c — the dock overview: one card per docked camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkGridView over the client's camera model; the cards come from the
 * list-item template in docket-overview-page.ui. Nothing is selectable:
 * the overview is for reading at arm's length.
 */
#include "config.h"

#include "docket-camera-card.h"
#include "docket-overview-page.h"

struct _DocketOverviewPage
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkGridView *grid;
  GtkNoSelection *selection;
};

G_DEFINE_FINAL_TYPE (DocketOverviewPage, docket_overview_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (docket_overview_page_parent_class)->dispose (object);
}

static void
docket_overview_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketOverviewPage *self = DOCKET_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        g_value_set_object (value, docket_overview_page_get_model (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_overview_page_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  DocketOverviewPage *self = DOCKET_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        docket_overview_page_set_model (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_overview_page_class_init (DocketOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_overview_page_dispose;
  object_class->get_property = docket_overview_page_get_property;
  object_class->set_property = docket_overview_page_set_property;

  properties[PROP_MODEL]
      = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_CAMERA_CARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketOverviewPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DocketOverviewPage, grid);
  gtk_widget_class_bind_template_child (widget_class, DocketOverviewPage, selection);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-overview");
}

static void
docket_overview_page_init (DocketOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
docket_overview_page_set_model (DocketOverviewPage *self, GListModel *model)
{
  g_return_if_fail (DOCKET_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (model == gtk_no_selection_get_model (self->selection))
    return;
  gtk_no_selection_set_model (self->selection, model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
docket_overview_page_get_model (DocketOverviewPage *self)
{
  g_return_val_if_fail (DOCKET_IS_OVERVIEW_PAGE (self), NULL);
  return gtk_no_selection_get_model (self->selection);
}
