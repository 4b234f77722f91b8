from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class WardForm(FlaskForm):
    name = StringField("Ward name", validators=[DataRequired("Enter the ward's name"),
                                                 Length(max=120, message="Ward name must be 120 characters or fewer")])


class PostcodeImportForm(FlaskForm):
    file = FileField("Postcode lookup CSV", description="A CSV file with the headings postcode,ward")
