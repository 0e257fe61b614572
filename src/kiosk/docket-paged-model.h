/* docket-paged-model.h — base of the kiosk's lists that the daemon hands out a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of GObjects (the "item-type" given at construction) with the
 * loading, error and total of the pages asked for so far. A subclass says
 * how a page is fetched (one D-Bus call answering aa{sv} and a total) and how
 * one a{sv} becomes an item; the base does the rest: asking for the first or
 * the next page, dropping late answers after a reload, and items-changed.
 *
 * GTK-free. Threads: main thread only (the thread-default main context of
 * the thread that made it); all calls are async and never block.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_PAGED_MODEL (docket_paged_model_get_type ())
G_DECLARE_DERIVABLE_TYPE (DocketPagedModel, docket_paged_model, DOCKET, PAGED_MODEL, GObject)

struct _DocketPagedModelClass
{
  GObjectClass parent_class;

  /* Asks for the page at @offset (how many items are held); calls
   * @callback with @user_data when answered. Returns FALSE, calling nothing,
   * when there is nowhere to ask (no session yet). */
  gboolean (*fetch_page) (DocketPagedModel *self,
                          guint offset,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data);
  /* The page (aa{sv}) and the daemon's total, or NULL and @error. */
  GVariant *(*fetch_page_finish) (DocketPagedModel *self,
                                  GAsyncResult *result,
                                  guint *total,
                                  GError **error);
  /* The item (a new reference) for one a{sv} of a page; NULL skips it. */
  gpointer (*item_from_variant) (DocketPagedModel *self, GVariant *dict);
  /* Optional: called by reload once everything is dropped, before the
   * first page is asked for, with the cancellable of the new load. */
  void (*reloading) (DocketPagedModel *self, GCancellable *cancellable);

  gpointer padding[8];
};

/* Drops everything and fetches the first page. */
void docket_paged_model_reload (DocketPagedModel *self);
/* Fetches the next page unless one is on its way or nothing is left. */
void docket_paged_model_load_more (DocketPagedModel *self);
/* Stops the page on its way, if any (its answer is dropped); keeps the items. */
void docket_paged_model_cancel (DocketPagedModel *self);
/* Drops the items and the total, without fetching. */
void docket_paged_model_clear (DocketPagedModel *self);

/* Appends a page (aa{sv}) as a finished fetch does, clearing the error; the
 * total is never less than the items held. Public for subclasses and tests. */
void docket_paged_model_append_page (DocketPagedModel *self, GVariant *page, guint total);
/* Removes the item at @position and counts it off the total. */
void docket_paged_model_remove (DocketPagedModel *self, guint position);

gboolean docket_paged_model_get_loading (DocketPagedModel *self);
/* How many the daemon has in all. */
guint docket_paged_model_get_total (DocketPagedModel *self);
gboolean docket_paged_model_get_has_more (DocketPagedModel *self);
/* The daemon's words for the last failure, NULL if the last load worked. */
const gchar *docket_paged_model_get_error (DocketPagedModel *self);

G_END_DECLS
