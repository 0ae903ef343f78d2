"""The decorators of the app, as the seeds' posts wrote them."""

import time

from flask import redirect, request


def timeit(func):
    def wrapper(*args, **kwargs):
        start = time.time()
        result = func(*args, **kwargs)
        print(f"{func.__name__} took {time.time() - start:.3f} s")
        return result
    return wrapper


def check_cookie(func):
    def wrapper():
        if not request.cookies:
            return redirect("/login")
        else:
            func()
    return wrapper
