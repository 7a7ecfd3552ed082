"""The API fuzzed as an anonymous caller: see tests/integration/fuzzing.py."""

from tests.integration.fuzzing import documented_operations, fuzzes_clean  # noqa: F401 (fixtures)


def test_the_fuzzer_finds_no_server_error_and_no_broken_response(stack, api, documented_operations):  # noqa: F811 (the imported fixtures)
    fuzzes_clean("anonim", stack, api, documented_operations, None)
