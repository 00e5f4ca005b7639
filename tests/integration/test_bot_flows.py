"""The bot as a product channel, over real HTTP on the local stack: the Telegram sandbox
plays Telegram (the person's chat, the Bot API, files, Stars payments), the bot webhook runs
as its Function URL would call it, the generation runs on the local state machine, and
DynamoDB is the stack's moto server (read with boto3 only)."""
from __future__ import annotations

import io
import time
import uuid

import boto3
import pytest
import requests

pytestmark = pytest.mark.integration


class Chat:
    """The person's side of the chat with the bot, through the sandbox."""

    def __init__(self, stack, person: dict):
        self.base = f"{stack.base_url}/sandbox/telegram"
        self.person = person

    def update(self, **body) -> dict:
        answer = requests.post(f"{self.base}/updates", json={"from": self.person, **body},
                               timeout=60)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def write(self, text: str) -> dict:
        return self.update(text=text)

    def messages(self) -> list[dict]:
        return requests.get(f"{self.base}/messages", params={"chat_id": self.person["id"]},
                            timeout=10).json()["messages"]

    def from_bot(self) -> list[dict]:
        return [m for m in self.messages() if m["from"] == "bot"]

    def last(self) -> dict:
        return self.from_bot()[-1]

    def buttons(self, message: dict) -> list[dict]:
        return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                for b in row]

    def press(self, message: dict, data: str) -> dict:
        return self.update(callback_data=data, message_id=message["message_id"])

    def send_photo(self, data: bytes) -> dict:
        stored = requests.post(f"{self.base}/photos", data=data, timeout=10,
                               headers={"Content-Type": "image/jpeg"}).json()
        return self.update(photo=stored["file_id"])

    def pre_checkout_answers(self) -> list[dict]:
        calls = requests.get(f"{self.base}/calls", params={"method": "answerPreCheckoutQuery"},
                             timeout=10).json()["calls"]
        return [c["params"] for c in calls]


@pytest.fixture
def person():
    suffix = uuid.uuid4().hex[:8]
    return {"id": 710_000_000 + int(suffix, 16) % 89_999_999, "first_name": "Марина",
            "username": f"marina_{suffix}"}


@pytest.fixture(scope="module")
def dynamodb(local_stack):
    client = boto3.client("dynamodb", endpoint_url=local_stack.moto_url,
                          region_name="eu-central-1", aws_access_key_id="local",
                          aws_secret_access_key="local")
    prefix = local_stack.env.get("TABLE_PREFIX", "photoshoot-")
    return client, prefix


def _balance(dynamodb, user_id) -> int:
    client, prefix = dynamodb
    item = client.get_item(TableName=f"{prefix}users", Key={"user_id": {"S": str(user_id)}},
                           ConsistentRead=True)["Item"]
    return int(item["balance"]["N"])


def _ledger(dynamodb, user_id) -> list[str]:
    client, prefix = dynamodb
    items = client.query(TableName=f"{prefix}ledger", ConsistentRead=True,
                         KeyConditionExpression="user_id = :u",
                         ExpressionAttributeValues={":u": {"S": str(user_id)}})["Items"]
    return sorted(i["entry_id"]["S"] for i in items)


def _product_photo() -> bytes:
    from PIL import Image

    from photoshoot.providers.studio.specimens import make_specimen

    specimen = make_specimen("bottle", "plain", seed=3, size=(480, 640))
    buffer = io.BytesIO()
    Image.fromarray(specimen.image, "RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _wait_for(predicate, timeout_s: float, what: str, context=lambda: None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout_s} s; last: {context()}")


def test_start_buy_with_stars_photo_style_album(local_stack, person, dynamodb):
    chat = Chat(local_stack, person)
    user_id = str(person["id"])

    # /start: a greeting with the balance and the main menu
    chat.write("/start src_vk")
    greeting = chat.last()
    assert "Здравствуйте" in greeting["text"] and "1 фотосессия" in greeting["text"]
    menu = [b["text"] for row in greeting["reply_markup"]["keyboard"] for b in row]
    assert menu == ["📸 Новая фотосессия", "💰 Баланс", "🛒 Купить", "🌐 Открыть сайт"]

    # «🛒 Купить» → packages in Stars → an XTR invoice
    chat.write("🛒 Купить")
    offer = chat.last()
    assert chat.buttons(offer)[0]["callback_data"] == "pkg:start"
    assert "⭐" in chat.buttons(offer)[0]["text"]
    chat.press(offer, "pkg:start")
    invoice = chat.last()
    assert invoice["kind"] == "invoice" and invoice["invoice"]["currency"] == "XTR"
    stars = invoice["invoice"]["total_amount"]

    # someone else cannot pay this order: pre-checkout answers ok=false
    stranger = {"id": person["id"] + 1, "first_name": "Чужой"}
    Chat(local_stack, stranger).write("/start")
    Chat(local_stack, stranger).update(update={"pre_checkout_query": {
        "id": f"q-{uuid.uuid4().hex[:8]}", "from": stranger, "currency": "XTR",
        "total_amount": stars, "invoice_payload": invoice["payload"]}})
    refused = chat.pre_checkout_answers()[-1]
    assert refused["ok"] is False and refused["error_message"]

    # the person pays: pre_checkout_query (ok) then successful_payment → credited once
    paid = chat.update(pay_invoice=invoice["message_id"])
    assert paid["answer"]["ok"] is True and paid["paid"] is True, paid
    assert "Оплата прошла" in chat.last()["text"]
    assert _balance(dynamodb, user_id) == 1 + 3

    # Telegram redelivers the same update, and a replay comes with a new update id
    replayed = dict(paid["update"])
    again = chat.update(update=replayed)
    assert again["webhook_status"] == 200 and again["webhook_response"]["duplicate"] is True
    replayed.pop("update_id")
    assert chat.update(update=replayed)["webhook_status"] == 200
    assert _balance(dynamodb, user_id) == 4
    assert len([m for m in chat.from_bot() if "Оплата прошла" in (m.get("text") or "")]) == 1

    chat.write("/balance")
    assert "На балансе: 4 фотосессии" in chat.last()["text"]

    # a photo → suggested styles → a style → the album arrives
    chat.send_photo(_product_photo())
    suggestions = chat.last()
    preview = chat.from_bot()[-2]  # the cut-out as the studio sees it, before the styles
    assert preview["kind"] == "photo" and "Так я вижу товар" in preview["caption"]
    assert requests.get(preview["photo"], timeout=10).headers["Content-Type"] == "image/jpeg"
    styles = [b for b in chat.buttons(suggestions) if b["callback_data"].startswith("st:")]
    assert styles and "Вот стили" in suggestions["text"]
    chat.press(suggestions, styles[0]["callback_data"])

    def finished():
        sent = chat.from_bot()
        failed = [m for m in sent if "не получилась" in (m.get("text") or "")]
        assert not failed, failed
        return [m for m in sent if m.get("media_group_id")] or None

    album = _wait_for(finished, 180, "the album", lambda: chat.from_bot()[-3:])
    assert len(album) == 4 and all(m["kind"] == "photo" for m in album)
    assert all(f"results/{user_id}/" in m["photo"] for m in album)
    assert "Готово" in album[0]["caption"]
    image = requests.get(album[0]["photo"], timeout=10)
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"  # a real JPEG

    assert _balance(dynamodb, user_id) == 3
    entries = _ledger(dynamodb, user_id)
    assert "bonus#signup" in entries
    assert len([e for e in entries if e.startswith("purchase#")]) == 1
    assert len([e for e in entries if e.startswith("charge#")]) == 1


def test_a_file_that_is_not_an_image_gets_a_kind_reply(local_stack, person, dynamodb):
    chat = Chat(local_stack, person)
    chat.write("/start")
    stored = requests.post(f"{chat.base}/photos", data=b"%PDF-1.4 a price list", timeout=10,
                           headers={"Content-Type": "application/pdf"}).json()
    chat.update(document=stored["file_id"], mime_type="image/jpeg")
    reply = chat.last()["text"]
    assert "JPEG, PNG или WebP" in reply and "Баланс не изменился" in reply
    assert _balance(dynamodb, person["id"]) == 1
