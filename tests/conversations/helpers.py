"""Real small images (and a fake one) for the upload tests, and a host ready to use."""
import io
import os

from PIL import Image

from app.conversations import services
from app.conversations.models import ConversationHost
from app.common.transaction import commit


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0131] = "GPS-and-name-leaking-software"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    return out.getvalue()


def big_png(min_bytes: int) -> bytes:
    """Noise does not compress, so a PNG of it is at least as big as its pixels."""
    side = int((min_bytes / 3) ** 0.5) + 20
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG", compress_level=0)
    return out.getvalue()


FAKE_JPEG = b"<html><script>alert(1)</script></html>" + b" " * 200  # named .jpg, is not one


def approved_host(consultation, officer, email="host@example.org", organisation="Mill Lane Tenants") -> ConversationHost:
    host = services.register_host("Ada Host", organisation, "tenants", email, f"c{consultation.id}")
    services.decide_host(host, officer, "approve")
    commit()
    return host
