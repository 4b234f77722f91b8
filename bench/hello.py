"""The bare Flask "Hello, World!" that bench/speed.py measures our pages against."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
