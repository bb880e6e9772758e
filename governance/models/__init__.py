"""Party organizations and the compound bodies (owners' committee and others), elections, vetting, meetings
and votes, coverage, lists and work requests, targets, posts and cross-appointments. One module per concern;
every model is re-exported here, so `governance.models.X` and the migrations stay as they were."""

from governance.models.bodies import (  # noqa: F401
    Body,
    BodyMember,
    PartyOrganization,
)
from governance.models.campaign import (  # noqa: F401
    CampaignRecord,
    StreetOffice,
    StreetOfficeStaff,
)
from governance.models.candidates import (  # noqa: F401
    Candidate,
    Vetting,
)
from governance.models.council import (  # noqa: F401
    CouncilMember,
)
from governance.models.coverage import (  # noqa: F401
    BuildingHead,
    Coverage,
    Evaluation,
    PartyCoverage,
    PartyMember,
    TermReminder,
)
from governance.models.lists import (  # noqa: F401
    ListItem,
    WorkRequest,
)
from governance.models.meetings import (  # noqa: F401
    AgendaItem,
    Ballot,
    Meeting,
    Rule,
    SupervisoryRecord,
    Vote,
    VoteEvent,
    Voter,
)
from governance.models.posts import (  # noqa: F401
    CrossAppointment,
    PartyOrganizationMember,
)
from governance.models.targets import (  # noqa: F401
    CampaignTarget,
)
