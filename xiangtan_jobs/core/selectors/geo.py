"""Distances at city scale: a bounding box, then haversine."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Power

from xiangtan_jobs.core.models import JobPosting

# --- geography ------------------------------------------------------------------------------

KM_PER_DEGREE = 111.2


def km_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Equirectangular distance in km: exact enough at city scale, cheap enough for SQL."""
    dy = (lat2 - lat1) * KM_PER_DEGREE
    dx = (lng2 - lng1) * KM_PER_DEGREE * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def distance_sq_expr(lat: float, lng: float) -> Any:
    """Squared km from (lat, lng) as a database expression (orders like the distance)."""
    kx = KM_PER_DEGREE * math.cos(math.radians(lat))
    return Power((F("lat") - Value(lat)) * Value(KM_PER_DEGREE), 2) + Power((F("lng") - Value(lng)) * Value(kx), 2)


def within_km(qs: QuerySet[JobPosting], lat: float, lng: float, km: float) -> QuerySet[JobPosting]:
    """Postings within ``km`` of a point: a bounding box the (lat, lng) index serves, then the circle."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    qs = qs.filter(lat__gte=lat - dlat, lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng)
    return qs.alias(dist_sq=distance_sq_expr(lat, lng)).filter(dist_sq__lte=km * km)
