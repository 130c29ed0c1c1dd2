"""chainatlas.geo: province codes, names, regions and offline geometry."""

from __future__ import annotations

import json

import pytest

from chainatlas import geo
from chainatlas.errors import UnknownCodeError


def test_31_provinces_and_regions() -> None:
    p = geo.provinces()
    assert len(p) == 31 and p.index.is_unique and p["gb2260"].is_unique
    # NBS four economic regions: 10 east, 6 central, 12 west, 3 northeast
    assert p["region_zh"].value_counts().to_dict() == {"西部": 12, "东部": 10, "中部": 6, "东北": 3}
    tiles = {(r, c) for r, c in zip(p["tile_row"], p["tile_col"], strict=True)}
    tiles |= {(t[3], t[4]) for t in geo.EXTRA_TILES}
    assert len(tiles) == 31 + len(geo.EXTRA_TILES)


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("北京", "BEJ"),
        ("北京市", "BEJ"),
        ("11", "BEJ"),
        (110000, "BEJ"),
        ("beijing", "BEJ"),
        ("深圳", "GUD"),
        ("内蒙", "NMG"),
        ("Inner Mongolia", "NMG"),
        ("XIZ", "XIZ"),
        ("新疆维吾尔自治区", "XIN"),
        ("青岛", "SHD"),
    ],
)
def test_lookup(key: object, code: str) -> None:
    assert geo.to_province_code(key) == code
    assert geo.province_lookup(key)["io_code"] == code


def test_unknown_province() -> None:
    with pytest.raises(UnknownCodeError, match="unknown province 'Atlantis'"):
        geo.province_lookup("Atlantis")


def test_geojson_from_folder(tmp_path, monkeypatch) -> None:
    land = tmp_path / "land"
    land.mkdir()
    (tmp_path / "maritime").mkdir()
    square = [[[[116.0, 39.0], [117.0, 39.0], [117.0, 40.0], [116.0, 40.0], [116.0, 39.0]]]]
    (land / "110000.geojson").write_text(
        json.dumps({"type": "MultiPolygon", "coordinates": square})
    )
    tiny = [[[[113.55, 22.16], [113.56, 22.16], [113.56, 22.17], [113.55, 22.17], [113.55, 22.16]]]]
    (land / "820000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": tiny}))
    (tmp_path / "maritime" / "100000.geojson").write_text(
        json.dumps(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": [[[110, 10], [111, 11]]]},
            }
        )
    )
    gj = geo.province_geojson(root=tmp_path, step=0.5)
    # Macao is smaller than the grid step: kept with a finer step, drawn as part of China
    assert [f["id"] for f in gj["features"]] == ["BEJ", "MAC"]
    assert gj["features"][0]["geometry"]["coordinates"][0][0][0] == [116.0, 39.0]
    assert gj["maritime"] == [[[110, 10], [111, 11]]]
    monkeypatch.setattr(geo, "has_official_geometry", lambda: False)
    with pytest.raises(UnknownCodeError, match="no offline China province geometry"):
        geo.province_geojson()
