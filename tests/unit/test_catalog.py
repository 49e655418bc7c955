"""The catalogues: the JSON the package loads is current, and every dialect's catalogue loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentls.core.catalog import DIALECT_FILES, HERE, compile_all, dialect, field_values


def test_compiled_json_is_current() -> None:
    stale = [
        n for n, text in compile_all().items() if (HERE / f"{n}.json").read_text("utf-8") != text
    ]
    assert not stale, f"stale catalogue JSON (run `make catalog`): {stale}"


def test_every_dialect_loads_with_known_types() -> None:
    types = {
        "string",
        "boolean",
        "integer",
        "number",
        "enum",
        "string-or-list",
        "list",
        "comma-string",
        "map",
        "string-map",
        "hooks",
        "vscode-hooks",
        "mcp-servers",
        "github-mcp-servers",
        "copilot-mcp-servers",
        "handoffs",
        "model",
        "model-or-list",
        "permission",
        "tool-map",
        "any",
    }
    for name in DIALECT_FILES:
        spec = dialect(name)
        assert spec.id == name
        assert set(spec.required) <= set(spec.fields), name
        for f in spec.fields.values():
            assert f.type in types, (name, f.key, f.type)
            if f.type == "enum":
                assert field_values(f), (name, f.key)
            if f.deprecated and f.deprecated.get("replaced_by"):
                assert f.deprecated["replaced_by"] in spec.fields, (name, f.key)


def test_missing_names_the_catalogues_an_installation_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from agentls.core import catalog

    assert catalog.missing() == []
    for f in catalog.HERE.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "gemini-agent.json").unlink()
    monkeypatch.setattr(catalog, "_DIR", str(tmp_path))
    assert catalog.missing() == [str(tmp_path / "gemini-agent.json")]
    with pytest.raises(catalog.CatalogError, match=r"gemini-agent\.json.*reinstall"):
        catalog._load("gemini-agent")
