"""The API fuzzed as a signed-in applicant: see tests/integration/fuzzing.py."""

from tests.integration.fuzzing import applicant_world, documented_operations, fuzzes_clean  # noqa: F401 (fixtures)


def test_the_fuzzer_finds_no_server_error_and_no_broken_response(stack, api, documented_operations, applicant_world):  # noqa: F811 (the imported fixtures)
    fuzzes_clean("pemohon", stack, api, documented_operations, applicant_world)
