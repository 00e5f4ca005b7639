"""Login endpoints: Telegram Login Widget, Mini App, deep link through the bot, bot code,
and logout. Each parses the request and calls one function of ``photoshoot.auth.login``."""
from __future__ import annotations

from functions.http import client_ip, current_user_id, read_json
from photoshoot.auth import login


def telegram_widget(request) -> dict:
    return login.login_with_widget(read_json(request))


def telegram_webapp(request) -> dict:
    return login.login_with_webapp(read_json(request))


def start_link(request) -> dict:
    return login.start_link_login(read_json(request), client_ip(request),
                                  _user_agent(request))


def poll_link(request, challenge_id: str) -> dict:
    return login.poll_link_login(challenge_id)


def request_code(request) -> dict:
    return login.request_login_code(read_json(request), client_ip(request),
                                    _user_agent(request))


def _user_agent(request) -> str:
    return (request.headers or {}).get("user-agent") or ""


def verify_code(request) -> dict:
    return login.verify_login_code(read_json(request))


def logout(request) -> dict:
    return login.logout(current_user_id(request))
