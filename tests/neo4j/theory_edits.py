"""Edits of the buy-in theory shared by the Neo4j tests."""

from __future__ import annotations

from pathlib import Path

import yaml


def edit_theory(root: Path) -> None:
    """Remove CMOC AP5 and its three concepts, rename a concept, change labels and a site.

    Files are rewritten through YAML (comments are lost; the data is what matters).
    """
    renamed = ("feel-less-alone", "feeling-less-alone")
    gone_concepts = {"tapering-off", "prepared-to-move-on", "not-abandoned"}

    def fix(value):
        if isinstance(value, list):
            return [fix(v) for v in value if v != "AP5"]
        if isinstance(value, dict):
            return {fix(k) if isinstance(k, str) else k: fix(v) for k, v in value.items()}
        return renamed[1] if value == renamed[0] else value

    for path in sorted(root.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("cmocs", "concepts", "evidence"):
            entries = data.get(section) or {}
            entries.pop("AP5", None)
            for cid in gone_concepts:
                entries.pop(cid, None)
        data = fix(data)
        for e in (data.get("evidence") or {}).values():
            assert e["supports"], e  # AP5 never stood alone
        if "sites" in data:
            data["sites"]["site-1"].pop("region")
            data["sites"]["site-2"]["label"] = "Site two"
        if "concepts" in data:
            data["concepts"]["open-up"]["label"] = "Opens up (edited)"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
