"""Every notebook in `nbs/` is one test, run by nbdev's own notebook runner.

A failing cell fails its notebook; the traceback is printed to stderr. Cells flagged with one of
the `tst_flags` in `pyproject.toml` (`notest`, `slow`) are skipped; `pytest --slow` runs `slow` cells too.
"""
from pathlib import Path

import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

_cfg = get_config(Path(__file__).resolve().parents[1])
_notebooks = sorted(p for p in _cfg.nbs_path.glob('*.ipynb') if not p.name.startswith(('_', '.')))


@pytest.mark.parametrize('notebook', _notebooks, ids=[p.stem for p in _notebooks])
def test_notebook(notebook, request):
    force = ['slow'] if request.config.getoption('--slow') else []
    ok, seconds = run_notebook(notebook, skip_flags=_cfg.tst_flags.split(), force_flags=force, showerr=True)
    assert ok, f'{notebook.name}: a cell failed after {seconds:.1f}s (traceback above)'
