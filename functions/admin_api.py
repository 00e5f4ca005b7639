"""Admin API: funnel statistics, catalogue editing and orders flagged for review. Every call
is checked for admin rights first (403 with a Russian message otherwise); the JWT authorizer
already answered 401."""
from __future__ import annotations

from functions.http import current_user_id, json_response, read_json
from photoshoot.admin import catalogue as admin_catalogue
from photoshoot.admin.access import require_admin
from photoshoot.admin.flagged_orders import list_flagged_orders
from photoshoot.analytics import counters, stats


def _admin(request) -> str:
    return require_admin(current_user_id(request))


def get_stats(request) -> dict:
    _admin(request)
    query = request.query_params or {}
    start, end = stats.parse_range(query.get("from"), query.get("to"),
                                   today=counters.business_date())
    return stats.funnel_stats(start, end)


def list_packages(request) -> dict:
    _admin(request)
    return {"items": admin_catalogue.list_packages()}


def create_package(request):
    admin_id = _admin(request)
    return json_response(admin_catalogue.create_package(read_json(request), admin_id=admin_id),
                         status=201)


def update_package(request, package_id: str) -> dict:
    admin_id = _admin(request)
    return admin_catalogue.update_package(package_id, read_json(request), admin_id=admin_id)


def list_styles(request) -> dict:
    _admin(request)
    return {"items": admin_catalogue.list_styles()}


def create_style(request):
    admin_id = _admin(request)
    return json_response(admin_catalogue.create_style(read_json(request), admin_id=admin_id),
                         status=201)


def update_style(request, style_id: str) -> dict:
    admin_id = _admin(request)
    return admin_catalogue.update_style(style_id, read_json(request), admin_id=admin_id)


def list_flagged(request) -> dict:
    _admin(request)
    return list_flagged_orders((request.query_params or {}).get("cursor"))
