"""The real components are in use when the environment names them.

DATABASE_URL=postgres...   -> the tests run on PostgreSQL (not a silent SQLite fallback)
CELERY_BROKER_URL=redis... -> Redis answers PING
REQUIRE_SERVICES=1         -> a component that is missing or unreachable fails these tests instead of skipping them
"""

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.services


def missing(reason: str):
    """Fail when the run requires the real services, skip otherwise."""
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.mark.django_db
def test_database_is_postgresql_when_database_url_names_it():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        missing(
            f"DATABASE_URL does not name PostgreSQL ({urlsplit(url).scheme or 'unset'}); "
            f"the tests run on {connection.vendor}"
        )
    assert connection.vendor == "postgresql", f"DATABASE_URL names PostgreSQL but Django uses {connection.vendor}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1, current_setting('server_version_num')::int")
        one, version = cursor.fetchone()
    assert one == 1
    assert version >= 150000, f"the README asks for PostgreSQL 15+, this server is {version}"


def test_redis_answers_ping_when_celery_broker_url_names_it():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        missing("CELERY_BROKER_URL is not set; tasks run in-process")
    scheme = urlsplit(url).scheme
    if scheme not in {"redis", "rediss", "unix"}:
        missing(f"CELERY_BROKER_URL uses {scheme}://, not Redis; this check covers Redis only")
    import redis

    where = f"{scheme}://{urlsplit(url).hostname or ''}:{urlsplit(url).port or ''}"  # no password in messages
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        answer = client.ping()
        version = client.info("server")["redis_version"]
    except redis.exceptions.RedisError as exc:
        pytest.fail(f"CELERY_BROKER_URL names {where}, but Redis does not answer: {exc}", pytrace=False)
    finally:
        client.close()
    assert answer is True
    assert int(version.split(".")[0]) >= 7, f"the README asks for Redis 7+, this server is {version}"
