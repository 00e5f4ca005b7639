import pytest

from photoshoot.providers.studio.specimens import specimen_set


@pytest.fixture(scope="session")
def specimens():
    return specimen_set(0)


@pytest.fixture(scope="session")
def analysed(specimens):
    """(analysis, cut-out) of the plain bottle, jar, box and shoe, computed once per session."""
    from PIL import Image

    from photoshoot.providers.studio.provider import StudioProvider
    provider = StudioProvider()
    out = {}
    for s in specimens:
        if s.background == "plain" and s.kind in ("bottle", "jar", "box", "shoe"):
            out[s.kind] = provider.analyze(Image.fromarray(s.image))
    return out
