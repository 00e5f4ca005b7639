"""Thin handlers: parse the event, call one domain function in ``photoshoot``, shape the
answer. One module per function (API area, webhook, generation step)."""
