"""The build's "now": SOURCE_DATE_EPOCH when set, so that builds are reproducible; else the clock."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timezone

from .errors import ConfigError


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'.") from None
    return datetime.fromtimestamp(time.time(), tz=timezone.utc)


def today() -> date:
    return now().date()
