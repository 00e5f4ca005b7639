"""A WebSocket connecting at the instant of a logout must not outlive it: logout closes the
connections it finds, so one registered just after that lookup is refused by its own
connect, which checks the token again once the connection is listed."""
from types import SimpleNamespace

from functions import websocket
from photoshoot import realtime
from photoshoot.models import Connection, User
from tests.unit.generation.conftest import make_user


def _connect_event(token: str, connection_id: str):
    return SimpleNamespace(connection_id=connection_id,
                           to_dict=lambda: {"queryStringParameters": {"token": token}})


def test_a_logout_landing_between_the_check_and_the_registration_refuses_the_socket(
        aws, monkeypatch):
    token = make_user("7301")
    register = realtime.register_connection

    def register_then_logout(connection_id, user_id):
        register(connection_id, user_id)
        User("7301").update(actions=[User.token_version.add(1)])  # the logout lands now

    monkeypatch.setattr(realtime, "register_connection", register_then_logout)
    answer = websocket.on_connect(_connect_event(token, "conn-race"))
    assert answer is not None and answer.status_code == 401
    assert list(Connection.scan()) == []


def test_a_valid_token_still_connects(aws):
    token = make_user("7302")
    assert websocket.on_connect(_connect_event(token, "conn-ok")) is None
    assert Connection.get("conn-ok").user_id == "7302"
