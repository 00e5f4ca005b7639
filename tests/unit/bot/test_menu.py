"""/start, the main menu, /balance, /help and ad attribution in the bot."""
from photoshoot.models import User
from photoshoot.telegram import commands
from tests.unit.telegram.fakes import ANNA, BORIS


def _menu_texts(markup: dict) -> list[str]:
    return [button["text"] for row in markup["keyboard"] for button in row]


def test_start_greets_in_russian_with_the_balance_and_the_main_menu(aws, fake_bot, telegram):
    telegram.write(ANNA, "/start")
    sent = fake_bot.sent(ANNA["id"])[-1]
    assert "Здравствуйте, Анна" in sent["text"] and "1 фотосессия" in sent["text"]
    assert _menu_texts(sent["reply_markup"]) == [
        "📸 Новая фотосессия", "💰 Баланс", "🛒 Купить", "🌐 Открыть сайт"]


def test_open_site_button_is_a_mini_app_on_https(aws, fake_bot, telegram, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://photoshoot.example")
    monkeypatch.setenv("TELEGRAM_API_BASE", aws.telegram_api_base)
    reset_settings_cache()
    site = commands.main_menu()["keyboard"][-1][0]
    assert site["web_app"] == {"url": "https://photoshoot.example"}


def test_ad_payload_stores_first_touch_utm_and_a_later_one_does_not_replace_it(
        aws, fake_bot, telegram):
    telegram.write(ANNA, "/start src_vk")
    assert User.get(str(ANNA["id"])).utm.as_dict() == {"utm_source": "vk"}
    telegram.write(ANNA, "/start utm_yandex_spring_sale")
    assert User.get(str(ANNA["id"])).utm.as_dict() == {"utm_source": "vk"}

    telegram.write(BORIS, "/start utm_yandex_spring_sale")
    assert User.get(str(BORIS["id"])).utm.as_dict() == {"utm_source": "yandex",
                                                         "utm_campaign": "spring_sale"}
    assert "Здравствуйте" in fake_bot.last_text(BORIS["id"])


def test_malformed_payload_is_ignored_and_still_greets(aws, fake_bot, telegram):
    telegram.write(ANNA, "/start src_" + "x" * 70)
    assert User.get(str(ANNA["id"])).utm is None
    assert "Здравствуйте" in fake_bot.last_text(ANNA["id"])


def test_balance_button_and_command_show_the_balance_with_a_buy_button(aws, fake_bot, telegram):
    telegram.write(ANNA, "/start")
    for text in ("💰 Баланс", "/balance"):
        telegram.write(ANNA, text)
        sent = fake_bot.sent(ANNA["id"])[-1]
        assert "На балансе: 1 фотосессия" in sent["text"]
        assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "buy"


def test_new_photoshoot_button_asks_for_a_photo(aws, fake_bot, telegram):
    telegram.write(ANNA, "📸 Новая фотосессия")
    assert "Пришлите фото товара" in fake_bot.last_text(ANNA["id"])


def test_help_lists_the_commands(aws, fake_bot, telegram):
    telegram.write(ANNA, "/help")
    text = fake_bot.last_text(ANNA["id"])
    assert "/buy" in text and "/balance" in text and "фото товара" in text


def test_plural_of_photoshoots():
    assert [commands.photoshoots(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "1 фотосессия", "2 фотосессии", "5 фотосессий", "11 фотосессий", "21 фотосессия",
        "22 фотосессии", "25 фотосессий"]
