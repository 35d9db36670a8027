from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovFileInput, GovRadioInput, GovSubmitInput,
                                                GovTextInput)
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.forms.resident import ResidentDetails, one_line
from app.models import PROBLEM_TYPE_LABELS

PHOTO_MAX_BYTES = 8 * 1024 * 1024
# A phone's photo is often 3 to 6 MB, and some cameras' are over 20 MB: the request may be this
# large on the report form only (everywhere else MAX_CONTENT_LENGTH; nginx allows it on these
# paths too), so a photo over the limit still reaches the form and gets a message beside it,
# with everything typed kept, rather than a bare 413 page. Werkzeug spools the file to disk.
REQUEST_MAX_BYTES = 32 * 1024 * 1024


class ReportForm(ResidentDetails):
    # Set by the map when a pin is dropped (JavaScript); empty otherwise.
    latitude = HiddenField(validators=[Optional(), Length(max=20)])
    longitude = HiddenField(validators=[Optional(), Length(max=20)])
    place = StringField(_l("Street, place or postcode"), widget=GovTextInput(), filters=[one_line],
                        description=_l("For example, Elm Street, Leeds or LS1 1AZ. If you drop a pin on the map, "
                                       "we use the pin."),
                        validators=[Length(max=200, message=_l("Street, place or postcode must be 200 characters or "
                                                               "fewer"))])
    problem_type = RadioField(_l("What is the problem?"), choices=list(PROBLEM_TYPE_LABELS.items()),
                              widget=GovRadioInput(),
                              validators=[InputRequired(message=_l("Select what the problem is"))])
    description = TextAreaField(_l("Describe the problem"), widget=GovCharacterCount(),
                                description=_l("What happens, and when. Do not include anyone's personal details "
                                               "unless they matter."),
                                validators=[InputRequired(message=_l("Describe the problem")),
                                            Length(max=5000, message=_l("Description must be 5,000 characters or "
                                                                        "fewer"))])
    photo = FileField(_l("Photo (optional)"), widget=GovFileInput(),
                      description=_l("A JPEG, PNG or WebP image smaller than 8 MB. We remove its location and "
                                     "other hidden details."),
                      validators=[FileAllowed(["jpg", "jpeg", "png", "webp"],
                                              _l("The photo must be a JPEG, PNG or WebP image")),
                                  FileSize(PHOTO_MAX_BYTES, message=_l("The photo must be smaller than 8 MB"))])
    # A photo already received with a form that had other errors: not asked for again.
    photo_kept = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())
