from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DisposalItem, Manifest, ReuseOffer, ReuseRequest, Transfer, WasteOperator

for model in (DisposalItem, Transfer, Manifest, WasteOperator, ReuseOffer, ReuseRequest):
    admin.site.register(model, SimpleHistoryAdmin)
