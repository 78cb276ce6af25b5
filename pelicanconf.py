"""Site settings for the example Redditch Dashboard (preview and `make html`).

Dashboard settings (DASHBOARD_*) are documented in docs/settings.md; the rest are Pelican's, and the
tool gives every Pelican setting a Dashboard needs (generator/settings.py: PELICAN_DEFAULTS), so only
the council's own are here.
"""

SITENAME = "Redditch Dashboard"
SITEURL = ""
PATH = "content"

DASHBOARD_COUNCIL = "Redditch Borough Council"
DASHBOARD_AREA_CODE = "E07000236"
DASHBOARD_ILLUSTRATIVE = True
DASHBOARD_DATA_CONTACT = "dashboard@redditchbc.gov.uk"
DASHBOARD_SITE_URL = "http://127.0.0.1:8000"
# The council's own name for the aims its strategic measures serve.
DASHBOARD_PURPOSES_LABEL = "strategic purposes"
DASHBOARD_PURPOSE_LABEL = "strategic purpose"
