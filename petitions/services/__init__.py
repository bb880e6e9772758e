"""Every write to petitions: intake, routing, each transition of the state table, rating, the whistle, merging
duplicates and the deadline sweep. Views, the API, admin actions, Celery tasks and the management command all
call these functions. One module per concern; everything is re-exported here, so callers import
`petitions.services` as before."""

from petitions.services.common import (  # noqa: F401
    _event,
    _lock,
    _move,
    _status_message,
)
from petitions.services.duplicates import (  # noqa: F401
    petition_merge,
)
from petitions.services.escalation import (  # noqa: F401
    _escalate,
    petition_whistle,
    whistle_answer,
)
from petitions.services.handling import (  # noqa: F401
    petition_accept,
    petition_bulk_accept,
    petition_reject,
    petition_reply,
    petition_resolve,
    petition_reveal_reporter_phone,
    petition_start,
    petition_transfer,
)
from petitions.services.intake import (  # noqa: F401
    _CATEGORY_FIELDS,
    _PLACE_FIELDS,
    BUILDING_OUTSIDE_COMPOUND,
    RESIDENT_SOURCES,
    Intake,
    _create,
    _fill_place,
    _insert_new,
    _insert_sql,
    _intake,
    _intake_orm,
    _intake_sql,
    _new_fields,
    _new_notice,
    _save_new,
    notify_new_petition,
    petition_create,
    petition_record,
    petition_submit,
)
from petitions.services.photos import (  # noqa: F401
    MAX_PHOTO_BYTES,
    MAX_PHOTO_SIDE,
    MAX_PHOTOS,
    PHOTO_FORMATS,
    _save_photos,
    _validate_photos,
    normalise_photo,
    validate_photo,
)
from petitions.services.rating import (  # noqa: F401
    _close,
    petition_rate,
)
from petitions.services.routing import (  # noqa: F401
    COMMITTEE_KINDS,
    _handler_role,
    _route_from,
    handler_user_ids,
    level_office_user_ids,
    reporters_of,
    route,
)
from petitions.services.sweep import (  # noqa: F401
    DEADLINE_PASSED,
    SweepResult,
    _due_petitions,
    _due_whistles,
    _sweep_one,
    sweep_deadlines,
)
