"""The import rules of docs/architecture.md hold: the contracts in pyproject.toml
([tool.importlinter]) are checked over the whole code, imports inside functions included."""

import re
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"


def contracts():
    return tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]


def test_every_import_contract_is_kept():
    # On failure, the captured output names each broken contract and the import chain.
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0


def test_the_contracts_cover_every_app_of_the_project():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"cdht_wagtail"}
    assert apps == set(contracts()["root_packages"])


def test_the_architecture_page_lists_the_layers_of_the_contract_in_order():
    (layers,) = [c["layers"] for c in contracts()["contracts"] if c["type"] == "layers"]
    expected = [name for layer in reversed(layers) for name in re.split(r"\s*[:|]\s*", layer)]
    page = (ROOT / "docs" / "architecture.md").read_text()
    listed = re.findall(r"^\| \d \| `(\w+)`(?: and `(\w+)`)? \|", page, re.MULTILINE)
    assert [name for row in listed for name in row if name] == expected
