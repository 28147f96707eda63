"""Typed, documented defaults read by functions when they are called.

Change a value by assignment (``geo.settings.cell_size = 1000``); every
function that has an optional argument for it reads the setting at call
time, so the change takes effect at once. This module never imports
Streamlit.

Attributes
----------
analysis_crs : str
    CRS of analysis and storage, SWEREF 99 TM. Default ``"EPSG:3006"``
    (:data:`layers.spec.STORAGE_CRS`, the store's convention).
export_crs_choices : tuple of str
    CRSs offered for exports: SWEREF 99 TM, SWEREF 99 18 00 (Stockholm
    county) and WGS 84.
web_crs : str
    CRS of web maps, WGS 84. Default ``"EPSG:4326"``.
timezone : str
    Time zone of every timestamp. Default ``"Europe/Stockholm"``
    (:data:`layers.spec.TIMEZONE`, the store's convention).
cell_size : int
    Grid cell size in metres for the lägesbild. Default ``250``.
permutations : int
    Permutations for conditional randomisation in hot-spot statistics.
    Default ``999``.
min_count : int
    Counts from 1 to ``min_count - 1`` are suppressed in public outputs
    (SCB practice for grid statistics). Default ``4``.
store_path : pathlib.Path
    The GeoPackage used when no store is named. Default ``data/demo.gpkg``
    beside the package, or the environment variable
    ``TRYGGHETSKARTAN_STORE``.
postgis_dsn_env : str
    Name of the environment variable with a PostGIS connection URL.
    Default ``"TRYGGHETSKARTAN_PG_DSN"``.
graffiti_deadline_hours : float
    The program's removal deadline (action 7). Default ``72``.
users_path : pathlib.Path
    TOML file with the app's users (bcrypt-hashed passwords and roles).
    Default ``data/users.toml``, or ``TRYGGHETSKARTAN_USERS``.
audit_log_path : pathlib.Path
    Append-only JSON-lines log of who saw or exported protected data.
    Default ``data/audit.jsonl``, or ``TRYGGHETSKARTAN_AUDIT_LOG``.
app_incidents_in_db : bool
    Let the app count incidents in PostGIS for each lägesbild instead of
    loading them (environment ``TRYGGHETSKARTAN_APP_INCIDENTS_IN_DB=1``):
    for data that does not fit in the server's memory. Off by default: a
    filter change then costs a SQL round (0.7 s at 100k incidents, 6.6 s
    at 1M) instead of about 0.1 s in memory. The CLI always counts in the
    database for a PostGIS store.
max_upload_mb : int
    Largest file the app accepts for upload. Default ``200``.
idle_timeout_minutes : float
    A logged-in session without activity for this long is logged out.
    Default ``30``, or ``TRYGGHETSKARTAN_IDLE_MINUTES``.
oidc_role_claim : str
    The claim of an OIDC login (the municipality's identity provider, via
    ``st.login``) whose values give the user's role. A dotted name reads a
    nested claim (Keycloak's ``"realm_access.roles"``). Default
    ``"groups"``, or ``TRYGGHETSKARTAN_OIDC_ROLE_CLAIM``.
oidc_roles_path : pathlib.Path
    TOML file mapping values of that claim to an audience (``staff`` or
    ``protected``) under ``[roles]``; see :mod:`geo.app.oidc`. A user with
    no mapped value sees the public view. Default ``data/oidc_roles.toml``,
    or ``TRYGGHETSKARTAN_OIDC_ROLES``.
oidc_provider : str
    Name of the provider section in ``.streamlit/secrets.toml``
    (``[auth.NAME]``); empty for the plain ``[auth]`` section. Default
    ``""``, or ``TRYGGHETSKARTAN_OIDC_PROVIDER``.
password_login : bool or None
    Whether the sidebar shows the user-name-and-password form beside the
    OIDC login. None (the default) shows it when ``users_path`` exists, or
    when OIDC is not configured. ``TRYGGHETSKARTAN_PASSWORD_LOGIN=1`` or
    ``0`` forces it on or off.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers.spec import STORAGE_CRS, TIMEZONE

PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent

analysis_crs: str = STORAGE_CRS
export_crs_choices: tuple[str, ...] = ("EPSG:3006", "EPSG:3011", "EPSG:4326")
web_crs: str = "EPSG:4326"
timezone: str = TIMEZONE
cell_size: int = 250
permutations: int = 999
min_count: int = 4
store_path: Path = Path(
    os.environ.get("TRYGGHETSKARTAN_STORE", PROJECT_ROOT / "data" / "demo.gpkg")
)
postgis_dsn_env: str = "TRYGGHETSKARTAN_PG_DSN"
graffiti_deadline_hours: float = 72.0
users_path: Path = Path(os.environ.get("TRYGGHETSKARTAN_USERS", PROJECT_ROOT / "data" / "users.toml"))
audit_log_path: Path = Path(
    os.environ.get("TRYGGHETSKARTAN_AUDIT_LOG", PROJECT_ROOT / "data" / "audit.jsonl")
)
app_incidents_in_db: bool = os.environ.get("TRYGGHETSKARTAN_APP_INCIDENTS_IN_DB", "") == "1"
max_upload_mb: int = 200
idle_timeout_minutes: float = float(os.environ.get("TRYGGHETSKARTAN_IDLE_MINUTES", "30"))
oidc_role_claim: str = os.environ.get("TRYGGHETSKARTAN_OIDC_ROLE_CLAIM", "groups")
oidc_roles_path: Path = Path(
    os.environ.get("TRYGGHETSKARTAN_OIDC_ROLES", PROJECT_ROOT / "data" / "oidc_roles.toml")
)
oidc_provider: str = os.environ.get("TRYGGHETSKARTAN_OIDC_PROVIDER", "")
password_login: bool | None = {"1": True, "0": False}.get(
    os.environ.get("TRYGGHETSKARTAN_PASSWORD_LOGIN", "")
)
