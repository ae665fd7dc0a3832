"""Real refinements of the buy-in theory, made on a copy of ``theory/`` for diff tests."""

from __future__ import annotations

from pathlib import Path


def edit(theory_dir: Path, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in file ``name`` of ``theory_dir``."""
    path = theory_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def refine_ap5_merge_ap2(theory_dir: Path) -> None:
    """Two edits a team makes after testing the anchor-point CMOCs.

    AP5's mechanism is refined: tapering off contact gradually works because patients
    grow confident they can manage without the link worker, not only because they
    "prepare to move on" (status refined). AP2's mechanism, "senses someone cares", is
    merged into "feel valued and respected" (IS1, IS5): the team judged them one idea,
    so AP2 now shares a mechanism with IS1 and IS5.
    """
    edit(theory_dir, "cmocs/anchor-point.yaml", """      Tapering off contact with a link worker gradually (C) helps the patient to prepare to move forward alone (M) so they do not feel they have been abandoned (O).
    context: tapering-off
    mechanism: prepared-to-move-on
""", """      Tapering off contact with a link worker gradually (C) lets the patient grow confident they can manage without the link worker (M) so they do not feel they have been abandoned (O).
    context: tapering-off
    mechanism: confident-without-lw
    status: refined
""")
    edit(theory_dir, "cmocs/anchor-point.yaml", """    mechanism: someone-cares
""", """    mechanism: feel-valued
""")
    edit(theory_dir, "concepts.yaml", """  someone-cares:
    label: Senses someone cares
    description: Patients sense that someone else cares about them (AP2 mechanism).
""", "")
    edit(theory_dir, "concepts.yaml", """  prepared-to-move-on:
    label: Prepared to move on alone
    description: The patient prepares to move forward alone (AP5 mechanism).
""", """  confident-without-lw:
    label: Confident to manage without the link worker
    description: The patient grows confident they can manage without the link worker (AP5 mechanism, refined).
""")
