"""The WSGI application for gunicorn (README "Running at scale")."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _freeze_start_up_objects() -> None:
    """Import every view now and take what the process holds from start-up out of the cyclic garbage
    collector's sight (gc.freeze).

    An API save parses a record of tens of thousands of objects, which pushes collections up to the
    oldest generation; a full collection walks every object the process holds, and with the app's
    modules, URL patterns and rule tables that was about 100 ms with the worker doing nothing else
    (bench/api_load.py: a PUT that meets one waits for it, and so do the requests queued behind it).
    Frozen, those objects are never walked again; they live as long as the process anyway.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and with it every view)
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()
