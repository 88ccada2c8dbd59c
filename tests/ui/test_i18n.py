"""Every English string of the app has a Chinese translation with the same placeholders."""

import re

from tests.ui.strings import code_strings, english_strings
from ui.kit.zh import ZH

PLACEHOLDER = re.compile(r"\{[a-zA-Z_]+\}")


def test_every_string_is_translated():
    missing = sorted(english_strings() - set(ZH))
    assert not missing, missing


def test_translations_keep_the_placeholders():
    for english, chinese in ZH.items():
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(chinese)), english


def test_the_collector_finds_the_pages_strings():
    assert {"Preset", "Inputs", "Share this view", "Presentation mode"} <= code_strings()
