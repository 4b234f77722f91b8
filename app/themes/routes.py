from flask import Blueprint

bp = Blueprint("themes", __name__, template_folder="templates")
