"""Someone hears of every alarm, and every function that logs money it could not settle at
ERROR has an alarm on those lines."""
import pytest

from infra.resources import load_template, resources_of_type

# Functions whose ERROR lines are money or conversions a person must look at (flagged
# orders, refund shortfalls, Stars payments for unknown orders, refused Metrika files).
LOGS_ERRORS_TO_WATCH = ("YookassaWebhook", "PaymentsSweep", "TelegramWebhook",
                        "MetrikaOfflineConversions")


def test_every_alarm_notifies_the_operations_topic():
    alarms = resources_of_type("AWS::CloudWatch::Alarm")
    assert alarms
    silent = [name for name, alarm in alarms.items()
              if {"Ref": "OperationsAlarmsTopic"} not in alarm["Properties"].get(
                  "AlarmActions", [])]
    assert silent == []
    assert "OperationsAlarmsTopic" in resources_of_type("AWS::SNS::Topic")


def test_the_alarm_email_subscribes_only_when_given():
    template = load_template()
    subscription = template["Resources"]["OperationsAlarmsEmail"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""


@pytest.mark.parametrize("function", LOGS_ERRORS_TO_WATCH)
def test_the_errors_a_function_logs_raise_an_alarm(function):
    log_groups = [name for name, group in resources_of_type("AWS::Logs::LogGroup").items()
                  if group["Properties"]["LogGroupName"] == {
                      "Fn::Sub": f"/aws/lambda/${{{function}}}"}]
    assert len(log_groups) == 1, f"{function} has no log group of its own"
    filters = [f["Properties"] for f in resources_of_type("AWS::Logs::MetricFilter").values()
               if f["Properties"]["LogGroupName"] == {"Ref": log_groups[0]}]
    errors = [f for f in filters if f["FilterPattern"] == '{ $.level = "ERROR" }']
    assert len(errors) == 1, f"{function}'s ERROR lines are not counted"
    metric = errors[0]["MetricTransformations"][0]
    watching = [a for a in resources_of_type("AWS::CloudWatch::Alarm").values()
                if a["Properties"].get("Namespace") == metric["MetricNamespace"]
                and a["Properties"].get("MetricName") == metric["MetricName"]]
    assert watching, f"no alarm on {metric['MetricName']}"
    crashes = [a for a in resources_of_type("AWS::CloudWatch::Alarm").values()
               if a["Properties"].get("MetricName") == "Errors"
               and {"Name": "FunctionName", "Value": {"Ref": function}}
               in a["Properties"].get("Dimensions", [])]
    assert crashes, f"no alarm when {function} crashes"
