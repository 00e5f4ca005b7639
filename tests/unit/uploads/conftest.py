from tests.unit.generation.conftest import pipeline, pushes  # noqa: F401 - shared fixtures
