"""Settings for publishing (`make publish`, CI on the main branch): pelicanconf plus the public address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

DASHBOARD_SITE_URL = os.environ.get("DASHBOARD_SITE_URL", "https://dashboard.redditchbc.gov.uk")
DASHBOARD_STRICT = True
DASHBOARD_PREVIEW = False     # the published site is never marked as a preview
DELETE_OUTPUT_DIRECTORY = False
DASHBOARD_REQUIRE_SIGNOFF = True   # the latest figure of every strategic measure checked by its manager
