"""HTML rendering and downloads of the web atlas (页面渲染): jinja2 templates over contexts.

The renderer formats what a page's context holds — it never computes results. Table downloads
go through :mod:`chainatlas.report.export`, the same code path as the CLI's ``--format csv|xlsx``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import Response

from chainatlas.report.export import context_tables, render_csv, render_xlsx
from chainatlas.report.labels import display_label
from chainatlas.report.render import format_number
from chainatlas.web.pages import Page, ParamError

__all__ = ["Renderer"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tojson_safe(value: Any) -> str:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
    )


def _numbered(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections with each table block numbered in page order (the download URL's N)."""
    n = 0
    out = []
    for sec in ctx.get("sections", []):
        blocks = []
        for b in sec.get("blocks", []):
            if isinstance(b, dict) and b.get("kind") == "table":
                b = {**b, "_n": n}
                n += 1
            blocks.append(b)
        out.append({**sec, "blocks": blocks})
    return out


class Renderer:
    """Renders pages, the home page, the progress page, error pages and table downloads."""

    def __init__(self) -> None:
        import jinja2

        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("chainatlas.web", "templates"),
            autoescape=jinja2.select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["num"] = format_number
        self.env.filters["label"] = lambda c: display_label(str(c)) if c else ""
        self.env.filters["tojson_safe"] = _tojson_safe
        self.env.globals["qs"] = lambda params, **more: urlencode({**params, **more})

    def _base(self, lang: str) -> dict[str, Any]:
        from chainatlas import __version__
        from chainatlas.web.pages import available_pages

        return {"lang": lang, "nav": available_pages(), "version": __version__}

    def page(self, pg: Page, params: dict[str, str], lang: str, ctx: dict[str, Any]) -> str:
        """The HTML of a page from its context."""
        choices = {p.name: (p.choices() if p.choices else []) for p in pg.params}
        return self.env.get_template("page.html.j2").render(
            **self._base(lang),
            page=pg,
            params=params,
            choices=choices,
            ctx=ctx,
            sections=_numbered(ctx),
        )

    def home(self, pages: list[Page], lang: str) -> str:
        return self.env.get_template("home.html.j2").render(
            **self._base(lang), pages=pages, params={}
        )

    def progress(
        self, pg: Page, params: dict[str, str], lang: str, key: str, status: dict[str, Any]
    ) -> str:
        return self.env.get_template("progress.html.j2").render(
            **self._base(lang), page=pg, params=params, key=key, status=status
        )

    def error(self, status: int, kind: str, message: str) -> str:
        return self.env.get_template("error.html.j2").render(
            **self._base("both"), status=status, kind=kind, message=message, params={}
        )

    def page_info(self, pg: Page) -> dict[str, Any]:
        return {
            "slug": pg.slug,
            "title": {"zh": pg.title_zh, "en": pg.title_en},
            "about": {"zh": pg.about_zh, "en": pg.about_en},
            "html": f"/{pg.slug}",
            "api": f"/api/{pg.slug}",
            "params": [
                {
                    "name": p.name,
                    "default": p.default,
                    "label": {"zh": p.label_zh, "en": p.label_en},
                    "choices": p.choices() if p.choices else None,
                }
                for p in pg.params
            ],
        }

    def download(
        self, pg: Page, params: dict[str, str], ctx: dict[str, Any], n: int, ext: str
    ) -> Response:
        """Table `n` of the context as CSV/xlsx (``n = -1``: every table in one workbook)."""
        tables = context_tables(ctx)
        stem = "-".join([pg.slug, *(v.replace(":", "_") for v in params.values())])
        if n == -1:
            notes = [(k, v) for k, v in params.items()]
            notes += [
                (d.get("name", ""), d.get("licence", "")) if isinstance(d, dict) else (str(d), "")
                for d in ctx.get("datasets", [])
            ]
            data = render_xlsx(tables, title=ctx.get("title"), notes=notes)
            return self._file(data, f"{stem}.xlsx", XLSX_TYPE)
        if not 0 <= n < len(tables):
            raise ParamError(
                f"no table {n} on page {pg.slug}",
                received=n,
                fix=f"tables are numbered 0..{len(tables) - 1}",
            )
        table = tables[n]
        if ext == "csv":
            return self._file(render_csv(table), f"{stem}-table{n}.csv", "text/csv; charset=utf-8")
        notes = [(k, v) for k, v in params.items()]
        data = render_xlsx([table], title=ctx.get("title"), notes=notes)
        return self._file(data, f"{stem}-table{n}.xlsx", XLSX_TYPE)

    @staticmethod
    def _file(data: bytes, name: str, media: str) -> Response:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{safe}"'},
        )
