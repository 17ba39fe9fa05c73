from .stages import STAGES


def stages(request):
    return {"STAGES": STAGES}
