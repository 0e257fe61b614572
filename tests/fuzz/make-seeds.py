#!/usr/bin/env python3
# Writes the seed corpora under corpus/ (run from this folder; the output is
# committed, so this only needs running when the formats change). Seeds are
# small valid messages; the fuzzers and the regression runner start there.
import os
import struct

MAGIC = 0x31504344
VERSION = 1


def header(kind, length):
    return struct.pack('<IBBH', MAGIC, VERSION, kind, length)


def write(name, index, data):
    os.makedirs(os.path.join('corpus', name), exist_ok=True)
    with open(os.path.join('corpus', name, 'seed-%d' % index), 'wb') as f:
        f.write(data)


def s8(text):
    raw = text.encode()
    return bytes([len(raw)]) + raw


# IDENTIFY: header, minor, reserved, capabilities, public key, 4 strings.
body = struct.pack('<HHI', 2, 0, 3) + bytes(range(32))
strings = s8('Docket Reference') + s8('DCP-1') + s8('SIM-0001') + s8('1.1.0')
msg = body + strings
write('dcp-identify', 0, header(1, 8 + len(msg)) + msg)
strings = s8('Ev\x1b[2Jil') + s8('M\u202e1') + s8('SER/1') + s8('')
msg = body + strings
write('dcp-identify', 1, header(1, 8 + len(msg)) + msg)

# STATUS, RESULT, FIRMWARE_STATUS: fixed-size bodies.
write('dcp-status', 0, header(2, 48) + struct.pack('<BBhIII', 87, 1, 305, 120, 3000, 3200)
      + bytes(48 - 8 - 16))
write('dcp-result', 0, header(4, 88) + bytes(80))
fw = struct.pack('<BBBB', 0, 1, 1, 0) + struct.pack('<QQ', 4096, 1024)
fw += b'1.1.0'.ljust(32, b'\0') + b'1.2.0'.ljust(32, b'\0')
write('dcp-firmware-status', 0, header(6, 8 + len(fw)) + fw)

# CONFIG: header only (no entries), then one entry-looking tail.
write('dcp-config', 0, header(3, 8))
write('dcp-config', 1, header(3, 16) + b'\x01\x00\x04\x00\x10\x27\x00\x00')

# LIST: header (count), then entries with a name each.
entries = b''
for i, name in enumerate(['clip1.mp4', '../../etc/passwd', 'a\x07b']):
    raw = name.encode()
    entry = struct.pack('<HBBIqQQ', 132 + len(raw), len(raw), 0, i + 1, 1700000000000000 + i,
                        30000, 1000 + i)
    entry += bytes(32) + bytes(64) + struct.pack('<I', 0) + raw
    entries += entry
write('dcp-list', 0, header(5, 16) + struct.pack('<I', 3) + bytes(4) + entries)
write('dcp-list', 1, header(5, 16) + struct.pack('<I', 0) + bytes(4))


# MP4: a box tree with the sample tables the index reader walks.
def box(kind, payload):
    return struct.pack('>I', 8 + len(payload)) + kind + payload


def full(kind, payload):
    return box(kind, b'\0\0\0\0' + payload)


stbl = box(b'stbl',
           full(b'stsd', struct.pack('>I', 0))
           + full(b'stts', struct.pack('>III', 1, 30, 1000))
           + full(b'stsc', struct.pack('>IIII', 1, 1, 30, 1))
           + full(b'stsz', struct.pack('>II', 100, 30))
           + full(b'stco', struct.pack('>II', 1, 48)))
mdia = box(b'mdia', full(b'mdhd', struct.pack('>IIIIHH', 0, 0, 30000, 30000, 0, 0))
           + full(b'hdlr', struct.pack('>I', 0) + b'vide' + bytes(12) + b'\0')
           + box(b'minf', stbl))
trak = box(b'trak', full(b'tkhd', bytes(80)) + mdia)
moov = box(b'moov', full(b'mvhd', struct.pack('>IIII', 0, 0, 1000, 1000) + bytes(80)) + trak)
mp4 = box(b'ftyp', b'isom\0\0\0\x01isomavc1') + box(b'mdat', bytes(3000)) + moov
write('mp4', 0, mp4)
write('mp4', 1, box(b'ftyp', b'isom\0\0\0\x01') + struct.pack('>I', 1) + b'moov'
      + struct.pack('>Q', 2 ** 62))

# Policy and station configuration: the shipped example and variants.
with open(os.path.join('..', '..', 'data', 'policy', 'example-policy.json'), 'rb') as f:
    write('policy', 0, f.read())
write('policy', 1, b'{"format": 1, "version": 3, "cameras": {"*": {"bitrate-kbps": 4000}}}\n')
write('policy', 2, b'{"format": 1, "version": 2, "station": {"lockout-failures": 3},'
      b' "cameras": {"DCP-1": {"minimum-firmware": "1.1.0", "audio": true}}}\n')
write('station-config', 0, b'[station]\npreset=minnesota\ncase-number-regex=^MN[0-9]+$\n'
      b'lockout-failures=3\nlockout-minutes=10\nidle-sign-out-seconds=120\n')
write('station-config', 1, b'[station]\npin-min-length=6\naudit-sample-percent=5\n'
      b'[category:arrest]\nlabel=Arrest\nretention-days=3650\nrestricted=true\n')
