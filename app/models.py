"""Imports every domain's models so SQLAlchemy and Alembic see the whole schema."""
from app.accounts.models import *  # noqa: F401,F403
from app.wards.models import *  # noqa: F401,F403
from app.notifications.models import *  # noqa: F401,F403
from app.consultations.models import *  # noqa: F401,F403
from app.actions.models import *  # noqa: F401,F403
from app.themes.models import *  # noqa: F401,F403
from app.panel.models import *  # noqa: F401,F403
from app.surgeries.models import *  # noqa: F401,F403
from app.accounts.throttle import LoginThrottle  # noqa: F401
from app.audit.models import *  # noqa: F401,F403
from app.tracker.models import *  # noqa: F401,F403
from app.deliberation.models import *  # noqa: F401,F403
from app.conversations.models import *  # noqa: F401,F403
from app.tenants.models import *  # noqa: F401,F403
from app.maps.models import *  # noqa: F401,F403
from app.places.models import *  # noqa: F401,F403
