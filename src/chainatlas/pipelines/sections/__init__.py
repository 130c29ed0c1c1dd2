"""Report-section builders of the atlas (报告章节): one module per topic.

Each module listed in :data:`chainatlas.pipelines.atlas.SECTION_BUILDERS` defines

* ``ORDER: int`` — position in the report (lower first);
* ``applies(obj, spec) -> bool``;
* ``sections(obj, spec, step) -> list[dict]`` where ``step(message)`` reports progress;

and declares the datasets each section draws on in the section's ``datasets`` list.
"""
