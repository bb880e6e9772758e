"""A district's boundary as GeoJSON: what an upload must be before it is kept (RFC 7946, longitude/latitude)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_POINTS = 200_000  # a district outline needs thousands, not millions: the map page carries it whole
AREA_TYPES = ("Polygon", "MultiPolygon")


def _ring(ring, counter):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of a polygon needs at least four positions."))
    for position in ring:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])):
            raise ValidationError(_("A position is a pair of numbers: longitude, latitude."))
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("A position lies outside longitude −180…180 or latitude −90…90."))
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(_("A ring of a polygon must end where it starts."))
    counter[0] += len(ring)
    if counter[0] > MAX_POINTS:
        raise ValidationError(_("The boundary has more than %(n)s positions; simplify it first.") % {"n": MAX_POINTS})


def _geometry(geometry, counter):
    if not isinstance(geometry, dict) or geometry.get("type") not in AREA_TYPES:
        raise ValidationError(_("The boundary's geometry must be a Polygon or a MultiPolygon."))
    polygons = geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The geometry has no coordinates."))
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The geometry has no coordinates."))
        for ring in polygon:
            _ring(ring, counter)


def validate_boundary(value) -> None:
    """Accept a FeatureCollection, a Feature or a bare Polygon/MultiPolygon; refuse anything else with a message."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationError(_("The boundary must be a GeoJSON object."))
    counter = [0]
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("The feature collection has no features."))
        for feature in features:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValidationError(_("Every member of the collection must be a Feature."))
            _geometry(feature.get("geometry"), counter)
    elif kind == "Feature":
        _geometry(value.get("geometry"), counter)
    elif kind in AREA_TYPES:
        _geometry(value, counter)
    else:
        raise ValidationError(_("The boundary must be a GeoJSON FeatureCollection, Feature, Polygon or MultiPolygon."))


def as_feature_collection(value) -> dict | None:
    """The boundary as a FeatureCollection (what ECharts' registerMap takes)."""
    if value is None:
        return None
    if value.get("type") == "FeatureCollection":
        return value
    if value.get("type") == "Feature":
        return {"type": "FeatureCollection", "features": [value]}
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": value}]}
