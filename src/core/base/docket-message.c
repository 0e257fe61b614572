/* docket-message.c — a sentence a client can say in its own language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "docket-message.h"

typedef struct
{
  const gchar *start; /* the '%' */
  gsize len;          /* up to and with the conversion character */
  gint position;      /* n of "%n$", else 0 */
  gchar length[3];    /* "", "h", "hh", "l", "ll", "z", "j", "t", "L" */
  gchar conversion;   /* 0 for "%%" */
} Spec;

/* Reads the conversion at @p (a '%'). FALSE for one this file does not
 * render: '*' widths, unknown characters, a format that ends early. */
static gboolean
parse_spec (const gchar *p, Spec *spec)
{
  const gchar *q = p + 1;
  gsize n = 0;

  memset (spec, 0, sizeof *spec);
  spec->start = p;
  if (*q == '%')
    {
      spec->len = 2;
      return TRUE;
    }
  if (g_ascii_isdigit (*q))
    {
      const gchar *d = q;
      gint value = 0;

      while (g_ascii_isdigit (*d) && value < 1000)
        value = value * 10 + (*d++ - '0');
      if (*d == '$')
        {
          if (value == 0 || value >= 1000)
            return FALSE;
          spec->position = value;
          q = d + 1;
        }
    }
  while (*q != '\0' && strchr ("-+ #0'I", *q) != NULL)
    q++;
  while (g_ascii_isdigit (*q))
    q++;
  if (*q == '.')
    {
      q++;
      while (g_ascii_isdigit (*q))
        q++;
    }
  while (*q != '\0' && strchr ("hlLqjzt", *q) != NULL && n < 2)
    spec->length[n++] = *q++;
  if (*q == '\0' || strchr ("diouxXcsfFeEgGaAp", *q) == NULL)
    return FALSE;
  spec->conversion = *q;
  spec->len = (gsize)(q - p) + 1;
  return TRUE;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One conversion of the writer's own format (checked by G_GNUC_PRINTF at the
 * call site), so the argument has the type the conversion names. */
static gchar *
render_one (const gchar *format, const Spec *spec, va_list *args)
{
  const gchar *len = spec->length;

  switch (spec->conversion)
    {
      case 'd':
      case 'i':
        if (g_str_equal (len, "l"))
          return g_strdup_printf (format, va_arg (*args, long));
        if (g_str_equal (len, "ll") || g_str_equal (len, "q"))
          return g_strdup_printf (format, va_arg (*args, long long));
        if (g_str_equal (len, "z"))
          return g_strdup_printf (format, va_arg (*args, gssize));
        if (g_str_equal (len, "j"))
          return g_strdup_printf (format, va_arg (*args, intmax_t));
        if (g_str_equal (len, "t"))
          return g_strdup_printf (format, va_arg (*args, ptrdiff_t));
        return g_strdup_printf (format, va_arg (*args, int));
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        if (g_str_equal (len, "l"))
          return g_strdup_printf (format, va_arg (*args, unsigned long));
        if (g_str_equal (len, "ll") || g_str_equal (len, "q"))
          return g_strdup_printf (format, va_arg (*args, unsigned long long));
        if (g_str_equal (len, "z"))
          return g_strdup_printf (format, va_arg (*args, gsize));
        if (g_str_equal (len, "j"))
          return g_strdup_printf (format, va_arg (*args, uintmax_t));
        if (g_str_equal (len, "t"))
          return g_strdup_printf (format, va_arg (*args, ptrdiff_t));
        return g_strdup_printf (format, va_arg (*args, unsigned int));
      case 'c':
        return g_strdup_printf (format, va_arg (*args, int));
      case 's':
        return g_strdup_printf (format, va_arg (*args, const gchar *));
      case 'p':
        return g_strdup_printf (format, va_arg (*args, gpointer));
      default:
        if (g_str_equal (len, "L"))
          return g_strdup_printf (format, va_arg (*args, long double));
        return g_strdup_printf (format, va_arg (*args, double));
    }
}
#pragma GCC diagnostic pop

/* The texts of @format's conversions, read from @args. */
static GVariant *
render_texts (const gchar *format, va_list args)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  va_list copy;

  va_copy (copy, args);
  for (const gchar *p = strchr (format, '%'); p != NULL; p = strchr (p, '%'))
    {
      Spec spec;
      g_autofree gchar *one = NULL;

      if (!parse_spec (p, &spec) || spec.position != 0)
        {
          va_end (copy);
          g_return_val_if_reached (NULL);
        }
      p += spec.len;
      if (spec.conversion == 0)
        continue;
      one = g_strndup (spec.start, spec.len);
      g_ptr_array_add (texts, render_one (one, &spec, &copy));
    }
  va_end (copy);
  return g_variant_new_strv ((const gchar *const *)texts->pdata, texts->len);
}

GVariant *
docket_message_new_valist (const gchar *msgid, va_list args)
{
  GVariant *texts;

  g_return_val_if_fail (msgid != NULL, NULL);

  texts = render_texts (msgid, args);
  if (texts == NULL)
    return NULL;
  return g_variant_new ("(sst@as)", msgid, "", (guint64)0, texts);
}

GVariant *
docket_message_new (const gchar *msgid, ...)
{
  va_list args;
  GVariant *message;

  va_start (args, msgid);
  message = docket_message_new_valist (msgid, args);
  va_end (args);
  return message;
}

GVariant *
docket_message_new_plural_valist (const gchar *msgid,
                                  const gchar *msgid_plural,
                                  gulong n,
                                  va_list args)
{
  GVariant *texts;

  g_return_val_if_fail (msgid != NULL, NULL);
  g_return_val_if_fail (msgid_plural != NULL && *msgid_plural != '\0', NULL);

  texts = render_texts (msgid_plural, args);
  if (texts == NULL)
    return NULL;
  return g_variant_new ("(sst@as)", msgid, msgid_plural, (guint64)n, texts);
}

GVariant *
docket_message_new_plural (const gchar *msgid, const gchar *msgid_plural, gulong n, ...)
{
  va_list args;
  GVariant *message;

  va_start (args, n);
  message = docket_message_new_plural_valist (msgid, msgid_plural, n, args);
  va_end (args);
  return message;
}

/* @format with its conversions replaced by @texts; NULL if a conversion
 * asks for a text that is not there or is not one this file reads. */
static gchar *
substitute (const gchar *format, const gchar *const *texts, guint n_texts)
{
  GString *out = g_string_new (NULL);
  guint next = 0;
  const gchar *p = format;
  const gchar *pct;

  while ((pct = strchr (p, '%')) != NULL)
    {
      Spec spec;
      guint index;

      g_string_append_len (out, p, pct - p);
      if (!parse_spec (pct, &spec))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      p = pct + spec.len;
      if (spec.conversion == 0)
        {
          g_string_append_c (out, '%');
          continue;
        }
      index = spec.position > 0 ? (guint)spec.position - 1 : next++;
      if (index >= n_texts)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append (out, texts[index]);
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

gchar *
docket_message_format (GVariant *message, gboolean translate)
{
  const gchar *msgid;
  const gchar *msgid_plural;
  guint64 n;
  const gchar *english;
  g_autofree const gchar **texts = NULL;
  gsize n_texts;
  gchar *text = NULL;

  if (message == NULL || !g_variant_is_of_type (message, DOCKET_MESSAGE_TYPE))
    return NULL;
  g_variant_get (message, "(&s&st^a&s)", &msgid, &msgid_plural, &n, &texts);
  n_texts = g_strv_length ((gchar **)texts);
  if (*msgid == '\0')
    return NULL;
  /* English has two forms; ngettext picks among the catalogue's own. */
  english = *msgid_plural != '\0' && n != 1 ? msgid_plural : msgid;
  if (translate && *msgid_plural != '\0')
    text = substitute (
        g_dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, (gulong)MIN (n, G_MAXULONG)), texts,
        n_texts);
  else if (translate)
    text = substitute (g_dgettext (GETTEXT_PACKAGE, msgid), texts, n_texts);
  if (text == NULL)
    text = substitute (english, texts, n_texts);
  return text;
}
