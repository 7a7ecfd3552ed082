"""Load seed/catalogue.yaml into the catalogue table.

The same loader seeds the local stack and a deployed one:
    python -m tools.load_catalogue --stack-name e-ptsp [--region ap-southeast-3]
    python -m tools.load_catalogue --table-name <name>
It is the way a new office starts: the file's permits replace those it loaded before,
and permits gone from the file are removed. Changes an admin made through the API
(``/api/admin/catalogue/...``) are never overwritten silently: if the table holds any,
the loader writes nothing and lists them, unless told what to do with them:
    --admin-changes keep      leave the permits an admin added or changed as they are
    --admin-changes replace   the file wins (every overwritten permit is audited)
The office calendar (days off) and the audit trail are never touched. A file that breaks
a catalogue rule is refused before anything is written, with one line per fault naming
the permit, service, application type and item at fault.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from eptsp.catalogue.admin import AdminChanges, AdminChangesFound, LoadResult, load_seed
from eptsp.catalogue.models import CatalogueDocument, CatalogueInvalid, parse_catalogue
from eptsp.catalogue.repository import CatalogueRepository

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "seed" / "catalogue.yaml"


def read_catalogue(path: Path = CATALOGUE_FILE) -> CatalogueDocument:
    """The checked catalogue; raises CatalogueInvalid naming every fault."""
    with path.open(encoding="utf-8") as source:
        return parse_catalogue(yaml.safe_load(source))


def catalogue_table(table_name: str) -> Any:
    """The table, with an operator's patience: loading reads and writes the whole catalogue,
    not one request's items, so it gets boto3's own timeouts instead of a handler's few seconds."""
    import boto3

    return boto3.resource("dynamodb").Table(table_name)


def write_catalogue(table_name: str, document: CatalogueDocument, admin_changes: AdminChanges = "refuse") -> LoadResult:
    """Load ``document`` into ``table_name``; raises AdminChangesFound when refusing."""
    return load_seed(CatalogueRepository(catalogue_table(table_name)), document, admin_changes)


def load_catalogue(table_name: str, path: Path = CATALOGUE_FILE, admin_changes: AdminChanges = "refuse") -> int:
    """Load the file; returns how many of its permits were loaded."""
    return write_catalogue(table_name, read_catalogue(path), admin_changes).loaded


def table_of_stack(stack_name: str) -> str:
    import boto3

    resource = boto3.client("cloudformation").describe_stack_resource(
        StackName=stack_name, LogicalResourceId="CatalogueTable"
    )
    return resource["StackResourceDetail"]["PhysicalResourceId"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--stack-name", help="CloudFormation stack whose CatalogueTable to load")
    target.add_argument("--table-name", help="DynamoDB table to load")
    parser.add_argument("--file", type=Path, default=CATALOGUE_FILE)
    parser.add_argument(
        "--admin-changes",
        choices=["refuse", "keep", "replace"],
        default="refuse",
        help="what to do with permits an admin added or changed through the API (default: refuse to load)",
    )
    args = parser.parse_args()
    try:
        document = read_catalogue(args.file)  # before looking up any stack
    except CatalogueInvalid as error:
        raise SystemExit(f"Katalog {args.file} tidak valid, tidak ada yang dimuat:\n{error}") from None
    table = args.table_name or table_of_stack(args.stack_name)
    try:
        result = write_catalogue(table, document, args.admin_changes)
    except AdminChangesFound as found:
        raise SystemExit(
            f"Tidak ada yang dimuat: {len(found.sources)} jenis izin telah ditambah atau diubah admin:\n{found}\n"
            "Jalankan lagi dengan --admin-changes keep (biarkan perubahan admin) "
            "atau --admin-changes replace (timpa dengan berkas ini)."
        ) from None
    except CatalogueInvalid as error:  # the file's permits clash with those an admin keeps
        raise SystemExit(f"Tidak ada yang dimuat: berkas bentrok dengan perubahan admin:\n{error}") from None
    print(f"Katalog dimuat ke {table}: {result.loaded} jenis izin dari berkas.")
    for label, ids in (
        ("dibiarkan (perubahan admin)", result.kept),
        ("ditimpa", result.replaced),
        ("dihapus", result.removed),
    ):
        if ids:
            print(f"{label}: {', '.join(ids)}")


if __name__ == "__main__":
    main()
