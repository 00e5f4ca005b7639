"""Product photos as phones, cameras and editors really store them, built with Pillow (and
by hand where Pillow cannot write the format): EXIF orientations, an MPO second picture,
16-bit PNG, colour profiles, transparency keys, panoramas."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw

GPS = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}

# How a camera stores an upright scene under each EXIF orientation (the inverse of what a
# viewer applies to show it).
STORED_AS = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
             4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
             6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_270}


def product(size=(480, 640)) -> Image.Image:
    """An upright bottle: red cap on top, a blue mark on the left of its label, on a light
    background with a camera's noise."""
    width, height = size
    image = Image.new("RGB", size, (236, 236, 236))
    draw = ImageDraw.Draw(image)
    body_w, body_h = int(width * 0.36), int(height * 0.7)
    x0, y0 = (width - body_w) // 2, int(height * 0.18)
    draw.rounded_rectangle([x0, y0, x0 + body_w, y0 + body_h], radius=body_w // 5,
                           fill=(40, 120, 60))
    draw.rectangle([x0 + body_w // 3, y0 - int(height * 0.08), x0 + 2 * body_w // 3, y0 + 4],
                   fill=(200, 20, 20))
    draw.rectangle([x0 + 8, y0 + body_h // 3, x0 + body_w // 3, y0 + body_h // 2],
                   fill=(20, 40, 220))
    noise = np.random.default_rng(1).normal(0, 4, (height, width, 3))
    noisy = np.asarray(image, np.float32) + noise
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def is_upright(image: Image.Image) -> bool:
    """The cap above the body and the mark left of its centre, as in ``product``."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    cap = np.argwhere((red > 150) & (green < 80) & (blue < 80)).mean(axis=0)
    mark = np.argwhere((blue > 150) & (red < 80) & (green < 100)).mean(axis=0)
    body = np.argwhere((green > 90) & (red < 90) & (blue < 110)).mean(axis=0)
    return bool(cap[0] < body[0] and mark[1] < body[1])


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = GPS
    return exif


def phone_jpeg(orientation: int = 6, size=(480, 640), mpo: bool = False) -> bytes:
    """A phone photo of the upright ``product``, stored turned as the sensor saw it, with
    EXIF orientation, maker and GPS; ``mpo``: with a second, smaller picture in an MPF
    segment (an HDR gain map or depth map), as iPhones and many Androids write."""
    stored = product(size)
    if STORED_AS[orientation] is not None:
        stored = stored.transpose(STORED_AS[orientation])
    buffer = io.BytesIO()
    if mpo:
        stored.save(buffer, "MPO", save_all=True, exif=phone_exif(orientation), quality=90,
                    append_images=[stored.resize((stored.width // 4, stored.height // 4))])
    else:
        stored.save(buffer, "JPEG", exif=phone_exif(orientation), quality=90,
                    comment=b"secret-comment")
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


# --- PNG chunks Pillow does not write -----------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def raw_png(pixels: np.ndarray, depth: int, colour_type: int, extra: bytes = b"") -> bytes:
    """A PNG of ``pixels`` (rows × columns [× channels]) at ``depth`` bits per sample."""
    height, width = pixels.shape[:2]
    dtype = ">u2" if depth == 16 else "u1"
    rows = b"".join(b"\0" + pixels[y].astype(dtype).tobytes() for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra
            + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b""))


def transparency_key(*values: int) -> bytes:
    return _chunk(b"tRNS", struct.pack(f">{len(values)}H", *values))


# --- a wide-gamut colour profile, and what a colour-managed viewer shows ------------------
# Display P3 primaries adapted to D50 (as in Apple's profile), a 2.2 gamma for the curves.
P3_D50 = ((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841))
SRGB_D50 = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))
D50 = (0.9642, 1.0, 0.8249)
GAMMA = 2.2


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def display_p3_profile() -> bytes:
    """A minimal ICC v2 RGB display profile (matrix and curves) with P3 primaries."""
    name = b"Display P3 (test)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 78
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(GAMMA * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", _xyz(*D50)), (b"rXYZ", _xyz(*P3_D50[0])),
            (b"gXYZ", _xyz(*P3_D50[1])), (b"bXYZ", _xyz(*P3_D50[2])), (b"rTRC", curve),
            (b"gTRC", curve), (b"bTRC", curve), (b"cprt", b"text\0\0\0\0none\0\0\0\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (struct.pack(">I", offset + len(data)) + b"\0\0\0\0" + bytes([2, 0x10, 0, 0])
              + b"mntrRGB XYZ " + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp"
              + b"\0" * 28 + _s15(D50[0]) + _s15(D50[1]) + _s15(D50[2]) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


def p3_as_srgb(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """A P3 colour as a colour-managed viewer shows it in sRGB, computed by hand."""
    linear = (np.asarray(rgb, float) / 255.0) ** GAMMA
    srgb = np.linalg.solve(np.asarray(SRGB_D50).T, np.asarray(P3_D50).T @ linear).clip(0, 1)
    encoded_ = np.where(srgb <= 0.0031308, 12.92 * srgb, 1.055 * srgb ** (1 / 2.4) - 0.055)
    return tuple(int(round(v * 255)) for v in encoded_)


# --- formats we do not take ---------------------------------------------------------------
def heic_header() -> bytes:
    """The start of an iPhone HEIC file (ISO-BMFF ``ftyp`` box, brand ``heic``)."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0" + b"mif1heic" + b"\0" * 4000


def exif_with_a_signed_byte_gps_ref(orientation: int = 6) -> bytes:
    """EXIF as some phones and editors write it: orientation, and a GPS latitude reference
    typed SBYTE instead of ASCII. Pillow reads it, but cannot write it back."""
    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack(">HHI", tag, kind, count) + value

    gps_at = 8 + 2 + 2 * 12 + 4
    ifd0 = (struct.pack(">H", 2) + entry(0x0112, 3, 1, struct.pack(">HH", orientation, 0))
            + entry(0x8825, 4, 1, struct.pack(">I", gps_at)) + b"\0\0\0\0")
    gps = struct.pack(">H", 1) + entry(0x0001, 6, 2, b"N\0\0\0") + b"\0\0\0\0"
    return b"Exif\0\0" + b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + gps
