"""A query or form parameter that a page cannot use: answered 400 with the message, never a 500."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class BadInput(Exception):
    """Raised by a view's helpers; `answers_bad_input` turns it into the 400 page."""


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "errors/400.html", {"message": message}, status=400)


def answers_bad_input(view: Any) -> Any:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadInput as error:
            return bad_request(request, str(error))

    return wrapped
