"""The package's front door: the static export table, lazy imports, dir() and typo hints."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys

import pytest
from support import ROOT

import lessons_lib


def _public_modules() -> list[str]:
    """Every public module or subpackage directly under lessons_lib, found on disk."""
    return sorted(m.name for m in pkgutil.iter_modules(lessons_lib.__path__) if not m.name.startswith("_"))


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)


def test_export_table_equals_the_union_of_the_modules_all():
    expected: dict[str, str] = {}
    defined_twice = []
    for module in _public_modules():
        for name in importlib.import_module(f"lessons_lib.{module}").__all__:
            if name in expected:
                defined_twice.append(f"{name} ({expected[name]}, {module})")
            expected[name] = module
    assert defined_twice == []
    missing = sorted(set(expected) - set(lessons_lib._EXPORTS))
    stale = sorted(set(lessons_lib._EXPORTS) - set(expected))
    assert (missing, stale) == ([], []), "update _EXPORTS in lessons_lib/__init__.py"
    assert lessons_lib._EXPORTS == expected


def test_submodule_list_names_every_public_module():
    assert sorted(lessons_lib._SUBMODULES) == _public_modules()


@pytest.mark.parametrize("name", sorted(lessons_lib._EXPORTS))
def test_every_exported_name_resolves_to_its_module_object(name):
    module = importlib.import_module(f"lessons_lib.{lessons_lib._EXPORTS[name]}")
    assert getattr(lessons_lib, name) is getattr(module, name)


def test_importing_load_leaves_pyplot_and_ipywidgets_unimported():
    code = (
        "import sys\nfrom lessons_lib import load\nload('events')\n"
        "print(sorted(m for m in ('ipywidgets', 'matplotlib.pyplot') if m in sys.modules))"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_importing_the_validator_leaves_pandas_unimported():
    code = "import sys\nfrom lessons_lib import check_package\nprint('pandas' in sys.modules)"
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_dir_lists_every_export_and_submodule():
    listed = dir(lessons_lib)
    assert set(lessons_lib._EXPORTS) <= set(listed)
    assert set(lessons_lib._SUBMODULES) <= set(listed)
    assert "__version__" in listed


def test_a_mistyped_name_in_a_from_import_suggests_the_right_one():
    with pytest.raises(ImportError, match=r"cannot import name 'lod' from 'lessons_lib'; did you mean 'load'\?"):
        from lessons_lib import lod  # noqa: F401
    result = _run("from lessons_lib import plot_timline")
    assert (
        "ImportError: cannot import name 'plot_timline' from 'lessons_lib'; did you mean 'plot_timeline'?"
        in result.stderr
    )


def test_a_missing_name_still_gives_getattr_its_default():
    assert getattr(lessons_lib, "lod", None) is None and not hasattr(lessons_lib, "lod")


def test_a_mistyped_name_suggests_the_right_one():
    with pytest.raises(AttributeError, match=r"no attribute 'plot_timline'; did you mean 'plot_timeline'\?"):
        lessons_lib.plot_timline  # noqa: B018


def test_an_unknown_name_raises_attribute_error_without_a_hint():
    with pytest.raises(AttributeError, match=r"no attribute 'zzzzzz'$"):
        lessons_lib.zzzzzz  # noqa: B018
