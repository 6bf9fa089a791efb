"""YouTube credentials: the installed-app login once, then the cached token (0600), refreshed as needed."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config import Config
from ..errors import AuthError, ConfigError, NetworkError
from ..files import atomic_write_private

SCOPES = ["https://www.googleapis.com/auth/youtube.upload",  # videos.insert, thumbnails.set
          "https://www.googleapis.com/auth/youtube.force-ssl"]  # captions.insert
TIMEOUT = 60  # seconds per HTTP request


def http():
    """An httplib2 client that trusts $HTTPLIB2_CA_CERTS as set now (httplib2 reads it only at import)."""
    import httplib2
    from httplib2 import certs

    client = httplib2.Http(ca_certs=certs.where(), timeout=TIMEOUT)
    client.redirect_codes = client.redirect_codes - {308}  # 308 is "resume incomplete" here, as build_http does
    return client


def token_path(config: Config) -> Path:
    """youtube.token, or ~/.config/podcast/youtube-token.json."""
    configured = config.get("youtube", "token")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "podcast" / "youtube-token.json"


def client_secrets(config: Config) -> Path:
    """The OAuth client file, which must exist."""
    configured = config.get("youtube", "client_secrets")
    if not configured:
        raise ConfigError("youtube.client_secrets is not set",
                          "download an OAuth client (Desktop app) JSON from the Google Cloud console and set "
                          "[youtube] client_secrets = \"client_secret.json\"")
    path = Path(configured)
    if not path.is_file():
        raise ConfigError(f"youtube.client_secrets file {path} does not exist",
                          "download the OAuth client JSON from the Google Cloud console")
    return path


def save_token(path: Path, credentials) -> None:
    """Write the authorized-user JSON readable by its owner only (0600), atomically."""
    atomic_write_private(path, json.dumps(json.loads(credentials.to_json()), indent=2))


def login(config: Config, open_browser: bool = True, port: int = 0):
    """Run the OAuth installed-app flow in the browser and cache the token; returns the credentials."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    secrets = client_secrets(config)
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(secrets), SCOPES)
    except (ValueError, KeyError, json.JSONDecodeError):
        raise ConfigError(f"{secrets} is not an OAuth client file",
                          "download it again (type: Desktop app) from the Google Cloud console") from None
    try:
        credentials = flow.run_local_server(port=port, open_browser=open_browser,
                                            authorization_prompt_message="Open this page to let podcast upload "
                                                                         "to your channel: {url}",
                                            success_message="Logged in; you can close this tab.")
    except Exception as exc:  # oauthlib raises its own classes for a refused consent or a bad code
        raise AuthError(f"Google login did not complete ({type(exc).__name__})",
                        "run `podcast upload --login` again and accept the access") from None
    save_token(token_path(config), credentials)
    return credentials


def load_credentials(config: Config):
    """The cached credentials, refreshed if expired (the token file's own token_uri is honoured)."""
    from google.auth.exceptions import RefreshError, TransportError
    from google.oauth2.credentials import Credentials
    from google_auth_httplib2 import Request

    path = token_path(config)
    if not path.is_file():
        client_secrets(config)  # a missing client file is the first thing to fix
        raise AuthError(f"no YouTube login saved at {path}", "run `podcast upload --login` once")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        credentials = Credentials.from_authorized_user_info(info, SCOPES)
    except (ValueError, KeyError, TypeError):
        raise AuthError(f"{path} is not a saved YouTube login", "delete it and run `podcast upload --login`") \
            from None
    if info.get("token_uri"):  # from_authorized_user_info always uses Google's
        credentials = credentials.with_token_uri(info["token_uri"])
    if not credentials.valid:
        try:
            credentials.refresh(Request(http()))
        except RefreshError:
            raise AuthError("YouTube refused the saved login (expired or revoked)",
                            "run `podcast upload --login` again") from None
        except (TransportError, OSError) as exc:
            raise NetworkError(f"could not reach Google's login server ({type(exc).__name__})",
                               "check the network and try again") from None
        save_token(path, credentials)
    return credentials
