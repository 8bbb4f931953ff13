"""Newsdesk settings: one module, driven by environment variables with safe defaults.

NEWSDESK_DATA_DIR   where the SQLite database, the Whoosh index and the secret key live (default ./var/)
DATABASE_URL        e.g. postgres://user:pass@127.0.0.1/newsdesk (default: SQLite in the data dir)
NEWSDESK_DEBUG      "1" turns DEBUG on (default off)
SECRET_KEY          taken from the environment, else generated once into the data dir
ALLOWED_HOSTS       comma-separated (default: localhost,127.0.0.1)
NEWSDESK_INDEX_DIR  the Whoosh index directory (default: <data dir>/whoosh)
NEWSDESK_SEARCH_ENGINE  "whoosh" (default) or "solr", with NEWSDESK_SEARCH_URL (SolrCloud node URLs)
NEWSDESK_HTTPS      "1" behind HTTPS: secure cookies, redirect to https, HSTS (NEWSDESK_HSTS_SECONDS)
NEWSDESK_PRIVATE    "1" makes every page require a login
NEWSDESK_TRUSTED_PROXIES  addresses or networks of reverse proxies whose X-Forwarded-For is believed
                    (default: 127.0.0.1,::1, the documented nginx on the same machine)
"""

import datetime
import ipaddress
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = _env_flag("NEWSDESK_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before haystack: its rebuild_index, update_index and clear_index commands are replaced by
    # ones that point at Newsdesk's own (which go through the index queue and lock).
    "articles",
    "haystack",
    "axes",
    "simple_history",
    "savedviews",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsdesk.middleware.SecurityHeadersMiddleware",
    "newsdesk.middleware.SearchUnavailableMiddleware",
    # Records the signed-in editor as the author of history entries (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: counts failed logins and locks out guessing (django-axes).
    "axes.middleware.AxesMiddleware",
]
PRIVATE_MODE = _env_flag("NEWSDESK_PRIVATE")
if PRIVATE_MODE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware"),
                      "django.contrib.auth.middleware.LoginRequiredMiddleware")
# Researchers sign in on the site's own page (savedviews); the admin keeps its own login page.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "saved_views"

AUTHENTICATION_BACKENDS = [
    "newsdesk.login_throttle.SourceThrottledAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock it out for 15 minutes; 20 from one
# address, whatever the accounts, lock that address out (newsdesk.login_throttle).
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout answer in the site's look: what happened, for how long, a way back.
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# The address is the client's: X-Forwarded-For counts only when one of these proxies sent the request.
TRUSTED_PROXIES = [
    proxy.strip() for proxy in os.environ.get("NEWSDESK_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if proxy.strip()
]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"NEWSDESK_TRUSTED_PROXIES: “{_proxy}” is not an address or network") from None
AXES_CLIENT_IP_CALLABLE = "newsdesk.client_address.client_address"

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'newsdesk.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers and the ingest command share one file: wait for locks
    # instead of failing at once, and let readers run beside a writer. Writers keep their
    # transactions short (ingest extracts before it opens one), so the wait is for seconds at most.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(os.environ.get("NEWSDESK_DB_LOCK_WAIT", 30)),  # seconds; tests of a locked database shorten it
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# ISO dates in the admin (newsdesk/formats/en_GB/formats.py): one format for editors everywhere.
FORMAT_MODULE_PATH = ["newsdesk.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Absolute, but not resolved: after `index_rebuild` this path is a symlink to the live
# generation directory, and every process must keep following the link.
INDEX_DIR = Path(os.path.abspath(os.environ.get("NEWSDESK_INDEX_DIR", DATA_DIR / "whoosh")))
# The search engine (articles/search/engines/): "whoosh", embedded (the default), or "solr", a SolrCloud
# cluster at NEWSDESK_SEARCH_URL (comma-separated node URLs). docs/scaling.md says when to switch.
SEARCH_ENGINE = os.environ.get("NEWSDESK_SEARCH_ENGINE", "whoosh")
if SEARCH_ENGINE not in ("whoosh", "solr"):
    raise ImproperlyConfigured(f"NEWSDESK_SEARCH_ENGINE must be whoosh or solr, not {SEARCH_ENGINE!r}")
SEARCH_URLS = [url.strip().rstrip("/") for url in os.environ.get("NEWSDESK_SEARCH_URL", "").split(",") if url.strip()]
if SEARCH_ENGINE == "solr" and not SEARCH_URLS:
    raise ImproperlyConfigured("NEWSDESK_SEARCH_ENGINE=solr needs NEWSDESK_SEARCH_URL (comma-separated SolrCloud node URLs)")
# On Solr: the alias searches and writes go through (index_rebuild points it at a fresh collection),
# and the configset each new collection is made from (articles/search/engines/solr/configset.py).
SOLR_ALIAS = os.environ.get("NEWSDESK_SOLR_ALIAS", "newsdesk")
SOLR_CONFIGSET = BASE_DIR / "solrcloud" / "configset" / "conf"
# haystack declares the search document (articles/search_indexes.py) and, on Whoosh, opens the index;
# the engines do everything else. On Solr haystack's own backend is never used: its simple one stands in.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.search.engines.whoosh.backend.NewsdeskWhooshEngine",
        "PATH": str(INDEX_DIR),
        # Index failures must surface (and leave the article queued), not vanish into a log line.
        "SILENTLY_FAIL": False,
    }
    if SEARCH_ENGINE == "whoosh"
    else {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
}
# Every index write goes through articles.search.indexing's queue and file lock.
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.indexing.QueueSignalProcessor"
# One indexed model: skip haystack's per-search model-type filter (~130 ms at 20k, see STACK.md).
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# Each web worker's upkeep (articles/search/upkeep.py) drains index writes left behind and rebuilds a lost
# or damaged index every this many seconds (tests of killed processes shorten it).
INDEX_UPKEEP_SECONDS = float(os.environ.get("NEWSDESK_INDEX_UPKEEP_SECONDS", 60))
# ... and compares the whole index with the database (index_check --repair, in a process of its own: ~5 s of
# one core at 100k articles) every this many seconds, which finds what counting cannot (an old copy restored).
INDEX_COMPARE_SECONDS = float(os.environ.get("NEWSDESK_INDEX_COMPARE_SECONDS", 3600))

SEARCH_RESULTS_PER_PAGE = 20
# Filters, counts and facets from per-document columns of the Whoosh index (articles.columns);
# NEWSDESK_SEARCH_COLUMNS=0 falls back to haystack's own filtering and faceting.
SEARCH_COLUMNS = os.environ.get("NEWSDESK_SEARCH_COLUMNS", "1").strip().lower() not in {"0", "false", "no", "off"}

# Exports (exports/): a view of at most EXPORT_INLINE_ROWS matches is sent at once, whole, with its length
# (~0.5 s at 10,000 rows); a larger one is written in the background to EXPORT_DIR by at most
# EXPORT_JOBS_AT_ONCE writers, its page showing progress, and kept EXPORT_KEEP (or less when the files
# pass EXPORT_MAX_BYTES). Anyone may ask, so waiting jobs are bounded per client address and in all.
EXPORT_INLINE_ROWS = int(os.environ.get("NEWSDESK_EXPORT_INLINE_ROWS", 10_000))
EXPORT_DIR = DATA_DIR / "exports"
EXPORT_KEEP = datetime.timedelta(hours=24)
EXPORT_REUSE = datetime.timedelta(minutes=10)  # the same view asked again within this gets the same file
EXPORT_MAX_BYTES = 5 * 1024**3
EXPORT_JOBS_AT_ONCE = 2
EXPORT_JOBS_PER_CLIENT = 3
EXPORT_JOBS_WAITING = 20
# Web processes write exports in a thread of their own; with NEWSDESK_EXPORT_THREADS=0 they leave that to
# `manage.py export_jobs --forever`, run as a service beside gunicorn.
EXPORT_THREADS = _env_flag("NEWSDESK_EXPORT_THREADS", default=True)
# A writer that has not saved its progress for this long is taken for dead, and its job started again.
EXPORT_STALLED_AFTER = datetime.timedelta(seconds=int(os.environ.get("NEWSDESK_EXPORT_STALLED_SECONDS", 60)))

# The admin's bulk upload of article files (articles/upload.py), ingested within the request: sized to
# finish well inside gunicorn's 60 s timeout (200 news articles take ~12 s; extraction grows faster than
# the text, a 1 MB file takes ~10 s). Larger files go through `manage.py ingest` (5 MB per file).
# The upload handler stops reading past these limits and the page says why; Django's own file cap
# sits one above, so a file too many gets that message rather than a bare 400.
UPLOAD_MAX_FILES = 200
UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # in all; a zip's files count at their unpacked size
UPLOAD_MAX_FILE_BYTES = 512 * 1024  # a larger file is refused among the results, the others ingested
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES + 1
FILE_UPLOAD_HANDLERS = [
    "articles.upload.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# An upload's files on disk (Django's for a large file, ours unpacked for ingest) live here, not in /tmp:
# what a worker killed mid-upload leaves is removed by a later upload (articles.upload.upload_leftovers_remove).
UPLOAD_DIR = DATA_DIR / "uploads"
UPLOAD_DIR.mkdir(exist_ok=True)
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_DIR)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "without_tokens": {"()": "newsdesk.log_redaction.TokenRedactingFilter"},
        "refused_in_one_line": {"()": "newsdesk.log_redaction.RefusedRequestFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["without_tokens", "refused_in_one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere; the admin's inline style attributes are allowed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if _env_flag("NEWSDESK_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("NEWSDESK_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browsers that is slow to take back: only on request.
    SECURE_HSTS_PRELOAD = _env_flag("NEWSDESK_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "preload is off": on purpose, see above

# Whoosh 2.7.4 emits SyntaxWarning/DeprecationWarning on import (invalid escapes, old idioms).
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"whoosh(\..*)?")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"whoosh(\..*)?")
