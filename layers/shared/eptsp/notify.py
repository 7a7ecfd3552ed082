"""Sending e-mail (SES) and SMS (SNS) to a person."""

from __future__ import annotations

from typing import Any


class Messenger:
    def __init__(self, ses: Any, sns: Any, sender: str):
        self._ses = ses
        self._sns = sns
        self._sender = sender

    def email(self, to: str, subject: str, body: str) -> None:
        self._ses.send_email(
            Source=self._sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
            },
        )

    def sms(self, phone: str, text: str) -> None:
        self._sns.publish(
            PhoneNumber=phone,
            Message=text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "EPTSP"},
            },
        )
