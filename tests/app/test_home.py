"""The home page runs in AppTest and lists every loss of the catalog."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.catalog import LOSSES

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_home_runs_and_lists_every_loss():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Loss Explorer"
    listed = [name for frame in at.dataframe for name in frame.value["Loss"].tolist()]
    assert sorted(listed) == sorted(s.title for s in LOSSES)
