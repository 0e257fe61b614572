/* docket-dcp-protocol.h — the Docket Camera Protocol (DCP) on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the host driver (docket-dcp-driver.c) and the camera simulator
 * (src/sim). docs/protocol.md is the normative description; this header is
 * its C transcription. All multi-byte fields are little-endian and every
 * struct is packed: read them with the DCP_LE* helpers, never by casting
 * untrusted buffers without checking their length first.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "DCP1" read as a little-endian u32 */
#define DCP_MAGIC 0x31504344u
/* Major version: a host rejects any other. Minor additions only append
 * fields, so a host accepts messages longer than it knows. */
#define DCP_PROTOCOL_VERSION 1
/* 1.1: charge control (DCP_CAP_CHARGE_CONTROL); 1.2: firmware update
 * (DCP_CAP_FIRMWARE_UPDATE) */
#define DCP_PROTOCOL_MINOR 2

/* USB interface that carries DCP */
#define DCP_INTERFACE_CLASS 0xFF
#define DCP_INTERFACE_SUBCLASS 0xDC
#define DCP_INTERFACE_PROTOCOL 0x01
#define DCP_EP_BULK_IN 0x81
#define DCP_EP_BULK_OUT 0x02 /* reserved (1.2 sends firmware on control requests) */

/* bmRequestType: vendor request addressed to the interface */
#define DCP_REQTYPE_IN 0xC1
#define DCP_REQTYPE_OUT 0x41

/* bRequest codes. IN requests return a message; OUT requests start a
 * command whose outcome the host fetches with GET_RESULT. wValue of an OUT
 * request is a host-chosen tag echoed by GET_RESULT; wIndex is the
 * interface number. */
typedef enum
{
  DCP_REQ_IDENTIFY = 0x01,   /* IN: DcpIdentify */
  DCP_REQ_GET_STATUS = 0x02, /* IN: DcpStatus */
  DCP_REQ_GET_CONFIG = 0x03, /* IN: DcpHeader + config entries */
  DCP_REQ_GET_RESULT = 0x04, /* IN: DcpResult of the last OUT command */

  DCP_REQ_SET_CLOCK = 0x10,        /* OUT: DcpSetClock */
  DCP_REQ_SET_CONFIG = 0x11,       /* OUT: DcpHeader + config entries */
  DCP_REQ_LIST_RECORDINGS = 0x12,  /* OUT: no data; list follows on bulk IN */
  DCP_REQ_READ_RECORDING = 0x13,   /* OUT: DcpReadRequest; data follows on bulk IN */
  DCP_REQ_DELETE_RECORDING = 0x14, /* OUT: DcpRecordingRef */
  DCP_REQ_SET_INDICATOR = 0x15,    /* OUT: DcpSetIndicator */

  /* 1.2, DCP_CAP_FIRMWARE_UPDATE (docs/protocol.md §9.2) */
  DCP_REQ_FIRMWARE_FIRST = 0x20, /* 0x20–0x2F firmware update */
  DCP_REQ_FW_BEGIN = 0x20,       /* OUT: DcpFirmwareBegin */
  DCP_REQ_FW_WRITE = 0x21,       /* OUT: DcpFirmwareWrite + up to DCP_FW_MAX_CHUNK bytes */
  DCP_REQ_FW_COMMIT = 0x22,      /* OUT: no data; verify, switch slots, reboot */
  DCP_REQ_FW_ABORT = 0x23,       /* OUT: no data; drop the partial image */
  DCP_REQ_FW_STATUS = 0x24,      /* IN: DcpFirmwareStatus */
  DCP_REQ_FIRMWARE_LAST = 0x2F,
  DCP_REQ_CHARGE_FIRST = 0x30, /* 0x30–0x3F charge control */
  DCP_REQ_SET_CHARGE = 0x30,   /* OUT: DcpSetCharge (1.1, DCP_CAP_CHARGE_CONTROL) */
  DCP_REQ_CHARGE_LAST = 0x3F,
  DCP_REQ_VENDOR_FIRST = 0x80, /* 0x80–0xFF vendor-private, hosts never send */
} DcpRequest;

typedef enum
{
  DCP_MSG_IDENTIFY = 1,
  DCP_MSG_STATUS = 2,
  DCP_MSG_CONFIG = 3,
  DCP_MSG_RESULT = 4,
  DCP_MSG_LIST = 5,
  DCP_MSG_FIRMWARE_STATUS = 6, /* 1.2 */
} DcpMessageType;

typedef enum
{
  DCP_CAP_CONFIG = 1 << 0,
  DCP_CAP_INDICATOR = 1 << 1,
  DCP_CAP_DELETE = 1 << 2,
  DCP_CAP_SIGNED_RECORDINGS = 1 << 3,
  DCP_CAP_FIRMWARE_UPDATE = 1 << 4, /* 1.2: DCP_REQ_FW_* */
  DCP_CAP_CHARGE_CONTROL = 1 << 5,  /* 1.1: DCP_REQ_SET_CHARGE */
} DcpCapabilities;

typedef enum
{
  DCP_STATUS_OK = 0,
  DCP_STATUS_BUSY = 1, /* still working: ask GET_RESULT again */
  DCP_STATUS_NOT_FOUND = 2,
  DCP_STATUS_INVALID = 3,
  DCP_STATUS_NOT_SUPPORTED = 4,
  DCP_STATUS_FAILED = 5,
  DCP_STATUS_STORAGE = 6,
} DcpStatusCode;

typedef enum
{
  DCP_CHARGING_UNKNOWN = 0,
  DCP_CHARGING_CHARGING = 1,
  DCP_CHARGING_FULL = 2,
  DCP_CHARGING_DISCHARGING = 3,
  DCP_CHARGING_NOT_CHARGING = 4,
} DcpCharging;

typedef enum
{
  DCP_INDICATOR_OFF = 0,
  DCP_INDICATOR_IDLE = 1,
  DCP_INDICATOR_OFFLOADING = 2,
  DCP_INDICATOR_DONE = 3,
  DCP_INDICATOR_ERROR = 4,
} DcpIndicator;

typedef enum
{
  DCP_REC_FLAG_EVENT_MARKED = 1 << 0,
  DCP_REC_FLAG_RECORDING = 1 << 1,
} DcpRecordingFlags;

/* Configuration keys (u8) and their value types */
typedef enum
{
  DCP_CFG_RESOLUTION = 1,         /* string "WIDTHxHEIGHT" */
  DCP_CFG_FRAME_RATE = 2,         /* u32 frames per second */
  DCP_CFG_BITRATE_KBPS = 3,       /* u32 */
  DCP_CFG_PRE_EVENT_SECONDS = 4,  /* u32 */
  DCP_CFG_AUDIO = 5,              /* bool */
  DCP_CFG_POST_EVENT_SECONDS = 6, /* u32 */
  DCP_CFG_DEVICE_NAME = 7,        /* string */
} DcpConfigKey;

typedef enum
{
  DCP_CFG_TYPE_U32 = 1,    /* 4 bytes */
  DCP_CFG_TYPE_BOOL = 2,   /* 1 byte, 0 or 1 */
  DCP_CFG_TYPE_STRING = 3, /* UTF-8, no NUL, up to DCP_MAX_CONFIG_STRING */
} DcpConfigType;

/* Limits. Anything beyond them is a protocol error. */
#define DCP_MAX_CONTROL_MESSAGE 1024
#define DCP_MAX_STRING 64
#define DCP_MAX_CONFIG_STRING 64
#define DCP_MAX_NAME 128
#define DCP_MAX_RECORDINGS 65535
#define DCP_MAX_LIST_BYTES (32u * 1024 * 1024)
#define DCP_MAX_READ_LENGTH (64u * 1024 * 1024)
#define DCP_RESULT_MESSAGE_LEN 64

#define DCP_PACKED __attribute__ ((packed))

typedef struct DCP_PACKED
{
  guint32 magic;  /* DCP_MAGIC */
  guint8 version; /* DCP_PROTOCOL_VERSION */
  guint8 type;    /* DcpMessageType */
  guint16 length; /* whole message incl. header (LIST: the list header only) */
} DcpHeader;

/* Followed by four strings, each a u8 length then that many UTF-8 bytes:
 * vendor, model, serial, firmware version. */
typedef struct DCP_PACKED
{
  DcpHeader hdr;
  guint16 protocol_minor;
  guint16 reserved;
  guint32 capabilities;  /* DcpCapabilities */
  guint8 public_key[32]; /* Ed25519 */
} DcpIdentify;

typedef struct DCP_PACKED
{
  DcpHeader hdr;
  guint8 battery_percent;    /* 0–100, 255 unknown */
  guint8 charging;           /* DcpCharging */
  gint16 battery_temp_decic; /* tenths of a degree Celsius */
  guint32 battery_cycle_count;
  guint32 battery_full_mah;
  guint32 battery_design_mah;
  guint64 storage_used;
  guint64 storage_total;
  gint64 clock_usec; /* camera clock, UTC microseconds since the epoch */
} DcpStatus;

typedef struct DCP_PACKED
{
  guint8 key;     /* DcpConfigKey */
  guint8 type;    /* DcpConfigType */
  guint16 length; /* value bytes that follow */
} DcpConfigEntry;

typedef struct DCP_PACKED
{
  DcpHeader hdr;
  guint16 tag;    /* wValue of the command this answers */
  guint16 status; /* DcpStatusCode */
  guint8 request; /* bRequest of the command this answers */
  guint8 reserved[3];
  guint64 length;                        /* bytes the device will send on bulk IN */
  gchar message[DCP_RESULT_MESSAGE_LEN]; /* UTF-8, NUL-padded, for logs */
} DcpResult;

typedef struct DCP_PACKED
{
  gint64 utc_usec;
} DcpSetClock;

typedef struct DCP_PACKED
{
  guint32 id;
  guint32 max_length; /* at most DCP_MAX_READ_LENGTH */
  guint64 offset;
} DcpReadRequest;

typedef struct DCP_PACKED
{
  guint32 id;
} DcpRecordingRef;

typedef struct DCP_PACKED
{
  guint8 state; /* DcpIndicator */
  guint8 reserved[3];
} DcpSetIndicator;

/* 1.1. The camera keeps the mode until it is undocked (then NORMAL). */
typedef enum
{
  DCP_CHARGE_NORMAL = 0, /* charge to full */
  DCP_CHARGE_HOLD = 1,   /* charge to level_percent, no further */
  DCP_CHARGE_STOP = 2,   /* do not charge at all */
} DcpChargeMode;

typedef struct DCP_PACKED
{
  guint8 mode;          /* DcpChargeMode */
  guint8 level_percent; /* HOLD only: 1–100 */
  guint16 reserved;
} DcpSetCharge;

/* 1.2 firmware update. The camera has two firmware slots (A/B): an image is
 * written to the inactive one and only a committed image whose size and
 * SHA-256 match what FW_BEGIN announced becomes the active one. */
/* Image bytes per FW_WRITE: with its 16-byte header the request carries
 * 4096 bytes, the most libusb and Linux usbfs pass in one control transfer. */
#define DCP_FW_MAX_CHUNK 4080
#define DCP_FW_MAX_IMAGE (64u * 1024 * 1024) /* largest image a host sends */
#define DCP_FW_VERSION_LEN 32                /* UTF-8, NUL-padded */

typedef struct DCP_PACKED
{
  guint64 image_size; /* 1..DCP_FW_MAX_IMAGE */
  guint8 sha256[32];  /* of the whole image */
  gchar version[DCP_FW_VERSION_LEN];
} DcpFirmwareBegin;

/* Followed by @length image bytes (1..DCP_FW_MAX_CHUNK). Chunks come in
 * order: @offset is the number of bytes the camera already holds. */
typedef struct DCP_PACKED
{
  guint64 offset;
  guint32 length;
  guint32 reserved;
} DcpFirmwareWrite;

typedef enum
{
  DCP_FW_STATE_IDLE = 0,      /* no update in progress */
  DCP_FW_STATE_RECEIVING = 1, /* between FW_BEGIN and FW_COMMIT/ABORT */
  DCP_FW_STATE_REBOOTING = 2, /* committed; about to restart */
} DcpFirmwareState;

typedef struct DCP_PACKED
{
  DcpHeader hdr;
  guint8 active_slot; /* 0 = A, 1 = B */
  guint8 state;       /* DcpFirmwareState */
  guint8 other_bootable;
  guint8 reserved;
  guint32 reserved2;
  guint64 image_size; /* RECEIVING: as announced */
  guint64 received;   /* RECEIVING: bytes held so far */
  gchar active_version[DCP_FW_VERSION_LEN];
  gchar other_version[DCP_FW_VERSION_LEN]; /* empty when not bootable */
} DcpFirmwareStatus;

/* First bytes of the LIST stream; hdr.length = sizeof (DcpListHeader). */
typedef struct DCP_PACKED
{
  DcpHeader hdr;
  guint32 count;
  guint32 reserved;
} DcpListHeader;

/* One list entry; the name (name_length bytes) follows, then any bytes a
 * later minor version adds, up to entry_length. */
typedef struct DCP_PACKED
{
  guint16 entry_length; /* whole entry incl. name */
  guint8 name_length;   /* at most DCP_MAX_NAME */
  guint8 reserved;
  guint32 id;
  gint64 start_usec;
  guint64 duration_ms;
  guint64 size;
  guint8 sha256[32];
  guint8 signature[64];
  guint32 flags; /* DcpRecordingFlags */
} DcpListEntry;

G_STATIC_ASSERT (sizeof (DcpHeader) == 8);
G_STATIC_ASSERT (sizeof (DcpIdentify) == 48);
G_STATIC_ASSERT (sizeof (DcpStatus) == 48);
G_STATIC_ASSERT (sizeof (DcpResult) == 88);
G_STATIC_ASSERT (sizeof (DcpListHeader) == 16);
G_STATIC_ASSERT (sizeof (DcpListEntry) == 132);
G_STATIC_ASSERT (sizeof (DcpFirmwareBegin) == 72);
G_STATIC_ASSERT (sizeof (DcpFirmwareWrite) == 16);
G_STATIC_ASSERT (sizeof (DcpFirmwareStatus) == 96);

static inline void
dcp_header_init (DcpHeader *hdr, DcpMessageType type, gsize length)
{
  hdr->magic = GUINT32_TO_LE (DCP_MAGIC);
  hdr->version = DCP_PROTOCOL_VERSION;
  hdr->type = (guint8)type;
  hdr->length = GUINT16_TO_LE ((guint16)length);
}

G_END_DECLS
