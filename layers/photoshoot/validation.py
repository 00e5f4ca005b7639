"""Reading fields of a JSON request body. JSON can hand over a list, a number or an object
where a form sends text; ``str()`` of those would be stored (and paid for) as if the seller
had typed ``['розовый фон']``, so a field that must be text refuses anything else."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from photoshoot.errors import ValidationFailed


def text_field(value: object, wrong_type_message: str) -> str:
    """``value`` as text with its runs of whitespace made single spaces; "" for null/absent."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(wrong_type_message)
    return " ".join(value.split())


def refuse_unknown_fields(body: Mapping, known: Iterable[str]) -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise ValidationFailed("Неизвестные поля: " + ", ".join(unknown) + ".",
                               details={"fields": unknown})
