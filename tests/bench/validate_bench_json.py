#!/usr/bin/python3
"""Validates JSON files against bench/bench.schema.json (JSON Schema draft 2020-12).

Usage: validate_bench_json.py SCHEMA FILE... [--expect-invalid]

Exit status 0 when every file is valid (with --expect-invalid: when every file
is invalid), 1 otherwise, 77 when python3-jsonschema is not installed (the
test is then reported as skipped, not passed).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (Debian: apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(77)


def main():
    args = [a for a in sys.argv[1:] if a != "--expect-invalid"]
    expect_invalid = "--expect-invalid" in sys.argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    for path in args[1:]:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{path}: {where}: {e.message}", file=sys.stderr if not expect_invalid else sys.stdout)
        if bool(errors) != expect_invalid:
            failures += 1
            print(f"{path}: {'valid' if not errors else 'invalid'}, expected {'invalid' if expect_invalid else 'valid'}",
                  file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
