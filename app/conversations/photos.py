"""Flipchart photos: a real image (judged by its content, not its name), no bigger than the
configured limit, re-encoded so nothing but the pixels is kept (EXIF, GPS position, comments),
stored outside static/ and read back only for staff."""
import io
import os
from dataclasses import dataclass

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (content type we serve, Pillow save options). Nothing else is accepted.
FORMATS = {"JPEG": ("image/jpeg", {"format": "JPEG", "quality": 85, "optimize": True}),
           "PNG": ("image/png", {"format": "PNG", "optimize": True})}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already more than a phone takes


class PhotoError(ValueError):
    """A message for the host, shown beside the photos field."""


@dataclass
class CheckedPhoto:
    data: bytes  # re-encoded, metadata gone
    content_type: str
    width: int
    height: int


def max_bytes() -> int:
    return current_app.config["CONVERSATION_PHOTO_MAX_MB"] * 1024 * 1024


def check(filename: str, stream) -> CheckedPhoto:
    """Read, check and re-encode one upload, or raise PhotoError naming the file."""
    name = os.path.basename(filename or "") or "The file"
    limit = max_bytes()
    raw = stream.read(limit + 1)
    if not raw:
        raise PhotoError(f"{name} is empty. Choose a photo of the flipchart")
    if len(raw) > limit:
        raise PhotoError(f"{name} is bigger than {current_app.config['CONVERSATION_PHOTO_MAX_MB']} MB. "
                         "Choose a smaller photo")
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # reads the magic bytes, not the file name
            kind = probe.format
            if kind not in FORMATS:
                raise PhotoError(f"{name} must be a JPG or PNG photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(f"{name} has too many pixels. Choose a smaller photo")
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep it the right way up once EXIF is gone
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            content_type, options = FORMATS[kind]
            out = io.BytesIO()
            image.save(out, **options)  # no exif= and no pnginfo=: metadata is not written
            return CheckedPhoto(out.getvalue(), content_type, image.width, image.height)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError(f"{name} must be a JPG or PNG photo") from None


def folder() -> str:
    base = current_app.config.get("UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads")
    path = os.path.join(base, "conversations")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def path_for(stored_name: str) -> str:
    return os.path.join(folder(), stored_name)


def write(stored_name: str, data: bytes) -> None:
    with open(path_for(stored_name), "xb") as handle:  # never overwrites
        handle.write(data)


def remove(stored_name: str) -> None:
    try:
        os.remove(path_for(stored_name))
    except FileNotFoundError:
        pass
