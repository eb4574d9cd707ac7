"""One canary world per module, built through the real services and committed, so the live server (real
HTTP) reads it; the database is flushed afterwards (reference data comes back with the post-migrate
signal), so the tests that follow start from the empty database they expect."""

from __future__ import annotations

import socket
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.disclosure import world as canary_world


def no_delay(live_server) -> None:
    """Answer without Nagle's delay, as gunicorn does in production: Django's development server writes a
    response's headers and body separately, and on a kept-alive connection the body then waits for the
    client's delayed acknowledgement, 40 ms a request. The walk reads with keep-alive."""
    httpd = live_server.thread.httpd
    accept = type(httpd).get_request.__get__(httpd)

    def get_request():
        connection, address = accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    httpd.get_request = get_request


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, live_server):
    no_delay(live_server)
    with django_db_blocker.unblock():
        started = time.monotonic()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            built = canary_world.build()
        built.ids["build_seconds"] = time.monotonic() - started
        built.ids["base_url"] = live_server.url
        try:
            yield built
        finally:
            call_command("flush", interactive=False, verbosity=0)
