"""Load seed/catalogue.yaml into the catalogue table.

The same loader seeds the local stack and a deployed one:
    python -m tools.load_catalogue --stack-name e-ptsp [--region ap-southeast-3]
    python -m tools.load_catalogue --table-name <name>
Loading replaces the catalogue: entries no longer in the file are removed. A file that
breaks a catalogue rule is refused before anything is written, with one line per fault
naming the permit, service, application type and item at fault.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from eptsp.aws import dynamodb_table
from eptsp.catalogue.models import CatalogueDocument, CatalogueInvalid, parse_catalogue
from eptsp.catalogue.repository import CatalogueRepository
from eptsp.catalogue.service import CatalogueService

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "seed" / "catalogue.yaml"


def read_catalogue(path: Path = CATALOGUE_FILE) -> CatalogueDocument:
    """The checked catalogue; raises CatalogueInvalid naming every fault."""
    with path.open(encoding="utf-8") as source:
        return parse_catalogue(yaml.safe_load(source))


def write_catalogue(table_name: str, document: CatalogueDocument) -> int:
    """Replace the catalogue in ``table_name``; returns how many permits it now lists."""
    return CatalogueService(CatalogueRepository(dynamodb_table(table_name))).replace_catalogue(document)


def load_catalogue(table_name: str, path: Path = CATALOGUE_FILE) -> int:
    return write_catalogue(table_name, read_catalogue(path))


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
    args = parser.parse_args()
    try:
        document = read_catalogue(args.file)  # before looking up any stack
    except CatalogueInvalid as error:
        raise SystemExit(f"Katalog {args.file} tidak valid, tidak ada yang dimuat:\n{error}") from None
    table = args.table_name or table_of_stack(args.stack_name)
    count = write_catalogue(table, document)
    print(f"Katalog dimuat ke {table}: {count} jenis izin.")


if __name__ == "__main__":
    main()
