"""Test-wide environment: fake AWS credentials and local defaults, set before any
``photoshoot`` import (PynamoDB models read their table names at import time)."""
import os

_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "TABLE_PREFIX": "photoshoot-test-",
    "IMAGES_BUCKET": "photoshoot-test-images",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
for _key, _value in _DEFAULTS.items():
    os.environ[_key] = _value
# Unit tests run against in-process moto; never against a server left in the environment.
os.environ.pop("AWS_ENDPOINT_URL", None)
