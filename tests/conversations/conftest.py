import pytest


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Photos go to a folder of the test's own."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads" / "conversations"
