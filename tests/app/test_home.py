"""The home page runs in AppTest and shows a card, a link and a live thumbnail for every loss."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.catalog import LOSSES

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_home_runs_and_shows_every_loss():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Loss Explorer"
    images = at.get("image")
    assert len(images) == len(LOSSES)
    assert all(i.proto.imgs[0].url.startswith("data:image/svg+xml;base64,") for i in images)
    captions = " ".join(c.value for c in at.caption)
    assert all(spec.summary in captions for spec in LOSSES)
