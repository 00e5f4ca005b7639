"""Generations API: create (charge + start), read, history, cancel, delete, ZIP archive."""
from __future__ import annotations

from functions.http import current_user_id, json_response, read_json


def create_generation(request):
    from photoshoot.generation.create import create_generation as create  # noqa: PLC0415

    return json_response(create(current_user_id(request), read_json(request)), status=202)


def get_generation(request, generation_id: str) -> dict:
    from photoshoot.generation import records  # noqa: PLC0415
    from photoshoot.generation.reconcile import settle_never_started  # noqa: PLC0415

    # Consistent: the SPA reads right after the create (an eventually consistent read could
    # still miss the item: a 404 for a running photoshoot) and polls while its socket is down
    # (a stale state would move the progress back).
    generation = records.get_generation(current_user_id(request), generation_id,
                                        consistent=True)
    return records.generation_to_dict(settle_never_started(generation))


def list_generations(request) -> dict:
    from photoshoot.generation.history import list_generations as history  # noqa: PLC0415

    return history(current_user_id(request), dict(request.query_params or {}))


def cancel_generation(request, generation_id: str) -> dict:
    from photoshoot.generation.cancel import cancel_generation as cancel  # noqa: PLC0415

    return cancel(current_user_id(request), generation_id)


def delete_generation(request, generation_id: str):
    from photoshoot.generation.cancel import delete_generation as delete  # noqa: PLC0415

    delete(current_user_id(request), generation_id)
    return json_response({"deleted": True, "generation_id": generation_id.upper()})


def archive(request, generation_id: str) -> dict:
    from photoshoot.generation.results import archive_url  # noqa: PLC0415

    return archive_url(current_user_id(request), generation_id)
