"""A small Flask app that contains the two bugs flake8-wraps reports.

1. ``login_required`` returns its inner ``wrapper`` without
   ``functools.wraps``, so every view it decorates is registered under the
   endpoint name ``wrapper``.  The second such view makes Flask raise
   ``AssertionError: View function mapping is overwriting an existing
   endpoint function: wrapper`` while this module is being imported (WRP001).
2. ``@login_required`` is written above ``@app.route("/admin")``.  Decorators
   apply bottom-up, so the route registers the undecorated ``admin`` view and
   ``/admin`` is served without any login check (WRP101).
"""

from flask import Flask, jsonify, request

app = Flask(__name__)

USERS = {"alice": {"email": "alice@example.com", "theme": "dark"}}


def login_required(view):
    """Reject requests that do not identify a known user."""
    def wrapper(*args, **kwargs):
        user = request.headers.get("X-User")
        if user not in USERS:
            return jsonify(error="login required"), 401
        return view(*args, **kwargs)
    return wrapper


@app.route("/")
def index():
    return "Welcome! Public page."


@app.route("/profile")
@login_required
def profile():
    user = request.headers["X-User"]
    return jsonify(user=user, email=USERS[user]["email"])


@app.route("/settings")
@login_required
def settings():
    user = request.headers["X-User"]
    return jsonify(user=user, theme=USERS[user]["theme"])


@login_required
@app.route("/admin")
def admin():
    return "Admin dashboard: delete users, rotate keys."


if __name__ == "__main__":
    app.run(debug=True)
