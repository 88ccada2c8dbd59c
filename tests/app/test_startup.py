"""Torch's single thread is an explicit startup step (ui/kit/startup.py, called by every page's
setup), not a side effect of importing a module. Each check runs in a fresh process, which starts
torch on two threads, since the thread count is the whole process's."""

from __future__ import annotations

import subprocess
import sys

import pytest

from deploy.server import ROOT

TWO = "import torch; torch.set_num_threads(2)\n"


def threads_after(code: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", TWO + code + "\nprint(torch.get_num_threads())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


def test_importing_the_app_s_modules_leaves_torch_s_threads_alone():
    assert threads_after("import ui.kit.admission, ui.kit.layout, ui.kit.startup, ui.views.loss.page") == 2


@pytest.mark.parametrize("page", ["None", "BY_KEY['huber']", "pages.PLAYGROUND"])
def test_a_page_run_gives_torch_one_thread(page):
    code = (
        "from core.catalog import BY_KEY\nfrom ui.kit import pages\nfrom deploy.apptest import open_page\n"
        f"at = open_page({page})\nassert not at.exception, at.exception"
    )
    assert threads_after(code) == 1
