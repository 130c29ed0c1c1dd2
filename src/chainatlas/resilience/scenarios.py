"""Shock scenarios (冲击情景) read from YAML or JSON files: validated, unknown keys refused.

A scenario file names one model and its shocks. Percentages are in percent (30 = 30 %).

.. code-block:: yaml

    name: JPN electrical and optical equipment, -30 % capacity for 90 days
    model: ario                    # leontief | ghosh | extraction | ario
    table: wiod-2013:2011          # optional default table
    events:
      - economy: JPN
        sector: c14
        capacity_loss_pct: 30
        start_day: 5
        duration_days: 90
    simulate_days: 365

Examples
--------
>>> s = parse_scenario({"model": "leontief", "demand_changes": [
...     {"economy": "CHN", "sector": "c14", "change_pct": -10}]})
>>> s.model, s.demand_changes[0].change_pct
('leontief', -10.0)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from chainatlas._yaml import YAMLInputError, load_yaml
from chainatlas.errors import ScenarioError

__all__ = [
    "Change",
    "Target",
    "ARIOEvent",
    "ARIOParameters",
    "LeontiefScenario",
    "GhoshScenario",
    "ExtractionScenario",
    "ARIOScenario",
    "ExportControlScenario",
    "MAX_SIMULATE_DAYS",
    "Scenario",
    "parse_scenario",
    "read_scenario",
]


#: Longest simulation accepted (days): ten years of daily steps.
MAX_SIMULATE_DAYS = 3650


class _Strict(BaseModel):
    """Unknown keys refused; numbers must be numbers (no booleans, no strings), finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Target(_Strict):
    """An economy, an economy-sector, or one sector in every economy (economy omitted)."""

    economy: str | None = None
    sector: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Target:
        if self.economy is None and self.sector is None:
            raise ValueError("give an economy, a sector, or both")
        return self


class Change(Target):
    """A change in final demand (Leontief) or primary inputs (Ghosh) of a target.

    Give ``change_pct`` (percent of the current value, ≥ −100) or ``amount`` (table unit).
    """

    change_pct: float | None = Field(default=None, ge=-100.0)
    amount: float | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Change:
        if (self.change_pct is None) == (self.amount is None):
            raise ValueError("give exactly one of change_pct or amount")
        return self


class LeontiefScenario(_Strict):
    """Demand-driven shock: Δx = L Δf."""

    model: Literal["leontief"]
    name: str = "Leontief demand shock"
    table: str | None = None
    demand_changes: list[Change] = Field(min_length=1)


class GhoshScenario(_Strict):
    """Supply-driven shock: Δxᵀ = Δvᵀ G (primary inputs change)."""

    model: Literal["ghosh"]
    name: str = "Ghosh supply shock"
    table: str | None = None
    input_changes: list[Change] = Field(min_length=1)


class ExtractionScenario(_Strict):
    """Hypothetical extraction of economies, economy-sectors or a group of them."""

    model: Literal["extraction"]
    name: str = "Hypothetical extraction"
    table: str | None = None
    extract: list[Target] = Field(min_length=1)


class ARIOEvent(_Strict):
    """A production-capacity loss of one economy-sector (or economy) for some days."""

    economy: str
    sector: str | None = None
    capacity_loss_pct: float = Field(gt=0.0, le=100.0)
    start_day: int = Field(default=5, ge=1)
    duration_days: int = Field(ge=1)
    recovery_days: int = Field(default=1, ge=1)


class ARIOParameters(_Strict):
    """BoARIO model parameters (defaults: Hallegatte 2014; Guan et al. 2020; BoARIO's defaults)."""

    alpha_max: float = Field(default=1.25, ge=1.0)
    alpha_tau: int = Field(default=365, ge=1)
    rebuild_tau: int = Field(default=60, ge=1)
    main_inv_dur: int = Field(default=90, ge=1)
    order_type: Literal["alt", "noalt"] = "alt"
    psi: float | None = Field(default=0.8, ge=0.0, le=1.0)
    inventory_restoration_tau: int = Field(default=60, ge=1)
    monetary_factor: int = Field(default=10**6, ge=1)
    negative_final_demand: Literal["raise", "clip"] = "raise"


class ARIOScenario(_Strict):
    """Dynamic disruption with BoARIO's ARIO model."""

    model: Literal["ario"]
    name: str = "ARIO disruption"
    table: str | None = None
    events: list[ARIOEvent] = Field(default_factory=list)
    simulate_days: int = Field(default=365, ge=2, le=MAX_SIMULATE_DAYS)
    parameters: ARIOParameters = Field(default_factory=ARIOParameters)
    engine: Literal["kernel", "boario"] = "kernel"

    @model_validator(mode="after")
    def _fits(self) -> ARIOScenario:
        for ev in self.events:
            if ev.start_day + ev.duration_days >= self.simulate_days:
                raise ValueError(
                    f"event {ev.economy}/{ev.sector} ends on day {ev.start_day + ev.duration_days}, "
                    f"not before simulate_days={self.simulate_days}"
                )
        return self


class ExportControlScenario(_Strict):
    """Export control (断供情景): a coalition stops selling sectors to a target economy.

    Economies in ``coalition`` stop selling ``sectors`` to ``target`` (intermediate and final
    use), fully (``cut_pct: 100``) or in part, from ``start_day`` for ``duration_days`` (the
    dynamic model; the static models are annual). ``substitution``: ``none``; ``own_sector``
    (the target's own sector replaces the cut within spare capacity); ``other_foreign`` (other
    foreign suppliers of the sector replace it in proportion to their shares, within spare
    capacity). Spare capacity = (alpha_max − 1) × output, ARIO's overproduction limit.
    """

    model: Literal["export_control"]
    name: str = "Export control"
    table: str | None = None
    target: str
    coalition: list[str] = Field(min_length=1)
    sectors: list[str] = Field(min_length=1)
    cut_pct: float = Field(default=100.0, gt=0.0, le=100.0)
    substitution: Literal["none", "own_sector", "other_foreign"] = "none"
    start_day: int = Field(default=5, ge=1)
    duration_days: int = Field(default=90, ge=1)
    simulate_days: int = Field(default=365, ge=2, le=MAX_SIMULATE_DAYS)
    parameters: ARIOParameters = Field(default_factory=ARIOParameters)

    @model_validator(mode="after")
    def _consistent(self) -> ExportControlScenario:
        upper = [c.upper() for c in self.coalition]
        if self.target.upper() in upper:
            raise ValueError(
                f"the target economy {self.target} is inside its own coalition {self.coalition}: "
                "an economy cannot impose an export control on itself"
            )
        if len(set(upper)) != len(upper):
            raise ValueError(f"coalition lists an economy twice: {self.coalition}")
        if len(set(self.sectors)) != len(self.sectors):
            raise ValueError(f"sectors lists a sector twice: {self.sectors}")
        if self.start_day + self.duration_days >= self.simulate_days:
            raise ValueError(
                f"the cut ends on day {self.start_day + self.duration_days}, not before "
                f"simulate_days={self.simulate_days}"
            )
        return self


Scenario = Annotated[
    LeontiefScenario | GhoshScenario | ExtractionScenario | ARIOScenario | ExportControlScenario,
    Field(discriminator="model"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Scenario)


def parse_scenario(data: dict[str, Any], *, source: str = "scenario") -> Any:
    """Validate a scenario dict.

    Raises
    ------
    ScenarioError
        Unknown keys, a missing or unknown model, or values out of range (e.g. a capacity loss
        below 0 or above 100 %, negative durations). The message lists every problem.
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario must be a mapping", received=type(data).__name__)
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as err:
        problems = []
        tags = {"leontief", "ghosh", "extraction", "ario", "export_control"}
        for e in err.errors():
            parts = list(e["loc"])
            if parts and parts[0] in tags:  # drop the discriminator tag pydantic adds
                parts = parts[1:]
            loc = ".".join(str(p) for p in parts)
            msg = e["msg"]
            if e["type"] == "extra_forbidden":
                msg = "unknown key"
            problems.append(f"{loc}: {msg}" if loc else msg)
        raise ScenarioError(
            f"invalid {source}: " + "; ".join(problems),
            received={k: data[k] for k in list(data)[:6]},
            fix="see docs/shocks.md for the scenario keys of each model "
            "(leontief, ghosh, extraction, ario, export_control); percentages are in percent; "
            "numbers must be plain numbers (not true/false or quoted)",
        ) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ScenarioError(
                f"duplicate key {k!r} in a JSON scenario",
                received=k,
                fix="give each key once (the second value would silently replace the first)",
            )
        out[k] = v
    return out


def read_scenario(path: str | Path) -> Any:
    """Read and validate a YAML (.yaml/.yml) or JSON (.json) scenario file.

    Raises
    ------
    ScenarioError
        Unreadable file, bad syntax, or an invalid scenario.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            f"cannot read scenario file {p}",
            received=f"{type(err).__name__}: {err}",
            fix="give a UTF-8 text file in YAML (.yaml/.yml) or JSON (.json)",
        ) from None
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        else:
            data = load_yaml(text, source=f"scenario file {p.name}")
    except json.JSONDecodeError as err:
        raise ScenarioError(
            f"scenario file {p} is not valid JSON", received=str(err).splitlines()[0]
        ) from None
    except YAMLInputError as err:
        raise ScenarioError(err.problem, received=err.received, fix=err.fix) from None
    return parse_scenario(data, source=f"scenario file {p.name}")
