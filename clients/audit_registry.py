from auditlog.registry import auditlog

from .models import (
    Allocation,
    BreakGlassAccess,
    CaseNote,
    Client,
    ClientAsset,
    ClientMerge,
    ImportRun,
    Relationship,
    ReturnFile,
)

auditlog.register(Client, exclude_fields=["updated_at", "search_given", "search_family", "given_phonetic", "family_phonetic"])
for model in (Allocation, Relationship, ClientAsset, CaseNote, BreakGlassAccess, ClientMerge):
    auditlog.register(model, exclude_fields=["updated_at"])
auditlog.register(ImportRun, exclude_fields=["report"])
auditlog.register(ReturnFile, exclude_fields=["updated_at", "events_done"])
