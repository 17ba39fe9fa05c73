"""S3-compatible storage for uploads, as an option for several app servers.

``ProtectedS3Storage`` keeps the files in a bucket (AWS S3, MinIO, Sakura, …) through
django-storages, but its URLs are the app's own ``MEDIA_URL`` paths, so every download still
goes through ``ProtectedMediaView`` and its membership check; the bucket stays private.
Select it with ``DJANGO_STORAGE=s3`` (see README, "Several app servers").
"""

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage


class ProtectedS3Storage(S3Storage):
    default_acl = "private"
    file_overwrite = False
    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{quote(name)}"
