from flask import Blueprint

bp = Blueprint("surgeries", __name__, template_folder="templates")
