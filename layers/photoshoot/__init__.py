"""Photoshoot domain package, shipped to every function as a Lambda layer."""
