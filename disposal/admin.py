from django.contrib import admin

from engagements.admin import UploadsOnCommitAdmin

from .models import DisposalItem, Manifest, ReuseOffer, ReuseRequest, Transfer, WasteOperator

for model in (DisposalItem, Transfer, Manifest, WasteOperator, ReuseOffer, ReuseRequest):
    admin.site.register(model, UploadsOnCommitAdmin)
