from flask import Blueprint

bp = Blueprint("actions", __name__, template_folder="templates")
