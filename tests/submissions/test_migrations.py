from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue() == "No changes detected\n"


@pytest.mark.django_db
def test_record_content_is_compressed_with_lz4_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("column compression is a PostgreSQL setting (migration 0014); SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'submissions_recordversion'::regclass AND attname = 'content'"
        )
        (method,) = cursor.fetchone()
    assert method == "l"  # pg_attribute.attcompression: 'l' LZ4, 'p' pglz, '' the default
