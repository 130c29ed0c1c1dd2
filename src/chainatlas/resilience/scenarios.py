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
    "Scenario",
    "parse_scenario",
    "read_scenario",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    simulate_days: int = Field(default=365, ge=2)
    parameters: ARIOParameters = Field(default_factory=ARIOParameters)

    @model_validator(mode="after")
    def _fits(self) -> ARIOScenario:
        for ev in self.events:
            if ev.start_day + ev.duration_days >= self.simulate_days:
                raise ValueError(
                    f"event {ev.economy}/{ev.sector} ends on day {ev.start_day + ev.duration_days}, "
                    f"not before simulate_days={self.simulate_days}"
                )
        return self


Scenario = Annotated[
    LeontiefScenario | GhoshScenario | ExtractionScenario | ARIOScenario,
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
        tags = {"leontief", "ghosh", "extraction", "ario"}
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
            "(leontief, ghosh, extraction, ario); percentages are in percent",
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
