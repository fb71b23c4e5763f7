"""Download the official registry schemas into the schema directory (REGISTRY_SCHEMA_DIR).

A production install has no copy of ../shared/registry-specs; it fetches the current files from the
registries' own addresses. Every file of a folder is downloaded into a staging folder beside the target,
each XSD must parse safely and compile there (with its sibling imports), and only then are the files
moved into place with ``os.replace`` (atomic on one file system). A broken download never replaces a
working schema.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

from lxml import etree

from registries.findings import RegistryError
from registries.xmlsafe import parse_xml


@dataclass(frozen=True)
class SchemaSource:
    file_name: str
    url: str
    required: bool = True


# folder -> files, from the registries' official addresses.
OFFICIAL_SCHEMAS: dict[str, tuple[SchemaSource, ...]] = {
    "ctgov-prs": (
        SchemaSource("RRSUploadSchema.xsd", "https://prsinfo.clinicaltrials.gov/RRSUploadSchema.xsd"),
        SchemaSource(
            "ProtocolRecordSchema.xsd", "https://prsinfo.clinicaltrials.gov/ProtocolRecordSchema.xsd"
        ),
    ),
    # The public XML was retired in 2024; its schema is only needed to read archives, so it is optional.
    "ctgov-public-xml": (
        SchemaSource(
            "public.xsd", "https://clinicaltrials.gov/ct2/html/images/info/public.xsd", required=False
        ),
    ),
}

MAX_SCHEMA_BYTES = 10 * 1024 * 1024
Opener = Callable[..., IO[bytes]]


@dataclass(frozen=True)
class FetchedSchema:
    folder: str
    file_name: str
    url: str
    status: str  # "installed" or "skipped"
    sha256: str = ""
    reason: str = ""


def _download(url: str, timeout: float, opener: Opener) -> bytes:
    if urlparse(url).scheme not in ("https", "http"):
        raise RegistryError("fetch.bad_url", f"Schema address {url} is not an http(s) URL.")
    try:
        with opener(url, timeout=timeout) as response:
            data = response.read(MAX_SCHEMA_BYTES + 1)
    except OSError as exc:
        raise RegistryError("fetch.download_failed", f"Could not download {url}: {exc}.") from None
    if len(data) > MAX_SCHEMA_BYTES:
        raise RegistryError("fetch.too_large", f"{url} is larger than {MAX_SCHEMA_BYTES} bytes; refused.")
    return data


def _check_compiles(path: Path) -> None:
    """The staged XSD parses safely (no DOCTYPE tricks) and compiles with its staged siblings."""
    parse_xml(path.read_bytes())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise RegistryError(
            "fetch.schema_invalid", f"The downloaded {path.name} does not compile as XML Schema: {exc}."
        ) from None


def fetch_folder(
    directory: Path,
    folder: str,
    sources: tuple[SchemaSource, ...],
    *,
    timeout: float = 30.0,
    opener: Opener = urllib.request.urlopen,
) -> list[FetchedSchema]:
    """Download one folder's schemas, verify they compile together, then move them into place."""
    target = directory / folder
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder}-", dir=directory))
    results: list[FetchedSchema] = []
    try:
        staged: list[tuple[SchemaSource, Path, str]] = []
        for source in sources:
            try:
                data = _download(source.url, timeout, opener)
            except RegistryError as exc:
                if source.required:
                    raise
                results.append(
                    FetchedSchema(folder, source.file_name, source.url, "skipped", reason=exc.message)
                )
                continue
            path = staging / source.file_name
            path.write_bytes(data)
            staged.append((source, path, hashlib.sha256(data).hexdigest()))
        for _source, path, _digest in staged:
            _check_compiles(path)
        for source, path, digest in staged:
            final = target / source.file_name
            os.replace(path, final)
            results.append(FetchedSchema(folder, source.file_name, source.url, "installed", sha256=digest))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return results


def fetch_schemas(
    directory: Path,
    *,
    sources: Mapping[str, tuple[SchemaSource, ...]] = OFFICIAL_SCHEMAS,
    timeout: float = 30.0,
    opener: Opener = urllib.request.urlopen,
) -> list[FetchedSchema]:
    """Fetch every official schema into ``directory`` (the REGISTRY_SCHEMA_DIR of the install).

    Raises RegistryError (fetch.download_failed, fetch.schema_invalid, fetch.too_large, fetch.bad_url,
    xml.forbidden_doctype) for a required file; an optional file that cannot be fetched is reported as
    skipped. A folder whose files fail verification keeps its previous files.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    results: list[FetchedSchema] = []
    for folder, folder_sources in sources.items():
        results += fetch_folder(directory, folder, folder_sources, timeout=timeout, opener=opener)
    return results


__all__ = ["OFFICIAL_SCHEMAS", "FetchedSchema", "SchemaSource", "fetch_folder", "fetch_schemas"]
