"""Site settings for the example Redditch Dashboard (preview and `make html`).

Dashboard settings (DASHBOARD_*) are documented in docs/settings.md; the rest are Pelican's.
"""

SITENAME = "Redditch Dashboard"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
THEME_STATIC_DIR = "theme"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"

PLUGIN_PATHS = []
PLUGINS = ["generator"]

DASHBOARD_COUNCIL = "Redditch Borough Council"
DASHBOARD_ILLUSTRATIVE = True
DASHBOARD_DATA_CONTACT = "dashboard@redditchbc.gov.uk"
DASHBOARD_SITE_URL = "http://127.0.0.1:8000"
# The council's own name for the aims its strategic measures serve.
DASHBOARD_PURPOSES_LABEL = "strategic purposes"
DASHBOARD_PURPOSE_LABEL = "strategic purpose"

# Words live in content/: the home page's introduction (introduction.md), pages (about, accessibility
# statement) and officer commentary.
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_PATHS = ["news"]
ARTICLE_EXCLUDES = ["commentary"]
STATIC_PATHS = []
# Our generator writes the home page, feeds and indexes; Pelican's blog pages are off.
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
DEFAULT_PAGINATION = False
# Same input, same bytes: no build-time "now" outside SOURCE_DATE_EPOCH.
LOAD_CONTENT_CACHE = False
