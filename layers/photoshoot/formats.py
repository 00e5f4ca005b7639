"""Output formats a seller can order; sizes are exact pixels of the delivered images."""
from __future__ import annotations

from dataclasses import dataclass

from photoshoot.errors import ValidationFailed


@dataclass(frozen=True)
class OutputFormat:
    format_id: str
    title: str
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height


FORMATS: dict[str, OutputFormat] = {
    f.format_id: f
    for f in (
        OutputFormat("1:1", "Квадрат 1:1", 1024, 1024),
        OutputFormat("3:4", "Карточка маркетплейса 3:4 (900×1200)", 900, 1200),
        OutputFormat("3:4-hd", "Карточка 3:4 в высоком разрешении (1200×1600)", 1200, 1600),
        OutputFormat("4:5", "Лента 4:5 (1080×1350)", 1080, 1350),
        OutputFormat("16:9", "Баннер 16:9 (1600×900)", 1600, 900),
    )
}
DEFAULT_FORMAT = "1:1"


def get_format(format_id: str | None) -> OutputFormat:
    if format_id is not None and not isinstance(format_id, str):  # JSON gave a list, a number…
        fmt = None
    else:
        fmt = FORMATS.get(format_id or DEFAULT_FORMAT)
    if fmt is None:
        raise ValidationFailed("Такого формата нет. Выберите один из: "
                               + ", ".join(FORMATS) + ".")
    return fmt
