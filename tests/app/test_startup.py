"""Torch's single thread is an explicit startup step (ui/kit/startup.py, called at the start of every
run, in its own thread), not a side effect of importing a module. Each check runs in a fresh
process, which starts torch on two threads."""

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


# The server's runs, as Streamlit runs them, each in a new thread: the first is a page's, whose setup
# starts the process (ui.kit.layout.setup); the next are a fragment's reruns after slider moves,
# through `one_at_a_time` (every page renderer and fragment is), doing what KLDivLoss's curve does
# (log and exp of 501 × 3 float64). Printed: the process's CPU per rerun, over 20 reruns.
FRAGMENT_RUNS = """
import threading, time, torch
from ui.kit.admission import one_at_a_time
from ui.kit.startup import start
x = torch.rand(501, 3, dtype=torch.float64)

def page():
    start()
    torch.log(x), torch.exp(x)

@one_at_a_time
def rerun():
    for _ in range(3):
        torch.log(x), torch.exp(x)

def in_a_new_thread(run):
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()

in_a_new_thread(page)
cpu = time.process_time()
for _ in range(20):
    in_a_new_thread(rerun)
print((time.process_time() - cpu) / 20 * 1e3)
"""


def test_a_run_in_a_new_thread_pays_no_setup_of_torchs_threads():
    """Once torch's count had been set in one thread, a new thread's first log or exp cost 4-7 ms of
    CPU (torch's per-thread OpenMP/MKL state): every run sets it in its own thread first."""
    done = subprocess.run(
        [sys.executable, "-c", FRAGMENT_RUNS], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert float(done.stdout.split()[-1]) < 1.5  # ms per run; about 0.2 with the fix, about 5 without
