/* docket-name-book.c — the names behind badge numbers, as the kiosk learns them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-name-book.h"

struct _DocketNameBook
{
  GObject parent_instance;

  GHashTable *names; /* badge → name, both owned */
};

G_DEFINE_FINAL_TYPE (DocketNameBook, docket_name_book, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
docket_name_book_finalize (GObject *object)
{
  DocketNameBook *self = DOCKET_NAME_BOOK (object);

  g_hash_table_unref (self->names);

  G_OBJECT_CLASS (docket_name_book_parent_class)->finalize (object);
}

static void
docket_name_book_class_init (DocketNameBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_name_book_finalize;

  /**
   * DocketNameBook::changed:
   * @badge: whose name is new
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
docket_name_book_init (DocketNameBook *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DocketNameBook *
docket_name_book_new (void)
{
  return g_object_new (DOCKET_TYPE_NAME_BOOK, NULL);
}

DocketNameBook *
docket_name_book_get_default (void)
{
  static gsize book;

  if (g_once_init_enter (&book))
    g_once_init_leave (&book, (gsize)docket_name_book_new ());
  return (DocketNameBook *)book;
}

void
docket_name_book_remember (DocketNameBook *self, const gchar *badge, const gchar *name)
{
  g_return_if_fail (DOCKET_IS_NAME_BOOK (self));

  if (badge == NULL || *badge == '\0' || name == NULL || *name == '\0')
    return;
  if (g_strcmp0 (g_hash_table_lookup (self->names, badge), name) == 0)
    return;
  g_hash_table_replace (self->names, g_strdup (badge), g_strdup (name));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, badge);
}

const gchar *
docket_name_book_lookup (DocketNameBook *self, const gchar *badge)
{
  g_return_val_if_fail (DOCKET_IS_NAME_BOOK (self), NULL);

  if (badge == NULL)
    return NULL;
  return g_hash_table_lookup (self->names, badge);
}
