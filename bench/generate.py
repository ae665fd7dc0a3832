"""Deterministic synthetic theories for the benchmarks, at any number of CMOCs.

The theories look like a large team's or a realist synthesis's: areas of a
few hundred CMOCs each, concepts shared between CMOCs so that chains (an
outcome that is another CMOC's context) exist, some convergent outcomes and
feedback loops, ``opposes`` pairs, refinements, about 1.5 quotes per CMOC
from many sites and waves, and pathways that follow the chains. Text lengths
follow the worked example: statements of about 200 characters, quotes of
about 300. Every field of the format is used, so that every code path is
measured: a resource beside the reasoning in a third of the CMOCs (shared
across contexts, and sometimes another CMOC's outcome), an intervention and
actors in a quarter, included studies under ``sources:`` that half the quotes
cite, and a confidence rating (GRADE-CERQual components in half of them) for
three CMOCs in five.

The directory is split the way a team would split it (``theory/`` is the
model): ``theory.yaml``, ``areas.yaml``, ``sites.yaml``, ``pathways.yaml``,
``concepts/<area>.yaml``, ``cmocs/<area>.yaml`` and ``evidence/<area>.yaml``,
no file holding more than 1,000 CMOCs. The same seed and size give the same
bytes; every theory passes ``ptgraph check`` with no problems.

Usage: ``python bench/generate.py --cmocs 10000 --out bench/out/data/10000``
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the output changes, so cached benchmark data is regenerated.
VERSION = 2
DEFAULT_SEED = 20240917
MAX_CMOCS_PER_FILE = 1000
CMOCS_PER_AREA = 500
WRAP = 88

# Shares of reuse that make the graph a theory rather than a list of triples:
# about 0.3 shared concepts per CMOC in all.
P_CHAIN = 0.2  # a context is the outcome of a recent CMOC: chains
P_SHARED_MECHANISM = 0.06
P_CONVERGE = 0.06  # an outcome another recent CMOC also produces
P_LOOP = 0.015  # an outcome that is a recent CMOC's context: feedback loops
P_TWO_CONTEXTS, P_TWO_OUTCOMES = 0.2, 0.1
P_OPPOSES, P_TAGGED = 0.03, 0.1
P_REFINES = 0.04
RECENT = 60  # how far back (in CMOCs of the same area) sharing reaches
QUOTES_PER_CMOC = ((0, 0.15), (1, 0.35), (2, 0.35), (3, 0.15))  # mean 1.5
P_SECOND_SUPPORT, P_REFUTES = 0.15, 0.03
# The optional parts of a configuration (resource and reasoning, intervention and actor).
P_RESOURCE = 0.35
P_SHARED_RESOURCE = 0.5  # a resource used before in the area, in another context: contrasts by=resource
P_RESOURCE_FROM_OUTCOME = 0.1  # another CMOC's outcome used as a resource: bridges
P_INTERVENTION, INTERVENTIONS_PER_AREA = 0.25, 6
P_ACTOR, ACTORS = 0.25, 12
# Included studies (sources:) and confidence ratings.
CMOCS_PER_SOURCE = 25
P_QUOTE_CITES_SOURCE = 0.5
P_CONFIDENCE, P_COMPONENTS = 0.6, 0.5
CONFIDENCE = (("moderate", 0.45), ("low", 0.4), ("very-low", 0.15))  # high: only where two sources agree
CONCERNS = ("No concerns.", "Minor concerns.", "Moderate concerns; thin data in some sources.",
            "Serious concerns; one small study.")

AREA_TOPICS = (
    ("enrolment", "EN"), ("interpersonal-skills", "IS"), ("knowledge-sharing", "KS"),
    ("anchor-point", "AP"), ("readiness", "RD"), ("peer-support", "PS"), ("housing", "HO"),
    ("finances", "FI"), ("mental-health", "MH"), ("physical-activity", "PA"),
    ("carers", "CA"), ("loneliness", "LO"), ("digital-access", "DA"), ("employment", "EM"),
    ("transport", "TR"), ("family", "FA"), ("volunteering", "VO"), ("long-term-conditions", "LT"),
    ("discharge", "DI"), ("community-groups", "CG"),
)
REGIONS = ("North", "North West", "Midlands", "East", "London", "South", "South West", "Wales")
MODELS = ("Funded, contracted and managed by primary care",
          "Funded through primary care but subcontracted to and managed by VCSE",
          "Funded and managed by the local authority")
STATUSES = (("new", 0.5), ("confirmed", 0.38), ("refuted", 0.12))
WAVES = (("interview", 0.7), ("follow-up", 0.2), ("observation", 0.1))
TAGS = ("barrier", "enabler", "relational", "structural", "emotional")

ADJECTIVES = (
    "trusted", "uncertain", "reluctant", "hopeful", "valued", "isolated", "supported", "anxious",
    "confident", "overwhelmed", "listened-to", "motivated", "informed", "stressed", "connected",
    "respected", "empowered", "fragile", "secure", "stigmatised", "understood", "burdened",
    "capable", "independent", "reassured", "encouraged", "ready", "settled", "welcome", "safe",
)
NOUNS = (
    "referral", "relationship", "options", "choice", "goals", "routine", "support", "advice",
    "contact", "meeting", "group", "benefits", "housing", "debt", "confidence", "control",
    "motivation", "capacity", "trust", "hope", "identity", "purpose", "belonging", "network",
    "follow-up", "signposting", "plan", "appointment", "activity", "service", "worker", "carer",
)
WORDS = (
    "the", "link", "worker", "patient", "they", "she", "he", "I", "you", "we", "it", "was",
    "really", "just", "felt", "feel", "know", "time", "because", "and", "but", "so", "when",
    "then", "with", "about", "me", "my", "her", "him", "to", "of", "in", "on", "for", "a",
    "group", "doctor", "GP", "help", "talk", "listen", "sort", "out", "money", "house", "home",
    "family", "lonely", "walk", "class", "course", "phone", "called", "came", "round", "went",
    "never", "always", "again", "week", "month", "year", "better", "worse", "difficult",
    "support", "somebody", "nobody", "there", "here", "didn't", "couldn't", "wasn't", "I'm",
    "it's", "that's", "you're", "know,", "mean,", "like,", "really,", "honestly,", "said,",
)
CONNECTIVES = (
    ("Patients", "(C) who meet a link worker start", "(M), which leaves them", "(O)."),
    ("When patients are", "(C), the link worker's support has them", "(M), and in time", "(O)."),
    ("For patients", "(C), regular contact means", "(M), so they end up", "(O)."),
)
PADDING = (
    "in the weeks after the first meeting", "especially for those who had tried other services",
    "although this depends on how the link worker works", "as several participants described",
    "which matters most when circumstances are difficult", "over repeated contacts",
)


def _pick(rng: random.Random, weighted: tuple[tuple, ...]):
    r, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if r < total:
            return value
    return weighted[-1][0]


def _folded(text: str, indent: int) -> list[str]:
    """``>-`` then the text wrapped at :data:`WRAP` columns, as an editor would."""
    pad = " " * indent
    lines, line = [">-"], ""
    for word in text.split():
        if line and indent + len(line) + 1 + len(word) > WRAP:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)
    return lines


@dataclass
class _Concept:
    id: str
    label: str
    description: str
    area: int
    opposes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class _CMOC:
    id: str
    area: int
    context: list[str]
    mechanism: list[str]
    outcome: list[str]
    status: str
    refines: list[str]
    statement: str = ""
    resource: list[str] = field(default_factory=list)
    intervention: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    confidence: tuple | None = None  # (level, rationale, components or None)


class _Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(f"{seed}-{n}")
        self.n_areas = max(5, n // CMOCS_PER_AREA)
        self.n_sites = max(7, min(2000, n // 50))
        self.areas = [self._area(a) for a in range(self.n_areas)]
        self.concepts: dict[str, _Concept] = {}
        self.cmocs: list[_CMOC] = []
        self.configurations: set[tuple] = set()
        self.n_sources = max(3, n // CMOCS_PER_SOURCE)
        self.interventions = [[f"{self.areas[a][0]}-intervention-{k + 1}" for k in range(INTERVENTIONS_PER_AREA)]
                              for a in range(self.n_areas)]
        self.actors = [f"actor-{k + 1}" for k in range(ACTORS)]

    @staticmethod
    def _area(a: int) -> tuple[str, str, str]:
        topic, abbr = AREA_TOPICS[a % len(AREA_TOPICS)]
        cycle = a // len(AREA_TOPICS)
        if cycle:
            return f"{topic}-{cycle + 1}", f"{abbr}{cycle + 1}-", f"{topic.replace('-', ' ').capitalize()} {cycle + 1}"
        return topic, abbr, topic.replace("-", " ").capitalize()

    def _words(self, k: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=k))

    def _concept(self, area: int) -> str:
        rng = self.rng
        adjective, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        cid = f"{adjective}-{noun}-{len(self.concepts) + 1}"
        label = f"Feels {adjective.replace('-', ' ')} about {noun.replace('-', ' ')}"
        description = (f"Patients feel {adjective.replace('-', ' ')} about {noun.replace('-', ' ')}, "
                       f"as they put it: {self._words(12)}.")
        concept = _Concept(cid, label, description, area)
        if rng.random() < P_TAGGED:
            concept.tags.append(rng.choice(TAGS))
        self.concepts[cid] = concept
        return cid

    def _statement(self, cmoc: _CMOC) -> str:
        rng = self.rng
        opening, after_c, after_m, after_o = rng.choice(CONNECTIVES)

        def say(ids: list[str]) -> str:
            return " and ".join(self.concepts[c].label.replace("Feels", "feeling") for c in ids)

        text = (f"{opening} {say(cmoc.context)} {after_c} {say(cmoc.mechanism)} {after_m} "
                f"{say(cmoc.outcome)} {after_o}")
        while len(text) < 190:
            text = text[:-1] + ", " + rng.choice(PADDING) + "."
        return text

    def _recent(self, pool: list[str]) -> str:
        return pool[-1 - self.rng.randrange(min(len(pool), RECENT))]

    def generate(self) -> None:
        rng = self.rng
        outcomes: list[list[str]] = [[] for _ in self.areas]
        contexts: list[list[str]] = [[] for _ in self.areas]
        mechanisms: list[list[str]] = [[] for _ in self.areas]
        by_area: list[list[_CMOC]] = [[] for _ in self.areas]
        resources: list[list[str]] = [[] for _ in self.areas]
        for i in range(self.n):
            a = i * self.n_areas // self.n  # contiguous blocks: areas of equal size
            new = lambda: self._concept(a)  # noqa: E731

            def shared(pool: list[str], p: float) -> str:
                return self._recent(pool) if pool and rng.random() < p else new()

            context = [shared(outcomes[a], P_CHAIN) for _ in range(1 + (rng.random() < P_TWO_CONTEXTS))]
            mechanism = [shared(mechanisms[a], P_SHARED_MECHANISM)]
            outcome = []
            for _ in range(1 + (rng.random() < P_TWO_OUTCOMES)):
                r = rng.random()
                if r < P_LOOP and contexts[a]:
                    outcome.append(self._recent(contexts[a]))
                elif r < P_LOOP + P_CONVERGE and outcomes[a]:
                    outcome.append(self._recent(outcomes[a]))
                else:
                    outcome.append(new())
            context, outcome = list(dict.fromkeys(context)), list(dict.fromkeys(outcome))
            key = (frozenset(context), frozenset(mechanism), frozenset(outcome))
            if key in self.configurations:  # never the same configuration twice
                mechanism = [new()]
                key = (frozenset(context), frozenset(mechanism), frozenset(outcome))
            self.configurations.add(key)
            area_id, abbr, _ = self.areas[a]
            earlier = by_area[a]
            refines = [self._recent([c.id for c in earlier[-RECENT:]])] \
                if earlier and rng.random() < P_REFINES else []
            status = "refined" if refines else _pick(rng, STATUSES)
            cmoc = _CMOC(f"{abbr}{len(earlier) + 1}", a, context, mechanism, outcome, status, refines)
            self._parts(cmoc, resources[a], outcomes[a])
            cmoc.statement = self._statement(cmoc)
            self.cmocs.append(cmoc)
            earlier.append(cmoc)
            outcomes[a].extend(outcome)
            contexts[a].extend(context)
            mechanisms[a].extend(mechanism)
        self._opposes()

    def _parts(self, cmoc: _CMOC, resources: list[str], outcomes: list[str]) -> None:
        """Resource, intervention and actors. A resource is never the CMOC's own context,
        reasoning or outcome (E207); drawn after the configuration is fixed, so the
        configurations stay distinct."""
        rng = self.rng
        own = set(cmoc.context) | set(cmoc.mechanism) | set(cmoc.outcome)
        if rng.random() < P_RESOURCE:
            r = rng.random()
            if r < P_RESOURCE_FROM_OUTCOME and outcomes:
                resource = self._recent(outcomes)
            elif r < P_RESOURCE_FROM_OUTCOME + P_SHARED_RESOURCE and resources:
                resource = self._recent(resources)
            else:
                resource = self._concept(cmoc.area)
            if resource in own:
                resource = self._concept(cmoc.area)
            cmoc.resource = [resource]
            resources.append(resource)
        if rng.random() < P_INTERVENTION:
            cmoc.intervention = [rng.choice(self.interventions[cmoc.area])]
        if rng.random() < P_ACTOR:
            cmoc.actor = sorted(rng.sample(self.actors, 1 + (rng.random() < 0.3)))

    def _opposes(self) -> None:
        rng = self.rng
        by_area: list[list[_Concept]] = [[] for _ in self.areas]
        for concept in self.concepts.values():
            by_area[concept.area].append(concept)
        for concepts in by_area:
            for index, concept in enumerate(concepts):
                if index and rng.random() < P_OPPOSES:
                    concept.opposes.append(concepts[rng.randrange(index)].id)

    # --- writing -------------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """Relative path -> file text."""
        out = {"theory.yaml": self._manifest(), "areas.yaml": self._areas(),
               "sites.yaml": self._sites(), "pathways.yaml": self._pathways(),
               "sources.yaml": self._sources(), "parts.yaml": self._part_concepts()}
        quotes = self._evidence()
        self._confidence(quotes)
        cmocs_in: list[list[_CMOC]] = [[] for _ in self.areas]
        concepts_in: list[list[_Concept]] = [[] for _ in self.areas]
        for cmoc in self.cmocs:
            cmocs_in[cmoc.area].append(cmoc)
        for concept in self.concepts.values():
            concepts_in[concept.area].append(concept)
        for a, (area_id, _, label) in enumerate(self.areas):
            cmocs, concepts = cmocs_in[a], concepts_in[a]
            for part, start in enumerate(range(0, len(cmocs), MAX_CMOCS_PER_FILE)):
                name = area_id if part == 0 else f"{area_id}-{part + 1}"
                chunk = cmocs[start:start + MAX_CMOCS_PER_FILE]
                ids = {c.id for c in chunk}
                out[f"cmocs/{name}.yaml"] = self._cmocs(chunk, label)
                out[f"evidence/{name}.yaml"] = self._quotes(
                    [q for q in quotes[a] if q[1][0] in ids], label)
            out[f"concepts/{area_id}.yaml"] = self._concepts(concepts, label)
        return out

    def _manifest(self) -> str:
        return "\n".join([
            "ptgraph: 1",
            "theory:",
            f"  id: synthetic-{self.n}",
            f"  title: Synthetic programme theory with {self.n} CMOCs",
            "  description: " + "\n".join(_folded(
                f"A generated theory for ptgraph's benchmarks: {self.n} CMOCs in "
                f"{self.n_areas} areas, evidence from {self.n_sites} sites. Not real data.", 4)),
            "",
        ])

    def _areas(self) -> str:
        lines = ["areas:"]
        for area_id, _, label in self.areas:
            lines += [f"  {area_id}:", f"    label: {label}",
                      f"    description: How {label.lower()} shapes patients' buy-in to social prescribing."]
        return "\n".join(lines) + "\n"

    def _sites(self) -> str:
        rng, lines = self.rng, ["sites:"]
        for s in range(1, self.n_sites + 1):
            lines += [
                f"  site-{s}:", f"    label: Site {s}",
                f"    months_in_role: {rng.randrange(1, 60)}",
                f"    deprivation: {rng.choice(('Low', 'Medium', 'High'))}",
                f"    region: {rng.choice(REGIONS)}",
                f"    employment_model: {rng.choice(MODELS)}",
                f"    practices_served: {rng.randrange(1, 8)}",
            ]
        return "\n".join(lines) + "\n"

    def _sources(self) -> str:
        """Included studies, a tenth of them reports; the evidence cites half of them by id."""
        rng, lines = self.rng, ["sources:"]
        for k in range(1, self.n_sources + 1):
            year = 2005 + rng.randrange(20)
            kind = "report" if k % 10 == 0 else "study"
            lines += [f"  src-{k}:", f"    type: {kind}",
                      "    citation: " + "\n".join(_folded(
                          f"Author {k} et al. ({year}). {self._words(8).capitalize()}: a qualitative "
                          f"{kind} of social prescribing. Synthetic Journal {k % 40 + 1}:{k}.", 6)),
                      f"    year: {year}", f"    doi: 10.9999/synthetic.{k}"]
        return "\n".join(lines) + "\n"

    def _part_concepts(self) -> str:
        """The interventions and actors the CMOCs name (no other: W301), defined once."""
        used = {cid for c in self.cmocs for cid in c.intervention + c.actor}
        lines = ["# Interventions and actors of the CMOCs.", "concepts:"]
        for a, ids in enumerate(self.interventions):
            for cid in (i for i in ids if i in used):
                lines += [f"  {cid}:", f"    label: Intervention {cid.rsplit('-', 1)[1]} of {self.areas[a][2].lower()}"]
        for cid in (i for i in self.actors if i in used):
            lines += [f"  {cid}:", f"    label: Actor {cid.rsplit('-', 1)[1]}"]
        return "\n".join(lines) + "\n"

    def _confidence(self, quotes: list[list[tuple]]) -> None:
        """A rating for three CMOCs in five; high only where two sources support it (W303)."""
        rng = self.rng
        sources: dict[str, set[str]] = {}
        for area in quotes:
            for q in area:
                if q[7]:
                    for cid in q[1]:
                        sources.setdefault(cid, set()).add(q[7])
        for cmoc in self.cmocs:
            if rng.random() >= P_CONFIDENCE:
                continue
            level = "high" if len(sources.get(cmoc.id, ())) >= 2 else _pick(rng, CONFIDENCE)
            components = ({k: rng.choice(CONCERNS) for k in (
                "methodological-limitations", "coherence", "adequacy", "relevance")}
                if rng.random() < P_COMPONENTS else None)
            cmoc.confidence = (level, f"Rated {level}, as {self._words(10)}.", components)

    def _concepts(self, concepts: list[_Concept], label: str) -> str:
        lines = [f"# Concepts first used by CMOCs on {label.lower()}.", "concepts:"]
        for c in concepts:
            lines += [f"  {c.id}:", f"    label: {c.label}",
                      "    description: " + "\n".join(_folded(c.description, 6))]
            if c.opposes:
                lines.append(f"    opposes: [{', '.join(c.opposes)}]")
            if c.tags:
                lines.append(f"    tags: [{', '.join(c.tags)}]")
        return "\n".join(lines) + "\n"

    def _cmocs(self, cmocs: list[_CMOC], label: str) -> str:
        def ids(values: list[str]) -> str:
            return values[0] if len(values) == 1 else f"[{', '.join(values)}]"

        lines = [f"# CMOCs on {label.lower()}.", "cmocs:"]
        for c in cmocs:
            lines += [f"  {c.id}:", f"    area: {self.areas[c.area][0]}",
                      "    statement: " + "\n".join(_folded(c.statement, 6)),
                      f"    context: {ids(c.context)}", f"    mechanism: {ids(c.mechanism)}",
                      f"    outcome: {ids(c.outcome)}"]
            for part in ("resource", "intervention", "actor"):
                if getattr(c, part):
                    lines.append(f"    {part}: {ids(getattr(c, part))}")
            if c.confidence:
                level, rationale, components = c.confidence
                lines += ["    confidence:", f"      level: {level}", f"      rationale: {rationale}"]
                if components:
                    lines.append("      components:")
                    lines += [f"        {k}: {v}" for k, v in components.items()]
            if c.status != "new":
                lines.append(f"    status: {c.status}")
            if c.refines:
                lines.append(f"    refines: [{', '.join(c.refines)}]")
        return "\n".join(lines) + "\n"

    def _evidence(self) -> list[list[tuple]]:
        """Per area: (id, supports, refutes, site, participant, wave, quote, source id or "")."""
        rng = self.rng
        out: list[list[tuple]] = [[] for _ in self.areas]
        previous: dict[int, _CMOC] = {}
        for cmoc in self.cmocs:
            for j in range(_pick(rng, QUOTES_PER_CMOC)):
                supports = [cmoc.id]
                earlier = previous.get(cmoc.area)
                if earlier is not None and rng.random() < P_SECOND_SUPPORT:
                    supports.append(earlier.id)
                refutes = [earlier.id] if earlier is not None and earlier.id not in supports \
                    and rng.random() < P_REFUTES else []
                site = rng.randrange(1, self.n_sites + 1)
                quote = "... " + self._words(rng.randrange(45, 65)) + " ..."
                source = f"src-{rng.randrange(1, self.n_sources + 1)}" \
                    if rng.random() < P_QUOTE_CITES_SOURCE else ""
                out[cmoc.area].append((
                    f"q-{cmoc.id.lower()}-{j + 1}", supports, refutes,
                    f"site-{site}", f"Site{site}P{rng.randrange(1, 40):02d}", _pick(rng, WAVES), quote,
                    source))
            previous[cmoc.area] = cmoc
        return out

    def _quotes(self, quotes: list[tuple], label: str) -> str:
        lines = [f"# Quotes on {label.lower()}.", "evidence:"]
        for qid, supports, refutes, site, participant, wave, quote, source in quotes:
            lines += [f"  {qid}:", "    quote: " + "\n".join(_folded(quote, 6)),
                      f"    participant: {participant}", f"    site: {site}", f"    wave: {wave}",
                      f"    supports: [{', '.join(supports)}]"]
            if refutes:
                lines.append(f"    refutes: [{', '.join(refutes)}]")
            lines.append(f"    source: {source}" if source else f"    source: \"Findings: {label}\"")
        return "\n".join(lines) + "\n"

    def _pathways(self) -> str:
        """Pathways follow chains: context, mechanism, outcome, the next CMOC's mechanism..."""
        rng = self.rng
        by_context: dict[str, list[_CMOC]] = {}
        for cmoc in self.cmocs:
            for c in cmoc.context:
                by_context.setdefault(c, []).append(cmoc)
        starts = [c for c in self.cmocs if any(o in by_context for o in c.outcome)] or self.cmocs
        lines = ["pathways:"]
        for p in range(1, max(3, self.n // 100) + 1):
            for _ in range(20):  # a chain that loops back on its first concept is too short: another
                cmoc = rng.choice(starts)
                steps = [cmoc.id] if rng.random() < 0.2 else [cmoc.context[0]]
                seen = set()
                while cmoc is not None and len(steps) < 7 and cmoc.id not in seen:
                    seen.add(cmoc.id)
                    steps += [cmoc.mechanism[0], cmoc.outcome[0]]
                    following = by_context.get(cmoc.outcome[0])
                    cmoc = rng.choice(following) if following else None
                steps = list(dict.fromkeys(steps))
                if len(steps) >= 3:
                    break
            lines += [f"  p{p}:", f"    label: Pathway {p}",
                      f"    description: Chain of {len(steps)} steps through the theory.",
                      f"    steps: [{', '.join(steps)}]"]
        return "\n".join(lines) + "\n"


def generate(n: int, out: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write a theory of ``n`` CMOCs into ``out`` (replaced whole, atomically); return it."""
    if n < 1:
        raise ValueError("a theory needs at least one CMOC")
    gen = _Generator(n, seed)
    gen.generate()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, text in gen.files().items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def theory_files_of(root: Path) -> list[Path]:
    """The YAML files of a generated theory."""
    return sorted(Path(root).rglob("*.yaml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cmocs", type=int, required=True, help="number of CMOCs")
    parser.add_argument("--out", required=True, help="theory directory to write (replaced)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.cmocs < 1:
        parser.error("--cmocs must be at least 1")
    generate(args.cmocs, args.out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
