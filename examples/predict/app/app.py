"""The views: they import their decorators from utils/decorators.py, script style."""

from flask import Flask

from utils.decorators import check_cookie, timeit

app = Flask(__name__)


@app.route("/v1/predict/", methods=["POST"])
@timeit
def predict_v1():
    return {"version": 1}


@app.route("/v2/predict/", methods=["POST"])
@timeit
def predict_v2():
    return {"version": 2}


@app.route("/user/<int:id>")
@check_cookie
def user(id):
    return {"id": id}
