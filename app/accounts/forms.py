from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

ROLE_CHOICES = [("officer", "Engagement officer"), ("councillor", "Councillor"),
                ("admin", "Administrator")]


def _min_length(form, field):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(f"Password must be {minimum} characters or more")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"), Length(max=254, message="Email address must be 254 characters or fewer")])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"), Length(max=200, message="Password must be 200 characters or fewer")])


class SetPasswordForm(FlaskForm):
    password = PasswordField("Create a password", description="Use 12 characters or more. Three or four unrelated words make a strong password that is easy to remember.",
                             validators=[DataRequired("Enter a password"), _min_length,
                                         # ASVS 2.1.2: 64+ allowed, over 128 refused. Sign-in still
                                         # takes up to 200, for passwords set before this limit.
                                         Length(max=128, message="Password must be 128 characters or fewer")])
    confirm = PasswordField("Confirm password", validators=[
        DataRequired("Confirm your password"), EqualTo("password", "Passwords must match")])


class RegisterForm(SetPasswordForm):
    name = StringField("Your name", validators=[
        DataRequired("Enter your name"), Length(max=120, message="Name must be 120 characters or fewer")])
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Email("Enter an email address in the correct format, like name@example.com"),
        Length(max=254, message="Email address must be 254 characters or fewer")])


class InviteForm(FlaskForm):
    name = StringField("Full name", validators=[
        DataRequired("Enter the person's name"), Length(max=120, message="Name must be 120 characters or fewer")])
    email = EmailField("Work email address", validators=[
        DataRequired("Enter their email address"),
        Email("Enter an email address in the correct format, like name@council.gov.uk"),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Select a role")])
    title = StringField("Job title or portfolio (optional)", validators=[
        Length(max=160, message="Title must be 160 characters or fewer")])


class RoleForm(FlaskForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Select a role")])


class ConfirmForm(FlaskForm):
    """An empty form: a button plus CSRF token."""
    confirm = BooleanField("I understand")


class ResetRequestForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Email("Enter an email address in the correct format, like name@example.com"),
        Length(max=254, message="Email address must be 254 characters or fewer")])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"),
        Length(max=200, message="Password must be 200 characters or fewer")])


class CodeForm(FlaskForm):
    code = StringField("Security code", description="The 6-digit code your authenticator app shows now, or one of your recovery codes",
                       validators=[DataRequired("Enter the 6-digit code from your authenticator app"),
                                   Length(max=40, message="Enter the 6-digit code from your authenticator app")])


class SetupCodeForm(FlaskForm):
    code = StringField("Code from your app", description="Enter the 6-digit code your app shows for this account",
                       validators=[DataRequired("Enter the 6-digit code from your authenticator app"),
                                   Length(max=40, message="Enter the 6-digit code from your authenticator app")])


class SecurityKeyForm(FlaskForm):
    name = StringField("Name this key", description="So you can tell your keys apart, for example ‘Blue key’ or ‘Work laptop’",
                       validators=[DataRequired("Enter a name for your security key"),
                                   Length(max=60, message="Name must be 60 characters or fewer")])
    password = PasswordField("Your password", validators=[
        DataRequired("Enter your password"), Length(max=200, message="Password must be 200 characters or fewer")])
    # Filled in by app/static/js/security-key.js with the browser's answer (JSON).
    credential = HiddenField()


class SecurityKeyAnswerForm(FlaskForm):
    credential = HiddenField()  # the browser's signed answer (JSON), filled in by security-key.js


class DevicesForm(FlaskForm):
    """Signing other devices out asks for the password again (ASVS 3.3.4)."""
    current = PasswordField("Your password", validators=[
        DataRequired("Enter your password to sign other devices out"),
        Length(max=200, message="Password must be 200 characters or fewer")])
