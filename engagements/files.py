"""Uploaded files belong to one engagement and are served only to its members.

Every upload is stored under ``engagement_<pk>/``; ``ProtectedMediaView`` serves
``MEDIA_URL`` paths after checking that the user is a member of that engagement, so a
file's URL (``field.url``) works in pages and is useless to anyone else.
"""

import re
import uuid
from pathlib import PurePosixPath

from django.utils.deconstruct import deconstructible

ENGAGEMENT_PATH = re.compile(r"^engagement_(?P<pk>[1-9][0-9]*)/")


@deconstructible
class EngagementUploadTo:
    """``upload_to`` for a model with an ``engagement`` (or ``engagement_id``) attribute."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        name = PurePosixPath(filename).name
        return f"engagement_{instance.engagement_id}/{self.folder}/{uuid.uuid4().hex[:12]}_{name}"

    def __eq__(self, other) -> bool:
        return isinstance(other, EngagementUploadTo) and other.folder == self.folder


def engagement_pk_of(path: str) -> int | None:
    match = ENGAGEMENT_PATH.match(path)
    return int(match["pk"]) if match else None
