"""Datastore access for sensors and actions, over st2go's REST API.

Names are "local" by default: the service prefixes them with
``<pack>.<ClassName>:`` so that each sensor or action class has its own
namespace; pass ``local=False`` for the name as given. Only the system
scope is supported here, as in StackStorm.
"""

import logging
import urllib.parse

import st2go_api

__all__ = [
    "KeyValuePair",
    "BaseDatastoreService",
    "SensorDatastoreService",
    "ActionDatastoreService",
]

SYSTEM_SCOPE = "system"

# Page size used by list_values when the caller gives no limit (StackStorm
# takes it from [api] max_page_size, whose default this is).
DEFAULT_LIST_LIMIT = 100


class KeyValuePair(object):
    """One datastore item as the API returns it; each field of the JSON
    document (name, value, scope, secret, expire_timestamp, ...) is an
    attribute."""

    def __init__(self, **fields):
        self.id = None
        self.name = None
        self.value = None
        self.__dict__.update(fields)

    def to_dict(self):
        return dict(self.__dict__)

    def __repr__(self):
        return "<KeyValuePair name=%r value=%r>" % (self.name, self.value)


class BaseDatastoreService(object):
    """Datastore methods shared by sensors and actions."""

    DATASTORE_NAME_SEPARATOR = ":"

    def __init__(self, logger, pack_name, class_name):
        self._logger = logger or logging.getLogger(__name__)
        self._pack_name = pack_name
        self._class_name = class_name
        self._client = None

    def get_api_client(self):
        """The API client the service uses (token from the environment)."""
        if self._client is None:
            self._client = st2go_api.client_from_env()
        return self._client

    def get_user_info(self):
        """What the API knows about the user the token belongs to."""
        _, doc = self.get_api_client().request("GET", "/user")
        return doc

    def list_values(self, local=True, prefix=None, limit=None, offset=0):
        """Items whose names start with the (local) prefix, as a list of
        KeyValuePair."""
        params = {
            "prefix": self._full_prefix(local, prefix),
            "limit": limit or DEFAULT_LIST_LIMIT,
            "offset": offset or 0,
        }
        self._logger.debug("Listing datastore values (prefix=%s)", params["prefix"])
        _, doc = self.get_api_client().request("GET", "/keys/", params=params)
        return [KeyValuePair(**item) for item in (doc or []) if isinstance(item, dict)]

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        """The value stored under name, or None when there is none or the
        API cannot be reached (the failure is logged)."""
        _check_scope(scope)
        name = self._full_name(name, local)
        params = {"decrypt": "true" if decrypt else "false", "scope": scope}
        self._logger.debug("Reading datastore value (name=%s)", name)
        try:
            status, doc = self.get_api_client().request(
                "GET", "/keys/" + _quote(name), params=params, ok_statuses=(404,)
            )
        except Exception as e:  # noqa: BLE001 - StackStorm returns None on any failure
            self._logger.exception("Reading datastore value %s failed: %s", name, e)
            return None
        if status == 404 or not isinstance(doc, dict):
            return None
        return doc.get("value")

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        """Store str(value) under name; returns True, raises on failure."""
        _check_scope(scope)
        name = self._full_name(name, local)
        body = {"name": name, "value": str(value), "scope": scope}
        if encrypt:
            body["secret"] = True
        if ttl:
            body["ttl"] = ttl
        self._logger.debug("Writing datastore value (name=%s)", name)
        self.get_api_client().request("PUT", "/keys/" + _quote(name), body=body)
        return True

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        """Delete name; True when it is gone (or was never there), False
        when the API reported an error (which is logged)."""
        _check_scope(scope)
        name = self._full_name(name, local)
        self._logger.debug("Deleting datastore value (name=%s)", name)
        try:
            self.get_api_client().request(
                "DELETE", "/keys/" + _quote(name), params={"scope": scope}, ok_statuses=(404,)
            )
        except Exception as e:  # noqa: BLE001 - reported as False, as StackStorm does
            self._logger.exception("Deleting datastore value %s failed: %s", name, e)
            return False
        return True

    def _local_prefix(self):
        return "%s.%s%s" % (self._pack_name, self._class_name, self.DATASTORE_NAME_SEPARATOR)

    def _full_name(self, name, local):
        return self._local_prefix() + name if local else name

    def _full_prefix(self, local, prefix):
        if not local:
            return prefix
        return self._local_prefix() + (prefix or "")


class SensorDatastoreService(BaseDatastoreService):
    """The datastore service of a sensor process; api_username is kept for
    signature compatibility (st2go issues the token before the sensor
    starts)."""

    def __init__(self, logger, pack_name, class_name, api_username=None):
        super().__init__(logger=logger, pack_name=pack_name, class_name=class_name)
        self._api_username = api_username


class ActionDatastoreService(BaseDatastoreService):
    """The datastore service of a Python action, using the token the
    action was started with."""

    def __init__(self, logger, pack_name, class_name, auth_token=None):
        super().__init__(logger=logger, pack_name=pack_name, class_name=class_name)
        self._auth_token = auth_token

    def get_api_client(self):
        if self._client is None:
            client = st2go_api.client_from_env()
            if self._auth_token:
                client.token = self._auth_token
            self._client = client
        return self._client


def _check_scope(scope):
    if scope != SYSTEM_SCOPE:
        raise ValueError("Scope %s is unsupported." % scope)


def _quote(name):
    return urllib.parse.quote(name, safe=":")
