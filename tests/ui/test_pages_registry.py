"""One registry of pages (ui/kit/pages.py): every loss has its page file, named by its class, every
file in pages/ is a page of the registry, and each loss's file shows that loss."""

import ast
from pathlib import Path

from core.catalog import LOSSES
from ui.kit import pages

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_of_the_registry_has_its_file_and_every_file_is_known():
    on_disk = {f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py")}
    registered = {page.path for page in pages.PAGES if page is not pages.HOME}
    assert on_disk == registered
    assert (ROOT / pages.HOME.path).is_file()


def test_a_loss_page_is_named_by_its_class_and_its_address_is_the_class_name():
    for spec in LOSSES:
        page = pages.of(spec)
        assert page.path == f"pages/{spec.title}.py" and page.url == spec.title
        assert spec.title == spec.module.__name__


def _rendered_key(path: Path) -> str:
    calls = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]
    (call,) = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "render"]
    return call.args[0].value


def test_each_loss_file_renders_its_own_loss():
    for spec in LOSSES:
        assert _rendered_key(ROOT / pages.of(spec).path) == spec.key


def test_addresses_are_unique_and_are_the_file_names():
    urls = [page.url for page in pages.PAGES]
    assert len(urls) == len(set(urls))
    for page in pages.PAGES[1:]:
        assert Path(page.path).stem == page.url
