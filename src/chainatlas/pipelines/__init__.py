"""Pipelines (分析流程): one module per question, from data to a report context.

A pipeline loads what it needs through :mod:`chainatlas.datasets`, runs the labelled analyses
of the domain packages and returns a **context**: a JSON-able dict built from the blocks of
:mod:`chainatlas.pipelines.blocks` (tables, figure specs, text, cards, notes, findings), which
:mod:`chainatlas.report`, the CLI, the web atlas and the service only render.

Modules
-------
* :mod:`~chainatlas.pipelines.blocks` — the context blocks and :func:`section`;
* :mod:`~chainatlas.pipelines.atlas` — :func:`build_context`, the atlas of one dataset spec,
  assembled from the section builders in :mod:`chainatlas.pipelines.sections`;
* :mod:`~chainatlas.pipelines.chains` — dependence, chokepoint and semiconductor payloads;
* :mod:`~chainatlas.pipelines.chain_gaps` — chain-gap view of a province (补链);
* :mod:`~chainatlas.pipelines.complexity` — complexity of registered trade and regional data;
* :mod:`~chainatlas.pipelines.ecosystems` — WIOD blocs, chain-KG ecosystem, Apple geography,
  the evolution Sankey figure.

Layering: pipelines may import the domain packages, :mod:`chainatlas.datasets` and the low
shared modules; never :mod:`chainatlas.report`, :mod:`chainatlas.cli`, ``web`` or ``service``
(``tests/test_layering.py``).
"""
