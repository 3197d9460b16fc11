"""Programme files: the items a programme measures and the words it uses.

A programme is a TOML file under ``data/programmes/``.  It is validated as
it is loaded and every problem is reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import ProgrammeError

PROGRAMME_DIR = Path(__file__).resolve().parent.parent / "data" / "programmes"
LEVELS = ("province", "league", "county", "township", "village")
MEASURES = ("count", "binary", "share")
FIELDS = ("target", "started", "completed")
STATUSES = ("done", "in_progress", "not_started", "na")
DEFAULT_LAGGING_BELOW = 80.0
# A register's units a rural programme covers: village committees (third code part
# 200–399: 村委会, 嘎查), not urban 居委会 (001–199); and farm townships with all
# under them (their units are numbered 400+ and run like villages).
DEFAULT_REGISTER = {"village_codes": [200, 399], "farm_words": ["农场", "牧场", "林场", "林业局"]}


@dataclass(frozen=True)
class Item:
    key: str
    zh: str
    short_zh: str
    en: str
    measure: str
    unit_zh: str
    unit_en: str
    weight: float
    headers: tuple[str, ...]
    # For a share item, the per cent that counts as done (参保率 95 % say).
    target_share: float = 100.0
    # A short English name for table headers and map titles; the full one otherwise.
    short_en: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.short_zh if lang == "zh" else (self.short_en or self.en)


@dataclass(frozen=True)
class LegendClass:
    """A half-open class [min, max) of completion per cent."""

    min: float
    max: float
    color: str

    def contains(self, pct: float) -> bool:
        return self.min <= pct < self.max

    def label(self) -> str:
        if math.isinf(self.max):
            return f"≥{self.min:g}%"
        return f"{self.min:g}–{self.max:g}%"


@dataclass(frozen=True)
class Milestone:
    date: dt.date
    zh: str
    en: str


@dataclass(frozen=True)
class Programme:
    key: str
    name_zh: str
    name_en: str
    start: dt.date
    end: dt.date
    reporting_interval_days: int
    levels: dict[str, dict[str, str]]
    fields: dict[str, tuple[str, ...]]
    status_words: dict[str, tuple[str, ...]]
    milestones: tuple[Milestone, ...]
    legend: tuple[LegendClass, ...]
    legend_special: dict[str, str]
    items: tuple[Item, ...]
    rules: dict = field(default_factory=dict)
    overrides: tuple[dict, ...] = ()
    # Below this per cent a unit is "lagging": labelled first on maps.
    lagging_below: float = DEFAULT_LAGGING_BELOW
    # Which units of a register (统计用区划代码) the programme covers.
    register: dict = field(default_factory=lambda: dict(DEFAULT_REGISTER))

    @property
    def has_exit_rules(self) -> bool:
        """Whether the programme tests households, villages and counties for exit
        (poverty_exit): its stores take household records and samples."""
        return "household" in self.rules

    @property
    def item_keys(self) -> list[str]:
        return [item.key for item in self.items]

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise ProgrammeError(reason="no_such_item", param="item", value=key,
                             programme=self.key, items=self.item_keys)

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def level_word(self, level: str, lang: str = "zh") -> str:
        return self.levels[lang][level]

    def legend_class(self, pct: float | None) -> LegendClass | None:
        """The legend class of a completion per cent; None for no value."""
        if pct is None or (isinstance(pct, float) and math.isnan(pct)):
            return None
        for cls in self.legend:
            if cls.contains(pct):
                return cls
        return None

    def next_milestone(self, on: dt.date) -> Milestone | None:
        """The first milestone on or after ``on``."""
        return next((m for m in self.milestones if m.date >= on), None)

    def status_of(self, word) -> str | None:
        """The status a ledger word means, or None if it means nothing known."""
        text = str(word).strip()
        for status, words in self.status_words.items():
            if text in words:
                return status
        return None

    def rules_for(self, region_code: str) -> dict:
        """The exit rules with every override whose region contains the code.

        Overrides apply from the broadest region to the narrowest, so a
        county's own line wins over its province's.
        """
        rules = {level: dict(values) for level, values in self.rules.items()}
        matching = [
            (max(len(r) for r in o["regions"] if region_code.startswith(r)), o)
            for o in self.overrides
            if any(region_code.startswith(r) for r in o["regions"])
        ]
        for _, override in sorted(matching, key=lambda pair: pair[0]):
            for level, values in override.items():
                if isinstance(values, dict):
                    rules.setdefault(level, {}).update(values)
        return rules


def available_programmes() -> list[str]:
    return sorted(path.stem for path in PROGRAMME_DIR.glob("*.toml"))


def load_programme(key_or_path: str | Path) -> Programme:
    """Load and validate a programme by key (``ten_full_coverage``) or path.

    Raises
    ------
    ProgrammeError
        Naming the file and every problem in it.
    """
    path = Path(key_or_path)
    if path.suffix != ".toml":
        path = PROGRAMME_DIR / f"{key_or_path}.toml"
    if not path.exists():
        raise ProgrammeError(reason="no_programme", param="programme", value=str(key_or_path),
                             available=available_programmes())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError(f"{path}: not valid TOML: {exc}") from None
    problems = _validate(raw)
    if problems:
        raise ProgrammeError(
            f"{path}: {len(problems)} problem(s): " + "; ".join(problems)
        )
    return _build(raw)


def _validate(raw: dict) -> list[str]:
    problems = []
    for key in ("key", "name_zh", "name_en", "start", "end",
                "reporting_interval_days", "levels", "fields",
                "status_words", "milestones", "legend", "items"):
        if key not in raw:
            problems.append(f"missing {key!r}")
    for lang in ("zh", "en"):
        missing = set(LEVELS) - set(raw.get("levels", {}).get(lang, {}))
        if missing:
            problems.append(f"levels.{lang} lacks {sorted(missing)}")
    missing = set(FIELDS) - set(raw.get("fields", {}))
    if missing:
        problems.append(f"fields lacks {sorted(missing)}")
    missing = set(STATUSES) - set(raw.get("status_words", {}))
    if missing:
        problems.append(f"status_words lacks {sorted(missing)}")
    keys = []
    for n, item in enumerate(raw.get("items", []), start=1):
        for key in ("key", "zh", "short_zh", "en", "measure", "unit_zh",
                    "unit_en", "weight", "headers"):
            if key not in item:
                problems.append(f"item {n} lacks {key!r}")
        if item.get("measure") not in MEASURES:
            problems.append(
                f"item {item.get('key', n)!r}: measure {item.get('measure')!r} "
                f"is not one of {', '.join(MEASURES)}"
            )
        if not isinstance(item.get("weight", 0), (int, float)) or item.get("weight", 0) < 0:
            problems.append(f"item {item.get('key', n)!r}: weight must be a number ≥ 0")
        share = item.get("target_share", 100)
        if not isinstance(share, (int, float)) or not 0 < share <= 100:
            problems.append(f"item {item.get('key', n)!r}: target_share must be in (0, 100]")
        keys.append(item.get("key"))
    if len(set(keys)) != len(keys):
        problems.append("item keys repeat")
    legend = raw.get("legend", [])
    for before, after in zip(legend, legend[1:]):
        if before.get("max") != after.get("min"):
            problems.append(
                f"legend classes must meet: a class ends at {before.get('max')} "
                f"and the next starts at {after.get('min')}"
            )
    if legend and legend[0].get("min") != 0:
        problems.append("the first legend class must start at 0")
    lagging = raw.get("lagging_below", DEFAULT_LAGGING_BELOW)
    if not isinstance(lagging, (int, float)) or not 0 < lagging <= 100:
        problems.append(f"lagging_below must be a per cent in (0, 100], not {lagging!r}")
    for m in raw.get("milestones", []):
        if not isinstance(m.get("date"), dt.date):
            problems.append(f"milestone {m!r} needs a date (YYYY-MM-DD)")
    return problems


def _build(raw: dict) -> Programme:
    items = tuple(
        Item(
            key=i["key"], zh=i["zh"], short_zh=i["short_zh"], en=i["en"],
            measure=i["measure"], unit_zh=i["unit_zh"], unit_en=i["unit_en"],
            weight=float(i["weight"]), headers=tuple(i["headers"]),
            target_share=float(i.get("target_share", 100)),
            short_en=str(i.get("short_en", "")),
        )
        for i in raw["items"]
    )
    legend = tuple(
        LegendClass(float(c["min"]), float(c.get("max", math.inf)), c["color"])
        for c in raw["legend"]
    )
    milestones = tuple(sorted(
        (Milestone(m["date"], m["zh"], m["en"]) for m in raw["milestones"]),
        key=lambda m: m.date,
    ))
    return Programme(
        key=raw["key"], name_zh=raw["name_zh"], name_en=raw["name_en"],
        start=raw["start"], end=raw["end"],
        reporting_interval_days=int(raw["reporting_interval_days"]),
        levels={lang: dict(words) for lang, words in raw["levels"].items()},
        fields={k: tuple(v) for k, v in raw["fields"].items()},
        status_words={k: tuple(str(w) for w in v) for k, v in raw["status_words"].items()},
        milestones=milestones, legend=legend,
        legend_special=dict(raw.get("legend_special", {})),
        items=items, rules=raw.get("rules", {}),
        overrides=tuple(raw.get("overrides", [])),
        lagging_below=float(raw.get("lagging_below", DEFAULT_LAGGING_BELOW)),
        register={**DEFAULT_REGISTER, **raw.get("register", {})},
    )
