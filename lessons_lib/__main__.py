"""Command line: ``python -m lessons_lib check [DATA_DIR]`` and ``python -m lessons_lib schema-docs``.

It imports only the standard library, so the check starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from lessons_lib import _paths, validate


def _check(data_dir: Path) -> int:
    try:
        descriptor, tables = validate.read_package(data_dir)
    except validate.DataValidationError as exc:
        by_file = Counter(p.file for p in exc.problems)
        print(f"Checked {data_dir}: {len(exc.problems)} problem(s) in {len(by_file)} file(s).\n")
        for file in by_file:
            print(f"{file} ({by_file[file]}):")
            for problem in exc.problems:
                if problem.file == file:
                    print(f"  - {str(problem)[len(file) + 2 :]}")
            print()
        print("Fix the cells named above (rows are counted as in a spreadsheet: the header is row 1),")
        print("then run the check again.")
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"Checked {data_dir}: {len(tables)} tables, {rows} rows. No problems found.")
    for name, table in tables.items():
        print(f"  {name:<14} {len(table):>5} rows")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m lessons_lib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a data folder (exit 0 when valid, 1 when not)")
    check.add_argument("data_dir", nargs="?", type=Path, help="folder with datapackage.json (default: the course data)")
    docs = sub.add_parser("schema-docs", help="write the column documentation generated from the descriptor")
    docs.add_argument("output", nargs="?", type=Path, default=None, help="file to write (default: print)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.data_dir or _paths.data_dir())
    text = _paths.schema_markdown(validate.read_descriptor(_paths.data_dir()))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
