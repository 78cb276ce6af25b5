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
# The six tests the Corporate Performance Strategy sets for data and measures; the Policy Team reviews each
# measure against them as critical friend (dashboard.assessment).
DASHBOARD_QUALITY_TESTS = {
    "relevant": {"name": "Relevant", "asks": "Does it tell us about something that matters to the purpose it serves?"},
    "well-defined": {"name": "Well defined", "asks": "Is it written down exactly what is counted, how and when, so anyone "
                     "would get the same figure?"},
    "timely": {"name": "Timely", "asks": "Is the figure ready soon enough after the period ends to act on it?"},
    "reliable": {"name": "Reliable", "asks": "Is it collected the same way every time, so that a change in the figure "
                 "is a change in the service?"},
    "verifiable": {"name": "Verifiable", "asks": "Could someone else check the figure against the records behind it?"},
    "accurate": {"name": "Accurate", "asks": "Is it right: free of gaps, double counting and keying errors?"},
}

# The Corporate Performance Strategy's reports to councillors: the Corporate Management Team's bi-monthly
# report to the Executive (a focus chosen from the Dashboard, and the key organisational measures as
# standard), and the Policy Team's quarterly report to Overview & Scrutiny (every strategic measure).
DASHBOARD_REPORT_TYPES = {
    "executive": {
        "title": "Performance report to the Executive",
        "meeting": "Executive Committee",
        "frequency": "bi-monthly",
        "standard": ["council-tax-collected", "invoices-paid-on-time", "complaints-resolved-stage-1",
                     "foi-answered-in-time", "calls-resolved-first-contact"],
        "description": "Chosen by the Corporate Management Team from the Dashboard: the measures that need the "
                       "Executive's attention, with the council's key organisational measures as standard.",
    },
    "scrutiny": {
        "title": "Quarterly performance report to Overview and Scrutiny",
        "meeting": "Overview and Scrutiny Committee",
        "frequency": "quarterly",
        "every_strategic": True,
        "description": "Prepared by the Policy Team each quarter: every strategic measure by strategic purpose, "
                       "the focus measures first.",
    },
}
