/* docket-message.h — a sentence a client can say in its own language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docketd words camera notes in its own language, but a kiosk may run in
 * another. A message travels as GVariant (sstas): the untranslated printf
 * format, which is a msgid of GETTEXT_PACKAGE; its plural msgid ("" for a
 * sentence without plural forms); the count that picks the form (0 without
 * one); and each of its conversions already rendered as text. The reader
 * looks the msgid up in its catalogue (with the count, ngettext-wise) and
 * puts the texts into the translated format. Numbers keep the writer's
 * rendering ("12.0").
 *
 * Threads: any.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_MESSAGE_TYPE ((const GVariantType *)"(sstas)")
/* A list of messages, e.g. one per alert line. */
#define DOCKET_MESSAGE_LIST_TYPE ((const GVariantType *)"a(sstas)")

/* A floating message of @msgid, which must be the untranslated msgid, and
 * its arguments. Conversions with '*' or positional ones are refused (NULL). */
GVariant *docket_message_new (const gchar *msgid, ...) G_GNUC_PRINTF (1, 2);
GVariant *docket_message_new_valist (const gchar *msgid, va_list args) G_GNUC_PRINTF (1, 0);

/* The same for a sentence with plural forms, the form picked by @n as
 * ngettext picks it. The arguments follow @msgid_plural's conversions (the
 * singular may leave the count out: "One recording"). The sources mark both
 * msgids through this function's name (an xgettext keyword in
 * po/meson.build). */
GVariant *docket_message_new_plural (const gchar *msgid, const gchar *msgid_plural, gulong n, ...)
    G_GNUC_PRINTF (2, 4);
GVariant *docket_message_new_plural_valist (const gchar *msgid,
                                            const gchar *msgid_plural,
                                            gulong n,
                                            va_list args) G_GNUC_PRINTF (2, 0);

/* @message in this process's language (the msgid, or the plural form for
 * its count, looked up in GETTEXT_PACKAGE; untranslated when @translate is
 * FALSE); a translation whose conversions do not fit the arguments falls
 * back to the English form. NULL when @message is not a message or its
 * msgid does not fit its arguments either: a message is input, never
 * trusted. */
gchar *docket_message_format (GVariant *message, gboolean translate);

G_END_DECLS
