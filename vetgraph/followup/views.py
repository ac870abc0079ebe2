"""The follow-up report's view model: typed dataclasses with English names; the Swedish is in the templates."""

from __future__ import annotations

from dataclasses import dataclass

from vetgraph.followup.fulfilment import GoalFollowUp, RollUp, Status
from vetgraph.html import Markup


@dataclass(frozen=True)
class Figures:
    goals: int
    committees: int
    sub_strategies: int
    sub_strategies_total: int
    sdg_goals: int
    sdg_goals_total: int
    rus_areas: int
    rus_areas_total: int
    challenges: int
    challenges_total: int


@dataclass(frozen=True)
class DirectionRow:
    name: str
    sub_strategies: int
    touched: int
    goals: int
    committees: int


@dataclass(frozen=True)
class CoverageRow:
    direction: str
    perspective: str
    sub_strategy: str
    goals: int
    committees: int


@dataclass(frozen=True)
class ProposedSdg:
    sub_strategy: str
    sdg_goal: str
    goals: int


@dataclass(frozen=True)
class RusRow:
    area: str
    committee: str
    goals: int


@dataclass(frozen=True)
class GoalEntry:
    committee: str
    title: str
    iri: str = ""


@dataclass(frozen=True)
class HeatCell:
    value: int
    background: str
    colour: str


@dataclass(frozen=True)
class HeatRow:
    sub_strategy: str
    cells: list[HeatCell]


@dataclass(frozen=True)
class CommitteeGoal:
    title: str
    links: dict[str, list[str]]  # kind of link ("delstrategi", "Agenda 2030" ...) -> names


@dataclass(frozen=True)
class QualityRow:
    goal: str
    title: str
    value: str  # the perspective or KF-mål that is off


@dataclass(frozen=True)
class ReportView:
    """Everything the report shows, ready for the templates (HTML and Markdown)."""

    title: str
    strategy: dict[str, str]  # the strategy's title by language, for the pages' headers and footers
    period_label: str
    sample_data: bool
    generated: str
    version: str
    figures: Figures
    directions: list[DirectionRow]
    direction_chart: Markup
    perspective_chart: Markup
    coverage: list[CoverageRow]
    sdg_chart: Markup
    sdg_untouched: list[str]
    sdg_per_committee: list[tuple[str, int]]
    sdg_proposed: list[ProposedSdg]
    rus_chart: Markup
    rus_rows: list[RusRow]
    perspectives: dict[str, list[GoalEntry]]
    challenges: dict[str, list[GoalEntry]]
    heat_columns: list[str]
    heat_rows: list[HeatRow]
    per_committee: dict[str, dict[str, CommitteeGoal]]
    quality_perspective: list[QualityRow]
    quality_council_goal: list[QualityRow]
    # follow-up that measures (issue 10)
    statuses: tuple[Status, ...]
    status_counts: list[int]  # goals per status, in the order of statuses
    roll_ups: list[RollUp]  # per committee, KF-mål, riktning, perspective, RUS area
    sdg_roll_up: RollUp
    council_goals: RollUp
    follow_up: dict[str, list[GoalFollowUp]]  # committee name -> its goals
    committee_pages: dict[str, str]  # committee name -> the file of its page, relative to the report
    target_texts: dict[str, str]  # Agenda 2030 target name ("Delmål 3.4") -> the UN's English text
    expanded: bool = False  # every collapsed part open: the printable (PDF) version
