/* docket-message.h — a sentence a client can say in its own language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docketd words camera notes in its own language, but a kiosk may run in
 * another. A message travels as GVariant (sas): the untranslated printf
 * format, which is a msgid of GETTEXT_PACKAGE, and each of its conversions
 * already rendered as text. The reader looks the msgid up in its catalogue
 * and puts the texts into the translated format. Numbers keep the writer's
 * rendering ("12.0"); plural forms are not carried.
 *
 * Threads: any.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_MESSAGE_TYPE ((const GVariantType *)"(sas)")

/* A floating (sas) of @msgid, which must be the untranslated msgid, and its
 * arguments. Conversions with '*' or positional ones are refused (NULL). */
GVariant *docket_message_new (const gchar *msgid, ...) G_GNUC_PRINTF (1, 2);
GVariant *docket_message_new_valist (const gchar *msgid, va_list args) G_GNUC_PRINTF (1, 0);

/* @message in this process's language (the msgid looked up in
 * GETTEXT_PACKAGE, or untranslated when @translate is FALSE); a translation
 * whose conversions do not fit the arguments falls back to the msgid. NULL
 * when @message is not a (sas) or its msgid does not fit its arguments
 * either: a message is input, never trusted. */
gchar *docket_message_format (GVariant *message, gboolean translate);

G_END_DECLS
