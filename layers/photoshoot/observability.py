"""Structured JSON logs (Powertools Logger). Never log secrets, tokens or codes."""
from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="photoshoot")
