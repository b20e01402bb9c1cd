"The README and the documentation site are generated from the notebooks and must stay in step with them."
import html, importlib.util, re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def build_docs():
    spec = importlib.util.spec_from_file_location('build_docs', ROOT / 'tools' / 'build_docs.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _page_text(path):
    return html.unescape(re.sub(r'<[^>]+>', '', path.read_text()))


def test_readme_in_sync(build_docs):
    "README.md is exactly what `python tools/build_docs.py --readme` makes from nbs/index.ipynb."
    committed = (ROOT / 'README.md').read_text()
    try:
        fresh = build_docs.main(['--readme']) or (ROOT / 'README.md').read_text()
    finally:
        (ROOT / 'README.md').write_text(committed)
    assert fresh == committed, 'README.md is out of date: run `python tools/build_docs.py --readme` and commit it'


def test_site_builds(build_docs, tmp_path):
    "The whole site builds, and an API page shows a function's signature and docstring."
    committed = (ROOT / 'README.md').read_text()
    try: build_docs.main(['--site-dir', str(tmp_path)])
    finally: (ROOT / 'README.md').write_text(committed)
    page = _page_text(tmp_path / 'layouts.html')
    assert 'def make_layout(' in page and 'name:str, rows:list' in page
    assert 'Build a Layout from rows of' in page
    assert (tmp_path / 'search' / 'search_index.json').exists()
    nav = re.findall(r'href="(\w+)\.html" class="md-nav__link', (tmp_path / 'index.html').read_text())
    assert nav.index('index') < nav.index('layouts')
