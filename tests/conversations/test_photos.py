"""Upload checks with real image bytes: content decides, not the name; metadata is stripped."""
import io

import pytest
from PIL import Image

from app.conversations import photos
from tests.conversations import helpers


def test_jpeg_is_accepted_and_exif_stripped(app, db):
    original = helpers.jpeg_with_exif()
    assert b"SecretCameraMaker" in original
    checked = photos.check("flipchart.jpg", io.BytesIO(original))
    assert checked.content_type == "image/jpeg" and (checked.width, checked.height) == (40, 30)
    assert b"SecretCameraMaker" not in checked.data and b"GPS-and-name" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_png_named_jpg_is_judged_by_its_content(app, db):
    checked = photos.check("looks-like.jpg", io.BytesIO(helpers.png()))
    assert checked.content_type == "image/png"


@pytest.mark.parametrize("data, message", [
    (helpers.FAKE_JPEG, "must be a JPG or PNG photo"),
    (helpers.gif(), "must be a JPG or PNG photo"),
    (helpers.jpeg_with_exif()[:60], "must be a JPG or PNG photo"),  # cut short
    (b"", "is empty"),
])
def test_not_a_usable_image_is_refused(app, db, data, message):
    with pytest.raises(photos.PhotoError, match=message) as raised:
        photos.check("uploads/flipchart.jpg", io.BytesIO(data))
    assert str(raised.value).startswith("flipchart.jpg ")  # named for the host, without any folder


def test_oversized_file_is_refused(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CONVERSATION_PHOTO_MAX_MB", 1)
    data = helpers.big_png(1024 * 1024 + 10)
    with pytest.raises(photos.PhotoError, match="bigger than 1 MB"):
        photos.check("big.png", io.BytesIO(data))
