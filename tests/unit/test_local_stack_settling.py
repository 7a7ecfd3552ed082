"""The local stack deploys the template as CloudFormation would with its parameters:
conditions settled, and every call to a function's live alias made to the function."""

from __future__ import annotations

from local_stack.resources import Known, apply_conditions
from local_stack.support import without_aliases


def template() -> dict:
    return {
        "Conditions": {
            "HasDomain": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Domain"}, ""]}]},
            "NoDomain": {"Fn::Not": [{"Condition": "HasDomain"}]},
        },
        "Resources": {
            "Certificate": {"Type": "AWS::ACM::Certificate", "Condition": "HasDomain", "Properties": {}},
            "Site": {
                "Type": "AWS::CloudFront::Distribution",
                "Properties": {
                    "Aliases": {"Fn::If": ["HasDomain", [{"Ref": "Domain"}], {"Ref": "AWS::NoValue"}]},
                    "Name": {"Fn::If": ["NoDomain", "default", {"Ref": "Domain"}]},
                },
            },
        },
        "Outputs": {"Domain": {"Condition": "HasDomain", "Value": {"Ref": "Domain"}}},
    }


def test_without_the_optional_parameter_its_resources_and_values_are_left_out():
    settled = apply_conditions(template(), {"Domain": Known("")})
    assert set(settled["Resources"]) == {"Site"}
    assert settled["Resources"]["Site"]["Properties"] == {"Name": "default"}
    assert settled["Outputs"] == {}
    assert "Conditions" not in settled


def test_with_the_optional_parameter_its_branches_are_taken():
    settled = apply_conditions(template(), {"Domain": Known("e-ptsp.example.go.id")})
    assert set(settled["Resources"]) == {"Certificate", "Site"}
    assert "Condition" not in settled["Resources"]["Certificate"]
    assert settled["Resources"]["Site"]["Properties"] == {
        "Aliases": [{"Ref": "Domain"}],
        "Name": {"Ref": "Domain"},
    }
    assert settled["Outputs"]["Domain"] == {"Value": {"Ref": "Domain"}}


def test_callers_of_a_live_alias_call_the_function():
    cfn = {
        "Resources": {
            "Worker": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "WorkerAliaslive": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Worker"}}},
            "Mapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"FunctionName": {"Ref": "WorkerAliaslive"}},
            },
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": {"Fn::Sub": "call ${WorkerAliaslive} now"}},
            },
        }
    }
    resources = without_aliases(cfn)["Resources"]
    assert resources["Mapping"]["Properties"]["FunctionName"] == {"Fn::GetAtt": ["Worker", "Arn"]}
    assert resources["Machine"]["Properties"]["DefinitionString"] == {"Fn::Sub": "call ${Worker.Arn} now"}
