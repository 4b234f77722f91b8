"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""


def _page_params():
    return [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
    ]


def _list(item_ref: str) -> dict:
    return {"type": "object", "required": ["data", "meta", "links"], "properties": {
        "data": {"type": "array", "items": {"$ref": item_ref}},
        "meta": {"$ref": "#/components/schemas/PageMeta"},
        "links": {"$ref": "#/components/schemas/PageLinks"}}}


def _one(item_ref: str) -> dict:
    return {"type": "object", "properties": {"data": {"$ref": item_ref}}}


def _ok(schema: dict, description="OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {"400": {"description": "Bad query parameter", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Error"}}}},
    "404": {"description": "Not found or not public", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}}
_ID = {"in": "path", "required": True, "schema": {"type": "integer"}}
NULLABLE_STR = {"type": "string", "nullable": True}
NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}
# Officers import plans as drafts and can unpublish any plan, action, milestone or update.
_UNPUBLISHED = ("Published plans only. Draft (not yet published) plans and unpublished actions, milestones and "
                "progress updates are left out everywhere, as on the public pages; an unpublished action is 404.")


def openapi_document(server_url: str) -> dict:
    s = "#/components/schemas/"
    return {
        "openapi": "3.0.3",
        "info": {"title": "Have your say: open data", "version": "1.0.0",
                 "description": "Published consultations, the themes residents raised, \"You said, we did\" "
                                "responses and action plan progress. Read-only, no sign-in. Contains no personal "
                                "data and no \"About you\" (equality monitoring) data; quotes are redacted."},
        "servers": [{"url": server_url}],
        "paths": {
            "/consultations": {"get": {"summary": "Consultations that are public (not drafts)",
                                       "parameters": _page_params(),
                                       "responses": {"200": _ok(_list(s + "Consultation")), **_ERRORS}}},
            "/consultations/{consultation_id}": {"get": {
                "summary": "One consultation", "parameters": [{"name": "consultation_id", **_ID}],
                "responses": {"200": _ok(_one(s + "Consultation")), **_ERRORS}}},
            "/consultations/{consultation_id}/themes": {"get": {
                "summary": "Themes in residents' comments (only once the consultation's results are published)",
                "parameters": [{"name": "consultation_id", **_ID}, *_page_params()],
                "responses": {"200": _ok(_list(s + "Theme")), **_ERRORS}}},
            "/you-said-we-did": {"get": {"summary": "Published \"You said, we did\" pages",
                                         "parameters": _page_params(),
                                         "responses": {"200": _ok(_list(s + "YouSaidWeDid")), **_ERRORS}}},
            "/you-said-we-did/{consultation_id}": {"get": {
                "summary": "The \"You said, we did\" page of one consultation",
                "parameters": [{"name": "consultation_id", **_ID}],
                "responses": {"200": _ok(_one(s + "YouSaidWeDid")), **_ERRORS}}},
            "/plans": {"get": {"summary": "Action plans", "description": _UNPUBLISHED, "parameters": _page_params(),
                               "responses": {"200": _ok(_list(s + "Plan")), **_ERRORS}}},
            "/actions": {"get": {"summary": "Actions and their progress", "description": _UNPUBLISHED, "parameters": [
                {"name": "plan", "in": "query", "schema": {"type": "integer"}, "description": "Only this plan's actions"},
                {"name": "status", "in": "query", "schema": {"$ref": s + "Status"}}, *_page_params()],
                "responses": {"200": _ok(_list(s + "Action")), **_ERRORS}}},
            "/actions/{action_id}": {"get": {
                "summary": "One action with its progress updates", "description": _UNPUBLISHED,
                "parameters": [{"name": "action_id", **_ID}],
                "responses": {"200": _ok(_one(s + "Action")), **_ERRORS}}},
        },
        "components": {"schemas": {
            "PageMeta": {"type": "object", "properties": {k: {"type": "integer"} for k in ("page", "per_page", "total", "pages")}},
            "PageLinks": {"type": "object", "properties": {"self": {"type": "string"}, "next": NULLABLE_STR, "prev": NULLABLE_STR}},
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "message": {"type": "string"}}}}},
            "Status": {"type": "string", "enum": ["not_started", "on_track", "at_risk", "completed", "cant_proceed"]},
            "Consultation": {"type": "object", "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
                "status": {"type": "string", "enum": ["scheduled", "open", "closed", "published"]},
                "opens_at": {"type": "string", "format": "date-time", "description": "UTC"},
                "closes_at": {"type": "string", "format": "date-time", "description": "UTC"},
                "results_published_at": {"type": "string", "format": "date-time", "nullable": True},
                "borough_wide": {"type": "boolean"},
                "wards": {"type": "array", "items": {"type": "string"}},
                "topics": {"type": "array", "items": {"type": "string"}},
                "questions": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "kind": {"type": "string"}, "text": {"type": "string"}}}},
                "response_count": {"type": "integer", "nullable": True, "description": "Once closed"},
                "url": {"type": "string"}, "themes_url": NULLABLE_STR, "you_said_we_did_url": NULLABLE_STR}},
            "Theme": {"type": "object", "properties": {
                "id": {"type": "integer"}, "question_id": {"type": "integer"}, "label": {"type": "string"},
                "size": {"type": "integer", "description": "Comments whose main theme this is"},
                "keywords": {"type": "array", "items": {"type": "string"}},
                "description": {"type": "string", "description": "One sentence from the theme's most "
                                "representative comment, with personal details removed (empty if not yet found)"},
                "example_quotes": {"type": "array", "items": {"type": "string"},
                                   "description": "Up to 3 representative comments with personal details removed"},
                "actions": {"type": "array", "items": {"$ref": s + "ActionSummary"},
                            "description": "Council actions an officer confirmed this theme informs"}}},
            "ActionSummary": {"type": "object", "properties": {
                "id": {"type": "integer"}, "number": {"type": "string"}, "title": {"type": "string"},
                "status": {"$ref": s + "Status"}, "status_label": {"type": "string"}, "url": {"type": "string"}}},
            "YouSaidWeDid": {"type": "object", "properties": {
                "consultation_id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
                "published_at": {"type": "string", "format": "date-time"},
                "response_count": {"type": "integer"},
                "channels": {"type": "array", "items": {"type": "object", "properties": {
                    "channel": {"type": "string"}, "responses": {"type": "integer"}}}},
                "themes": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "label": {"type": "string"}, "size": {"type": "integer"}}}},
                "responses": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"type": "string", "enum": ["we_did", "we_are_doing", "we_cant", "set_aside"]},
                    "kind_label": {"type": "string"}, "text": {"type": "string"},
                    "theme_ids": {"type": "array", "items": {"type": "integer"}},
                    "action": {"allOf": [{"$ref": s + "ActionSummary"}], "nullable": True,
                               "description": "Null if there is none or it is unpublished (the response stays)"}}}},
                "url": {"type": "string"}}},
            "Plan": {"type": "object", "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
                "priorities": {"type": "array", "items": {"type": "string"}},
                "action_count": {"type": "integer"}, "actions_url": {"type": "string"}}},
            "Action": {"allOf": [{"$ref": s + "ActionSummary"}, {"type": "object", "properties": {
                "plan_id": {"type": "integer"}, "priority": {"type": "string"}, "objective": {"type": "string"},
                "description": {"type": "string"}, "how_we_will_know": {"type": "string"},
                "portfolio_holder": {**NULLABLE_STR, "description": "The cabinet councillor responsible"},
                "lead_officer": {"type": "string"}, "timescale": {"type": "string"},
                "status_reason": {**NULLABLE_STR, "description": "Why it can't proceed"},
                "percent_complete": {"type": "integer", "nullable": True},
                "last_update_on": NULLABLE_DATE,
                "milestones": {"type": "array", "items": {"type": "object", "properties": {
                    "title": {"type": "string"}, "target_date": NULLABLE_DATE, "completed_on": NULLABLE_DATE,
                    "overdue": {"type": "boolean"}}}},
                "updates": {"type": "array", "description": "Only on /actions/{action_id}", "items": {
                    "type": "object", "properties": {"date": {"type": "string", "format": "date"},
                                                     "text": {"type": "string"},
                                                     "percent": {"type": "integer", "nullable": True}}}}}}]},
        }},
    }
