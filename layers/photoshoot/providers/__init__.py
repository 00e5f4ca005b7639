"""Generation providers: one contract, an embedded studio renderer and remote AI services.

Import ``photoshoot.providers.registry`` to pick a provider by configuration; this package
itself imports nothing heavy.
"""
